//! One JSONL input line to a document: `text` (a string, required; `--text-field` names
//! another field), `id` (optional), and every other field carried through unchanged. A line
//! without the text field may name a file to read instead (`path`, [`parse_entry`]).

use serde_json::Value;

use nl_ner::Document;
use nl_ner::InputError;

use super::decode::{DecodeError, TextEncoding};

/// How the lines of a JSONL input are read: their encoding and which field holds the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineFormat {
    /// The lines' encoding (JSON is UTF-8, but archives hold Latin-1 JSONL too).
    pub encoding: TextEncoding,
    /// The field that holds the text (`None`: `text`). The text is written back as `text`.
    pub text_field: Option<String>,
}

/// What a JSONL line holds.
#[derive(Debug)]
pub enum Entry {
    /// A document with its text.
    Document(Document),
    /// A file to read (`path`, as written), and the document of the line's other fields, whose
    /// text is still empty and whose id is the line's `id`, if it has one.
    File {
        /// The `path` field.
        path: String,
        /// The other fields (`path` kept among them).
        doc: Document,
        /// Whether the line gave an `id`.
        has_id: bool,
    },
}

/// Parses one UTF-8 line; `at` (`file:line`) names it in errors and is the id when the line has
/// none. A line without `text` is an error, even with a `path` (see [`parse_entry`]).
pub fn parse_line(line: &[u8], at: &str) -> Result<Document, InputError> {
    parse_line_as(line, at, &LineFormat::default())
}

/// Parses one line as `format` says; a line without the text field is an error, even with a
/// `path`.
pub fn parse_line_as(line: &[u8], at: &str, format: &LineFormat) -> Result<Document, InputError> {
    match parse_entry(line, at, format)? {
        Entry::Document(d) => Ok(d),
        Entry::File { .. } => Err(InputError {
            input: at.to_string(),
            reason: "no `text` field (a `path` is read only from JSONL files)".to_string(),
        }),
    }
}

/// Parses one line as `format` says, which may name a file to read instead of giving its text:
/// a `path` field (a string) in a line without the text field.
pub fn parse_entry(line: &[u8], at: &str, format: &LineFormat) -> Result<Entry, InputError> {
    let err = |reason: String| InputError {
        input: at.to_string(),
        reason,
    };
    // Said before JSON is parsed: serde would call a Latin-1 byte an invalid code point.
    let line = format.encoding.decode(line).map_err(|e| {
        err(match e {
            DecodeError::InvalidUtf8(at) => format!(
                "not valid UTF-8 (invalid byte sequence at byte {at} of the line); if it is \
                 Latin-1 or Windows-1252, give --encoding windows-1252"
            ),
            e => e.to_string(),
        })
    })?;
    let value: Value =
        serde_json::from_str(&line).map_err(|e| err(json_error(line.as_bytes(), &e)))?;
    let Value::Object(mut fields) = value else {
        return Err(err("not a JSON object".to_string()));
    };
    let field = format.text_field.as_deref().unwrap_or("text");
    // A line without text may name a file to read instead (docs/input.md).
    if !fields.contains_key(field)
        && let Some(Value::String(path)) = fields.get("path")
    {
        let path = path.clone();
        let has_id = !matches!(fields.get("id"), None | Some(Value::Null));
        let id = document_id(&mut fields, at).map_err(err)?;
        let doc = Document {
            id,
            extra: fields,
            ..Document::default()
        };
        return Ok(Entry::File { path, doc, has_id });
    }
    let text = match fields.shift_remove(field) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(err(format!(
                "field `{field}` is not a string (found {})",
                kind(&other)
            )));
        }
        None => return Err(err(no_text_field(field, &fields))),
    };
    let id = document_id(&mut fields, at).map_err(err)?;
    Ok(Entry::Document(Document {
        id,
        text,
        extra: fields,
        ..Document::default()
    }))
}

/// The line's `id` (taken out of `fields`), or `at` when it has none.
fn document_id(fields: &mut serde_json::Map<String, Value>, at: &str) -> Result<String, String> {
    match fields.shift_remove("id") {
        None | Some(Value::Null) => Ok(at.to_string()),
        Some(Value::String(s)) => Ok(s),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(other) => Err(format!(
            "field `id` is not a string or number (found {})",
            kind(&other)
        )),
    }
}

/// What a line without the text field says: the fields that could hold the text, so that a
/// corpus whose text is `content` or `body` is one option away.
fn no_text_field(field: &str, fields: &serde_json::Map<String, Value>) -> String {
    let strings: Vec<String> = fields
        .iter()
        .filter(|(k, v)| v.is_string() && *k != "id")
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    if strings.is_empty() {
        format!("no `{field}` field")
    } else {
        format!(
            "no `{field}` field (its string fields: {}; name the one with the text with --text-field)",
            strings.join(", ")
        )
    }
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
    fn a_line_without_text_may_name_a_file() {
        let Entry::File { path, doc, has_id } = parse_entry(
            br#"{"path":"a/b.pdf","title":"T"}"#,
            "f:2",
            &LineFormat::default(),
        )
        .unwrap() else {
            panic!("a file entry")
        };
        assert_eq!(
            (path.as_str(), doc.id.as_str(), has_id),
            ("a/b.pdf", "f:2", false)
        );
        assert_eq!(doc.extra.keys().collect::<Vec<_>>(), ["path", "title"]);
        // With text, `path` is a field like any other; elsewhere a path line is refused.
        let Entry::Document(d) =
            parse_entry(br#"{"text":"x","path":"p"}"#, "f:1", &LineFormat::default()).unwrap()
        else {
            panic!("a document")
        };
        assert_eq!(d.extra["path"], "p");
        let e = parse_line(br#"{"path":"p"}"#, "f:1").unwrap_err().reason;
        assert!(e.starts_with("no `text` field"), "{e}");
        let e = parse_entry(br#"{"path":3}"#, "f:1", &LineFormat::default())
            .unwrap_err()
            .reason;
        assert!(e.starts_with("no `text` field"), "{e}");
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
        let e = parse_line(br#"{"id":"a","content":"De NAVO","n":1}"#, "f:3").unwrap_err();
        assert_eq!(
            e.reason,
            "no `text` field (its string fields: `content`; name the one with the text with --text-field)"
        );
        let e = parse_line(br#"{"text":null}"#, "f:3").unwrap_err();
        assert_eq!(
            e.to_string(),
            "f:3: field `text` is not a string (found null)"
        );
    }

    #[test]
    fn reads_another_text_field_and_encoding() {
        let format = LineFormat {
            encoding: "latin1".parse().unwrap(),
            text_field: Some("content".into()),
        };
        let d =
            parse_line_as(b"{\"content\":\"Li\xe8ge\",\"text\":\"x\"}", "f:1", &format).unwrap();
        assert_eq!(d.text, "Li\u{e8}ge");
        assert_eq!(d.extra.keys().collect::<Vec<_>>(), vec!["text"]);
        let e = parse_line(b"{\"text\":\"Li\xe8ge\"}", "f:1").unwrap_err();
        assert!(e.reason.contains("--encoding windows-1252"), "{}", e.reason);
    }
}
