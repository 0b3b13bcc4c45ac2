# The Python package `nl_ner` (bindings/python/, docs/python.md) for tests/integration/python.rs: built as a
# wheel with maturin (from PyPI) and installed, with pytest, into the venv of 70-spacy.sh, which
# has spaCy for the spaCy component's tests. Idempotent: cargo rebuilds only what changed, and the
# wheel is reinstalled only when it differs from the one installed.
NL_NER_VENV="${NL_NER_VENV:-$HOME/.cache/nl-ner/venv}"
if ! "$NL_NER_VENV/bin/python" -c 'import maturin, pytest' 2>/dev/null; then
    "$NL_NER_VENV/bin/python" -m pip install --quiet 'maturin>=1.7,<2' 'pytest>=7'
fi
_wheels="target/wheels"
rm -f "$_wheels"/nl_ner-*.whl
"$NL_NER_VENV/bin/maturin" build --release --quiet --out "$_wheels"
_wheel=$(ls "$_wheels"/nl_ner-*.whl)
_sum=$(sha256sum "$_wheel" | cut -d' ' -f1)
if [ "$(cat "$NL_NER_VENV/.nl-ner-wheel" 2>/dev/null)" != "$_sum" ] \
    || ! "$NL_NER_VENV/bin/python" -c 'import nl_ner' 2>/dev/null; then
    "$NL_NER_VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$_wheel"
fi
# Rewritten on every run: tests/integration/python.rs checks that it is newer than the sources.
echo "$_sum" >"$NL_NER_VENV/.nl-ner-wheel"
"$NL_NER_VENV/bin/python" -c 'import nl_ner; print("nl_ner", nl_ner.__version__, "from", nl_ner.__file__)'
export NL_NER_PYTHON="$NL_NER_VENV/bin/python"
unset _wheels _wheel _sum
