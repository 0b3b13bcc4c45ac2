//! Reading `nl-ner extract` output for the commands that work on it (`entities`, `export`).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use nl_ner::Gazetteer;
use nl_ner::Label;
use nl_ner::Linker;
use nl_ner::{Document, Error};
use nl_ner_io::annotated::{self, AnnotatedReader};
use nl_ner_io::export::entity_table::{EntityTables, EntityTablesBuilder};

/// Hands every document of `inputs` (extract output files, or `-` for standard input) to `f`,
/// in order. A document written without entity ids is linked here with the built-in gazetteers.
/// A line that is not a document is reported on stderr and skipped; returns how many were.
pub fn for_each_document(
    inputs: &[String],
    mut f: impl FnMut(Document) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut linker: Option<Linker> = None;
    let mut skipped = 0;
    for input in inputs {
        let reader: Box<dyn Iterator<Item = nl_ner::Result<Document>>> = if input == "-" {
            let stdin = std::io::stdin();
            anyhow::ensure!(
                !stdin.is_terminal(),
                "no input: give an extract output file, or pipe one into `-`"
            );
            Box::new(AnnotatedReader::new(stdin, "<stdin>"))
        } else {
            Box::new(annotated::open(Path::new(input)).map_err(reading)?)
        };
        for item in reader {
            match item {
                Ok(mut doc) => {
                    if !doc.is_linked() {
                        if linker.is_none() {
                            linker = Some(Linker::new(
                                &Gazetteer::builtin().context("loading the built-in gazetteers")?,
                            ));
                        }
                        linker.as_ref().expect("set above").link(&mut doc);
                    }
                    f(doc)?;
                }
                Err(e @ Error::BadInput { .. }) => {
                    skipped += 1;
                    message!("nl-ner: skipped {e}");
                }
                Err(e) => return Err(reading(e)),
            }
        }
    }
    Ok(skipped)
}

/// An input that cannot be read, said as such (`reading in.jsonl:3: …`), so that no message of a
/// command that also writes suggests the output failed.
fn reading(e: Error) -> anyhow::Error {
    match e {
        Error::Io { path, source } => {
            anyhow::Error::new(source).context(format!("reading {}", path.display()))
        }
        other => anyhow::Error::from(other).context("reading the input"),
    }
}

/// The graph of `inputs` (entity table, mentions, relations), counting the entities with one of
/// `labels`, and the number of skipped input lines.
pub fn graph(
    inputs: &[String],
    labels: &[Label],
) -> anyhow::Result<(nl_ner_io::export::graph::Graph, usize)> {
    let mut builder = nl_ner_io::export::graph::GraphBuilder::new(labels);
    let skipped = for_each_document(inputs, |doc| {
        builder.add(&doc);
        Ok(())
    })?;
    Ok((builder.finish(), skipped))
}

/// The entity tables of `inputs` counting the entities with one of `labels` (with
/// `relations`, also the wider table relations are read from: [`EntityTablesBuilder`]), in one
/// pass over the input; with the number of skipped input lines.
pub fn entity_tables(
    inputs: &[String],
    labels: &[Label],
    relations: bool,
) -> anyhow::Result<(EntityTables, usize)> {
    let mut builder = EntityTablesBuilder::new(labels, relations);
    let skipped = for_each_document(inputs, |doc| {
        builder.add(&doc);
        Ok(())
    })?;
    Ok((builder.finish(), skipped))
}
