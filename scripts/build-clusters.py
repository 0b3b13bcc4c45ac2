#!/usr/bin/env python3
"""Builds word clusters from unlabelled Dutch text for the CRF's cluster features.

Distributional clusters: every word seen at least MIN_COUNT times gets a vector of its
left and right neighbours (positive pointwise mutual information with the 2,000 most
frequent words on each side, within a window of two), reduced to 128 dimensions by SVD and
L2-normalised; spherical k-means (fixed seed) puts the words into 64, 256 and 1,024 clusters.
Words that stand in the same contexts (`Programma`, `Fonds`, `Regeling`; `Rotterdam`,
`Utrecht`) share clusters, so a model can generalise from the names it was trained on to
names it never saw. Output: `models/lexicon/clusters.tsv`, `word<TAB>c64<TAB>c256<TAB>c1024`
(words lower-cased), sorted by word.

Input: one token per line, blank lines between sentences (CoNLL-like; the first column is the
word), as many files as given. `scripts/build-clusters.sh` prepares them from the
repository's unlabelled text with the project's own segmenter, leaving out every test set.

usage: build-clusters.py OUT.tsv TOKENS.conll...
Needs numpy (PyPI).
"""
import collections
import sys

import numpy as np

MIN_COUNT = 3
CONTEXT = 2000
DIMS = 128
SIZES = (64, 256, 1024)
SEED = 20261201


def sentences(paths):
    for path in paths:
        sent = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("-DOCSTART-"):
                    if sent:
                        yield sent
                    sent = []
                    continue
                sent.append(line.split(" ")[0].lower())
        if sent:
            yield sent


def kmeans(x, k, rng, iters=25):
    centres = x[rng.choice(len(x), size=k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for step in range(iters):
        sims = x @ centres.T
        new = sims.argmax(axis=1)
        if step > 0 and np.array_equal(new, assign):
            break
        assign = new
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.sum(axis=0)
                centres[c] = v / (np.linalg.norm(v) + 1e-12)
            else:  # an empty cluster takes the point farthest from its centre
                worst = (sims.max(axis=1)).argmin()
                centres[c] = x[worst]
    return assign


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    sents = list(sentences(paths))
    counts = collections.Counter(w for s in sents for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= MIN_COUNT), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:CONTEXT])}
    # Co-occurrence counts: columns [0, CONTEXT) left neighbours, [CONTEXT, 2*CONTEXT) right.
    m = np.zeros((len(vocab), 2 * CONTEXT), dtype=np.float64)
    for s in sents:
        ids = [index.get(w) for w in s]
        cids = [ctx.get(w) for w in s]
        for i, wi in enumerate(ids):
            if wi is None:
                continue
            for d in (1, 2):
                if i - d >= 0 and cids[i - d] is not None:
                    m[wi, cids[i - d]] += 1.0 / d
                if i + d < len(s) and cids[i + d] is not None:
                    m[wi, CONTEXT + cids[i + d]] += 1.0 / d
    total = m.sum()
    rows = m.sum(axis=1, keepdims=True) + 1e-12
    cols = m.sum(axis=0, keepdims=True) + 1e-12
    with np.errstate(divide="ignore"):
        pmi = np.log(m * total / (rows * cols))
    ppmi = np.where(m > 0, np.maximum(pmi, 0.0), 0.0)
    # SVD through the small side's Gram matrix (2*CONTEXT square).
    gram = ppmi.T @ ppmi
    vals, vecs = np.linalg.eigh(gram)
    top = vecs[:, np.argsort(vals)[::-1][:DIMS]]
    x = ppmi @ top
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    rng = np.random.default_rng(SEED)
    assigns = [kmeans(x, k, rng) for k in SIZES]
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# Word clusters for the nl-ner CRF (scripts/build-clusters.sh): word<TAB>c64<TAB>c256<TAB>c1024\n"
            f"# {len(vocab)} words seen at least {MIN_COUNT} times in {sum(counts.values())} tokens of unlabelled text\n"
        )
        for w in sorted(vocab):
            i = index[w]
            if "\t" in w:
                continue
            f.write(f"{w}\t" + "\t".join(str(a[i]) for a in assigns) + "\n")
    print(f"{out}: {len(vocab)} words, {sum(counts.values())} tokens", file=sys.stderr)


if __name__ == "__main__":
    main()
