//! One set of guarantees for every subcommand (issue 24, docs/reliability.md "Every subcommand"):
//! a run where every input fails keeps its old output, a record whose annotations cannot be read
//! is an error, a closed stdout is an error, one lock per output, gold with `IGNORE` spans reads
//! everywhere, bounded reads (`/dev/zero`), render's page list and stale pages, a UTF-8 BOM, the
//! messages. Each test failed before the change it checks; the table-driven test at the end runs
//! every subcommand against the same hostile inputs.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{self, json_lines, run_in, stderr};

const TEXT: &str = "Minister Brekelmans sprak in Brussel met de NAVO.";

fn nl_ner(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, args, b"")
}

/// Runs `script` in `sh` in `dir`, with `$B` the binary, and gives up after `limit` (a hang).
fn sh(dir: &Path, script: &str, limit: Duration) -> Output {
    let mut child = Command::new("timeout")
        .args([
            "-s",
            "KILL",
            &limit.as_secs().to_string(),
            "sh",
            "-c",
            script,
        ])
        .env("B", env!("CARGO_BIN_EXE_nl-ner"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take();
    child.wait_with_output().unwrap()
}

/// A gold JSONL line of `TEXT` with NAVO as ORG and Brussel as IGNORE.
fn gold_line() -> String {
    let navo = TEXT.find("NAVO").unwrap();
    let brussel = TEXT.find("Brussel").unwrap();
    serde_json::json!({"id": "g1", "text": TEXT, "entities": [
        {"start": brussel, "end": brussel + 7, "text": "Brussel", "label": "IGNORE"},
        {"start": navo, "end": navo + 4, "text": "NAVO", "label": "ORG"}]})
    .to_string()
}

const CONLL: &str = "De O\nNAVO B-ORG\nvergadert O\n. O\n";

#[test]
fn a_run_where_every_input_fails_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), TEXT).unwrap();
    let good = nl_ner(d, &["extract", "a.txt", "-o", "out.jsonl", "-q"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = fs::read(d.join("out.jsonl")).unwrap();
    let failed = nl_ner(d, &["extract", "a.tx", "-o", "out.jsonl"]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("nothing was written, and out.jsonl is kept as it was"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(fs::read(d.join("out.jsonl")).unwrap(), before);
    assert_eq!(fs::read_dir(d).unwrap().count(), 2, "no partial file left");

    // import: every task rejected.
    fs::write(
        d.join("bad.jsonl"),
        "{\"text\":\"x\",\"spans\":[{\"start\":0,\"end\":9,\"label\":\"ORG\"}]}\n",
    )
    .unwrap();
    let failed = nl_ner(
        d,
        &[
            "import",
            "--format",
            "spacy",
            "bad.jsonl",
            "-o",
            "out.jsonl",
        ],
    );
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert_eq!(fs::read(d.join("out.jsonl")).unwrap(), before);
    // Nothing there before: nothing created.
    let failed = nl_ner(
        d,
        &[
            "import",
            "--format",
            "spacy",
            "bad.jsonl",
            "-o",
            "new.jsonl",
        ],
    );
    assert!(
        stderr(&failed).contains("new.jsonl was not created"),
        "{}",
        stderr(&failed)
    );
    assert!(!d.join("new.jsonl").exists());
}

#[test]
fn a_record_whose_annotations_cannot_be_read_is_an_error_not_an_empty_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("dc.jsonl"),
        "{\"text\":\"De NAVO.\",\"label\":[[3,7,\"ORG\"]]}\n",
    )
    .unwrap();
    fs::write(
        d.join("sp.jsonl"),
        "{\"text\":\"De NAVO.\",\"spans\":[{\"start\":3,\"end\":7,\"label\":\"ORG\"}]}\n",
    )
    .unwrap();
    fs::write(
        d.join("obj.jsonl"),
        "{\"text\":\"De NAVO.\",\"spans\":{\"start\":3,\"end\":7,\"label\":\"ORG\"}}\n",
    )
    .unwrap();
    let region = |kind: &str, from: &str| {
        serde_json::json!({"id": "r1", "from_name": from, "to_name": "text", "type": kind,
            "value": {"start": 3, "end": 7, "text": "NAVO", "labels": ["ORG"]}})
    };
    let ls = |r: serde_json::Value| {
        serde_json::json!([{"id": 1, "data": {"text": "De NAVO.", "doc_id": "d1"},
            "annotations": [{"id": 5, "result": [r]}]}])
        .to_string()
    };
    fs::write(d.join("ls.json"), ls(region("labels", "label"))).unwrap();
    let html = serde_json::json!({"id": "r1", "from_name": "label", "to_name": "text",
        "type": "hypertextlabels", "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]",
        "startOffset": 3, "endOffset": 7, "text": "NAVO", "hypertextlabels": ["ORG"]}});
    fs::write(d.join("html.json"), ls(html)).unwrap();
    for (args, status, message) in [
        (
            &["--format", "spacy", "dc.jsonl"][..],
            1,
            "dc.jsonl:1: no `spans` list, but `label` or `entities`: a doccano file? (use --format doccano)",
        ),
        (
            &["--format", "doccano", "sp.jsonl"],
            1,
            "sp.jsonl:1: no `label` or `entities` list, but `spans`: a spaCy/Prodigy file? (use --format spacy)",
        ),
        (
            &["--format", "spacy", "obj.jsonl"],
            1,
            "obj.jsonl:1: `spans` is an object, not a list",
        ),
        (
            &["--format", "labelstudio", "ls.json", "--from-name", "lable"],
            2,
            "ls.json: no `labels` region comes from --from-name \"lable\"; the file's Labels controls are: label",
        ),
        (
            &["--format", "labelstudio", "html.json"],
            1,
            "html.json: task 1 (d1): annotation 5: result r1 is a `hypertextlabels` region, which import cannot read",
        ),
    ] {
        let out = nl_ner(d, &[&["import"][..], args].concat());
        assert_eq!(
            out.status.code(),
            Some(status),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(
            out.stdout.is_empty(),
            "{args:?}: no document without its gold"
        );
    }
    let ok = nl_ner(
        d,
        &[
            "import",
            "--format",
            "labelstudio",
            "ls.json",
            "--from-name",
            "label",
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(json_lines(&ok.stdout)[0]["entities"][0]["text"], "NAVO");
}

#[test]
fn import_and_eval_with_a_closed_stdout_fail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("sp.jsonl"),
        "{\"text\":\"De NAVO.\",\"spans\":[{\"start\":3,\"end\":7,\"label\":\"ORG\"}]}\n",
    )
    .unwrap();
    fs::write(d.join("g.conll"), CONLL).unwrap();
    for script in [
        "\"$B\" import --format spacy sp.jsonl >&-",
        "\"$B\" eval g.conll >&-",
    ] {
        let out = sh(d, script, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(2), "{script}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("standard output is closed"),
            "{script}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("imported"), "{}", stderr(&out));
    }
}

#[test]
fn every_output_takes_the_one_lock() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("in.jsonl"), gold_line() + "\n").unwrap();
    fs::create_dir(d.join("graph")).unwrap();
    // One lock per output, held here as a concurrent run holds it.
    for (args, lock) in [
        (
            &["render", "in.jsonl", "-o", "r.html"][..],
            nl_ner::files::lock_path(&d.join("r.html")),
        ),
        (
            &["export", "--format", "neo4j", "in.jsonl", "-o", "graph"],
            nl_ner::files::lock_path(&d.join("graph")),
        ),
        (
            &["export", "--format", "conll", "in.jsonl", "-o", "e.conll"],
            nl_ner::files::partial_path(&d.join("e.conll")),
        ),
        (
            &["entities", "in.jsonl", "-o", "e.txt"],
            nl_ner::files::partial_path(&d.join("e.txt")),
        ),
        (
            &["import", "--format", "spacy", "in.jsonl", "-o", "i.jsonl"],
            nl_ner::files::partial_path(&d.join("i.jsonl")),
        ),
    ] {
        let held = nl_ner::files::lock_output(&lock).unwrap();
        let out = nl_ner(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("another nl-ner run is writing this output"),
            "{args:?}: {}",
            stderr(&out)
        );
        drop(held);
        let _ = fs::remove_file(&lock);
        let out = nl_ner(d, args);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(
        fs::read_dir(d).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("nl-ner-lock")),
        "lock files are removed"
    );
}

