# libtorch 2.4.0 (CPU) and the pretrained encoder, both from PyPI, for the `transformer` feature's
# build and tests: exports LIBTORCH, LIBTORCH_CXX11_ABI, LD_LIBRARY_PATH and NL_NER_E5.
# shellcheck source=/dev/null
source scripts/transformer/setup.sh
