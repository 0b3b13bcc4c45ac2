"""Type stubs of the native module (bindings/python/src/lib.rs)."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Optional, TypedDict, Union, overload

__version__: str

StrPath = Union[str, PathLike[str]]

Label = Literal["PER", "ORG", "LOC", "MISC", "INITIATIVE", "MONEY", "DATE", "PERCENT", "REF"]
Source = Literal["model", "gazetteer", "acronym", "pattern"]

class NlNerError(Exception):
    """An nl-ner error, with the message the command line prints after ``nl-ner: error:``."""

class Entity:
    """One entity: code-point offsets (``doc.text[start:end] == text``), label, score, source, id."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> Label: ...
    @property
    def score(self) -> float:
        """The model's confidence in [0, 1], rounded to 4 decimals as in the JSON."""
    @property
    def source(self) -> Source: ...
    @property
    def rule(self) -> Optional[str]:
        """The name of the domain rule that made the entity (``law-title``; docs/rules.md), if one did."""
    @property
    def entity_id(self) -> Optional[str]:
        """The canonical id of what the entity names (``org:navo``), shared by its mentions."""
    def to_dict(self) -> dict[str, Any]:
        """The entity's object in the JSON output."""

RelationType = Literal["role", "member_of", "participates_in"]

class Relation:
    """One relation between two entities of a document (docs/relations.md)."""

    @property
    def type(self) -> RelationType: ...
    @property
    def head(self) -> Entity:
        """The person (``role``, ``member_of``) or the organisation or place (``participates_in``)."""
    @property
    def tail(self) -> Optional[Entity]:
        """The party, the initiative, or the organisation or place a role names; ``None`` for a
        role that names none."""
    @property
    def head_index(self) -> int:
        """The head's index in ``Document.entities`` (the JSON's ``head``)."""
    @property
    def tail_index(self) -> Optional[int]:
        """The tail's index in ``Document.entities`` (the JSON's ``tail``)."""
    @property
    def role(self) -> Optional[str]:
        """The office as written (``role`` only): ``doc.text[role_start:role_end]``."""
    @property
    def role_start(self) -> Optional[int]: ...
    @property
    def role_end(self) -> Optional[int]: ...
    @property
    def score(self) -> float:
        """Confidence in [0, 1], rounded to 4 decimals as in the JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The relation's object in the JSON output (entities by index)."""

class Document:
    """An annotated document: the fields of its JSON line."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def entities(self) -> list[Entity]:
        """The entities, sorted by start, never overlapping (a new list on each access)."""
    @property
    def relations(self) -> Optional[list[Relation]]:
        """The relations, as in the JSON line; ``None`` with ``Pipeline(relations=False)``."""
    @property
    def date(self) -> Optional[str]:
        """The document's own date, ``YYYY-MM-DD`` (the JSON's ``document_date``), if found."""
    @property
    def sentences(self) -> list[tuple[int, int]]:
        """The sentences as ``(start, end)`` code-point offsets."""
    def to_json(self) -> str:
        """The JSON line ``nl-ner extract`` writes for this document, without its newline."""
    def to_dict(self) -> dict[str, Any]:
        """``json.loads(self.to_json())``."""
    def __len__(self) -> int:
        """The number of entities."""
    def _repr_html_(self) -> str:
        """The document highlighted as in the report, for Jupyter: a self-contained HTML fragment
        (inline styles, no script); each mention a ``<mark>`` with ``data-label``, ``data-id``,
        ``data-start``/``data-end`` (its offsets) and a ``title`` with label, source, score, id."""

class AnnotateMany(Iterator[Document]):
    """The iterator ``Pipeline.annotate_many`` returns."""

    def __iter__(self) -> AnnotateMany: ...
    def __next__(self) -> Document: ...

class Pipeline:
    """The nl-ner pipeline, as ``nl-ner extract`` runs it.

    model: a model file (``nl-ner extract --model``); ``None``: the shipped model, built in;
    ``"transformer"`` raises ``NlNerError``: the package has no transformer (docs/python.md).
    gazetteers: extra gazetteer files (``--gazetteer``), winning over the built-in ones.
    domain: ``False``: the model's entities alone (``--no-domain``).
    threads: worker threads of ``annotate_many``; ``None``: one per core.
    relations: ``False``: no relations (``--no-relations``); with ``True`` the document's JSON
    (``to_json``, ``to_dict``) has the ``relations`` of ``nl-ner extract``.

    Raises ``NlNerError`` when the model or a gazetteer cannot be loaded.
    """

    def __init__(
        self,
        model: Optional[StrPath] = None,
        gazetteers: Sequence[StrPath] = (),
        domain: bool = True,
        threads: Optional[int] = None,
        relations: bool = True,
    ) -> None: ...
    @property
    def threads(self) -> int: ...
    def annotate(self, text: str, id: str = "") -> Document:
        """Annotates one text (GIL released); ``id`` is the document's id in its JSON."""
    def annotate_many(
        self, documents: Iterable[Union[str, Mapping[str, Any]]], batch_size: int = 256
    ) -> AnnotateMany:
        """Annotates texts, or dicts read like ``nl-ner extract``'s JSONL lines (``text``, an
        optional ``id``, other fields carried through), in parallel batches of ``batch_size``
        with the GIL released; yields the documents lazily, in input order. A text's id is its
        position in ``documents`` (``"0"``, ``"1"``, ...), as is a dict's without ``id``."""

