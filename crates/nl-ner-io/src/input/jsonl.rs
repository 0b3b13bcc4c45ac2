//! One JSONL input line to a document: `text` (a string, required), `id` (optional), and every
//! other field carried through unchanged.

use serde_json::Value;

use nl_ner::Document;
use nl_ner::InputError;

/// Parses one line; `at` (`file:line`) names it in errors and is the id when the line has none.
pub fn parse_line(line: &[u8], at: &str) -> Result<Document, InputError> {
    let err = |reason: String| InputError {
        input: at.to_string(),
        reason,
    };
    let line = nl_ner::files::strip_bom(line);
    // Said before JSON is parsed: serde would call a Latin-1 byte an invalid code point.
    if let Err(e) = std::str::from_utf8(line) {
        return Err(err(format!(
            "not valid UTF-8 (invalid byte sequence at byte {} of the line)",
            e.valid_up_to()
        )));
    }
    let value: Value = serde_json::from_slice(line).map_err(|e| err(json_error(line, &e)))?;
    let Value::Object(mut fields) = value else {
        return Err(err("not a JSON object".to_string()));
    };
    let text = match fields.shift_remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(err(format!(
                "field `text` is not a string (found {})",
                kind(&other)
            )));
        }
        None => return Err(err("no `text` field".to_string())),
    };
    let id = match fields.shift_remove("id") {
        None | Some(Value::Null) => at.to_string(),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(err(format!(
                "field `id` is not a string or number (found {})",
                kind(&other)
            )));
        }
    };
    Ok(Document {
        id,
        text,
        extra: fields,
        ..Document::default()
    })
}

/// Why a line could not be read as JSON: valid JSON that nl-ner cannot hold (a number beyond a
/// 64-bit float, a lone surrogate escape) is said to be so, anything else is not a JSON object.
fn json_error(line: &[u8], e: &serde_json::Error) -> String {
    let at = format!("line {} column {}", e.line(), e.column());
    let message = e.to_string();
    if message.starts_with("number out of range") {
        return format!(
            "a number out of the range of a 64-bit float, at {at} (write it as a string)"
        );
    }
    if (message.contains("surrogate") || message.contains("hex escape"))
        && let Some(escape) = lone_surrogate(line)
    {
        return format!(
            "a lone surrogate escape `{escape}`, which is no Unicode character, at {at}"
        );
    }
    format!("not a JSON object: {e}")
}

/// The first `\uD800`–`\uDFFF` escape in `line` that is not a high surrogate followed by a low
/// one.
fn lone_surrogate(line: &[u8]) -> Option<String> {
    let escape = |i: usize| -> Option<u16> {
        let hex = line.get(i..i + 6)?;
        if &hex[..2] != b"\\u" {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut i = 0;
    while i < line.len() {
        if line[i] == b'\\' {
            match escape(i) {
                Some(0xD800..=0xDBFF) if matches!(escape(i + 6), Some(0xDC00..=0xDFFF)) => {
                    i += 12;
                    continue;
                }
                Some(u @ 0xD800..=0xDFFF) => return Some(format!("\\u{u:04x}")),
                _ => {}
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_extra_fields_in_order() {
        let d = parse_line(br#"{"z":1,"text":"EU","id":12,"a":[true]}"#, "f:1").unwrap();
        assert_eq!(d.id, "12");
        assert_eq!(d.text, "EU");
        assert_eq!(d.extra.keys().collect::<Vec<_>>(), vec!["z", "a"]);
    }

    #[test]
    fn explains_what_is_wrong() {
        let e = parse_line(br#"{"text":"a","n":1e400}"#, "f:1")
            .unwrap_err()
            .reason;
        assert!(
            e.starts_with("a number out of the range of a 64-bit float, at line 1 column"),
            "{e}"
        );
        let e = parse_line(br#"{"text":"a \ud800 b"}"#, "f:1")
            .unwrap_err()
            .reason;
        assert!(e.starts_with("a lone surrogate escape `\\ud800`"), "{e}");
        let e = parse_line(br#"{"text":"\\ud800 \ud83d\ude00 \udc00"}"#, "f:1")
            .unwrap_err()
            .reason;
        assert!(e.starts_with("a lone surrogate escape `\\udc00`"), "{e}");
        assert!(
            parse_line(b"[1]", "f:3")
                .unwrap_err()
                .reason
                .contains("not a JSON object")
        );
        assert!(
            parse_line(br#"{"id":"a"}"#, "f:3")
                .unwrap_err()
                .reason
                .contains("no `text`")
        );
        let e = parse_line(br#"{"text":null}"#, "f:3").unwrap_err();
        assert_eq!(
            e.to_string(),
            "f:3: field `text` is not a string (found null)"
        );
    }
}
