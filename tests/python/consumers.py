"""The training-data exports in their real consumers (run by tests/integration/consumers.rs).

    python tests/python/consumers.py NL_NER_BINARY EXTRACT_OUTPUT.jsonl WORK_DIR

Checks, with spaCy and seqeval from PyPI:
- spaCy/Prodigy JSONL: `Doc(vocab, words, spaces)` from the tokens is the text exactly, and every
  span is `doc.char_span(start, end, label)`; how many spans spaCy's own Dutch tokenizer cuts
  (`nlp(text)`) is printed.
- DocBin (`.spacy`): `DocBin().from_disk` gives every document with its text, its entities
  (`doc.ents`, offsets and labels) and its id; `spacy train` trains a blank Dutch NER pipeline on
  it for a few steps.
- CoNLL: `spacy convert --converter ner` gives one document per document, with its entities.
- `nl-ner eval --json` on CoNLL gold equals seqeval (conlleval mode) per label and micro.
Prints one line per check and `N passed, 0 failed` at the end; exits 1 on the first failure.
"""

import json
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

BINARY, EXTRACT, WORK = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ROOT = Path(__file__).resolve().parents[2]
nlp = spacy.blank("nl")
source = [json.loads(line) for line in EXTRACT.open(encoding="utf-8") if line.strip()]
want = [[(e["start"], e["end"], e["label"]) for e in d["entities"]] for d in source]
passed = 0


def check(ok, what):
    global passed
    if not ok:
        print(f"FAILED: {what}", flush=True)
        sys.exit(1)
    passed += 1
    print(f"ok: {what}", flush=True)


def nl_ner(*args):
    out = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
    check(out.returncode == 0, "nl-ner " + " ".join(map(str, args[:3])))
    return out.stdout


def export(fmt, path, src=EXTRACT):
    nl_ner("export", "--format", fmt, src, "-o", path)
    return path


# spaCy/Prodigy JSONL.
tasks = [json.loads(l) for l in export("spacy", WORK / "export-spacy.jsonl").open(encoding="utf-8")]
texts_equal = spans_found = n_spans = cut = 0
for task, doc_in in zip(tasks, source):
    doc = Doc(nlp.vocab, words=[t["text"] for t in task["tokens"]], spaces=[t["ws"] for t in task["tokens"]])
    texts_equal += doc.text == doc_in["text"]
    own = nlp(doc_in["text"])
    for s in task["spans"]:
        n_spans += 1
        span = doc.char_span(s["start"], s["end"], s["label"])
        spans_found += span is not None and (span.start, span.end - 1) == (s["token_start"], s["token_end"])
        cut += own.char_span(s["start"], s["end"]) is None
check(len(tasks) == len(source), f"spaCy JSONL: {len(tasks)} documents")
check(texts_equal == len(source), f"spaCy JSONL: Doc(words, spaces).text == text for {texts_equal} of {len(source)} documents")
check(spans_found == n_spans == sum(map(len, want)), f"spaCy JSONL: {spans_found} of {n_spans} spans are char_spans over their tokens")
print(f"note: spaCy's own Dutch tokenizer (nlp(text)) cuts {cut} of {n_spans} spans; use the exported tokens")

# DocBin.
docs = list(DocBin().from_disk(export("docbin", WORK / "export.spacy")).get_docs(nlp.vocab))
check(len(docs) == len(source), f"DocBin: {len(docs)} documents")
check(all(d.text == s["text"] for d, s in zip(docs, source)), "DocBin: every text exact")
got = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
check(got == want, f"DocBin: all {sum(map(len, want))} entities with their offsets and labels")
check([d.user_data.get("id") for d in docs] == [s["id"] for s in source], "DocBin: document ids in user_data")

# spacy train on a DocBin (three motions, two steps: that it reads and trains, not how well).
small = WORK / "small.jsonl"
motions = [s for s in source if "/moties/" in s["id"]][:3]
small.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in motions), encoding="utf-8")
export("docbin", WORK / "small.spacy", small)
cfg = WORK / "ner.cfg"
py = sys.executable
subprocess.run([py, "-m", "spacy", "init", "config", "-l", "nl", "-p", "ner", "-o", "efficiency", str(cfg)],
               check=True, capture_output=True)
train = subprocess.run([py, "-m", "spacy", "train", str(cfg), "--paths.train", str(WORK / "small.spacy"),
                        "--paths.dev", str(WORK / "small.spacy"), "--training.max_steps", "2",
                        "--training.eval_frequency", "1", "--output", str(WORK / "spacy-model")],
                       capture_output=True, text=True)
if train.returncode != 0:
    print(train.stdout[-3000:], train.stderr[-3000:])
check(train.returncode == 0 and (WORK / "spacy-model" / "model-last").is_dir(), "spacy train reads the DocBin and trains")

# CoNLL through spacy convert.
conll = export("conll", WORK / "export.conll")
conv = WORK / "converted"
conv.mkdir(exist_ok=True)
out = subprocess.run([py, "-m", "spacy", "convert", str(conll), str(conv), "--converter", "ner", "--file-type", "spacy"],
                     capture_output=True, text=True)
check(out.returncode == 0, "spacy convert --converter ner")
converted = list(DocBin().from_disk(conv / "export.spacy").get_docs(nlp.vocab))
with_tokens = [s for s in source if s["text"].strip()]
check(len(converted) == len(with_tokens), f"spacy convert: {len(converted)} documents for {len(with_tokens)} input documents")
squeeze = lambda t: "".join(t.split())
got = [[(squeeze(e.text), e.label_) for e in d.ents] for d in converted]
exp = [[(squeeze(e["text"]), e["label"]) for e in s["entities"]] for s in with_tokens]
check(got == exp, "spacy convert: every document's entities (words and labels) in order")

# seqeval against eval --json, on the predictions `eval --predictions` writes.
from seqeval.metrics import classification_report, precision_score, recall_score, f1_score

gold = ROOT / "data/conll2002-nl/ned.testa"
pred_file = WORK / "pred.txt"
scores = json.loads(nl_ner("eval", gold, "--json", "--predictions", pred_file))
y_true, y_pred, st, sp = [], [], [], []
for line in pred_file.read_text(encoding="utf-8").splitlines() + [""]:
    if line.strip():
        _, g, p = line.rsplit(" ", 2)
        st.append(g)
        sp.append(p)
    elif st:
        y_true.append(st)
        y_pred.append(sp)
        st, sp = [], []
report = classification_report(y_true, y_pred, output_dict=True, digits=6)
close = lambda a, b: abs(a - b) < 1e-9
for label, c in scores["per_label"].items():
    if c["tp"] + c["fn"] == 0:
        continue  # seqeval reports only labels with gold entities
    r = report[label]
    check(close(c["precision"], 100 * r["precision"]) and close(c["recall"], 100 * r["recall"])
          and close(c["f1"], 100 * r["f1-score"]), f"seqeval {label}: P {c['precision']:.2f} R {c['recall']:.2f} F1 {c['f1']:.2f}")
m = scores["micro"]
check(close(m["precision"], 100 * precision_score(y_true, y_pred)) and close(m["recall"], 100 * recall_score(y_true, y_pred))
      and close(m["f1"], 100 * f1_score(y_true, y_pred)), f"seqeval micro: F1 {m['f1']:.2f}")

print(f"{passed} passed, 0 failed")
