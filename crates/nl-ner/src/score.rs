//! Entity-level, strict evaluation: precision, recall and F1 per label and micro-averaged.
//!
//! An entity counts as correct only when gold and prediction agree on its start, its end and its
//! label. On IOB sequences this gives the numbers of CoNLL's `conlleval` script: chunks are read
//! the same way (an `I-X` that does not continue an `X` chunk opens a new one), and the overall
//! line is the micro average over the labels scored. On span files (JSONL gold) a gold region
//! marked `IGNORE` (and, for the headline score, every gold MISC span) is a don't-care region: a
//! prediction overlapping it counts neither for nor against.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::doc::{Label, Tag};
use crate::doc::{LabelledSpan, chunks};

/// True positives, false positives and false negatives for one label. In JSON (`eval --json`)
/// also its `precision`, `recall` and `f1`, in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted entities that match a gold entity exactly.
    pub tp: usize,
    /// Predicted entities with no exact gold match.
    pub fp: usize,
    /// Gold entities with no exact predicted match.
    pub r#fn: usize,
}

/// The header of a score table whose first column (`label`, `relation`) is `width` wide.
pub(crate) fn write_header(f: &mut fmt::Formatter<'_>, first: &str, width: usize) -> fmt::Result {
    writeln!(
        f,
        "{first:<width$} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "precision", "recall", "F1", "tp", "fp", "fn"
    )
}

impl Counts {
    /// One row of a score table (without its line end): name, precision, recall, F1 and counts.
    pub(crate) fn write_row(
        &self,
        f: &mut fmt::Formatter<'_>,
        name: &str,
        width: usize,
    ) -> fmt::Result {
        write!(
            f,
            "{name:<width$} {:>8.2}% {:>8.2}% {:>9.2} {:>7} {:>7} {:>7}",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.r#fn
        )
    }

    /// Precision in percent (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        pct(self.tp, self.tp + self.fp)
    }

    /// Recall in percent (0 when there is no gold entity).
    pub fn recall(&self) -> f64 {
        pct(self.tp, self.tp + self.r#fn)
    }

    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.r#fn += other.r#fn;
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Counts", 6)?;
        st.serialize_field("tp", &self.tp)?;
        st.serialize_field("fp", &self.fp)?;
        st.serialize_field("fn", &self.r#fn)?;
        st.serialize_field("precision", &self.precision())?;
        st.serialize_field("recall", &self.recall())?;
        st.serialize_field("f1", &self.f1())?;
        st.end()
    }
}

