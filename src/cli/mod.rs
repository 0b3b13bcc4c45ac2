//! Command-line arguments, one file per subcommand.

mod annotated;
mod entities;
mod eval;
mod export;
mod extract;
#[cfg(feature = "transformer")]
mod finetune;
mod import;
mod models;
mod render;
#[cfg(feature = "serve")]
mod serve;
mod train;
mod train_relations;
mod values;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nl_ner::DomainLayer;
use nl_ner::Tagger;
use nl_ner::relate::{PairClassifier, Relater};
use nl_ner::{Pipeline, PipelineConfig};

/// Named-entity recognition for Dutch government and parliamentary text.
///
/// Exit status: 0 when everything succeeded, 1 when some inputs were skipped (the rest was
/// written), 2 on a usage error or a fatal error (nothing was written).
#[derive(Parser, Debug)]
#[command(name = "nl-ner", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Annotate documents and write one JSON object per document.
    Extract(extract::ExtractArgs),
    /// Score the model against gold annotations (CoNLL IOB or JSONL).
    Eval(eval::EvalArgs),
    /// Train the statistical model from CoNLL and JSONL gold data (reproduces the shipped model).
    Train(train::TrainArgs),
    /// Train the relation classifier (roles, party membership, participation) on relation gold.
    TrainRelations(train_relations::TrainRelationsArgs),
    /// Write an HTML report of extract output: documents with highlighted entities, and an
    /// overview of the corpus.
    Render(render::RenderArgs),
    /// List the entities of an extract output: id, label, mentions, documents, name, aliases.
    Entities(entities::EntitiesArgs),
    /// Convert an extract output to training data (CoNLL, spaCy, doccano, Label Studio) or a
    /// knowledge graph (Neo4j CSV, RDF Turtle).
    Export(export::ExportArgs),
    /// Read annotations corrected in Label Studio, doccano or Prodigy back into gold JSONL (the
    /// format of `corpus/gold/`, which `train` and `eval` read).
    Import(import::ImportArgs),
    /// Fine-tune the transformer (the accurate model) on CoNLL and JSONL gold data.
    #[cfg(feature = "transformer")]
    Finetune(finetune::FinetuneArgs),
    /// Not in this build (needs the `transformer` feature): says how to get it.
    #[cfg(not(feature = "transformer"))]
    #[command(hide = true, disable_help_flag = true)]
    Finetune {
        /// Whatever was given, ignored.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// List the models this build can use, and whether each is installed.
    Models(models::ModelsArgs),
    /// Serve the pipeline over HTTP: a Label Studio ML backend (pre-annotation, submitted
    /// annotations kept for training) and a JSON annotation endpoint (docs/serve.md).
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Train(args) => train::run(&args),
        Command::TrainRelations(args) => train_relations::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Entities(args) => entities::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        #[cfg(feature = "transformer")]
        Command::Finetune(args) => finetune::run(&args),
        #[cfg(not(feature = "transformer"))]
        Command::Finetune { .. } => anyhow::bail!(
            "`finetune` is not in this build: it was built without the `transformer` feature; \
             install libtorch with `. scripts/transformer/setup.sh`, then rebuild with \
             `cargo build --release --features transformer` (README, \"The accurate model\")"
        ),
        Command::Models(args) => models::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
    }
}

/// Options shared by the commands that run the whole pipeline.
#[derive(clap::Args, Debug)]
pub struct DomainArgs {
    /// Extra gazetteer file (`name<TAB>LABEL<TAB>id<TAB>aliases`, as in `models/gazetteers/`);
    /// repeatable. Its entries win over the built-in ones.
    #[arg(long, value_name = "FILE")]
    gazetteer: Vec<PathBuf>,
    /// Model entities only: no patterns, gazetteers or acronyms.
    #[arg(long, conflicts_with = "gazetteer")]
    no_domain: bool,
    /// No relations (roles, party membership, participation): leaves out the relation stage
    /// and the output's `relations` member.
    #[arg(long)]
    pub no_relations: bool,
    /// Another relation classifier (one `nl-ner train-relations` wrote) instead of the shipped
    /// `models/relations/classifier.json`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_relations")]
    pub relation_model: Option<PathBuf>,
}

