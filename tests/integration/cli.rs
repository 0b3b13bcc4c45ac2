//! End-to-end tests of `nl-ner extract` and `nl-ner eval` on real text.

use std::fs;

use crate::util::{self, json_lines, run, run_in, slice_chars, stderr};

#[test]
fn extract_on_the_corpus_slices_every_entity_and_sentence_exactly() {
    let out = run(&["extract", "corpus/", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&out.stdout);
    let files = walk_count(&util::root().join("corpus"));
    assert_eq!(docs.len(), files, "one line per .txt/.md file");
    assert!(files > 200);
    let mut entities = 0;
    for d in &docs {
        assert_eq!(d["schema"], 1);
        let text = d["text"].as_str().unwrap();
        let n = text.chars().count();
        let mut last_end = 0;
        for e in d["entities"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s >= last_end && s < t && t <= n,
                "sorted, non-overlapping, inside: {e}"
            );
            assert_eq!(
                slice_chars(text, s, t),
                e["text"].as_str().unwrap(),
                "in {}",
                d["id"]
            );
            let score = e["score"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&score));
            last_end = t;
            entities += 1;
        }
        let mut last = 0;
        for s in d["sentences"].as_array().unwrap() {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            assert!(last <= a && a < b && b <= n, "sentences in order: {s}");
            assert!(!slice_chars(text, a, b).trim().is_empty());
            last = b;
        }
    }
    assert!(
        entities > 1000,
        "the corpus is full of names; found only {entities} entities"
    );
}

fn walk_count(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += walk_count(&p);
        } else if p.extension().is_some_and(|x| x == "txt" || x == "md") {
            n += 1;
        }
    }
    n
}

#[test]
fn output_is_identical_for_any_thread_count_and_batch_size() {
    let a = run(&["extract", "corpus/", "--quiet", "--threads", "1"]);
    let b = run(&[
        "extract",
        "corpus/",
        "--quiet",
        "--threads",
        "2",
        "--batch-size",
        "7",
    ]);
    let c = run(&[
        "extract",
        "corpus/",
        "--quiet",
        "--threads",
        "3",
        "--batch-size",
        "1",
    ]);
    assert!(a.status.success() && b.status.success() && c.status.success());
    assert!(
        a.stdout == b.stdout && b.stdout == c.stdout,
        "output depends on threads or batches"
    );
}

#[test]
fn bad_documents_are_reported_and_skipped_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("a_bom_crlf.txt"),
        b"\xEF\xBB\xBFDe NAVO-top in Den Haag.\r\nMark Rutte sprak.\r\n",
    )
    .unwrap();
    fs::write(d.join("b_invalid.txt"), b"De Kamer\xff\xfe").unwrap();
    fs::write(d.join("c_empty.txt"), b"").unwrap();
    fs::write(d.join("d_binary.txt"), b"\x7fELF\x00\x00\x01").unwrap();
    let out = run_in(d, &["extract", ".", "-o", "out.jsonl"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("b_invalid.txt") && err.contains("UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("d_binary.txt") && err.contains("binary"),
        "{err}"
    );
    assert!(err.contains("2 failed"), "summary counts failures: {err}");
    let docs = json_lines(&fs::read(d.join("out.jsonl")).unwrap());
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["./a_bom_crlf.txt", "./c_empty.txt"]);
    let text = docs[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("De NAVO") && text.contains("\r\n"),
        "BOM dropped, CRLF kept"
    );
    for e in docs[0]["entities"].as_array().unwrap() {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(slice_chars(text, s, t), e["text"].as_str().unwrap());
    }
    assert_eq!(docs[1]["text"], "");
    assert_eq!(docs[1]["entities"].as_array().unwrap().len(), 0);
}

#[test]
fn jsonl_on_stdin_carries_fields_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = "{\"id\":\"m1\",\"text\":\"Minister Brekelmans sprak in Brussel met de NAVO.\",\"jaar\":2026}\n\
                 {\"text\":42}\n\
                 {\"id\":\"m3\",\"text\":\"Oekraïne krijgt steun.\"}\n";
    let out = run_in(dir.path(), &["extract", "-", "--quiet"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("<stdin>:2"), "{}", stderr(&out));
    let docs = json_lines(&out.stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "m1");
    assert_eq!(docs[0]["jaar"], 2026);
    assert_eq!(docs[1]["id"], "m3");
}

