//! Annotations corrected in an annotation tool, back to the project's gold JSONL
//! (`corpus/gold/*.jsonl`, read by [`crate::gold`]): `nl-ner import`.
//!
//! Three sources: a Label Studio JSON export of annotated tasks ([`labelstudio`]), a doccano
//! JSONL export ([`doccano`]) and spaCy/Prodigy JSONL ([`spacy`]). Each task becomes one
//! [`GoldRecord`] or one [`Rejected`] with its place in the file and the reason, so one bad task
//! never stops the others. Every span is checked against the text ([`check_spans`]): offsets
//! inside the text, the span's own `text` (where the tool writes one) equal to the text at its
//! offsets, a known label (one of [`Label::ALL`] or `IGNORE`); white space at a span's edges is
//! trimmed; the same span twice counts once; spans that overlap are a conflict and reject the task.

pub mod doccano;
pub mod labelstudio;
pub mod spacy;

use std::io::{self, Write};

use serde::Serialize;

use nl_ner::FormatError;
use nl_ner::Label;

/// The formats `nl-ner import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportFormat {
    /// Label Studio JSON export (an array of tasks with `annotations`).
    Labelstudio,
    /// doccano JSONL export (`text` and `label` as `[start, end, label]`, or `entities`).
    Doccano,
    /// spaCy/Prodigy JSONL (`text` and `spans` with `start`, `end`, `label`; Prodigy's `answer`).
    Spacy,
}

/// One span of a gold document: code points, end exclusive, its label (a [`Label`] or `IGNORE`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GoldSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text at the offsets.
    pub text: String,
    /// The label.
    pub label: String,
}

/// One document of gold JSONL, as `corpus/gold/*.jsonl` holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoldRecord {
    /// The document id.
    pub id: String,
    /// The text all offsets refer to.
    pub text: String,
    /// The spans in text order.
    pub entities: Vec<GoldSpan>,
}

impl GoldRecord {
    /// Writes the record as one JSON line.
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        serde_json::to_writer(&mut *w, self).map_err(io::Error::from)?;
        w.write_all(b"\n")
    }
}

/// A task that was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Where it is: `file:line` or `file: task N`, and its id when it has one.
    pub at: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// What reading one file gave: documents, and the tasks left out, in file order.
pub type Imported = Vec<Result<GoldRecord, Rejected>>;

/// A span as a tool wrote it, before checking: offsets in code points, the tool's name for it
/// (`result e3`, `span 2`) and its text when the tool writes one.
#[derive(Clone, Debug)]
pub struct RawSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The label as written.
    pub label: String,
    /// The span's text, where the tool writes one.
    pub text: Option<String>,
    /// How to name the span in an error (`result "e3"`, `span 2`).
    pub name: String,
}

impl RawSpan {
    /// A span written as a JSON object with offsets under `start` and `end` (`start_offset` in
    /// doccano, `start` in spaCy/Prodigy), `label`, and, where the tool writes one, `text`.
    pub fn from_object(
        x: &serde_json::Value,
        name: String,
        start: &str,
        end: &str,
    ) -> Result<RawSpan, FormatError> {
        let n = |k: &str| x.get(k).and_then(serde_json::Value::as_u64);
        let (Some(s), Some(e), Some(label)) = (
            n(start),
            n(end),
            x.get("label").and_then(serde_json::Value::as_str),
        ) else {
            return Err(invalid!(
                "{name}: expected {start}, {end} and label, got {x}"
            ));
        };
        Ok(RawSpan {
            start: s as usize,
            end: e as usize,
            label: label.into(),
            text: x
                .get("text")
                .and_then(serde_json::Value::as_str)
                .map(String::from),
            name,
        })
    }
}

