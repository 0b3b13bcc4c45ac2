#!/usr/bin/env bash
# Builds corpus/silver/motions.jsonl: silver annotations, by the current pipeline (model and domain
# layer), of every motion in corpus/moties that is in none of the gold files of corpus/gold/. The
# held-out test documents are gold, so they never become training data.
# Usage: scripts/make-silver.sh [MODEL]   (default: the built-in model)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
gold_ids=$(python3 -c '
import json, glob
for f in sorted(glob.glob("corpus/gold/*.jsonl")):
    for line in open(f, encoding="utf-8"):
        if line.strip():
            print(json.loads(line)["id"])')
files=()
for f in corpus/moties/*.txt; do
  grep -qxF "$f" <<<"$gold_ids" || files+=("$f")
done
model_args=()
[ $# -ge 1 ] && model_args=(--model "$1")
target/release/nl-ner extract "${files[@]}" "${model_args[@]}" --quiet -o corpus/silver/motions.jsonl
echo "silver: ${#files[@]} motions -> corpus/silver/motions.jsonl" >&2
