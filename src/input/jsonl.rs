//! One JSONL input line to a document: `text` (a string, required), `id` (optional), and every
//! other field carried through unchanged.

use serde_json::Value;

use super::InputError;
use crate::doc::Document;

/// Parses one line; `at` (`file:line`) names it in errors and is the id when the line has none.
pub fn parse_line(line: &[u8], at: &str) -> Result<Document, InputError> {
    let err = |reason: String| InputError { input: at.to_string(), reason };
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let value: Value = serde_json::from_slice(line).map_err(|e| err(format!("not a JSON object: {e}")))?;
    let Value::Object(mut fields) = value else {
        return Err(err("not a JSON object".to_string()));
    };
    let text = match fields.shift_remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => return Err(err(format!("field `text` is not a string (found {})", kind(&other)))),
        None => return Err(err("no `text` field".to_string())),
    };
    let id = match fields.shift_remove("id") {
        None | Some(Value::Null) => at.to_string(),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => return Err(err(format!("field `id` is not a string or number (found {})", kind(&other)))),
    };
    Ok(Document { id, text, extra: fields, ..Document::default() })
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
        assert!(parse_line(b"[1]", "f:3").unwrap_err().reason.contains("not a JSON object"));
        assert!(parse_line(br#"{"id":"a"}"#, "f:3").unwrap_err().reason.contains("no `text`"));
        let e = parse_line(br#"{"text":null}"#, "f:3").unwrap_err();
        assert_eq!(e.to_string(), "f:3: field `text` is not a string (found null)");
    }
}
