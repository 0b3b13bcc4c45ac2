//! Word tokenization: one left-to-right pass over the characters, carrying byte and code-point
//! offsets together.
//!
//! [`Tokens`] yields [`RawToken`]s: the span, what kind of token it is, and what separated it
//! from the previous one (white space, line breaks). The sentence splitter needs the kind and
//! the separation; everything else only needs the span. The token rules are listed in the
//! module documentation of [`crate::segment`].

use super::abbreviations::{AbbreviationKind, Abbreviations};
use super::chars::{
    ZWJ, is_apostrophe, is_extending, is_group_space, is_hyphen, is_regional_indicator,
    is_separator, is_word_char, line_breaks,
};
use crate::doc::Span;

/// What a token is, as far as sentence splitting cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters, or letters mixed with digits; also URLs, e-mail addresses and `’s`.
    Word,
    /// Digits only, with any decimal, thousands or group separators inside (`36 045`, `3,5`).
    Number,
    /// A listed abbreviation or a dotted lower-case sequence, period included.
    Abbreviation(AbbreviationKind),
    /// An upper-case initial or run of initials, period included (`D.`, `J.A.M.`).
    Initial,
    /// A run of `.`, `?`, `!` or `…`.
    Terminal,
    /// `,`, `;` or `:`.
    Pause,
    /// `(`, `[` or `{`.
    Opening,
    /// `)`, `]` or `}`.
    Closing,
    /// Hyphens, dashes, `/`, `&` and `+` between words.
    Joiner,
    /// Any other mark or symbol: quotes, `%`, `€`, emoji.
    Other,
}

/// A token with what the splitter needs to know about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawToken {
    /// Where it lies in the text.
    pub span: Span,
    /// Its kind.
    pub kind: TokenKind,
    /// Line breaks in the white space before it (saturating; 2 or more means a blank line).
    pub newlines_before: u8,
    /// Whether any separator precedes it (true for the first token).
    pub space_before: bool,
}

/// The tokens of a text, in order.
pub(crate) struct Tokens<'t> {
    text: &'t str,
    abbreviations: &'t Abbreviations,
    /// Byte offset of the next character.
    pos: usize,
    /// Code-point offset of the next character.
    chars: usize,
    /// Byte offset of the next `@` at or after the last word start that looked for one (the
    /// text's length if there is none; 0 before the first look), so that words far from any
    /// `@` skip the e-mail check.
    next_at_sign: usize,
}

impl<'t> Tokens<'t> {
    /// Tokens of `text`, using `abbreviations` to decide which periods stay on their word.
    pub(crate) fn new(text: &'t str, abbreviations: &'t Abbreviations) -> Self {
        Tokens {
            text,
            abbreviations,
            pos: 0,
            chars: 0,
            next_at_sign: 0,
        }
    }

