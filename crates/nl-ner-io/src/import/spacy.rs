//! spaCy/Prodigy JSONL: one task per line, `text` and `spans` (`start`, `end`, `label`, code
//! points), as `nl-ner export --format spacy` writes it and Prodigy's `db-out` gives it back.
//! Prodigy's `answer` is respected: a task answered `reject` or `ignore` is not imported (and is
//! reported). The id is `meta.id`, else `id`, else `file:line`.

use serde_json::Value;

use super::{GoldRecord, RawSpan, check_spans, id_of, json_kind};
use nl_ner::FormatError;

/// Parses one line; `at` is `file:line`.
pub fn parse_line(line: &[u8], at: &str) -> Result<GoldRecord, FormatError> {
    let v: Value = serde_json::from_slice(line).map_err(|e| FormatError::parse("not JSON", e))?;
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no string `text`")?;
    if let Some(answer) = v.get("answer").and_then(Value::as_str)
        && answer != "accept"
    {
        return Err(invalid!("answered {answer:?} in Prodigy, not accepted"));
    }
    let id = id_of(
        v.get("meta")
            .and_then(|m| m.get("id"))
            .or_else(|| v.get("id")),
        at,
    );
    // A task without a `spans` list is not one whose spans are empty: it is another format,
    // or a broken task, and importing it as a document without entities would lose its gold.
    let list = match v.get("spans") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(invalid!(
                "`spans` is {}, not a list of {{start, end, label}}",
                json_kind(other)
            ));
        }
        None if v.get("label").is_some() || v.get("entities").is_some() => {
            return Err(
                "no `spans` list, but `label` or `entities`: a doccano file? (use --format doccano)"
                    .into(),
            );
        }
        None => {
            return Err(
                "no `spans` list (write `\"spans\": []` for a task without entities)".into(),
            );
        }
    };
    let mut spans = Vec::new();
    for (i, x) in list.iter().enumerate() {
        spans.push(RawSpan::from_object(
            x,
            format!("span {}", i + 1),
            "start",
            "end",
        )?);
    }
    let entities = check_spans(text, &spans)?;
    Ok(GoldRecord {
        id,
        text: text.to_string(),
        entities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spans_and_respects_prodigy_answers() {
        let line = br#"{"text":"De NAVO.","meta":{"id":"d1","score":0.9},"spans":[{"start":3,"end":7,"label":"ORG","token_start":1,"token_end":1}],"answer":"accept"}"#;
        let d = parse_line(line, "f:1").unwrap();
        assert_eq!((d.id.as_str(), d.entities[0].label.as_str()), ("d1", "ORG"));
        let line = br#"{"text":"De NAVO.","spans":[],"answer":"reject"}"#;
        assert!(
            parse_line(line, "f:1")
                .unwrap_err()
                .report()
                .contains("\"reject\"")
        );
    }
}
