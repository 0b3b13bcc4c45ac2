//! Words to the encoder's SentencePiece pieces: XLM-R's per-character normaliser, the word
//! marked with the metaspace `▁`, and the unigram model with the vocabulary's own scores: the
//! best-scoring split, as the `tokenizers` crate's `Unigram` finds it (its optimised path,
//! unknown characters fused), with the pieces in one hash map instead of its byte trie, which
//! took 257 MB for XLM-R's 250,002 pieces (the map takes about 15 MB).
//!
//! The pipeline's segmenter has already cut the text into words, so each word is tokenized on
//! its own: XLM-R's pieces never span a space, so this gives the pieces of the whole text.

use std::collections::HashMap;
#[cfg(test)]
use std::path::Path;

use super::e5::E5File;
use crate::error::{Error, Result};

/// The SentencePiece word-start marker.
const METASPACE: char = '\u{2581}';

/// A word longer than this many pieces is read by its first pieces only: its label sits on the
/// first piece, and a window must hold whole words (no such word exists outside binary noise).
pub const MAX_PIECES_PER_WORD: usize = 24;

/// The unknown piece's score below the lowest piece's (SentencePiece's `kUnkPenalty`).
const UNK_PENALTY: f64 = 10.0;

/// Splits words into piece ids for the encoder.
pub struct PieceTokenizer {
    /// Each piece's id and score (for a piece listed twice, its last id, as in `Unigram`).
    ids: HashMap<Box<str>, (u32, f32)>,
    /// Longest piece, in bytes.
    max_len: usize,
    /// Score of an unknown character.
    unk_score: f64,
    normalise: HashMap<char, String>,
    unk: u32,
}

/// The best path's last step into a position of the word: its piece id and where it started.
#[derive(Clone, Copy)]
struct Step {
    id: u32,
    score: f64,
    from: Option<usize>,
}

impl PieceTokenizer {
    /// The tokenizer of an encoder file.
    pub fn new(e5: &E5File) -> Result<Self> {
        if e5.unk as usize >= e5.pieces.len() {
            return Err(Error::Model {
                path: e5.path.clone(),
                reason: "the unknown piece is outside the vocabulary".into(),
            });
        }
        let mut ids = HashMap::with_capacity(e5.pieces.len());
        let mut min_score = f64::INFINITY;
        let mut max_len = 0;
        for (id, (piece, score)) in e5.pieces.iter().enumerate() {
            ids.insert(piece.as_str().into(), (id as u32, *score as f32));
            min_score = min_score.min(*score);
            max_len = max_len.max(piece.len());
        }
        Ok(PieceTokenizer {
            ids,
            max_len,
            unk_score: min_score - UNK_PENALTY,
            normalise: e5.normalise.clone(),
            unk: e5.unk,
        })
    }

    /// The best split of a normalised word into pieces (SentencePiece's Viterbi over the
    /// pieces' scores; a character no piece starts with is unknown, and consecutive unknown
    /// characters are one unknown piece).
    fn split(&self, s: &str, out: &mut Vec<u32>) {
        let size = s.len();
        let none = Step {
            id: 0,
            score: 0.0,
            from: None,
        };
        let mut best = vec![none; size + 1];
        let mut at = 0;
        while at < size {
            let till = best[at].score;
            let char_len = s[at..].chars().next().map_or(1, char::len_utf8);
            let mut single = false;
            for end in at + 1..=(at + self.max_len).min(size) {
                if !s.is_char_boundary(end) {
                    continue;
                }
                let Some(&(id, score)) = self.ids.get(&s[at..end]) else {
                    continue;
                };
                let cand = f64::from(score) + till;
                let t = &mut best[end];
                if t.from.is_none() || cand > t.score {
                    *t = Step {
                        id,
                        score: cand,
                        from: Some(at),
                    };
                }
                single |= end - at == char_len;
            }
            if !single {
                let cand = self.unk_score + till;
                let t = &mut best[at + char_len];
                if t.from.is_none() || cand > t.score {
                    *t = Step {
                        id: self.unk,
                        score: cand,
                        from: Some(at),
                    };
                }
            }
            at += char_len;
        }
        // Back from the end; a run of unknown pieces is fused and looked up as one string.
        let mut rev: Vec<u32> = Vec::new();
        let mut end = size;
        let mut unk_end = None;
        while end > 0 {
            let step = best[end];
            let from = step.from.expect("every character boundary is reached");
            if step.id == self.unk {
                unk_end.get_or_insert(end);
            } else {
                if let Some(e) = unk_end.take() {
                    rev.push(self.fused(&s[end..e]));
                }
                rev.push(step.id);
            }
            end = from;
        }
        if let Some(e) = unk_end {
            rev.push(self.fused(&s[..e]));
        }
        out.extend(rev.into_iter().rev());
    }

    fn fused(&self, s: &str) -> u32 {
        self.ids.get(s).map_or(self.unk, |&(id, _)| id)
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
        self.split(&s, out);
        out.truncate(start + MAX_PIECES_PER_WORD);
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

#[cfg(test)]
mod tests {
    use tokenizers::Model;
    use tokenizers::models::unigram::Unigram;

    use super::*;

    /// The split is the `tokenizers` crate's `Unigram` split, piece for piece, on the words of
    /// the repository's texts and on odd input (unknown characters, alone and in runs).
    #[test]
    fn splits_as_the_unigram_model_does() {
        let path = super::super::default_encoder_path();
        assert!(
            path.is_file(),
            "{} missing: run scripts/transformer/setup.sh",
            path.display()
        );
        let e5 = E5File::read(&path).unwrap();
        let ours = PieceTokenizer::new(&e5).unwrap();
        let theirs = Unigram::from(e5.pieces.clone(), Some(e5.unk as usize), false).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut text = String::new();
        for f in ["data/conll2002-nl/ned.testa", "corpus/gold/letter.jsonl"] {
            text.push_str(&std::fs::read_to_string(root.join(f)).unwrap());
        }
        text.push_str(" \u{1F600}\u{1F600}x a\u{E000}\u{E001}b \u{0378} <unk> ▁▁ \u{200B}");
        let mut words: Vec<&str> = text.split_whitespace().collect();
        words.sort_unstable();
        words.dedup();
        assert!(words.len() > 5_000, "{}", words.len());
        for w in words {
            let mut s = String::from(METASPACE);
            for c in w.chars() {
                match ours.normalise.get(&c) {
                    Some(to) => s.extend(to.chars().map(|c| if c == ' ' { METASPACE } else { c })),
                    None => s.push(c),
                }
            }
            let mut a = Vec::new();
            ours.split(&s, &mut a);
            let b: Vec<u32> = theirs.tokenize(&s).unwrap().iter().map(|t| t.id).collect();
            assert_eq!(a, b, "{w:?}");
        }
    }
}
