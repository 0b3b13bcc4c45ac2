#!/usr/bin/env bash
# nl-ner and Frog side by side, same text, same machine: the first DOCS documents of the
# end-to-end benchmark corpus (CoNLL-2002 Dutch news articles), as one plain-text file for Frog
# (documents separated by blank lines) and as JSONL for nl-ner. Frog runs twice: its default
# pipeline, and with everything skipped that NER does not need (--skip=mpacl: no multi-word units,
# parser, morphological analysis, chunker, lemmatizer; tokenizer, POS tagger and NER remain). Each
# run's wall time, CPU time and peak RSS come from GNU time; Frog's start-up (loading its models)
# is measured alone on a one-sentence file and given separately.
#
# Needs the Debian packages frog and frogdata. Usage: benches/compare_frog.sh [DOCS (default 100)]
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-100}
work=target/bench/frog
mkdir -p "$work"
corpus=target/bench/corpus-10000000.jsonl
[ -s "$corpus" ] || { echo "run benches/end_to_end.sh first (it builds $corpus)" >&2; exit 2; }
cargo build --release --quiet
head -n "$docs" "$corpus" > "$work/sample.jsonl"
python3 -c '
import json, sys
docs = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(docs) + "\n")
print(f"sample: {len(docs)} documents, {sum(len(d.split()) for d in docs)} whitespace-separated words")
' "$work/sample.jsonl" "$work/sample.txt"
echo "De minister sprak in Den Haag met de NAVO." > "$work/one.txt"

# Prints "wall cpu rss_mb" of the command's run.
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time"
}

echo "| tool | configuration | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|"
for threads in 1 2; do
  r=$(measure target/release/nl-ner extract "$work/sample.jsonl" --threads "$threads" -o /dev/null --quiet)
  echo "| nl-ner | full pipeline, $threads threads | ${r// / | } |"
done
r=$(measure frog -t "$work/one.txt" --threads 2 -o "$work/one.out")
echo "| Frog | start-up alone (one sentence), default | ${r// / | } |"
r=$(measure frog -t "$work/sample.txt" --threads 2 -o "$work/frog-default.out")
echo "| Frog | default pipeline, 2 threads | ${r// / | } |"
r=$(measure frog -t "$work/one.txt" --threads 2 --skip=mpacl -o "$work/one.out")
echo "| Frog | start-up alone (one sentence), --skip=mpacl | ${r// / | } |"
r=$(measure frog -t "$work/sample.txt" --threads 2 --skip=mpacl -o "$work/frog-ner.out")
echo "| Frog | tokenizer + POS + NER (--skip=mpacl), 2 threads | ${r// / | } |"
echo
echo "Frog tokens (output lines with a token): $(grep -c . "$work/frog-ner.out")"
target/release/nl-ner extract "$work/sample.jsonl" -o /dev/null --threads 2 2>&1 | tail -1
