//! Words to the encoder's SentencePiece pieces: XLM-R's per-character normaliser, the word
//! marked with the metaspace `▁`, and the unigram model of the `tokenizers` crate with the
//! vocabulary's own scores.
//!
//! The pipeline's segmenter has already cut the text into words, so each word is tokenized on
//! its own: XLM-R's pieces never span a space, so this gives the pieces of the whole text.

use tokenizers::Model;
use tokenizers::models::unigram::Unigram;

use super::e5::E5File;
use crate::error::{Error, Result};

/// The SentencePiece word-start marker.
const METASPACE: char = '\u{2581}';

/// A word longer than this many pieces is read by its first pieces only: its label sits on the
/// first piece, and a window must hold whole words (no such word exists outside binary noise).
pub const MAX_PIECES_PER_WORD: usize = 24;

/// Splits words into piece ids for the encoder.
pub struct PieceTokenizer {
    unigram: Unigram,
    normalise: std::collections::HashMap<char, String>,
    unk: u32,
}

impl PieceTokenizer {
    /// The tokenizer of an encoder file.
    pub fn new(e5: &E5File) -> Result<Self> {
        let unigram =
            Unigram::from(e5.pieces.clone(), Some(e5.unk as usize), false).map_err(|e| {
                Error::ModelFormat {
                    path: e5.path.clone(),
                    what: "vocabulary rejected by the unigram model".into(),
                    source: e,
                }
            })?;
        Ok(PieceTokenizer {
            unigram,
            normalise: e5.normalise.clone(),
            unk: e5.unk,
        })
    }

    /// Appends the piece ids of one word to `out`; always at least one.
    pub fn word(&self, word: &str, out: &mut Vec<u32>) {
        let mut s = String::with_capacity(word.len() + 3);
        s.push(METASPACE);
        for c in word.chars() {
            match self.normalise.get(&c) {
                Some(to) => s.extend(to.chars().map(|c| if c == ' ' { METASPACE } else { c })),
                None if c.is_whitespace() => s.push(METASPACE),
                None => s.push(c),
            }
        }
        let start = out.len();
        if let Ok(tokens) = self.unigram.tokenize(&s) {
            out.extend(tokens.iter().map(|t| t.id).take(MAX_PIECES_PER_WORD));
        }
        if out.len() == start {
            out.push(self.unk);
        }
    }

    /// The pieces of a text cut at spaces (for the unit test against the package's own encoder).
    #[cfg(test)]
    pub fn text(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for w in text.split_whitespace() {
            self.word(w, &mut out);
        }
        out
    }
}
