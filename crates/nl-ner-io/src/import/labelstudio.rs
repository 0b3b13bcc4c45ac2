//! Label Studio: the JSON export of a project (`Export` → `JSON`), an array of tasks:
//!
//! ```json
//! [{"id":7,"data":{"text":"De NAVO.","doc_id":"d1"},
//!   "annotations":[{"id":12,"was_cancelled":false,"ground_truth":false,
//!     "result":[{"id":"e1","from_name":"label","to_name":"text","type":"labels","origin":"prediction",
//!                "value":{"start":3,"end":7,"text":"NAVO","labels":["ORG"]}}]}],
//!   "predictions":[…]}]
//! ```
//!
//! The document is `data.text`, its id `data.doc_id` (as `nl-ner export --format labelstudio`
//! writes it), else the task's `id`. Its spans are the annotation's `labels` results of one
//! `Labels` control (`from_name`, by default the only one in the file; `label` in the exported
//! configuration), each with exactly one label; other results (relations, choices, text areas)
//! are left out. Predictions are never read: only what an annotator submitted counts.
//!
//! Which annotation: cancelled ones (`was_cancelled`) are left out; of the others the one marked
//! `ground_truth`, else all of them when they agree; a task whose annotators disagree, or that has
//! no annotation, is rejected with the reason. Offsets are code points; Label Studio versions that
//! counted UTF-16 code units (text with characters outside the Basic Multilingual Plane) are
//! recognised by the regions' `text`, once per task (never region by region: a region whose
//! UTF-16 offsets also fit at code points would be shifted), and converted.
//!
//! A `--from-name` that no region has, and a region of another labelling tag
//! (`hypertextlabels`, `paragraphlabels`), are errors, never a document without entities.

use serde_json::Value;

use super::{GoldRecord, GoldSpan, Imported, RawSpan, Rejected, check_spans, id_of};

use nl_ner::FormatError;

/// Reads a Label Studio JSON export.
pub fn read(input: &[u8], name: &str, from_name: Option<&str>) -> Result<Imported, FormatError> {
    let tasks: Vec<Value> = match serde_json::from_slice(input) {
        Ok(Value::Array(tasks)) => tasks,
        Ok(_) => {
            return Err(
                "not a Label Studio export: expected a JSON array of tasks (export the project \
                 as \"JSON\")"
                    .into(),
            );
        }
        Err(e) => {
            return Err(FormatError::parse(
                "not a Label Studio export (JSON; export the project as \"JSON\", not CSV or TSV)",
                e,
            ));
        }
    };
    if is_json_min(&tasks) {
        return Err(
            "a Label Studio JSON-MIN export (tasks without `data` and `annotations`), which does \
             not say which annotation is whose or whether it was cancelled; export the project \
             as \"JSON\" (Export, then JSON) and import that"
                .into(),
        );
    }
    let names = controls(&tasks);
    let from_name = match from_name {
        // A name no region has would import every task without entities.
        Some(f) if !names.is_empty() && !names.contains(f) => {
            return Err(invalid!(
                "no `labels` region comes from --from-name {f:?}; the file's Labels controls are: {}",
                names.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        Some(f) => f.to_string(),
        None => only_control(names)?,
    };
    Ok(tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let id = task
                .get("data")
                .and_then(|d| d.get("doc_id"))
                .or_else(|| task.get("id"));
            let at = match id {
                Some(v) if !v.is_null() => {
                    format!("{name}: task {} ({})", i + 1, id_of(Some(v), ""))
                }
                _ => format!("{name}: task {}", i + 1),
            };
            parse_task(task, &from_name, &format!("{name}: task {}", i + 1)).map_err(|e| Rejected {
                at,
                reason: e.report(),
            })
        })
        .collect())
}

/// Whether `tasks` are JSON-MIN's flat records (`{"id", "text", "label": [...], "annotator"}`):
/// objects, none with the `data` or `annotations` of a JSON export.
fn is_json_min(tasks: &[Value]) -> bool {
    !tasks.is_empty()
        && tasks.iter().all(|t| {
            t.as_object()
                .is_some_and(|o| !o.contains_key("data") && !o.contains_key("annotations"))
        })
}

/// The `from_name` of every `labels` result of the file.
fn controls(tasks: &[Value]) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for t in tasks {
        for a in annotations(t) {
            for r in a
                .get("result")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if r.get("type").and_then(Value::as_str) == Some("labels")
                    && let Some(n) = r.get("from_name").and_then(Value::as_str)
                {
                    names.insert(n.to_string());
                }
            }
        }
    }
    names
}

