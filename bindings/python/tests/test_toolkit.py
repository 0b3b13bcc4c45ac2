"""The command line's verbs from Python (issue 25 item 3): read, extract, entities, export,
evaluate, render, and `Document._repr_html_`. Each gives what the command line gives on the same
documents, byte for byte; bad arguments are a TypeError or ValueError naming the argument, a
missing file an NlNerError naming the file."""

import json
import re
from html.parser import HTMLParser

import pytest

import nl_ner
from conftest import LETTER, ROOT

GOLD = "corpus/gold/govtexts-dev.jsonl"
RELATION_ENTITY_GOLD = ["corpus/gold/govtexts-test.jsonl", "corpus/gold/test.jsonl"]
RELATION_GOLD = ["corpus/gold/relations/test.jsonl"]


@pytest.fixture(scope="session")
def extracted(tmp_path_factory, corpus_lines):
    """corpus/'s extract output as a file (the command line's lines)."""
    path = tmp_path_factory.mktemp("extract") / "corpus.jsonl"
    path.write_text("".join(line + "\n" for line in corpus_lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def annotated(corpus_docs):
    """corpus/ annotated in Python (never written to a file)."""
    pipe = nl_ner.Pipeline()
    return list(pipe.annotate_many({"id": i, "text": t} for i, t in corpus_docs))


def ok(out):
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_read_gives_back_the_documents_of_extract_output(extracted, corpus_lines):
    docs = nl_ner.read([extracted])
    assert [d.to_json() for d in docs] == corpus_lines
    assert all(isinstance(d, nl_ner.Document) for d in docs)


def test_read_a_bad_line_raises_naming_the_file_and_line_or_is_skipped_with_a_warning(tmp_path, corpus_lines):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(corpus_lines[0] + "\n{not json\n" + corpus_lines[1] + "\n", encoding="utf-8")
    with pytest.raises(nl_ner.NlNerError, match=r"bad\.jsonl:2: not an nl-ner document"):
        nl_ner.read([bad])
    with pytest.warns(RuntimeWarning, match=r"skipped .*bad\.jsonl:2"):
        docs = nl_ner.read([bad], skip_bad_lines=True)
    assert [d.to_json() for d in docs] == corpus_lines[:2]
    with pytest.raises(nl_ner.NlNerError, match=r"nope\.jsonl"):
        nl_ner.read([tmp_path / "nope.jsonl"], skip_bad_lines=True)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"format": "csv"},
        {"format": "json", "sort": "name"},
        {"format": "csv", "labels": ["per", "Org"], "relations": False},
        {"format": "table", "sort": "documents", "labels": ["PER"]},
    ],
)
def test_entities_is_the_cli_table(annotated, extracted, cli, options):
    def args(format):
        out = ["entities", extracted, "--format", format]
        if "sort" in options:
            out += ["--sort", options["sort"]]
        if "labels" in options:
            out += ["--labels", ",".join(options["labels"])]
        if options.get("relations") is False:
            out.append("--no-relations")
        return out

    want = ok(cli(*args(options.get("format", "table"))))
    assert nl_ner.entities(annotated, **{"format": "table", **options}) == want
    rows = nl_ner.entities(annotated, **{k: v for k, v in options.items() if k != "format"})
    assert rows == [json.loads(line) for line in ok(cli(*args("json"))).splitlines()]


def test_entities_rows_and_files(annotated, tmp_path, cli, extracted):
    rows = nl_ner.entities(annotated)
    navo = next(r for r in rows if r["id"] == "org:navo")
    assert navo["label"] == "ORG" and navo["mentions"] > 10 and navo["documents"][0]["id"]
    assert rows[0]["mentions"] >= rows[-1]["mentions"]
    assert nl_ner.entities(iter(annotated)) == rows, "any iterable of documents, a generator too"
    assert nl_ner.entities(annotated, path=tmp_path / "e.csv") is None
    assert (tmp_path / "e.csv").read_text(encoding="utf-8") == ok(cli("entities", extracted, "--format", "csv"))
    nl_ner.entities(annotated, path=tmp_path / "e.jsonl")
    assert (tmp_path / "e.jsonl").read_text(encoding="utf-8") == ok(cli("entities", extracted, "--format", "json"))
    with pytest.raises(ValueError, match="give format="):
        nl_ner.entities(annotated, path=tmp_path / "e.xlsx")


