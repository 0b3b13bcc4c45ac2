"""Shared fixtures of the Python binding's tests (run by tests/integration/python.rs, or `pytest` here).

The command line they compare with is `$NL_NER_BIN`, else `target/release/nl-ner`; it must exist
(`cargo build --release`): the comparison is the point of these tests, so it is never skipped.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

import nl_ner

ROOT = Path(__file__).resolve().parents[3]
LETTER = "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt"


def read_text(path):
    """A corpus file as `nl-ner extract` reads it: UTF-8, a BOM dropped, line ends kept."""
    with open(ROOT / path, encoding="utf-8-sig", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def cli():
    """Runs the nl-ner binary in the repository root; returns the completed process."""
    binary = Path(os.environ.get("NL_NER_BIN", ROOT / "target/release/nl-ner"))
    assert binary.is_file(), f"{binary} not found: build it with `cargo build --release` or set NL_NER_BIN"

    def run(*args, input=None):
        return subprocess.run([str(binary), *map(str, args)], cwd=ROOT, input=input, capture_output=True, text=True)

    return run


@pytest.fixture(scope="session")
def corpus_lines(cli):
    """`nl-ner extract corpus/`'s output lines (314 documents)."""
    out = cli("extract", "corpus/", "--quiet")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) > 300
    return lines


@pytest.fixture(scope="session")
def corpus_docs(corpus_lines):
    """(id, text) of each document of corpus/, in the command line's order."""
    ids = [json.loads(line)["id"] for line in corpus_lines]
    return [(i, read_text(i)) for i in ids]


@pytest.fixture(scope="session")
def pipe():
    return nl_ner.Pipeline()
