//! A read-only view of a segmented document for the domain rules: token texts, the white space
//! between tokens, sentence ranges, and spans built from whole tokens (so byte and char offsets
//! always come from the segmenter and stay exact).

use std::ops::Range;

pub(crate) use super::vocab::{is_function_word, with_lower};

/// A named rule's matcher: the last token of the span it finds starting at a token.
pub(crate) type Finder<'a> = dyn Fn(usize) -> Option<usize> + 'a;

use crate::doc::{Document, Sentence, Span, Token};
use crate::segment::Segmenter;

/// Tokens, sentences and text of one document, with helpers the rules share.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// For each token, the token range of its sentence.
    sent: Vec<Range<usize>>,
}

impl<'a> Ctx<'a> {
    /// A view of `text` segmented into `tokens` and `sentences`. Sentences that do not cover
    /// the tokens (or none at all) make the whole document one sentence.
    pub fn new(text: &'a str, tokens: &'a [Token], sentences: &[Sentence]) -> Self {
        let n = tokens.len();
        let mut sent = vec![0..n; n];
        for s in sentences {
            if s.tokens.start <= s.tokens.end && s.tokens.end <= n {
                for slot in &mut sent[s.tokens.clone()] {
                    *slot = s.tokens.clone();
                }
            }
        }
        Ctx { text, tokens, sent }
    }

