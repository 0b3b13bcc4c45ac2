#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each (default 600), one after the other, at
# the lowest CPU priority. Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly`, or RUSTC_BOOTSTRAP=1 with stable; see docs/reliability.md).
# A crash stops that target and leaves the input in fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>/ once fixed.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(input pdf docx odt html xml segment jsonl acronym model)
toolchain=+nightly
rustup run nightly rustc --version >/dev/null 2>&1 || { toolchain=; export RUSTC_BOOTSTRAP=1; }
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== fuzz $t for ${seconds}s"
    nice -n 19 cargo $toolchain fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 || status=1
done
exit $status
