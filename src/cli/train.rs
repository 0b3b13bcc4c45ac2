//! `nl-ner train`: train the CRF on CoNLL and JSONL gold files and write a model file.
//!
//! With the defaults and the training files of the model card (`models/README.md`), `nl-ner
//! train ... -o models/nl-ner-crf.model --force` reproduces the shipped model byte for byte
//! (training is deterministic). `-o` is required, and a file holding the shipped model is only
//! overwritten with `--force`. `--dev` scores the new model exactly as `nl-ner eval DEV --model
//! OUT` does (the same function, `nl_ner_io::score::score_files`).
//!
//! With `--init MODEL` it continues that model on the training files instead (a warm start:
//! `nl_ner::train::continue_training`, models/README.md "Continue training").

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::train::{ContinueConfig, TrainConfig, TrainReport, continue_training, train};
use nl_ner::{CrfTagger, DomainLayer, Pipeline, PipelineConfig};
use nl_ner_io::score::{GoldFormat, ScoreOptions, score_files, seen_names};

/// Arguments of `nl-ner train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Training file: CoNLL (`WORD [COLUMNS...] TAG`, IOB2) or JSONL gold (`corpus/gold/*.jsonl`,
    /// tokenized by the segmenter); repeat for several. Naming a file twice counts it twice.
    #[arg(long, required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// CoNLL or JSONL gold file to score the new model on (never trained on), as `nl-ner eval
    /// DEV --model OUT` scores it.
    #[arg(long, value_name = "FILE")]
    dev: Option<PathBuf>,
    /// Where to write the model (required).
    #[arg(short, long, value_name = "FILE", required = true)]
    output: PathBuf,
    /// Overwrite the file even when it holds the shipped model (`models/nl-ner-crf.model`).
    #[arg(long)]
    force: bool,
    /// Continue this model (a CRF model file, or `built-in` for the shipped one) on the
    /// training files, your corrections, instead of training from scratch: starts from its
    /// weights and features, and pulls every weight toward its value (`--prior-weight`) so that
    /// it keeps what it knew. Seconds to minutes, not the full recipe's half hour.
    #[arg(long, value_name = "MODEL")]
    init: Option<PathBuf>,
    /// With `--init`: passes over the training files.
    #[arg(long, requires = "init", default_value_t = ContinueConfig::default().epochs,
          value_parser = iterations)]
    epochs: usize,
    /// With `--init`: how strongly weights are pulled toward the initial model's, per training
    /// sentence (0: not at all; larger: the model moves less and forgets less).
    #[arg(long, requires = "init", default_value_t = ContinueConfig::default().prior_weight,
          value_parser = penalty)]
    prior_weight: f64,
    /// With `--init`: the first epoch's step size (epoch k steps RATE / k).
    #[arg(long, requires = "init", default_value_t = ContinueConfig::default().learning_rate,
          value_parser = step_size, value_name = "RATE")]
    learning_rate: f64,
    /// L1 penalty (sparsity); 0 turns it off.
    #[arg(long, conflicts_with = "init", default_value_t = TrainConfig::default().c1, value_parser = penalty)]
    c1: f64,
    /// L2 penalty.
    #[arg(long, conflicts_with = "init", default_value_t = TrainConfig::default().c2, value_parser = penalty)]
    c2: f64,
    /// Maximum number of L-BFGS iterations (at least 1).
    #[arg(long, conflicts_with = "init", default_value_t = TrainConfig::default().max_iterations, value_parser = iterations)]
    max_iterations: usize,
    /// Lexicon file the features read (default: the built-in `models/lexicon/nl-lexicon.tsv`).
    /// A model trained with another lexicon needs that lexicon to load.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Print the optimiser's progress.
    #[arg(short, long)]
    verbose: bool,
}

/// A penalty: a finite number, 0 or more (`NaN` or `inf` would train a model without features).
fn penalty(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!(
            "{s} is not a penalty: give a finite number, 0 or more"
        ))
    }
}

/// A step size: a finite number above 0.
fn step_size(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err(format!("{s} is not a step size: give a number above 0")),
        Err(e) => Err(format!("{e}")),
    }
}

/// An iteration bound: 1 or more (0 would write a model that learnt nothing).
fn iterations(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("train at least 1 iteration".into()),
        Err(e) => Err(format!("{e}")),
    }
}

