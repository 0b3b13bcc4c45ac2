"""The spaCy component with the real spaCy: entry point, doc.ents, extensions, nothing lost."""

import json
import subprocess
import sys

import pytest

import spacy  # a hard requirement here: CI installs it (never skipped)
from spacy.tokens import Doc  # noqa: E402

import nl_ner  # noqa: E402

from conftest import LETTER, read_text  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("nl")
    nlp.add_pipe("nl_ner", config={"batch_size": 16})
    return nlp


def test_spacy_finds_the_component_by_its_entry_point():
    """A fresh interpreter that never imports nl_ner: spaCy loads it through `spacy_factories`."""
    code = (
        "import spacy, json\n"
        "nlp = spacy.blank('nl'); nlp.add_pipe('nl_ner')\n"
        "doc = nlp('Minister Brekelmans sprak in Brussel met de NAVO.')\n"
        "print(json.dumps([(e.text, e.label_, e._.entity_id, e._.source) for e in doc.ents]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    ents = json.loads(out.stdout)
    assert ["NAVO", "ORG", "org:navo"] in [e[:3] for e in ents], ents


def pipe_entities(doc):
    """The entities of ``doc._.nl_ner`` as ``nl_ner.Entity``-like objects (attribute access)."""

    class E:
        def __init__(self, d):
            self.start, self.end, self.label = d["start"], d["end"], d["label"]
            self.entity_id, self.source = d.get("entity_id"), d["source"]

    return [E(d) for d in doc._.nl_ner["entities"]]


def check_doc(doc):
    """Every nl-ner entity is in doc.spans["nl_ner"], token-aligned around its exact offsets;
    doc.ents is a non-overlapping subset with its extensions filled. Returns (expanded, left out)."""
    result = doc._.nl_ner
    spans = list(doc.spans["nl_ner"])
    entities = [e for e in result["entities"] if e["text"].strip()]
    assert len(spans) == len(entities), "an entity was lost"
    expanded = 0
    for e, span in zip(entities, spans):
        assert span.start_char <= e["start"] and e["end"] <= span.end_char and span.label_ == e["label"]
        assert span.kb_id_ == e.get("entity_id", "")
        expanded += (span.start_char, span.end_char) != (e["start"], e["end"])
    ent_keys = {(s.start_char, s.end_char, s.label_) for s in doc.ents}
    assert ent_keys <= {(s.start_char, s.end_char, s.label_) for s in spans}
    for ent in doc.ents:
        assert ent._.entity_id and ent._.source in ("model", "gazetteer", "acronym", "pattern")
        assert 0 <= ent._.score <= 1
    return expanded, len(spans) - len(doc.ents)


def test_the_letter_gets_every_entity_with_its_extensions(nlp, pipe):
    text = read_text(LETTER)
    doc = nlp(text)
    want = pipe.annotate(text).entities
    assert doc._.nl_ner == pipe.annotate(text).to_dict()
    check_doc(doc)
    exact = {(e.start, e.end): e for e in want}
    aligned = [ent for ent in doc.ents if (ent.start_char, ent.end_char) in exact]
    assert len(aligned) > 0.8 * len(want)
    for ent in aligned:
        e = exact[(ent.start_char, ent.end_char)]
        assert (ent.label_, ent._.entity_id, ent._.source, ent._.score) == (e.label, e.entity_id, e.source, e.score)


def test_nlp_pipe_batches_through_annotate_many_with_the_same_result(nlp, corpus_docs):
    component = nlp.get_pipe("nl_ner")
    calls = []
    real = component.pipeline

    class Counting:
        def annotate_many(self, texts, batch_size):
            calls.append(batch_size)
            return real.annotate_many(texts, batch_size=batch_size)

        def annotate(self, text):
            return real.annotate(text)

    component.pipeline = Counting()
    try:
        texts = [text for _, text in corpus_docs]
        docs = list(nlp.pipe(texts, batch_size=16))
    finally:
        component.pipeline = real
    assert calls == [16], "one annotate_many for the whole stream, in batches of 16"
    expanded = left_out = 0
    for doc in docs:
        x, y = check_doc(doc)
        expanded += x
        left_out += y
    # corpus/ has entities inside spaCy tokens (`NAVO-bondgenoten`): they are kept, expanded.
    assert expanded > 0
    one = nlp(texts[5])
    assert [(e.start, e.end, e.label_) for e in one.ents] == [(e.start, e.end, e.label_) for e in docs[5].ents]


def test_two_entities_in_one_token_keep_one_in_ents_and_both_in_spans(nlp):
    words = ["De", "NAVO/EU-top", "in", "Brussel", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, True, False, False])
    doc = nlp.get_pipe("nl_ner")(doc)
    inside = [e for e in pipe_entities(doc) if 3 <= e.start and e.end <= 14]
    assert len(inside) >= 2, doc._.nl_ner["entities"]
    expanded, left_out = check_doc(doc)
    assert left_out == len(inside) - 1
    assert [s.text for s in doc.spans["nl_ner"]].count("NAVO/EU-top") == len(inside)
    (kept,) = [e for e in doc.ents if e.text == "NAVO/EU-top"]
    widest = max(inside, key=lambda e: e.end - e.start)
    assert (kept.label_, kept._.entity_id, kept._.source) == (widest.label, widest.entity_id, widest.source)
    assert "Brussel" in [e.text for e in doc.ents]


