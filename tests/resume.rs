//! A run killed with SIGKILL leaves no file at the output path, and `--resume` finishes it into a
//! file byte-identical to an uninterrupted run's (docs/reliability.md).

mod util;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use util::{run_in, stderr};

/// A JSONL corpus of real text: every corpus document, repeated under fresh ids.
fn write_corpus(path: &Path, copies: usize) {
    let out = util::run(&["extract", "corpus/", "--quiet", "--no-domain", "--threads", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = util::json_lines(&out.stdout);
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    for copy in 0..copies {
        for d in &docs {
            let line = serde_json::json!({"id": format!("{copy}/{}", d["id"].as_str().unwrap()), "text": d["text"], "copy": copy});
            writeln!(f, "{line}").unwrap();
        }
    }
    f.flush().unwrap();
}

#[test]
fn a_killed_run_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_corpus(&d.join("in.jsonl"), 4);
    let args = ["extract", "in.jsonl", "--quiet", "--threads", "1", "--batch-size", "8"];

    let full = run_in(d, &[&args[..], &["-o", "full.jsonl"]].concat(), b"");
    assert!(full.status.success(), "{}", stderr(&full));
    let expected = fs::read(d.join("full.jsonl")).unwrap();

    let partial = d.join(".out.jsonl.nl-ner-partial");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .args(["-o", "out.jsonl"])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a few batches are out, well before the end.
    let started = Instant::now();
    while fs::metadata(&partial).map_or(0, |m| m.len()) < expected.len() as u64 / 10 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed; use a bigger corpus");
        assert!(started.elapsed() < Duration::from_secs(120), "no output after two minutes");
        sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!d.join("out.jsonl").exists(), "nothing at the output path after SIGKILL");
    let written = fs::read(&partial).unwrap();
    assert!(written.len() < expected.len(), "killed midway");
    assert!(expected.starts_with(&written[..written.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)]));
    // Whatever the kill left, a torn line is what a crash mid-write leaves: add one.
    fs::OpenOptions::new().append(true).open(&partial).unwrap().write_all(b"{\"schema\":1,\"id\":\"tor").unwrap();

    let resumed = run_in(d, &[&args[..], &["-o", "out.jsonl", "--resume"]].concat(), b"");
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(fs::read(d.join("out.jsonl")).unwrap() == expected, "resumed output differs from an uninterrupted run's");
    assert!(!partial.exists());
}

#[test]
fn resuming_with_other_inputs_is_an_error_and_keeps_the_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.jsonl"), "{\"id\":\"1\",\"text\":\"De NAVO.\"}\n{\"id\":\"2\",\"text\":\"Den Haag.\"}\n").unwrap();
    let first = run_in(d, &["extract", "a.jsonl", "-o", "out.jsonl", "--quiet"], b"");
    assert!(first.status.success());
    // Pretend the run died after the first document.
    let lines = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let partial = d.join(".out.jsonl.nl-ner-partial");
    fs::write(&partial, lines.lines().next().unwrap().to_string() + "\n").unwrap();
    fs::write(d.join("b.jsonl"), "{\"id\":\"9\",\"text\":\"De NAVO.\"}\n").unwrap();
    let out = run_in(d, &["extract", "b.jsonl", "-o", "out.jsonl", "--quiet", "--resume"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(".out.jsonl.nl-ner-partial") && err.contains("`9`") && err.contains("`1`"), "{err}");
    assert!(partial.exists(), "the partial file is kept for a resume with the right inputs");
    assert_eq!(fs::read_to_string(d.join("out.jsonl")).unwrap(), lines, "the old output is untouched");

    let out = run_in(d, &["extract", "a.jsonl", "-o", "out.jsonl", "--quiet", "--resume"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(d.join("out.jsonl")).unwrap(), lines);

    let out = run_in(d, &["extract", "a.jsonl", "--resume"], b"");
    assert_eq!(out.status.code(), Some(2), "--resume needs an output file");
}
