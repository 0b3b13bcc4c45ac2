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

#[derive(Serialize)]
struct Prediction<'a> {
    model_version: &'static str,
    score: f64,
    result: Vec<Region<'a>>,
}

#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    score: f64,
    value: Value<'a>,
}

#[derive(Serialize)]
struct Value<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [Label; 1],
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
        let result: Vec<Region> = doc
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| Region {
                id: format!("e{}", i + 1),
                from_name: "label",
                to_name: "text",
                kind: "labels",
                score: round4(e.score),
                value: Value {
                    start: e.span.char_start,
                    end: e.span.char_end,
                    text: e.span.text(&doc.text),
                    labels: [e.label],
                },
            })
            .collect();
        let score = round4(super::document_score(doc));
        let task = Task {
            data: Data {
                text: &doc.text,
                doc_id: &doc.id,
            },
            predictions: [Prediction {
                model_version: concat!("nl-ner ", env!("CARGO_PKG_VERSION")),
                score,
                result,
            }],
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
