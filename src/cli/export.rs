//! `nl-ner export`: extract output to training data or a knowledge graph.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::values::{ExportFormat as Format, Order};
use anyhow::Context;
use nl_ner::Label;
use nl_ner_io::export::folia::FoliaWriter;
use nl_ner_io::export::graph::Knowledge;
use nl_ner_io::export::tei::TeiWriter;
use nl_ner_io::export::turtle::Base;
use nl_ner_io::export::{self, NAME_LABELS, training::TrainingExport};
use nl_ner_io::output::Output;

/// Arguments of `nl-ner export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    format: Format,
    /// Extract output files (JSONL), or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    /// Output file (written atomically), or for `neo4j` the directory for its CSV files;
    /// standard output when absent or `-` (not for `neo4j`; `docbin`, which is binary, only
    /// into a pipe or a file, never a terminal).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Labels to export, comma-separated, in any case. Default: every label for training data, the name
    /// labels (PER, ORG, LOC, MISC, INITIATIVE) for `neo4j` and `turtle`.
    #[arg(long, value_delimiter = ',', value_name = "LABELS", value_parser = super::parse_label)]
    labels: Option<Vec<Label>>,
    /// Document order of the training-data formats: `input`, or `uncertainty` (the documents whose
    /// least sure entity has the lowest score first, to correct where the model is weakest).
    #[arg(long, value_enum, default_value_t = Order::Input)]
    order: Order,
    /// Base of the IRIs (`turtle`, and the entity links of `tei` and `folia`): an absolute IRI
    /// ending in `/` or `#`.
    #[arg(long, value_name = "IRI", default_value = export::turtle::DEFAULT_BASE,
          value_parser = Base::new)]
    base: Base,
}

/// Writes the export; exit code 1 when some input lines were skipped.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    super::check_not_an_input(args.output.as_deref(), &args.inputs)?;
    let labels = match &args.labels {
        Some(l) => l.clone(),
        None if export::Format::from(args.format).is_graph() => NAME_LABELS.to_vec(),
        None => Label::ALL.to_vec(),
    };
    let skipped = if args.format == Format::Neo4j {
        let dir = super::output_file(args.output.as_deref())
            .context("`--format neo4j` writes a directory of CSV files: give it with -o DIR")?;
        let (graph, skipped) = super::annotated::graph(&args.inputs, &labels)?;
        export::neo4j::write(dir, &graph)?;
        skipped
    } else {
        let to_stdout = super::output_file(args.output.as_deref()).is_none();
        anyhow::ensure!(
            !(to_stdout && args.format == Format::Docbin && std::io::stdout().is_terminal()),
            "`--format docbin` is binary and standard output is a terminal: give -o FILE \
             (e.g. -o train.spacy), or pipe it into another program"
        );
        let mut out = super::open_output(args.output.as_deref())?;
        // Errors say whether reading an input or writing the output failed.
        let skipped = write_file(args, &labels, &mut out)?;
        out.finish()?;
        skipped
    };
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes a one-file format; returns the number of skipped input lines.
fn write_file(args: &ExportArgs, labels: &[Label], out: &mut Output) -> anyhow::Result<usize> {
    let name = out.name();
    let writing = || format!("writing {name}");
    let knowledge = || -> anyhow::Result<Knowledge> {
        let gazetteer = nl_ner::Gazetteer::builtin().context("loading the built-in gazetteers")?;
        Ok(Knowledge::from_gazetteer(&gazetteer))
    };
    if args.format == Format::Turtle {
        let (graph, skipped) = super::annotated::graph(&args.inputs, labels)?;
        export::turtle::write(out.writer(), &graph, &args.base, &knowledge()?)
            .with_context(writing)?;
        return Ok(skipped);
    }
    if args.format == Format::Tei {
        // The writer leaves out the other labels itself: the relations point at entities by
        // their place in the document.
        let mut tei = TeiWriter::new(labels);
        let skipped = super::annotated::for_each_document(&args.inputs, |doc| {
            tei.add(doc);
            Ok(())
        })?;
        tei.finish(out.writer(), &args.base, &knowledge()?)
            .with_context(writing)?;
        return Ok(skipped);
    }
    let mut export = if args.format == Format::Folia {
        let folia = FoliaWriter::new(args.base.clone(), knowledge()?);
        TrainingExport::folia(folia, labels, args.order.into())
    } else {
        TrainingExport::new(args.format.into(), labels, args.order.into())
            .expect("graph formats and TEI are written above")
    };
    let skipped = super::annotated::for_each_document(&args.inputs, |doc| {
        export.add(doc, out.writer()).with_context(writing)
    })?;
    export.finish(out.writer()).with_context(writing)?;
    Ok(skipped)
}
