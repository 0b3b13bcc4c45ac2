#!/usr/bin/env bash
# Peak memory of `nl-ner extract` (full pipeline, 2 worker threads) as the corpus grows: builds
# corpora of 1, 5, 10, 25 and 50 million words (benches/make_corpus.py; each a prefix of the
# next) and prints a Markdown table of tokens, documents, wall time and peak RSS (GNU time).
#
# Usage: benches/memory_curve.sh [SIZES IN MILLIONS (default "1 5 10 25 50")] [THREADS (default 2)]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"1 5 10 25 50"}
threads=${2:-2}
work=target/bench
mkdir -p "$work"
cargo build --release --quiet
bin=target/release/nl-ner
"$bin" extract corpus/ --quiet > "$work/corpus-texts.jsonl"

echo "| words (M) | tokens | documents | input MB | wall s | tokens/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for m in $sizes; do
  corpus="$work/corpus-$((m * 1000000)).jsonl"
  [ -s "$corpus" ] || python3 benches/make_corpus.py "$((m * 1000000))" "$corpus" "$work/corpus-texts.jsonl"
  log="$work/memory-$m.log"
  /usr/bin/time -v "$bin" extract "$corpus" -o /dev/null --threads "$threads" 2> "$log"
  tokens=$(grep '^nl-ner:' "$log" | sed -E 's/.* ([0-9]+) tokens,.*/\1/')
  secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  awk -v m="$m" -v n="$tokens" -v d="$(wc -l < "$corpus")" -v b="$(stat -c %s "$corpus")" -v s="$secs" -v r="$rss" \
    'BEGIN { printf "| %d | %d | %d | %.0f | %.1f | %.0f | %.1f |\n", m, n, d, b / 1e6, s, n / s, r / 1024 }'
done
