//! Reading annotated documents back: the output of `nl-ner extract` (JSONL, schema 1, see
//! [`crate::output::jsonl`]) as [`Document`]s, for the commands that work on it (`entities`,
//! `export`).
//!
//! Each line gives a document with its entities (byte and code-point offsets rebuilt from the
//! code-point offsets), their ids (`entity_id`, when written), its sentences, and tokens from
//! the segmenter, assigned to the sentences of the file. Only `text` and `entities` (`start`,
//! `end`, `label`) are required, so gold files of the same shape read too: `schema` must be 1
//! when present, and an entity without `score` or `source` gets 1 and `model`; without
//! `sentences` the segmenter's are used; an entity's `rule` is kept when it names a rule of
//! `nl_ner::rules`. `relations` (entity indices checked; a relation
//! without `score` gets 1) and `document_date` (its rule one of `nl_ner::dating`'s) are read
//! into [`Document::relations`] and [`Document::date`]. Other fields are kept in
//! [`Document::extra`].
//!
//! A gold file's `IGNORE` spans (don't-care regions) are checked like entities (inside the text,
//! their `text` equal to the text at their offsets) and then left out: they mark what the
//! annotators did not decide, which is no entity to export, list or show; the document is kept.
//!
//! A line is rejected, with its file and line number, when it is not such a document, or when
//! its offsets do not fit: an entity outside the text, whose `text` differs from the text at its
//! offsets, or that overlaps the one before; sentences out of order.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::Deserialize;

use nl_ner::FormatError;
use nl_ner::dating::{self, Date, DocumentDate};
use nl_ner::relate::{Relation, RelationType};
use nl_ner::segment::Segmenter;
use nl_ner::{Document, Entity, Label, Sentence, Source, Span};
use nl_ner::{Error, Result};

/// The label of a gold file's don't-care region (docs/gold.md).
const IGNORE: &str = "IGNORE";

/// One line of extract output, as written.
#[derive(Deserialize)]
struct Line {
    schema: Option<u32>,
    id: Option<serde_json::Value>,
    /// Absent from a line `extract --no-text` wrote.
    text: Option<String>,
    entities: Vec<EntityLine>,
    relations: Option<Vec<RelationLine>>,
    document_date: Option<DateLine>,
    sentences: Option<Vec<[usize; 2]>>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct EntityLine {
    start: usize,
    end: usize,
    text: Option<String>,
    /// A [`Label`], or `IGNORE` (a gold file's don't-care region).
    label: String,
    score: Option<f32>,
    source: Option<Source>,
    entity_id: Option<String>,
    rule: Option<String>,
}

/// The longest line read back ([`nl_ner::files::MAX_DATA_BYTES`]): a document at extract's
/// `--max-doc-bytes` limit with its entities, tokens and sentences stays well below it.
const MAX_LINE_BYTES: u64 = nl_ner::files::MAX_DATA_BYTES;

#[derive(Deserialize)]
struct RelationLine {
    #[serde(rename = "type")]
    kind: RelationType,
    head: usize,
    tail: Option<usize>,
    role: Option<String>,
    role_start: Option<usize>,
    role_end: Option<usize>,
    score: Option<f32>,
}

#[derive(Deserialize)]
struct DateLine {
    date: String,
    rule: String,
    start: Option<usize>,
    end: Option<usize>,
}

/// The documents of an extract output file, one per line; blank lines are skipped.
pub struct AnnotatedReader<R> {
    input: BufReader<R>,
    name: String,
    line: usize,
    segmenter: Segmenter,
    failed: bool,
}

/// Opens an extract output file.
pub fn open(path: &Path) -> Result<AnnotatedReader<File>> {
    let file = nl_ner::files::open_data_file(path).map_err(|e| Error::io(path, e))?;
    Ok(AnnotatedReader::new(file, path.display().to_string()))
}

impl<R: Read> AnnotatedReader<R> {
    /// Reads `input`, calling it `name` in errors (`<stdin>`).
    pub fn new(input: R, name: impl Into<String>) -> Self {
        AnnotatedReader {
            input: BufReader::with_capacity(1 << 16, input),
            name: name.into(),
            line: 0,
            segmenter: Segmenter::new(),
            failed: false,
        }
    }
}

impl<R: Read> Iterator for AnnotatedReader<R> {
    /// A document, [`Error::BadInput`] for a line that is skipped (reading goes on), or
    /// [`Error::Io`] when the input cannot be read (the last item).
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        loop {
            if self.failed {
                return None;
            }
            buf.clear();
            // Bounded, and NUL ends it: `/dev/zero` in a pipe is an error, not an endless line.
            match nl_ner::files::read_line_bounded(&mut self.input, &mut buf, MAX_LINE_BYTES) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    self.failed = true;
                    let at = format!("{}:{}", self.name, self.line + 1);
                    return Some(Err(Error::io(at, e)));
                }
            }
            self.line += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let at = format!("{}:{}", self.name, self.line);
            return Some(
                parse_line(&buf, &at, &self.segmenter).map_err(|e| Error::BadInput {
                    input: at,
                    reason: e.report(),
                }),
            );
        }
    }
}

