//! doccano JSONL (sequence labelling export): one document per line, its spans either as
//! `label` (`[[start, end, "LABEL"], …]`, doccano's `JSONL` export and `nl-ner export --format
//! doccano`) or as `entities` (`[{"start_offset", "end_offset", "label"}, …]`, the export of
//! projects with relations). Offsets are code points. The id is `meta.doc_id` or `doc_id` (which
//! `nl-ner export` writes, since doccano replaces `id` with its own number), else `id`, else
//! `file:line`.

use serde_json::Value;

use super::{GoldRecord, RawSpan, check_spans, id_of};
use nl_ner::FormatError;

/// Parses one line; `at` is `file:line`.
pub fn parse_line(line: &[u8], at: &str) -> Result<GoldRecord, FormatError> {
    let v: Value = serde_json::from_slice(line).map_err(|e| FormatError::parse("not JSON", e))?;
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no string `text`")?;
    let meta_id = v.get("meta").and_then(|m| m.get("doc_id"));
    let id = id_of(
        meta_id.or_else(|| v.get("doc_id")).or_else(|| v.get("id")),
        at,
    );
    // doccano writes `label` (or `entities`) on every line, empty when nothing is labelled; a
    // line with neither is another format, whose gold would be lost as an empty document.
    let has = |k: &str| v.get(k).is_some_and(|l| !l.is_null());
    if !has("label") && !has("entities") {
        return Err(if v.get("spans").is_some() {
            "no `label` or `entities` list, but `spans`: a spaCy/Prodigy file? (use --format spacy)"
                .into()
        } else {
            "no `label` or `entities` list (write `\"label\": []` for a document without entities)"
                .into()
        });
    }
    let mut spans = Vec::new();
    if let Some(list) = v.get("label").filter(|l| !l.is_null()) {
        let list = list.as_array().ok_or("`label` is not a list")?;
        for (i, x) in list.iter().enumerate() {
            let name = format!("label {}", i + 1);
            let (start, end, label) = match x.as_array().map(Vec::as_slice) {
                Some([s, e, l]) => (s.as_u64(), e.as_u64(), l.as_str()),
                _ => (None, None, None),
            };
            let (Some(start), Some(end), Some(label)) = (start, end, label) else {
                return Err(invalid!(
                    "{name}: expected [start, end, \"LABEL\"], got {x}"
                ));
            };
            spans.push(RawSpan {
                start: start as usize,
                end: end as usize,
                label: label.into(),
                text: None,
                name,
            });
        }
    }
    if let Some(list) = v.get("entities").filter(|l| !l.is_null()) {
        let list = list.as_array().ok_or("`entities` is not a list")?;
        for (i, x) in list.iter().enumerate() {
            let name = match x.get("id") {
                Some(id) => format!("entity {}", id_of(Some(id), "")),
                None => format!("entity {}", i + 1),
            };
            // doccano writes no span text: offsets alone are checked, as for the `label` form.
            let span = RawSpan::from_object(x, name, "start_offset", "end_offset")?;
            spans.push(RawSpan { text: None, ..span });
        }
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
    fn reads_both_span_forms_and_the_exported_id() {
        let line = br#"{"id":17,"text":"De NAVO en Kyiv.","label":[[11,15,"LOC"],[3,7,"ORG"]],"meta":{"doc_id":"d1"},"Comments":[]}"#;
        let d = parse_line(line, "f:1").unwrap();
        assert_eq!(
            (d.id.as_str(), d.entities.len(), d.entities[0].text.as_str()),
            ("d1", 2, "NAVO")
        );
        let line = br#"{"id":17,"text":"De NAVO.","entities":[{"id":4,"start_offset":3,"end_offset":7,"label":"ORG"}],"relations":[]}"#;
        assert_eq!(parse_line(line, "f:1").unwrap().id, "17");
        let bad = br#"{"text":"De NAVO.","label":[[3,7]]}"#;
        assert!(
            parse_line(bad, "f:1")
                .unwrap_err()
                .report()
                .starts_with("label 1: expected")
        );
    }
}
