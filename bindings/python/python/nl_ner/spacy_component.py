"""The ``nl_ner`` spaCy pipeline component: nl-ner's entities as ``doc.ents``.

spaCy finds it through the ``spacy_factories`` entry point (pyproject.toml)::

    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("nl_ner")  # config: model, gazetteers, domain, threads, batch_size
    doc = nlp("De NAVO vergaderde in Den Haag.")
    [(e.text, e.label_, e.kb_id_, e._.entity_id, e._.source, e._.score) for e in doc.ents]

Alignment. nl-ner cuts text its own way; spaCy's tokens may be longer than an entity (``NAVO``
inside ``NAVO-top``). Each entity becomes the smallest span of whole spaCy tokens that covers
it (``doc.char_span(start, end, alignment_mode="expand")``), so no entity is lost to a token
boundary. Two entities that then overlap (both inside one token) cannot both be in ``doc.ents``:
the one that covers more characters of its span wins (then the higher score, then the earlier),
the other is left out of ``doc.ents``. Nothing is lost silently: ``doc.spans["nl_ner"]`` holds
every entity's span, those left out included, and ``doc._.nl_ner`` the document's JSON line as
a dict (``nl_ner.Document.to_dict()``: the exact offsets, ``relations``, ``document_date``). An
entity of only whitespace (none in practice) maps to no token and is in neither;
``doc._.nl_ner`` still has it.

Relations. ``doc._.relations`` is a list of dicts, one per relation of the JSON line, in its
order: ``type`` (``role``, ``member_of``, ``participates_in``), ``head`` and ``tail`` (the
entities' token-aligned ``Span``s, built as for ``doc.spans["nl_ner"]``; ``tail`` is ``None``
for a role that names no entity), ``role`` (the office's ``Span``, ``None`` but for a role) and
``score``. It is computed from ``doc._.nl_ner`` on each access, so nothing but plain data is
stored on the doc.

Sentences. Unless the doc is parsed already, each token's ``is_sent_start`` is set from
nl-ner's sentences, so ``doc.sents`` gives them (token-aligned as entities are).

Serialisation. What the component stores is plain data (dicts, lists, strings, numbers), so a
doc survives ``DocBin(store_user_data=True)``, ``doc.to_bytes()``/``from_bytes`` and ``pickle``
with its entities, spans, extensions, sentences and relations.

Extensions: ``Span._.entity_id`` (also the span's ``kb_id_``), ``Span._.source``,
``Span._.score``; spaCy keys span extensions by the span's boundaries, so two entities expanded
to the same tokens share them (the one in ``doc.ents`` sets them). ``nlp.pipe`` annotates
through ``Pipeline.annotate_many``, ``batch_size`` documents at a time, in parallel.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import Document, Pipeline

SPANS_KEY = "nl_ner"

for _name in ("entity_id", "source", "score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("nl_ner"):
    Doc.set_extension("nl_ner", default=None)


def _span(doc: Doc, start: int, end: int, label: str = "") -> Optional[Span]:
    """The smallest span of whole tokens covering ``[start, end)``, or ``None`` for none."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span if span is not None and len(span) > 0 else None


def _relations(doc: Doc) -> Optional[List[Dict[str, Any]]]:
    """``doc._.relations``: the relations of ``doc._.nl_ner`` with ``Span``s (module docstring);
    ``None`` when the component did not run or ran without relations."""
    data = doc._.nl_ner
    if data is None or data.get("relations") is None:
        return None
    entities = data["entities"]

    def entity(i: Optional[int]) -> Optional[Span]:
        if i is None:
            return None
        e = entities[i]
        return _span(doc, e["start"], e["end"], e["label"])

    out = []
    for r in data["relations"]:
        role = None
        if "role_start" in r:
            role = _span(doc, r["role_start"], r["role_end"], "ROLE")
        out.append(
            {
                "type": r["type"],
                "head": entity(r["head"]),
                "tail": entity(r.get("tail")),
                "role": role,
                "score": r["score"],
            }
        )
    return out


if not Doc.has_extension("relations"):
    Doc.set_extension("relations", getter=_relations)


