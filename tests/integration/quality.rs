//! The shipped model's quality claims (README, models/README.md), measured with `nl-ner eval`.
//! A retrained model that falls below them fails here.

use std::collections::BTreeSet;

use crate::util::{json_lines, run, stderr};

fn eval_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["eval", "--json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn f1(c: &serde_json::Value) -> f64 {
    let (tp, fp, fn_) = (
        c["tp"].as_f64().unwrap(),
        c["fp"].as_f64().unwrap(),
        c["fn"].as_f64().unwrap(),
    );
    if tp == 0.0 {
        0.0
    } else {
        200.0 * tp / (2.0 * tp + fp + fn_)
    }
}

#[test]
fn conll2002_test_set_micro_f1_is_at_least_80() {
    let s = eval_json(&["data/conll2002-nl/ned.testb"]);
    let micro = f1(&s["micro"]);
    assert!(micro >= 80.0, "ned.testb micro F1 {micro:.2}");
}

#[test]
fn held_out_in_domain_scores_meet_the_targets() {
    let s = eval_json(&["corpus/gold/test.jsonl"]);
    let micro = f1(&s["micro"]);
    let initiative = f1(&s["per_label"]["INITIATIVE"]);
    assert!(micro >= 85.0, "held-out micro F1 {micro:.2}");
    assert!(initiative >= 75.0, "held-out INITIATIVE F1 {initiative:.2}");
}

#[test]
fn the_letter_comes_out_with_every_programme_it_names() {
    let gold: serde_json::Value =
        serde_json::from_str(include_str!("../../corpus/gold/letter.jsonl").trim()).unwrap();
    let out = run(&[
        "extract",
        "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt",
        "--quiet",
    ]);
    let doc = &json_lines(&out.stdout)[0];
    let initiatives = |v: &serde_json::Value| -> BTreeSet<String> {
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["label"] == "INITIATIVE")
            .map(|e| e["text"].as_str().unwrap().to_string())
            .collect()
    };
    let (want, got) = (initiatives(&gold), initiatives(doc));
    assert!(want.len() >= 20, "the gold names {} programmes", want.len());
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(missing.is_empty(), "programmes not found: {missing:?}");
    for name in [
        "Arctic Sentry",
        "PURL",
        "AFCC",
        "Ukraine Support Loan",
        "Prioritised Ukraine Requirement List",
    ] {
        assert!(got.contains(name), "{name}");
    }
}

/// The blind test of new government documents (`corpus/gold/govtexts-test.jsonl`, docs/gold.md):
/// the claims in README and models/README.md, three ways.
#[test]
fn new_government_documents_the_model_earns_its_place() {
    let g = "corpus/gold/govtexts-test.jsonl";
    let seen = [
        "--seen",
        "data/conll2002-nl/ned.train",
        "--seen",
        "corpus/gold/letter.jsonl",
        "--seen",
        "corpus/gold/set-a.jsonl",
        "--seen",
        "corpus/gold/set-b.jsonl",
        "--seen",
        "corpus/gold/govtexts-train.jsonl",
    ];
    let eval = |extra: &[&str]| {
        let mut args = vec![g];
        args.extend_from_slice(&seen);
        args.extend_from_slice(extra);
        eval_json(&args)
    };
    let whole = eval(&[]);
    let model = eval(&["--no-domain"]);
    let rules = eval(&["--no-model"]);
    let (w, m, r) = (
        f1(&whole["micro"]),
        f1(&model["micro"]),
        f1(&rules["micro"]),
    );
    assert!(w >= 83.3, "whole pipeline micro F1 {w:.2}");
    assert!(m >= 80.0, "model alone micro F1 {m:.2}");
    assert!(
        w >= r + 15.0,
        "whole pipeline {w:.2} against rules alone {r:.2}"
    );
    let initiative = f1(&whole["per_label"]["INITIATIVE"]);
    assert!(initiative >= 66.0, "INITIATIVE F1 {initiative:.2}");
    let u = &whole["unseen_micro"];
    let (tp, fn_) = (u["tp"].as_f64().unwrap(), u["fn"].as_f64().unwrap());
    assert!(tp + fn_ > 500.0, "{tp} + {fn_} unseen names");
    // Unseen names are those in no gazetteer: since the register lists (issue 23) know 53 more
    // of the test's names, the ones left are fewer (509, was 562) and harder (56.8 %, was 58.5 %).
    assert!(
        tp / (tp + fn_) >= 0.56,
        "unseen-name recall {:.1} %",
        100.0 * tp / (tp + fn_)
    );
}
