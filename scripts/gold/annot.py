#!/usr/bin/env python3
"""Annotate gold documents as readable span lists instead of hand-counted offsets.

A *spec* file lists, per document, the names in it; this tool turns a spec into gold JSONL
with exact code-point offsets (and back), and shows a document with its spans in place.

Spec format (UTF-8 text):

    === <document id>
    LABEL<TAB>surface
    LABEL<TAB>surface<TAB>2,5

`surface` is matched exactly (case-sensitive) where it stands as a whole word: the
characters just before and after it are not letters or digits (so `NAVO` matches in
`NAVO-top` but `Kamer` not in `Kamerlid`). Write a line break inside a name as `\\n`.
Without a third column every such occurrence is annotated, except where a longer span
already covers it (longer surfaces are placed first); with one, only the listed
occurrences (1-based, counted over all whole-word occurrences; `occ` prints them
numbered). Lines starting with `#` are comments. Labels: PER ORG LOC MISC INITIATIVE
MONEY DATE PERCENT REF IGNORE.

Commands:
    annot.py to-spec ANNOTATED.jsonl SPEC.txt          spec from extract output or gold
    annot.py build SPEC.txt PARTS.jsonl OUT.jsonl      gold JSONL (checks every line)
    annot.py show SPEC.txt PARTS.jsonl [ID]            text with [[LABEL span]] in place
    annot.py occ PARTS.jsonl ID SURFACE                numbered occurrences with context
    annot.py check GOLD.jsonl                          offsets, labels, overlaps
"""
import json
import sys

LABELS = {"PER", "ORG", "LOC", "MISC", "INITIATIVE", "MONEY", "DATE", "PERCENT", "REF", "IGNORE"}


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def unesc(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i : i + 2]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def whole_word_occurrences(text, surface):
    res, i = [], text.find(surface)
    while i >= 0:
        j = i + len(surface)
        before_ok = i == 0 or not text[i - 1].isalnum() or not surface[0].isalnum()
        after_ok = j == len(text) or not text[j].isalnum() or not surface[-1].isalnum()
        if before_ok and after_ok:
            res.append((i, j))
        i = text.find(surface, i + 1)
    return res


def read_docs(path):
    docs = {}
    order = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.strip():
            d = json.loads(line)
            docs[d["id"]] = d
            order.append(d["id"])
    return docs, order


def read_spec(path):
    spec, cur, errors = {}, None, []
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=== "):
            cur = line[4:].strip()
            spec.setdefault(cur, [])
            continue
        cols = line.split("\t")
        if cur is None:
            errors.append(f"{path}:{n}: span line before any '=== id' line")
            continue
        if len(cols) < 2 or cols[0] not in LABELS or not cols[1]:
            errors.append(f"{path}:{n}: expected LABEL<TAB>surface[<TAB>occurrences], got {line!r}")
            continue
        occ = None
        if len(cols) > 2 and cols[2].strip() not in ("", "*"):
            try:
                occ = [int(x) for x in cols[2].split(",")]
            except ValueError:
                errors.append(f"{path}:{n}: occurrences must be numbers like 1,3: {cols[2]!r}")
                continue
        spec[cur].append((n, cols[0], unesc(cols[1]), occ))
    return spec, errors


def place(doc_id, text, lines, path):
    errors, spans = [], []
    taken = [False] * len(text)
    # explicit occurrences first (they are deliberate), then longer surfaces before shorter
    ordered = sorted(lines, key=lambda x: (x[3] is None, -len(x[2])))
    for n, label, surface, occ in ordered:
        found = whole_word_occurrences(text, surface)
        if not found:
            errors.append(f"{path}:{n}: {doc_id}: {surface!r} does not occur as a whole word")
            continue
        if occ is None:
            picks = [(a, b) for a, b in found if not any(taken[a:b])]
            if not picks:
                errors.append(f"{path}:{n}: {doc_id}: every {surface!r} is inside another span")
        else:
            picks = []
            for k in occ:
                if not 1 <= k <= len(found):
                    errors.append(f"{path}:{n}: {doc_id}: {surface!r} occurs {len(found)} times, not {k}")
                    continue
                a, b = found[k - 1]
                if any(taken[a:b]):
                    errors.append(f"{path}:{n}: {doc_id}: {surface!r} occurrence {k} overlaps another span")
                    continue
                picks.append((a, b))
        for a, b in picks:
            for x in range(a, b):
                taken[x] = True
            spans.append({"start": a, "end": b, "text": text[a:b], "label": label})
    spans.sort(key=lambda e: (e["start"], e["end"]))
    return spans, errors


