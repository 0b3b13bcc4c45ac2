//! `nl-ner export`: extract output to training data or a knowledge graph.

use std::path::PathBuf;
use std::process::ExitCode;

use super::values::{ExportFormat as Format, Order};
use anyhow::Context;
use nl_ner::Document;
use nl_ner::Label;
use nl_ner_io::export::folia::FoliaWriter;
use nl_ner_io::export::graph::Knowledge;
use nl_ner_io::export::tei::TeiWriter;
use nl_ner_io::export::turtle::Base;
use nl_ner_io::export::{self, NAME_LABELS, docbin::DocBinWriter, labelstudio::TaskWriter};
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
    /// standard output when absent (not for `neo4j`).
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
        let dir = args
            .output
            .as_ref()
            .context("`--format neo4j` writes a directory of CSV files: give it with -o DIR")?;
        let (graph, skipped) = super::annotated::graph(&args.inputs, &labels)?;
        export::neo4j::write(dir, &graph)?;
        skipped
    } else {
        let mut out = match &args.output {
            Some(path) => Output::create(path)?,
            None => super::stdout_output()?,
        };
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
    let mut tasks = TaskWriter::default();
    let mut docbin = DocBinWriter::default();
    let mut folia = match args.format {
        Format::Folia => Some(FoliaWriter::new(args.base.clone(), knowledge()?)),
        _ => None,
    };
    let mut write = |doc: &Document, w: &mut dyn std::io::Write| -> std::io::Result<()> {
        match args.format {
            Format::Conll => export::conll::write_document(w, doc),
            Format::Spacy => export::spacy::write_document(w, doc),
            Format::Doccano => export::doccano::write_document(w, doc),
            Format::Labelstudio => tasks.write_document(w, doc),
            Format::Docbin => {
                docbin.add(doc);
                Ok(())
            }
            Format::Folia => {
                folia.as_mut().expect("made for folia").add(doc);
                Ok(())
            }
            Format::Neo4j | Format::Turtle | Format::Tei => {
                unreachable!("written from the whole input above")
            }
        }
    };
    // Uncertainty order needs every document's score first: the documents are kept until the end.
    let mut kept: Vec<(f32, Document)> = Vec::new();
    let skipped = super::annotated::for_each_document(&args.inputs, |mut doc| {
        keep_labels(&mut doc, labels);
        match args.order {
            Order::Input => write(&doc, out.writer()).with_context(writing)?,
            Order::Uncertainty => kept.push((export::document_score(&doc), doc)),
        }
        Ok(())
    })?;
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, doc) in &kept {
        write(doc, out.writer()).with_context(writing)?;
    }
    match args.format {
        Format::Labelstudio => tasks.finish(out.writer()).with_context(writing)?,
        Format::Docbin => docbin.finish(out.writer()).with_context(writing)?,
        Format::Folia => {
            let folia = folia.take().expect("made for folia");
            folia.finish(out.writer()).with_context(writing)?
        }
        _ => {}
    }
    Ok(skipped)
}

/// Drops the entities whose label is not asked for (with their ids).
fn keep_labels(doc: &mut Document, labels: &[Label]) {
    doc.entities.retain(|e| labels.contains(&e.label));
}
