//! `nl-ner train`: train the CRF on CoNLL and JSONL gold files and write a model file.
//!
//! With the defaults, `nl-ner train --train data/conll2002-nl/ned.train --dev
//! data/conll2002-nl/ned.testa -o models/nl-ner-crf.model` reproduces the shipped model byte for
//! byte (training is deterministic).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::model::crf::{TrainConfig, train};

/// Arguments of `nl-ner train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Training file: CoNLL (`WORD [COLUMNS...] TAG`, IOB2) or JSONL gold (`corpus/gold/*.jsonl`,
    /// tokenized by the segmenter); repeat for several. Naming a file twice counts it twice.
    #[arg(long, required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// CoNLL or JSONL gold file to score the new model on (never trained on).
    #[arg(long, value_name = "FILE")]
    dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(
        short,
        long,
        value_name = "FILE",
        default_value = "models/nl-ner-crf.model"
    )]
    output: PathBuf,
    /// L1 penalty (sparsity); 0 turns it off.
    #[arg(long, default_value_t = TrainConfig::default().c1)]
    c1: f64,
    /// L2 penalty.
    #[arg(long, default_value_t = TrainConfig::default().c2)]
    c2: f64,
    /// Maximum number of L-BFGS iterations.
    #[arg(long, default_value_t = TrainConfig::default().max_iterations)]
    max_iterations: usize,
    /// Lexicon file the features read (default: the built-in `models/lexicon/nl-lexicon.tsv`).
    /// A model trained with another lexicon needs that lexicon to load.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Print the optimiser's progress.
    #[arg(short, long)]
    verbose: bool,
}

/// Trains, writes the model, and prints a summary (and dev scores) to stderr.
pub fn run(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let config = TrainConfig {
        train: args.train.clone(),
        dev: args.dev.clone(),
        output: args.output.clone(),
        c1: args.c1,
        c2: args.c2,
        max_iterations: args.max_iterations,
        lexicon: args.lexicon.clone(),
        verbose: args.verbose,
        ..TrainConfig::default()
    };
    let report = train(&config).with_context(|| format!("training {}", config.output.display()))?;
    message!(
        "trained on {} sentences ({} tokens) in {:.0} s: {} of {} features kept; wrote {} ({:.1} MB)",
        report.sentences,
        report.tokens,
        report.train_seconds,
        report.rows,
        report.attributes,
        config.output.display(),
        report.model_bytes as f64 / 1e6
    );
    if let (Some(dev), Some(scores)) = (&config.dev, &report.dev) {
        message!("scores on {}:\n{scores}", dev.display());
    }
    Ok(ExitCode::SUCCESS)
}