def relations_of(doc):
    """``doc._.relations`` as comparable tuples: type, head, tail, role (text and offsets), score."""

    def key(span):
        return None if span is None else (span.start_char, span.end_char, span.text, span.label_)

    return [(r["type"], key(r["head"]), key(r["tail"]), key(r["role"]), r["score"]) for r in doc._.relations]


def test_relations_are_spans_of_the_doc_and_sentences_are_nl_ners(nlp, pipe):
    text = read_text(LETTER)
    doc = nlp(text)
    result = pipe.annotate(text)
    assert len(doc._.relations) == len(result.relations) >= 5
    for r, want in zip(doc._.relations, result.relations):
        assert r["type"] == want.type and r["score"] == want.score
        head = r["head"]
        assert head.start_char <= want.head.start and want.head.end <= head.end_char
        assert head.label_ == want.head.label
        if want.tail is None:
            assert r["tail"] is None
        else:
            assert r["tail"].start_char <= want.tail.start and want.tail.end <= r["tail"].end_char
        if want.role is None:
            assert r["role"] is None
        else:
            assert r["role"].start_char <= want.role_start and want.role_end <= r["role"].end_char
            assert want.role in r["role"].text
    roles = [r for r in doc._.relations if r["type"] == "role"]
    assert roles and all(r["head"].label_ == "PER" for r in roles)
    # doc.sents are nl-ner's sentences, each aligned to whole tokens.
    sents = list(doc.sents)
    assert len(sents) == len(result.sentences)
    for sent, (start, end) in zip(sents, result.sentences):
        assert sent.start_char <= start < sent.end_char


def test_a_component_doc_survives_docbin_to_bytes_and_pickle(nlp):
    import pickle

    from spacy.tokens import DocBin

    doc = nlp(read_text(LETTER))

    def same(other):
        assert [(e.start, e.end, e.label_, e.kb_id_) for e in other.ents] == [
            (e.start, e.end, e.label_, e.kb_id_) for e in doc.ents
        ]
        assert [(e._.entity_id, e._.source, e._.score) for e in other.ents] == [
            (e._.entity_id, e._.source, e._.score) for e in doc.ents
        ]
        assert [(s.start, s.end) for s in other.spans["nl_ner"]] == [(s.start, s.end) for s in doc.spans["nl_ner"]]
        assert [(s.start, s.end) for s in other.sents] == [(s.start, s.end) for s in doc.sents]
        # msgpack (DocBin, to_bytes) reads lists back as tuples: the same data.
        assert json.loads(json.dumps(other._.nl_ner)) == doc._.nl_ner
        assert relations_of(other) == relations_of(doc)
        assert relations_of(other), "the letter has relations"

    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (back,) = DocBin(store_user_data=True).from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)
    same(back)
    same(Doc(nlp.vocab).from_bytes(doc.to_bytes()))
    same(pickle.loads(pickle.dumps(doc)))


def test_without_relations_the_extension_is_none():
    nlp = spacy.blank("nl")
    component = nlp.add_pipe("nl_ner")
    component.pipeline = nl_ner.Pipeline(relations=False)
    doc = nlp("De minister van Defensie,\nD. Yeşilgöz-Zegerius")
    assert doc._.relations is None
    assert spacy.blank("nl")("Geen component.")._.relations is None
