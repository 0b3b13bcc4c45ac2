#!/usr/bin/env python3
"""Annotate relations on gold documents as readable lists instead of offsets (docs/relations.md).

A *spec* file lists, per document, the relations its text states between the document's gold
entities (from an entity gold file such as corpus/gold/govtexts-test.jsonl). This tool checks a
spec against the entity gold and turns it into relation gold JSONL with exact code-point offsets.

Spec format (UTF-8 text, one block per document; every annotated document gets a block, also
when it states no relation, so that "no relation" is a judgement and not a gap):

    === <document id>
    role<TAB>HEAD<TAB>ROLE PHRASE
    role<TAB>HEAD<TAB>ROLE PHRASE<TAB>TAIL
    member_of<TAB>HEAD<TAB>TAIL
    participates_in<TAB>HEAD<TAB>TAIL

HEAD and TAIL are the exact surface of one of the document's gold entities (any mention of it):
`role` and `member_of` heads are PER; a `role` tail (the organisation or place the office names,
when that is an entity) is ORG or LOC; a `member_of` tail is ORG (the party); `participates_in`
goes from an ORG or LOC to an INITIATIVE. ROLE PHRASE is the office as written in the text
(case-sensitive, whole words; write a line break as `\\n`); the occurrence nearest to a mention of
the head is taken. Lines starting with `#` are comments. The same fact twice in one block is kept
once.

Output (one line per document of the spec, in spec order):

    {"id": ..., "relations": [{"type": "role", "head": {"start", "end", "text", "label"},
     "role": ..., "role_start": ..., "role_end": ..., "tail": {...}}, ...]}

Commands:
    relations.py build SPEC.spec GOLD.jsonl [GOLD.jsonl ...] -o OUT.jsonl   check and write
    relations.py check SPEC.spec GOLD.jsonl [GOLD.jsonl ...]                 check only, with counts
    relations.py show GOLD.jsonl ID                                         text with [[LABEL entity]]
    relations.py ids GOLD.jsonl                                             the document ids in order
"""
import json
import sys
from collections import Counter

TYPES = {
    # type: (head labels, tail labels or None when the tail is optional/role-only)
    "role": ({"PER"}, {"ORG", "LOC"}),
    "member_of": ({"PER"}, {"ORG"}),
    "participates_in": ({"ORG", "LOC"}, {"INITIATIVE"}),
}


def read_gold(paths):
    docs = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    docs[d["id"]] = d
    return docs


def parse_spec(path):
    """Yields (line number, document id, fields) per relation line and (n, id, None) per block."""
    doc = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("=== "):
                doc = line[4:].strip()
                yield n, doc, None
                continue
            if doc is None:
                raise SystemExit(f"{path}:{n}: a relation before the first '=== <id>' line")
            yield n, doc, [c.replace("\\n", "\n") for c in line.split("\t")]


def is_word_boundary(text, start, end):
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def occurrences(text, surface):
    out, at = [], text.find(surface)
    while at >= 0:
        if is_word_boundary(text, at, at + len(surface)):
            out.append(at)
        at = text.find(surface, at + 1)
    return out


def find_entity(doc, surface, labels):
    """The first gold entity with this exact text and one of these labels, or an error text."""
    same_text = [e for e in doc["entities"] if e["text"] == surface]
    fitting = [e for e in same_text if e["label"] in labels]
    if fitting:
        e = min(fitting, key=lambda e: e["start"])
        return {k: e[k] for k in ("start", "end", "text", "label")}, None
    if same_text:
        got = sorted({e["label"] for e in same_text})
        return None, f"{surface!r} is a gold {'/'.join(got)}, not {'/'.join(sorted(labels))}"
    return None, f"{surface!r} is no gold entity of this document"


