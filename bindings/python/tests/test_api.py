"""The Python API: fields, streaming, parallelism without the GIL, errors as the CLI words them."""

import json
import re
import threading
import time

import pytest

import nl_ner
from conftest import LETTER, read_text

CLI_ERROR = "nl-ner: error: "


def test_entities_have_the_schema_fields(pipe):
    """The example of the library's documentation (src/lib.rs), from Python."""
    doc = pipe.annotate("Minister Brekelmans sprak in Brussel met de NAVO over het Nationaal Groeifonds.", id="d1")
    assert doc.id == "d1" and len(doc) == len(doc.entities) == 4
    assert [(e.text, e.label, e.entity_id) for e in doc.entities] == [
        ("Brekelmans", "PER", "per:brekelmans"),
        ("Brussel", "LOC", "loc:brussels"),
        ("NAVO", "ORG", "org:navo"),
        ("Nationaal Groeifonds", "INITIATIVE", "initiative:groeifonds"),
    ]
    navo = doc.entities[2]
    assert (navo.start, navo.end) == (44, 48) and doc.text[44:48] == "NAVO"
    assert [e.to_dict() for e in doc.entities] == doc.to_dict()["entities"]
    assert doc.to_dict()["id"] == "d1" and doc.sentences == [(0, len(doc.text))]
    assert doc.entities == pipe.annotate(doc.text, id="other").entities


def test_annotate_many_streams_lazily_and_keeps_input_order(pipe):
    texts = [read_text(LETTER)[: 200 * (i % 5 + 1)] + f" Minister {i}." for i in range(23)]
    pulled = []

    def source():
        for i, t in enumerate(texts):
            pulled.append(i)
            yield t

    it = pipe.annotate_many(source(), batch_size=4)
    first = next(it)
    assert len(pulled) == 8, "the batch yielded and the one being annotated are read, no more"
    rest = list(it)
    docs = [first, *rest]
    assert [d.id for d in docs] == [str(i) for i in range(23)]
    assert [d.text for d in docs] == texts
    assert [d.to_json() for d in docs] == [pipe.annotate(t, id=str(i)).to_json() for i, t in enumerate(texts)]


def test_an_error_in_the_input_comes_after_the_documents_before_it(pipe):
    def source():
        yield "Den Haag."
        yield "Brussel."
        raise RuntimeError("input broke")

    it = pipe.annotate_many(source(), batch_size=10)
    assert next(it).text == "Den Haag."
    assert next(it).text == "Brussel."
    with pytest.raises(RuntimeError, match="input broke"):
        next(it)


def test_annotate_many_releases_the_gil(pipe):
    """While the pool annotates, another Python thread keeps running (the GIL is released)."""
    text = read_text(LETTER)
    n = 40
    while True:
        # Enough work to measure on any machine: grow the batch until the run takes 0.2 s.
        texts = [text] * n
        done = []
        started = time.perf_counter()
        worker = threading.Thread(target=lambda: done.append(sum(1 for _ in pipe.annotate_many(texts, batch_size=n))))
        ticks = []
        worker.start()
        while worker.is_alive():
            ticks.append(time.perf_counter())
            time.sleep(0.001)
        took = time.perf_counter() - started
        worker.join()
        assert done == [n]
        if took > 0.2 or n >= 40 * 4**4:
            break
        n *= 4
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    # With the GIL held for the batch, this thread would stall for the whole of it.
    assert took > 0.2 and max(gaps) < took / 3, f"longest stall {max(gaps):.3f} s of {took:.3f} s"


def test_threads_and_domain_options(pipe):
    assert nl_ner.Pipeline(threads=1).threads == 1
    text = read_text(LETTER)
    model_only = nl_ner.Pipeline(domain=False).annotate(text)
    assert {e.source for e in model_only.entities} == {"model"}
    assert {e.source for e in pipe.annotate(text).entities} > {"model"}
    with pytest.raises(ValueError, match="domain=False"):
        nl_ner.Pipeline(domain=False, gazetteers=["x.tsv"])
    with pytest.raises(ValueError, match="batch_size"):
        pipe.annotate_many(["x"], batch_size=0)
    with pytest.raises(TypeError, match="item 1 is a int"):
        list(pipe.annotate_many(["x", 3]))


