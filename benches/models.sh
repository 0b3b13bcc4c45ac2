#!/usr/bin/env bash
# The two models side by side, same corpus, same run: end-to-end throughput and peak memory of
# `nl-ner extract` with the CRF (default) and with the transformer (`--model transformer`), at 1
# and 2 threads, RUNS times each (median by wall time; peak RSS the highest).
#
# Needs scripts/transformer/setup.sh (sourced here) and the shipped transformer model.
# Usage: benches/models.sh [MIN_TOKENS (default 300000)] [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
min_tokens=${1:-300000}
runs=${2:-3}
work=target/bench
mkdir -p "$work"
# shellcheck source=/dev/null
source scripts/transformer/setup.sh >/dev/null
cargo build --release --quiet --features transformer
bin=target/release/nl-ner
# shellcheck source=benches/measure.sh
source benches/measure.sh
corpus=$(bench_corpus "$bin" "$min_tokens")
docs=$(wc -l < "$corpus")
echo "corpus: $corpus, $docs documents, $(du -h "$corpus" | cut -f1)"
machine_line
echo
echo "| model | threads | tokens | wall s (median of $runs) | tokens/s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for model in crf transformer; do
  case $model in
    crf) flags=() ;;
    transformer) flags=(--model transformer) ;;
  esac
  for threads in 1 2; do
    median_run "$runs" "$bin" "$corpus" --threads "$threads" "${flags[@]}" | awk -v m="$model" -v t="$threads" '{
      printf "| %s | %s | %d | %.2f | %.0f | %.2f | %.0f |\n", m, t, $4, $1, $4 / $1, $2, $5 / 1024 }'
  done
done