fn pct(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

/// The names a model could have learnt by heart: every gazetteer form and every entity of the
/// training data, under a normalised key (case, diacritics, hyphens and white space folded).
///
/// A gold entity whose key is not here is an *unseen name*; recall on those says whether a
/// model generalises beyond its lists and training data.
#[derive(Clone, Debug, Default)]
pub struct SeenNames {
    keys: HashSet<String>,
}

impl SeenNames {
    /// Records a name as seen.
    pub fn insert(&mut self, name: &str) {
        self.keys.insert(crate::link::key::slug(name));
    }

    /// Whether a name with this normalised form was seen.
    pub fn contains(&self, name: &str) -> bool {
        self.keys.contains(&crate::link::key::slug(name))
    }

    /// Number of distinct normalised names.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no name was recorded.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Accumulates counts over many sentences or documents.
#[derive(Clone, Debug, Default)]
pub struct Evaluator {
    counts: BTreeMap<Label, Counts>,
    /// Recall counts (tp, fn) over gold entities whose name was not seen.
    unseen: BTreeMap<Label, Counts>,
    scored: Option<Vec<Label>>,
    tokens: usize,
    tokens_correct: usize,
}

impl Evaluator {
    /// An evaluator that scores every label it meets (as `conlleval` does).
    pub fn new() -> Self {
        Self::default()
    }

    /// An evaluator that scores only `labels`; entities of other labels are left out on both sides.
    pub fn only(labels: &[Label]) -> Self {
        Evaluator {
            scored: Some(labels.to_vec()),
            ..Self::default()
        }
    }

    /// Whether entities of `label` are scored.
    pub fn is_scored(&self, label: Label) -> bool {
        self.scored.as_ref().is_none_or(|s| s.contains(&label))
    }

    /// Adds one sentence of gold and predicted IOB tags (same length).
    pub fn add_tags(&mut self, gold: &[Tag], pred: &[Tag]) {
        self.add_tags_unseen(gold, pred, &[]);
    }

    /// As [`Evaluator::add_tags`], with unseen-name flags for the gold chunks (in order).
    pub fn add_tags_unseen(&mut self, gold: &[Tag], pred: &[Tag], unseen: &[bool]) {
        assert_eq!(
            gold.len(),
            pred.len(),
            "gold and predicted sequences differ in length"
        );
        self.tokens += gold.len();
        self.tokens_correct += gold.iter().zip(pred).filter(|(g, p)| g == p).count();
        self.add_spans_unseen(&chunks(gold), &chunks(pred), &[], unseen);
    }

    /// Adds one document's gold and predicted spans; predictions overlapping a `dont_care` range
    /// are dropped before matching.
    pub fn add_spans(
        &mut self,
        gold: &[LabelledSpan],
        pred: &[LabelledSpan],
        dont_care: &[Range<usize>],
    ) {
        self.add_spans_unseen(gold, pred, dont_care, &[]);
    }

    /// As [`Evaluator::add_spans`], and also counts recall on the gold spans whose flag in
    /// `unseen` (parallel to `gold`; missing flags count as seen) is set.
    pub fn add_spans_unseen(
        &mut self,
        gold: &[LabelledSpan],
        pred: &[LabelledSpan],
        dont_care: &[Range<usize>],
        unseen: &[bool],
    ) {
        let judged = self.judge(gold, pred, dont_care);
        let pred: Vec<&LabelledSpan> = pred
            .iter()
            .zip(&judged)
            .filter(|(_, j)| j.is_some())
            .map(|(p, _)| p)
            .collect();
        let is_unseen = |i: usize| unseen.get(i).copied().unwrap_or(false);
        let gold: Vec<(usize, &LabelledSpan)> = gold
            .iter()
            .enumerate()
            .filter(|(_, (_, l))| self.is_scored(*l))
            .collect();
        for (p, correct) in pred.iter().zip(judged.into_iter().flatten()) {
            let c = self.counts.entry(p.1).or_default();
            if correct { c.tp += 1 } else { c.fp += 1 }
        }
        for (i, g) in &gold {
            let found = pred.contains(g);
            if !found {
                self.counts.entry(g.1).or_default().r#fn += 1;
            }
            if is_unseen(*i) {
                let c = self.unseen.entry(g.1).or_default();
                if found { c.tp += 1 } else { c.r#fn += 1 }
            }
        }
    }

    /// How each prediction counts against one document's gold, parallel to `pred`: `None` when
    /// it is not scored (its label is not scored, or it overlaps a `dont_care` range),
    /// `Some(true)` for a true positive (the same span and label in the gold), `Some(false)` for
    /// a false positive. [`Evaluator::add_spans`] counts by it.
    pub fn judge(
        &self,
        gold: &[LabelledSpan],
        pred: &[LabelledSpan],
        dont_care: &[Range<usize>],
    ) -> Vec<Option<bool>> {
        let overlaps =
            |r: &Range<usize>| dont_care.iter().any(|d| r.start < d.end && d.start < r.end);
        pred.iter()
            .map(|p| (self.is_scored(p.1) && !overlaps(&p.0)).then(|| gold.contains(p)))
            .collect()
    }

    /// The scores so far.
    pub fn scores(&self) -> Scores {
        let mut micro = Counts::default();
        for c in self.counts.values() {
            micro.add(c);
        }
        let mut per_label = self.counts.clone();
        if let Some(labels) = &self.scored {
            for l in labels {
                per_label.entry(*l).or_default();
            }
        }
        let mut unseen_micro = Counts::default();
        for c in self.unseen.values() {
            unseen_micro.add(c);
        }
        Scores {
            per_label,
            micro,
            unseen: self.unseen.clone(),
            unseen_micro,
            token_accuracy: (self.tokens > 0).then(|| pct(self.tokens_correct, self.tokens)),
            tokens: self.tokens,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Final scores: per label, and the micro average over the scored labels.
#[derive(Clone, Debug, Serialize)]
pub struct Scores {
    /// Counts for each label met (or asked for).
    pub per_label: BTreeMap<Label, Counts>,
    /// Counts summed over all scored labels.
    pub micro: Counts,
    /// Recall counts (`tp`, `fn`; `fp` is always 0) over gold entities with unseen names, per label.
    pub unseen: BTreeMap<Label, Counts>,
    /// The same summed over all scored labels.
    pub unseen_micro: Counts,
    /// Share of tokens whose tag is right, in percent (IOB input only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_accuracy: Option<f64>,
    /// Number of tokens scored (IOB input only; left out of the JSON for span input).
    #[serde(skip_serializing_if = "is_zero")]
    pub tokens: usize,
}

impl fmt::Display for Scores {
    /// A table in the spirit of `conlleval`'s output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.micro;
        if let Some(acc) = self.token_accuracy {
            writeln!(f, "processed {} tokens; accuracy: {acc:6.2}%", self.tokens)?;
        }
        write_header(f, "label", 12)?;
        for (label, c) in &self.per_label {
            c.write_row(f, label.as_str(), 12)?;
            writeln!(f)?;
        }
        m.write_row(f, "micro", 12)?;
        if self.unseen_micro.tp + self.unseen_micro.r#fn > 0 {
            let u = &self.unseen_micro;
            let all = m.tp + m.r#fn;
            write!(
                f,
                "\nunseen names (in no gazetteer or training file): {} of {all} gold entities",
                u.tp + u.r#fn
            )?;
            write!(
                f,
                "\n{:<12} {:>9} {:>7} {:>7}",
                "label", "recall", "tp", "fn"
            )?;
            for (label, c) in &self.unseen {
                write!(
                    f,
                    "\n{:<12} {:>8.2}% {:>7} {:>7}",
                    label.as_str(),
                    c.recall(),
                    c.tp,
                    c.r#fn
                )?;
            }
            write!(
                f,
                "\n{:<12} {:>8.2}% {:>7} {:>7}",
                "unseen",
                u.recall(),
                u.tp,
                u.r#fn
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
// A document of one sentence is a list holding one range, not a range to collect.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<Tag> {
        s.split_whitespace().map(|t| t.parse().unwrap()).collect()
    }

    #[test]
    fn judge_tells_each_prediction_as_add_spans_counts_it() {
        let ev = Evaluator::only(&[Label::Org, Label::Date]);
        let gold = vec![(0..4, Label::Org), (10..14, Label::Date)];
        let pred = vec![
            (0..4, Label::Org),    // true positive
            (10..14, Label::Org),  // wrong label: false positive
            (20..24, Label::Per),  // label not scored
            (30..34, Label::Date), // inside a don't-care region
        ];
        assert_eq!(
            ev.judge(&gold, &pred, &[29..40]),
            [Some(true), Some(false), None, None]
        );
    }

    #[test]
    fn chunks_follow_conlleval() {
        let t = tags("B-PER I-PER O I-LOC I-LOC B-LOC I-ORG O");
        assert_eq!(
            chunks(&t),
            vec![
                (0..2, Label::Per),
                (3..5, Label::Loc),
                (5..6, Label::Loc),
                (6..7, Label::Org)
            ]
        );
    }

    #[test]
    fn strict_matching_counts_boundary_errors_twice() {
        let mut ev = Evaluator::new();
        // gold: [Jan Peeters]PER in [Gent]LOC ; pred: [Jan]PER [Peeters]PER in [Gent]LOC
        ev.add_tags(&tags("B-PER I-PER O B-LOC"), &tags("B-PER B-PER O B-LOC"));
        let s = ev.scores();
        assert_eq!(
            s.per_label[&Label::Per],
            Counts {
                tp: 0,
                fp: 2,
                r#fn: 1
            }
        );
        assert_eq!(
            s.per_label[&Label::Loc],
            Counts {
                tp: 1,
                fp: 0,
                r#fn: 0
            }
        );
        assert_eq!(
            s.micro,
            Counts {
                tp: 1,
                fp: 2,
                r#fn: 1
            }
        );
        assert!((s.micro.precision() - 100.0 / 3.0).abs() < 1e-9);
        assert!((s.micro.recall() - 50.0).abs() < 1e-9);
        assert!((s.micro.f1() - 40.0).abs() < 1e-9);
        assert_eq!(s.token_accuracy, Some(75.0));
    }

    #[test]
    fn dont_care_regions_and_unscored_labels_drop_out() {
        let mut ev = Evaluator::only(&[Label::Per, Label::Org, Label::Loc, Label::Initiative]);
        let gold = vec![
            (0..4, Label::Org),
            (10..20, Label::Misc),
            (30..35, Label::Per),
        ];
        let pred = vec![
            (0..4, Label::Org),    // right
            (12..16, Label::Org),  // inside a gold MISC region (made don't-care): ignored
            (22..25, Label::Misc), // MISC is not scored: ignored
            (30..34, Label::Per),  // wrong end: fp and fn
            (40..44, Label::Initiative),
        ];
        ev.add_spans(&gold, &pred, &[10..20]);
        let s = ev.scores();
        assert_eq!(
            s.micro,
            Counts {
                tp: 1,
                fp: 2,
                r#fn: 1
            }
        );
        assert_eq!(s.per_label[&Label::Loc], Counts::default());
        assert!(!s.per_label.contains_key(&Label::Misc));
    }

    #[test]
    fn unseen_names_count_recall_only_over_flagged_gold() {
        let mut ev = Evaluator::only(&[Label::Per, Label::Org, Label::Loc, Label::Initiative]);
        let gold = vec![
            (0..4, Label::Org),
            (10..20, Label::Initiative),
            (30..35, Label::Per),
        ];
        let pred = vec![
            (0..4, Label::Org),
            (10..18, Label::Initiative),
            (30..35, Label::Per),
        ];
        ev.add_spans_unseen(&gold, &pred, &[], &[false, true, true]);
        let s = ev.scores();
        assert_eq!(
            s.micro,
            Counts {
                tp: 2,
                fp: 1,
                r#fn: 1
            }
        );
        assert_eq!(
            s.unseen[&Label::Initiative],
            Counts {
                tp: 0,
                fp: 0,
                r#fn: 1
            }
        );
        assert_eq!(
            s.unseen[&Label::Per],
            Counts {
                tp: 1,
                fp: 0,
                r#fn: 0
            }
        );
        assert!(!s.unseen.contains_key(&Label::Org));
        assert_eq!(
            s.unseen_micro,
            Counts {
                tp: 1,
                fp: 0,
                r#fn: 1
            }
        );
        assert!(
            s.to_string()
                .contains("unseen names (in no gazetteer or training file): 2 of 3")
        );

        let mut seen = SeenNames::default();
        seen.insert("Nationaal Groeifonds");
        assert!(seen.contains("nationaal  groeifonds") && seen.contains("Nationaal-Groeifonds"));
        assert!(!seen.contains("Groeifonds"));
    }
}
