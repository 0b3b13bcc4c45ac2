//! `nl-ner export --format tei` (issue 26, docs/exports.md): the export read back (the text of
//! every document exactly, every entity element's text its surface, every `@ref` and relation
//! pointing at an element of the file, a PDF's pages as `<pb/>`), and validated against the TEI
//! P5 schema (`tei_all.rng`) with jing, on the whole corpus.
//!
//! The validation needs jing and the schema: `.ci/setup.d/77-tei.sh` installs both (the schema
//! at `$NL_NER_TEI_RNG`, else `~/.cache/nl-ner/tei/tei_all.rng`).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{json_lines, missing, run, stderr};

const TEI: &str = "http://www.tei-c.org/ns/1.0";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Extracts `inputs` and exports them as TEI into `dir`; returns the extract output and the TEI.
fn export(dir: &Path, inputs: &[&str], more: &[&str]) -> (Vec<Value>, String) {
    let jsonl = dir.join("x.jsonl");
    let mut args = vec!["extract", "-q", "-o", jsonl.to_str().unwrap()];
    args.extend_from_slice(inputs);
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let tei = dir.join("x.tei.xml");
    let docs = json_lines(&fs::read(&jsonl).unwrap());
    (docs, export_file(&jsonl, &tei, more))
}

fn export_file(jsonl: &Path, tei: &Path, more: &[&str]) -> String {
    let mut args = vec![
        "export",
        "--format",
        "tei",
        jsonl.to_str().unwrap(),
        "-o",
        tei.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    fs::read_to_string(tei).unwrap()
}

/// `text` as XML 1.0 can hold it: a control character other than tab, line feed and carriage
/// return (the motions' form feeds) is U+FFFD, one for one.
pub(crate) fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The character data of `node`, in document order.
fn char_data(node: roxmltree::Node) -> String {
    node.descendants()
        .filter_map(|n| n.text().filter(|_| n.is_text()))
        .collect()
}

fn xml_id<'a>(n: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.attribute((XML, "id"))
}

/// The TEI element an entity of `label` is written as, and its `@type`.
fn element(label: &str) -> (&'static str, Option<&'static str>) {
    match label {
        "PER" => ("persName", None),
        "ORG" => ("orgName", None),
        "LOC" => ("placeName", None),
        "MISC" => ("name", Some("misc")),
        "INITIATIVE" => ("name", Some("initiative")),
        "DATE" => ("date", None),
        "MONEY" => ("measure", Some("currency")),
        "PERCENT" => ("num", Some("percentage")),
        "REF" => ("bibl", None),
        other => panic!("unknown label {other}"),
    }
}

