//! Relation gold files (`corpus/gold/relations/*.jsonl`, written by `scripts/gold/relations.py`):
//! per document its relations, each argument an entity of the document's entity gold, given by
//! offsets, text and label. The format and its rules: `docs/relations.md`.
//!
//! ```json
//! {"id": "corpus/letters/x.txt", "relations": [{"type": "role",
//!   "head": {"start": 12, "end": 19, "text": "Brekelmans", "label": "PER"},
//!   "role": "minister van Defensie", "role_start": 0, "role_end": 21}]}
//! ```
//!
//! Every line is checked: a known type, the labels the type allows for head and tail, a tail
//! where the type needs one, a role phrase on a role; with the entity gold at hand
//! ([`check_against`]) also that each argument's offsets lie in the text and hold its text.
//! An error names the file, the line and the relation.

use std::path::{Path, PathBuf};

use nl_ner::Label;
use nl_ner::relate::RelationType;
use nl_ner::relate::score::GoldRelation;
use nl_ner::{Error, Result};
use serde::Deserialize;

use crate::gold::GoldDoc;

/// One document's relation gold.
#[derive(Clone, Debug)]
pub struct RelationGoldDoc {
    /// The document's id, as in the entity gold.
    pub id: String,
    /// Where it was read (`file`, line).
    pub at: (PathBuf, usize),
    /// Its relations, with their arguments' offsets (code points).
    pub relations: Vec<(GoldRelation, GoldArgs)>,
}

