//! doccano JSONL export (sequence labelling): one document per line,
//! `{"text":"De NAVO.","label":[[3,7,"ORG"]],"id":"d1"}`, offsets in code points, end exclusive;
//! doccano keeps the other fields (`id`) as metadata.

use std::io::{self, Write};

use serde::Serialize;

use crate::doc::{Document, Label};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(usize, usize, Label)>,
    id: &'a str,
}

/// Writes one document as one line.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    let label = doc.entities.iter().map(|e| (e.span.char_start, e.span.char_end, e.label)).collect();
    serde_json::to_writer(&mut *w, &Line { text: &doc.text, label, id: &doc.id }).map_err(io::Error::from)?;
    w.write_all(b"\n")
}