@pytest.mark.parametrize(
    "format, options",
    [
        ("conll", {}),
        ("spacy", {"labels": ["PER", "LOC"]}),
        ("doccano", {"order": "uncertainty"}),
        ("labelstudio", {}),
        ("turtle", {"base": "https://example.org/ner/"}),
        ("docbin", {}),
    ],
)
def test_export_is_the_cli_export(annotated, extracted, cli, tmp_path, format, options):
    args = ["export", "--format", format, extracted, "-o", tmp_path / "cli.out"]
    if "labels" in options:
        args += ["--labels", ",".join(options["labels"])]
    if "order" in options:
        args += ["--order", options["order"]]
    if "base" in options:
        args += ["--base", options["base"]]
    ok(cli(*args))
    want = (tmp_path / "cli.out").read_bytes()
    got = nl_ner.export(annotated, format, **options)
    assert isinstance(got, bytes if format == "docbin" else str)
    assert (got if format == "docbin" else got.encode()) == want
    assert nl_ner.export(annotated, format, tmp_path / "py.out", **options) is None
    assert (tmp_path / "py.out").read_bytes() == want


def test_export_neo4j_writes_the_cli_directory(annotated, extracted, cli, tmp_path):
    ok(cli("export", "--format", "neo4j", extracted, "-o", tmp_path / "cli"))
    nl_ner.export(annotated, "neo4j", tmp_path / "py")
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "py").iterdir()) and len(names) > 3
    for name in names:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    with pytest.raises(ValueError, match="neo4j.*directory"):
        nl_ner.export(annotated, "neo4j")


def test_export_of_documents_read_back_and_of_output_without_ids(extracted, corpus_lines, cli, tmp_path):
    """Documents from `read`, and from output written without entity ids (linked on reading
    with the built-in gazetteers, as the command line links them)."""
    docs = nl_ner.read([extracted])
    assert nl_ner.export(docs, "conll") == ok(cli("export", "--format", "conll", extracted))
    unlinked = tmp_path / "unlinked.jsonl"
    lines = []
    for line in corpus_lines[:20]:
        record = json.loads(line)
        for e in record["entities"]:
            del e["entity_id"]
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    unlinked.write_text("".join(lines), encoding="utf-8")
    docs = nl_ner.read([unlinked])
    assert all(e.entity_id for d in docs for e in d.entities)
    assert nl_ner.export(docs, "turtle") == ok(cli("export", "--format", "turtle", unlinked))
    assert nl_ner.entities(docs, format="csv") == ok(cli("entities", unlinked, "--format", "csv"))


def test_render_writes_the_cli_report(annotated, extracted, cli, tmp_path):
    (tmp_path / "cli").mkdir()
    (tmp_path / "py").mkdir()
    ok(cli("render", extracted, "-o", tmp_path / "cli" / "report.html", "--title", "Brieven", "--docs-per-page", "150"))
    written = nl_ner.render(annotated, tmp_path / "py" / "report.html", title="Brieven", docs_per_page=150)
    assert [p.name for p in written][0] == "report.html" and len(written) == 3
    names = sorted(p.name for p in (tmp_path / "cli").iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in written)
    for name in names:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    with pytest.raises(ValueError, match="docs_per_page"):
        nl_ner.render(annotated, tmp_path / "r.html", docs_per_page=0)


def cli_json(text):
    """The JSON documents the command line prints one after another (`eval --relations --json`)."""
    decoder, at, out = json.JSONDecoder(), 0, []
    while text[at:].strip():
        value, end = decoder.raw_decode(text[at:].lstrip())
        at = len(text) - len(text[at:].lstrip()) + end
        out.append(value)
    return out


def test_evaluate_gives_the_cli_json(cli):
    assert nl_ner.evaluate([GOLD]) == cli_json(ok(cli("eval", GOLD, "--json")))[0]
    by_rule = nl_ner.evaluate([GOLD], rules_only=True, labels=["org", "loc"], by_rule=True)
    want = cli_json(ok(cli("eval", GOLD, "--no-model", "--labels", "ORG,LOC", "--json", "--by-rule")))[0]
    assert by_rule == want and set(by_rule) == {"scores", "by_rule"}
    assert nl_ner.evaluate([GOLD], domain=False) == cli_json(ok(cli("eval", GOLD, "--no-domain", "--json")))[0]


def test_evaluate_relations_gives_the_cli_json(cli):
    args = ["eval", *RELATION_ENTITY_GOLD, "--relations", *RELATION_GOLD, "--json", "--relation-stage", "rules"]
    _, want = cli_json(ok(cli(*args)))
    got = nl_ner.evaluate_relations(RELATION_ENTITY_GOLD, RELATION_GOLD, stage="rules")
    assert got == want
    with pytest.raises(ValueError, match=r"stage: 'all' is not one of 'both', 'rules', 'classifier'"):
        nl_ner.evaluate_relations(RELATION_ENTITY_GOLD, RELATION_GOLD, stage="all")


