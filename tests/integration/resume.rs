//! A run killed with SIGKILL leaves no file at the output path, and `--resume` finishes it into a
//! file byte-identical to an uninterrupted run's (docs/reliability.md).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::util::{self, run_in, stderr};

/// Waits (at most a minute) until the partial output file holds a whole first document.
fn wait_for_first_document(partial: &Path) {
    let started = Instant::now();
    while !fs::read(partial).unwrap_or_default().ends_with(b"\n") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first document never came out"
        );
        sleep(Duration::from_millis(5));
    }
}

/// Starts `nl-ner ARGS` in `d` on standard input, gives it the first line of `input`, and
/// SIGKILLs it once that document is in the partial file `partial` (while it waits for more).
fn kill_after_first_document(d: &Path, args: &[&str], input: &str, partial: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .current_dir(d)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(input.lines().next().unwrap().as_bytes())
        .unwrap();
    stdin.write_all(b"\n").unwrap();
    stdin.flush().unwrap();
    wait_for_first_document(&d.join(partial));
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
}

/// A JSONL corpus of real text: every corpus document, repeated under fresh ids.
fn write_corpus(path: &Path, copies: usize) {
    let out = util::run(&[
        "extract",
        "corpus/",
        "--quiet",
        "--no-domain",
        "--threads",
        "1",
    ]);
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
    let args = [
        "extract",
        "in.jsonl",
        "--quiet",
        "--threads",
        "1",
        "--batch-size",
        "8",
    ];

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
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed; use a bigger corpus"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no output after two minutes"
        );
        sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !d.join("out.jsonl").exists(),
        "nothing at the output path after SIGKILL"
    );
    let written = fs::read(&partial).unwrap();
    assert!(written.len() < expected.len(), "killed midway");
    assert!(
        expected.starts_with(
            &written[..written
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)]
        )
    );
    // Whatever the kill left, a torn line is what a crash mid-write leaves: add one.
    fs::OpenOptions::new()
        .append(true)
        .open(&partial)
        .unwrap()
        .write_all(b"{\"schema\":1,\"id\":\"tor")
        .unwrap();

    let resumed = run_in(
        d,
        &[&args[..], &["-o", "out.jsonl", "--resume"]].concat(),
        b"",
    );
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        fs::read(d.join("out.jsonl")).unwrap() == expected,
        "resumed output differs from an uninterrupted run's"
    );
    assert!(!partial.exists());
}

#[test]
fn resuming_with_other_inputs_or_settings_is_an_error_and_keeps_the_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = "{\"id\":\"1\",\"text\":\"De NAVO.\"}\n{\"id\":\"2\",\"text\":\"Den Haag.\"}\n";
    let full = run_in(
        d,
        &["extract", "-", "-o", "full.jsonl", "--quiet"],
        input.as_bytes(),
    );
    assert!(full.status.success());
    let expected = fs::read(d.join("full.jsonl")).unwrap();

    // A run on standard input that has written its first document and waits for the second.
    let args = [
        "extract",
        "-",
        "-o",
        "out.jsonl",
        "--quiet",
        "--batch-size",
        "1",
    ];
    kill_after_first_document(d, &args, input, ".out.jsonl.nl-ner-partial");
    let partial = d.join(".out.jsonl.nl-ner-partial");

    let out = run_in(
        d,
        &["extract", "-", "-o", "out.jsonl", "--quiet", "--resume"],
        b"{\"id\":\"9\",\"text\":\"De NAVO.\"}\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(".out.jsonl.nl-ner-partial") && err.contains("`9`") && err.contains("`1`"),
        "{err}"
    );
    assert!(
        partial.exists(),
        "the partial file is kept for a resume with the right inputs"
    );
    assert!(!d.join("out.jsonl").exists());

    let out = run_in(
        d,
        &[
            "extract",
            "-",
            "-o",
            "out.jsonl",
            "--quiet",
            "--resume",
            "--no-domain",
        ],
        input.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "other settings would annotate the rest differently"
    );
    assert!(
        stderr(&out).contains("other settings") && stderr(&out).contains("no domain true"),
        "{}",
        stderr(&out)
    );

    let out = run_in(
        d,
        &["extract", "-", "-o", "out.jsonl", "--quiet", "--resume"],
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::read(d.join("out.jsonl")).unwrap() == expected);

    let out = run_in(d, &["extract", "-", "--resume"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2), "--resume needs an output file");
}