/// Trains, writes the model, and prints a summary (and dev scores) to stderr.
pub fn run(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    // The model must never replace the data it is trained or scored on.
    nl_ner_io::output::check_not_an_input(
        &args.output,
        args.train
            .iter()
            .chain(&args.dev)
            .chain(&args.lexicon)
            .chain(&args.init)
            .map(PathBuf::as_path),
    )?;
    anyhow::ensure!(
        args.force || !holds_shipped_model(&args.output),
        "{} holds the shipped model; give another -o FILE, or --force to overwrite it",
        args.output.display()
    );
    // The dev file is read before training, so that a missing or bad one stops the run before a
    // model is written (it used to train fully, write the model, then fail).
    if let Some(dev) = &args.dev {
        nl_ner_io::gold::read_as_conll(dev)
            .with_context(|| format!("reading {}", dev.display()))?;
    }
    let report = match &args.init {
        Some(init) => continue_from(args, init)?,
        None => {
            let config = TrainConfig {
                train: args.train.clone(),
                output: args.output.clone(),
                c1: args.c1,
                c2: args.c2,
                max_iterations: args.max_iterations,
                lexicon: args.lexicon.clone(),
                verbose: args.verbose,
                ..TrainConfig::default()
            };
            train(&config, &nl_ner_io::gold::read_as_conll)
                .with_context(|| format!("training {}", config.output.display()))?
        }
    };
    message!(
        "{} on {} sentences ({} tokens) in {:.0} s: {} of {} features kept; wrote {} ({:.1} MB)",
        if args.init.is_some() {
            "continued training"
        } else {
            "trained"
        },
        report.sentences,
        report.tokens,
        report.train_seconds,
        report.rows,
        report.attributes,
        args.output.display(),
        report.model_bytes as f64 / 1e6
    );
    if let Some(dev) = &args.dev {
        let scores =
            score_model(dev, &args.output).with_context(|| format!("scoring {}", dev.display()))?;
        message!("scores on {} (as `nl-ner eval`):\n{scores}", dev.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Continues the model `init` (a file, or `built-in`) on the training files.
fn continue_from(args: &TrainArgs, init: &Path) -> anyhow::Result<TrainReport> {
    let prior = if init.as_os_str() == "built-in" {
        CrfTagger::embedded_bytes().to_vec()
    } else {
        nl_ner::files::read_regular_file(init, 1 << 30)
            .with_context(|| format!("reading the model {}", init.display()))?
    };
    let config = ContinueConfig {
        train: args.train.clone(),
        init: init.to_path_buf(),
        output: args.output.clone(),
        epochs: args.epochs,
        prior_weight: args.prior_weight,
        learning_rate: args.learning_rate,
        lexicon: args.lexicon.clone(),
        verbose: args.verbose,
    };
    continue_training(&config, &prior, &nl_ner_io::gold::read_as_conll).with_context(|| {
        format!(
            "continuing {} into {}",
            init.display(),
            args.output.display()
        )
    })
}

/// Scores the model at `model` on `gold` as `nl-ner eval GOLD --model MODEL` does: the whole
/// pipeline with the built-in gazetteers, whose names count as seen.
fn score_model(gold: &Path, model: &Path) -> anyhow::Result<nl_ner::Scores> {
    let tagger = super::load_tagger(Some(model))?;
    let layer = DomainLayer::with_gazetteers::<PathBuf>(&[])?;
    let options = ScoreOptions {
        seen: seen_names(Some(layer.gazetteer()), &[], GoldFormat::Auto)?,
        ..ScoreOptions::default()
    };
    let pipeline = Pipeline::new(tagger, PipelineConfig::default()).with_domain(layer);
    Ok(score_files(&pipeline, &[gold.to_path_buf()], &options)?)
}

/// Whether `path` is the shipped model file of this source tree, or any file with its bytes.
fn holds_shipped_model(path: &Path) -> bool {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/nl-ner-crf.model");
    if let (Ok(a), Ok(b)) = (path.canonicalize(), shipped.canonicalize())
        && a == b
    {
        return true;
    }
    std::fs::metadata(path).is_ok_and(|m| m.len() == CrfTagger::embedded_bytes().len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == CrfTagger::embedded_bytes())
}
