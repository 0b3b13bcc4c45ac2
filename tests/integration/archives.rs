//! Input the way archives have it (issue 25, item 7): Latin-1 text (`--encoding`), JSONL whose
//! text is another field (`--text-field`), output without the text (`--no-text`) and to standard
//! output by name (`-o -`), and a binary export refused on a terminal.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::{json_lines, run_in, slice_chars, stderr};

/// A Dutch sentence with the characters Latin-1 and Windows-1252 write in one byte each.
const TEXT: &str = "De minister sprak in Liège met José Müller van de NAVO over € 5 miljoen.";

/// `TEXT` in Windows-1252 (`é` is 0xE9, `€` 0x80), as an old archive holds it.
fn cp1252() -> Vec<u8> {
    TEXT.chars()
        .map(|c| match c {
            '€' => 0x80,
            c if (c as u32) < 0x100 => c as u8,
            c => panic!("{c} is not in Windows-1252"),
        })
        .collect()
}

/// Every entity's offsets slice its own text out of the line's `text`.
fn offsets_hold(line: &serde_json::Value) {
    let text = line["text"].as_str().unwrap();
    for e in line["entities"].as_array().unwrap() {
        let (s, end) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
        assert_eq!(
            slice_chars(text, s as usize, end as usize),
            e["text"],
            "{e}"
        );
    }
}