/// Issue 14: the settings record holds the contents (size and CRC-32) of the model and gazetteer
/// files, not only their paths: a file replaced between the kill and the resume is refused.
#[test]
fn resuming_after_a_gazetteer_or_model_file_changed_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("g.tsv"), "Stichting Voorbeeld\tORG\torg:voorbeeld\n").unwrap();
    fs::copy(
        util::root().join("models/nl-ner-crf.model"),
        d.join("m.model"),
    )
    .unwrap();
    let input = "{\"id\":\"1\",\"text\":\"De Stichting Voorbeeld.\"}\n{\"id\":\"2\",\"text\":\"Den Haag.\"}\n";
    let args = [
        "extract",
        "-",
        "-o",
        "out.jsonl",
        "--quiet",
        "--gazetteer",
        "g.tsv",
        "--model",
        "m.model",
    ];
    kill_after_first_document(
        d,
        &[&args[..], &["--batch-size", "1"]].concat(),
        input,
        ".out.jsonl.nl-ner-partial",
    );

    // Same paths, other contents.
    fs::write(d.join("g.tsv"), "Stichting Voorbeeld\tORG\torg:ander\n").unwrap();
    let out = run_in(d, &[&args[..], &["--resume"]].concat(), input.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("other settings") && stderr(&out).contains("g.tsv (38 bytes, crc32"),
        "{}",
        stderr(&out)
    );
    fs::write(d.join("g.tsv"), "Stichting Voorbeeld\tORG\torg:voorbeeld\n").unwrap();
    let mut model = fs::read(d.join("m.model")).unwrap();
    model.push(0);
    fs::write(d.join("m.model"), &model).unwrap();
    model.pop();
    let out = run_in(d, &[&args[..], &["--resume"]].concat(), input.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    fs::write(d.join("m.model"), &model).unwrap();
    let out = run_in(d, &[&args[..], &["--resume"]].concat(), input.as_bytes());
    assert!(
        out.status.success(),
        "the original files resume: {}",
        stderr(&out)
    );
    assert_eq!(
        util::json_lines(&fs::read(d.join("out.jsonl")).unwrap()).len(),
        2
    );
}

/// Issue 14: Ctrl-C says where the finished documents are and the command that continues.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_says_how_to_resume() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(["extract", "-", "-o", "out file.jsonl", "--batch-size", "1"])
        .current_dir(d)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"{\"id\":\"1\",\"text\":\"De NAVO.\"}\n")
        .unwrap();
    stdin.flush().unwrap();
    wait_for_first_document(&d.join(".out file.jsonl.nl-ner-partial"));
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        Some(2),
        "ended by SIGINT, as without the message"
    );
    let err = stderr(&out);
    assert!(
        err.contains(
            "interrupted; the finished documents are kept in .out file.jsonl.nl-ner-partial"
        ),
        "{err}"
    );
    assert!(
        err.contains("extract - -o 'out file.jsonl' --batch-size 1 --resume"),
        "{err}"
    );
}

/// Issue 14: one vocabulary (mentions are not entities) and singulars in the summary.
#[test]
fn the_summary_counts_mentions_in_the_singular_where_one() {
    let out = run_in(Path::new("."), &["extract", "-"], b"De NAVO.");
    let err = stderr(&out);
    assert!(
        err.starts_with("nl-ner: 1 document, 3 tokens, 1 mention (ORG 1), 0 failed"),
        "{err}"
    );
}

/// Issue 25: `--resume` with no interrupted run behind it says it starts afresh, and does.
#[test]
fn resume_without_a_partial_file_says_it_starts_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = b"{\"id\":\"1\",\"text\":\"De NAVO.\"}\n";
    let out = run_in(d, &["extract", "-", "-o", "out.jsonl", "--resume"], input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "nothing to resume for out.jsonl (no finished document of an interrupted run); \
             starting afresh"
        ),
        "{}",
        stderr(&out)
    );
    let fresh = run_in(d, &["extract", "-", "-q"], input);
    assert_eq!(fs::read(d.join("out.jsonl")).unwrap(), fresh.stdout);
}
