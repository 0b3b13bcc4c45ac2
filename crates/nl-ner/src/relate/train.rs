//! Training the pair classifier on relation gold (feature `train`).
//!
//! Every candidate pair of a gold document's gold entities ([`candidates`]) is an example: a
//! relation when the document's gold has that type between the two arguments' keys, none
//! otherwise. `crfs` trains a maximum-entropy model on them: examples are handed over as
//! one-item stretches of long sequences with a separator item between them (labelled `sep`, with
//! one attribute of its own), as the CRF's trainer does with sentences, because `crfs` does work
//! proportional to the number of features for every sequence it sees. The separator makes the
//! items independent, so the model is a plain classifier plus a bias, which the transition weights
//! into and out of the separator carry. Each type's threshold is chosen on the dev documents.

use std::collections::HashMap;
use std::time::Instant;

use crfs::Attribute;

use super::classifier::{Candidate, PairClassifier, candidates, features};
use super::score::{GoldRelation, RelationEvaluator, RelationExample, arg_key as key};
use super::{Relater, RelationType};
use crate::doc::Document;
use crate::error::{Error, Result};
use crate::model::crf::train::crfs_features;

/// Settings of a training run.
#[derive(Clone, Debug)]
pub struct RelationTrainConfig {
    /// L1 penalty.
    pub c1: f64,
    /// L2 penalty.
    pub c2: f64,
    /// Upper bound on L-BFGS iterations.
    pub max_iterations: usize,
}

