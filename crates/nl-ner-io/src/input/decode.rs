//! Bytes to text: UTF-8 only, BOM dropped, everything else kept exactly (CRLF included), so that
//! offsets refer to the text as written in the output.

/// Why a file's bytes are not a text document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not UTF-8.
    #[error("not valid UTF-8 (invalid byte sequence at byte {0})")]
    InvalidUtf8(usize),
    /// A NUL byte: almost surely a binary file, not text.
    #[error("binary file (NUL byte at byte {0})")]
    Binary(usize),
    /// UTF-16 text (by its byte-order mark, or NUL in every other byte), which is no UTF-8.
    #[error("{0}")]
    Utf16(String),
}

/// Decodes a document's bytes.
pub fn decode_text(mut bytes: Vec<u8>) -> Result<String, DecodeError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Some(at) = memchr_nul(&bytes) {
        let reason = nl_ner::files::nul_reason(&bytes, at);
        return Err(if reason.starts_with("UTF-16") {
            DecodeError::Utf16(reason)
        } else {
            DecodeError::Binary(at)
        });
    }
    String::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8(e.utf8_error().valid_up_to()))
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
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
}
