//! spaCy/Prodigy JSONL export: one task per line,
//!
//! ```json
//! {"text":"De NAVO.\n","meta":{"id":"d1","score":0.97},
//!  "tokens":[{"text":"De","start":0,"end":2,"id":0,"ws":true},{"text":"NAVO","start":3,"end":7,"id":1,"ws":false},
//!            {"text":".","start":7,"end":8,"id":2,"ws":false},{"text":"\n","start":8,"end":9,"id":3,"ws":false}],
//!  "spans":[{"start":3,"end":7,"label":"ORG","token_start":1,"token_end":1,"score":0.97}]}
//! ```
//!
//! as Prodigy's `ner.manual` and spaCy's `Doc(vocab, words, spaces)` read it: offsets are code
//! points into `text`, `token_end` is inclusive, `ws` says whether one space follows the token.
//! The tokens rebuild the text exactly (`"".join(t["text"] + " " * t["ws"])`): white space other
//! than one space after a token (a newline, a tab, a second space, white space at the start) is a
//! token of its own with `ws` false, as spaCy's tokenizer makes them. Tokens are cut at entity
//! edges, so every span is a run of whole tokens. `meta.score` is the document's
//! [`document_score`](super::document_score()); each span has its entity's score.

use std::io::{self, Write};

use serde::Serialize;

use super::{document_score, tagged_sentences};
use crate::output::jsonl::round4;
use nl_ner::{Document, Label, Span, Tag};

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
    score: f64,
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
    score: f64,
}

/// A token of a spaCy `Doc`: its place in the text, whether one space follows it, its IOB2 tag
/// (`O` for white-space tokens outside entities) and whether it starts a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocToken {
    /// Where it lies in the text.
    pub span: Span,
    /// Whether one space follows it (spaCy's `whitespace_`).
    pub ws: bool,
    /// Its tag.
    pub tag: Tag,
    /// Whether a sentence starts here.
    pub sent_start: bool,
}

/// The document as spaCy tokens: the export's tokens (see [`tagged_sentences`]) and the white
/// space between them, so that the tokens and their `ws` flags rebuild the text exactly.
pub fn doc_tokens(doc: &Document) -> Vec<DocToken> {
    let text = doc.text.as_str();
    let mut out: Vec<DocToken> = Vec::new();
    // The white space from `from` (byte, code point) to `to`: one space after the token before it
    // becomes its `ws`; the rest is one white-space token.
    // A white-space token inside an entity (`Mr.\nJansen`) continues it.
    let gap = |out: &mut Vec<DocToken>, from: (usize, usize), to: usize, inside: Tag| {
        let (mut b, mut c) = from;
        if b == to {
            return;
        }
        if let Some(last) = out.last_mut()
            && text[b..].starts_with(' ')
        {
            last.ws = true;
            (b, c) = (b + 1, c + 1);
        }
        if b < to {
            let span = Span {
                byte_start: b,
                byte_end: to,
                char_start: c,
                char_end: c + text[b..to].chars().count(),
            };
            out.push(DocToken {
                span,
                ws: false,
                tag: inside,
                sent_start: false,
            });
        }
    };
    let mut at = (0, 0);
    for sentence in tagged_sentences(doc) {
        for (i, t) in sentence.iter().enumerate() {
            let inside = match t.tag {
                Tag::I(l) => Tag::I(l),
                _ => Tag::O,
            };
            gap(&mut out, at, t.span.byte_start, inside);
            out.push(DocToken {
                span: t.span,
                ws: false,
                tag: t.tag,
                sent_start: i == 0,
            });
            at = (t.span.byte_end, t.span.char_end);
        }
    }
    gap(&mut out, at, text.len(), Tag::O);
    out
}

/// Writes one document as one line.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    let text = doc.text.as_str();
    let mut tokens = Vec::new();
    let mut spans: Vec<SpanOut> = Vec::new();
    let mut entity = 0;
    for t in doc_tokens(doc) {
        let id = tokens.len();
        tokens.push(TokenOut {
            text: t.span.text(text),
            start: t.span.char_start,
            end: t.span.char_end,
            id,
            ws: t.ws,
        });
        match t.tag {
            Tag::B(label) => {
                while doc.entities[entity].span.byte_end <= t.span.byte_start {
                    entity += 1;
                }
                spans.push(SpanOut {
                    start: t.span.char_start,
                    end: t.span.char_end,
                    label,
                    token_start: id,
                    token_end: id,
                    score: round4(doc.entities[entity].score),
                });
            }
            Tag::I(_) => {
                let s = spans.last_mut().expect("I follows B");
                s.end = t.span.char_end;
                s.token_end = id;
            }
            Tag::O => {}
        }
    }
    let meta = Meta {
        id: &doc.id,
        score: round4(document_score(doc)),
    };
    let task = Task {
        text,
        meta,
        tokens,
        spans,
    };
    serde_json::to_writer(&mut *w, &task).map_err(io::Error::from)?;
    w.write_all(b"\n")
}
