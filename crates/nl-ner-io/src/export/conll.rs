//! CoNLL IOB2 export: one `WORD TAG` line per token, a blank line after each sentence, and a
//! `-DOCSTART- -X- O O` line before each document, as [`nl_ner::conll`] reads it (so `nl-ner eval` and
//! `nl-ner train` take it).

use std::io::{self, Write};

use super::tagged_sentences;
use nl_ner::Document;
use nl_ner::conll::{ConllDoc, ConllSentence};

/// The document as CoNLL sentences (tokens cut at entity edges; see [`tagged_sentences`]).
pub fn to_conll(doc: &Document) -> ConllDoc {
    let sentences = tagged_sentences(doc)
        .into_iter()
        .map(|s| ConllSentence {
            words: s
                .iter()
                .map(|t| t.span.text(&doc.text).to_string())
                .collect(),
            tags: s.iter().map(|t| t.tag).collect(),
        })
        .collect();
    ConllDoc { sentences }
}

/// Writes one document.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    nl_ner::conll::write(w, &[to_conll(doc)], true)
}