def read(paths: Sequence[StrPath], *, skip_bad_lines: bool = False) -> list[Document]:
    """The documents of extract output files (JSONL, what ``nl-ner extract`` and ``extract``
    write), linked as the command line links them. A line that is not a document raises
    ``NlNerError`` naming the file and line, or with ``skip_bad_lines=True`` is left out with a
    ``RuntimeWarning``; a file that cannot be read raises ``NlNerError`` naming it."""

class ExtractSkip(TypedDict):
    input: str
    reason: str

class ExtractSummary(TypedDict):
    documents: int
    entities: int
    skipped: list[ExtractSkip]
    output: Path

def extract(
    inputs: Sequence[StrPath],
    output: StrPath,
    *,
    pipeline: Optional[Pipeline] = None,
    input_format: Literal["auto", "text", "jsonl"] = "auto",
    max_doc_bytes: int = 16 << 20,
    xml_text: Optional[str] = None,
) -> ExtractSummary:
    """``nl-ner extract INPUTS -o OUTPUT``: annotates files and directories (text, ``.jsonl``,
    PDF, DOCX, ODT, HTML, XML; directories walked) with ``pipeline`` (default ``Pipeline()``)
    and writes the same bytes to ``output``, atomically. An input that cannot be read is skipped
    and listed in ``skipped``; when every input is skipped nothing is written."""

SortKey = Literal["mentions", "documents", "id", "label", "name"]
TableFormat = Literal["table", "csv", "json"]

@overload
def entities(
    docs: Iterable[Document],
    *,
    labels: Optional[Sequence[str]] = None,
    sort: SortKey = "mentions",
    relations: bool = True,
    format: None = None,
    path: None = None,
) -> list[dict[str, Any]]: ...
@overload
def entities(
    docs: Iterable[Document],
    *,
    labels: Optional[Sequence[str]] = None,
    sort: SortKey = "mentions",
    relations: bool = True,
    format: TableFormat,
    path: None = None,
) -> str: ...
@overload
def entities(
    docs: Iterable[Document],
    *,
    labels: Optional[Sequence[str]] = None,
    sort: SortKey = "mentions",
    relations: bool = True,
    format: Optional[TableFormat] = None,
    path: StrPath,
) -> None: ...
def entities(
    docs: Iterable[Document],
    *,
    labels: Optional[Sequence[str]] = None,
    sort: SortKey = "mentions",
    relations: bool = True,
    format: Optional[TableFormat] = None,
    path: Optional[StrPath] = None,
) -> Union[list[dict[str, Any]], str, None]:
    """``nl-ner entities``: the entity table of ``docs``. Without ``format``, the rows as dicts
    (the objects of ``--format json``: ``id``, ``label``, ``mentions``, ``name``, ``aliases``,
    ``ids``, ``documents``, and unless ``relations=False`` ``roles``, ``parties``,
    ``initiatives``, ``participants``); with ``format``, the text the command line prints; with
    ``path``, written there atomically (format from ``format`` or the extension ``.csv``,
    ``.json``/``.jsonl``, ``.txt``). ``labels`` default: PER, ORG, LOC, MISC, INITIATIVE, in
    any case."""

