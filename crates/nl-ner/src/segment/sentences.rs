//! Sentence boundaries, decided token by token as the tokenizer produces them.
//!
//! The rules are listed in the module documentation of [`crate::segment`]. The splitter looks at
//! what the previous tokens were (its [`State`]), how the next token is separated from them (same
//! line, one line break, a blank line) and how the next token begins; at line breaks also at
//! how long the line was and which word ended it.

use super::chars::{is_bullet, is_opening_mark};
use super::tokenize::{RawToken, TokenKind};
use crate::doc::{Sentence, Span};
use crate::segment::abbreviations::AbbreviationKind;

/// Lines shorter than this (in characters, from the first token to the last) are headings,
/// list lines or signatures when the next line starts with a capital. Hard-wrapped lines of
/// PDF text are 60 to 80 characters; the addressee line of a letter, `Aan de Voorzitter van de
/// Tweede Kamer der Staten-Generaal`, is 57.
pub const SHORT_LINE_CHARS: usize = 58;

/// Words that cannot end a heading or a name, so a line ending in one goes on in the next line
/// (`… van de leden Van der\nPlas`, `Vaststelling van de begrotingsstaten van het\nMinisterie`).
/// Compared ignoring ASCII case.
#[rustfmt::skip]
const CONTINUING_WORDS: &[&str] = &[
    "aan", "als", "bij", "dan", "dat", "de", "den", "der", "des", "deze", "die", "dit", "door",
    "een", "en", "het", "hun", "in", "inzake", "met", "na", "naar", "namens", "noch", "of", "om",
    "omtrent", "onder", "op", "over", "per", "sinds", "te", "ten", "ter", "tegen", "tot", "tussen",
    "uit", "van", "vanuit", "via", "volgens", "voor", "waaronder", "zonder", "zoals",
];

/// Capitalised surname particles that rarely start a sentence.
const NAME_PARTICLES: &[&str] = &["Van", "Den", "Der", "Ter", "Ten", "Vander"];

/// What the tokens so far say about a boundary before the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Inside a sentence, after a word, number or closing mark.
    Open,
    /// After `.`, `?`, `!` or `…` (and marks attached to it without a space): a boundary if the
    /// next token starts like a sentence.
    Ended,
    /// After an abbreviation that can close a phrase (`jl.`, `mld.`).
    MaybeEnded,
    /// After an initial, a leading abbreviation (`dhr.`, `nr.`) or an enumerator (`1.`).
    Held,
    /// After `,`, `;` or `:`: a boundary only at a line break.
    Paused,
    /// After a hyphen, dash, slash or opening bracket: the text goes on.
    Joined,
}

/// Builds sentences from tokens pushed in order.
pub(crate) struct SentenceSplitter<'t> {
    text: &'t str,
    state: State,
    /// Index and span of the open sentence's first token.
    first: usize,
    first_span: Span,
    /// The previous token.
    prev: Option<RawToken>,
    /// Code-point offset where the current line's first token starts.
    line_start: usize,
    /// Brackets opened and not closed in the open sentence.
    depth: u32,
}

