//! Helpers for tests that run the real `nl-ner` binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Entities as (start, end, label), in the order written: what two annotation files must agree on.
pub type Spans = Vec<(u64, u64, String)>;

/// The (start, end, label) of each entity in a JSON list of `{start, end, label}` objects.
pub fn spans_of(entities: &serde_json::Value) -> Spans {
    entities
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
                e["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The crate root, where `corpus/` and `models/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `nl-ner` with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The binary may exit before it reads its input (an error found first, such as a resume
    // with other settings): a closed pipe then is no failure of the test.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Runs `nl-ner` in the crate root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args, b"")
}

/// Stdout parsed as JSON lines.
pub fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(out)
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// `text[start:end]` in code points, as Python slices.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Stderr as text, for messages in assertions.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Annotates the letter in `corpus/` and renders it as `dir/report.html`; returns the extract
/// output and the page. Extract runs in the crate root on a relative path, so the ids (and the
/// README's picture, made from this page) read `corpus/letters/...`.
pub fn render_letter(dir: &Path) -> (Vec<serde_json::Value>, String) {
    let extracted = run(&["extract", "corpus/letters", "-q"]);
    assert!(extracted.status.success(), "{}", stderr(&extracted));
    let report = dir.join("report.html");
    let args = [
        "render",
        "-",
        "-o",
        report.to_str().unwrap(),
        "--title",
        "Kamerbrief 4 maart 2026",
    ];
    let rendered = run_in(dir, &args, &extracted.stdout);
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    (
        json_lines(&extracted.stdout),
        std::fs::read_to_string(&report).unwrap(),
    )
}

/// A Python that runs `imports` (`import spacy, seqeval`): `$NL_NER_PYTHON`, else the venv of
/// `.ci/setup.d/70-spacy.sh` (`~/.cache/nl-ner/venv/bin/python`), else `python3`.
pub fn python_with(imports: &str) -> Option<PathBuf> {
    let venv =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner/venv/bin/python"));
    let candidates = std::env::var_os("NL_NER_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(venv)
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", imports])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Fails the test: `what` is missing, `install` says how to get it. For the tests marked
/// `#[ignore = "needs ..."]`, which run only when asked for (`--include-ignored`, as in CI): asked
/// for, a missing tool is a failure, never a silent pass.
pub fn missing(what: &str, install: &str) -> ! {
    panic!("{what} is missing ({install}); this test is #[ignore]d in a plain `cargo test`")
}
