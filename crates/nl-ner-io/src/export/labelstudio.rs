//! Label Studio export: a JSON array of tasks, one per document, the entities as predictions
//! (pre-annotations) of a `Labels` control named `label` over a `Text` object named `text`:
//!
//! ```json
//! [{"data":{"text":"De NAVO.","doc_id":"d1"},
//!   "predictions":[{"model_version":"nl-ner 0.1.0","score":0.97,
//!     "result":[{"id":"e1","from_name":"label","to_name":"text","type":"labels","score":0.97,
//!                "value":{"start":3,"end":7,"text":"NAVO","labels":["ORG"]}}]}]}]
//! ```
//!
//! The labelling configuration that goes with it is in `docs/exports.md`. Offsets are code
//! points, end exclusive; the prediction's score is the document's
//! [`document_score`](super::document_score) (its least sure entity's), so that Label Studio's
//! "prediction score" column sorts the least sure tasks first. `nl-ner import` reads the
//! annotations of the exported project back ([`crate::import::labelstudio`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::output::jsonl::round4;
use nl_ner::{Document, Label};

#[derive(Serialize)]
struct Task<'a> {
    data: Data<'a>,
    predictions: [Prediction<'a>; 1],
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    doc_id: &'a str,
}

/// The version the exported predictions carry: the program's name and version.
pub const MODEL_VERSION: &str = concat!("nl-ner ", env!("CARGO_PKG_VERSION"));

/// Where a prediction's regions go in a labelling configuration: the `Labels` control
/// (`from_name`) and the `Text` object it labels (`to_name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Controls<'a> {
    /// The `name` of the `Labels` control.
    pub from_name: &'a str,
    /// The `name` of the `Text` object (the control's `toName`).
    pub to_name: &'a str,
}

impl Default for Controls<'_> {
    /// The names of the configuration in `docs/exports.md`: `label` over `text`.
    fn default() -> Self {
        Controls {
            from_name: "label",
            to_name: "text",
        }
    }
}

/// One document's entities as a Label Studio prediction: what a task's `predictions` holds and
/// what an ML backend's `/predict` answers for each task (`nl-ner serve`).
#[derive(Clone, Debug, Serialize)]
pub struct Prediction<'a> {
    /// Which model made it.
    pub model_version: &'a str,
    /// The document's score ([`document_score`](super::document_score)), rounded to 4 decimals.
    pub score: f64,
    /// One region per entity, in text order.
    pub result: Vec<Region<'a>>,
}

/// One entity as a `labels` region of a `Text` object.
#[derive(Clone, Debug, Serialize)]
pub struct Region<'a> {
    /// `e1`, `e2`, ... in text order, counting every entity of the document.
    pub id: String,
    /// The `Labels` control.
    pub from_name: &'a str,
    /// The `Text` object.
    pub to_name: &'a str,
    /// Always `labels`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The entity's score, rounded to 4 decimals.
    pub score: f64,
    /// Offsets, text and label.
    pub value: RegionValue<'a>,
}

/// Where a region is and what it says: code-point offsets, end exclusive.
#[derive(Clone, Debug, Serialize)]
pub struct RegionValue<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text at the offsets.
    pub text: &'a str,
    /// The entity's label.
    pub labels: [Label; 1],
}

/// `doc`'s entities as a prediction for the controls `controls`, made by `model_version`, with
/// the entities whose label `keep` refuses left out (a project whose configuration lacks a
/// label). Region ids count every entity, so a region keeps its id whatever is left out.
pub fn prediction<'a>(
    doc: &'a Document,
    controls: Controls<'a>,
    model_version: &'a str,
    keep: impl Fn(Label) -> bool,
) -> Prediction<'a> {
    let result = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| keep(e.label))
        .map(|(i, e)| Region {
            id: format!("e{}", i + 1),
            from_name: controls.from_name,
            to_name: controls.to_name,
            kind: "labels",
            score: round4(e.score),
            value: RegionValue {
                start: e.span.char_start,
                end: e.span.char_end,
                text: e.span.text(&doc.text),
                labels: [e.label],
            },
        })
        .collect();
    Prediction {
        model_version,
        score: round4(super::document_score(doc)),
        result,
    }
}

/// Writes the tasks of a stream of documents as one JSON array.
#[derive(Debug, Default)]
pub struct TaskWriter {
    written: usize,
}

impl TaskWriter {
    /// Writes one document's task.
    pub fn write_document<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        doc: &Document,
    ) -> io::Result<()> {
        w.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        let task = Task {
            data: Data {
                text: &doc.text,
                doc_id: &doc.id,
            },
            predictions: [prediction(doc, Controls::default(), MODEL_VERSION, |_| {
                true
            })],
        };
        serde_json::to_writer(&mut *w, &task).map_err(io::Error::from)?;
        self.written += 1;
        Ok(())
    }

    /// Closes the array.
    pub fn finish<W: Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}