/// Reads the TEI back against the extract output it was made from: returns the number of
/// entity elements and of relations checked.
fn check(tei: &str, docs: &[Value]) -> (usize, usize) {
    let xml = roxmltree::Document::parse(tei).expect("well-formed XML");
    let ids: HashMap<&str, roxmltree::Node> = xml
        .descendants()
        .filter_map(|n| Some((xml_id(n)?, n)))
        .collect();
    assert_eq!(
        ids.len(),
        xml.descendants().filter(|n| xml_id(*n).is_some()).count(),
        "xml:ids are unique"
    );
    let texts: Vec<roxmltree::Node> = xml
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(TEI) && n.tag_name().name() == "TEI")
        .collect();
    assert_eq!(texts.len(), docs.len(), "one TEI per document");
    let (mut entities, mut relations) = (0, 0);
    for (tei, doc) in texts.iter().zip(docs) {
        let docid = xml_id(*tei).unwrap();
        let text = doc["text"].as_str().unwrap();
        let body = tei
            .descendants()
            .find(|n| n.has_tag_name((TEI, "body")))
            .unwrap();
        let body_text: String = char_data(body);
        assert_eq!(
            body_text,
            xml_safe(text),
            "{docid}: the body's character data is the text"
        );
        let idno = tei
            .descendants()
            .find(|n| n.has_tag_name((TEI, "idno")) && n.attribute("type") == Some("nl-ner"))
            .unwrap();
        assert_eq!(
            idno.text(),
            doc["id"].as_str(),
            "the document's id in its header"
        );
        for (i, e) in doc["entities"].as_array().unwrap().iter().enumerate() {
            let node = ids[format!("{docid}.m{i}").as_str()];
            let surface: String = char_data(node);
            assert_eq!(
                surface,
                xml_safe(e["text"].as_str().unwrap()),
                "{docid}.m{i}"
            );
            let (name, kind) = element(e["label"].as_str().unwrap());
            assert_eq!(node.tag_name().name(), name);
            assert_eq!(node.attribute("type"), kind);
            let named =
                ["PER", "ORG", "LOC", "MISC", "INITIATIVE"].contains(&e["label"].as_str().unwrap());
            if let Some(id) = e["entity_id"].as_str().filter(|_| named) {
                let target = node
                    .attribute("ref")
                    .expect("a named entity refers to its entry");
                let entry = ids[target.strip_prefix('#').unwrap()];
                assert!(
                    entry
                        .children()
                        .any(|c| c.attribute("type") == Some("nl-ner") && c.text() == Some(id)),
                    "{docid}.m{i}: its entry joins {id}"
                );
            }
            entities += 1;
        }
        let rels: Vec<roxmltree::Node> = tei
            .descendants()
            .filter(|n| n.has_tag_name((TEI, "relation")))
            .collect();
        let want = doc["relations"].as_array().map_or(0, Vec::len);
        assert_eq!(rels.len(), want, "{docid}: every relation");
        for (r, want) in rels
            .iter()
            .zip(doc["relations"].as_array().into_iter().flatten())
        {
            assert_eq!(r.attribute("name"), want["type"].as_str());
            let active = format!("#{docid}.m{}", want["head"]);
            assert_eq!(r.attribute("active"), Some(active.as_str()));
            if let Some(t) = want["tail"].as_u64() {
                assert_eq!(
                    r.attribute("passive"),
                    Some(format!("#{docid}.m{t}").as_str())
                );
            }
            relations += 1;
        }
        let pages = doc["source"]["pages"].as_array().map_or(0, Vec::len);
        let pbs = body
            .descendants()
            .filter(|n| n.has_tag_name((TEI, "pb")))
            .count();
        assert_eq!(pbs, pages, "{docid}: a <pb/> per page");
    }
    (entities, relations)
}

#[test]
fn tei_keeps_the_text_the_entities_and_the_relations() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, tei) = export(
        dir.path(),
        &[
            "corpus/letters",
            "tests/data/formats/brief.pdf",
            "corpus/moties",
        ],
        &[],
    );
    assert!(tei.contains("<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">"));
    let (entities, relations) = check(&tei, &docs);
    assert!(
        entities > 100 && relations > 0,
        "{entities} entities, {relations} relations"
    );
    // The letter's minister: a person of the register, with his names.
    assert!(
        tei.contains("<persName type=\"preferred\">"),
        "a register of persons"
    );
    assert!(tei.contains("<pb n=\"1\"/>"), "the PDF's first page");

    // One document: a TEI of its own, its register in its own standOff.
    let (docs, tei) = export(dir.path(), &["corpus/letters"], &[]);
    assert_eq!(docs.len(), 1);
    assert!(tei.contains("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"doc1\">"));
    assert!(!tei.contains("teiCorpus"));
    check(&tei, &docs);

    // `--labels` leaves the others out, and the relations that need them.
    let jsonl = dir.path().join("x.jsonl");
    let per = export_file(&jsonl, &dir.path().join("per.xml"), &["--labels", "PER"]);
    assert!(per.contains("<persName xml:id="));
    assert!(!per.contains("<orgName xml:id=") && !per.contains("<relation name=\"member_of\""));
}

/// The TEI schema, or a failure saying how to get it.
fn tei_rng() -> PathBuf {
    let rng = std::env::var_os("NL_NER_TEI_RNG")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner/tei/tei_all.rng"))
        });
    match rng.filter(|p| p.is_file()) {
        Some(p) => p,
        None => missing(
            "TEI P5's tei_all.rng",
            "bash .ci/setup.d/77-tei.sh fetches it",
        ),
    }
}