def build(spec, gold_paths):
    gold = read_gold(gold_paths)
    errors, out, order = [], {}, []
    for n, doc_id, fields in parse_spec(spec):
        where = f"{spec}:{n}"
        doc = gold.get(doc_id)
        if doc is None:
            errors.append(f"{where}: document {doc_id!r} is in none of the gold files")
            continue
        if fields is None:
            if doc_id in out:
                errors.append(f"{where}: document {doc_id!r} has a second block")
            else:
                out[doc_id] = []
                order.append(doc_id)
            continue
        kind = fields[0]
        if kind not in TYPES:
            errors.append(f"{where}: unknown type {kind!r} (role, member_of, participates_in)")
            continue
        want = {"role": (3, 4), "member_of": (3, 3), "participates_in": (3, 3)}[kind]
        if not want[0] <= len(fields) <= want[1]:
            errors.append(f"{where}: {kind} takes {want[0] - 1}{'-' + str(want[1] - 1) if want[1] != want[0] else ''} columns after the type, got {len(fields) - 1}")
            continue
        head_labels, tail_labels = TYPES[kind]
        head, err = find_entity(doc, fields[1], head_labels)
        if err:
            errors.append(f"{where}: head: {err}")
            continue
        rel = {"type": kind, "head": head}
        text = doc["text"]
        if kind == "role":
            phrase = fields[2]
            occ = occurrences(text, phrase)
            if not occ:
                errors.append(f"{where}: role phrase {phrase!r} does not occur (whole words, case-sensitive)")
                continue
            heads = [e["start"] for e in doc["entities"] if e["text"] == fields[1]]
            at = min(occ, key=lambda o: min(abs(o - h) for h in heads))
            rel.update(role=phrase, role_start=at, role_end=at + len(phrase))
            tail_surface = fields[3] if len(fields) == 4 else None
        else:
            tail_surface = fields[2]
        if tail_surface is not None:
            tail, err = find_entity(doc, tail_surface, tail_labels)
            if err:
                errors.append(f"{where}: tail: {err}")
                continue
            rel["tail"] = tail
        key = (kind, head["text"], rel.get("role", "").lower(), rel.get("tail", {}).get("text"))
        if any(
            (r["type"], r["head"]["text"], r.get("role", "").lower(), r.get("tail", {}).get("text")) == key
            for r in out[doc_id]
        ):
            continue
        out[doc_id].append(rel)
    return order, out, errors


def main(argv):
    if len(argv) >= 3 and argv[0] in ("build", "check"):
        cmd, spec, rest = argv[0], argv[1], argv[2:]
        target = None
        if cmd == "build":
            if "-o" not in rest:
                raise SystemExit("build needs -o OUT.jsonl")
            i = rest.index("-o")
            target = rest[i + 1]
            rest = rest[:i] + rest[i + 2:]
        order, out, errors = build(spec, rest)
        for e in errors:
            print(e, file=sys.stderr)
        counts = Counter(r["type"] for d in order for r in out[d])
        print(
            f"{len(order)} documents, {sum(counts.values())} relations "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            + f"; {len(errors)} errors",
            file=sys.stderr,
        )
        if errors:
            return 1
        if target:
            with open(target, "w", encoding="utf-8") as f:
                for d in order:
                    f.write(json.dumps({"id": d, "relations": out[d]}, ensure_ascii=False) + "\n")
        return 0
    if len(argv) == 3 and argv[0] == "show":
        doc = read_gold([argv[1]]).get(argv[2])
        if doc is None:
            raise SystemExit(f"no document {argv[2]!r}")
        text, pieces, at = doc["text"], [], 0
        for e in sorted(doc["entities"], key=lambda e: (e["start"], -e["end"])):
            if e["start"] < at:
                continue
            pieces.append(text[at:e["start"]])
            pieces.append(f"[[{e['label']} {text[e['start']:e['end']]}]]")
            at = e["end"]
        pieces.append(text[at:])
        print("".join(pieces))
        return 0
    if len(argv) == 2 and argv[0] == "ids":
        for d in read_gold([argv[1]]):
            print(d)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
