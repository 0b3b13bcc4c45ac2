//! Dutch sentence splitting and word tokenization with exact offsets.
//!
//! [`Segmenter::segment`] makes one pass over the characters of a text and returns its tokens
//! and sentences. Every [`Span`] carries byte offsets (to slice the text) and code-point
//! offsets (for the output), both counted while scanning. The same word boundaries are
//! available to a `tokenizers` pipeline as [`DutchPreTokenizer`].
//!
//! # Tokens
//!
//! - Tokens are separated by white space of any kind (tabs, U+00A0, U+202F, U+2009, line and
//!   paragraph separators), control characters and invisible format characters (U+200B zero
//!   width space, U+FEFF, bidirectional marks). None of these is ever part of a token, so a
//!   `\r` of CRLF text never is either. Combining marks, joiners, variation selectors and the
//!   soft hyphen stay with the character before them; emoji ZWJ sequences and flags stay whole.
//! - Punctuation is split off words: `(RBZ)` → `(` `RBZ` `)`, `Defensie,` → `Defensie` `,`,
//!   `[footnoteRef:1]` → `[` `footnoteRef` `:` `1` `]`. A run of `.`, `?`, `!`, `…` is one token
//!   (`...`, `?!`); every other mark is a token of its own.
//! - Hyphens (`-`, U+2010, and the non-breaking U+2011) split compounds so that names inside
//!   them can be tagged alone: `NAVO-top` → `NAVO` `-` `top`, `Yeşilgöz-Zegerius` → `Yeşilgöz`
//!   `-` `Zegerius`, `kst-29984-1082` → `kst` `-` `29984` `-` `1082` (the REF pattern works on
//!   the text, not the tokens). The exception is a type code of one to five capitals joined to
//!   a digit: `MQ-9`, `F-35`, `COVID-19` stay one token (then `COVID-19` `-` `pandemie`), but
//!   not before a percentage (`NAVO-2%-norm` → `NAVO` `-` `2` `%` `-` `norm`).
//! - Dashes, slashes and ranges split: `2022–2023` → `2022` `–` `2023`, `en/of` → `en` `/` `of`.
//! - Numbers: `3,5`, `25,8`, `1.000.000` and `12.30` are one token (a `.` or `,` between
//!   digits); so are numbers in thousands groups separated by a space, no-break space, thin
//!   space or narrow no-break space: `36 045`, `1 000 000`, the `21 501` of `21 501-28`. A group
//!   joins only if the first group has one to three digits, each later one exactly three, and
//!   no letter follows (so `2025 100` and `3 100e` stay apart). `3,5%` → `3,5` `%`.
//! - Apostrophes: `’s-Gravenhage` and `'s-Hertogenbosch` are one token; `’s`, `’t`, `’n` before
//!   a space are one token (`’s avonds`); `’22` is one token. The plural or genitive `’s` is
//!   split from its word, so the word itself can be tagged: `MQ-9’s` → `MQ-9` `’s`, `auto's`
//!   → `auto` `'s`, `Nederland’s` → `Nederland` `’s`. An apostrophe between letters otherwise
//!   stays (`O'Neill`, `zo'n`); anywhere else it is a quotation mark. A `‘` typed for the
//!   apostrophe of `‘s-Gravenhage` or `‘s avonds` is taken as one.
//! - A period stays on its word for listed abbreviations (`abbreviations`: `jl.`, `mld.`,
//!   `nr.`, `dhr.`, `bijv.` …), for dotted single letters (`o.a.`, `t.a.v.`, `J.A.M.`,
//!   `z.g.a.n.`, also unlisted ones) and for single letters (`D.` of `D. Yeşilgöz-Zegerius`).
//!   Otherwise it is a token of its own (`Zaken` `.`).
//! - URLs (`https://…`, `www.…`) and e-mail addresses are one token, trailing punctuation
//!   left off; so are dotted names without a space after the dot (`rijksoverheid.nl`). `R&D`
//!   and `snake_case` are one token.
//!
//! # Sentences
//!
//! Sentences cover every token exactly once, in order; a sentence's span runs from its first
//! token's start to its last token's end. Empty or blank text has no tokens and no sentences.
//!
//! - A blank line (two or more line breaks with only white space between) always ends a
//!   sentence.
//! - `.`, `?`, `!`, `…` end a sentence when the next token, after white space, starts with a
//!   capital, a digit, an opening quote or bracket, or an apostrophe word (`’s-Gravenhage`).
//!   Marks glued to the terminal stay in its sentence: `gedaan.)`, `2027.[footnoteRef:1]`.
//!   A `1.` or `12.` that starts a sentence is an enumerator, not a sentence.
//! - Initials and leading abbreviations (titles, `nr.`, `art.`, `bijv.`, `o.a.`, `d.d.`) never
//!   end a sentence except before a blank line: `dhr. Jansen`, `Nr. 299`, `J.A.M. de Vries`.
//! - Trailing abbreviations (`jl.`, `mld.`, `mln.`, `enz.`, `etc.`, `e.a.`, `c.s.`, months)
//!   end a sentence when a title-case word follows on the same line (`12 februari jl. Tevens`),
//!   when a new line starts like a sentence (`… LID OMTZIGT C.S.\nVoorgesteld`), or at the end
//!   of the text; not before lower case, capitals-only words or numbers (`EUR 90 mld. aan`,
//!   `3 mld. EUR`, `1 jan. 2024`).
//! - A single line break is hard wrapping (PDF text is wrapped at 60–80 characters), so
//!   `… de leden\nVan der Graaf` stays one sentence, unless one of these holds:
//!   - the line ends a sentence (`.`, `?`, `!`, `…`, also before a lower-case line);
//!   - the line ends in `,`, `;` or `:` (the clauses of a motion, `De Kamer,`);
//!   - the line ends in a trailing abbreviation and the next starts like a sentence;
//!   - the next line starts with a bullet (`•`, `▪`, …);
//!   - the line is short (under [`SHORT_LINE_CHARS`] characters: a heading, a signature, a
//!     line such as `21 501-28\tDefensieraad`), the next line starts like a sentence, no
//!     bracket is open, the line does not end in a word that needs more (`van`, `de`, `der`,
//!     `en`, `het` …, so `Van der\nPlas` stays together), and it is not a lower-case word
//!     before a line that starts with a surname particle (`met de leden\nVan der Graaf`;
//!     `Van`, `Den`, `Ter`, `Ten`, but not `De`, which starts too many sentences).
//!
//!   A signatory list (`Omtzigt\nDassen\nVan der Lee`) thus comes out one name per sentence.
//!   A line ending in a leading abbreviation, an initial, a hyphen or an open bracket goes on.
//! - As a consequence each clause of a motion (`overwegende dat …;`) is a sentence of its own.

