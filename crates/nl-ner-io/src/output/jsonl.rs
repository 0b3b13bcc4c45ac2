//! The JSONL output format, schema version 1 (JSON Schema: `docs/schema/document.schema.json`).
//!
//! One JSON object per document and line, keys in this order:
//!
//! ```json
//! {"schema":1,"id":"corpus/letters/x.txt","text":"De NAVO ...",
//!  "entities":[{"start":3,"end":7,"text":"NAVO","label":"ORG","score":0.9731,"source":"model"}],
//!  "sentences":[[0,11]]}
//! ```
//!
//! - `start`/`end` are Unicode code-point offsets into `text`, end exclusive, so Python's
//!   `text[start:end] == entity["text"]`; `sentences` are `[start, end]` pairs in the same unit.
//! - `score` is the model's confidence in `[0, 1]`, rounded to 4 decimals so output is stable.
//! - Fields of a JSONL input line other than `id` and `text` come right after `id`, unchanged
//!   and in their input order; an input field named `schema`, `document_date`, `entities`,
//!   `relations` or `sentences` is dropped, since the output defines those.
//! - Entities are sorted by start offset and never overlap.
//! - `rule` (right after `source`) names the domain rule that made the entity or decided its
//!   label (`law-title`, `money`; `docs/rules.md`); it is left out of the model's and the
//!   gazetteers' entities.
//! - `entity_id` (after `source` and `rule`) is the entity's canonical id from the link stage
//!   (`org:navo`; `docs/linking.md`); it is left out of a document that was not linked.
//! - `relations` (after `entities`, written when the relation stage ran, also when empty;
//!   `docs/relations.md`): `type` (`role`, `member_of`, `participates_in`), `head` and `tail`
//!   (indices into `entities`; `tail` on every `member_of` and `participates_in`, and on a `role`
//!   whose office names an entity), for a role its phrase as written (`role`, with code-point
//!   offsets `role_start`, `role_end`), and `score`. An optional member added within schema 1:
//!   a line without it is a line whose relations were not extracted (`--no-relations`, or
//!   written before relations existed), so readers of earlier lines are unaffected.
//! - `document_date` (after the input's fields, before `text`; when the document's date was
//!   found, `docs/relations.md` "Document dates"): `date` (`YYYY-MM-DD`), `rule` (the
//!   `nl_ner::dating` rule that found it, or `input-date` for the input's `date` field) and,
//!   for a date found in the text, `start`, `end` (code points) and `text` as written. An
//!   optional member added within schema 1, as `relations` was; an input field named
//!   `document_date` is dropped like the other names the output defines.
//!
//! With `nl-ner extract --error-records`, an input that cannot be annotated is a line of its own
//! instead of a gap, so that output lines pair up with input lines (see `docs/spark.md`):
//!
//! ```json
//! {"schema":1,"input":"<stdin>:7","error":"not a JSON object: expected value at line 1 column 1"}
//! ```
//!
//! `input` names the file, or `file:line` for JSONL (`<stdin>:N` counts the lines this process
//! read); a reader tells the two kinds of line apart by the `error` key.

use std::io::{self, Write};

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use nl_ner::dating::DocumentDate;
use nl_ner::relate::Relation;
use nl_ner::{Document, Entity};

/// The schema version written in every line's `schema` field.
pub const SCHEMA_VERSION: u32 = 1;

const RESERVED: [&str; 7] = [
    "schema",
    "id",
    "document_date",
    "text",
    "entities",
    "relations",
    "sentences",
];

/// Writes one document as one line of JSON, newline included.
pub fn write_document<W: Write + ?Sized>(w: &mut W, doc: &Document) -> io::Result<()> {
    write_document_with(w, doc, LineOptions::default())
}

/// What a line holds besides the annotations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineOptions {
    /// Leave the document's `text` out (`extract --no-text`), for a corpus whose text is kept
    /// elsewhere: the offsets still index the text that was read, and each entity keeps its own
    /// `text`.
    pub no_text: bool,
}

/// Writes one document as one line of JSON as `options` say, newline included.
pub fn write_document_with<W: Write + ?Sized>(
    w: &mut W,
    doc: &Document,
    options: LineOptions,
) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Line(doc, options)).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// Writes the error line of an input that could not be annotated, newline included.
pub fn write_error<W: Write + ?Sized>(w: &mut W, input: &str, reason: &str) -> io::Result<()> {
    #[derive(Serialize)]
    struct ErrorLine<'a> {
        schema: u32,
        input: &'a str,
        error: &'a str,
    }
    serde_json::to_writer(
        &mut *w,
        &ErrorLine {
            schema: SCHEMA_VERSION,
            input,
            error: reason,
        },
    )
    .map_err(io::Error::from)?;
    w.write_all(b"\n")
}

struct Line<'a>(&'a Document, LineOptions);

impl Serialize for Line<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", &SCHEMA_VERSION)?;
        m.serialize_entry("id", &d.id)?;
        for (k, v) in d
            .extra
            .iter()
            .filter(|(k, _)| !RESERVED.contains(&k.as_str()))
        {
            m.serialize_entry(k, v)?;
        }
        if let Some(date) = &d.date {
            m.serialize_entry("document_date", &DateOut(date, &d.text))?;
        }
        if !self.1.no_text {
            m.serialize_entry("text", &d.text)?;
        }
        m.serialize_entry("entities", &Entities(d))?;
        if let Some(relations) = &d.relations {
            m.serialize_entry("relations", &Relations(d, relations))?;
        }
        m.serialize_entry("sentences", &Sentences(d))?;
        m.end()
    }
}