/// Validates `file` with jing against `rng`; panics with jing's report when it is not valid.
fn jing(rng: &Path, file: &Path) {
    let out = Command::new("jing")
        .arg(rng)
        .arg(file)
        .output()
        .unwrap_or_else(|_| {
            missing(
                "jing",
                "bash .ci/setup.d/77-tei.sh installs it (Debian jing)",
            )
        });
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} is not valid TEI:\n{}",
        file.display(),
        report.lines().take(20).collect::<Vec<_>>().join("\n")
    );
}

#[test]
#[ignore = "needs jing and TEI P5's tei_all.rng: .ci/setup.d/77-tei.sh"]
fn the_corpus_export_is_valid_tei() {
    let rng = tei_rng();
    let dir = tempfile::tempdir().unwrap();
    // The whole corpus (a teiCorpus), its extract output read back first.
    let jsonl = crate::export::corpus_jsonl();
    let corpus = dir.path().join("corpus.tei.xml");
    let tei = export_file(jsonl, &corpus, &[]);
    let docs = json_lines(&fs::read(jsonl).unwrap());
    let (entities, relations) = check(&tei, &docs);
    assert!(
        entities > 10_000 && relations > 100,
        "{entities} entities, {relations} relations"
    );
    jing(&rng, &corpus);
    // One document (a TEI), and a PDF with its pages.
    for input in [
        "corpus/letters",
        "tests/data/formats/kamervragen-ll-001.pdf",
    ] {
        let sub = dir.path().join(input.replace('/', "_"));
        fs::create_dir(&sub).unwrap();
        let (docs, tei) = export(&sub, &[input], &[]);
        check(&tei, &docs);
        jing(&rng, &sub.join("x.tei.xml"));
    }
    // jing does find errors: an entity element where TEI has none.
    let bad = dir.path().join("bad.xml");
    fs::write(
        &bad,
        tei.replacen("<persName xml:id=", "<person xml:id=", 1),
    )
    .unwrap();
    let out = Command::new("jing").arg(&rng).arg(&bad).output().unwrap();
    assert!(
        !out.status.success(),
        "jing accepted a <person> inside a paragraph"
    );
}

#[test]
fn what_xml_cannot_hold_keeps_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    // A control character, markup characters and a carriage return, around an entity.
    let text = "A\u{1} <b> & \"NAVO\"\r\nen  de EU.\n\n\nTweede alinea: Rutte.";
    let line = serde_json::json!({"id": "x", "text": text, "entities": [
        {"start": 10, "end": 14, "label": "ORG"},
        {"start": 24, "end": 26, "label": "ORG"},
        {"start": 45, "end": 50, "label": "PER"},
    ]});
    fs::write(&jsonl, format!("{line}\n")).unwrap();
    let tei = export_file(&jsonl, &dir.path().join("x.xml"), &[]);
    let xml = roxmltree::Document::parse(&tei).unwrap();
    let body = xml
        .descendants()
        .find(|n| n.has_tag_name((TEI, "body")))
        .unwrap();
    let got: String = char_data(body);
    assert_eq!(
        got,
        text.replace('\u{1}', "\u{fffd}"),
        "one code point for one"
    );
    let paragraphs: Vec<String> = body
        .children()
        .filter(|n| n.has_tag_name((TEI, "p")))
        .map(|p| char_data(p))
        .collect();
    assert_eq!(
        paragraphs,
        [
            "A\u{fffd} <b> & \"NAVO\"\r\nen  de EU.",
            "Tweede alinea: Rutte."
        ]
    );
}
