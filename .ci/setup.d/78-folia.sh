# FoLiA-tools (PyPI `folia-tools`, with the `folia` library) in a virtual environment of its own, for
# tests/integration/folia.rs: `foliavalidator` checks `nl-ner export --format folia`, and the test
# reads the file back with `folia.main.Document`.
NL_NER_FOLIA_VENV="${NL_NER_FOLIA_VENV:-$HOME/.cache/nl-ner/folia-venv}"
if ! "$NL_NER_FOLIA_VENV/bin/foliavalidator" --help >/dev/null 2>&1; then
    python3 -m venv "$NL_NER_FOLIA_VENV" 2>/dev/null \
        || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$NL_NER_FOLIA_VENV"; }
    "$NL_NER_FOLIA_VENV/bin/python" -m pip install --quiet 'folia-tools==2.5.9'
fi
export NL_NER_FOLIA_VENV
