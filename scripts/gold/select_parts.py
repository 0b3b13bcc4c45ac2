#!/usr/bin/env python3
"""Choose the govtexts parts for the blind test set and for training annotation.

Documents, not parts, are split between test and training, so no test part shares a document
(and its recurring names) with a training part. Every 5th document of each genre, in file-name
order starting at the 3rd, goes to the test pool (a genre of fewer than five documents gives its
first, except the single Troonrede); from each test document up to two parts are
drawn with a fixed seed. Training parts are drawn from the other documents, preferring parts
that mention programme, fund, law and plan words (so INITIATIVE is richly represented), a
fixed number per genre.

usage: select_parts.py PARTS.jsonl TEST_OUT.jsonl TRAIN_OUT.jsonl [N_TRAIN]
"""
import collections
import json
import random
import re
import sys

CUES = re.compile(
    r"(programma|fonds|wet\b|wetsvoorstel|regeling|plan\b|agenda|strategie|akkoord|"
    r"aanpak|impuls|deal|initiati|programme|fund|initiative|mission|missie|operatie|"
    r"coalitie|partnership|pact|besluit|richtlijn|verordening)",
    re.IGNORECASE,
)


def main():
    src, test_out, train_out = sys.argv[1:4]
    n_train = int(sys.argv[4]) if len(sys.argv) > 4 else 210
    parts = [json.loads(line) for line in open(src, encoding="utf-8")]
    by_doc = collections.OrderedDict()
    for p in parts:
        by_doc.setdefault(p["source"], []).append(p)
    by_genre = collections.defaultdict(list)
    for doc, ps in by_doc.items():
        by_genre[ps[0]["genre"]].append(doc)
    test_docs = set()
    for genre, docs in by_genre.items():
        docs.sort()
        test_docs.update(docs[2::5] if len(docs) >= 5 else docs[:1] if genre != "troonrede" else [])
    rng = random.Random(20261201)
    test = []
    for doc in sorted(test_docs):
        ps = by_doc[doc]
        test.extend(rng.sample(ps, min(2, len(ps))))
    pool = [p for doc, ps in by_doc.items() if doc not in test_docs for p in ps]
    # share of training parts per genre: proportional to the pool, motions-like genres capped
    per_genre = collections.Counter(p["genre"] for p in pool)
    total = sum(per_genre.values())
    train = []
    for genre, n in sorted(per_genre.items()):
        want = max(3, round(n_train * n / total))
        cands = [p for p in pool if p["genre"] == genre]
        rng.shuffle(cands)
        cands.sort(key=lambda p: -len(CUES.findall(p["text"])) / max(1, len(p["text"].split())) * 100)
        # half the richest in cue words, half at random from the rest: rich, not only rich
        rich = cands[: (want + 1) // 2]
        rest = cands[(want + 1) // 2 :]
        train.extend(rich + rng.sample(rest, min(len(rest), want - len(rich))))
    key = lambda p: (p["source"], p["offset"])
    for out, rows in ((test_out, sorted(test, key=key)), (train_out, sorted(train, key=key))):
        with open(out, "w", encoding="utf-8") as f:
            for p in rows:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    words = lambda rows: sum(len(p["text"].split()) for p in rows)
    print(f"test: {len(test)} parts from {len(test_docs)} documents, {words(test)} words")
    print(f"train: {len(train)} parts, {words(train)} words")
    print("test genres", collections.Counter(p["genre"] for p in test))
    print("train genres", collections.Counter(p["genre"] for p in train))


if __name__ == "__main__":
    main()