#[test]
fn corrupt_model_gives_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("bad.model");
    let mut bytes = fs::read(util::root().join("models/nl-ner-crf.model")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&model, &bytes).unwrap();
    let out = run(&[
        "extract",
        "corpus/letters",
        "--quiet",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.model") && err.contains("checksum"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    fs::write(&model, b"").unwrap();
    let out = run(&[
        "extract",
        "corpus/letters",
        "--quiet",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.model"));

    let out = run(&[
        "extract",
        "corpus/letters",
        "--quiet",
        "--model",
        "does/not/exist.model",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does/not/exist.model"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_input_is_reported_and_output_dir_errors_are_fatal() {
    let out = run(&["extract", "corpus/letters", "no/such/dir", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/dir"));
    assert_eq!(json_lines(&out.stdout).len(), 1);

    let out = run(&[
        "extract",
        "corpus/letters",
        "--quiet",
        "-o",
        "/nonexistent-dir/out.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent-dir/out.jsonl"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["extract"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn the_letter_yields_the_expected_kinds_of_names() {
    let out = run(&[
        "extract",
        "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt",
        "--quiet",
    ]);
    assert!(out.status.success());
    let doc = &json_lines(&out.stdout)[0];
    let found: Vec<(String, String)> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"].as_str().unwrap().to_string(),
                e["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |t: &str, l: &str| found.iter().any(|(a, b)| a == t && b == l);
    assert!(has("Oekraïne", "LOC"), "{found:?}");
    assert!(has("Mychajlo Fedorov", "PER"), "{found:?}");
    assert!(has("NAVO", "ORG"), "{found:?}");
}

#[test]
fn user_gazetteers_add_entities_and_no_domain_leaves_the_model_alone() {
    let dir = tempfile::tempdir().unwrap();
    let gaz = dir.path().join("eigen.tsv");
    fs::write(&gaz, "# Eigen lijst: programma's van het ministerie (test)\nProgramma Vliegwiel\tINITIATIVE\tinitiative:vliegwiel\tVliegwiel\n").unwrap();
    let input = "{\"id\":\"t\",\"text\":\"Het Programma Vliegwiel kost EUR 90 mld. volgens Kamerstuk 36 045, nr. 267.\"}\n";
    let out = run_in(
        dir.path(),
        &[
            "extract",
            "-",
            "--quiet",
            "--gazetteer",
            gaz.to_str().unwrap(),
        ],
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    let found: Vec<(String, String, String)> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("text"), s("label"), s("source"))
        })
        .collect();
    let has =
        |t: &str, l: &str, src: &str| found.iter().any(|f| f.0 == t && f.1 == l && f.2 == src);
    // The model may find the programme by its head word itself (then it keeps `source: model`);
    // the user's list shows in the id it gives the name.
    let programme = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == "Programma Vliegwiel");
    assert!(programme.is_some_and(|e| e["label"] == "INITIATIVE" && e["entity_id"] == "initiative:vliegwiel"), "{doc}");
    assert!(has("EUR 90 mld.", "MONEY", "pattern"), "{found:?}");
    assert!(
        has("Kamerstuk 36 045, nr. 267", "REF", "pattern"),
        "{found:?}"
    );

    let out = run_in(
        dir.path(),
        &["extract", "-", "--quiet", "--no-domain"],
        input.as_bytes(),
    );
    let doc = &json_lines(&out.stdout)[0];
    assert!(
        doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"] == "model")
    );

    fs::write(&gaz, "Programma Vliegwiel\tPROGRAMMA\tx\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "extract",
            "-",
            "--quiet",
            "--gazetteer",
            gaz.to_str().unwrap(),
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("eigen.tsv"), "{}", stderr(&out));
}

#[test]
fn eval_reports_rules_alone_and_recall_on_unseen_names() {
    let gold = "corpus/gold/letter.jsonl";
    let text = |args: &[&str]| {
        let mut all = vec!["eval", gold];
        all.extend_from_slice(args);
        let out = run(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // The gazetteers alone leave most of the letter's names unseen.
    let plain = text(&[]);
    let unseen_line = plain
        .lines()
        .find(|l| l.starts_with("unseen names"))
        .expect(&plain);
    assert!(plain.lines().any(|l| l.starts_with("unseen ")), "{plain}");
    // With the letter itself as training data every name is seen: no unseen section.
    let all_seen = text(&["--seen", gold]);
    assert!(!all_seen.contains("unseen names"), "{all_seen}");
    assert_ne!(unseen_line, "");
    // Rules alone find no person (persons come from the model) but keep the listed names.
    let micro = |t: &str, label: &str| -> (u64, u64) {
        let row: Vec<&str> = t
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap()
            .split_whitespace()
            .collect();
        (row[4].parse().unwrap(), row[6].parse().unwrap())
    };
    let rules = text(&["--no-model"]);
    let (tp_rules, _) = micro(&rules, "micro");
    let (tp_all, _) = micro(&plain, "micro");
    assert!(
        tp_rules > 0 && tp_rules < tp_all,
        "rules alone {tp_rules}, whole pipeline {tp_all}"
    );
    assert_eq!(micro(&rules, "PER").0, 0, "{rules}");
}

/// Issue 14: `--labels` in any case; the default shown as the option takes it (commas); eval's
/// help says that a label only predicted still counts.
#[test]
fn labels_are_case_insensitive_and_helped_as_typed() {
    let extracted = run(&["extract", "corpus/letters", "-q"]);
    let upper = util::run_in(
        &util::root(),
        &["entities", "--labels", "PER,ORG"],
        &extracted.stdout,
    );
    let lower = util::run_in(
        &util::root(),
        &["entities", "--labels", "per,Org"],
        &extracted.stdout,
    );
    assert!(lower.status.success(), "{}", util::stderr(&lower));
    assert_eq!(upper.stdout, lower.stdout);
    let help = String::from_utf8(run(&["entities", "--help"]).stdout).unwrap();
    assert!(
        help.contains("[default: PER,ORG,LOC,MISC,INITIATIVE]"),
        "{help}"
    );
    let help = String::from_utf8(run(&["eval", "--help"]).stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("every label in the gold or the predictions"),
        "{help}"
    );
}

/// `finetune` in a build without the transformer says how to get it (issue 25 item 6), instead of
/// clap's bare "unrecognized subcommand".
#[cfg(not(feature = "transformer"))]
#[test]
fn finetune_without_the_transformer_says_how_to_rebuild() {
    let out = run(&["finetune", "--train", "corpus/gold/set-a.jsonl", "-o", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    assert!(
        said.contains("built without the `transformer` feature")
            && said.contains("cargo build --release --features transformer"),
        "{said}"
    );
    assert!(!util::root().join("x").exists());
}

/// The progress bar on a terminal (through `script`, a pseudo-terminal): it counts documents as
/// each is done, not per batch (issue 25 item 5), and its last frame is full, without an ETA
/// (item 10). One batch holds all 314 documents, so a count per batch would show no count before
/// the end.
#[test]
fn the_progress_bar_counts_each_document_and_ends_full() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.jsonl");
    let command = format!(
        "{} extract corpus/ --threads 1 --batch-size 1000 -o {}",
        env!("CARGO_BIN_EXE_nl-ner"),
        out_file.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(util::root())
        .env("COLUMNS", "120")
        .output()
        .expect("`script` (util-linux) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    let counts: std::collections::BTreeSet<usize> = shown
        .match_indices("/314 documents")
        .filter_map(|(at, _)| {
            let digits: String = shown[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().ok()
        })
        .collect();
    assert!(
        counts.iter().filter(|&&n| n < 314).count() >= 3,
        "counts shown before the end: {counts:?}"
    );
    // The last frame drawn, before the bar is cleared and the summary printed.
    let last = shown
        .rsplit(['\r', '\n'])
        .find(|f| f.contains("documents,") && f.contains('%'))
        .expect("a frame");
    assert!(
        last.contains("100%") && last.contains("314/314") && !last.contains("ETA"),
        "last frame: {last:?}"
    );
}

/// The README's example summary is what `nl-ner extract corpus/` prints now, counts and all but
/// the time (issue 25 item 10: the counts had fallen behind the model and the gazetteers).
#[test]
fn the_readme_shows_the_summary_that_extract_prints_on_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.jsonl");
    let out = run(&["extract", "corpus/", "-o", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let counts = |line: &str| line.split(" failed, ").next().unwrap().to_string();
    let printed = stderr(&out);
    let printed = printed
        .lines()
        .rfind(|l| l.starts_with("nl-ner: "))
        .expect("a summary");
    let readme = fs::read_to_string(util::root().join("README.md")).unwrap();
    let shown = readme
        .lines()
        .find(|l| l.starts_with("nl-ner: 314 documents"))
        .expect("the README's example summary");
    assert_eq!(counts(shown), counts(printed), "README.md: {shown}");
}