def test_a_user_gazetteer_is_used_as_by_the_cli(tmp_path, cli):
    gaz = tmp_path / "extra.tsv"
    gaz.write_text("Regionale Ontwikkelingsbank Zuid\tORG\torg:rob-zuid\tROBZ\n", encoding="utf-8")
    text = "De Regionale Ontwikkelingsbank Zuid (ROBZ) opent een loket. ROBZ is klaar."
    doc = nl_ner.Pipeline(gazetteers=[gaz]).annotate(text, id="-")
    assert any(e.entity_id == "org:rob-zuid" for e in doc.entities), doc.entities
    out = cli("extract", "--gazetteer", gaz, "-", "--quiet", input=text)
    assert out.returncode == 0, out.stderr
    want = json.loads(out.stdout)
    assert doc.to_dict()["entities"] == want["entities"]


@pytest.mark.parametrize(
    "kind",
    ["missing model", "corrupt model", "missing gazetteer", "bad gazetteer"],
)
def test_errors_are_nl_ner_errors_with_the_cli_message(tmp_path, cli, kind):
    bad = tmp_path / "bad"
    if kind == "corrupt model":
        bad.write_bytes(b"not a model at all")
    if kind == "bad gazetteer":
        bad.write_text("een naam zonder tabs\n", encoding="utf-8")
    if kind.endswith("model"):
        args, kwargs = ["--model", bad], {"model": str(bad)}
    else:
        args, kwargs = ["--gazetteer", bad], {"gazetteers": [bad]}
    out = cli("extract", *args, LETTER, "--quiet")
    assert out.returncode == 2 and out.stderr.startswith(CLI_ERROR), out.stderr
    with pytest.raises(nl_ner.NlNerError) as raised:
        nl_ner.Pipeline(**kwargs)
    assert str(raised.value) == out.stderr[len(CLI_ERROR) :].rstrip("\n")


def test_a_bad_record_is_an_error_with_the_cli_reason(pipe, cli):
    out = cli("extract", "-", "--quiet", input='{"id": "x", "tekst": "Den Haag"}\n')
    # "nl-ner: skipped <stdin>:1: no `text` field (its string fields: `tekst`; ...)"
    reason = out.stderr.split("<stdin>:1: ", 1)[-1].strip()
    assert reason.startswith("no `text` field (its string fields: `tekst`"), out.stderr
    it = pipe.annotate_many([{"id": "x", "tekst": "Den Haag"}, "Den Haag."])
    with pytest.raises(nl_ner.NlNerError, match="^item 0: " + re.escape(reason) + "$"):
        next(it)
    assert next(it).text == "Den Haag."


def test_relations_are_typed_objects_with_their_entities(pipe):
    text = read_text(LETTER)
    doc = pipe.annotate(text)
    line = doc.to_dict()
    relations = doc.relations
    assert len(relations) == len(line["relations"]) >= 5
    entities = doc.entities
    for r, want in zip(relations, line["relations"]):
        assert isinstance(r, nl_ner.Relation)
        assert r.to_dict() == want
        assert r.type in ("role", "member_of", "participates_in")
        assert r.head == entities[r.head_index]
        assert r.tail == (None if r.tail_index is None else entities[r.tail_index])
        if r.type == "role":
            assert r.head.label == "PER"
            assert text[r.role_start : r.role_end] == r.role
        else:
            assert r.role is None and r.tail is not None
        assert 0 <= r.score <= 1
    assert {"role", "participates_in"} <= {r.type for r in relations}
    assert "Relation(type=" in repr(relations[0])
    assert nl_ner.Pipeline(relations=False).annotate(text).relations is None


def test_the_document_date(pipe):
    doc = pipe.annotate(read_text(LETTER))
    assert doc.date == "2026-03-04"
    assert doc.to_dict()["document_date"]["date"] == doc.date
    assert pipe.annotate("Geen datum hier.").date is None
    (dated,) = pipe.annotate_many([{"id": "x", "date": "2025-03-12", "text": "Den Haag, 4 maart 2026"}])
    assert dated.date == "2025-03-12"
