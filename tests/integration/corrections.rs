//! The correction loop, end to end: extract → export to Label Studio → an annotator's edits
//! (deletes, relabels, adds, as Label Studio writes them) → import → train on CoNLL plus the
//! corrected gold → eval: the retrained model scores better on the corrected documents.
//!
//! The documents are the 25 held-out motions of `corpus/gold/test.jsonl` (which the shipped
//! model never saw, so its pre-annotations need real corrections); the annotator makes the
//! pre-annotations into their gold annotations, so the import must give the gold back exactly.
//! Training is kept small for CI: a slice of CoNLL-2002 and few iterations; the old model is
//! trained on the slice alone with the same settings. The other gold files (set-a, set-b), which
//! neither small model saw, show whether the gain carries over to other motions.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::util::{Spans, root, run, spans_of, stderr};
use serde_json::{Value, json};

const GOLD: [&str; 1] = ["corpus/gold/test.jsonl"];
/// CoNLL-2002 training sentences in the slice.
const CONLL_SENTENCES: usize = 1500;
const ITERATIONS: &str = "40";

fn gold_docs() -> Vec<Value> {
    GOLD.iter()
        .flat_map(|f| {
            fs::read_to_string(root().join(f))
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect::<Vec<Value>>()
        })
        .collect()
}

fn spans(entities: &Value) -> Spans {
    let mut s = spans_of(entities);
    s.sort();
    s
}

/// What an annotator does in Label Studio: starts from the predictions, deletes the wrong
/// regions, relabels those with the right extent, adds the missing ones; returns the counts.
fn annotate(task: &mut Value, gold: &Spans, n: usize) -> (usize, usize, usize) {
    let (mut deleted, mut relabelled) = (0, 0);
    let mut result = Vec::new();
    let mut matched = Vec::new();
    for r in task["predictions"][0]["result"].as_array().unwrap() {
        let v = &r["value"];
        let (s, e) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
        match gold.iter().find(|g| (g.0, g.1) == (s, e)) {
            Some(g) => {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("score");
                if g.2 == v["labels"][0] {
                    r["origin"] = "prediction".into();
                } else {
                    r["value"]["labels"] = json!([g.2]);
                    r["origin"] = "prediction-changed".into();
                    relabelled += 1;
                }
                matched.push(g.clone());
                result.push(r);
            }
            None => deleted += 1,
        }
    }
    let text: Vec<char> = task["data"]["text"].as_str().unwrap().chars().collect();
    let mut added = 0;
    for g in gold.iter().filter(|g| !matched.contains(g)) {
        added += 1;
        let surface: String = text[g.0 as usize..g.1 as usize].iter().collect();
        result.push(json!({"id": format!("m{n}-{added}"), "from_name": "label", "to_name": "text", "type": "labels",
            "origin": "manual", "value": {"start": g.0, "end": g.1, "text": surface, "labels": [g.2]}}));
    }
    task["annotations"] = json!([{"id": n, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
        "lead_time": 42.0, "result": result, "task": n}]);
    (deleted, relabelled, added)
}

fn micro_f1(gold: &Path, model: &Path) -> f64 {
    let out = run(&[
        "eval",
        gold.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--no-domain",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scores: Value = serde_json::from_slice(&out.stdout).unwrap();
    scores["micro"]["f1"].as_f64().unwrap()
}

#[test]
fn corrections_made_in_label_studio_come_back_and_improve_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let gold = gold_docs();
    let input: String = gold
        .iter()
        .map(|d| format!("{}\n", json!({"id": d["id"], "text": d["text"]})))
        .collect();
    fs::write(p("input.jsonl"), input).unwrap();
    let out = run(&[
        "extract",
        &p("input.jsonl"),
        "--quiet",
        "-o",
        &p("pre.jsonl"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&[
        "export",
        "--format",
        "labelstudio",
        "--order",
        "uncertainty",
        &p("pre.jsonl"),
        "-o",
        &p("tasks.json"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut tasks: Vec<Value> =
        serde_json::from_str(&fs::read_to_string(p("tasks.json")).unwrap()).unwrap();
    let scores: Vec<f64> = tasks
        .iter()
        .map(|t| t["predictions"][0]["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] <= w[1]),
        "least sure first: {scores:?}"
    );
    let by_id: HashMap<&str, Spans> = gold
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), spans(&d["entities"])))
        .collect();
    let mut edits = (0, 0, 0);
    for (n, task) in tasks.iter_mut().enumerate() {
        let g = &by_id[task["data"]["doc_id"].as_str().unwrap()];
        let (d, r, a) = annotate(task, g, n + 1);
        edits = (edits.0 + d, edits.1 + r, edits.2 + a);
    }
    eprintln!(
        "annotator: {} deleted, {} relabelled, {} added",
        edits.0, edits.1, edits.2
    );
    assert!(edits.0 > 0 && edits.1 > 0 && edits.2 > 0, "{edits:?}");
    fs::write(p("annotated.json"), serde_json::to_string(&tasks).unwrap()).unwrap();

    let out = run(&[
        "import",
        "--format",
        "labelstudio",
        &p("annotated.json"),
        "-o",
        &p("corrected.jsonl"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let corrected: Vec<Value> = fs::read_to_string(p("corrected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(corrected.len(), gold.len());
    for d in &corrected {
        assert_eq!(
            spans(&d["entities"]),
            by_id[d["id"].as_str().unwrap()],
            "{}",
            d["id"]
        );
    }

    // Train the old model on a CoNLL slice, the new one on the slice and the corrections (three
    // times, as the model card weighs the in-domain gold).
    let conll = fs::read_to_string(root().join("data/conll2002-nl/ned.train")).unwrap();
    let slice: Vec<&str> = conll.split("\n\n").take(CONLL_SENTENCES).collect();
    fs::write(p("slice.conll"), slice.join("\n\n") + "\n").unwrap();
    let train = |model: &str, extra: &[&str]| {
        let mut args = vec!["train", "--train", &p("slice.conll")[..]]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for e in extra {
            args.extend(["--train".to_string(), e.to_string()]);
        }
        args.extend(["--max-iterations", ITERATIONS, "-o", &p(model)].map(String::from));
        let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "{}", stderr(&out));
        eprintln!("{model}: {}", stderr(&out).trim());
    };
    let c = p("corrected.jsonl");
    train("old.model", &[]);
    train("new.model", &[&c, &c, &c]);
    let (old, new) = (
        micro_f1(Path::new(&c), Path::new(&p("old.model"))),
        micro_f1(Path::new(&c), Path::new(&p("new.model"))),
    );
    let other = root().join("corpus/gold/set-a.jsonl");
    let (old_o, new_o) = (
        micro_f1(&other, Path::new(&p("old.model"))),
        micro_f1(&other, Path::new(&p("new.model"))),
    );
    eprintln!(
        "micro F1 (model alone), corrected documents: old {old:.2}, new {new:.2}; other motions (set-a): old {old_o:.2}, new {new_o:.2}"
    );
    assert!(
        new > old + 10.0,
        "the corrections teach the model: old {old:.2}, new {new:.2}"
    );
    assert!(
        new_o > old_o,
        "and the gain carries over to other motions: old {old_o:.2}, new {new_o:.2}"
    );
}
