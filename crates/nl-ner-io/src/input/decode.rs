//! Bytes to text: UTF-8 by default (BOM dropped), or the encoding `--encoding` names, with
//! everything else kept exactly (CRLF included), so that offsets refer to the decoded text as
//! written in the output.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// Why a file's bytes are not a text document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not UTF-8.
    #[error(
        "not valid UTF-8 (invalid byte sequence at byte {0}); if it is Latin-1 or Windows-1252 \
         text, give --encoding windows-1252 (or --encoding auto to guess the encoding)"
    )]
    InvalidUtf8(usize),
    /// The bytes are not in the encoding that was asked for.
    #[error("not valid {0} (a byte sequence {0} does not define)")]
    Invalid(&'static str),
    /// A NUL byte: almost surely a binary file, not text.
    #[error("binary file (NUL byte at byte {0})")]
    Binary(usize),
    /// UTF-16 text (by its byte-order mark, or NUL in every other byte), which is no UTF-8.
    #[error("{0}")]
    Utf16(String),
}

/// The character encoding of text input (`--encoding`): a plain-text file, or each line of a
/// JSONL file. Offsets index the decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark; other bytes are an error that suggests
    /// `--encoding`.
    #[default]
    Utf8,
    /// An encoding by its WHATWG label (`latin1`, `windows-1252`, `iso-8859-15`, `utf-16le`
    /// ...). As in browsers, `latin1` and `iso-8859-1` are Windows-1252, which agrees with them on
    /// every printable character.
    Named(&'static Encoding),
    /// UTF-8 where the bytes are UTF-8, else the legacy encoding `chardetng` guesses, per
    /// document (per line of JSONL).
    Auto,
}

impl std::str::FromStr for TextEncoding {
    type Err = String;

    /// `utf-8`, `auto`, or any WHATWG encoding label, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let label = s.trim();
        if label.eq_ignore_ascii_case("auto") {
            return Ok(TextEncoding::Auto);
        }
        match Encoding::for_label(label.as_bytes()) {
            Some(e) if e == encoding_rs::UTF_8 => Ok(TextEncoding::Utf8),
            Some(e) => Ok(TextEncoding::Named(e)),
            None => Err(format!(
                "unknown encoding {s:?}: give utf-8, windows-1252 (also for latin1), \
                 iso-8859-15, utf-16le, auto or another WHATWG encoding label"
            )),
        }
    }
}

impl TextEncoding {
    /// Whether a line break is the byte `\n`, so that JSONL can be cut into lines before it is
    /// decoded (false for UTF-16).
    pub fn is_ascii_compatible(self) -> bool {
        match self {
            TextEncoding::Named(e) => e.is_ascii_compatible(),
            TextEncoding::Utf8 | TextEncoding::Auto => true,
        }
    }

    /// Decodes `bytes` (a whole document, or one JSONL line) to text.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Result<Cow<'a, str>, DecodeError> {
        let bytes = nl_ner::files::strip_bom(bytes);
        let encoding = match self {
            TextEncoding::Named(e) => e,
            TextEncoding::Utf8 | TextEncoding::Auto => {
                check_nul(bytes)?;
                match std::str::from_utf8(bytes) {
                    Ok(s) => return Ok(Cow::Borrowed(s)),
                    Err(e) if self == TextEncoding::Utf8 => {
                        return Err(DecodeError::InvalidUtf8(e.valid_up_to()));
                    }
                    Err(_) => guess(bytes),
                }
            }
        };
        if encoding.is_ascii_compatible() {
            check_nul(bytes)?;
        }
        // A UTF-16 byte-order mark says which of the two it is, whatever was named.
        let (encoding, bytes) = match Encoding::for_bom(bytes) {
            Some((bom, len)) if bom != encoding_rs::UTF_8 => (bom, &bytes[len..]),
            _ => (encoding, bytes),
        };
        encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(DecodeError::Invalid(encoding.name()))
    }
}

/// The legacy encoding of `bytes`, which are not UTF-8, as `chardetng` guesses it (a Dutch
/// archive's text is almost always Windows-1252).
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(Some(b"nl"), false)
}

fn check_nul(bytes: &[u8]) -> Result<(), DecodeError> {
    match bytes.iter().position(|&b| b == 0) {
        None => Ok(()),
        Some(at) => {
            let reason = nl_ner::files::nul_reason(bytes, at);
            Err(if reason.starts_with("UTF-16") {
                DecodeError::Utf16(reason)
            } else {
                DecodeError::Binary(at)
            })
        }
    }
}

/// Decodes a document's bytes as UTF-8.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, DecodeError> {
    decode_text_as(bytes, TextEncoding::Utf8)
}

/// Decodes a document's bytes in `encoding`, without a copy when they are UTF-8.
pub fn decode_text_as(mut bytes: Vec<u8>, encoding: TextEncoding) -> Result<String, DecodeError> {
    if let Cow::Owned(text) = encoding.decode(&bytes)? {
        return Ok(text);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Ok(String::from_utf8(bytes).expect("checked by decode"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_bom_keeps_crlf() {
        assert_eq!(
            decode_text(b"\xEF\xBB\xBFa\r\nb".to_vec()).unwrap(),
            "a\r\nb"
        );
    }

    #[test]
    fn rejects_invalid_utf8_and_binary() {
        assert_eq!(
            decode_text(b"ab\xffc".to_vec()),
            Err(DecodeError::InvalidUtf8(2))
        );
        assert!(
            DecodeError::InvalidUtf8(2)
                .to_string()
                .contains("--encoding windows-1252")
        );
        assert_eq!(decode_text(b"ab\0c".to_vec()), Err(DecodeError::Binary(2)));
        let utf16: Vec<u8> = "\u{feff}De NAVO"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(
            matches!(decode_text(utf16), Err(DecodeError::Utf16(r)) if r.contains("byte-order mark"))
        );
        assert_eq!(decode_text(Vec::new()).unwrap(), "");
    }

    #[test]
    fn decodes_named_and_guessed_encodings() {
        let latin1 = b"Caf\xe9 in Li\xe8ge, \x80 5".to_vec();
        let want = "Café in Liège, € 5";
        let named: TextEncoding = "latin1".parse().unwrap();
        assert_eq!(decode_text_as(latin1.clone(), named).unwrap(), want);
        assert_eq!(
            decode_text_as(latin1.clone(), TextEncoding::Auto).unwrap(),
            want
        );
        // UTF-8 stays UTF-8 under `auto`, and `utf8` is the default.
        assert_eq!(
            decode_text_as(want.as_bytes().to_vec(), TextEncoding::Auto).unwrap(),
            want
        );
        assert_eq!("UTF8".parse::<TextEncoding>(), Ok(TextEncoding::Utf8));
        let utf16: Vec<u8> = "\u{feff}De NAVO"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let named: TextEncoding = "utf-16le".parse().unwrap();
        assert!(!named.is_ascii_compatible());
        assert_eq!(decode_text_as(utf16, named).unwrap(), "De NAVO");
        assert!("klingon".parse::<TextEncoding>().is_err());
        assert_eq!(
            decode_text_as(b"a\0b".to_vec(), "windows-1252".parse().unwrap()),
            Err(DecodeError::Binary(1))
        );
    }
}
