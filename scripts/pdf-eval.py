#!/usr/bin/env python3
"""PDF input against the same documents as text (docs/input.md, "PDF: the comparison").

For each PDF in PDF_DIR with a text version TEXT_DIR/<stem>.txt, it compares two texts of the
PDF with the text version: nl-ner's own PDF reader (pdf-extract + input/formats/clean.rs) and
poppler's `pdftotext` (default mode, raw: nl-ner's cleaning works on pages inside the reader and
cannot be applied to it). It reports per document and in total

  - character similarity: difflib ratio of the two texts, whitespace collapsed;
  - entity F1 on bags of (name, label) per document, the text version's entities as reference;
  - extraction time: nl-ner's reader (`nl-ner extract --no-model --no-domain`, reading and
    segmenting only, minus the same on the text files) and `pdftotext` on the same files, in the
    same run.

With --formats DIR instead of the two folders, it scores the self-made fixtures of
tests/data/formats/ the same way (bags of (name, label), DIR/expected.txt as the reference text):
brief.pdf, brief.docx and brief.odt against the whole letter, page.html against its first two
paragraphs (all the page holds).

Usage: scripts/pdf-eval.py NL_NER_BINARY PDF_DIR TEXT_DIR
       scripts/pdf-eval.py NL_NER_BINARY --formats tests/data/formats
"""
import collections
import difflib
import html
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time


def run_extract(binary, inputs, out, extra=()):
    t = time.perf_counter()
    subprocess.run([binary, "extract", "-q", *extra, *inputs, "-o", out], check=False)
    took = time.perf_counter() - t
    docs = {}
    for line in open(out, encoding="utf-8"):
        d = json.loads(line)
        if "id" in d:
            docs[pathlib.Path(d["id"]).stem] = d
    return docs, took


def bag(doc):
    return collections.Counter((e["text"], e["label"]) for e in doc["entities"])


def f1(ref, got):
    tp = sum((ref & got).values())
    p = tp / max(1, sum(got.values()))
    r = tp / max(1, sum(ref.values()))
    return 0.0 if tp == 0 else 2 * p * r / (p + r)


def similarity(a, b):
    a = " ".join(a.split())
    b = " ".join(b.split())
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def fixtures(binary, folder):
    folder = pathlib.Path(folder)
    tmp = pathlib.Path(tempfile.mkdtemp())
    letter = (folder / "expected.txt").read_text(encoding="utf-8")
    # The page is its own heading (`<h1>`, made by make.py) over the letter's first two paragraphs:
    # the same document as plain text holds both.
    h1 = re.search(r"<h1>(.*?)</h1>", (folder / "page.html").read_text(encoding="utf-8"), re.S)
    two = "\n\n".join([html.unescape(h1.group(1))] + letter.split("\n\n")[:2])
    refs = {}
    for name, text in [("letter", letter), ("two", two)]:
        (tmp / f"{name}.txt").write_text(text, encoding="utf-8")
    ref, _ = run_extract(binary, [str(tmp / "letter.txt"), str(tmp / "two.txt")], str(tmp / "ref.jsonl"))
    files = ["brief.pdf", "brief.docx", "brief.odt", "page.html"]
    print(f"{'fixture':<12} {'reference':<22} {'sim':>6} {'F1':>6} {'entities ref/got':>16}")
    for f in files:
        r = ref["two" if f.endswith(".html") else "letter"]
        d = got_by_name(binary, folder / f, tmp)
        print(f"{f:<12} {'heading + 2 paragraphs' if f.endswith('.html') else 'expected.txt':<22} "
              f"{similarity(r['text'], d['text']):>6.4f} {f1(bag(r), bag(d)):>6.4f} "
              f"{sum(bag(r).values()):>7}/{sum(bag(d).values())}")


