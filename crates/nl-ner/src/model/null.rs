//! A tagger that finds nothing: every word is `O`.
//!
//! It is the floor of the pipeline's cost. With it (and no domain layer) `nl-ner extract` still
//! reads, segments and writes every document exactly as it does with a real model, so the time
//! it takes is what no model can go below (`docs/performance.md`, `nl-ner extract --no-model`).

use crate::doc::Words;
use crate::doc::{Label, Tag};
use crate::error::Result;
use crate::model::{Tagger, TokenTag};

/// Tags every word `O` with score 1.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullTagger;

impl Tagger for NullTagger {
    fn name(&self) -> &str {
        "none"
    }

    fn labels(&self) -> &[Label] {
        &[]
    }

    fn tag(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
        Ok(vec![
            TokenTag {
                tag: Tag::O,
                score: 1.0
            };
            doc.words.len()
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_every_word_o() {
        let words = Words {
            words: vec!["Den", "Haag", ".", "Ja"],
            sentences: vec![0..3, 3..4],
        };
        let tags = NullTagger.tag(&words).unwrap();
        assert_eq!(tags.len(), 4);
        assert!(tags.iter().all(|t| t.tag == Tag::O));
    }
}