def test_extract_writes_the_cli_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the documents' ids are their paths as given
    ok(cli("extract", "corpus/letters", "corpus/moties", "-o", tmp_path / "cli.jsonl", "--quiet"))
    summary = nl_ner.extract(["corpus/letters", "corpus/moties"], tmp_path / "py.jsonl")
    assert (tmp_path / "py.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()
    lines = (tmp_path / "py.jsonl").read_text(encoding="utf-8").splitlines()
    assert summary["documents"] == len(lines) > 10 and summary["skipped"] == []
    assert summary["entities"] == sum(len(json.loads(line)["entities"]) for line in lines)
    pipe = nl_ner.Pipeline(domain=False, relations=False)
    nl_ner.extract([LETTER], tmp_path / "model.jsonl", pipeline=pipe)
    ok(cli("extract", LETTER, "--no-domain", "--no-relations", "-o", tmp_path / "model-cli.jsonl", "--quiet"))
    assert (tmp_path / "model.jsonl").read_bytes() == (tmp_path / "model-cli.jsonl").read_bytes()


def test_extract_skips_a_missing_input_naming_it_and_keeps_the_rest(tmp_path):
    missing = tmp_path / "nope.txt"
    summary = nl_ner.extract([missing, ROOT / LETTER], tmp_path / "out.jsonl")
    assert summary["documents"] == 1
    ((skipped),) = summary["skipped"]
    assert "nope.txt" in skipped["input"] and skipped["reason"]
    (tmp_path / "keep.jsonl").write_text("old\n", encoding="utf-8")
    summary = nl_ner.extract([missing], tmp_path / "keep.jsonl")
    assert summary["documents"] == 0 and len(summary["skipped"]) == 1
    assert (tmp_path / "keep.jsonl").read_text(encoding="utf-8") == "old\n", "nothing written when all failed"
    with pytest.raises(nl_ner.NlNerError, match="input"):
        nl_ner.extract([ROOT / LETTER], ROOT / LETTER)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nl_ner.read("out.jsonl"), r"paths: pass a list of paths, not a single str \(for one: paths=\['out.jsonl'\]\)"),
        (lambda: nl_ner.entities("out.jsonl"), r"docs: pass a list of nl_ner.Document"),
        (lambda: nl_ner.export("out.jsonl", "conll"), r"docs: pass a list of nl_ner.Document"),
        (lambda: nl_ner.render("out.jsonl", "r.html"), r"docs: pass a list of nl_ner.Document"),
        (lambda: nl_ner.evaluate(GOLD), r"gold: pass a list of paths, not a single str"),
        (lambda: nl_ner.extract(LETTER, "o.jsonl"), r"inputs: pass a list of paths, not a single str"),
        (lambda: nl_ner.Pipeline(gazetteers="extra.tsv"), r"gazetteers: pass a list of paths, not a single str"),
        (lambda: nl_ner.Pipeline().annotate_many("Den Haag"), r"documents: pass a list of texts or dicts, not a single str"),
        (lambda: nl_ner.entities([{"text": "x"}]), r"docs: item 0 is a dict, not an nl_ner.Document"),
        (lambda: nl_ner.entities(3), r"docs: pass a list of nl_ner.Document .*, not a int"),
        (lambda: nl_ner.evaluate([GOLD], labels="PER"), r"labels: pass a list of labels, not a single str"),
        (lambda: nl_ner.evaluate([GOLD, 3]), r"gold: item 1 is a int, not a path"),
    ],
)
def test_a_wrong_type_is_a_type_error_naming_the_argument(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_a_single_document_or_path_is_refused_too(pipe):
    doc = pipe.annotate("Den Haag.")
    with pytest.raises(TypeError, match=r"docs: pass a list .*, not a single Document \(for one: docs=\[Document"):
        nl_ner.entities(doc)
    with pytest.raises(TypeError, match=r"paths: pass a list of paths, not a single PosixPath"):
        nl_ner.read(ROOT / "x.jsonl")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: nl_ner.export(d, "excel"), r"format: 'excel' is not one of 'conll', 'spacy', 'docbin'"),
        (lambda d: nl_ner.export(d, "conll", order="random"), r"order: 'random' is not one of"),
        (lambda d: nl_ner.export(d, "turtle", base="relative/"), r"base: "),
        (lambda d: nl_ner.entities(d, sort="size"), r"sort: 'size' is not one of 'mentions'"),
        (lambda d: nl_ner.entities(d, labels=["PERSON"]), r"labels: unknown label 'PERSON'; the labels are PER, ORG"),
        (lambda d: nl_ner.evaluate([GOLD], format="xml"), r"format: 'xml' is not one of 'auto', 'conll', 'jsonl'"),
    ],
)
def test_a_wrong_value_is_a_value_error_naming_the_argument(pipe, call, message):
    with pytest.raises(ValueError, match=message):
        call([pipe.annotate("Den Haag.")])


