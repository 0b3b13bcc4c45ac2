#!/usr/bin/env bash
# Training speed of `nl-ner finetune`: pieces per second over STEPS steps on the first 3,000
# sentences of CoNLL-2002's training set, with the step time broken down (batching, forward,
# backward, optimiser), for each DEPTH given as LAYERS/FROZEN. `12/0` trains the whole encoder
# (no cached part: each step runs all twelve layers, as the first implementation did); `8/4` is
# the shipped model's depth (the lower four layers' output cached once, four layers trained).
#
# Usage: benches/finetune_speed.sh [STEPS (default 40)] [DEPTH ... (default 12/0 8/4)]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-40}
shift || true
depths=("$@")
[ ${#depths[@]} -gt 0 ] || depths=(12/0 8/4)
work=target/bench
mkdir -p "$work"
# shellcheck source=/dev/null
source scripts/transformer/setup.sh >/dev/null
cargo build --release --quiet --features transformer
bin=target/release/nl-ner
awk 'BEGIN { RS = "\n\n" } NR <= 3000 { print $0 "\n" }' data/conll2002-nl/ned.train > "$work/ft-3000.conll"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for depth in "${depths[@]}"; do
  layers=${depth%/*}
  frozen=${depth#*/}
  echo "== $layers layers, $frozen frozen"
  "$bin" finetune --train "$work/ft-3000.conll" -o "$work/ft-model" --layers "$layers" \
    --frozen "$frozen" --epochs 1 --max-steps "$steps" 2>&1 | grep -E 'cached|epoch'
done