    /// A view of a document (its tokens must be valid, see [`tokens_valid`]).
    pub fn of(doc: &'a Document) -> Self {
        Ctx::new(&doc.text, &doc.tokens, &doc.sentences)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// [`Ctx::scan`] over named rules tried in order at each token: the first that matches gives
    /// the span and the rule's name (registered in [`super::rules`]).
    pub fn scan_rules(
        &self,
        rules: &[(&'static str, &Finder)],
    ) -> Vec<(usize, usize, &'static str)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.len() {
            match rules
                .iter()
                .find_map(|(name, find)| Some((find(i)?, *name)))
            {
                Some((last, name)) => {
                    out.push((i, last, name));
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The matches of `rule` from left to right, none overlapping: where `rule(i)` gives
    /// `Some(last)`, tokens `i..=last` are one match `(i, last)` and the scan goes on after
    /// `last`; where it gives `None`, at the next token.
    pub fn scan(&self, mut rule: impl FnMut(usize) -> Option<usize>) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.len() {
            match rule(i) {
                Some(last) => {
                    out.push((i, last));
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The text of token `i`, or `""` past the end.
    pub fn t(&self, i: usize) -> &'a str {
        match self.tokens.get(i) {
            Some(tok) => &self.text[tok.span.bytes()],
            None => "",
        }
    }

    /// The span from the start of token `first` to the end of token `last` (inclusive).
    pub fn span(&self, first: usize, last: usize) -> Span {
        let a = self.tokens[first].span;
        let b = self.tokens[last].span;
        Span {
            byte_start: a.byte_start,
            byte_end: b.byte_end,
            char_start: a.char_start,
            char_end: b.char_end,
        }
    }

    /// Whether tokens `i` and `i + 1` touch (no white space between them).
    pub fn glued(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => a.span.byte_end == b.span.byte_start,
            _ => false,
        }
    }

    /// The text between tokens `i` and `i + 1` (white space), or `""`.
    pub fn gap_after(&self, i: usize) -> &'a str {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => &self.text[a.span.byte_end..b.span.byte_start],
            _ => "",
        }
    }

    /// Whether the white space between tokens `i` and `i + 1` separates two cells of a table:
    /// a tab, or a run of two spaces within a line (columns laid out with spaces, as in
    /// `Doorlopend Toezicht  Klantbelang centraal`). No name crosses such a gap.
    pub fn cell_break_after(&self, i: usize) -> bool {
        let gap = self.gap_after(i);
        gap.contains('\t') || (gap.contains("  ") && !gap.contains(['\n', '\r']))
    }

    /// Whether the text may hold a cell break at all (a tab or two spaces): the rules that cut
    /// at cell breaks return at once on text without.
    pub fn has_cells(&self) -> bool {
        self.text.contains('\t') || self.text.contains("  ")
    }

    /// Whether the white space between tokens `i` and `i + 1` holds a line break.
    pub fn line_break_after(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => {
                self.text[a.span.byte_end..b.span.byte_start].contains(['\n', '\r'])
            }
            _ => false,
        }
    }

    /// The last token of the line token `i` is on.
    pub fn line_last(&self, i: usize) -> usize {
        let mut end = i;
        while end + 1 < self.len() && !self.line_break_after(end) {
            end += 1;
        }
        end
    }

    /// Whether token `i` ends its paragraph: the text's last token, or one before a blank line.
    pub fn ends_paragraph(&self, i: usize) -> bool {
        i + 1 == self.len() || self.blank_line_after(i)
    }

    /// Whether the white space after token `i` holds a blank line (a paragraph break, which
    /// no name crosses).
    pub fn blank_line_after(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => {
                self.text[a.span.byte_end..b.span.byte_start]
                    .matches('\n')
                    .count()
                    >= 2
            }
            _ => false,
        }
    }

    /// The tokens that open a paragraph: the first token, and each token after a blank line
    /// (as [`Ctx::blank_line_after`] says), in order. Most gaps between tokens are one space or
    /// none, so only the longer ones are read.
    pub fn paragraph_starts(&self) -> Vec<usize> {
        let bytes = self.text.as_bytes();
        let mut starts: Vec<usize> = Vec::new();
        if !self.tokens.is_empty() {
            starts.push(0);
        }
        for (i, pair) in self.tokens.windows(2).enumerate() {
            let (a, b) = (pair[0].span.byte_end, pair[1].span.byte_start);
            if b >= a + 2 && bytes[a..b].iter().filter(|&&c| c == b'\n').count() >= 2 {
                starts.push(i + 1);
            }
        }
        starts
    }

    /// Where a list of names that ends just before token `i` starts (`Onderwijs, Cultuur en` before
    /// `Wetenschap`): the list is capitalised words, commas and `en`, read leftwards for at most
    /// ten tokens. Gives `k` such that token `k - 1` is the first token left of the list, or
    /// `None` when the list reaches the start of the text or goes on for ten tokens.
    pub fn name_list_start(&self, i: usize) -> Option<usize> {
        let mut k = i;
        for _ in 0..10 {
            if k == 0 {
                return None;
            }
            let p = self.t(k - 1);
            if !(p == "," || p == "en" || is_cap(p)) {
                return Some(k);
            }
            k -= 1;
        }
        None
    }

    /// The token range of the sentence holding token `i`.
    pub fn sentence(&self, i: usize) -> Range<usize> {
        self.sent.get(i).cloned().unwrap_or(0..0)
    }

    /// Whether the tokens from `i` on spell `words`, with white space between words `k` and
    /// `k + 1` exactly where `spaced[k]` is true (any white space, line breaks included). With
    /// `upper`, the tokens must be the capitals-only form of the words (headers in capitals).
    /// Returns the index of the last token matched.
    pub fn match_words<S: AsRef<str>>(
        &self,
        i: usize,
        words: &[S],
        spaced: &[bool],
        upper: bool,
    ) -> Option<usize> {
        if words.is_empty() || i + words.len() > self.len() {
            return None;
        }
        for (k, w) in words.iter().enumerate() {
            let tok = self.t(i + k);
            let ok = if upper {
                (is_all_caps(tok) || !tok.chars().any(char::is_alphabetic))
                    && tok == w.as_ref().to_uppercase()
            } else {
                tok == w.as_ref()
            };
            if !ok {
                return None;
            }
            if k + 1 < words.len() {
                let spaced_here = spaced.get(k).copied().unwrap_or(true);
                if spaced_here == self.glued(i + k) || (spaced_here && self.blank_line_after(i + k))
                {
                    return None;
                }
            }
        }
        Some(i + words.len() - 1)
    }
}

/// Runs `f` on a view of `doc`: its own tokens when it has some and they are valid for its text
/// ([`tokens_valid`]), otherwise a fresh segmentation of the text by `segmenter` (a new one if
/// `None`, made only when needed). Every entry point that may be handed a document from
/// outside the pipeline goes through here.
pub(crate) fn with_ctx<R>(
    doc: &Document,
    segmenter: Option<&Segmenter>,
    f: impl FnOnce(&Ctx) -> R,
) -> R {
    if !doc.tokens.is_empty() && tokens_valid(&doc.text, &doc.tokens) {
        f(&Ctx::of(doc))
    } else {
        let seg = match segmenter {
            Some(s) => s.segment(&doc.text),
            None => Segmenter::new().segment(&doc.text),
        };
        f(&Ctx::new(&doc.text, &seg.tokens, &seg.sentences))
    }
}

/// Whether the tokens are usable: in order, not empty, inside the text, on character
/// boundaries, with code-point offsets that agree with the byte offsets (checked exactly, in
/// one pass over the text).
pub(crate) fn tokens_valid(text: &str, tokens: &[Token]) -> bool {
    let mut prev_end = 0;
    let mut chars = 0;
    for t in tokens {
        let s = t.span;
        if s.byte_start < prev_end
            || s.byte_end <= s.byte_start
            || s.byte_end > text.len()
            || !text.is_char_boundary(s.byte_start)
            || !text.is_char_boundary(s.byte_end)
        {
            return false;
        }
        chars += text[prev_end..s.byte_start].chars().count();
        if s.char_start != chars {
            return false;
        }
        chars += text[s.bytes()].chars().count();
        if s.char_end != chars {
            return false;
        }
        prev_end = s.byte_end;
    }
    true
}

/// Whether `w` starts with an upper-case letter.
pub(crate) fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `w` starts with a lower-case letter.
pub(crate) fn is_lower_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
}

/// Whether `w` has letters and all of them are capitals (`NAVO`, `D66`, `EU`).
pub(crate) fn is_all_caps(w: &str) -> bool {
    let mut letters = 0;
    for c in w.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters > 0
}

/// Whether `w` is made of letters and digits only (a word, not punctuation).
pub(crate) fn is_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(char::is_alphanumeric)
}

/// Whether `w` is a number as the segmenter writes it: digits, with `.` or `,` between digits
/// and thousands groups separated by (no-break, thin) spaces: `3,5`, `1.000`, `36 045`.
pub(crate) fn is_number(w: &str) -> bool {
    let mut chars = w.chars().peekable();
    if !chars.peek().is_some_and(char::is_ascii_digit) {
        return false;
    }
    let mut last_digit = false;
    for c in chars {
        if c.is_ascii_digit() {
            last_digit = true;
        } else if matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}') && last_digit {
            last_digit = false;
        } else {
            return false;
        }
    }
    last_digit
}

