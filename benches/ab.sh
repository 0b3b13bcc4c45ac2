#!/usr/bin/env bash
# A/B end-to-end throughput of two nl-ner binaries on the same corpus, in the same run.
#
# Runs `extract CORPUS -o /dev/null --threads T` with binary A and binary B alternately (A B A B
# ...), so both see the same machine load, RUNS times each, and prints per binary the median
# wall time, tokens/s and the tokens per CPU-second (user + system), with peak RSS (GNU time).
# The corpus is the one benches/end_to_end.sh builds (target/bench/corpus-MIN_TOKENS.jsonl).
#
# Usage: benches/ab.sh BIN_A BIN_B [MIN_TOKENS (default 10000000)] [RUNS (default 5)] [THREADS (default 2)]
# Example (before/after a model change):
#   git stash; cargo build --release; cp target/release/nl-ner /tmp/nl-ner-before; git stash pop
#   cargo build --release; benches/ab.sh /tmp/nl-ner-before target/release/nl-ner
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1
b=$2
min_tokens=${3:-10000000}
runs=${4:-5}
threads=${5:-2}
work=target/bench
mkdir -p "$work"
# shellcheck source=benches/measure.sh
source benches/measure.sh
corpus=$(bench_corpus "$b" "$min_tokens")
echo "corpus: $corpus, $(wc -l < "$corpus") documents; $threads threads; $runs runs each, alternating"
machine_line

: > "$work/ab-A.txt"
: > "$work/ab-B.txt"
for _ in $(seq "$runs"); do
  measure "$a" "$corpus" --threads "$threads" >> "$work/ab-A.txt"
  measure "$b" "$corpus" --threads "$threads" >> "$work/ab-B.txt"
done
echo
echo "| binary | tokens | wall s (median of $runs) | tokens/s | CPU s | tokens per CPU-second | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for side in A B; do
  bin=$a
  [ "$side" = B ] && bin=$b
  sort -n "$work/ab-$side.txt" | sed -n "$(( (runs + 1) / 2 ))p" | awk -v n="$bin" -v r="$(awk '{ if ($3 > m) m = $3 } END { print m }' "$work/ab-$side.txt")" '{
    printf "| %s | %d | %.2f | %.0f | %.2f | %.0f | %.0f |\n", n, $4, $1, $4 / $1, $2, $4 / $2, r / 1024 }'
done
