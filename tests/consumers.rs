//! The training-data exports in their real consumers: spaCy (JSONL tokens into `Doc`, DocBin,
//! `spacy train`, `spacy convert` on the CoNLL export) and seqeval (against `eval --json`), by
//! `tests/python/consumers.py` over the extract output of `corpus/`.
//!
//! Needs a Python with spaCy and seqeval: `$NL_NER_PYTHON`, else `~/.cache/nl-ner/venv/bin/python`
//! (made by `.ci/setup.d/70-spacy.sh`), else `python3`. Without them the test fails when
//! `CI=true` and is skipped with a message otherwise.

mod util;

use std::path::PathBuf;
use std::process::Command;

use util::{root, run, stderr};

/// A Python that imports spaCy and seqeval, if there is one.
fn python() -> Option<PathBuf> {
    let venv =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner/venv/bin/python"));
    let candidates = std::env::var_os("NL_NER_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(venv)
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import spacy, seqeval"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn spacy_and_seqeval_read_the_exports_without_loss() {
    let Some(python) = python() else {
        let msg = "spaCy and seqeval are not installed (.ci/setup.d/70-spacy.sh makes the venv)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}: the consumer tests must run in CI");
        }
        eprintln!("skipping the spaCy/seqeval test: {msg}");
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
