# label-studio-sdk (PyPI) in a virtual environment of its own, for tests/integration/serve.rs: the
# predictions of `nl-ner serve` checked by the SDK's own validator against the project's labelling
# configuration. Its own environment because the SDK pins pydantic and httpx versions that the
# spaCy environment of 70-spacy.sh need not share.
NL_NER_LS_VENV="${NL_NER_LS_VENV:-$HOME/.cache/nl-ner/ls-venv}"
if ! "$NL_NER_LS_VENV/bin/python" -c 'import label_studio_sdk' 2>/dev/null; then
    python3 -m venv "$NL_NER_LS_VENV" 2>/dev/null \
        || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$NL_NER_LS_VENV"; }
    "$NL_NER_LS_VENV/bin/python" -m pip install --quiet 'label-studio-sdk>=2,<3'
fi
export NL_NER_LS_PYTHON="$NL_NER_LS_VENV/bin/python"
