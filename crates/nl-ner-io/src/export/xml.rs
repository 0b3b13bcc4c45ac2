//! Writing XML text and attribute values for the XML exports ([`super::tei`], [`super::folia`]).
//!
//! A character that XML 1.0 cannot hold (a C0 control other than tab, line feed and carriage
//! return, a lone surrogate's place U+FFFE or U+FFFF) is written as U+FFFD: one code point for
//! one, so that code-point offsets still hold. A carriage return is written `&#13;`, which an
//! XML parser keeps, where a literal one would be turned into a line feed.

/// Appends `s` as element content.
pub(crate) fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(allowed(c)),
        }
    }
}

/// Appends `s` as an attribute value between double quotes: white space other than the space
/// is written as a character reference, since a parser would turn it into a space.
pub(crate) fn push_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(allowed(c)),
        }
    }
}

/// `s` as an attribute value (see [`push_attr`]).
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_attr(&mut out, s);
    out
}

/// `c`, or U+FFFD where XML 1.0 cannot hold it.
fn allowed(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
        c => c,
    }
}

/// An `xml:id` (an NCName) made from `id`: letters, digits, `-`, `_` and `.` are kept, `:` becomes
/// `.`, anything else `-`; a name that would not start with a letter or `_` gets `_` in front.
pub(crate) fn ncname(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            ':' => '.',
            _ => '-',
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_offsets() {
        let mut out = String::new();
        push_text(&mut out, "a<b>&c\r\n\u{1}\t\u{ffff}é");
        assert_eq!(out, "a&lt;b&gt;&amp;c&#13;\n\u{fffd}\t\u{fffd}é");
        assert_eq!(attr("\"x\"\n\ty"), "&quot;x&quot;&#10;&#9;y");
        for (id, name) in [
            ("per:ruben-brekelmans", "per.ruben-brekelmans"),
            ("initiative:\"fonds\" <x>", "initiative.-fonds---x-"),
            ("1x", "_1x"),
            ("", "_"),
            ("é", "_-"),
        ] {
            assert_eq!(ncname(id), name);
        }
    }
}
