# spaCy and seqeval (PyPI) in a virtual environment, for tests/integration/consumers.rs: the training-data
# exports loaded by spaCy (Doc, DocBin, `spacy train`, `spacy convert`) and `eval` checked
# against seqeval. A blank Dutch pipeline only (`spacy.blank("nl")`): no model is downloaded.
NL_NER_VENV="${NL_NER_VENV:-$HOME/.cache/nl-ner/venv}"
if ! "$NL_NER_VENV/bin/python" -c 'import spacy, seqeval' 2>/dev/null; then
    # Debian's python3 needs python3-venv for `-m venv`.
    python3 -m venv "$NL_NER_VENV" 2>/dev/null \
        || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$NL_NER_VENV"; }
    "$NL_NER_VENV/bin/python" -m pip install --quiet 'spacy>=3.7,<4' 'seqeval==1.2.2'
fi
export NL_NER_PYTHON="$NL_NER_VENV/bin/python"
