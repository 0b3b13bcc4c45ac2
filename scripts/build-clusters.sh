#!/usr/bin/env bash
# Rebuilds models/lexicon/clusters.tsv (word clusters for the CRF) from the repository's
# unlabelled text: CoNLL-2002 ned.train words (not testa or testb), Europeana Newspapers NL,
# the motions and letters in corpus/, and the govtexts documents that are in no test set
# (corpus/gold/govtexts-test.jsonl names the held-out ones). Text is tokenized by nl-ner's
# own segmenter. Needs numpy (PyPI): `pip install numpy`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/nl-ner
held_out=$(python3 -c '
import json
print("\n".join(sorted({json.loads(l)["source"] for l in open("corpus/gold/govtexts-test.jsonl")})))')
mkdir -p "$work/text"
cp corpus/letters/*.txt corpus/moties/*.txt "$work/text/"
for f in corpus/govtexts/texts/*.txt; do
    grep -qxF "$f" <<<"$held_out" || cp "$f" "$work/text/"
done
"$bin" extract "$work/text" --no-model --no-domain --quiet -o "$work/text.jsonl"
"$bin" export --format conll "$work/text.jsonl" -o "$work/text.conll"
python3 scripts/build-clusters.py models/lexicon/clusters.tsv \
    data/conll2002-nl/ned.train data/europeana-newspapers-nl/enp_NL.kb.bio "$work/text.conll"