/// Parses one line of extract output; `at` (`file:line`) is the id of a line without one.
pub fn parse_line(
    line: &[u8],
    at: &str,
    segmenter: &Segmenter,
) -> std::result::Result<Document, FormatError> {
    let line: Line = serde_json::from_slice(nl_ner::files::strip_bom(line))
        .map_err(|e| FormatError::parse("not an nl-ner document", e))?;
    if let Some(v) = line
        .schema
        .filter(|&v| v != crate::output::jsonl::SCHEMA_VERSION)
    {
        return Err(invalid!(
            "schema {v} is not supported (expected {})",
            crate::output::jsonl::SCHEMA_VERSION
        ));
    }
    let Some(text) = line.text else {
        return Err(invalid!(
            "no `text`: the line was written by `nl-ner extract --no-text`, and this command \
             needs the text; extract again without --no-text"
        ));
    };
    // Byte offset of every code point, and of the end.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let span = |start: usize, end: usize, what: &str| -> std::result::Result<Span, FormatError> {
        if start >= end || end >= bytes.len() {
            return Err(invalid!(
                "{what} [{start}, {end}) does not fit a text of {} characters",
                bytes.len() - 1
            ));
        }
        Ok(Span {
            byte_start: bytes[start],
            byte_end: bytes[end],
            char_start: start,
            char_end: end,
        })
    };
    let mut doc = Document::new(
        match line.id {
            None | Some(serde_json::Value::Null) => at.to_string(),
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
        },
        String::new(),
    );
    let mut last_end = 0;
    let mut ids = Vec::with_capacity(line.entities.len());
    for (i, e) in line.entities.into_iter().enumerate() {
        let what = format!("entity {}", i + 1);
        let s = span(e.start, e.end, &what)?;
        if let Some(t) = &e.text
            && t != s.text(&text)
        {
            return Err(invalid!(
                "{what} says {t:?} but the text at [{}, {}) is {:?}",
                e.start,
                e.end,
                s.text(&text)
            ));
        }
        // A gold file's don't-care region is no entity: the span is left out, the document kept.
        if e.label == IGNORE {
            continue;
        }
        let label: Label = e.label.parse().map_err(|err| invalid!("{what}: {err}"))?;
        if e.start < last_end {
            return Err(invalid!(
                "{what} [{}, {}) overlaps or precedes the entity before it",
                e.start,
                e.end
            ));
        }
        last_end = e.end;
        let mut entity = Entity::new(
            s,
            label,
            e.score.unwrap_or(1.0),
            e.source.unwrap_or(Source::Model),
        );
        // A rule another version named (renamed or gone since) is left out, not an error: the
        // entity is still the entity.
        entity.rule = e.rule.and_then(|name| {
            nl_ner::rules::RULES
                .iter()
                .map(|r| r.name)
                .find(|known| *known == name)
        });
        doc.entities.push(entity);
        ids.push(e.entity_id);
    }
    if ids.iter().all(Option::is_some) {
        for (e, id) in doc.entities.iter_mut().zip(ids) {
            e.entity_id = id;
        }
    }
    if let Some(list) = line.relations {
        let mut relations = Vec::with_capacity(list.len());
        for (i, r) in list.into_iter().enumerate() {
            relations.push(relation(r, i, doc.entities.len(), &span, &text)?);
        }
        doc.relations = Some(relations);
    }
    let seg = segmenter.segment(&text);
    doc.tokens = seg.tokens;
    doc.sentences = match line.sentences {
        None => seg.sentences,
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            let mut last = 0;
            for (i, [start, end]) in list.into_iter().enumerate() {
                let s = span(start, end, &format!("sentence {}", i + 1))?;
                if start < last {
                    return Err(invalid!(
                        "sentence {} [{start}, {end}) is out of order",
                        i + 1
                    ));
                }
                last = end;
                let first = doc.tokens.partition_point(|t| t.span.char_start < start);
                let past = doc.tokens.partition_point(|t| t.span.char_start < end);
                out.push(Sentence {
                    span: s,
                    tokens: first..past,
                });
            }
            out
        }
    };
    if let Some(d) = line.document_date {
        let date: Date = d
            .date
            .parse()
            .map_err(|e| FormatError::parse("document_date", e))?;
        let rule = dating::RULES
            .iter()
            .map(|r| r.name)
            .chain([dating::INPUT_FIELD_RULE])
            .find(|name| *name == d.rule)
            .ok_or_else(|| invalid!("document_date: unknown rule {:?}", d.rule))?;
        let span = match (d.start, d.end) {
            (Some(start), Some(end)) => Some(span(start, end, "document_date")?),
            (None, None) => None,
            _ => return Err(invalid!("document_date has only one of start and end")),
        };
        doc.date = Some(DocumentDate { date, rule, span });
    }
    doc.text = text;
    doc.extra = line.extra;
    Ok(doc)
}