#[test]
fn latin1_text_is_refused_with_the_option_to_give_and_read_with_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("brief.txt"), cp1252()).unwrap();
    fs::write(dir.path().join("ok.txt"), TEXT).unwrap();

    // UTF-8 by default: the Latin-1 file is skipped with the option to give, the rest written.
    let out = run_in(dir.path(), &["extract", "-q", "brief.txt", "ok.txt"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("brief.txt: not valid UTF-8") && err.contains("--encoding windows-1252"),
        "{err}"
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "ok.txt");

    // Named, or guessed: the same annotations as the UTF-8 file, offsets into the decoded text.
    for encoding in ["latin1", "windows-1252", "auto"] {
        let out = run_in(
            dir.path(),
            &["extract", "-q", "--encoding", encoding, "brief.txt"],
            b"",
        );
        assert!(out.status.success(), "{encoding}: {}", stderr(&out));
        let got = &json_lines(&out.stdout)[0];
        assert_eq!(got["text"], TEXT, "{encoding}");
        assert_eq!(got["entities"], lines[0]["entities"], "{encoding}");
        offsets_hold(got);
    }
    // `auto` leaves UTF-8 as it is.
    let out = run_in(
        dir.path(),
        &["extract", "-q", "--encoding", "auto", "ok.txt"],
        b"",
    );
    assert_eq!(json_lines(&out.stdout)[0]["text"], TEXT);

    let out = run_in(
        dir.path(),
        &["extract", "--encoding", "klingon", "ok.txt"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown encoding \"klingon\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn jsonl_text_from_another_field_in_latin1() {
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = b"{\"id\":\"b1\",\"bron\":\"archief\",\"content\":\"".to_vec();
    jsonl.extend(cp1252());
    jsonl.extend(b"\"}\n");
    fs::write(dir.path().join("a.jsonl"), &jsonl).unwrap();

    // Without the option, the error names the fields that could hold the text.
    let out = run_in(dir.path(), &["extract", "-q", "a.jsonl"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a.jsonl:1: not valid UTF-8")
            && stderr(&out).contains("--encoding windows-1252"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        dir.path(),
        &["extract", "-q", "--encoding", "latin1", "a.jsonl"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "a.jsonl:1: no `text` field (its string fields: `bron`, `content`; name the one \
             with the text with --text-field)"
        ),
        "{}",
        stderr(&out)
    );

    let out = run_in(
        dir.path(),
        &[
            "extract",
            "-q",
            "--encoding",
            "latin1",
            "--text-field",
            "content",
            "a.jsonl",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let line = &json_lines(&out.stdout)[0];
    assert_eq!(line["id"], "b1");
    assert_eq!(line["bron"], "archief");
    assert_eq!(line["text"], TEXT);
    assert!(line.get("content").is_none(), "{line}");
    offsets_hold(line);
    assert!(
        line["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"] == "Liège"),
        "{line}"
    );
}

#[test]
fn no_text_leaves_the_text_out_and_readers_say_why_they_cannot_go_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), TEXT).unwrap();
    let full = run_in(dir.path(), &["extract", "-q", "ok.txt"], b"");
    let slim = run_in(dir.path(), &["extract", "-q", "--no-text", "ok.txt"], b"");
    assert!(slim.status.success(), "{}", stderr(&slim));
    let (full_line, slim_line) = (&json_lines(&full.stdout)[0], &json_lines(&slim.stdout)[0]);
    assert!(slim_line.get("text").is_none(), "{slim_line}");
    // Everything else is as with the text, offsets into the input's text included.
    let mut without = full_line.clone();
    without.as_object_mut().unwrap().remove("text");
    assert_eq!(&without, slim_line);
    assert!(slim.stdout.len() < full.stdout.len());

    fs::write(dir.path().join("slim.jsonl"), &slim.stdout).unwrap();
    for args in [
        &["entities", "slim.jsonl"][..],
        &["export", "--format", "conll", "slim.jsonl"],
        &["render", "slim.jsonl", "-o", "r.html"],
    ] {
        let out = run_in(dir.path(), args, b"");
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr(&out).contains("slim.jsonl:1") && stderr(&out).contains("extract --no-text"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn dash_writes_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), TEXT).unwrap();
    let plain = run_in(dir.path(), &["extract", "-q", "ok.txt"], b"");
    let dash = run_in(dir.path(), &["extract", "-q", "ok.txt", "-o", "-"], b"");
    assert!(dash.status.success(), "{}", stderr(&dash));
    assert_eq!(dash.stdout, plain.stdout);
    fs::write(dir.path().join("out.jsonl"), &plain.stdout).unwrap();
    for args in [
        &["export", "--format", "spacy", "out.jsonl"][..],
        &["entities", "out.jsonl"],
    ] {
        let plain = run_in(dir.path(), args, b"");
        let dash = run_in(dir.path(), &[args, &["-o", "-"]].concat(), b"");
        assert!(dash.status.success(), "{args:?}: {}", stderr(&dash));
        assert_eq!(dash.stdout, plain.stdout, "{args:?}");
    }
    // A report is several files: no stream.
    let out = run_in(dir.path(), &["render", "out.jsonl", "-o", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give -o FILE.html, not -o -"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("-").exists(), "no file named `-`");

    let out = run_in(
        dir.path(),
        &["extract", "ok.txt", "-o", "-", "--resume"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("standard output (-o -) cannot be resumed"),
        "{}",
        stderr(&out)
    );
}

/// Runs `nl-ner ARGS` in `dir` with its standard output on a pseudo-terminal (through
/// `python3`'s `os.openpty`), returning its exit status and stderr.
fn run_on_terminal(dir: &Path, args: &[&str]) -> Output {
    const ON_PTY: &str = "\
import os, subprocess, sys
main, sub = os.openpty()
r = subprocess.run(sys.argv[1:], stdout=sub, stderr=subprocess.PIPE)
os.close(sub)
sys.stderr.buffer.write(r.stderr)
sys.exit(r.returncode)
";
    Command::new("python3")
        .arg("-c")
        .arg(ON_PTY)
        .arg(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 runs")
}

#[test]
fn docbin_is_not_written_to_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), TEXT).unwrap();
    let out = run_in(
        dir.path(),
        &["extract", "-q", "ok.txt", "-o", "out.jsonl"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = run_on_terminal(dir.path(), &["export", "--format", "docbin", "out.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`--format docbin` is binary and standard output is a terminal"),
        "{}",
        stderr(&out)
    );
    // A text format goes to the terminal as before, and docbin into a pipe.
    let out = run_on_terminal(dir.path(), &["export", "--format", "conll", "out.jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &["export", "--format", "docbin", "out.jsonl"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!out.stdout.is_empty());
}
