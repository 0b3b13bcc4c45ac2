//! Relations between a document's entities: who holds which office (`role`), who belongs to which
//! party (`member_of`), which organisation or country takes part in which initiative
//! (`participates_in`). The stage after linking (`read → … → domain → link → relate → write`).
//!
//! Two parts, as for entities: [`rules`] for the formulaic cases (signature blocks, a role word
//! before or after a name, a party in brackets or in a compound), and a classifier over entity
//! pairs ([`PairClassifier`], trained in Rust on the relation gold) for what is said in free
//! prose. Each relation carries a score. The guideline is `docs/relations.md`.
//!
//! ```
//! use nl_ner::relate::{RelationType, Relater};
//! use nl_ner::{Document, Entity, Label, Source, Span};
//!
//! let text = "De minister van Defensie,\nD. Yeşilgöz-Zegerius";
//! let mut doc = Document::new("d", text);
//! let at = text.find("Yeşilgöz").unwrap();
//! doc.entities.push(Entity::new(Span::from_bytes(text, at..text.len()), Label::Per, 1.0, Source::Model));
//! Relater::rules_only().relate(&mut doc);
//! let r = &doc.relations.as_ref().unwrap()[0];
//! assert_eq!(r.kind, RelationType::Role);
//! assert_eq!(r.role.unwrap().text(text), "minister van Defensie");
//! ```

mod classifier;
pub mod party;
pub mod rules;
pub mod score;
#[cfg(feature = "train")]
pub mod train;

use std::collections::HashMap;

pub use classifier::{Candidate, PairClassifier, candidates};
// The relation types and a document's relations are part of the document model (`doc`), so
// that the corpus's entity table (`link::table`) reads them without depending on this stage.
pub use crate::doc::{Relation, RelationType};
/// The key of a role phrase (defined beside the other keys, in `link::key`).
pub use crate::link::key::role_key;

use crate::doc::Document;
use crate::error::Result;

/// The relation stage: rules, then the pair classifier, then one relation per fact.
#[derive(Clone, Debug)]
pub struct Relater {
    rules: bool,
    classifier: Option<PairClassifier>,
}

impl Relater {
    /// The rules and the shipped classifier (`models/relations/classifier.json`).
    pub fn new() -> Result<Self> {
        Ok(Relater::with_classifier(PairClassifier::embedded()?))
    }

    /// The rules alone, without the classifier.
    pub fn rules_only() -> Self {
        Relater {
            rules: true,
            classifier: None,
        }
    }

    /// The rules and another classifier (one `nl-ner train-relations` wrote).
    pub fn with_classifier(classifier: PairClassifier) -> Self {
        Relater {
            rules: true,
            classifier: Some(classifier),
        }
    }

    /// The classifier alone, without the rules (for measuring each part).
    pub fn classifier_only(classifier: PairClassifier) -> Self {
        Relater {
            rules: false,
            classifier: Some(classifier),
        }
    }

    /// Fills [`Document::relations`] from the document's linked entities.
    pub fn relate(&self, doc: &mut Document) {
        let mut found = if self.rules {
            rules::find(doc)
        } else {
            Vec::new()
        };
        if let Some(c) = &self.classifier {
            let covered: Vec<(RelationType, usize, usize)> = found
                .iter()
                .filter_map(|r| Some((r.kind, r.head, r.tail?)))
                .collect();
            for cand in candidates(doc) {
                if covered.contains(&(cand.kind, cand.head, cand.tail)) {
                    continue;
                }
                let p = c.probability(doc, &cand);
                if p >= c.threshold_for(cand.kind) {
                    found.push(Relation {
                        kind: cand.kind,
                        head: cand.head,
                        tail: Some(cand.tail),
                        role: None,
                        score: p,
                    });
                }
            }
        }
        doc.relations = Some(once_per_fact(doc, found));
    }
}

/// Each fact once per document (`docs/relations.md`, rule 4): relations with the same type, head
/// entity, and tail entity or role phrase are one; the highest score is kept (the first on a
/// tie). The result is sorted by head, type, then tail or role position, so the output does not
/// depend on the order the parts found them.
fn once_per_fact(doc: &Document, found: Vec<Relation>) -> Vec<Relation> {
    let id = |i: usize| {
        doc.entities[i]
            .entity_id
            .clone()
            .unwrap_or_else(|| crate::link::key::slug(doc.entities[i].span.text(&doc.text)))
    };
    let mut best: HashMap<(RelationType, String, String), Relation> = HashMap::new();
    let mut order = Vec::new();
    for r in found {
        let other = match (r.tail, r.role) {
            (Some(t), _) if r.kind != RelationType::Role => id(t),
            (_, Some(role)) => role_key(role.text(&doc.text)),
            (Some(t), None) => id(t),
            (None, None) => String::new(),
        };
        let key = (r.kind, id(r.head), other);
        match best.get_mut(&key) {
            Some(kept) if kept.score >= r.score => {}
            Some(kept) => *kept = r,
            None => {
                order.push(key.clone());
                best.insert(key, r);
            }
        }
    }
    let mut out: Vec<Relation> = order.into_iter().filter_map(|k| best.remove(&k)).collect();
    out.sort_by_key(|r| {
        (
            r.head,
            r.kind,
            r.tail.unwrap_or(usize::MAX),
            r.role.map_or(0, |s| s.char_start),
        )
    });
    out
}

/// Documents for the stage's tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::doc::{Document, Entity, Label, Source, Span};

    /// A segmented document with the given entities, each `(surface, label)` found left to right,
    /// linked as the pipeline links them (so that a party has its register id).
    pub(crate) fn doc(text: &str, names: &[(&str, Label)]) -> Document {
        let mut d = Document::new("t", text);
        let seg = crate::segment::Segmenter::new().segment(text);
        (d.tokens, d.sentences) = (seg.tokens, seg.sentences);
        let mut from = 0;
        for (name, label) in names {
            let at = from + text[from..].find(name).expect(name);
            d.entities.push(Entity::new(
                Span::from_bytes(text, at..at + name.len()),
                *label,
                1.0,
                Source::Model,
            ));
            from = at + name.len();
        }
        crate::Linker::new(&crate::Gazetteer::builtin().unwrap()).link(&mut d);
        d
    }
}