def got_by_name(binary, path, tmp):
    # brief.pdf, brief.docx and brief.odt share a stem (the key run_extract uses): one run each.
    docs, _ = run_extract(binary, [str(path)], str(tmp / "one.jsonl"))
    return docs[path.stem]


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "--formats":
        fixtures(sys.argv[1], sys.argv[3])
        return
    binary, pdf_dir, text_dir = sys.argv[1:4]
    pdfs = sorted(pathlib.Path(pdf_dir).glob("*.pdf"))
    texts = [pathlib.Path(text_dir) / (p.stem + ".txt") for p in pdfs]
    tmp = pathlib.Path(tempfile.mkdtemp())
    ref, _ = run_extract(binary, [str(t) for t in texts], str(tmp / "text.jsonl"))
    ours, _ = run_extract(binary, [str(p) for p in pdfs], str(tmp / "pdf.jsonl"))
    # pdftotext, then nl-ner on its text.
    (tmp / "pt").mkdir()
    t = time.perf_counter()
    for p in pdfs:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), str(tmp / "pt" / (p.stem + ".txt"))], check=True)
    pt_time = time.perf_counter() - t
    poppler, _ = run_extract(binary, [str(tmp / "pt" / (p.stem + ".txt")) for p in pdfs], str(tmp / "pt.jsonl"))
    # Reading alone: no model, no domain layer; PDF minus text is the extraction's cost.
    fast = ["--no-model", "--no-domain", "--no-relations"]
    reps = 5
    pdf_read = min(run_extract(binary, [str(p) for p in pdfs], str(tmp / "r1.jsonl"), fast)[1] for _ in range(reps))
    txt_read = min(run_extract(binary, [str(t) for t in texts], str(tmp / "r2.jsonl"), fast)[1] for _ in range(reps))
    pt_time = min([pt_time] + [timed_pdftotext(pdfs, tmp) for _ in range(reps - 1)])

    print(f"{'document':<24} {'pages':>5} {'sim ours':>8} {'sim pdftotext':>13} {'F1 ours':>8} {'F1 pdftotext':>12}")
    tot = collections.defaultdict(float)
    for p in pdfs:
        s = p.stem
        r = ref[s]
        row = {
            "sim_ours": similarity(r["text"], ours[s]["text"]) if s in ours else 0.0,
            "sim_pt": similarity(r["text"], poppler[s]["text"]),
            "f1_ours": f1(bag(r), bag(ours[s])) if s in ours else 0.0,
            "f1_pt": f1(bag(r), bag(poppler[s])),
        }
        pages = len(ours[s]["source"]["pages"]) if s in ours else 0
        for k, v in row.items():
            tot[k] += v
        print(f"{s:<24} {pages:>5} {row['sim_ours']:>8.4f} {row['sim_pt']:>13.4f} {row['f1_ours']:>8.4f} {row['f1_pt']:>12.4f}")
    n = len(pdfs)
    print(f"{'mean':<24} {'':>5} {tot['sim_ours']/n:>8.4f} {tot['sim_pt']/n:>13.4f} {tot['f1_ours']/n:>8.4f} {tot['f1_pt']/n:>12.4f}")
    # Micro F1 over all documents' bags.
    def micro(got):
        tp = sum(sum((bag(ref[p.stem]) & bag(got[p.stem])).values()) for p in pdfs if p.stem in got)
        g = sum(sum(bag(got[p.stem]).values()) for p in pdfs if p.stem in got)
        rr = sum(sum(bag(ref[p.stem]).values()) for p in pdfs)
        pr, rc = tp / max(1, g), tp / max(1, rr)
        return pr, rc, 2 * pr * rc / max(1e-9, pr + rc)
    for name, got in [("ours", ours), ("pdftotext", poppler)]:
        pr, rc, f = micro(got)
        print(f"micro {name}: P {pr:.4f} R {rc:.4f} F1 {f:.4f}")
    print(f"reading {n} PDFs: nl-ner {pdf_read*1000:.0f} ms (text files {txt_read*1000:.0f} ms, so extraction about {(pdf_read-txt_read)*1000:.0f} ms); pdftotext {pt_time*1000:.0f} ms ({n} processes)")


def timed_pdftotext(pdfs, tmp):
    t = time.perf_counter()
    for p in pdfs:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), str(tmp / "pt" / (p.stem + ".txt"))], check=True)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