impl Default for RelationTrainConfig {
    fn default() -> Self {
        RelationTrainConfig {
            c1: 0.05,
            c2: 0.01,
            max_iterations: 200,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug)]
pub struct RelationTrainReport {
    /// The trained classifier.
    pub classifier: PairClassifier,
    /// Training examples (candidate pairs) and how many were relations.
    pub examples: usize,
    /// Of those, relations.
    pub positives: usize,
    /// Features with a non-zero weight.
    pub features: usize,
    /// Seconds in the optimiser.
    pub seconds: f64,
    /// The classifier's micro F1 on dev with the thresholds chosen there (`None` without dev).
    pub dev_f1: Option<f64>,
}

/// Whether the gold states the candidate's relation.
fn is_gold(doc: &Document, c: &Candidate, gold: &[GoldRelation]) -> bool {
    let h = &doc.entities[c.head];
    let t = &doc.entities[c.tail];
    let (hk, tk) = (
        key(h.span.text(&doc.text), h.label),
        key(t.span.text(&doc.text), t.label),
    );
    gold.iter().any(|g| {
        g.kind == c.kind
            && key(&g.head.0, g.head.1) == hk
            && g.tail.as_ref().is_some_and(|(s, l)| key(s, *l) == tk)
    })
}

/// Trains on `train`, chooses each type's threshold on `dev` (if any), and returns the classifier.
pub fn train(
    train: &[RelationExample],
    dev: &[RelationExample],
    config: &RelationTrainConfig,
    provenance: serde_json::Value,
) -> Result<RelationTrainReport> {
    let crfs_err = |source: std::io::Error| Error::Trainer {
        path: "relation classifier".into(),
        source,
    };
    let mut trainer = crfs::Trainer::lbfgs();
    let params = trainer.params_mut();
    params.set_c1(config.c1).map_err(crfs_err)?;
    params.set_c2(config.c2).map_err(crfs_err)?;
    params
        .set_max_iterations(config.max_iterations.max(1))
        .map_err(crfs_err)?;
    let sep = || vec![Attribute::new("__sep__", 1.0)];
    let (mut xseq, mut yseq): (Vec<Vec<Attribute>>, Vec<String>) =
        (vec![sep()], vec!["sep".into()]);
    let (mut examples, mut positives) = (0, 0);
    for ex in train {
        for c in candidates(&ex.doc) {
            let yes = is_gold(&ex.doc, &c, &ex.gold);
            xseq.push(
                features(&ex.doc, &c)
                    .into_iter()
                    .map(|f| Attribute::new(f, 1.0))
                    .collect(),
            );
            yseq.push(if yes { "yes" } else { "no" }.into());
            xseq.push(sep());
            yseq.push("sep".into());
            examples += 1;
            positives += usize::from(yes);
            if xseq.len() >= 4000 {
                trainer.append(&xseq, &yseq).map_err(crfs_err)?;
                (xseq, yseq) = (vec![sep()], vec!["sep".into()]);
            }
        }
    }
    if xseq.len() > 1 {
        trainer.append(&xseq, &yseq).map_err(crfs_err)?;
    }
    if positives == 0 || positives == examples {
        return Err(Error::Model {
            path: "relation classifier".into(),
            reason: format!(
                "{positives} of {examples} training pairs are relations: nothing to learn"
            ),
        });
    }
    let tmp = tempfile::NamedTempFile::new().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let started = Instant::now();
    trainer.train(tmp.path()).map_err(crfs_err)?;
    let seconds = started.elapsed().as_secs_f64();
    let raw = std::fs::read(tmp.path()).map_err(|e| Error::io(tmp.path(), e))?;
    let (model, feats) = crfs_features(&raw).map_err(|e| Error::Model {
        path: "relation classifier".into(),
        reason: format!("reading the crfs model: {}", e.report()),
    })?;
    let label = |name: &str| model.to_label_id(name);
    let (yes, no, sepl) = (label("yes"), label("no"), label("sep"));
    let mut weights: HashMap<String, f32> = HashMap::new();
    let mut bias = 0.0f64;
    for f in &feats {
        let sign = if Some(f.target) == yes {
            1.0
        } else if Some(f.target) == no {
            -1.0
        } else {
            0.0
        };
        match f.kind {
            0 if sign != 0.0 => {
                if let Some(name) = model.to_attr(f.source) {
                    *weights.entry(name.to_string()).or_default() += (sign * f.weight) as f32;
                }
            }
            // Into and out of the separator: the classifier's bias.
            1 if Some(f.source) == sepl && sign != 0.0 => bias += sign * f.weight,
            1 if Some(f.target) == sepl => {
                if Some(f.source) == yes {
                    bias += f.weight
                } else if Some(f.source) == no {
                    bias -= f.weight
                }
            }
            _ => {}
        }
    }
    weights.retain(|_, w| *w != 0.0);
    weights.insert("__bias__".into(), bias as f32);
    let n_features = weights.len();
    let mut classifier = PairClassifier::new(weights, 0.5, provenance);
    let mut dev_f1 = None;
    if !dev.is_empty() {
        // Each type its own threshold: member_of and participates_in differ in how often a
        // candidate is a relation. On a tie the one nearest 0.5 wins (dev is small).
        for kind in [RelationType::MemberOf, RelationType::ParticipatesIn] {
            let mut best = (f64::MIN, 0.5f32);
            for step in 2..=8 {
                let threshold = step as f32 / 10.0;
                let trial = classifier.clone().with_type_threshold(kind, threshold);
                let f1 = score(dev, &Relater::classifier_only(trial), Some(kind));
                let nearer = (threshold - 0.5).abs() < (best.1 - 0.5).abs();
                if f1 > best.0 || f1 == best.0 && nearer {
                    best = (f1, threshold);
                }
            }
            classifier = classifier.with_type_threshold(kind, best.1);
        }
        dev_f1 = Some(score(
            dev,
            &Relater::classifier_only(classifier.clone()),
            None,
        ));
    }
    Ok(RelationTrainReport {
        classifier,
        examples,
        positives,
        features: n_features,
        seconds,
        dev_f1,
    })
}

/// Micro F1 over the classifier's types (member_of, participates_in), or F1 of one of them, on
/// gold documents.
fn score(docs: &[RelationExample], relater: &Relater, only: Option<RelationType>) -> f64 {
    let mut ev = RelationEvaluator::new();
    for ex in docs {
        let mut doc = ex.doc.clone();
        relater.relate(&mut doc);
        let gold: Vec<GoldRelation> = ex
            .gold
            .iter()
            .filter(|g| g.kind != RelationType::Role && only.is_none_or(|k| g.kind == k))
            .cloned()
            .collect();
        if let Some(k) = only
            && let Some(found) = doc.relations.as_mut()
        {
            found.retain(|r| r.kind == k);
        }
        ev.add(&doc, &gold);
    }
    ev.scores().micro.f1()
}
