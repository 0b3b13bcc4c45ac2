//! The training-data formats written document by document ([`TrainingExport`]): the part of
//! `nl-ner export` (and of `nl_ner.export` in Python) that does not need the whole corpus first.

use std::io::{self, Write};

use nl_ner::{Document, Label};

use super::docbin::DocBinWriter;
use super::folia::FoliaWriter;
use super::labelstudio::TaskWriter;
use super::{Format, Order, conll, doccano, document_score, spacy};

/// Writes documents in one of the training-data formats ([`Format::is_graph`] is false), with
/// only the entities of some labels, in input or uncertainty order: call [`add`](Self::add) for
/// each document, then [`finish`](Self::finish) with the same writer.
pub struct TrainingExport {
    format: Format,
    labels: Vec<Label>,
    order: Order,
    tasks: TaskWriter,
    docbin: DocBinWriter,
    /// The FoLiA document being assembled ([`folia`](Self::folia) only).
    folia: Option<FoliaWriter>,
    /// With [`Order::Uncertainty`], every document with its score, written at the end.
    kept: Vec<(f32, Document)>,
}

impl TrainingExport {
    /// An export in `format` keeping the entities whose label is in `labels`; `None` for a
    /// graph format, which [`graph`](super::graph) and its writers export, for TEI
    /// ([`tei`](super::tei), which keeps every label for its relations), and for FoLiA, which
    /// needs its writer made with the IRIs' base ([`folia`](Self::folia)).
    pub fn new(format: Format, labels: &[Label], order: Order) -> Option<Self> {
        let per_document = !format.is_graph() && !matches!(format, Format::Tei | Format::Folia);
        per_document.then(|| Self::with(format, labels, order, None))
    }

    /// A FoLiA export through `writer`, with the same label filter and order as [`new`](Self::new).
    pub fn folia(writer: FoliaWriter, labels: &[Label], order: Order) -> Self {
        Self::with(Format::Folia, labels, order, Some(writer))
    }

    fn with(format: Format, labels: &[Label], order: Order, folia: Option<FoliaWriter>) -> Self {
        TrainingExport {
            format,
            labels: labels.to_vec(),
            order,
            tasks: TaskWriter::default(),
            docbin: DocBinWriter::default(),
            folia,
            kept: Vec::new(),
        }
    }

    /// Adds a document: written to `w` at once in input order, kept until the end otherwise
    /// (and always for a DocBin, assembled in memory).
    pub fn add(&mut self, mut doc: Document, w: &mut dyn Write) -> io::Result<()> {
        doc.entities.retain(|e| self.labels.contains(&e.label));
        match self.order {
            Order::Input => self.write(&doc, w),
            Order::Uncertainty => {
                self.kept.push((document_score(&doc), doc));
                Ok(())
            }
        }
    }

    /// Writes the documents kept for the end and closes the format (a Label Studio array, a
    /// DocBin).
    pub fn finish(mut self, w: &mut dyn Write) -> io::Result<()> {
        let mut kept = std::mem::take(&mut self.kept);
        // Stable: ties stay in input order.
        kept.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, doc) in &kept {
            self.write(doc, w)?;
        }
        match self.format {
            Format::Labelstudio => self.tasks.finish(w),
            Format::Docbin => self.docbin.finish(w),
            Format::Folia => match self.folia.take() {
                Some(folia) => folia.finish(w),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn write(&mut self, doc: &Document, w: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Conll => conll::write_document(w, doc),
            Format::Spacy => spacy::write_document(w, doc),
            Format::Doccano => doccano::write_document(w, doc),
            Format::Labelstudio => self.tasks.write_document(w, doc),
            Format::Docbin => {
                self.docbin.add(doc);
                Ok(())
            }
            Format::Folia => {
                if let Some(folia) = self.folia.as_mut() {
                    folia.add(doc);
                }
                Ok(())
            }
            Format::Neo4j | Format::Turtle | Format::Tei => {
                unreachable!("refused by TrainingExport::new")
            }
        }
    }
}
