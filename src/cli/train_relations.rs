//! `nl-ner train-relations`: train the relation pair classifier on relation gold and write it.
//!
//! The shipped `models/relations/classifier.json` is this command with the defaults on the
//! training split of `corpus/gold/relations/` (`models/relations/README.md` has the command).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::relate::RelationType;
use nl_ner::relate::train::{RelationTrainConfig, train};

/// Arguments of `nl-ner train-relations`.
#[derive(clap::Args, Debug)]
pub struct TrainRelationsArgs {
    /// Entity gold files (JSONL, `corpus/gold/*.jsonl`) that hold the documents the relation gold
    /// names by id; repeatable.
    #[arg(long = "gold", required = true, value_name = "FILE")]
    entity_gold: Vec<PathBuf>,
    /// Relation gold to train on (`corpus/gold/relations/train.jsonl`); repeatable.
    #[arg(long, required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// Relation gold to choose the threshold on (never trained on); repeatable.
    #[arg(long, value_name = "FILE")]
    dev: Vec<PathBuf>,
    /// Where to write the classifier (required).
    #[arg(short, long, value_name = "FILE", required = true)]
    output: PathBuf,
    /// L1 penalty.
    #[arg(long, default_value_t = RelationTrainConfig::default().c1)]
    c1: f64,
    /// L2 penalty.
    #[arg(long, default_value_t = RelationTrainConfig::default().c2)]
    c2: f64,
    /// Maximum number of L-BFGS iterations.
    #[arg(long, default_value_t = RelationTrainConfig::default().max_iterations)]
    max_iterations: usize,
}

/// Trains, writes the classifier atomically, and prints a summary to stderr.
pub fn run(args: &TrainRelationsArgs) -> anyhow::Result<ExitCode> {
    let train_docs = nl_ner_io::relation_gold::examples(&args.entity_gold, &args.train)?;
    let dev_docs = nl_ner_io::relation_gold::examples(&args.entity_gold, &args.dev)?;
    let config = RelationTrainConfig {
        c1: args.c1,
        c2: args.c2,
        max_iterations: args.max_iterations,
    };
    let provenance = serde_json::json!({
        "train": args.train,
        "dev": args.dev,
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.max_iterations,
    });
    let report = train(&train_docs, &dev_docs, &config, provenance)?;
    let mut out = nl_ner_io::output::Output::create(&args.output)?;
    std::io::Write::write_all(out.writer(), report.classifier.to_json().as_bytes())
        .with_context(|| format!("writing {}", args.output.display()))?;
    out.finish()?;
    message!(
        "trained on {} candidate pairs ({} relations) of {} documents in {:.1} s: {} features kept; \
         thresholds {}{}; wrote {}",
        report.examples,
        report.positives,
        train_docs.len(),
        report.seconds,
        report.features,
        [RelationType::MemberOf, RelationType::ParticipatesIn]
            .map(|k| format!("{} {:.1}", k.as_str(), report.classifier.threshold_for(k)))
            .join(", "),
        report.dev_f1.map_or_else(String::new, |f| format!(
            " (classifier alone on dev: micro F1 {f:.2})"
        )),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