ExportFormat = Literal["conll", "spacy", "docbin", "doccano", "labelstudio", "neo4j", "turtle"]

@overload
def export(
    docs: Iterable[Document],
    format: Literal["docbin"],
    path: None = None,
    *,
    labels: Optional[Sequence[str]] = None,
    order: Literal["input", "uncertainty"] = "input",
    base: str = "https://nl-ner.invalid/",
) -> bytes: ...
@overload
def export(
    docs: Iterable[Document],
    format: Literal["conll", "spacy", "doccano", "labelstudio", "turtle"],
    path: None = None,
    *,
    labels: Optional[Sequence[str]] = None,
    order: Literal["input", "uncertainty"] = "input",
    base: str = "https://nl-ner.invalid/",
) -> str: ...
@overload
def export(
    docs: Iterable[Document],
    format: ExportFormat,
    path: StrPath,
    *,
    labels: Optional[Sequence[str]] = None,
    order: Literal["input", "uncertainty"] = "input",
    base: str = "https://nl-ner.invalid/",
) -> None: ...
def export(
    docs: Iterable[Document],
    format: ExportFormat,
    path: Optional[StrPath] = None,
    *,
    labels: Optional[Sequence[str]] = None,
    order: Literal["input", "uncertainty"] = "input",
    base: str = "https://nl-ner.invalid/",
) -> Union[bytes, str, None]:
    """``nl-ner export``: ``docs`` as training data (``conll``, ``spacy``, ``docbin``, ``doccano``,
    ``labelstudio``) or a knowledge graph (``turtle``, ``neo4j``; docs/exports.md). With
    ``path``, written there atomically (``neo4j``: a directory, required); without, returned
    (``bytes`` for ``docbin``). ``labels`` default: every label for training data, the name
    labels for the graphs. ``order="uncertainty"``: least sure documents first. ``base``: the
    Turtle IRIs' base."""

def render(
    docs: Iterable[Document],
    path: StrPath,
    *,
    title: Optional[str] = None,
    docs_per_page: int = 100,
    top: int = 10,
) -> list[Path]:
    """``nl-ner render``: the HTML report of ``docs``, its first page at ``path`` and further
    pages beside it; returns the files written, the first page first."""

def evaluate(
    gold: Sequence[StrPath],
    *,
    model: Optional[StrPath] = None,
    format: Literal["auto", "conll", "jsonl"] = "auto",
    labels: Optional[Sequence[str]] = None,
    gazetteers: Sequence[StrPath] = (),
    domain: bool = True,
    rules_only: bool = False,
    seen: Sequence[StrPath] = (),
    by_rule: bool = False,
) -> dict[str, Any]:
    """``nl-ner eval GOLD... --json``: the scores of the pipeline (``model``; the rules alone with
    ``rules_only=True``, i.e. ``--no-model``; ``domain=False`` is ``--no-domain``) on the gold
    files, all together, as the dict the command line prints; with ``by_rule=True`` the dict of
    ``--by-rule --json``, ``{"scores": ..., "by_rule": ...}``."""

def evaluate_relations(
    gold: Sequence[StrPath],
    relations: Sequence[StrPath],
    *,
    model: Optional[StrPath] = None,
    gazetteers: Sequence[StrPath] = (),
    domain: bool = True,
    stage: Literal["both", "rules", "classifier"] = "both",
    gold_entities: bool = False,
) -> dict[str, Any]:
    """``nl-ner eval GOLD... --relations FILE... --json``: the relation scores (the second JSON
    document the command line prints) on the documents of the JSONL ``gold`` files;
    ``stage`` is ``--relation-stage``, ``gold_entities`` ``--gold-entities``."""
