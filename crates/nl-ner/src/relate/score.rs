//! Scoring relations against gold, as `docs/relations.md` ("Scoring") says.
//!
//! Per document a relation is the triple (type, head, tail or role phrase), counted once. A
//! predicted argument matches a gold one when any mention of the predicted entity in the document
//! (the mentions sharing its `entity_id`) has the key of the gold surface form: the slug, and for
//! a person the surname with its particles (`link::key::surname_key`). A role phrase
//! matches on [`super::role_key`]. Precision, recall and F1 are micro-averaged over the types and
//! reported per type.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Serialize;

use super::{RelationType, role_key};
use crate::doc::{Document, Label};
use crate::link::key::{slug, surname_key};
use crate::score::Counts;

/// One gold relation of a document, by the surface forms of its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRelation {
    /// Its type.
    pub kind: RelationType,
    /// The head entity's surface form and label.
    pub head: (String, Label),
    /// The tail entity's surface form and label, if any.
    pub tail: Option<(String, Label)>,
    /// The role phrase (role only).
    pub role: Option<String>,
}

/// A gold document for training or scoring: segmented text with its gold entities (linked, so that the
/// mentions of one entity share an id) and its gold relations.
pub struct RelationExample {
    /// The document, with tokens, sentences and entities.
    pub doc: Document,
    /// Its gold relations.
    pub gold: Vec<GoldRelation>,
}

/// The key of an argument's surface form.
pub(crate) fn arg_key(text: &str, label: Label) -> String {
    if label == Label::Per {
        surname_key(text)
    } else {
        slug(text)
    }
}

/// What a relation is compared on: type, head key, and the tail's key or the role's.
type Triple = (RelationType, String, String);

fn gold_triple(g: &GoldRelation) -> Triple {
    let other = match (g.kind, &g.role, &g.tail) {
        (RelationType::Role, Some(role), _) => role_key(role),
        (_, _, Some((t, l))) => arg_key(t, *l),
        _ => String::new(),
    };
    (g.kind, arg_key(&g.head.0, g.head.1), other)
}

/// Counts per relation type, over documents.
#[derive(Clone, Debug, Default)]
pub struct RelationEvaluator {
    counts: BTreeMap<RelationType, Counts>,
}

impl RelationEvaluator {
    /// An evaluator with nothing counted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scores one document's predicted relations ([`Document::relations`]) against its gold.
    pub fn add(&mut self, doc: &Document, gold: &[GoldRelation]) {
        // Every key of each predicted entity: the keys of all mentions with its id.
        let keys_of = |i: usize| -> HashSet<String> {
            let e = &doc.entities[i];
            let same: Vec<&crate::doc::Entity> = match &e.entity_id {
                Some(id) => doc
                    .entities
                    .iter()
                    .filter(|o| o.entity_id.as_deref() == Some(id))
                    .collect(),
                None => vec![e],
            };
            same.into_iter()
                .map(|m| arg_key(m.span.text(&doc.text), m.label))
                .collect()
        };
        let mut golds: Vec<Triple> = Vec::new();
        for g in gold {
            let t = gold_triple(g);
            if !golds.contains(&t) {
                golds.push(t);
            }
        }
        let mut matched = vec![false; golds.len()];
        let mut seen_pred: HashSet<(RelationType, Vec<String>, Vec<String>)> = HashSet::new();
        for r in doc.relations.iter().flatten() {
            let mut head: Vec<String> = keys_of(r.head).into_iter().collect();
            head.sort();
            let mut other: Vec<String> = match (r.kind, r.role, r.tail) {
                (RelationType::Role, Some(role), _) => vec![role_key(role.text(&doc.text))],
                (_, _, Some(t)) => keys_of(t).into_iter().collect(),
                _ => vec![String::new()],
            };
            other.sort();
            if !seen_pred.insert((r.kind, head.clone(), other.clone())) {
                continue; // the same fact twice
            }
            let c = self.counts.entry(r.kind).or_default();
            let hit = golds.iter().enumerate().position(|(i, (k, h, o))| {
                !matched[i] && *k == r.kind && head.contains(h) && other.contains(o)
            });
            match hit {
                Some(i) => {
                    matched[i] = true;
                    c.tp += 1;
                }
                None => c.fp += 1,
            }
        }
        for (i, (k, _, _)) in golds.iter().enumerate() {
            if !matched[i] {
                self.counts.entry(*k).or_default().r#fn += 1;
            }
        }
    }

    /// The scores so far.
    pub fn scores(&self) -> RelationScores {
        let mut micro = Counts::default();
        let mut per_type = BTreeMap::new();
        for t in RelationType::ALL {
            let c = self.counts.get(&t).cloned().unwrap_or_default();
            micro.tp += c.tp;
            micro.fp += c.fp;
            micro.r#fn += c.r#fn;
            per_type.insert(t.as_str().to_string(), c);
        }
        RelationScores { per_type, micro }
    }
}

/// Relation scores per type and micro-averaged.
#[derive(Clone, Debug, Serialize)]
pub struct RelationScores {
    /// Counts per type name.
    pub per_type: BTreeMap<String, Counts>,
    /// Over all types.
    pub micro: Counts,
}

impl fmt::Display for RelationScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::score::write_header(f, "relation", 16)?;
        for (name, c) in &self.per_type {
            c.write_row(f, name, 16)?;
            writeln!(f)?;
        }
        self.micro.write_row(f, "micro", 16)?;
        writeln!(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Source, Span};
    use crate::relate::Relation;

    #[test]
    fn a_surname_matches_the_full_name_and_a_fact_counts_once() {
        let text =
            "De minister van Defensie,\nD. Yeşilgöz-Zegerius. Minister Yeşilgöz-Zegerius sprak.";
        let mut doc = Document::new("d", text);
        let first = text.find("Yeşilgöz").unwrap();
        let second = text.rfind("Yeşilgöz").unwrap();
        let len = "Yeşilgöz-Zegerius".len();
        for at in [first, second] {
            let mut e = Entity::new(
                Span::from_bytes(text, at..at + len),
                Label::Per,
                1.0,
                Source::Model,
            );
            e.entity_id = Some("per:yesilgoz-zegerius".into());
            doc.entities.push(e);
        }
        let role = |at: usize, s: &str| Some(Span::from_bytes(text, at..at + s.len()));
        doc.relations = Some(vec![
            Relation {
                kind: RelationType::Role,
                head: 0,
                tail: None,
                role: role(text.find("minister").unwrap(), "minister van Defensie"),
                score: 0.9,
            },
            Relation {
                kind: RelationType::Role,
                head: 1,
                tail: None,
                role: role(text.find("Minister").unwrap(), "Minister"),
                score: 0.9,
            },
        ]);
        let gold = [GoldRelation {
            kind: RelationType::Role,
            head: ("D. Yeşilgöz-Zegerius".into(), Label::Per),
            tail: None,
            role: Some("De minister van Defensie".into()),
        }];
        let mut ev = RelationEvaluator::new();
        ev.add(&doc, &gold);
        let s = ev.scores();
        assert_eq!((s.micro.tp, s.micro.fp, s.micro.r#fn), (1, 1, 0), "{s}");
    }
}