    /// The character starting at byte `at`, if any; `at` must be a char boundary or past the end.
    #[inline]
    fn char_at(&self, at: usize) -> Option<char> {
        let b = *self.text.as_bytes().get(at)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.text.get(at..)?.chars().next()
        }
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        self.char_at(self.pos)
    }

    /// The character after the next one.
    #[inline]
    fn peek2(&self) -> Option<char> {
        let c = self.peek()?;
        self.char_at(self.pos + c.len_utf8())
    }

    /// The character after [`Self::peek2`].
    #[inline]
    fn peek3(&self) -> Option<char> {
        let c = self.peek()?;
        let at = self.pos + c.len_utf8();
        let d = self.char_at(at)?;
        self.char_at(at + d.len_utf8())
    }

    #[inline]
    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
        self.chars += 1;
    }

    /// Consumes `n` ASCII bytes.
    #[inline]
    fn bump_ascii(&mut self, n: usize) {
        self.pos += n;
        self.chars += n;
    }

    /// Consumes characters that attach to the previous one: combining marks, and after a zero
    /// width joiner the symbol it joins, so an emoji sequence stays whole.
    #[inline]
    fn extend(&mut self) {
        while let Some(c) = self.peek() {
            if !is_extending(c) {
                return;
            }
            self.bump(c);
            if c == ZWJ {
                match self.peek() {
                    Some(n) if !n.is_ascii() && !is_separator(n) => self.bump(n),
                    _ => {}
                }
            }
        }
    }

    /// Skips separators, counting line breaks; returns (line breaks, whether anything was skipped).
    fn skip_separators(&mut self) -> (u8, bool) {
        let mut newlines = 0u8;
        let mut skipped = false;
        while let Some(c) = self.peek() {
            if !is_separator(c) {
                break;
            }
            skipped = true;
            self.bump(c);
            let n = if c == '\r' {
                // CRLF is one line break; a lone CR (old Mac files) is one too.
                u8::from(self.peek() != Some('\n'))
            } else {
                line_breaks(c)
            };
            newlines = newlines.saturating_add(n);
        }
        (newlines, skipped)
    }

    /// Scans one token starting at the current, non-separator character.
    fn scan(&mut self, c: char) -> TokenKind {
        if is_word_char(c) {
            if c.is_ascii_alphanumeric()
                && self.may_start_address()
                && let Some(kind) = self.scan_url_or_email()
            {
                return kind;
            }
            return self.scan_word(self.pos, false);
        }
        // A left quotation mark is sometimes typed for the apostrophe of `’s-Gravenhage`.
        if (is_apostrophe(c) || c == '‘')
            && let Some(kind) = self.scan_apostrophe_word()
        {
            return kind;
        }
        self.bump(c);
        let kind = match c {
            '.' | '?' | '!' | '…' => {
                while let Some(n @ ('.' | '?' | '!' | '…')) = self.peek() {
                    self.bump(n);
                }
                TokenKind::Terminal
            }
            ',' | ';' | ':' => TokenKind::Pause,
            '(' | '[' | '{' => TokenKind::Opening,
            ')' | ']' | '}' => TokenKind::Closing,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '/' | '&' | '+' => TokenKind::Joiner,
            _ => {
                if is_regional_indicator(c)
                    && let Some(n) = self.peek().filter(|&n| is_regional_indicator(n))
                {
                    self.bump(n);
                }
                TokenKind::Other
            }
        };
        self.extend();
        kind
    }

    /// A token that starts with an apostrophe: `’s-Gravenhage`, `’s`, `’t`, `’n`, `’22`.
    /// Returns `None` when the apostrophe is a quotation mark.
    fn scan_apostrophe_word(&mut self) -> Option<TokenKind> {
        let a = self.peek2()?;
        let b = self.peek3();
        let ends = |x: Option<char>| x.is_none_or(|x| !is_word_char(x) && !is_extending(x));
        if matches!(a, 's' | 'S') && b.is_some_and(is_hyphen) {
            // `’s-Gravenhage`, `'s-Hertogenbosch`: the place name is one token.
            let q = self.peek()?;
            let at = self.pos + q.len_utf8() + 1 + b?.len_utf8();
            if self.char_at(at).is_some_and(char::is_uppercase) {
                let start = self.pos;
                self.bump(q);
                self.bump(a);
                self.bump(b?);
                self.scan_word(start, true);
                return Some(TokenKind::Word);
            }
        }
        if matches!(a, 's' | 'S' | 't' | 'T' | 'n' | 'N') && ends(b) {
            let q = self.peek()?;
            self.bump(q);
            self.bump(a);
            return Some(TokenKind::Word);
        }
        if a.is_ascii_digit() && b.is_some_and(|b| b.is_ascii_digit()) {
            // `’22`: a year with its century left out.
            let q = self.peek()?;
            let at = self.pos + q.len_utf8() + 2;
            if ends(self.char_at(at)) {
                self.bump(q);
                self.bump_ascii(2);
                return Some(TokenKind::Number);
            }
        }
        None
    }

    /// A word or number that began at byte `start`; `after_prefix` when `’s-` was consumed.
    fn scan_word(&mut self, start: usize, after_prefix: bool) -> TokenKind {
        let mut digits_only = !after_prefix;
        // Whether every part so far is a digit group that may precede a group space.
        let mut grouped = !after_prefix;
        let mut runs = 0usize;
        // Whether the token is single letters each followed by a period (`J.A.M` so far).
        let mut dotted = false;
        loop {
            // A run of letters, digits and the marks attached to them.
            let mut run_len = 0usize;
            let mut run_digits = true;
            let mut run_upper = true;
            let mut run_alpha = true;
            let mut last = '\0';
            while let Some(c) = self.peek() {
                if is_word_char(c) {
                    run_len += 1;
                    run_digits &= c.is_ascii_digit();
                    run_upper &= c.is_uppercase();
                    run_alpha &= c.is_alphabetic();
                    last = c;
                    self.bump(c);
                } else if is_extending(c) {
                    self.extend();
                } else {
                    break;
                }
            }
            runs += 1;
            digits_only &= run_digits;
            let first_run = runs == 1;
            let Some(c) = self.peek() else { break };
            let next = self.peek2();
            match c {
                '.' | ',' if last.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) => {
                    // `3,5`, `25,8`, `1.000.000`, `12.30`.
                    grouped = false;
                    self.bump(c);
                }
                '.' => {
                    let Some(n) = next else {
                        return self.end_at_period(start, dotted, digits_only);
                    };
                    let single_letter = run_len == 1 && run_alpha && (first_run || dotted);
                    if single_letter && n.is_alphabetic() && self.peek3() == Some('.') {
                        // `o.a.`, `J.A.M.`, `z.g.a.n.`: keep going, letter by letter.
                        dotted = true;
                        self.bump(c);
                        continue;
                    }
                    if !dotted
                        && run_len > 1
                        && n.is_ascii_lowercase()
                        && self.abbreviation(start).is_none()
                    {
                        // `rijksoverheid.nl`, `rapport.pdf`: a name with a dot in it.
                        digits_only = false;
                        grouped = false;
                        self.bump(c);
                        continue;
                    }
                    return self.end_at_period(start, dotted, digits_only);
                }
                c if is_apostrophe(c) => {
                    let Some(n) = next.filter(|n| n.is_alphabetic()) else {
                        break;
                    };
                    let after = self.peek3();
                    if matches!(n, 's' | 'S')
                        && after.is_none_or(|x| !is_word_char(x) && !is_extending(x))
                    {
                        // `auto's`, `MQ-9’s`: the suffix becomes a token of its own.
                        break;
                    }
                    // `O'Neill`, `zo'n`.
                    digits_only = false;
                    grouped = false;
                    self.bump(c);
                }
                c if is_hyphen(c) => {
                    // `MQ-9`, `F-35`, `COVID-19`: a type code stays one token; any other
                    // hyphen splits so the parts of a compound can be tagged alone (also
                    // `NAVO-2%-norm`, where the number is a percentage).
                    let code = first_run && run_upper && run_alpha && (1..=5).contains(&run_len);
                    if code && !after_prefix && self.code_number_follows() {
                        digits_only = false;
                        grouped = false;
                        self.bump(c);
                    } else {
                        break;
                    }
                }
                '&' | '_' if last != '\0' && next.is_some_and(is_word_char) => {
                    // `R&D`, `snake_case`.
                    digits_only = false;
                    grouped = false;
                    self.bump(c);
                }
                c if is_group_space(c) => {
                    // `36 045`, `21 501`, `1 000 000`: the first group has one to three digits,
                    // every later one exactly three, followed by something that is not a letter.
                    let group_len_ok = if first_run {
                        run_len <= 3
                    } else {
                        run_len == 3
                    };
                    if digits_only && grouped && run_digits && group_len_ok && self.group_follows()
                    {
                        self.bump(c);
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if digits_only {
            TokenKind::Number
        } else {
            TokenKind::Word
        }
    }

    /// Whether the hyphen at the cursor is followed by digits that are not a percentage.
    fn code_number_follows(&self) -> bool {
        let at = self.pos + self.peek().map_or(1, char::len_utf8);
        let rest = self.text.as_bytes().get(at..).unwrap_or_default();
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        n > 0 && !matches!(self.char_at(at + n), Some('%' | '‰'))
    }

    /// Whether the group space at the cursor is followed by exactly three digits.
    fn group_follows(&self) -> bool {
        let Some(space) = self.peek() else {
            return false;
        };
        let at = self.pos + space.len_utf8();
        let bytes = self.text.as_bytes();
        let Some(group) = bytes.get(at..at + 3) else {
            return false;
        };
        group.iter().all(u8::is_ascii_digit)
            && self
                .char_at(at + 3)
                .is_none_or(|c| !is_word_char(c) && !is_extending(c))
    }

    /// The kind of the word from `start` to the cursor plus the period at the cursor, if it is
    /// a listed abbreviation.
    fn abbreviation(&self, start: usize) -> Option<AbbreviationKind> {
        let word = self.text.get(start..self.pos + 1)?;
        self.abbreviations.lookup(word)
    }

    /// The word ends before a period: take the period in if the word is an abbreviation or an
    /// initial, otherwise leave it for the next token.
    fn end_at_period(&mut self, start: usize, dotted: bool, digits_only: bool) -> TokenKind {
        let fallback = if digits_only {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        let listed = self.abbreviation(start);
        let word = &self.text[start..self.pos];
        let mut letters = word.chars().filter(|c| !is_extending(*c));
        let single = match (letters.next(), letters.next()) {
            (Some(c), None) if c.is_alphabetic() => Some(c),
            _ => None,
        };
        let kind = match (listed, single) {
            (Some(kind), _) => TokenKind::Abbreviation(kind),
            (None, Some(c)) if c.is_uppercase() => TokenKind::Initial,
            (None, Some(_)) => TokenKind::Abbreviation(AbbreviationKind::Trailing),
            (None, None) if dotted => {
                if word.chars().all(|c| c == '.' || c.is_uppercase()) {
                    TokenKind::Initial
                } else {
                    TokenKind::Abbreviation(AbbreviationKind::Trailing)
                }
            }
            (None, None) => return fallback,
        };
        self.bump_ascii(1);
        kind
    }

    /// Whether an address may start at the cursor: not right after a character that could
    /// belong to an address already rejected, which keeps `a-a-a-…` linear.
    fn may_start_address(&self) -> bool {
        let before = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.text.as_bytes().get(i));
        !before.is_some_and(|b| b"._%+-".contains(b))
    }

    /// A URL (`https://…`, `www.…`) or e-mail address starting at the cursor, as one token.
    fn scan_url_or_email(&mut self) -> Option<TokenKind> {
        let rest = &self.text.as_bytes()[self.pos..];
        let starts = |prefix: &[u8]| {
            rest.len() > prefix.len() && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        if starts(b"https://") || starts(b"http://") || starts(b"www.") {
            return Some(self.scan_url());
        }
        if self.next_at_sign < self.pos {
            let found = rest.iter().position(|&b| b == b'@');
            self.next_at_sign = found.map_or(self.text.len(), |i| self.pos + i);
        }
        // A local part is at most 64 bytes long.
        if self.next_at_sign - self.pos > 64 {
            return None;
        }
        let local = rest
            .iter()
            .take_while(|&&b| {
                matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'%' | b'+' | b'-')
            })
            .count();
        if rest.get(local) != Some(&b'@') {
            return None;
        }
        let domain = &rest[local + 1..];
        let mut len = domain
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            .count();
        while len > 0 && matches!(domain[len - 1], b'.' | b'-') {
            len -= 1;
        }
        let domain = &domain[..len];
        let tld = domain.rsplit(|&b| b == b'.').next().unwrap_or_default();
        let valid = domain.first().is_some_and(u8::is_ascii_alphanumeric)
            && domain.contains(&b'.')
            && tld.len() >= 2
            && tld.iter().all(u8::is_ascii_alphabetic);
        if !valid {
            return None;
        }
        self.bump_ascii(local + 1 + len);
        Some(TokenKind::Word)
    }

    /// Consumes a URL up to the next separator, leaving off trailing punctuation and a closing
    /// bracket that was not opened inside it.
    fn scan_url(&mut self) -> TokenKind {
        let start = self.pos;
        // (byte end, char end) after each character, so trailing marks can be given back.
        let mut end = (self.pos, self.chars);
        let mut depth = 0i32;
        let mut pos = self.pos;
        let mut chars = self.chars;
        while let Some(c) = self.char_at(pos) {
            if is_separator(c) || matches!(c, '<' | '>' | '"' | '“' | '”') {
                break;
            }
            pos += c.len_utf8();
            chars += 1;
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => {}
            }
            let trailing = matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '»')
                || (matches!(c, ')' | ']') && depth < 0);
            if !trailing {
                end = (pos, chars);
            }
            if depth < 0 {
                break;
            }
        }
        debug_assert!(end.0 > start);
        self.pos = end.0;
        self.chars = end.1;
        TokenKind::Word
    }
}