/// Checks spans against `text` and turns them into gold spans, sorted; the error names the first
/// bad span, or the two spans that overlap.
pub fn check_spans(text: &str, spans: &[RawSpan]) -> Result<Vec<GoldSpan>, FormatError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(GoldSpan, &str)> = Vec::with_capacity(spans.len());
    for s in spans {
        if s.label != "IGNORE" && s.label.parse::<Label>().is_err() {
            let known: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
            return Err(invalid!(
                "{}: unknown label {:?} (known: {}, IGNORE)",
                s.name,
                s.label,
                known.join(", ")
            ));
        }
        if s.start >= s.end || s.end > chars.len() {
            return Err(invalid!(
                "{}: [{}, {}) does not fit a text of {} characters",
                s.name,
                s.start,
                s.end,
                chars.len()
            ));
        }
        let at: String = chars[s.start..s.end].iter().collect();
        if let Some(t) = &s.text
            && *t != at
        {
            return Err(invalid!(
                "{}: says {t:?} but the text at [{}, {}) is {at:?}",
                s.name,
                s.start,
                s.end
            ));
        }
        let (mut start, mut end) = (s.start, s.end);
        while start < end && chars[start].is_whitespace() {
            start += 1;
        }
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if start == end {
            return Err(invalid!(
                "{}: [{}, {}) is only white space",
                s.name,
                s.start,
                s.end
            ));
        }
        let text = chars[start..end].iter().collect();
        out.push((
            GoldSpan {
                start,
                end,
                text,
                label: s.label.clone(),
            },
            &s.name,
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|b, a| a.0 == b.0);
    for pair in out.windows(2) {
        let ((a, an), (b, bn)) = (&pair[0], &pair[1]);
        if b.start < a.end {
            let what = if (a.start, a.end) == (b.start, b.end) {
                "conflicts with"
            } else {
                "overlaps"
            };
            return Err(invalid!(
                "{bn} {:?} [{}, {}) {} {what} {an} {:?} [{}, {}) {}",
                b.text,
                b.start,
                b.end,
                b.label,
                a.text,
                a.start,
                a.end,
                a.label
            ));
        }
    }
    Ok(out.into_iter().map(|(s, _)| s).collect())
}

/// What a JSON value is, for messages (`an object`, `a string`).
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The id of a document: a string as it is, a number as written, absent or null as `fallback`.
pub(crate) fn id_of(v: Option<&serde_json::Value>, fallback: &str) -> String {
    match v {
        None | Some(serde_json::Value::Null) => fallback.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Reads a JSONL file line by line with `parse` (`at` is `name:line`); blank lines are skipped.
pub(crate) fn read_lines(
    input: &[u8],
    name: &str,
    parse: impl Fn(&[u8], &str) -> Result<GoldRecord, FormatError>,
) -> Imported {
    let mut out = Vec::new();
    for (i, line) in input.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("{name}:{}", i + 1);
        out.push(
            parse(nl_ner::files::strip_bom(line), &at).map_err(|e| Rejected {
                at,
                reason: e.report(),
            }),
        );
    }
    out
}

/// Reads one file of `format`; `name` names it in messages. An error is fatal (the file as a
/// whole cannot be read); a bad task is a [`Rejected`] in the list.
pub fn read(
    format: ImportFormat,
    input: &[u8],
    name: &str,
    from_name: Option<&str>,
) -> Result<Imported, FormatError> {
    let input = nl_ner::files::strip_bom(input);
    match format {
        ImportFormat::Labelstudio => labelstudio::read(input, name, from_name),
        ImportFormat::Doccano => Ok(read_lines(input, name, doccano::parse_line)),
        ImportFormat::Spacy => Ok(read_lines(input, name, spacy::parse_line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: usize, end: usize, label: &str, text: Option<&str>) -> RawSpan {
        RawSpan {
            start,
            end,
            label: label.into(),
            text: text.map(String::from),
            name: format!("span {start}"),
        }
    }

    #[test]
    fn spans_are_checked_trimmed_sorted_and_deduplicated() {
        let text = "De NAVO en Oekraïne.";
        let got = check_spans(
            text,
            &[
                raw(11, 19, "LOC", Some("Oekraïne")),
                raw(2, 8, "ORG", None),
                raw(3, 7, "ORG", None),
            ],
        )
        .unwrap();
        assert_eq!(
            got.iter()
                .map(|s| (s.start, s.end, s.text.as_str()))
                .collect::<Vec<_>>(),
            [(3, 7, "NAVO"), (11, 19, "Oekraïne")]
        );
        let err = |spans: &[RawSpan]| check_spans(text, spans).unwrap_err().report();
        assert!(err(&[raw(3, 7, "BODY", None)]).contains("unknown label \"BODY\""));
        assert!(err(&[raw(3, 30, "ORG", None)]).contains("does not fit a text of 20 characters"));
        assert!(
            err(&[raw(3, 7, "ORG", Some("NATO"))])
                .contains("says \"NATO\" but the text at [3, 7) is \"NAVO\"")
        );
        assert!(err(&[raw(3, 7, "ORG", None), raw(3, 7, "LOC", None)]).contains("conflicts with"));
        assert!(err(&[raw(3, 10, "ORG", None), raw(8, 19, "LOC", None)]).contains("overlaps"));
        assert!(err(&[raw(2, 3, "ORG", None)]).contains("only white space"));
        assert!(check_spans(text, &[raw(3, 7, "IGNORE", None)]).is_ok());
    }
}