/// A year as these texts write one: four digits, 1900 to 2099.
pub(crate) fn year(w: &str) -> Option<u32> {
    (w.len() == 4)
        .then(|| digits_value(w))
        .flatten()
        .filter(|y| (1900..=2099).contains(y))
}

/// The value of a token of ASCII digits only (at most 9 of them).
pub(crate) fn digits_value(w: &str) -> Option<u32> {
    if w.is_empty() || w.len() > 9 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}

/// The digits of `w` with any thousands-group spaces removed, if `w` is only digits and such
/// spaces (`36 045` → `36045`).
pub(crate) fn grouped_digits(w: &str) -> Option<String> {
    let mut out = String::new();
    for c in w.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}') {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_starts_are_the_tokens_after_a_blank_line() {
        for text in [
            "Kop\n\nEerste zin. Nog een.\nZelfde alinea.\n\n\nTweede alinea",
            "\n\n  Begint met wit\n \t\nna een regel met spaties\r\n\r\nWindows-regels\n\n",
            "Eén alinea zonder lege regel\nmaar met twee regels",
            "",
            "\n\n\n",
        ] {
            let seg = Segmenter::new().segment(text);
            let ctx = Ctx::new(text, &seg.tokens, &seg.sentences);
            let per_token: Vec<usize> = (0..ctx.len())
                .filter(|&i| i == 0 || ctx.blank_line_after(i - 1))
                .collect();
            assert_eq!(ctx.paragraph_starts(), per_token, "{text:?}");
        }
    }
}