class NlNerComponent:
    """Sets ``doc.ents`` (and ``doc.spans["nl_ner"]``, ``doc._.nl_ner``, sentence starts) from
    nl-ner; ``doc._.relations`` reads the relations from ``doc._.nl_ner``."""

    def __init__(
        self,
        nlp: Language,
        name: str = "nl_ner",
        model: Optional[str] = None,
        gazetteers: Sequence[str] = (),
        domain: bool = True,
        threads: Optional[int] = None,
        batch_size: int = 256,
    ) -> None:
        self.name = name
        self.batch_size = batch_size
        self.pipeline = Pipeline(model=model, gazetteers=list(gazetteers), domain=domain, threads=threads)

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.pipeline.annotate(doc.text))

    def pipe(self, stream: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        """Annotates the docs through one ``annotate_many`` over their texts, in parallel batches
        of ``batch_size`` (default: the component's), yielding each doc as its batch is done."""
        waiting: Deque[Doc] = deque()

        def texts() -> Iterator[str]:
            for doc in stream:
                waiting.append(doc)
                yield doc.text

        # annotate_many reads its input in order and yields in input order: the oldest waiting
        # doc is the one each result belongs to.
        for result in self.pipeline.annotate_many(texts(), batch_size=batch_size or self.batch_size):
            yield self.set_annotations(waiting.popleft(), result)

    def set_annotations(self, doc: Doc, result: Document) -> Doc:
        """Aligns ``result``'s entities to ``doc``'s tokens (see the module's docstring)."""
        candidates = []
        for e in result.entities:
            span = doc.char_span(e.start, e.end, label=e.label, kb_id=e.entity_id or "", alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            # How much of the expanded span is the entity: exact spans win over stretched ones.
            fit = (e.end - e.start) / max(1, span.end_char - span.start_char)
            candidates.append((span, e, fit))
        doc.spans[SPANS_KEY] = [span for span, _, _ in candidates]
        chosen: List[Span] = []
        taken = set()
        for span, _, _ in sorted(candidates, key=lambda c: (-c[2], -c[1].score, c[0].start)):
            if taken.isdisjoint(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                chosen.append(span)
        kept = {id(span) for span in chosen}
        # Those left out first, so that where two share boundaries the kept one's values stay.
        for span, e, _ in sorted(candidates, key=lambda c: id(c[0]) in kept):
            span._.entity_id, span._.source, span._.score = e.entity_id, e.source, e.score
        chosen.sort(key=lambda s: s.start)
        doc.ents = chosen
        self.set_sentences(doc, result.sentences)
        # Plain data, not the nl_ner.Document: it must survive DocBin, to_bytes and pickle.
        doc._.nl_ner = result.to_dict()
        return doc

    @staticmethod
    def set_sentences(doc: Doc, sentences: Sequence[Sequence[int]]) -> None:
        """Marks the first token of each of nl-ner's sentences as a sentence start, every other
        token as none, so that ``doc.sents`` gives nl-ner's sentences. A parsed doc keeps the
        parser's (spaCy refuses sentence starts on it)."""
        if len(doc) == 0 or doc.has_annotation("DEP"):
            return
        starts = set()
        for start, end in sentences:
            span = _span(doc, start, end)
            if span is not None:
                starts.add(span.start)
        # The first token always starts a sentence in spaCy: white space before nl-ner's first
        # sentence joins it rather than being a sentence of its own.
        starts.discard(min(starts, default=0))
        starts.add(0)
        for token in doc:
            token.is_sent_start = token.i in starts


@Language.factory(
    "nl_ner",
    default_config={"model": None, "gazetteers": [], "domain": True, "threads": None, "batch_size": 256},
)
def make_nl_ner(
    nlp: Language,
    name: str,
    model: Optional[str],
    gazetteers: List[str],
    domain: bool,
    threads: Optional[int],
    batch_size: int,
) -> NlNerComponent:
    """The factory spaCy calls for ``nlp.add_pipe("nl_ner", config={...})``."""
    return NlNerComponent(nlp, name, model, gazetteers, domain, threads, batch_size)
