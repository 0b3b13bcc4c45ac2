//! The training-data exports in their real consumers: spaCy (JSONL tokens into `Doc`, DocBin,
//! `spacy train`, `spacy convert` on the CoNLL export) and seqeval (against `eval --json`), by
//! `tests/python/consumers.py` over the extract output of `corpus/`.
//!
//! Needs a Python with spaCy and seqeval: `$NL_NER_PYTHON`, else `~/.cache/nl-ner/venv/bin/python`
//! (made by `.ci/setup.d/70-spacy.sh`), else `python3`. Without them the test fails when
//! `CI=true` and is skipped with a message otherwise.

mod util;

use std::process::Command;

use util::{python_with, root, run, skip_unless_ci, stderr};

#[test]
fn spacy_and_seqeval_read_the_exports_without_loss() {
    let Some(python) = python_with("import spacy, seqeval") else {
        skip_unless_ci(
            "consumer tests",
            "spaCy and seqeval are not installed (.ci/setup.d/70-spacy.sh makes the venv)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("corpus.jsonl");
    let out = run(&[
        "extract",
        "corpus/",
        "--quiet",
        "-o",
        extract.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = Command::new(&python)
        .arg(root().join("tests/python/consumers.py"))
        .arg(env!("CARGO_BIN_EXE_nl-ner"))
        .arg(&extract)
        .arg(dir.path())
        .current_dir(root())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", stderr(&out));
    assert!(
        stdout.lines().any(|l| l.ends_with(" passed, 0 failed")),
        "{stdout}"
    );
}