/// Where a gold relation's arguments lie, in code points.
#[derive(Clone, Debug, Default)]
pub struct GoldArgs {
    /// The head's offsets.
    pub head: (usize, usize),
    /// The tail's offsets, if any.
    pub tail: Option<(usize, usize)>,
    /// The role phrase's offsets, if any.
    pub role: Option<(usize, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: String,
    relations: Vec<RawRelation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    #[serde(rename = "type")]
    kind: String,
    head: RawArg,
    tail: Option<RawArg>,
    role: Option<String>,
    role_start: Option<usize>,
    role_end: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArg {
    start: usize,
    end: usize,
    text: String,
    label: Label,
}

/// The labels a type allows for its head and its tail.
fn allowed(kind: RelationType) -> (&'static [Label], &'static [Label]) {
    match kind {
        RelationType::Role => (&[Label::Per], &[Label::Org, Label::Loc]),
        RelationType::MemberOf => (&[Label::Per], &[Label::Org]),
        _ => (&[Label::Org, Label::Loc], &[Label::Initiative]),
    }
}

/// Reads a relation gold file, checking every relation.
pub fn read(path: &Path) -> Result<Vec<RelationGoldDoc>> {
    let bytes = nl_ner::files::read_regular_file(path, 1 << 30).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let data = |reason: String| Error::Data {
            path: path.to_path_buf(),
            line: i + 1,
            reason,
        };
        let raw: Line = serde_json::from_slice(line)
            .map_err(|e| data(format!("not a relation gold line: {e}")))?;
        let mut relations = Vec::with_capacity(raw.relations.len());
        for (n, r) in raw.relations.into_iter().enumerate() {
            let bad = |what: String| data(format!("relation {}: {what}", n + 1));
            let kind: RelationType = r.kind.parse().map_err(bad)?;
            let (heads, tails) = allowed(kind);
            if !heads.contains(&r.head.label) {
                return Err(bad(format!(
                    "a {} starts at {heads:?}, not at {:?} {:?}",
                    kind.as_str(),
                    r.head.label,
                    r.head.text
                )));
            }
            if let Some(t) = &r.tail
                && !tails.contains(&t.label)
            {
                return Err(bad(format!(
                    "a {} ends at {tails:?}, not at {:?} {:?}",
                    kind.as_str(),
                    t.label,
                    t.text
                )));
            }
            if kind != RelationType::Role && r.tail.is_none() {
                return Err(bad(format!("a {} needs a tail", kind.as_str())));
            }
            let role = match (kind, r.role, r.role_start, r.role_end) {
                (RelationType::Role, Some(phrase), Some(s), Some(e)) if s < e => {
                    Some((phrase, (s, e)))
                }
                (RelationType::Role, ..) => {
                    return Err(bad("a role needs `role`, `role_start` < `role_end`".into()));
                }
                (_, None, None, None) => None,
                _ => return Err(bad(format!("a {} has no role phrase", kind.as_str()))),
            };
            for arg in std::iter::once(&r.head).chain(&r.tail) {
                if arg.start >= arg.end || arg.text.chars().count() != arg.end - arg.start {
                    return Err(bad(format!(
                        "{:?} at {}..{}: offsets do not fit its text",
                        arg.text, arg.start, arg.end
                    )));
                }
            }
            relations.push((
                GoldRelation {
                    kind,
                    head: (r.head.text, r.head.label),
                    tail: r.tail.as_ref().map(|t| (t.text.clone(), t.label)),
                    role: role.as_ref().map(|(p, _)| p.clone()),
                },
                GoldArgs {
                    head: (r.head.start, r.head.end),
                    tail: r.tail.map(|t| (t.start, t.end)),
                    role: role.map(|(_, at)| at),
                },
            ));
        }
        out.push(RelationGoldDoc {
            id: raw.id,
            at: (path.to_path_buf(), i + 1),
            relations,
        });
    }
    Ok(out)
}

/// Checks a document's relation gold against its entity gold: every argument's offsets lie in the
/// text and hold its text, every head and tail is one of the gold entities.
pub fn check_against(gold: &RelationGoldDoc, doc: &GoldDoc) -> Result<()> {
    let chars: Vec<(usize, char)> = doc.text.char_indices().collect();
    let slice = |(s, e): (usize, usize)| -> Option<String> {
        (e <= chars.len()).then(|| chars[s..e].iter().map(|(_, c)| c).collect())
    };
    for (n, (rel, args)) in gold.relations.iter().enumerate() {
        let bad = |what: String| Error::Data {
            path: gold.at.0.clone(),
            line: gold.at.1,
            reason: format!("relation {}: {what}", n + 1),
        };
        let mut pairs = vec![(args.head, &rel.head.0, Some(rel.head.1))];
        if let (Some(at), Some((t, l))) = (args.tail, &rel.tail) {
            pairs.push((at, t, Some(*l)));
        }
        if let (Some(at), Some(p)) = (args.role, &rel.role) {
            pairs.push((at, p, None));
        }
        for ((s, e), text, label) in pairs {
            if slice((s, e)).as_deref() != Some(text.as_str()) {
                return Err(bad(format!(
                    "{text:?} is not at {s}..{e} of document {:?}",
                    gold.id
                )));
            }
            if let Some(label) = label
                && !doc
                    .entities
                    .iter()
                    .any(|(r, l)| r.start == s && r.end == e && *l == label)
            {
                return Err(bad(format!(
                    "{text:?} at {s}..{e} is no gold {label:?} of document {:?}",
                    gold.id
                )));
            }
        }
    }
    Ok(())
}

/// Training or scoring examples: every document of the relation gold files with its entity gold
/// (found by id in `entity_gold`), checked against it, segmented, its gold entities linked as the
/// pipeline links (so mentions of one entity share an id).
pub fn examples(
    entity_gold: &[PathBuf],
    relation_gold: &[PathBuf],
) -> Result<Vec<nl_ner::relate::score::RelationExample>> {
    use nl_ner::{Document, Entity, Source, Span};
    let mut docs = std::collections::HashMap::new();
    for p in entity_gold {
        for d in crate::gold::read_jsonl(p)? {
            docs.insert(d.id.clone(), d);
        }
    }
    let segmenter = nl_ner::segment::Segmenter::new();
    let linker = nl_ner::Linker::new(&nl_ner::Gazetteer::builtin()?);
    let mut out = Vec::new();
    for p in relation_gold {
        for g in read(p)? {
            let gold_doc = docs.get(&g.id).ok_or_else(|| Error::Data {
                path: g.at.0.clone(),
                line: g.at.1,
                reason: format!("document {:?} is in none of the entity gold files", g.id),
            })?;
            check_against(&g, gold_doc)?;
            let mut doc = Document::new(g.id.clone(), gold_doc.text.clone());
            let seg = segmenter.segment(&doc.text);
            doc.tokens = seg.tokens;
            doc.sentences = seg.sentences;
            let byte_at: Vec<usize> = doc
                .text
                .char_indices()
                .map(|(b, _)| b)
                .chain([doc.text.len()])
                .collect();
            let mut ents: Vec<Entity> = gold_doc
                .entities
                .iter()
                .map(|(r, l)| {
                    Entity::new(
                        Span::from_bytes(&doc.text, byte_at[r.start]..byte_at[r.end]),
                        *l,
                        1.0,
                        Source::Model,
                    )
                })
                .collect();
            ents.sort_by_key(|e| e.span);
            doc.entities = ents;
            linker.link(&mut doc);
            out.push(nl_ner::relate::score::RelationExample {
                doc,
                gold: g.relations.into_iter().map(|(r, _)| r).collect(),
            });
        }
    }
    Ok(out)
}

/// Scores the relation stage alone against relation gold: on each document's gold entities (linked,
/// as [`examples`] gives them) instead of the entities a pipeline finds, so that entity errors do not
/// count against the relations.
pub fn score_on_gold_entities(
    relater: &nl_ner::relate::Relater,
    entity_gold: &[PathBuf],
    relation_gold: &[PathBuf],
) -> Result<nl_ner::relate::score::RelationScores> {
    let mut ev = nl_ner::relate::score::RelationEvaluator::new();
    for mut ex in examples(entity_gold, relation_gold)? {
        relater.relate(&mut ex.doc);
        ev.add(&ex.doc, &ex.gold);
    }
    Ok(ev.scores())
}

/// Scores a pipeline's relations against relation gold: every document of `relation_gold` (its
/// text from `entity_gold`, found by id) is annotated by `pipeline` from its text alone, and its
/// relations are compared with the gold as `docs/relations.md` ("Scoring") says. Documents are
/// annotated in parallel and counted in file order.
pub fn score(
    pipeline: &nl_ner::Pipeline,
    entity_gold: &[PathBuf],
    relation_gold: &[PathBuf],
) -> Result<nl_ner::relate::score::RelationScores> {
    use rayon::prelude::*;
    let examples = examples(entity_gold, relation_gold)?;
    let annotated: Vec<Result<nl_ner::Document>> = examples
        .par_iter()
        .map(|ex| {
            let mut doc = nl_ner::Document::new(ex.doc.id.clone(), ex.doc.text.clone());
            pipeline.annotate(&mut doc)?;
            Ok(doc)
        })
        .collect();
    let mut ev = nl_ner::relate::score::RelationEvaluator::new();
    for (ex, doc) in examples.iter().zip(annotated) {
        ev.add(&doc?, &ex.gold);
    }
    Ok(ev.scores())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Vec<RelationGoldDoc>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.jsonl");
        std::fs::write(&p, text).unwrap();
        read(&p)
    }

