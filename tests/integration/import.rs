//! `nl-ner import`: Label Studio, doccano and spaCy/Prodigy files back to gold JSONL. Exports
//! of the whole corpus come back with every span; malformed and conflicting tasks are named
//! and skipped (exit status 1), the rest imported; an unreadable file is fatal (2).

use std::fs;
use std::path::Path;

use crate::util::{Spans, run, spans_of, stderr};
use serde_json::{Value, json};

fn spans(doc: &Value) -> Spans {
    spans_of(&doc["entities"])
}

fn lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn exports_of_the_corpus_import_back_to_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let out = run(&["extract", "corpus/", "--quiet", "-o", &p("corpus.jsonl")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let source = lines(Path::new(&p("corpus.jsonl")));
    for format in ["labelstudio", "doccano", "spacy"] {
        let out = run(&[
            "export",
            "--format",
            format,
            &p("corpus.jsonl"),
            "-o",
            &p(format),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        if format == "labelstudio" {
            // Accepted as they are: each prediction submitted as the annotation.
            let mut tasks: Vec<Value> =
                serde_json::from_str(&fs::read_to_string(p(format)).unwrap()).unwrap();
            for (i, t) in tasks.iter_mut().enumerate() {
                t["annotations"] =
                    json!([{"id": i, "result": t["predictions"][0]["result"].clone()}]);
            }
            fs::write(p(format), serde_json::to_string(&tasks).unwrap()).unwrap();
        }
        let gold = p(&format!("{format}.gold.jsonl"));
        let out = run(&["import", "--format", format, &p(format), "-o", &gold]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let back = lines(Path::new(&gold));
        assert_eq!(back.len(), source.len(), "{format}");
        for (b, s) in back.iter().zip(&source) {
            assert_eq!((&b["id"], &b["text"]), (&s["id"], &s["text"]), "{format}");
            assert_eq!(spans(b), spans(s), "{format} {}", s["id"]);
        }
        // The gold file is one that `eval` and `train` read.
        nl_ner_io::gold::read_jsonl(Path::new(&gold)).unwrap();
    }
}

fn region(id: &str, start: u64, end: u64, text: &str, label: &str) -> Value {
    json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]}})
}

/// `nl-ner import --format labelstudio IN -o OUT`.
fn import_labelstudio(input: &Path, out: &Path) -> std::process::Output {
    run(&[
        "import",
        "--format",
        "labelstudio",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
}

#[test]
fn bad_tasks_are_named_and_skipped_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "De NAVO en Oekraïne.";
    let tasks = json!([
        {"id": 1, "data": {"text": text, "doc_id": "goed"}, "annotations": [{"id": 1, "result": [
            region("a", 3, 7, "NAVO", "ORG"), region("b", 11, 19, "Oekraïne", "LOC")]}]},
        {"id": 2, "data": {"text": text, "doc_id": "verschoven"}, "annotations": [{"id": 2, "result": [
            region("a", 4, 8, "NAVO", "ORG")]}]},
        {"id": 3, "data": {"text": text, "doc_id": "overlap"}, "annotations": [{"id": 3, "result": [
            region("a", 3, 7, "NAVO", "ORG"), region("b", 3, 10, "NAVO en", "MISC")]}]},
        {"id": 4, "data": {"text": text, "doc_id": "open"}, "annotations": []},
        {"id": 5, "data": {"doc_id": "zonder tekst"}, "annotations": [{"id": 5, "result": []}]},
        {"id": 6, "data": {"text": text, "doc_id": "label"}, "annotations": [{"id": 6, "result": [
            region("a", 3, 7, "NAVO", "ORGANISATIE")]}]}
    ]);
    let path = dir.path().join("ls.json");
    fs::write(&path, tasks.to_string()).unwrap();
    let out_path = dir.path().join("gold.jsonl");
    let out = import_labelstudio(&path, &out_path);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let f = path.display();
    for want in [
        format!(
            "skipped {f}: task 2 (verschoven): annotation 2: result a: says \"NAVO\" but the text at [4, 8) is \"AVO \""
        ),
        format!(
            "skipped {f}: task 3 (overlap): annotation 3: result b \"NAVO en\" [3, 10) MISC overlaps result a \"NAVO\" [3, 7) ORG"
        ),
        format!("skipped {f}: task 4 (open): no submitted annotation"),
        format!("skipped {f}: task 5 (zonder tekst): no string `data.text`"),
        format!(
            "skipped {f}: task 6 (label): annotation 6: result a: unknown label \"ORGANISATIE\""
        ),
        "imported 1 document (2 mentions), 5 skipped".to_string(),
    ] {
        assert!(err.contains(&want), "missing `{want}` in:\n{err}");
    }
    let back = lines(&out_path);
    assert_eq!(back.len(), 1);
    assert_eq!(
        back[0]["entities"][1],
        json!({"start": 11, "end": 19, "text": "Oekraïne", "label": "LOC"})
    );

    // doccano and Prodigy lines: a bad line is skipped, the others kept.
    let doccano = dir.path().join("d.jsonl");
    fs::write(
        &doccano,
        format!(
            "{}\nnot json\n{}\n",
            json!({"text": text, "label": [[3, 7, "ORG"]], "id": 1}),
            json!({"text": text, "label": [[3, 40, "ORG"]]})
        ),
    )
    .unwrap();
    let out = run(&["import", "--format", "doccano", doccano.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{}:2: not JSON", doccano.display())),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("label 1: [3, 40) does not fit a text of 20 characters"),
        "{}",
        stderr(&out)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);

    // A file that is not a Label Studio export at all is fatal: nothing written.
    let out = run(&[
        "import",
        "--format",
        "labelstudio",
        doccano.to_str().unwrap(),
        "-o",
        out_path.with_extension("x").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a Label Studio export"),
        "{}",
        stderr(&out)
    );
    assert!(!out_path.with_extension("x").exists());
}

#[test]
fn a_json_min_export_is_refused_with_the_export_to_choose() {
    let dir = tempfile::tempdir().unwrap();
    // What Label Studio's "JSON-MIN" export writes: flat records, no `data`, no `annotations`.
    let min = json!([{"id": 7, "text": "De NAVO en Oekraïne.", "annotator": 1,
        "annotation_id": 12, "created_at": "2026-12-06T10:00:00Z",
        "label": [{"start": 3, "end": 7, "text": "NAVO", "labels": ["ORG"]}]}]);
    let path = dir.path().join("min.json");
    fs::write(&path, min.to_string()).unwrap();
    let out_path = dir.path().join("gold.jsonl");
    let out = import_labelstudio(&path, &out_path);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a Label Studio JSON-MIN export")
            && stderr(&out).contains("export the project as \"JSON\""),
        "{}",
        stderr(&out)
    );
    assert!(!out_path.exists());
    // A CSV export is told to be exported as JSON too.
    fs::write(&path, "id,text,label\n7,De NAVO,ORG\n").unwrap();
    let out = run(&["import", "--format", "labelstudio", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("export the project as \"JSON\", not CSV or TSV"),
        "{}",
        stderr(&out)
    );
}
