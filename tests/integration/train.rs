//! `nl-ner train` on the command line: `-o` is required, the shipped model is not overwritten
//! without `--force`, the feature count is consistent, and `--dev` prints what `eval` prints.

use std::fs;

use crate::util::{root, run, stderr};

#[test]
fn train_needs_o_protects_the_shipped_model_and_scores_dev_as_eval_does() {
    let out = run(&["train", "--train", "data/conll2002-nl/ned.testa"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--output <FILE>"), "{}", stderr(&out));

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.model");
    fs::copy(root().join("models/nl-ner-crf.model"), &copy).unwrap();
    for target in [root().join("models/nl-ner-crf.model"), copy.clone()] {
        let out = run(&[
            "train",
            "--train",
            "data/conll2002-nl/ned.testa",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("holds the shipped model; give another -o FILE, or --force"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        fs::read(&copy).unwrap(),
        fs::read(root().join("models/nl-ner-crf.model")).unwrap(),
        "untouched"
    );

    let conll = fs::read_to_string(root().join("data/conll2002-nl/ned.train")).unwrap();
    let slice: Vec<&str> = conll.split("\n\n").take(300).collect();
    let train = dir.path().join("slice.conll");
    fs::write(&train, slice.join("\n\n") + "\n").unwrap();
    let model = dir.path().join("m.model");
    let dev = "corpus/gold/test.jsonl";
    let args = [
        "train",
        "--train",
        train.to_str().unwrap(),
        "--max-iterations",
        "10",
        "--dev",
        dev,
        "-o",
    ];
    let out = run(&[&args[..], &[model.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let counts: Vec<usize> = err
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(" features kept").next())
        .map(|s| s.split(" of ").map(|n| n.parse().unwrap()).collect())
        .unwrap_or_default();
    assert!(counts.len() == 2 && counts[0] <= counts[1], "{err}");
    let table = err
        .split("(as `nl-ner eval`):\n")
        .nth(1)
        .expect("dev scores printed");
    let eval = run(&["eval", dev, "--model", model.to_str().unwrap()]);
    assert!(eval.status.success());
    assert_eq!(
        table,
        String::from_utf8(eval.stdout).unwrap(),
        "train --dev and eval print the same scores"
    );

    // --force overwrites (here the copy).
    let out = run(&[
        &args[..3],
        &[
            "--max-iterations",
            "2",
            "--force",
            "-o",
            copy.to_str().unwrap(),
        ],
    ]
    .concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(
        fs::read(&copy).unwrap(),
        fs::read(root().join("models/nl-ner-crf.model")).unwrap()
    );
}

/// The micro F1 that `nl-ner eval GOLD --model MODEL --no-domain` prints.
fn model_f1(gold: &std::path::Path, model: &str) -> f64 {
    let g = gold.to_str().unwrap();
    let out = run(&["eval", g, "--no-domain", "--model", model]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    let micro = table
        .lines()
        .find(|l| l.starts_with("micro"))
        .unwrap_or_else(|| panic!("no micro line in\n{table}"));
    micro.split_whitespace().nth(3).unwrap().parse().unwrap()
}

/// Issue 25: `train --init` continues the shipped model on corrections (a warm start): it learns
/// them, an endless pull toward the prior gives the prior back byte for byte, and the options
/// of training from scratch are refused with it.
#[test]
fn train_init_continues_the_shipped_model_on_corrections() {
    let dir = tempfile::tempdir().unwrap();
    // Twenty parts of in-domain gold the shipped model never saw.
    let gold = fs::read_to_string(root().join("corpus/gold/govtexts-train-b.jsonl")).unwrap();
    let corrections = dir.path().join("corrections.jsonl");
    fs::write(
        &corrections,
        gold.lines().take(20).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let c = corrections.to_str().unwrap();
    let model = dir.path().join("continued.model");
    let m = model.to_str().unwrap();
    let out = run(&[
        "train",
        "--init",
        "built-in",
        "--train",
        c,
        "--epochs",
        "8",
        "--prior-weight",
        "0.02",
        "-o",
        m,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("continued training on "),
        "{}",
        stderr(&out)
    );
    let shipped = root().join("models/nl-ner-crf.model");
    let before = model_f1(&corrections, shipped.to_str().unwrap());
    let after = model_f1(&corrections, m);
    assert!(after > before + 2.0, "{before} -> {after}");

    // From the model file, with a pull so strong that nothing moves: the shipped model.
    let still = dir.path().join("still.model");
    let out = run(&[
        "train",
        "--init",
        shipped.to_str().unwrap(),
        "--train",
        c,
        "--prior-weight",
        "1e12",
        "-o",
        still.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read(&still).unwrap(), fs::read(&shipped).unwrap());

    let out = run(&[
        "train", "--init", "built-in", "--train", c, "--c2", "1", "-o", m,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    let out = run(&["train", "--train", c, "--epochs", "3", "-o", m]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--init"), "{}", stderr(&out));
}