mod abbreviations;
mod chars;
#[cfg(feature = "tokenizers")]
mod pretokenizer;
mod sentences;
mod tokenize;

#[cfg(feature = "tokenizers")]
pub use pretokenizer::DutchPreTokenizer;
pub use sentences::SHORT_LINE_CHARS;

use abbreviations::Abbreviations;
use sentences::SentenceSplitter;
use tokenize::Tokens;

use crate::doc::{Sentence, Span, Token};

/// Splits Dutch text into sentences and tokens.
#[derive(Clone, Debug, Default)]
pub struct Segmenter {
    abbreviations: Abbreviations,
}

/// The tokens and sentences of one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order; together they cover every token exactly once.
    pub sentences: Vec<Sentence>,
}

impl Segmenter {
    /// A segmenter with the Dutch abbreviation list.
    pub fn new() -> Self {
        Segmenter::default()
    }

    /// Tokens in text order and sentences covering every token exactly once, in order.
    pub fn segment(&self, text: &str) -> Segmentation {
        // About one token per six bytes of Dutch prose; avoids most regrowth.
        let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
        let mut sentences = Vec::new();
        let mut splitter = SentenceSplitter::new(text);
        for (index, raw) in Tokens::new(text, &self.abbreviations).enumerate() {
            splitter.push(index, &raw, &mut sentences);
            tokens.push(Token { span: raw.span });
        }
        splitter.finish(tokens.len(), &mut sentences);
        Segmentation { tokens, sentences }
    }

    /// The token spans of `text`, without sentence splitting.
    pub fn tokens<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Span> + 't {
        Tokens::new(text, &self.abbreviations).map(|raw| raw.span)
    }
}

#[cfg(test)]
mod tests;
