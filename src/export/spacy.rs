//! spaCy/Prodigy JSONL export: one task per line,
//!
//! ```json
//! {"text":"De NAVO.","meta":{"id":"d1"},
//!  "tokens":[{"text":"De","start":0,"end":2,"id":0,"ws":true},{"text":"NAVO","start":3,"end":7,"id":1,"ws":false},…],
//!  "spans":[{"start":3,"end":7,"label":"ORG","token_start":1,"token_end":1}]}
//! ```
//!
//! as Prodigy's `ner.manual` and spaCy's `prodigy data-to-spacy` read it: offsets are code points
//! into `text`, `token_end` is inclusive, `ws` says whether white space follows the token. Tokens
//! are cut at entity edges, so every span is a run of whole tokens.

use std::io::{self, Write};

use serde::Serialize;

use super::tagged_sentences;
use crate::doc::{Document, Label, Tag};

#[derive(Serialize)]
struct Task<'a> {
    text: &'a str,
    meta: Meta<'a>,
    tokens: Vec<TokenOut<'a>>,
    spans: Vec<SpanOut>,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct SpanOut {
    start: usize,
    end: usize,
    label: Label,
    token_start: usize,
    token_end: usize,
}

/// Writes one document as one line.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    let text = doc.text.as_str();
    let mut tokens = Vec::new();
    let mut spans: Vec<SpanOut> = Vec::new();
    for t in tagged_sentences(doc).into_iter().flatten() {
        let id = tokens.len();
        let ws = text[t.span.byte_end..].starts_with(char::is_whitespace);
        tokens.push(TokenOut { text: t.span.text(text), start: t.span.char_start, end: t.span.char_end, id, ws });
        match t.tag {
            Tag::B(label) => spans.push(SpanOut {
                start: t.span.char_start,
                end: t.span.char_end,
                label,
                token_start: id,
                token_end: id,
            }),
            Tag::I(_) => {
                let s = spans.last_mut().expect("I follows B");
                s.end = t.span.char_end;
                s.token_end = id;
            }
            Tag::O => {}
        }
    }
    let task = Task { text, meta: Meta { id: &doc.id }, tokens, spans };
    serde_json::to_writer(&mut *w, &task).map_err(io::Error::from)?;
    w.write_all(b"\n")
}