/// Checks one relation of a line against the entities (`n` of them) and the text: its
/// arguments must be entities of the line, and its role phrase must lie in the text and read
/// as written.
fn relation(
    r: RelationLine,
    i: usize,
    n: usize,
    span: &impl Fn(usize, usize, &str) -> std::result::Result<Span, FormatError>,
    text: &str,
) -> std::result::Result<Relation, FormatError> {
    let what = format!("relation {}", i + 1);
    for (arg, at) in [("head", Some(r.head)), ("tail", r.tail)] {
        if let Some(at) = at.filter(|&at| at >= n) {
            return Err(invalid!(
                "{what}: {arg} {at} is not an entity of the line (it has {n})"
            ));
        }
    }
    let role = match (r.role_start, r.role_end) {
        (Some(start), Some(end)) => {
            let s = span(start, end, &format!("{what}: role"))?;
            if let Some(t) = &r.role
                && t != s.text(text)
            {
                return Err(invalid!(
                    "{what}: role says {t:?} but the text at [{start}, {end}) is {:?}",
                    s.text(text)
                ));
            }
            Some(s)
        }
        (None, None) => None,
        _ => return Err(invalid!("{what}: role_start and role_end go together")),
    };
    Ok(Relation {
        kind: r.kind,
        head: r.head,
        tail: r.tail,
        role,
        score: r.score.unwrap_or(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::jsonl::write_document;

    #[test]
    fn reads_back_what_extract_writes() {
        let text = "De NAVO-top in ’s-Gravenhage.\nPURL en Oekraïne.";
        let mut doc = Document::new("d1", text);
        doc.extra
            .insert("bron".into(), serde_json::json!({"jaar": 2026}));
        for (name, label, id) in [
            ("NAVO", Label::Org, "org:navo"),
            ("’s-Gravenhage", Label::Loc, "loc:den-haag"),
            ("Oekraïne", Label::Loc, "loc:ukraine"),
        ] {
            let at = text.find(name).unwrap();
            doc.entities.push(Entity {
                span: Span::from_bytes(text, at..at + name.len()),
                label,
                score: 0.5,
                source: Source::Gazetteer,
                entity_id: Some(id.into()),
                rule: None,
            });
        }
        // Kept when it is a rule of the registry; left out when another version named it.
        doc.entities[0].rule = Some("law-title");
        let seg = Segmenter::new().segment(text);
        doc.tokens = seg.tokens;
        doc.sentences = seg.sentences;
        let at = text.find("NAVO-top").unwrap() + 5;
        doc.relations = Some(vec![
            Relation {
                kind: RelationType::Role,
                head: 0,
                tail: None,
                role: Some(Span::from_bytes(text, at..at + 3)),
                score: 0.25,
            },
            Relation {
                kind: RelationType::ParticipatesIn,
                head: 2,
                tail: Some(0),
                role: None,
                score: 1.0,
            },
        ]);
        let mut line = Vec::new();
        write_document(&mut line, &doc).unwrap();
        let back: Vec<Document> = AnnotatedReader::new(&line[..], "x.jsonl")
            .map(Result::unwrap)
            .collect();
        assert_eq!(back.len(), 1);
        let got = &back[0];
        assert_eq!(
            (got.id.as_str(), got.text.as_str(), &got.extra),
            (doc.id.as_str(), doc.text.as_str(), &doc.extra)
        );
        assert_eq!(got.entities, doc.entities);
        assert_eq!(got.relations, doc.relations);
        assert!(!got.extra.contains_key("relations"));
        assert_eq!(got.tokens, doc.tokens);
        assert_eq!(got.sentences, doc.sentences);
        let renamed = String::from_utf8(line)
            .unwrap()
            .replace("\"law-title\"", "\"old-rule\"");
        let back = AnnotatedReader::new(renamed.as_bytes(), "x.jsonl")
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(back.entities[0].rule, None);
    }

    #[test]
    fn bad_lines_are_named_and_skipped() {
        let input = "{\"text\":\"EU\",\"entities\":[{\"start\":0,\"end\":3,\"label\":\"ORG\"}]}\n\
                     \n\
                     {\"text\":\"EU\",\"entities\":[{\"start\":0,\"end\":2,\"text\":\"EV\",\"label\":\"ORG\"}]}\n\
                     {\"schema\":2,\"text\":\"EU\",\"entities\":[]}\n\
                     [1]\n\
                     {\"text\":\"EU\",\"entities\":[{\"start\":0,\"end\":2,\"label\":\"ORG\"}],\"relations\":[{\"type\":\"role\",\"head\":1,\"score\":1}]}\n\
                     {\"text\":\"EU\",\"entities\":[{\"start\":0,\"end\":2,\"label\":\"ORG\"}],\"relations\":[{\"type\":\"role\",\"head\":0,\"role\":\"E\",\"role_start\":1,\"role_end\":2}]}\n\
                     {\"text\":\"EU en VS\",\"entities\":[{\"start\":0,\"end\":2,\"label\":\"ORG\"},{\"start\":6,\"end\":8,\"label\":\"LOC\"}]}\n";
        let out: Vec<_> = AnnotatedReader::new(input.as_bytes(), "g.jsonl").collect();
        let errors: Vec<String> = out
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(
            errors[0].starts_with("g.jsonl:1: entity 1 [0, 3) does not fit a text of 2 characters"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("g.jsonl:3: entity 1 says \"EV\""),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].starts_with("g.jsonl:4: schema 2"),
            "{}",
            errors[2]
        );
        assert!(
            errors[3].starts_with("g.jsonl:5: not an nl-ner document"),
            "{}",
            errors[3]
        );
        assert!(
            errors[4].starts_with("g.jsonl:6: relation 1: head 1 is not an entity of the line"),
            "{}",
            errors[4]
        );
        assert!(
            errors[5].starts_with(
                "g.jsonl:7: relation 1: role says \"E\" but the text at [1, 2) is \"U\""
            ),
            "{}",
            errors[5]
        );
        let doc = out.last().unwrap().as_ref().unwrap();
        assert_eq!(doc.id, "g.jsonl:8");
        assert_eq!(doc.relations, None);
        assert!(
            doc.entities.iter().all(|e| e.entity_id.is_none()),
            "no ids in the file"
        );
        assert_eq!(doc.entities[1].span.text(&doc.text), "VS");
        assert_eq!(doc.sentences.len(), 1);
    }

    #[test]
    fn relations_and_the_document_date_read_back_and_are_checked() {
        let ok = r#"{"id":"a","document_date":{"date":"2024-06-03","rule":"place-date-line","start":10,"end":21,"text":"3 juni 2024"},"text":"Den Haag, 3 juni 2024. De minister van Financiën, A.B. Jansen (VVD).","entities":[{"start":50,"end":61,"label":"PER"},{"start":63,"end":66,"label":"ORG"}],"relations":[{"type":"role","head":0,"role":"minister van Financiën","role_start":26,"role_end":48,"score":0.97},{"type":"member_of","head":0,"tail":1,"score":0.96}]}"#;
        let bad = [
            r#"{"text":"EU","entities":[{"start":0,"end":2,"label":"ORG"}],"relations":[{"type":"member_of","head":0,"tail":3,"score":1}]}"#,
            r#"{"text":"EU","entities":[],"document_date":{"date":"2024-02-30","rule":"date-line"}}"#,
            r#"{"text":"EU","entities":[],"document_date":{"date":"2024-02-03","rule":"guess"}}"#,
        ];
        let input = format!("{ok}\n{}\n", bad.join("\n"));
        let out: Vec<_> = AnnotatedReader::new(input.as_bytes(), "r.jsonl").collect();
        let doc = out[0].as_ref().unwrap();
        let date = doc.date.as_ref().unwrap();
        assert_eq!(
            (
                date.date.to_string().as_str(),
                date.rule,
                date.span.unwrap().text(&doc.text)
            ),
            ("2024-06-03", "place-date-line", "3 juni 2024")
        );
        let relations = doc.relations.as_ref().unwrap();
        assert_eq!(relations.len(), 2);
        assert_eq!(
            relations[0].role.unwrap().text(&doc.text),
            "minister van Financiën"
        );
        assert_eq!(
            (relations[1].kind, relations[1].tail),
            (RelationType::MemberOf, Some(1))
        );
        assert!(!doc.extra.contains_key("relations"));
        // Written back, the line is the same.
        let mut line = Vec::new();
        write_document(&mut line, doc).unwrap();
        let back: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(
            back["relations"],
            serde_json::from_str::<serde_json::Value>(ok).unwrap()["relations"]
        );
        assert_eq!(
            back["document_date"],
            serde_json::from_str::<serde_json::Value>(ok).unwrap()["document_date"]
        );
        let errors: Vec<String> = out[1..]
            .iter()
            .map(|r| r.as_ref().err().unwrap().to_string())
            .collect();
        assert!(
            errors[0].starts_with("r.jsonl:2: relation 1: tail 3 is not an entity"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("r.jsonl:3: document_date"),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].starts_with("r.jsonl:4: document_date: unknown rule \"guess\""),
            "{}",
            errors[2]
        );
    }
}
