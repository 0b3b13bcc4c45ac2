//! The training-data exports in their real consumers: spaCy (JSONL tokens into `Doc`, DocBin,
//! `spacy train`, `spacy convert` on the CoNLL export) and seqeval (against `eval --json`), by
//! `tests/python/consumers.py` over the extract output of `corpus/`.
//!
//! Needs a Python with spaCy and seqeval: `$NL_NER_PYTHON`, else `~/.cache/nl-ner/venv/bin/python`
//! (made by `.ci/setup.d/70-spacy.sh`), else `python3`: ignored in a plain `cargo test`, and run
//! with `--include-ignored`, when it fails without them.

use std::process::Command;

use crate::util::{missing, python_with, root, run, stderr};

#[test]
#[ignore = "needs spaCy and seqeval: .ci/setup.d/70-spacy.sh"]
fn spacy_and_seqeval_read_the_exports_without_loss() {
    let python = python_with("import spacy, seqeval").unwrap_or_else(|| {
        missing(
            "a Python with spaCy and seqeval",
            "bash .ci/setup.d/70-spacy.sh makes the venv",
        )
    });
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
