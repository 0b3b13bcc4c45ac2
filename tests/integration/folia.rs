//! `nl-ner export --format folia` (issue 26, docs/exports.md): the export read back (every
//! document a `div`, every entity a span over whole words that spell its surface, the words
//! every non-space character of the text), validated by `foliavalidator` and read by the `folia`
//! Python library (PyPI `folia-tools`, installed by `.ci/setup.d/78-folia.sh` in
//! `$NL_NER_FOLIA_VENV`, else `~/.cache/nl-ner/folia-venv`).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{json_lines, missing, run, stderr};

const FOLIA: &str = "http://ilk.uvt.nl/folia";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

fn export(jsonl: &Path, out: &Path) -> String {
    let args = [
        "export",
        "--format",
        "folia",
        jsonl.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let done = run(&args);
    assert!(done.status.success(), "{}", stderr(&done));
    fs::read_to_string(out).unwrap()
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the FoLiA back against the extract output: returns the number of entities checked.
fn check(folia: &str, docs: &[Value]) -> usize {
    let xml = roxmltree::Document::parse(folia).expect("well-formed XML");
    let node = |n: roxmltree::Node, name: &str| n.has_tag_name((FOLIA, name));
    let words: HashMap<&str, roxmltree::Node> = xml
        .descendants()
        .filter(|n| node(*n, "w"))
        .map(|n| (n.attribute((XML, "id")).unwrap(), n))
        .collect();
    let word_text = |w: roxmltree::Node| -> String {
        w.children()
            .find(|c| node(*c, "t"))
            .and_then(|t| t.text())
            .unwrap_or("")
            .to_string()
    };
    let divs: Vec<roxmltree::Node> = xml.descendants().filter(|n| node(*n, "div")).collect();
    assert_eq!(divs.len(), docs.len(), "a div per document");
    let mut checked = 0;
    for (div, doc) in divs.iter().zip(docs) {
        let text = doc["text"].as_str().unwrap();
        // Every character but white space, in order, in the words.
        let spelt: String = div
            .descendants()
            .filter(|n| node(*n, "w"))
            .map(word_text)
            .collect();
        let solid: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(spelt, crate::tei::xml_safe(&solid));
        let entities: Vec<roxmltree::Node> =
            div.descendants().filter(|n| node(*n, "entity")).collect();
        let want = doc["entities"].as_array().unwrap();
        assert_eq!(entities.len(), want.len(), "every entity of {}", doc["id"]);
        for (e, want) in entities.iter().zip(want) {
            assert_eq!(
                e.attribute("class"),
                Some(
                    want["label"]
                        .as_str()
                        .unwrap()
                        .to_ascii_lowercase()
                        .as_str()
                )
            );
            let mut spoken = String::new();
            for r in e.children().filter(|c| node(*c, "wref")) {
                let w = words[r.attribute("id").unwrap()];
                spoken.push_str(&word_text(w));
                if w.attribute("space") != Some("no") {
                    spoken.push(' ');
                }
            }
            assert_eq!(squeeze(&spoken), squeeze(want["text"].as_str().unwrap()));
            checked += 1;
        }
    }
    checked
}

fn extract(dir: &Path, inputs: &[&str]) -> (PathBuf, Vec<Value>) {
    let jsonl = dir.join("x.jsonl");
    let mut args = vec!["extract", "-q", "-o", jsonl.to_str().unwrap()];
    args.extend_from_slice(inputs);
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&fs::read(&jsonl).unwrap());
    (jsonl, docs)
}

#[test]
fn folia_spans_whole_words_that_spell_each_entity() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, docs) = extract(
        dir.path(),
        &["corpus/letters", "tests/data/formats/brief.pdf"],
    );
    let folia = export(&jsonl, &dir.path().join("x.folia.xml"));
    assert!(check(&folia, &docs) > 50);
    assert!(folia.contains("<meta id=\"format\">pdf</meta>"));
    assert!(
        folia.contains("<relation class=\"entity\" xlink:href=\"https://nl-ner.invalid/entity/"),
        "entities link to their IRIs"
    );
}

/// The Python of the FoLiA venv, or a failure saying how to get it.
fn folia_python() -> PathBuf {
    let venv = std::env::var_os("NL_NER_FOLIA_VENV")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner/folia-venv"))
        });
    match venv.filter(|v| v.join("bin/foliavalidator").is_file()) {
        Some(v) => v.join("bin/python"),
        None => missing(
            "foliavalidator (PyPI folia-tools)",
            "bash .ci/setup.d/78-folia.sh makes its venv",
        ),
    }
}

/// Reads a FoLiA file with `folia.main.Document` and compares every document div (by its id)
/// and entity (class and words) with the extract output it was made from; prints the first
/// difference, then `N passed, M failed` (documents).
const READ_BACK: &str = r##"
import json, sys, unicodedata
import folia.main as folia

def solid(s):
    # The library joins words with a space whatever `space` says, and gives text in NFC.
    return unicodedata.normalize("NFC", "".join(s.split()))

doc = folia.Document(file=sys.argv[1])
got = [[(e.cls, solid("".join(w.text() for w in e.wrefs()))) for e in div.select(folia.Entity)]
       for div in doc.select(folia.Division)]
ids = [div.getmetadata("id") for div in doc.select(folia.Division)]
passed = failed = 0
with open(sys.argv[2], encoding="utf-8") as f:
    want = [json.loads(line) for line in f]
for i, d in enumerate(want):
    entities = [(e["label"].lower(), solid(e["text"])) for e in d["entities"]]
    if i < len(got) and ids[i] == d["id"] and got[i] == entities:
        passed += 1
    else:
        if failed == 0:
            print("first difference:", d["id"], ids[i:i + 1], [x for x in zip(got[i] if i < len(got) else [], entities) if x[0] != x[1]][:3])
        failed += 1
failed += max(0, len(got) - len(want))
print(f"{passed} passed, {failed} failed")
"##;

#[test]
#[ignore = "needs foliavalidator and the folia library: .ci/setup.d/78-folia.sh"]
fn the_corpus_export_is_valid_folia() {
    let python = folia_python();
    let validator = python.with_file_name("foliavalidator");
    let dir = tempfile::tempdir().unwrap();
    let jsonl = crate::export::corpus_jsonl();
    let file = dir.path().join("corpus.folia.xml");
    let folia = export(jsonl, &file);
    let docs = json_lines(&fs::read(jsonl).unwrap());
    assert!(check(&folia, &docs) > 10_000);
    let out = Command::new(&validator).arg(&file).output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        out.status.success() && report.contains("Validated successfully"),
        "{report}"
    );
    // The folia library reads every document and entity back.
    let out = Command::new(&python)
        .args(["-c", READ_BACK])
        .arg(&file)
        .arg(jsonl)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listing}{}", stderr(&out));
    let all = format!("{} passed, 0 failed", docs.len());
    assert!(listing.lines().any(|l| l == all), "{listing}");
    // foliavalidator does find errors: a word reference to no word.
    let bad = dir.path().join("bad.folia.xml");
    fs::write(&bad, folia.replacen("<wref id=\"", "<wref id=\"nowhere", 1)).unwrap();
    let out = Command::new(&validator).arg(&bad).output().unwrap();
    assert!(
        !out.status.success(),
        "foliavalidator accepted a dangling wref"
    );
}