impl<'t> SentenceSplitter<'t> {
    /// A splitter for the tokens of `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        SentenceSplitter {
            text,
            state: State::Open,
            first: 0,
            first_span: Span::default(),
            prev: None,
            line_start: 0,
            depth: 0,
        }
    }

    /// Takes token `index` (pushed in order from 0), closing the open sentence before it if it
    /// starts a new one.
    pub(crate) fn push(&mut self, index: usize, token: &RawToken, sentences: &mut Vec<Sentence>) {
        match self.prev {
            None => self.first_span = token.span,
            Some(prev) => {
                if self.breaks_before(&prev, token) {
                    sentences.push(self.sentence(index, &prev));
                    self.first = index;
                    self.first_span = token.span;
                    self.depth = 0;
                    self.state = State::Open;
                }
            }
        }
        if token.newlines_before > 0 || self.prev.is_none() {
            self.line_start = token.span.char_start;
        }
        self.state = self.next_state(index, token);
        self.prev = Some(*token);
    }

    /// Closes the last sentence, if any tokens were pushed; `count` is the number of tokens.
    pub(crate) fn finish(self, count: usize, sentences: &mut Vec<Sentence>) {
        if let Some(prev) = self.prev {
            sentences.push(self.sentence(count, &prev));
        }
    }

    fn sentence(&self, end: usize, last: &RawToken) -> Sentence {
        Sentence {
            span: self.first_span.cover(&last.span),
            tokens: self.first..end,
        }
    }

    fn token_text(&self, token: &RawToken) -> &'t str {
        &self.text[token.span.bytes()]
    }

    /// Whether a sentence ends between `prev` and `next`.
    fn breaks_before(&self, prev: &RawToken, next: &RawToken) -> bool {
        if next.newlines_before >= 2 {
            return true;
        }
        let next_text = self.token_text(next);
        if next.newlines_before == 1 {
            return match self.state {
                // A line that ends a sentence, even when the next one starts in lower case.
                State::Ended => true,
                State::MaybeEnded => starts_like_sentence(next_text),
                State::Held | State::Joined => false,
                // A list line (`overwegende dat …;`, `De Kamer,`).
                State::Paused => true,
                State::Open => {
                    next_text.starts_with(is_bullet)
                        || (self.depth == 0
                            && starts_like_sentence(next_text)
                            && prev.span.char_end - self.line_start < SHORT_LINE_CHARS
                            && !is_continuing_word(self.token_text(prev))
                            && !wraps_name(self.token_text(prev), next_text))
                }
            };
        }
        if !next.space_before {
            return false;
        }
        match self.state {
            State::Ended => starts_like_sentence(next_text),
            // Same line: only a word in title case ends it, not `EUR` or a number (`jl. De`
            // but `mld. aan`, `jan. 2024`).
            State::MaybeEnded => is_title_case(next_text),
            _ => false,
        }
    }

    /// The state after `token`, which is token `index`.
    fn next_state(&mut self, index: usize, token: &RawToken) -> State {
        if !token.space_before && self.state == State::Ended {
            // `.)`, `.”`, `.[1]`: marks glued to the end of a sentence stay in it.
            return State::Ended;
        }
        if !token.space_before
            && self.state == State::MaybeEnded
            && matches!(token.kind, TokenKind::Closing | TokenKind::Other)
        {
            return State::MaybeEnded;
        }
        // An enumerator (`1.`, `a.`) at the start of a sentence opens it rather than ending it.
        let enumerator = index == self.first + 1
            && self
                .prev
                .is_some_and(|p| p.kind == TokenKind::Number && p.span.len_bytes() <= 3);
        match token.kind {
            TokenKind::Terminal if enumerator && self.token_text(token) == "." => State::Held,
            TokenKind::Terminal => State::Ended,
            TokenKind::Abbreviation(AbbreviationKind::Leading) | TokenKind::Initial => State::Held,
            TokenKind::Abbreviation(AbbreviationKind::Trailing) => {
                if index == self.first && token.span.char_end - token.span.char_start == 2 {
                    State::Held
                } else {
                    State::MaybeEnded
                }
            }
            TokenKind::Pause => State::Paused,
            TokenKind::Opening => {
                self.depth = self.depth.saturating_add(1);
                State::Joined
            }
            TokenKind::Closing => {
                self.depth = self.depth.saturating_sub(1);
                State::Open
            }
            TokenKind::Joiner => State::Joined,
            TokenKind::Word | TokenKind::Number | TokenKind::Other => State::Open,
        }
    }
}

/// Starts with a capital, a digit, an opening quote or bracket, or an apostrophe word
/// (`’s-Gravenhage`, `’t`).
fn starts_like_sentence(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || is_opening_mark(c))
}

/// A capital followed by a lower-case letter: `De`, `Tevens`, not `EUR` or `NAVO-top`.
fn is_title_case(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
}

/// A lower-case word, then a line starting with a surname particle: a name in running text
/// (`met de leden\nVan der Graaf`). A signature line ends in a capital (`Omtzigt\nVan der Lee`),
/// and `De` is left out because so many sentences start with it.
fn wraps_name(prev: &str, next: &str) -> bool {
    prev.starts_with(char::is_lowercase) && NAME_PARTICLES.contains(&next)
}

fn is_continuing_word(word: &str) -> bool {
    word.len() <= 9
        && CONTINUING_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(word))
}