/// Extract output of 300 one-sentence documents, enough for many report pages.
fn three_hundred_one_line_documents() -> String {
    (0..300)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"De NAVO {i}.\",\"entities\":[]}}\n"))
        .collect()
}

#[test]
fn two_renders_of_one_report_never_delete_each_others_pages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = three_hundred_one_line_documents();
    fs::write(d.join("a.jsonl"), &lines).unwrap();
    fs::write(d.join("b.jsonl"), lines.replace("NAVO", "EU")).unwrap();
    let script = "\"$B\" render a.jsonl -o r.html --docs-per-page 1 & \"$B\" render b.jsonl -o r.html --docs-per-page 1; wait";
    let out = sh(d, script, Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    // Whichever run finished last (or alone), its first page links only to pages that exist.
    let first = fs::read_to_string(d.join("r.html")).unwrap();
    let doc = scraper::Html::parse_document(&first);
    let sel = scraper::Selector::parse("nav.pages a").unwrap();
    for a in doc.select(&sel) {
        let href = a.value().attr("href").unwrap();
        assert!(d.join(href).exists(), "{href} is linked but gone");
    }
}

#[test]
fn gold_with_ignore_spans_is_read_by_export_entities_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("g.jsonl"), gold_line() + "\n").unwrap();
    let out = nl_ner(d, &["export", "--format", "spacy", "g.jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    assert_eq!(
        util::spans_of(&doc["spans"])
            .iter()
            .map(|s| s.2.as_str())
            .collect::<Vec<_>>(),
        ["ORG"],
        "IGNORE left out, the document kept"
    );
    let out = nl_ner(d, &["entities", "g.jsonl", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("NAVO") && !csv.contains("Brussel"), "{csv}");
    let out = nl_ner(d, &["render", "g.jsonl", "-o", "r.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every gold file of the corpus reads (67 of them have IGNORE spans).
    let out = util::run(&[
        "export",
        "--format",
        "conll",
        "corpus/gold/govtexts-dev.jsonl",
        "corpus/gold/govtexts-test.jsonl",
        "corpus/gold/govtexts-train.jsonl",
        "-o",
        d.join("all.conll").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn label_studio_utf16_offsets_are_decided_per_task() {
    // "AA" at UTF-16 [3, 5) is code points [2, 4); read region by region, [3, 5) also says "AA".
    let text = "😀 AAA en NAVO";
    let region = |id: &str, s: usize, e: usize, t: &str| {
        serde_json::json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": s, "end": e, "text": t, "labels": ["ORG"]}})
    };
    let tasks = serde_json::json!([{"id": 1, "data": {"text": text}, "annotations": [{"id": 2,
        "result": [region("a", 3, 5, "AA"), region("b", 10, 14, "NAVO")]}]}]);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ls.json"), tasks.to_string()).unwrap();
    let out = nl_ner(
        dir.path(),
        &["import", "--format", "labelstudio", "ls.json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    assert_eq!(
        util::spans_of(&doc["entities"]),
        [(2, 4, "ORG".to_string()), (9, 13, "ORG".to_string())]
    );
}

#[test]
fn label_studio_import_is_linear_in_regions() {
    // One document of 100,000 regions (500 KB of text): about 10 s when each region walked the
    // text, well under a second now.
    let n = 100_000;
    let text = "NAVO ".repeat(n);
    let result: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"id": i, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": 5 * i, "end": 5 * i + 4, "text": "NAVO", "labels": ["ORG"]}})
        })
        .collect();
    let tasks = serde_json::json!([{"id": 1, "data": {"text": text}, "annotations": [{"id": 2, "result": result}]}]);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ls.json"), tasks.to_string()).unwrap();
    let run = util::run_measured(
        dir.path(),
        &[
            "import",
            "--format",
            "labelstudio",
            "ls.json",
            "-o",
            "g.jsonl",
        ],
        b"",
    );
    assert!(run.output.status.success(), "{}", stderr(&run.output));
    assert!(
        run.cpu_seconds < 4.0,
        "{n} regions took {:.1} s of CPU",
        run.cpu_seconds
    );
}

#[cfg(unix)]
#[test]
fn render_removes_only_its_own_stale_pages_and_reads_no_other_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("in.jsonl"), gold_line() + "\n").unwrap();
    let fifo = d.join("r-2-deadbeef.html");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", d.join("r-3-deadbeef.html")).unwrap();
    let stale = "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"nl-ner\">\n";
    fs::write(d.join("r-4-0badf00d.html"), stale).unwrap();
    fs::write(d.join("r-5-12345678.html"), "<p>mine</p>").unwrap();
    let started = Instant::now();
    let out = sh(
        d,
        "\"$B\" render in.jsonl -o r.html",
        Duration::from_secs(60),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(fs::symlink_metadata(&fifo).is_ok(), "the FIFO stays");
    assert!(
        fs::symlink_metadata(d.join("r-3-deadbeef.html")).is_ok(),
        "the link stays"
    );
    assert!(
        !d.join("r-4-0badf00d.html").exists(),
        "nl-ner's stale page goes"
    );
    assert!(
        d.join("r-5-12345678.html").exists(),
        "a file nl-ner did not write stays"
    );
}

#[test]
fn render_lists_a_window_of_pages_and_links_them_url_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = three_hundred_one_line_documents();
    fs::write(d.join("in.jsonl"), lines).unwrap();
    let out = nl_ner(
        d,
        &[
            "render",
            "in.jsonl",
            "-o",
            "a #1?.html",
            "--docs-per-page",
            "1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sel = scraper::Selector::parse("nav.pages a").unwrap();
    let mut total = 0;
    // Every page reachable from the first through the page lists, each list short.
    let mut seen = std::collections::BTreeSet::from(["a #1?.html".to_string()]);
    let mut queue = vec!["a #1?.html".to_string()];
    while let Some(page) = queue.pop() {
        let html = fs::read_to_string(d.join(&page)).unwrap();
        total += html.len();
        let doc = scraper::Html::parse_document(&html);
        let links: Vec<String> = doc
            .select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert!(links.len() <= 15, "{page}: {} links", links.len());
        for href in links {
            assert!(href.starts_with("a%20%231%3F"), "{href} is URL-encoded");
            let name =
                url::form_urlencoded::parse(format!("x={}", href.replace('+', "%2B")).as_bytes())
                    .next()
                    .unwrap()
                    .1
                    .into_owned();
            if seen.insert(name.clone()) {
                queue.push(name);
            }
        }
    }
    assert_eq!(seen.len(), 300, "every page reachable");
    assert!(total < 300 * 20_000, "{total} bytes for 300 pages");
}

#[test]
fn overlapping_and_empty_gold_is_refused_by_eval_and_train() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = serde_json::json!({"text": TEXT, "entities": [
        {"start": 44, "end": 48, "label": "ORG"}, {"start": 41, "end": 48, "label": "ORG"}]});
    fs::write(d.join("overlap.jsonl"), line.to_string() + "\n").unwrap();
    fs::write(d.join("g.jsonl"), gold_line() + "\n").unwrap();
    fs::write(d.join("empty.conll"), "").unwrap();
    fs::write(d.join("empty.jsonl"), "\n").unwrap();
    for (args, message) in [
        (
            &["eval", "overlap.jsonl"][..],
            "overlap.jsonl:1: entity [44, 48) ORG overlaps entity [41, 48) ORG",
        ),
        (
            &["train", "--train", "overlap.jsonl", "-o", "m.model"],
            "overlap.jsonl:1: entity [44, 48) ORG overlaps",
        ),
        (&["eval", "empty.conll"], "empty.conll: no gold sentences"),
        (&["eval", "empty.jsonl"], "empty.jsonl: no gold sentences"),
        (
            &["eval", "g.jsonl", "--predictions", "p.txt"],
            "g.jsonl: --predictions writes the words of CoNLL gold",
        ),
    ] {
        let out = nl_ner(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert!(!d.join("m.model").exists() && !d.join("p.txt").exists());
}

#[test]
fn messages_name_the_real_problem() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("l1.conll"), b"De O\nCura\xe7ao B-LOC\n").unwrap();
    let utf16: Vec<u8> = format!("\u{feff}{TEXT}")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(d.join("u16.txt"), &utf16).unwrap();
    fs::write(d.join("l1.jsonl"), b"{\"text\":\"Cura\xe7ao\"}\n").unwrap();
    fs::write(d.join("a.txt"), TEXT).unwrap();
    for (args, message) in [
        (&["eval", "l1.conll"][..], "l1.conll:2: not valid UTF-8"),
        (&["extract", "u16.txt"], "u16.txt: UTF-16 text, not UTF-8"),
        (
            &["extract", "l1.jsonl"],
            "l1.jsonl:1: not valid UTF-8 (invalid byte sequence at byte 13 of the line)",
        ),
        (
            &["extract", "a.txt", "-o", "no/such/out.jsonl"],
            "writing no/such/out.jsonl: the directory no/such does not exist",
        ),
        (
            &["render", "a.jsonl", "-o", "no/r.html"],
            "the directory no does not exist",
        ),
        (
            &[
                "export",
                "--format",
                "conll",
                "missing.jsonl",
                "-o",
                "x.conll",
            ],
            "reading missing.jsonl",
        ),
        (
            &["train", "--train", "empty.conll", "-o", "m.model"],
            "empty.conll",
        ),
    ] {
        if args[0] == "train" {
            fs::write(d.join("empty.conll"), "").unwrap();
        }
        if args[0] == "render" {
            fs::write(d.join("a.jsonl"), gold_line()).unwrap();
        }
        let out = nl_ner(d, args);
        let err = stderr(&out);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(
            !err.contains(":0:")
                && !err.contains("nl-ner-partial")
                && !err.contains("writing x.conll"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn extract_refuses_a_device_as_input_also_as_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let out = sh(
        dir.path(),
        "\"$B\" extract --input-format jsonl /dev/zero",
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("skipped /dev/zero: not a regular file (a character device)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn resume_accepts_the_same_model_under_another_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(
        util::root().join("models/nl-ner-crf.model"),
        d.join("m.model"),
    )
    .unwrap();
    fs::write(d.join("a.txt"), TEXT).unwrap();
    // An interrupted run's partial file, with its settings, as the first run leaves it.
    let first = nl_ner(
        d,
        &[
            "extract",
            "a.txt",
            "--model",
            "m.model",
            "-o",
            "out.jsonl",
            "-q",
        ],
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let partial = nl_ner::files::partial_path(&d.join("out.jsonl"));
    let lock = nl_ner::files::lock_output(&partial).unwrap();
    drop(lock);
    let again = nl_ner(
        d,
        &[
            "extract",
            "a.txt",
            "--model",
            "./m.model",
            "-o",
            "out.jsonl",
            "--resume",
            "-q",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
}

/// The hostile inputs every subcommand meets: `/dev/zero` named and piped, a BOM, a full device,
/// a closed stdout, the input as the output, a concurrent run on the same output.
#[cfg(target_os = "linux")]
#[test]
fn every_subcommand_against_the_hostile_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bom = |s: &str| [&b"\xEF\xBB\xBF"[..], s.as_bytes()].concat();
    fs::write(d.join("a.txt"), bom(TEXT)).unwrap();
    fs::write(d.join("g.jsonl"), bom(&(gold_line() + "\n"))).unwrap();
    fs::write(d.join("g.conll"), bom(CONLL)).unwrap();
    fs::write(
        d.join("sp.jsonl"),
        bom("{\"text\":\"De NAVO.\",\"spans\":[{\"start\":3,\"end\":7,\"label\":\"ORG\"}]}\n"),
    )
    .unwrap();
    fs::write(
        d.join("dc.jsonl"),
        bom("{\"text\":\"De NAVO.\",\"label\":[[3,7,\"ORG\"]]}\n"),
    )
    .unwrap();
    fs::write(d.join("ls.json"), bom(&serde_json::json!([{"id": 1, "data": {"text": "De NAVO."}, "annotations": [{"id": 2, "result": [
        {"id": "r", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 3, "end": 7, "text": "NAVO", "labels": ["ORG"]}}]}]}]).to_string())).unwrap();
    // (command with IN for its input and OUT for its output, the BOM'd input)
    let commands = [
        ("extract IN -o OUT", "a.txt"),
        ("import --format spacy IN -o OUT", "sp.jsonl"),
        ("import --format doccano IN -o OUT", "dc.jsonl"),
        ("import --format labelstudio IN -o OUT", "ls.json"),
        ("export --format conll IN -o OUT", "g.jsonl"),
        ("entities IN -o OUT", "g.jsonl"),
        ("render IN -o OUT", "g.jsonl"),
        ("eval IN --predictions OUT", "g.conll"),
        ("train --train IN -o OUT --max-iterations 2", "g.conll"),
    ];
    for (command, input) in commands {
        let run = |script: String| {
            let out = sh(d, &script, Duration::from_secs(120));
            assert!(
                out.status.code().is_some(),
                "{script}: killed ({:?}): {}",
                out.status,
                stderr(&out)
            );
            out
        };
        let with =
            |i: &str, o: &str| format!("\"$B\" {}", command.replace("IN", i).replace("OUT", o));
        // A BOM is accepted.
        let out = run(with(input, "bom.out") + " >/dev/null");
        assert!(out.status.success(), "{command} on a BOM: {}", stderr(&out));
        // /dev/zero, named and piped: an error with a message, never a kill for memory or a hang.
        let mut zero = vec![with("/dev/zero", "z.out")];
        // eval and train read named files only.
        if !command.starts_with("eval") && !command.starts_with("train") {
            zero.push(format!("{} < /dev/zero", with("-", "z.out")));
            zero.push(format!("cat /dev/zero | {}", with("-", "z.out")));
        }
        for script in zero {
            let out = run(script.clone());
            assert!(
                matches!(out.status.code(), Some(1 | 2)),
                "{script}: {}",
                stderr(&out)
            );
            assert!(
                stderr(&out).contains("nl-ner: "),
                "{script}: {}",
                stderr(&out)
            );
        }
        // The input as the output: refused, the input untouched.
        let before = fs::read(d.join(input)).unwrap();
        if !command.starts_with("render") {
            let out = run(with(input, input));
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} as its own output: {}",
                stderr(&out)
            );
            assert_eq!(fs::read(d.join(input)).unwrap(), before);
        }
        // A full device as the output: written through (never renamed over, which as root
        // replaced the device: `train` did), and its error reported.
        let out = run(with(input, "/dev/full"));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command} > /dev/full: {}",
            stderr(&out)
        );
        let reason = if command.starts_with("render") {
            "give a file name in a directory"
        } else {
            "No space left on device"
        };
        assert!(stderr(&out).contains(reason), "{command}: {}", stderr(&out));
        assert!(
            fs::metadata("/dev/full").is_ok_and(|m| {
                use std::os::unix::fs::FileTypeExt;
                m.file_type().is_char_device()
            }),
            "{command} replaced /dev/full"
        );
        // A concurrent run on the same output: this test holds the lock that run would hold.
        let name = if command.starts_with("render") {
            "locked.html"
        } else {
            "locked.out"
        };
        let out_path = d.join(name);
        let lock = if command.starts_with("render") || command.starts_with("train") {
            nl_ner::files::lock_path(&out_path)
        } else {
            nl_ner::files::partial_path(&out_path)
        };
        let held = nl_ner::files::lock_output(&lock).unwrap();
        let out = run(with(input, name));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command} while locked: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("another nl-ner run is writing this output"),
            "{command}: {}",
            stderr(&out)
        );
        assert!(!out_path.exists(), "{command} wrote while locked");
        drop(held);
        let _ = fs::remove_file(&lock);
        // A closed stdout, for the commands that can write to it.
        if command.contains("-o OUT")
            && !command.starts_with("render")
            && !command.starts_with("train")
        {
            let script = format!(
                "\"$B\" {} >&-",
                command.replace("IN", input).replace(" -o OUT", "")
            );
            let out = run(script.clone());
            assert_eq!(out.status.code(), Some(2), "{script}: {}", stderr(&out));
        }
    }
}