    #[test]
    fn bad_relations_are_errors_naming_line_and_relation() {
        let head = r#"{"start":0,"end":6,"text":"Jansen","label":"PER"}"#;
        let org = r#"{"start":8,"end":11,"text":"VVD","label":"ORG"}"#;
        let good = format!(
            r#"{{"id":"d","relations":[{{"type":"member_of","head":{head},"tail":{org}}}]}}"#
        );
        assert_eq!(read_str(&good).unwrap()[0].relations.len(), 1);
        for (line, want) in [
            (
                format!(
                    r#"{{"id":"d","relations":[{{"type":"likes","head":{head},"tail":{org}}}]}}"#
                ),
                "relation 1: unknown relation type",
            ),
            (
                format!(
                    r#"{{"id":"d","relations":[{{"type":"participates_in","head":{head},"tail":{org}}}]}}"#
                ),
                "relation 1: a participates_in starts at",
            ),
            (
                format!(r#"{{"id":"d","relations":[{{"type":"member_of","head":{head}}}]}}"#),
                "relation 1: a member_of needs a tail",
            ),
            (
                format!(r#"{{"id":"d","relations":[{{"type":"role","head":{head}}}]}}"#),
                "relation 1: a role needs",
            ),
        ] {
            let text = format!("{good}\n{line}\n");
            let err = read_str(&text).unwrap_err().to_string();
            assert!(err.contains(":2: ") && err.contains(want), "{err}");
        }
    }
}
