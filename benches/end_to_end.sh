#!/usr/bin/env bash
# End-to-end throughput and peak memory of `nl-ner extract`, against the floor.
#
# Builds a JSONL corpus of at least MIN_TOKENS whitespace-separated words from the repository's
# data (benches/make_corpus.py), then runs the release binary over it, writing to /dev/null, at 1
# and 2 worker threads, RUNS times each, in three configurations:
#   full     the shipped pipeline: statistical model + domain layer + relations (what `extract` does)
#   norel    the same without the relation stage (--no-relations): the stage's cost is full/norel
#   model    the statistical model alone (--no-domain --no-relations)
#   floor    no tagging at all (--no-model --no-domain): read, segment, write JSONL
# and prints one Markdown table row per configuration and thread count: the median run by wall
# time, its tokens/s and documents/s, its CPU time (user + system) and the tokens per CPU-second
# that implies, and the highest peak RSS of the runs (GNU time).
#
# Usage: benches/end_to_end.sh [MIN_TOKENS (default 10000000)] [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
min_tokens=${1:-10000000}
runs=${2:-3}
work=target/bench
mkdir -p "$work"

cargo build --release --quiet
bin=target/release/nl-ner

# shellcheck source=benches/measure.sh
source benches/measure.sh
corpus=$(bench_corpus "$bin" "$min_tokens")

docs=$(wc -l < "$corpus")
echo "corpus: $corpus, $docs documents, $(du -h "$corpus" | cut -f1)"
machine_line
echo
echo "| configuration | threads | tokens | wall s (median of $runs) | tokens/s | documents/s | CPU s | tokens per CPU-second | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"

for config in full norel model floor; do
  case $config in
    full) flags=() ;;
    norel) flags=(--no-relations) ;;
    model) flags=(--no-domain --no-relations) ;;
    floor) flags=(--no-model --no-domain --no-relations) ;;
  esac
  for threads in 1 2; do
    median_run "$runs" "$bin" "$corpus" --threads "$threads" "${flags[@]}" | awk -v c="$config" -v t="$threads" -v d="$docs" '{
      printf "| %s | %s | %d | %.2f | %.0f | %.0f | %.2f | %.0f | %.0f |\n", c, t, $4, $1, $4 / $1, d / $1, $2, $4 / $2, $5 / 1024 }'
  done
done
