//! Hostile input and output faults, through the real binary: every bad input is reported by name
//! and reason, the rest of the batch is still written, and the exit status says something failed
//! (docs/reliability.md). Big inputs are generated here, in a temporary directory.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{self, json_lines, run_in, stderr};

const GOOD: &str = "Minister Brekelmans sprak in Brussel met de NAVO.";

fn ids(out: &[u8]) -> Vec<String> {
    json_lines(out)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
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
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(d.join("e_binary.txt"), &binary).unwrap();
    fs::write(d.join("f_empty.txt"), b"").unwrap();
    fs::write(d.join("g_good.md"), GOOD).unwrap();
    let out = run_in(d, &["extract", ".", "missing.txt", "--threads", "2"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for (file, reason) in [
        ("b_nul.txt", "binary file (NUL byte at byte 7)"),
        (
            "c_latin1.txt",
            "not valid UTF-8 (invalid byte sequence at byte 4)",
        ),
        (
            "d_surrogate.txt",
            "not valid UTF-8 (invalid byte sequence at byte 3)",
        ),
        ("e_binary.txt", "binary file"),
        ("missing.txt", "no such file or directory"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} in\n{err}"
        );
    }
    assert!(err.contains("5 failed"), "{err}");
    assert_eq!(
        ids(&out.stdout),
        ["./a_good.txt", "./f_empty.txt", "./g_good.md"]
    );
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
    assert_eq!(
        docs[0]["meta"],
        serde_json::json!({"jaar":2026,"tags":["a",null]}),
        "unknown fields kept as they were"
    );
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
    let big_line = format!(
        "{{\"id\":\"long\",\"text\":\"{}\"}}\n",
        sentence.repeat(2000)
    );
    fs::write(
        d.join("c.jsonl"),
        format!("{big_line}{{\"id\":\"short\",\"text\":\"{GOOD}\"}}\n"),
    )
    .unwrap();

    let out = run_in(
        d,
        &[
            "extract",
            "a_huge.txt",
            "b_good.txt",
            "c.jsonl",
            "--max-doc-bytes",
            "100000",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let message = format!(
        "a_huge.txt: document too large ({} bytes, over the limit of 100000 bytes",
        copies * sentence.len()
    );
    assert!(err.contains(&message), "{err}");
    assert!(err.contains("c.jsonl:1: document too large"), "{err}");
    assert_eq!(ids(&out.stdout), ["b_good.txt", "short"]);

    // The default limit holds the 50 MB file too, and a stream (size unknown) is cut off at it.
    let out = run_in(d, &["extract", "a_huge.txt", "b_good.txt", "--quiet"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a_huge.txt: document too large"),
        "{}",
        stderr(&out)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(["extract", "-", "--quiet"])
        .stdin(fs::File::open(d.join("a_huge.txt")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>: document too large (over the limit of 16777216 bytes"),
        "{}",
        stderr(&out)
    );

    // A long single line under the limit goes through whole.
    let huge = fs::read(d.join("a_huge.txt")).unwrap();
    let out = run_in(d, &["extract", "-", "--quiet"], &huge[..1 << 20]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        json_lines(&out.stdout)[0]["entities"]
            .as_array()
            .unwrap()
            .len()
            > 1000
    );
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
    let out = run_in(
        d,
        &["extract", "tiny.jsonl", "--quiet", "-o", "out.jsonl"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        assert!(
            line.starts_with(&format!(
                "{{\"schema\":1,\"id\":\"{i}\",\"text\":\"NAVO {i}\""
            )),
            "{line}"
        );
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
    assert!(
        err.contains("docs/up: symbolic link loop") && !err.contains("loop; skipped"),
        "{err}"
    );
    assert!(
        err.contains("self.txt") && err.to_lowercase().contains("symbolic links"),
        "{err}"
    );
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
        eprintln!(
            "\n*** SKIPPED a_full_file_system_...: cannot mount a tmpfs (neither as root nor with unshare -rm) ***\n"
        );
        return;
    };
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out.jsonl") && err.contains("No space left on device"),
        "{err}"
    );
    assert!(err.contains("rerun with --resume"), "{err}");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        !listing.lines().any(|l| l == "out.jsonl"),
        "no file at the output path: {listing}"
    );
    assert!(
        listing.lines().any(|l| l == ".out.jsonl.nl-ner-partial"),
        "{listing}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn special_output_files_are_written_directly() {
    // A write error on a device is reported like any other.
    let out = util::run(&["extract", "corpus/letters", "--quiet", "-o", "/dev/full"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/dev/full") && stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
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
    assert!(
        fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink(),
        "/dev/stdout replaced"
    );
    assert!(!Path::new("/dev/.stdout.nl-ner-partial").exists());
    fs::remove_file(&redirected).unwrap();

    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = util::run(&[
        "extract",
        "corpus/letters",
        "--quiet",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&reader.join().unwrap()).len(), 1);
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(),
        "the FIFO was not replaced"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no partial file beside a FIFO"
    );
}

// Issue 14: faults a hostile-input probe found. Each test failed before its fix.

/// The binary, as a `Command` run in `dir`.
fn nl_ner(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nl-ner"));
    cmd.current_dir(dir);
    cmd
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stderr_never_fails_the_run_or_loses_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), GOOD).unwrap();
    let with_full_stderr = |args: &[&str]| {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        nl_ner(d).args(args).stderr(full).output().unwrap()
    };
    // A full stderr: the skipped input's message cannot be written; the run goes on.
    let out = with_full_stderr(&["extract", "missing.txt", "a.txt", "-o", "out.jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit 1 for the skipped input, not a panic"
    );
    assert_eq!(ids(&fs::read(d.join("out.jsonl")).unwrap()), ["a.txt"]);
    let out = with_full_stderr(&["extract", "a.txt", "-o", "out2.jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a full stderr alone is no failure"
    );
    assert!(d.join("out2.jsonl").exists());
    // A closed pipe on stderr (`2>&1 | head -1` once head has gone).
    let mut child = nl_ner(d)
        .args(["extract", "missing.txt", "a.txt", "-o", "out3.jsonl"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(ids(&fs::read(d.join("out3.jsonl")).unwrap()), ["a.txt"]);
}

#[test]
fn a_huge_thread_count_is_capped_with_a_warning() {
    let started = std::time::Instant::now();
    let out = util::run(&["extract", "corpus/letters", "--threads", "100000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        stderr(&out).contains("--threads 100000 is more than 4 per core"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        out.stdout,
        util::run(&["extract", "corpus/letters", "-q", "--threads", "1"]).stdout
    );
}

#[cfg(unix)]
#[test]
fn an_input_is_never_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink("a.txt", d.join("link.txt")).unwrap();
    let out = run_in(d, &["extract", "a.txt", "-o", "e.jsonl", "-q"], b"");
    assert!(out.status.success());
    let annotations = fs::read(d.join("e.jsonl")).unwrap();
    for args in [
        &["extract", "a.txt", "-o", "a.txt"][..],
        &["extract", ".", "-o", "a.txt"],
        &["extract", "a.txt", "-o", "link.txt"],
        &["export", "--format", "conll", "e.jsonl", "-o", "e.jsonl"],
        &["entities", "e.jsonl", "-o", "e.jsonl"],
    ] {
        let out = run_in(d, args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("choose another output file"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(fs::read_to_string(d.join("a.txt")).unwrap(), GOOD);
    assert_eq!(
        fs::read(d.join("e.jsonl")).unwrap(),
        annotations,
        "the annotations are kept"
    );
}

/// Every file in `dir`, by name, with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap())
                .map(|e| {
                    (
                        e.file_name().into_string().unwrap(),
                        fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn multi_file_outputs_hold_the_old_set_or_the_new_one_whatever_the_kill() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = util::run(&["extract", "corpus/", "-q"]);
    assert!(all.status.success());
    fs::write(d.join("new.jsonl"), &all.stdout).unwrap();
    let first = all.stdout.split(|&b| b == b'\n').next().unwrap();
    fs::write(d.join("old.jsonl"), [first, b"\n"].concat()).unwrap();

    // neo4j: the directory is replaced as a whole.
    let export =
        |input: &str, out: &str| run_in(d, &["export", "--format", "neo4j", input, "-o", out], b"");
    assert!(export("old.jsonl", "old-set").status.success());
    assert!(export("new.jsonl", "new-set").status.success());
    let (old, new) = (snapshot(&d.join("old-set")), snapshot(&d.join("new-set")));
    assert_eq!(
        old.len(),
        nl_ner_io::export::neo4j::FILES.len() + 1,
        "the CSV files and load.cypher"
    );
    // render: a report of several pages.
    let render = |input: &str, out: &str| {
        run_in(
            d,
            &["render", input, "-o", out, "--docs-per-page", "20"],
            b"",
        )
    };
    for (input, sub) in [("old.jsonl", "old-report"), ("new.jsonl", "new-report")] {
        fs::create_dir(d.join(sub)).unwrap();
        assert!(render(input, &format!("{sub}/r.html")).status.success());
    }
    let (old_report, new_report) = (
        snapshot(&d.join("old-report")),
        snapshot(&d.join("new-report")),
    );
    assert!(new_report.len() > 5, "{:?}", new_report.keys());

    for step in 0..12u64 {
        let _ = fs::remove_dir_all(d.join("graph"));
        assert!(export("old.jsonl", "graph").status.success());
        let _ = fs::remove_dir_all(d.join("report"));
        fs::create_dir(d.join("report")).unwrap();
        assert!(render("old.jsonl", "report/r.html").status.success());
        let delay = std::time::Duration::from_millis(step * 15);
        for args in [
            vec!["export", "--format", "neo4j", "new.jsonl", "-o", "graph"],
            vec![
                "render",
                "new.jsonl",
                "-o",
                "report/r.html",
                "--docs-per-page",
                "20",
            ],
        ] {
            let mut child = nl_ner(d).args(&args).stderr(Stdio::null()).spawn().unwrap();
            std::thread::sleep(delay);
            let _ = child.kill();
            child.wait().unwrap();
        }
        let graph = snapshot(&d.join("graph"));
        assert!(
            graph == old || graph == new,
            "step {step}: a mix of the old and new CSV files"
        );
        // The report: the first page and every page it links to are one report's.
        let report = snapshot(&d.join("report"));
        let page1 = &report["r.html"];
        let expected = if *page1 == old_report["r.html"] {
            &old_report
        } else {
            &new_report
        };
        assert!(
            page1 == &expected["r.html"],
            "step {step}: a first page of neither report"
        );
        for (name, bytes) in expected {
            assert_eq!(
                report.get(name),
                Some(bytes),
                "step {step}: {name} missing or of another report"
            );
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_an_error_not_lost_output() {
    let out = Command::new("sh")
        .args(["-c", "\"$BIN\" extract corpus/letters >&-"])
        .env("BIN", env!("CARGO_BIN_EXE_nl-ner"))
        .current_dir(util::root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard output is closed"),
        "{}",
        stderr(&out)
    );
    // `> /dev/null` is a choice, not a closed stdout.
    let out = Command::new("sh")
        .args(["-c", "\"$BIN\" extract corpus/letters -q > /dev/null"])
        .env("BIN", env!("CARGO_BIN_EXE_nl-ner"))
        .current_dir(util::root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(target_os = "linux")]
#[test]
fn model_and_gazetteer_files_must_be_regular_files_of_bounded_size() {
    for option in ["--model", "--gazetteer"] {
        let started = std::time::Instant::now();
        let out = util::run(&["extract", "corpus/letters", option, "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("/dev/zero: not a regular file"),
            "{}",
            stderr(&out)
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}

#[cfg(unix)]
#[test]
fn a_dangling_link_at_the_output_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("real")).unwrap();
    std::os::unix::fs::symlink("real/out.jsonl", d.join("out.jsonl")).unwrap();
    let out = run_in(
        d,
        &["extract", "-", "-o", "out.jsonl", "-q"],
        GOOD.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(d.join("out.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        ids(&fs::read(d.join("real/out.jsonl")).unwrap()),
        ["<stdin>"]
    );
}

#[test]
fn messages_name_the_real_problem_and_limits_are_the_systems() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("in.jsonl"),
        "{\"id\":\"big\",\"text\":\"De NAVO.\",\"n\":1e400}\n{\"id\":\"sur\",\"text\":\"a \\ud800 b\"}\n",
    )
    .unwrap();
    let out = run_in(d, &["extract", "in.jsonl", "-q"], b"");
    let err = stderr(&out);
    assert!(
        err.contains("in.jsonl:1: a number out of the range of a 64-bit float"),
        "{err}"
    );
    assert!(
        err.contains("in.jsonl:2: a lone surrogate escape `\\ud800`"),
        "{err}"
    );

    let mut gazetteer = String::new();
    for i in 1..500 {
        gazetteer.push_str(&format!("Naam{i}\tORG\torg:n{i}\n"));
    }
    let mut bytes = gazetteer.into_bytes();
    bytes.extend_from_slice(b"Caf\xe9\tORG\torg:cafe\n");
    fs::write(d.join("g.tsv"), bytes).unwrap();
    let out = run_in(
        d,
        &["extract", "-", "--gazetteer", "g.tsv"],
        GOOD.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("g.tsv:500: not valid UTF-8"),
        "{}",
        stderr(&out)
    );

    // An output name of 250 bytes: its partial file's name is cut to fit.
    let long = format!("{}.jsonl", "x".repeat(244));
    let out = run_in(d, &["extract", "-", "-q", "-o", &long], GOOD.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&fs::read(d.join(&long)).unwrap()), ["<stdin>"]);

    // render names the file it wrote.
    fs::write(
        d.join("e.jsonl"),
        run_in(d, &["extract", "-", "-q"], GOOD.as_bytes()).stdout,
    )
    .unwrap();
    let out = run_in(d, &["render", "e.jsonl", "-o", "rep"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(": rep.html (1 page)") && d.join("rep.html").exists(),
        "{}",
        stderr(&out)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_an_input_like_any_other() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(dir.path().join(name), GOOD).unwrap();
    fs::write(dir.path().join("b.txt"), GOOD).unwrap();
    let out = nl_ner(dir.path())
        .arg("extract")
        .arg(name)
        .arg("b.txt")
        .arg("-q")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&out.stdout), ["caf\u{fffd}.txt", "b.txt"]);
}

/// CPU seconds `nl-ner extract` takes to load a gazetteer of `n` names that all start with the
/// same word (one list of forms under `Stichting`) and tag one sentence with it.
#[cfg(target_os = "linux")]
fn gazetteer_run(d: &Path, n: usize) -> f64 {
    let name = format!("g{n}.tsv");
    if !d.join(&name).exists() {
        let mut g = String::new();
        for i in 0..n {
            g.push_str(&format!("Stichting Voorbeeld {i}\tORG\torg:st-{i}\n"));
        }
        fs::write(d.join(&name), g).unwrap();
    }
    let run = util::run_measured(
        d,
        &["extract", "-", "-q", "--threads", "1", "--gazetteer", &name],
        format!("De Stichting Voorbeeld {} en de NAVO.", n - 1).as_bytes(),
    );
    assert!(run.output.status.success(), "{}", stderr(&run.output));
    let doc = &json_lines(&run.output.stdout)[0];
    assert_eq!(
        doc["entities"][0]["entity_id"],
        format!("org:st-{}", n - 1),
        "the longest form wins"
    );
    run.cpu_seconds
}

/// Twice the names take about twice the time (less: the start-up is the same), where a quadratic
/// load (each form compared with those before it) takes four times as long. Measured in the
/// run's CPU time, which waiting for a busy machine's cores does not add to, the fastest of three
/// runs each, interleaved, with a bound of three.
#[cfg(target_os = "linux")]
#[test]
fn a_gazetteer_of_names_with_one_first_word_loads_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let n = 100_000;
    let fastest = |t: Vec<f64>| t.into_iter().fold(f64::INFINITY, f64::min);
    let (mut once, mut twice) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        once.push(gazetteer_run(d, n));
        twice.push(gazetteer_run(d, 2 * n));
    }
    let (t1, t2) = (fastest(once), fastest(twice));
    assert!(
        t2 / t1 < 3.0,
        "{n} names: {t1:.3} s, {} names: {t2:.3} s ({:.1} times)",
        2 * n,
        t2 / t1
    );
}

/// Issue 24, item 8: `models` and `eval` print through the writer `extract` uses: a full device
/// or a closed stdout is an error with a message (exit 2), a closed pipe ends the run quietly;
/// before, each was a panic (exit 101).
#[cfg(target_os = "linux")]
#[test]
fn reports_to_a_full_or_closed_stdout_are_errors_not_panics() {
    for cmd in ["\"$BIN\" models", "\"$BIN\" eval corpus/gold/test.jsonl"] {
        for (redirect, code, says) in [
            ("> /dev/full", Some(2), "No space left on device"),
            (">&-", Some(2), "standard output is closed"),
        ] {
            let out = Command::new("sh")
                .args(["-c", &format!("{cmd} {redirect}")])
                .env("BIN", env!("CARGO_BIN_EXE_nl-ner"))
                .current_dir(util::root())
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                code,
                "{cmd} {redirect}: {}",
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(says),
                "{cmd} {redirect}: {}",
                stderr(&out)
            );
            assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        }
        // A reader that stops early (`| head -c 1`) is its choice: no error.
        let out = Command::new("sh")
            .args([
                "-c",
                &format!("{cmd} | head -c 1 >/dev/null; exit ${{PIPESTATUS:-0}}"),
            ])
            .env("BIN", env!("CARGO_BIN_EXE_nl-ner"))
            .current_dir(util::root())
            .output()
            .unwrap();
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

/// Issue 24, item 1: `import`, `eval --predictions` and `train` refuse their input as their output,
/// as `extract` does, and leave it as it was.
#[test]
fn import_eval_and_train_refuse_their_input_as_output() {
    let dir = tempfile::tempdir().unwrap();
    let conll = dir.path().join("g.conll");
    let conll_text = "-DOCSTART- -X- O O\nJan B-PER\nwoont O\nin O\nGent B-LOC\n. O\n\n";
    std::fs::write(&conll, conll_text).unwrap();
    let doccano = dir.path().join("dc.jsonl");
    let doccano_text = "{\"text\": \"Jan woont in Gent.\", \"label\": [[0, 3, \"PER\"]]}\n";
    std::fs::write(&doccano, doccano_text).unwrap();
    let (c, d) = (conll.to_str().unwrap(), doccano.to_str().unwrap());
    for args in [
        vec!["import", "--format", "doccano", d, "-o", d],
        vec!["eval", c, "--predictions", c],
        vec!["train", "--train", c, "-o", c],
        vec!["train", "--train", d, "--dev", c, "-o", c],
    ] {
        let out = util::run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("choose another output file"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read_to_string(&conll).unwrap(), conll_text);
    assert_eq!(std::fs::read_to_string(&doccano).unwrap(), doccano_text);
}

/// Issue 24, item 14: `train` checks its dev file and its settings before it trains, so a missing
/// dev file or a penalty of NaN stops it with nothing written (it used to train, write the model,
/// then fail; or write a model without features).
#[test]
fn train_checks_its_dev_file_and_settings_before_writing_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let conll = dir.path().join("t.conll");
    std::fs::write(&conll, "Jan B-PER\nwoont O\nin O\nGent B-LOC\n. O\n\n").unwrap();
    let model = dir.path().join("m.model");
    let (c, m) = (conll.to_str().unwrap(), model.to_str().unwrap());
    let missing = dir.path().join("missing.conll");
    let out = util::run(&[
        "train",
        "--train",
        c,
        "--dev",
        missing.to_str().unwrap(),
        "-o",
        m,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.conll"), "{}", stderr(&out));
    for (option, value) in [
        ("--c1", "NaN"),
        ("--c2", "inf"),
        ("--c1", "-1"),
        ("--max-iterations", "0"),
    ] {
        let out = util::run(&["train", "--train", c, option, value, "-o", m]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{option} {value}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(value),
            "{option} {value}: {}",
            stderr(&out)
        );
    }
    assert!(!model.exists(), "no model may be written");
}