impl Iterator for Tokens<'_> {
    type Item = RawToken;

    fn next(&mut self) -> Option<RawToken> {
        let first = self.pos == 0;
        let (newlines_before, skipped) = self.skip_separators();
        let c = self.peek()?;
        let (byte_start, char_start) = (self.pos, self.chars);
        let kind = self.scan(c);
        debug_assert!(self.pos > byte_start);
        Some(RawToken {
            span: Span {
                byte_start,
                byte_end: self.pos,
                char_start,
                char_end: self.chars,
            },
            kind,
            newlines_before,
            space_before: skipped || first,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        let abbreviations = Abbreviations::default();
        Tokens::new(text, &abbreviations)
            .map(|t| (&text[t.span.bytes()], t.kind))
            .collect()
    }

    #[test]
    fn kinds_tell_periods_apart() {
        use AbbreviationKind::*;
        use TokenKind::*;
        assert_eq!(
            kinds("J.A.M. de Vries o.a. 12 jl. Zaken. x. C.S. a.b."),
            vec![
                ("J.A.M.", Initial),
                ("de", Word),
                ("Vries", Word),
                ("o.a.", Abbreviation(Leading)),
                ("12", Number),
                ("jl.", Abbreviation(Trailing)),
                ("Zaken", Word),
                (".", Terminal),
                ("x.", Abbreviation(Trailing)),
                ("C.S.", Abbreviation(Trailing)),
                ("a.b.", Abbreviation(Trailing)),
            ]
        );
    }

    #[test]
    fn separators_are_counted() {
        let abbreviations = Abbreviations::default();
        let text = "a\r\nb \r\n \r\nc\rd\u{2029}e";
        let gaps: Vec<u8> = Tokens::new(text, &abbreviations)
            .map(|t| t.newlines_before)
            .collect();
        assert_eq!(gaps, vec![0, 1, 2, 1, 2]);
    }
}
