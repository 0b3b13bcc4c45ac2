"""The binding's output is the command line's, byte for byte, on every document of corpus/."""

import json

import nl_ner
from conftest import LETTER, ROOT, read_text


def test_annotate_gives_the_cli_line_of_every_corpus_document(pipe, corpus_lines, corpus_docs):
    got = [pipe.annotate(text, id=doc_id).to_json() for doc_id, text in corpus_docs]
    mismatched = [doc_id for (doc_id, _), a, b in zip(corpus_docs, got, corpus_lines) if a != b]
    assert not mismatched, f"{len(mismatched)} documents differ, first {mismatched[:3]}"


def test_annotate_many_gives_the_cli_output_in_order(corpus_lines, corpus_docs):
    pipe = nl_ner.Pipeline(threads=2)
    records = ({"id": doc_id, "text": text} for doc_id, text in corpus_docs)
    got = [d.to_json() for d in pipe.annotate_many(records, batch_size=7)]
    assert len(got) == len(corpus_lines)
    assert "\n".join(got) == "\n".join(corpus_lines)


def test_the_letter_from_a_plain_open_read(pipe, cli):
    """The issue's example: `Pipeline().annotate(open(letter).read())` has the CLI's entities."""
    out = cli("extract", LETTER, "--quiet")
    assert out.returncode == 0, out.stderr
    want = json.loads(out.stdout)
    with open(ROOT / LETTER, encoding="utf-8") as f:
        doc = pipe.annotate(f.read())
    assert doc.text == want["text"]  # no BOM and no CRLF in the letter: open().read() is exact
    assert [e.to_dict() for e in doc.entities] == want["entities"]
    assert doc.to_dict()["entities"] == want["entities"]
    assert [list(s) for s in doc.sentences] == want["sentences"]
    assert len(doc.entities) > 50


def test_fields_carried_through_and_offsets_are_str_indices(pipe, cli):
    text = read_text(LETTER)
    record = {"id": "brief-1", "bron": {"kamer": "TK", "jaar": 2026}, "text": text}
    line = json.dumps(record, ensure_ascii=False)
    out = cli("extract", "-", "--quiet", input=line + "\n")
    assert out.returncode == 0, out.stderr
    (doc,) = pipe.annotate_many([record])
    assert doc.to_json() == out.stdout.rstrip("\n")
    assert doc.to_dict()["bron"] == {"kamer": "TK", "jaar": 2026}
    for e in doc.entities:
        assert doc.text[e.start : e.end] == e.text
        assert 0 <= e.score <= 1 and e.source in ("model", "gazetteer", "acronym", "pattern")
        assert e.entity_id and ":" in e.entity_id