/// The one Labels control of the file, `label` when there is none; an error when there are
/// several (the user must choose).
fn only_control(names: std::collections::BTreeSet<String>) -> Result<String, FormatError> {
    match names.len() {
        0 | 1 => Ok(names.into_iter().next().unwrap_or_else(|| "label".into())),
        _ => Err(invalid!(
            "the annotations use several Labels controls ({}): choose one with --from-name",
            names.into_iter().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// A task's annotations (`completions` in Label Studio before 1.0).
fn annotations(task: &Value) -> impl Iterator<Item = &Value> {
    task.get("annotations")
        .or_else(|| task.get("completions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn parse_task(task: &Value, from_name: &str, fallback_id: &str) -> Result<GoldRecord, FormatError> {
    let data = task.get("data").ok_or("no `data`")?;
    let text = data
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no string `data.text`")?;
    let id = id_of(data.get("doc_id").or_else(|| task.get("id")), fallback_id);
    let live: Vec<&Value> = annotations(task)
        .filter(|a| {
            !a.get("was_cancelled")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        })
        .collect();
    if live.is_empty() {
        return Err(
            "no submitted annotation (not labelled yet, or every annotation was cancelled)".into(),
        );
    }
    let name = |a: &Value| format!("annotation {}", id_of(a.get("id"), "?"));
    let truth: Vec<&&Value> = live
        .iter()
        .filter(|a| {
            a.get("ground_truth")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        })
        .collect();
    let chosen: Vec<&Value> = if truth.len() == 1 {
        vec![*truth[0]]
    } else {
        live
    };
    let index = TextIndex::new(text);
    let mut raw = Vec::with_capacity(chosen.len());
    for a in &chosen {
        raw.push(annotation_regions(a, from_name).map_err(|e| e.within(&name(a)))?);
    }
    // One unit for the whole task: a region whose UTF-16 offsets happen to match at code points
    // too must not be read otherwise than its neighbours.
    let utf16 = index.counts_utf16(raw.iter().flatten());
    let mut first: Option<(String, Vec<GoldSpan>)> = None;
    for (a, mut regions) in chosen.into_iter().zip(raw) {
        if utf16 {
            for r in &mut regions {
                if let Some((s, e)) = index.utf16_to_chars(r.start, r.end) {
                    (r.start, r.end) = (s, e);
                }
            }
        }
        let spans = check_spans(text, &regions).map_err(|e| e.within(&name(a)))?;
        match &first {
            None => first = Some((name(a), spans)),
            Some((n, s)) if *s != spans => {
                let diff = s
                    .iter()
                    .find(|x| !spans.contains(x))
                    .or_else(|| spans.iter().find(|x| !s.contains(x)));
                let what = diff
                    .map(|d| format!(" (e.g. {:?} [{}, {}) {})", d.text, d.start, d.end, d.label));
                return Err(invalid!(
                    "{n} and {} disagree{}; mark one as ground truth or remove the other",
                    name(a),
                    what.unwrap_or_default()
                ));
            }
            Some(_) => {}
        }
    }
    let (_, entities) = first.expect("at least one annotation");
    Ok(GoldRecord {
        id,
        text: text.to_string(),
        entities,
    })
}

/// The regions of one annotation's `labels` results from the control `from_name`, as written
/// (offsets not checked yet). A region of another labelling tag (`hypertextlabels`,
/// `paragraphlabels`, …) cannot be read as text offsets: the task is rejected rather than imported
/// without it.
fn annotation_regions(annotation: &Value, from_name: &str) -> Result<Vec<RawSpan>, FormatError> {
    let results = annotation
        .get("result")
        .and_then(Value::as_array)
        .ok_or("no `result` list")?;
    let mut spans = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let name = match r.get("id") {
            Some(v) => format!("result {}", id_of(Some(v), "")),
            None => format!("result {}", i + 1),
        };
        let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
        if kind != "labels" && kind.ends_with("labels") {
            return Err(invalid!(
                "{name} is a `{kind}` region, which import cannot read: only the `labels` regions \
                 of a Text (a Labels control over a Text tag) are gold spans"
            ));
        }
        if kind != "labels" || r.get("from_name").and_then(Value::as_str) != Some(from_name) {
            continue;
        }
        let value = r
            .get("value")
            .ok_or_else(|| format!("{name}: no `value`"))?;
        let offset = |k: &str| value.get(k).and_then(Value::as_u64).map(|v| v as usize);
        let (Some(start), Some(end)) = (offset("start"), offset("end")) else {
            return Err(invalid!(
                "{name}: no numeric `value.start` and `value.end` (not a Text region)"
            ));
        };
        let labels: Vec<&str> = value
            .get("labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let label = match labels.as_slice() {
            [l] => l.to_string(),
            _ => {
                return Err(invalid!(
                    "{name}: {} labels {labels:?}; a region needs exactly one",
                    labels.len()
                ));
            }
        };
        let surface = value.get("text").and_then(Value::as_str).map(String::from);
        spans.push(RawSpan {
            start,
            end,
            label,
            text: surface,
            name,
        });
    }
    Ok(spans)
}

/// A task's text indexed once, so that each region costs its own length, not the text's (a
/// document of 500,000 regions imports in linear time).
struct TextIndex<'a> {
    text: &'a str,
    /// The byte offset of every code point, and of the end.
    bytes: Vec<usize>,
    /// The UTF-16 offset of every code point, and of the end.
    units: Vec<usize>,
}

impl<'a> TextIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        let mut units = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (b, c) in text.char_indices() {
            bytes.push(b);
            units.push(u);
            u += c.len_utf16();
        }
        bytes.push(text.len());
        units.push(u);
        TextIndex { text, bytes, units }
    }

    /// The code points `[start, end)` of the text, when they are inside it.
    fn chars(&self, start: usize, end: usize) -> Option<&str> {
        (start <= end && end < self.bytes.len())
            .then(|| &self.text[self.bytes[start]..self.bytes[end]])
    }

    /// UTF-16 code-unit offsets as code points, when both fall on character boundaries.
    fn utf16_to_chars(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let s = self.units.binary_search(&start).ok()?;
        let e = self.units.binary_search(&end).ok()?;
        Some((s, e))
    }

    /// Whether the task's regions count UTF-16 code units, as Label Studio versions before 1.4
    /// did for text outside the Basic Multilingual Plane: decided once for the task, by the
    /// regions that give their `text`. Code points unless some region's text is not at its
    /// code-point offsets and every region's text is at its UTF-16 offsets.
    fn counts_utf16<'r>(&self, regions: impl Iterator<Item = &'r RawSpan> + Clone) -> bool {
        if self.units.last() == Some(&(self.bytes.len() - 1)) {
            return false; // no character outside the BMP: both units are the same
        }
        let with_text = regions.filter_map(|r| r.text.as_deref().map(|t| (r, t)));
        let at_chars = |r: &RawSpan, t: &str| self.chars(r.start, r.end) == Some(t);
        let at_units = |r: &RawSpan, t: &str| {
            self.utf16_to_chars(r.start, r.end)
                .and_then(|(s, e)| self.chars(s, e))
                == Some(t)
        };
        !with_text.clone().all(|(r, t)| at_chars(r, t))
            && with_text.clone().all(|(r, t)| at_units(r, t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(id: &str, start: usize, end: usize, text: &str, label: &str) -> Value {
        serde_json::json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}})
    }

    #[test]
    fn reads_the_submitted_annotation_and_names_what_it_rejects() {
        let text = "De NAVO en 🇺🇦 Oekraïne.";
        let tasks = serde_json::json!([
            {"id": 1, "data": {"text": text, "doc_id": "d1"}, "annotations": [
                {"id": 10, "was_cancelled": true, "result": []},
                {"id": 11, "result": [region("e1", 3, 7, "NAVO", "ORG"),
                    // UTF-16 offsets (the flag is 4 code units, 2 code points).
                    region("e2", 16, 24, "Oekraïne", "LOC"),
                    {"id": "e2", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["x"]}},
                    {"type": "relation", "from_id": "e1", "to_id": "e2"}]}],
             "predictions": [{"result": [region("p1", 0, 2, "De", "PER")]}]},
            {"id": 2, "data": {"text": text}, "annotations": []},
            {"id": 3, "data": {"text": text}, "annotations": [
                {"id": 20, "result": [region("a", 3, 7, "NAVO", "ORG")]},
                {"id": 21, "result": [region("a", 3, 7, "NAVO", "LOC")]}]},
            {"id": 4, "data": {"text": text}, "annotations": [
                {"id": 30, "result": [region("a", 3, 7, "NAVO", "ORG")]},
                {"id": 31, "ground_truth": true, "result": [region("a", 3, 7, "NAVO", "LOC")]}]},
            {"id": 5, "data": {"text": text}, "annotations": [{"id": 40, "result": [region("x", 3, 7, "NATO", "ORG")]}]},
            {"id": 6, "data": {"text": text}, "annotations": [{"id": 50, "result": [
                region("x", 3, 7, "NAVO", "ORG"), region("y", 3, 10, "NAVO en", "ORG")]}]}
        ]);
        let got = read(tasks.to_string().as_bytes(), "ls.json", None).unwrap();
        let doc = got[0].as_ref().unwrap();
        assert_eq!(doc.id, "d1");
        assert_eq!(
            doc.entities
                .iter()
                .map(|e| (e.start, e.end, e.text.as_str(), e.label.as_str()))
                .collect::<Vec<_>>(),
            [(3, 7, "NAVO", "ORG"), (14, 22, "Oekraïne", "LOC")]
        );
        let err = |i: usize| got[i].as_ref().unwrap_err().to_string();
        assert_eq!(
            err(1),
            "ls.json: task 2 (2): no submitted annotation (not labelled yet, or every annotation was cancelled)"
        );
        assert!(
            err(2).contains("annotation 20 and annotation 21 disagree"),
            "{}",
            err(2)
        );
        assert_eq!(
            got[3].as_ref().unwrap().entities[0].label,
            "LOC",
            "ground truth wins"
        );
        assert!(
            err(4).contains("annotation 40: result x: says \"NATO\""),
            "{}",
            err(4)
        );
        assert!(
            err(5).contains("result y \"NAVO en\" [3, 10) ORG overlaps result x"),
            "{}",
            err(5)
        );
        assert!(
            read(b"{}", "x", None)
                .unwrap_err()
                .report()
                .contains("JSON array")
        );
    }
}