def test_a_missing_file_is_an_nl_ner_error_naming_it(tmp_path):
    for call in (
        lambda p: nl_ner.evaluate([p]),
        lambda p: nl_ner.evaluate_relations([GOLD], [p]),
        lambda p: nl_ner.evaluate([GOLD], seen=[p]),
        lambda p: nl_ner.Pipeline(gazetteers=[p]),
    ):
        with pytest.raises(nl_ner.NlNerError, match=re.escape(str(tmp_path / "gone.jsonl"))):
            call(tmp_path / "gone.jsonl")


def test_an_output_in_a_missing_directory_is_an_nl_ner_error_naming_it(pipe, tmp_path):
    docs = [pipe.annotate("De NAVO in Brussel.")]
    for call in (
        lambda p: nl_ner.export(docs, "conll", p),
        lambda p: nl_ner.entities(docs, format="csv", path=p),
        lambda p: nl_ner.render(docs, p),
    ):
        with pytest.raises(nl_ner.NlNerError, match=re.escape(str(tmp_path / "no" / "such"))):
            call(tmp_path / "no" / "such" / "out.html")


def test_the_transformer_says_how_to_use_it_from_python():
    with pytest.raises(nl_ner.NlNerError) as raised:
        nl_ner.Pipeline(model="transformer")
    message = str(raised.value)
    assert "the nl_ner Python package has no transformer" in message
    assert "nl-ner extract --model transformer" in message and "nl_ner.read" in message
    with pytest.raises(nl_ner.NlNerError, match="has no transformer"):
        nl_ner.evaluate([GOLD], model="transformer")


class Marks(HTMLParser):
    """The text of an HTML fragment outside its label badges, and its marks with their offsets."""

    def __init__(self):
        super().__init__()
        self.text, self.marks, self.tags, self._badge, self._mark = "", [], set(), 0, None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        if tag == "span" and attrs.get("class") == "nl-ner-label":
            self._badge += 1
        if tag == "mark":
            self._mark = {**attrs, "at": len(self.text)}

    def handle_endtag(self, tag):
        if tag == "span" and self._badge:
            self._badge -= 1
        if tag == "mark":
            self._mark["text"] = self.text[self._mark["at"] :]
            self.marks.append(self._mark)
            self._mark = None

    def handle_data(self, data):
        if not self._badge:
            self.text += data


def text_and_marks(html):
    """The document text of `_repr_html_` (the second div's, badges left out) and its marks."""
    body = html.split('line-height:2.1;">', 1)[1]
    parser = Marks()
    parser.feed(body.rsplit("</div>", 2)[0])
    return parser.text, parser.marks, html


def test_repr_html_highlights_each_entity_at_its_offsets_in_the_reports_colours(pipe, cli, tmp_path):
    text = (ROOT / LETTER).read_text(encoding="utf-8")
    doc = pipe.annotate(text, id="brief <1> & \"zo\"")
    got, marks, html = text_and_marks(doc._repr_html_())
    assert got == doc.text
    assert [(int(m["data-start"]), int(m["data-end"]), m["data-label"]) for m in marks] == [
        (e.start, e.end, e.label) for e in doc.entities
    ]
    assert all(m["text"] == doc.text[int(m["data-start"]) : int(m["data-end"])] for m in marks)
    assert [m["data-id"] for m in marks] == [e.entity_id for e in doc.entities]
    assert "brief &#60;1&#62; &#38; &#34;zo&#34;" in html or "brief &lt;1&gt; &amp; &quot;zo&quot;" in html
    assert "<script" not in html and "<style" not in html and "http" not in html
    # The colours of the report `nl-ner render` writes.
    (tmp_path / "d.jsonl").write_text(doc.to_json() + "\n", encoding="utf-8")
    ok(cli("render", tmp_path / "d.jsonl", "-o", tmp_path / "r.html"))
    css = (tmp_path / "r.html").read_text(encoding="utf-8")
    for m in marks:
        colour = re.search(r'\[data-label="%s"\] \{ --c: (#[0-9a-f]+);' % m["data-label"], css).group(1)
        assert f"background:{colour};" in m["style"], m


def test_repr_html_escapes_markup_in_the_text(pipe):
    doc = pipe.annotate('<script>alert("x")</script> De NAVO & <b>Brussel</b>.')
    got, marks, html = text_and_marks(doc._repr_html_())
    assert "<script>" not in html and "<b>Brussel" not in html
    assert got == doc.text
    assert [m["text"] for m in marks] == [e.text for e in doc.entities] and "NAVO" in [m["text"] for m in marks]