impl DomainArgs {
    /// The domain layer these options ask for, if any.
    pub fn layer(&self) -> anyhow::Result<Option<DomainLayer>> {
        if self.no_domain {
            return Ok(None);
        }
        self.gazetteer_layer().map(Some)
    }

    /// The built-in and `--gazetteer` lists, whether or not `--no-domain` switches the layer off
    /// (eval counts their names as seen either way).
    pub fn gazetteer_layer(&self) -> anyhow::Result<DomainLayer> {
        Ok(DomainLayer::with_gazetteers(&self.gazetteer)?)
    }

    /// The relation stage these options ask for, if any.
    pub fn relater(&self) -> anyhow::Result<Option<Relater>> {
        if self.no_relations {
            return Ok(None);
        }
        Ok(Some(Relater::with_classifier(self.classifier()?)))
    }

    /// The relation classifier: `--relation-model`, or the shipped one.
    pub fn classifier(&self) -> anyhow::Result<PairClassifier> {
        Ok(match &self.relation_model {
            Some(path) => PairClassifier::load(path)?,
            None => PairClassifier::embedded()?,
        })
    }
}

/// Builds the pipeline: the model, then the domain layer and the relation stage unless switched
/// off.
pub fn build_pipeline(
    tagger: Box<dyn Tagger>,
    domain: &DomainArgs,
    config: PipelineConfig,
) -> anyhow::Result<Pipeline> {
    let mut pipeline = Pipeline::new(tagger, config);
    if let Some(layer) = domain.layer()? {
        pipeline = pipeline.with_domain(layer);
    }
    if let Some(relater) = domain.relater()? {
        pipeline = pipeline.with_relations(relater);
    }
    Ok(pipeline)
}

/// A `--labels` item, in any case (`per` is `PER`).
pub fn parse_label(s: &str) -> Result<nl_ner::Label, nl_ner::UnknownLabel> {
    s.trim()
        .to_uppercase()
        .parse()
        .map_err(|_| nl_ner::UnknownLabel(s.to_string()))
}

/// Standard output as the output, unless it was closed when the run started: writes to it would
/// be lost without an error.
pub fn stdout_output() -> anyhow::Result<nl_ner_io::output::Output> {
    if crate::stdout_closed() {
        anyhow::bail!("standard output is closed; give an output file with -o FILE");
    }
    Ok(nl_ner_io::output::Output::stdout())
}

/// `-o FILE` as a file to write, or `None` for standard output (no `-o`, or `-o -`).
pub fn output_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// The output `-o` names (atomically written), or standard output for none or `-`.
pub fn open_output(output: Option<&Path>) -> anyhow::Result<nl_ner_io::output::Output> {
    match output_file(output) {
        Some(path) => Ok(nl_ner_io::output::Output::create(path)?),
        None => stdout_output(),
    }
}

/// Writes a command's report (a table, JSON) to standard output through the writer `extract`
/// uses, so that a closed stdout or a full device is an error with a message and a broken pipe
/// ends the run quietly, never a panic.
pub fn print_report(text: &str) -> anyhow::Result<()> {
    let mut out = stdout_output()?;
    out.writer()
        .write_all(text.as_bytes())
        .map_err(|source| nl_ner::Error::Output {
            path: "<stdout>".into(),
            source,
        })?;
    out.finish()?;
    Ok(())
}

/// Refuses an output file that is also one of `inputs` (command-line arguments, `-` for stdin).
pub fn check_not_an_input(output: Option<&Path>, inputs: &[String]) -> anyhow::Result<()> {
    if let Some(out) = output_file(output) {
        nl_ner_io::output::check_not_an_input(
            out,
            inputs.iter().filter(|i| *i != "-").map(Path::new),
        )?;
    }
    Ok(())
}

/// The model at `path`, or the shipped one ([`nl_ner::load_tagger`]).
pub fn load_tagger(path: Option<&Path>) -> anyhow::Result<Box<dyn Tagger>> {
    Ok(nl_ner::load_tagger(path)?)
}
