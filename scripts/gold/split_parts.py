#!/usr/bin/env python3
"""Cut the govtexts corpus into document parts for annotation.

Long documents are cut at paragraph boundaries (a blank line) into parts of roughly
TARGET words, never inside a paragraph, so every part is a stretch of the original text
(`offset` says where it starts, in code points). Writes one JSONL line per part:
id, text, source, offset, genre.

usage: split_parts.py TEXTS_DIR INDEX_TSV OUT.jsonl [TARGET_WORDS]
"""
import csv
import json
import re
import sys


def parts(text, target):
    # paragraph boundaries: positions just after a blank line
    cuts = [m.end() for m in re.finditer(r"\n[ \t]*\n", text)]
    out, start, words = [], 0, 0
    prev = 0
    for c in cuts + [len(text)]:
        words += len(text[prev:c].split())
        prev = c
        if words >= target or c == len(text):
            out.append((start, c))
            start, words = c, 0
    # fold a tiny tail into the part before it
    if len(out) > 1 and len(text[out[-1][0]:out[-1][1]].split()) < target // 3:
        a, _ = out[-2]
        out[-2:] = [(a, len(text))]
    return out


def main():
    texts, index, dst = sys.argv[1:4]
    target = int(sys.argv[4]) if len(sys.argv) > 4 else 350
    with open(index, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with open(dst, "w", encoding="utf-8") as out:
        for row in rows:
            name = row["file"]
            with open(f"{texts}/{name}", encoding="utf-8", newline="") as f:
                text = f.read()
            for i, (a, b) in enumerate(parts(text, target), 1):
                piece = text[a:b]
                if not piece.strip():
                    continue
                rec = {
                    "id": f"corpus/govtexts/texts/{name}#{i}",
                    "text": piece,
                    "source": f"corpus/govtexts/texts/{name}",
                    "offset": a,
                    "genre": row["genre"],
                }
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
