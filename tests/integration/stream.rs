//! `nl-ner extract -` as a streaming filter: one output line per input line, in order, each
//! written as soon as its document is done, while the input is still open.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util;

#[test]
fn each_line_comes_out_before_the_next_goes_in_and_bad_lines_become_error_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args([
            "extract",
            "-",
            "--error-records",
            "--quiet",
            "--threads",
            "2",
        ])
        .current_dir(util::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in stdout.lines() {
            tx.send(line.unwrap()).unwrap();
        }
    });
    let inputs = [
        r#"{"id":"a","text":"De minister van Defensie sprak met de NAVO in Brussel."}"#,
        r#"{"id":"b","text":42}"#,
        "not json at all",
        r#"{"id":"c","text":"Mark Rutte bezocht Den Haag."}"#,
    ];
    let mut got = Vec::new();
    for line in inputs {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        // The input stays open: the answer must come without waiting for more input or EOF.
        let out = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("an output line while stdin is still open");
        got.push(serde_json::from_str::<serde_json::Value>(&out).unwrap());
    }
    drop(stdin);
    reader.join().unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "bad lines are error lines, not a failed run: {status}"
    );
    assert!(
        rx.try_recv().is_err(),
        "exactly one output line per input line"
    );

    assert_eq!(got[0]["id"], "a");
    assert!(
        got[0]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"] == "NAVO")
    );
    assert_eq!(got[1]["input"], "<stdin>:2");
    assert!(
        got[1]["error"]
            .as_str()
            .unwrap()
            .contains("`text` is not a string")
    );
    assert_eq!(got[2]["input"], "<stdin>:3");
    assert!(
        got[2]["error"]
            .as_str()
            .unwrap()
            .contains("not a JSON object")
    );
    assert_eq!(got[3]["id"], "c");
}