def cmd_build(spec_path, parts_path, out_path):
    spec, errors = read_spec(spec_path)
    docs, order = read_docs(parts_path)
    for doc_id in spec:
        if doc_id not in docs:
            errors.append(f"{spec_path}: unknown document id {doc_id!r}")
    out = []
    for doc_id in order:
        if doc_id not in spec:
            continue
        d = docs[doc_id]
        spans, errs = place(doc_id, d["text"], spec[doc_id], spec_path)
        errors.extend(errs)
        rec = {k: v for k, v in d.items() if k != "entities"}
        rec["entities"] = spans
        out.append(rec)
    with open(out_path, "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    for e in errors:
        print(e, file=sys.stderr)
    n = sum(len(r["entities"]) for r in out)
    print(f"{out_path}: {len(out)} documents, {n} spans, {len(errors)} problems", file=sys.stderr)
    return 1 if errors else 0


def cmd_to_spec(src, dst):
    with open(dst, "w", encoding="utf-8") as f:
        for line in open(src, encoding="utf-8"):
            if not line.strip():
                continue
            d = json.loads(line)
            if "text" not in d:
                continue
            text = d["text"]
            f.write(f"=== {d['id']}\n")
            groups = {}
            for e in d.get("entities", []):
                groups.setdefault((e["label"], e["text"]), []).append((e["start"], e["end"]))
            seen = set()
            for e in d.get("entities", []):
                key = (e["label"], e["text"])
                if key in seen:
                    continue
                seen.add(key)
                found = whole_word_occurrences(text, e["text"])
                mine = groups[key]
                idx = [found.index(s) + 1 for s in mine if s in found]
                if len(idx) != len(mine):
                    f.write(f"# not a whole word, add by hand: {e['label']}\t{esc(e['text'])}\n")
                    continue
                # every other occurrence labelled differently or covered by a longer span?
                others = [
                    (a, b) for (a, b) in found if (a, b) not in mine and not covered(d, a, b)
                ]
                col = "" if not others else "\t" + ",".join(map(str, idx))
                f.write(f"{e['label']}\t{esc(e['text'])}{col}\n")
            f.write("\n")


def covered(d, a, b):
    return any(e["start"] <= a and b <= e["end"] and (e["start"], e["end"]) != (a, b) for e in d.get("entities", []))


def cmd_show(spec_path, parts_path, only=None):
    spec, errors = read_spec(spec_path)
    docs, order = read_docs(parts_path)
    for doc_id in order:
        if doc_id not in spec or (only and doc_id != only):
            continue
        text = docs[doc_id]["text"]
        spans, errs = place(doc_id, text, spec[doc_id], spec_path)
        out, pos = [], 0
        for e in spans:
            out.append(text[pos : e["start"]])
            out.append(f"[[{e['label']} {text[e['start']:e['end']]}]]")
            pos = e["end"]
        out.append(text[pos:])
        print(f"=== {doc_id}")
        print("".join(out))
        for e in errs:
            print("!!", e)
        print()


def cmd_occ(parts_path, doc_id, surface):
    docs, _ = read_docs(parts_path)
    text = docs[doc_id]["text"]
    surface = unesc(surface)
    for k, (a, b) in enumerate(whole_word_occurrences(text, surface), 1):
        ctx = text[max(0, a - 40) : a] + "[[" + text[a:b] + "]]" + text[b : b + 40]
        print(f"{k}\t{a}\t{esc(ctx)}")


def cmd_check(path):
    bad = 0
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        d = json.loads(line)
        prev_end = 0
        for e in sorted(d["entities"], key=lambda e: (e["start"], e["end"])):
            msg = None
            if d["text"][e["start"] : e["end"]] != e["text"]:
                msg = "text does not slice"
            elif e["label"] not in LABELS:
                msg = "unknown label"
            elif e["start"] < prev_end:
                msg = "overlaps the span before"
            if msg:
                bad += 1
                print(f"{path}:{n}: {d['id']}: {e}: {msg}")
            prev_end = max(prev_end, e["end"])
    print(f"{path}: {bad} problems")
    return 1 if bad else 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "build":
        return cmd_build(*args)
    if cmd == "to-spec":
        return cmd_to_spec(*args)
    if cmd == "show":
        return cmd_show(*args)
    if cmd == "occ":
        return cmd_occ(*args)
    if cmd == "check":
        return cmd_check(*args)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
