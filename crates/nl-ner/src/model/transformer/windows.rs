//! Cutting a sentence longer than the encoder's input into overlapping windows of whole words,
//! so that no word is dropped and each word is tagged where it has context on both sides.

use std::ops::Range;

/// One window of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The words it holds.
    pub words: Range<usize>,
    /// The words whose tags are taken from it (inside `words`); the windows' `tags` cover the
    /// sentence exactly once.
    pub tags: Range<usize>,
}

/// Windows of at most `max` pieces over a sentence whose word `i` starts at piece `first[i]`
/// and which has `n_pieces` pieces. Consecutive windows overlap by about a quarter of `max`
/// pieces; the words of an overlap are split between the two windows at its middle.
pub fn windows(first: &[usize], n_pieces: usize, max: usize) -> Vec<Window> {
    let n = first.len();
    let end_of = |b: usize| if b < n { first[b] } else { n_pieces };
    if n_pieces <= max || n <= 1 {
        return vec![Window {
            words: 0..n,
            tags: 0..n,
        }];
    }
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    loop {
        // The longest run of whole words from `start` that fits (at least one word).
        let mut end = start + 1;
        while end < n && end_of(end + 1) - first[start] <= max {
            end += 1;
        }
        spans.push(start..end);
        if end == n {
            break;
        }
        // The next window starts so that about max / 4 pieces are seen again.
        let mut next = end;
        while next > start + 1 && end_of(end) - first[next - 1] <= max / 4 {
            next -= 1;
        }
        start = next;
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut tag_start = 0;
    for (i, s) in spans.iter().enumerate() {
        let tag_end = match spans.get(i + 1) {
            Some(next) => (next.start + s.end).div_ceil(2).max(tag_start),
            None => n,
        };
        out.push(Window {
            words: s.clone(),
            tags: tag_start..tag_end,
        });
        tag_start = tag_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_short_sentence_is_one_window() {
        assert_eq!(
            windows(&[0, 1, 3], 4, 510),
            vec![Window {
                words: 0..3,
                tags: 0..3
            }]
        );
    }

    #[test]
    fn a_long_sentence_overlaps_and_tags_each_word_once() {
        // 10 words of 3 pieces, windows of 9 pieces.
        let first: Vec<usize> = (0..10).map(|i| i * 3).collect();
        let w = windows(&first, 30, 9);
        assert!(w.len() > 1);
        assert_eq!(w[0].words, 0..3);
        assert_eq!(w.first().unwrap().tags.start, 0);
        assert_eq!(w.last().unwrap().tags.end, 10);
    }

    proptest! {
        #[test]
        fn windows_fit_and_cover(lens in prop::collection::vec(1usize..6, 1..200), max in 6usize..40) {
            let mut first = Vec::new();
            let mut at = 0;
            for l in &lens { first.push(at); at += l; }
            let w = windows(&first, at, max);
            let mut next_tag = 0;
            for win in &w {
                let end = if win.words.end < first.len() { first[win.words.end] } else { at };
                prop_assert!(end - first[win.words.start] <= max || win.words.len() == 1 || at <= max);
                prop_assert_eq!(win.tags.start, next_tag);
                prop_assert!(win.tags.start >= win.words.start && win.tags.end <= win.words.end);
                next_tag = win.tags.end;
            }
            prop_assert_eq!(next_tag, lens.len());
        }
    }
}
