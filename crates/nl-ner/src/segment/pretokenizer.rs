//! The segmenter's word boundaries as a `tokenizers` pre-tokenizer, so a transformer's
//! sub-word tokenizer sees exactly the words the rest of the pipeline sees.

use tokenizers::tokenizer::normalizer::Range;
use tokenizers::{PreTokenizedString, PreTokenizer};

use super::Segmenter;

/// Splits a `PreTokenizedString` into the words of [`Segmenter`], dropping the white space
/// between them. Offsets in the original referential equal the tokens' spans.
///
/// Boundaries are found on the original text, whatever normalizer ran before. Use it as the
/// only pre-tokenizer: after another one, each piece is segmented on its own. A word can hold a
/// thousands-group space (`36 045`); a WordPiece model sees that as one word.
#[derive(Clone, Debug, Default)]
pub struct DutchPreTokenizer {
    segmenter: Segmenter,
}

impl DutchPreTokenizer {
    /// A pre-tokenizer using the Dutch rules of [`Segmenter::new`].
    pub fn new() -> Self {
        DutchPreTokenizer::default()
    }
}

impl PreTokenizer for DutchPreTokenizer {
    fn pre_tokenize(&self, pretokenized: &mut PreTokenizedString) -> tokenizers::Result<()> {
        pretokenized.split(|_, normalized| {
            // Segment the original text, not the normalized one: a lower-casing or
            // accent-stripping normalizer must not move word boundaries (`’s-Gravenhage`
            // needs its capital). `slice` carries each word's normalized form along.
            self.segmenter
                .tokens(normalized.get_original())
                .map(|span| {
                    normalized
                        .slice(Range::Original(span.bytes()))
                        .ok_or_else(|| {
                            format!("token {:?} is not on a character boundary", span.bytes())
                                .into()
                        })
                })
                .collect::<tokenizers::Result<Vec<_>>>()
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tokenizers::{OffsetReferential, OffsetType};

    use super::*;

    /// Byte offsets of the pre-tokenizer's splits.
    fn split_offsets(text: &str) -> Vec<(usize, usize)> {
        let mut pretokenized = PreTokenizedString::from(text);
        DutchPreTokenizer::new()
            .pre_tokenize(&mut pretokenized)
            .unwrap();
        pretokenized
            .get_splits(OffsetReferential::Original, OffsetType::Byte)
            .into_iter()
            .map(|(_, offsets, _)| offsets)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn splits_equal_segmenter_tokens_on_any_text(text in any::<String>()) {
            let want: Vec<(usize, usize)> =
                Segmenter::new().tokens(&text).map(|s| (s.byte_start, s.byte_end)).collect();
            prop_assert_eq!(split_offsets(&text), want);
        }
    }

    #[test]
    fn splits_equal_segmenter_tokens() {
        let text = "De RBZ-Defensie startte op 11 februari jl. met EUR 90 mld. voor Oekraïne.\r\n\
                    ’s-Gravenhage, 3,5% van het BBP (36 045, nr. 267); MQ-9’s.";
        let mut pretokenized = PreTokenizedString::from(text);
        // A lower-casing normalizer, as BERT-style models use, must not change the words.
        pretokenized
            .normalize(|normalized| {
                normalized.lowercase();
                Ok(())
            })
            .unwrap();
        DutchPreTokenizer::new()
            .pre_tokenize(&mut pretokenized)
            .unwrap();
        let segmentation = Segmenter::new().segment(text);
        for offset_type in [OffsetType::Byte, OffsetType::Char] {
            let got: Vec<(usize, usize)> = pretokenized
                .get_splits(OffsetReferential::Original, offset_type)
                .into_iter()
                .map(|(_, offsets, _)| offsets)
                .collect();
            let want: Vec<(usize, usize)> = segmentation
                .tokens
                .iter()
                .map(|t| match offset_type {
                    OffsetType::Char => (t.span.char_start, t.span.char_end),
                    _ => (t.span.byte_start, t.span.byte_end),
                })
                .collect();
            assert_eq!(got, want, "{offset_type:?}");
        }
        let words: Vec<&str> = pretokenized
            .get_splits(OffsetReferential::Original, OffsetType::Byte)
            .into_iter()
            .map(|(word, _, _)| word)
            .collect();
        assert!(words.contains(&"’s-gravenhage"));
        assert!(words.contains(&"jl."));
        assert!(words.contains(&"36 045"));
        assert!(words.contains(&"mq-9"));
    }
}