struct DateOut<'a>(&'a DocumentDate, &'a str);

impl Serialize for DateOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut st = s.serialize_struct("DocumentDate", 5)?;
        st.serialize_field("date", &d.date.to_string())?;
        st.serialize_field("rule", d.rule)?;
        if let Some(span) = d.span {
            st.serialize_field("start", &span.char_start)?;
            st.serialize_field("end", &span.char_end)?;
            st.serialize_field("text", span.text(self.1))?;
        }
        st.end()
    }
}

struct Relations<'a>(&'a Document, &'a [Relation]);

impl Serialize for Relations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = &self.0.text;
        s.collect_seq(self.1.iter().map(|r| RelationOut { r, text }))
    }
}

struct RelationOut<'a> {
    r: &'a Relation,
    text: &'a str,
}

impl Serialize for RelationOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let mut st = s.serialize_struct("Relation", 7)?;
        st.serialize_field("type", r.kind.as_str())?;
        st.serialize_field("head", &r.head)?;
        if let Some(tail) = r.tail {
            st.serialize_field("tail", &tail)?;
        }
        if let Some(role) = r.role {
            st.serialize_field("role", role.text(self.text))?;
            st.serialize_field("role_start", &role.char_start)?;
            st.serialize_field("role_end", &role.char_end)?;
        }
        st.serialize_field("score", &round4(r.score))?;
        st.end()
    }
}

struct Entities<'a>(&'a Document);

impl Serialize for Entities<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let linked = d.is_linked();
        s.collect_seq(d.entities.iter().map(|e| EntityOut {
            e,
            text: &d.text,
            id: if linked { e.entity_id.as_ref() } else { None },
        }))
    }
}

struct EntityOut<'a> {
    e: &'a Entity,
    text: &'a str,
    id: Option<&'a String>,
}

impl Serialize for EntityOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.e;
        let mut st = s.serialize_struct("Entity", 8)?;
        st.serialize_field("start", &e.span.char_start)?;
        st.serialize_field("end", &e.span.char_end)?;
        st.serialize_field("text", e.span.text(self.text))?;
        st.serialize_field("label", &e.label)?;
        st.serialize_field("score", &round4(e.score))?;
        st.serialize_field("source", &e.source)?;
        if let Some(rule) = e.rule {
            st.serialize_field("rule", rule)?;
        }
        if let Some(id) = self.id {
            st.serialize_field("entity_id", id)?;
        }
        st.end()
    }
}

struct Sentences<'a>(&'a Document);

impl Serialize for Sentences<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.0
                .sentences
                .iter()
                .map(|x| [x.span.char_start, x.span.char_end]),
        )
    }
}

/// An entity's `score` as written: rounded to 4 decimals through f64, so the printed value is the
/// shortest form of a 4-decimal number (the Python binding's `Entity.score` is this number).
pub fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::{Label, Sentence, Source, Span};

    #[test]
    fn writes_code_point_offsets_and_carries_extra_fields() {
        let text = "Oekraïne en de NAVO";
        let mut doc = Document::new("d1", text);
        doc.extra.insert("bron".into(), serde_json::json!("tk"));
        doc.extra
            .insert("entities".into(), serde_json::json!("dropped"));
        let navo = Span::from_bytes(text, text.find("NAVO").unwrap()..text.len());
        doc.entities
            .push(Entity::new(navo, Label::Org, 0.987_654, Source::Model));
        doc.sentences.push(Sentence {
            span: Span::from_bytes(text, 0..text.len()),
            tokens: 0..4,
        });
        let mut out = Vec::new();
        write_document(&mut out, &doc).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(
            line,
            "{\"schema\":1,\"id\":\"d1\",\"bron\":\"tk\",\"text\":\"Oekraïne en de NAVO\",\"entities\":[{\"start\":15,\"end\":19,\
             \"text\":\"NAVO\",\"label\":\"ORG\",\"score\":0.9877,\"source\":\"model\"}],\"sentences\":[[0,19]]}\n"
        );
        doc.entities[0].entity_id = Some("org:navo".into());
        let mut out = Vec::new();
        write_document(&mut out, &doc).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.contains(r#""source":"model","entity_id":"org:navo"}"#),
            "{line}"
        );
        // A rule's name stands right after the source, only on entities a rule made.
        doc.entities[0].source = Source::Pattern;
        doc.entities[0].rule = Some("law-title");
        let mut out = Vec::new();
        write_document(&mut out, &doc).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.contains(r#""source":"pattern","rule":"law-title","entity_id":"org:navo"}"#),
            "{line}"
        );
    }

    #[test]
    fn an_error_line_names_the_input_and_the_reason() {
        let mut out = Vec::new();
        write_error(&mut out, "<stdin>:7", "no `text` field").unwrap();
        assert_eq!(
            out,
            b"{\"schema\":1,\"input\":\"<stdin>:7\",\"error\":\"no `text` field\"}\n"
        );
    }
}
