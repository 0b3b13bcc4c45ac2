//! Character classes the tokenizer and the sentence splitter agree on.
//!
//! The standard library has no Unicode general categories, so the few classes that matter here
//! (marks that extend the previous character, invisible format characters) are written out as
//! code-point ranges. ASCII is tested first everywhere: it is most of the text.

/// Zero width joiner: glues emoji sequences (and some scripts) into one visible character.
pub(crate) const ZWJ: char = '\u{200D}';

/// Characters that separate tokens and never belong to one.
///
/// Besides Unicode white space this takes control characters (a stray `\0` or form feed must
/// not become a token) and invisible format characters that carry no text: zero width space,
/// word joiner, byte order mark and the bidirectional marks and embeddings.
#[inline]
pub(crate) fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return c <= ' ' || c == '\u{7F}';
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
        )
}

/// How many line breaks a separator counts for; `\r` is handled by the caller (CRLF is one).
#[inline]
pub(crate) fn line_breaks(c: char) -> u8 {
    match c {
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => 1,
        // A paragraph separator is a blank line on its own.
        '\u{2029}' => 2,
        _ => 0,
    }
}

/// Characters that attach to the character before them and so never start or split a token:
/// combining marks (decomposed `ğ` in `Gündoğan`), joiners, soft hyphen, variation selectors
/// and emoji skin-tone modifiers.
#[inline]
pub(crate) fn is_extending(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 {
        return u == 0xAD;
    }
    matches!(
        u,
        0x0300..=0x036F
            | 0x0483..=0x0489
            | 0x0591..=0x05BD
            | 0x0610..=0x061A
            | 0x064B..=0x065F
            | 0x0E31..=0x0E3A
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x200C..=0x200D
            | 0x20D0..=0x20FF
            | 0x302A..=0x302F
            | 0x3099..=0x309A
            | 0xFE00..=0xFE0F
            | 0xFE20..=0xFE2F
            | 0x1F3FB..=0x1F3FF
            | 0xE0020..=0xE007F
            | 0xE0100..=0xE01EF
    )
}

/// Letters and digits of any script: what words are made of.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Apostrophes as used in Dutch (`auto's`, `’s-Gravenhage`); U+02BC is a letter-apostrophe
/// that some converters produce.
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Hyphens that join compound parts (`NAVO-top`, `artillerie‑munitie` with U+2011).
#[inline]
pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Spaces that may separate thousands groups in a number (`36 045`, `21 501`): space,
/// no-break space, figure space, thin space and narrow no-break space. Never a line break.
#[inline]
pub(crate) fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}')
}

/// Regional indicator letters: two of them make one flag.
#[inline]
pub(crate) fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// Marks that open a quotation or a parenthesis, and so may begin a sentence.
#[inline]
pub(crate) fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '„' | '‘' | '«' | '‹' | '(' | '[' | '{' | '\'' | '’'
    )
}

/// List bullets: a line that starts with one is a new item.
#[inline]
pub(crate) fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '◦' | '▪' | '▫' | '●' | '○' | '■' | '□' | '‣' | '⁃' | '∙' | '·' | '*'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_separate() {
        for c in [
            '\t', '\r', '\n', '\u{A0}', '\u{202F}', '\u{2009}', '\u{200B}', '\u{FEFF}', '\0',
        ] {
            assert!(is_separator(c), "{c:?}");
        }
        for c in ['a', '-', '.', '\u{AD}', '\u{200D}', '\u{0306}'] {
            assert!(!is_separator(c), "{c:?}");
        }
    }

    #[test]
    fn combining_marks_extend() {
        assert!(is_extending('\u{0306}'));
        assert!(is_extending('\u{FE0F}'));
        assert!(is_extending(ZWJ));
        assert!(!is_extending('a'));
        assert!(!is_extending('ş'));
    }
}
