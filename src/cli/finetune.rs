//! `nl-ner finetune`: fine-tune the transformer (the accurate model) and write a model directory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::transformer::Depth;
use nl_ner::transformer::{FinetuneConfig, finetune};

/// Arguments of `nl-ner finetune`.
#[derive(clap::Args, Debug)]
pub struct FinetuneArgs {
    /// Training file: CoNLL or JSONL gold; repeat for several. Naming a file twice counts it twice.
    #[arg(long, required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// Dev file scored after every epoch; the best epoch is written (never trained on).
    #[arg(long, value_name = "FILE")]
    dev: Option<PathBuf>,
    /// The model directory to write (`models/transformer` is the shipped one).
    #[arg(short, long, value_name = "DIR", required = true)]
    output: PathBuf,
    /// The pretrained encoder (default: NL_NER_E5, else where scripts/transformer/setup.sh puts it).
    #[arg(long, value_name = "FILE")]
    encoder: Option<PathBuf>,
    /// Encoder layers used, from the bottom.
    #[arg(long, default_value_t = FinetuneConfig::default().depth.layers)]
    layers: usize,
    /// Of those, how many stay as pretrained (their output is computed once and cached).
    #[arg(long, default_value_t = FinetuneConfig::default().depth.frozen)]
    frozen: usize,
    /// Passes over the training data.
    #[arg(long, default_value_t = FinetuneConfig::default().epochs)]
    epochs: usize,
    /// Peak learning rate of the trained layers.
    #[arg(long, default_value_t = FinetuneConfig::default().lr)]
    lr: f64,
    /// Peak learning rate of the tag head.
    #[arg(long, default_value_t = FinetuneConfig::default().head_lr)]
    head_lr: f64,
    /// Most pieces (padding included) per batch.
    #[arg(long, default_value_t = FinetuneConfig::default().batch_pieces)]
    batch_pieces: usize,
    /// Seed (head initialisation, dropout, batch order).
    #[arg(long, default_value_t = FinetuneConfig::default().seed)]
    seed: i64,
    /// libtorch threads.
    #[arg(long, default_value_t = FinetuneConfig::default().threads)]
    threads: usize,
    /// Directory for a checkpoint after every epoch (keep it outside the work tree, e.g.
    /// ~/.cache/nl-ner/finetune).
    #[arg(long, value_name = "DIR")]
    checkpoint: Option<PathBuf>,
    /// Continue the run whose checkpoint is in --checkpoint (same arguments).
    #[arg(long, requires = "checkpoint")]
    resume: bool,
    /// Stop after this many training steps (to measure speed).
    #[arg(long)]
    max_steps: Option<usize>,
}

/// Fine-tunes and prints each epoch's loss, dev F1 and speed to stderr.
pub fn run(args: &FinetuneArgs) -> anyhow::Result<ExitCode> {
    let defaults = FinetuneConfig::default();
    let config = FinetuneConfig {
        train: args.train.clone(),
        dev: args.dev.clone(),
        output: args.output.clone(),
        encoder: args.encoder.clone().unwrap_or(defaults.encoder),
        depth: Depth {
            layers: args.layers,
            frozen: args.frozen,
        },
        epochs: args.epochs,
        lr: args.lr,
        head_lr: args.head_lr,
        batch_pieces: args.batch_pieces,
        seed: args.seed,
        threads: args.threads,
        checkpoint: args.checkpoint.clone(),
        resume: args.resume,
        max_steps: args.max_steps,
        ..defaults
    };
    let report = finetune(&config, &nl_ner_io::gold::read_as_conll, |line| {
        message!("{line}")
    })
    .with_context(|| format!("fine-tuning {}", config.output.display()))?;
    message!(
        "wrote {} (epoch {} of {}){}",
        config.output.display(),
        report.kept_epoch,
        report.epochs.len(),
        report.dev.as_ref().map_or(String::new(), |s| format!(
            ", dev micro F1 {:.2}",
            s.micro.f1()
        ))
    );
    Ok(ExitCode::SUCCESS)
}
