//! doccano JSONL export (sequence labelling): one document per line,
//! `{"text":"De NAVO.","label":[[3,7,"ORG"]],"id":"d1","meta":{"doc_id":"d1","score":0.97,"scores":[0.97]}}`,
//! offsets in code points, end exclusive; doccano keeps the other fields as metadata. `meta`
//! holds the document id again (doccano replaces `id` by its own on export), the document's
//! [`document_score`](super::document_score) and each entity's score, in `label` order.

use std::io::{self, Write};

use serde::Serialize;

use crate::output::jsonl::round4;
use nl_ner::{Document, Label};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(usize, usize, Label)>,
    id: &'a str,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct Meta<'a> {
    doc_id: &'a str,
    score: f64,
    scores: Vec<f64>,
}

/// Writes one document as one line.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    let label = doc
        .entities
        .iter()
        .map(|e| (e.span.char_start, e.span.char_end, e.label))
        .collect();
    let meta = Meta {
        doc_id: &doc.id,
        score: round4(super::document_score(doc)),
        scores: doc.entities.iter().map(|e| round4(e.score)).collect(),
    };
    serde_json::to_writer(
        &mut *w,
        &Line {
            text: &doc.text,
            label,
            id: &doc.id,
            meta,
        },
    )
    .map_err(io::Error::from)?;
    w.write_all(b"\n")
}
