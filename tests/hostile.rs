//! Hostile input and output faults, through the real binary: every bad input is reported by name
//! and reason, the rest of the batch is still written, and the exit status says something failed
//! (docs/reliability.md). Big inputs are generated here, in a temporary directory.

mod util;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use util::{json_lines, run_in, stderr};

const GOOD: &str = "Minister Brekelmans sprak in Brussel met de NAVO.";

fn ids(out: &[u8]) -> Vec<String> {
    json_lines(out).iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn bad_files_in_a_batch_are_named_with_their_reason_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a_good.txt"), GOOD).unwrap();
    fs::write(d.join("b_nul.txt"), b"De NAVO\0en de EU").unwrap();
    fs::write(d.join("c_latin1.txt"), b"Cura\xe7ao en Den Haag").unwrap();
    // A lone surrogate as WTF-8 / CESU-8 writes it: not UTF-8.
    fs::write(d.join("d_surrogate.txt"), b"De \xed\xa0\x80 NAVO").unwrap();
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    fs::write(d.join("e_binary.txt"), &binary).unwrap();
    fs::write(d.join("f_empty.txt"), b"").unwrap();
    fs::write(d.join("g_good.md"), GOOD).unwrap();
    let out = run_in(d, &["extract", ".", "missing.txt", "--threads", "2"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for (file, reason) in [
        ("b_nul.txt", "binary file (NUL byte at byte 7)"),
        ("c_latin1.txt", "not valid UTF-8 (invalid byte sequence at byte 4)"),
        ("d_surrogate.txt", "not valid UTF-8 (invalid byte sequence at byte 3)"),
        ("e_binary.txt", "binary file"),
        ("missing.txt", "no such file or directory"),
    ] {
        assert!(err.lines().any(|l| l.contains(file) && l.contains(reason)), "{file}: {reason} in\n{err}");
    }
    assert!(err.contains("5 failed"), "{err}");
    assert_eq!(ids(&out.stdout), ["./a_good.txt", "./f_empty.txt", "./g_good.md"]);
}

#[test]
fn bad_jsonl_lines_are_named_by_line_and_extra_fields_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = [
        r#"{"id":"ok1","text":"De NAVO vergadert.","bron":"tk","meta":{"jaar":2026,"tags":["a",null]},"n":777777777777777777777777777777777777777777777777773,"f":0.30000000000000004}"#,
        r#"{"id":"no-text","body":"De NAVO"}"#,
        r#"this is not json"#,
        r#"{"id":"num","text":42}"#,
        r#"{"id":"arr","text":["De","NAVO"]}"#,
        r#"{"id":"ok2","text":"Den Haag.","schema":99,"entities":"x"}"#,
        r#"[1,2,3]"#,
        r#"{"id":"trunc","text":"De NAV"#,
        r#"{"id":"ok3","text":"NUL \u0000 en emoji 😀 in \"JSON\"."}"#,
    ];
    fs::write(d.join("in.jsonl"), lines.join("\n") + "\n").unwrap();
    let out = run_in(d, &["extract", "in.jsonl"], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (line, reason) in [
        (2, "no `text` field"),
        (3, "not a JSON object"),
        (4, "field `text` is not a string (found a number)"),
        (5, "field `text` is not a string (found an array)"),
        (7, "not a JSON object"),
        (8, "not a JSON object"),
    ] {
        let at = format!("in.jsonl:{line}: {reason}");
        assert!(err.contains(&at), "{at} in\n{err}");
    }
    let docs = json_lines(&out.stdout);
    assert_eq!(ids(&out.stdout), ["ok1", "ok2", "ok3"]);
    assert_eq!(docs[0]["bron"], "tk");
    assert_eq!(docs[0]["meta"], serde_json::json!({"jaar":2026,"tags":["a",null]}), "unknown fields kept as they were");
    // Numbers keep their value, even beyond 64-bit integers (found by the `jsonl` fuzz target).
    let input: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!((&docs[0]["n"], &docs[0]["f"]), (&input["n"], &input["f"]));
    assert_eq!(docs[1]["schema"], 1, "reserved fields are the output's");
    assert_eq!(docs[2]["text"], "NUL \u{0} en emoji 😀 in \"JSON\".");
}

#[test]
fn an_oversized_document_is_skipped_with_a_message_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 50 MB on one line, above the default limit; read into memory it would take gigabytes.
    let sentence = "De Tweede Kamer sprak met minister Brekelmans over de NAVO-top in Den Haag. ";
    let mut f = std::io::BufWriter::new(fs::File::create(d.join("a_huge.txt")).unwrap());
    let copies = 50_000_000 / sentence.len();
    for _ in 0..copies {
        f.write_all(sentence.as_bytes()).unwrap();
    }
    f.into_inner().unwrap();
    fs::write(d.join("b_good.txt"), GOOD).unwrap();
    let big_line = format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n", sentence.repeat(2000));
    fs::write(d.join("c.jsonl"), format!("{big_line}{{\"id\":\"short\",\"text\":\"{GOOD}\"}}\n")).unwrap();

    let out = run_in(d, &["extract", "a_huge.txt", "b_good.txt", "c.jsonl", "--max-doc-bytes", "100000"], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let message = format!("a_huge.txt: document too large ({} bytes, over the limit of 100000 bytes", copies * sentence.len());
    assert!(err.contains(&message), "{err}");
    assert!(err.contains("c.jsonl:1: document too large"), "{err}");
    assert_eq!(ids(&out.stdout), ["b_good.txt", "short"]);

    // The default limit holds the 50 MB file too, and a stream (size unknown) is cut off at it.
    let out = run_in(d, &["extract", "a_huge.txt", "b_good.txt", "--quiet"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a_huge.txt: document too large"), "{}", stderr(&out));
    let out = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(["extract", "-", "--quiet"])
        .stdin(fs::File::open(d.join("a_huge.txt")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("<stdin>: document too large (over the limit of 16777216 bytes"), "{}", stderr(&out));

    // A long single line under the limit goes through whole.
    let huge = fs::read(d.join("a_huge.txt")).unwrap();
    let out = run_in(d, &["extract", "-", "--quiet"], &huge[..1 << 20]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json_lines(&out.stdout)[0]["entities"].as_array().unwrap().len() > 1000);
}

#[test]
fn a_hundred_thousand_tiny_documents_come_out_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut input = String::new();
    for i in 0..100_000 {
        input.push_str(&format!("{{\"id\":\"{i}\",\"text\":\"NAVO {i}\"}}\n"));
    }
    fs::write(d.join("tiny.jsonl"), input).unwrap();
    let out = run_in(d, &["extract", "tiny.jsonl", "--quiet", "-o", "out.jsonl"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        assert!(line.starts_with(&format!("{{\"schema\":1,\"id\":\"{i}\",\"text\":\"NAVO {i}\"")), "{line}");
        n += 1;
    }
    assert_eq!(n, 100_000);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("docs")).unwrap();
    fs::write(d.join("docs/a.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink("..", d.join("docs/up")).unwrap();
    std::os::unix::fs::symlink("self.txt", d.join("self.txt")).unwrap();
    let out = run_in(d, &["extract", "docs", "self.txt", "--quiet"], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("docs/up: symbolic link loop"), "{err}");
    assert!(err.contains("self.txt") && err.to_lowercase().contains("symbolic links"), "{err}");
    assert_eq!(ids(&out.stdout), ["docs/a.txt"]);
}

/// Runs `script` (with `$D` a mount point and `$BIN` the binary) where a 1 MiB tmpfs can be
/// mounted: directly when allowed (root), else in a user and mount namespace (`unshare -rm`).
/// `None` when neither works.
fn in_small_tmpfs(mount_point: &Path, script: &str) -> Option<std::process::Output> {
    let full = format!(
        "mount -t tmpfs -o size=1m tmpfs \"$D\" 2>/dev/null || exit 99\n{script}\nrc=$?\numount \"$D\"\nexit $rc"
    );
    for wrapper in [&[][..], &["unshare", "-rm"][..]] {
        let mut cmd = Command::new(wrapper.first().copied().unwrap_or("sh"));
        if !wrapper.is_empty() {
            cmd.args(&wrapper[1..]).arg("sh");
        }
        let out = cmd
            .args(["-c", &full])
            .env("D", mount_point)
            .env("BIN", env!("CARGO_BIN_EXE_nl-ner"))
            .current_dir(util::root())
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(o) if o.status.code() != Some(99) => return Some(o),
            _ => {}
        }
    }
    None
}

#[test]
fn a_full_file_system_is_a_clear_error_and_leaves_no_file_at_the_output_path() {
    let dir = tempfile::tempdir().unwrap();
    // The corpus four times over makes about 3 MB of output.
    let script = "\"$BIN\" extract corpus/ corpus/ corpus/ corpus/ --quiet --no-domain -o \"$D/out.jsonl\"\nrc=$?\nls -a \"$D\"\nexit $rc";
    let Some(out) = in_small_tmpfs(dir.path(), script) else {
        eprintln!("\n*** SKIPPED a_full_file_system_...: cannot mount a tmpfs (neither as root nor with unshare -rm) ***\n");
        return;
    };
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("out.jsonl") && err.contains("No space left on device"), "{err}");
    assert!(err.contains("rerun with --resume"), "{err}");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(!listing.lines().any(|l| l == "out.jsonl"), "no file at the output path: {listing}");
    assert!(listing.lines().any(|l| l == ".out.jsonl.nl-ner-partial"), "{listing}");
}

#[cfg(target_os = "linux")]
#[test]
fn special_output_files_are_written_directly() {
    // A write error on a device is reported like any other.
    let out = util::run(&["extract", "corpus/letters", "--quiet", "-o", "/dev/full"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/dev/full") && stderr(&out).contains("No space left on device"), "{}", stderr(&out));
    assert!(Path::new("/dev/full").exists());

    let out = util::run(&["extract", "corpus/letters", "--quiet", "-o", "/dev/stdout"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out.stdout).len(), 1);

    // Standard output redirected to a regular file: written through it; /dev/stdout stays.
    let dir = tempfile::tempdir().unwrap();
    let redirected = dir.path().join("redirected.jsonl");
    let status = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(["extract", "corpus/letters", "--quiet", "-o", "/dev/stdout"])
        .current_dir(util::root())
        .stdout(fs::File::create(&redirected).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(json_lines(&fs::read(&redirected).unwrap()).len(), 1);
    assert!(fs::symlink_metadata("/dev/stdout").unwrap().file_type().is_symlink(), "/dev/stdout replaced");
    assert!(!Path::new("/dev/.stdout.nl-ner-partial").exists());
    fs::remove_file(&redirected).unwrap();

    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = util::run(&["extract", "corpus/letters", "--quiet", "-o", fifo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&reader.join().unwrap()).len(), 1);
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was not replaced");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file beside a FIFO");
}
