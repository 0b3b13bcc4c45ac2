//! The pair classifier: for every pair of entities in one sentence that could hold a relation
//! (a person and an organisation: `member_of`; an organisation or place and an initiative:
//! `participates_in`), the probability that the text states it.
//!
//! A maximum-entropy (logistic regression) model over sparse binary features of the pair: the
//! words between the two entities (each, the first and last, and pairs of neighbours), the words
//! just outside them, their labels and order, how far apart they are and what stands between
//! (other entities, commas, `en`). It is trained by `relate::train` (feature `train`) with the
//! `crfs` crate's L-BFGS on one-item sequences, which is exactly a maximum-entropy classifier, and
//! stored as readable JSON (`models/relations/classifier.json`): the feature names and, per
//! relation type, its weight.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::RelationType;
use super::party::is_party;
use crate::doc::{Document, Label};
use crate::error::{Error, Result};

static EMBEDDED: &str = include_str!("../../../../models/relations/classifier.json");

/// The file format's name and version, checked on load.
const FORMAT: &str = "nl-ner relation classifier v1";

/// Most tokens between the two entities of a candidate pair.
const MAX_GAP_TOKENS: usize = 40;

/// A pair of entities the classifier scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The relation it would be.
    pub kind: RelationType,
    /// Index of the head entity (the person, or the organisation or place).
    pub head: usize,
    /// Index of the tail entity (the party, or the initiative).
    pub tail: usize,
}

/// Every candidate pair of `doc`: both entities in one sentence, at most 40
/// tokens apart, labels fitting a relation type (a `member_of` ends at a party,
/// [`party`](super::party)); in entity order.
pub fn candidates(doc: &Document) -> Vec<Candidate> {
    let sentence_of = |byte: usize| {
        doc.sentences
            .partition_point(|s| s.span.byte_end <= byte)
            .min(doc.sentences.len().saturating_sub(1))
    };
    let token_of = |byte: usize| doc.tokens.partition_point(|t| t.span.byte_end <= byte);
    let mut out = Vec::new();
    let ents = &doc.entities;
    for (i, a) in ents.iter().enumerate() {
        let sa = sentence_of(a.span.byte_start);
        for (j, b) in ents.iter().enumerate().skip(i + 1) {
            if sentence_of(b.span.byte_start) != sa {
                break;
            }
            let gap = token_of(b.span.byte_start).saturating_sub(token_of(a.span.byte_end));
            if gap > MAX_GAP_TOKENS {
                break;
            }
            for (h, t) in [(i, j), (j, i)] {
                let kind = match (ents[h].label, ents[t].label) {
                    (Label::Per, Label::Org)
                        if is_party(&ents[t], ents[t].span.text(&doc.text)) =>
                    {
                        RelationType::MemberOf
                    }
                    (Label::Org | Label::Loc, Label::Initiative) => RelationType::ParticipatesIn,
                    _ => continue,
                };
                out.push(Candidate {
                    kind,
                    head: h,
                    tail: t,
                });
            }
        }
    }
    out
}

/// The features of a candidate pair, as strings (the model's vocabulary).
pub fn features(doc: &Document, c: &Candidate) -> Vec<String> {
    let (h, t) = (&doc.entities[c.head], &doc.entities[c.tail]);
    let (first, second) = if h.span.byte_start < t.span.byte_start {
        (h, t)
    } else {
        (t, h)
    };
    let word = |i: usize| crate::link::key::fold(doc.token_text(i));
    let token_of = |byte: usize| doc.tokens.partition_point(|tk| tk.span.byte_end <= byte);
    let start_token = token_of(first.span.byte_start);
    let gap_from = token_of(first.span.byte_end);
    let gap_to = token_of(second.span.byte_start);
    let kind = c.kind.as_str();
    let order = if std::ptr::eq(first, h) { "ht" } else { "th" };
    let mut f = vec![
        format!("bias:{kind}"),
        format!("order:{kind}:{order}"),
        format!("labels:{:?}>{:?}", h.label, t.label),
    ];
    let gap = gap_to.saturating_sub(gap_from);
    let bucket = match gap {
        0 => "0",
        1 => "1",
        2..=3 => "2-3",
        4..=6 => "4-6",
        7..=12 => "7-12",
        _ => "13+",
    };
    f.push(format!("gap:{kind}:{bucket}"));
    let between: Vec<String> = (gap_from..gap_to).map(word).collect();
    for w in &between {
        f.push(format!("bw:{kind}:{w}"));
    }
    for pair in between.windows(2) {
        f.push(format!("bb:{kind}:{}_{}", pair[0], pair[1]));
    }
    if let Some(w) = between.first() {
        f.push(format!("fb:{kind}:{w}"));
    }
    if let Some(w) = between.last() {
        f.push(format!("lb:{kind}:{w}"));
    }
    if between.is_empty() {
        f.push(format!("adjacent:{kind}"));
    }
    // Lists: in a debate's attendance list (`Van Aalst, Agema, …`) every name stands near every
    // other; what tells a member's party in brackets from a neighbour in the list is the commas
    // and the list items between them.
    let commas = between.iter().filter(|w| *w == ",").count();
    let commas = match commas {
        0..=2 => commas.to_string(),
        _ => "3+".to_string(),
    };
    f.push(format!("list-commas:{kind}:{commas}"));
    let list = list_position(doc, start_token, token_of(second.span.byte_end));
    f.push(format!("list:{kind}:{}", list.as_str()));
    let inside = doc
        .entities
        .iter()
        .filter(|e| {
            e.span.byte_start >= first.span.byte_end && e.span.byte_end <= second.span.byte_start
        })
        .count();
    f.push(format!("ents-between:{kind}:{}", inside.min(3)));
    for k in 1..=2 {
        if start_token >= k {
            f.push(format!("before{k}:{kind}:{}", word(start_token - k)));
        }
        let after = token_of(second.span.byte_end) + k - 1;
        if after < doc.tokens.len() {
            f.push(format!("after{k}:{kind}:{}", word(after)));
        }
    }
    f
}

/// Where a pair stands in a comma list of names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListPosition {
    /// Not both in one list of three or more names.
    None,
    /// In one item of such a list (`Jansen (SP)` in `Jansen (SP), De Vries (VVD), Klaver (GL)`).
    SameItem,
    /// In different items of such a list (`Agema` and `Alkaya` in `Van Aalst, Agema, Alkaya`).
    AcrossItems,
}

impl ListPosition {
    fn as_str(self) -> &'static str {
        match self {
            ListPosition::None => "none",
            ListPosition::SameItem => "same-item",
            ListPosition::AcrossItems => "across-items",
        }
    }
}

/// Most tokens a list item of names holds (`Nijkerken-de Haan`, `Jansen ( SP )`).
const MAX_ITEM_TOKENS: usize = 4;

/// Where the tokens `from..to` (the pair with what stands between) lie in a list of names within
/// their sentence: items parted by commas or `en`, each at most [`MAX_ITEM_TOKENS`] tokens that
/// start with a capital; three items or more make a list.
pub(crate) fn list_position(doc: &Document, from: usize, to: usize) -> ListPosition {
    let at = doc.sentences.partition_point(|s| s.tokens.end <= from);
    let Some(sentence) = doc.sentences.get(at).filter(|s| s.tokens.start <= from) else {
        return ListPosition::None;
    };
    let to = to.min(sentence.tokens.end);
    let is_sep = |i: usize| matches!(doc.token_text(i), "," | "en");
    // The item holding token `i`: from after the separator before it to the separator after it.
    let item_start = |i: usize| {
        (sentence.tokens.start..i)
            .rev()
            .find(|&k| is_sep(k))
            .map_or(sentence.tokens.start, |k| k + 1)
    };
    let item_end = |i: usize| {
        (i..sentence.tokens.end)
            .find(|&k| is_sep(k))
            .unwrap_or(sentence.tokens.end)
    };
    let is_name_item = |lo: usize, hi: usize| {
        let words: Vec<&str> = (lo..hi)
            .map(|k| doc.token_text(k))
            .filter(|w| !matches!(*w, "(" | ")"))
            .collect();
        !words.is_empty()
            && words.len() <= MAX_ITEM_TOKENS
            && words[0].chars().next().is_some_and(char::is_uppercase)
    };
    // The items from the pair's first to its last, each a name: where the pair starts or ends
    // inside an item, only its part of the item counts (an item may open with the list's
    // introduction, `Vragen van de leden Jansen (SP)`).
    let (mut lo, mut items) = (item_start(from), 0);
    while lo < to {
        let hi = item_end(lo);
        if !is_name_item(lo.max(from), hi.min(to)) {
            return ListPosition::None;
        }
        items += 1;
        lo = hi + 1;
    }
    let across = items > 1;
    // Name items around them, as many as it takes to make three; the item after `en` ends the
    // list and may run on into the sentence (`en Klaver (GroenLinks) over de zorg`).
    let mut before = item_start(from);
    while items < 3 && before > sentence.tokens.start {
        let hi = before - 1;
        let start = item_start(hi);
        if !is_name_item(start, hi) {
            break;
        }
        items += 1;
        before = start;
    }
    let mut after = lo;
    while items < 3 && after < sentence.tokens.end && after > 0 && is_sep(after - 1) {
        let hi = item_end(after);
        let last = doc.token_text(after - 1) == "en";
        if !is_name_item(after, if last { hi.min(after + 1) } else { hi }) {
            break;
        }
        items += 1;
        after = hi + 1;
    }
    match (items >= 3, across) {
        (false, _) => ListPosition::None,
        (true, false) => ListPosition::SameItem,
        (true, true) => ListPosition::AcrossItems,
    }
}

/// `v` to six decimals, as the JSON file keeps it (the weights are read back as `f32`).
fn round6(v: f32) -> f64 {
    (f64::from(v) * 1e6).round() / 1e6
}

/// A trained pair classifier.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PairClassifier {
    /// [`FORMAT`].
    format: String,
    /// Probability at or above which a pair becomes a relation.
    threshold: f32,
    /// The threshold of each relation type, where dev chose one for it (`member_of`,
    /// `participates_in`); [`PairClassifier::threshold`] for a type without.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    thresholds: BTreeMap<String, f32>,
    /// What it was trained on and how (files, settings, dev scores): provenance, not used.
    #[serde(default)]
    trained: serde_json::Value,
    /// Weight of each feature for the pair being a relation (log-odds against none).
    weights: HashMap<String, f32>,
}

impl PairClassifier {
    /// The shipped classifier, compiled into the library.
    pub fn embedded() -> Result<Self> {
        Self::from_json(EMBEDDED, Path::new("models/relations/classifier.json"))
    }

    /// Reads a classifier file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = crate::files::read_regular_file(path, 256 << 20)
            .map_err(|e| Error::context(format!("reading {}", path.display()), e))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| Error::context(format!("reading {}", path.display()), e.utf8_error()))?;
        Self::from_json(&text, path)
    }

    fn from_json(text: &str, path: &Path) -> Result<Self> {
        let c: PairClassifier = serde_json::from_str(text).map_err(|e| {
            Error::context(
                format!("reading the relation classifier {}", path.display()),
                e,
            )
        })?;
        if c.format != FORMAT {
            return Err(Error::Model {
                path: path.to_path_buf(),
                reason: format!(
                    "not a relation classifier ({:?}, want {FORMAT:?})",
                    c.format
                ),
            });
        }
        Ok(c)
    }

    /// A classifier from trained weights.
    pub fn new(weights: HashMap<String, f32>, threshold: f32, trained: serde_json::Value) -> Self {
        PairClassifier {
            format: FORMAT.to_string(),
            threshold,
            thresholds: BTreeMap::new(),
            trained,
            weights,
        }
    }

    /// The same classifier with its own threshold for `kind`.
    pub fn with_type_threshold(mut self, kind: RelationType, threshold: f32) -> Self {
        self.thresholds.insert(kind.as_str().to_string(), threshold);
        self
    }

    /// The file's JSON, with the weights in name order so the same model gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut weights: Vec<(&String, &f32)> = self.weights.iter().collect();
        weights.sort_by(|a, b| a.0.cmp(b.0));
        let weights: serde_json::Map<String, serde_json::Value> = weights
            .into_iter()
            .map(|(k, v)| (k.clone(), serde_json::json!(round6(*v))))
            .collect();
        let mut value = serde_json::json!({
            "format": self.format,
            "threshold": round6(self.threshold),
            "trained": self.trained,
            "weights": weights,
        });
        if !self.thresholds.is_empty() {
            value["thresholds"] = self
                .thresholds
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::json!(round6(*v))))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        let mut out = serde_json::to_string_pretty(&value).expect("JSON values serialise");
        out.push('\n');
        out
    }

    /// The probability threshold.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The probability threshold of relations of type `kind`.
    pub fn threshold_for(&self, kind: RelationType) -> f32 {
        self.thresholds
            .get(kind.as_str())
            .copied()
            .unwrap_or(self.threshold)
    }

    /// The probability that the text states the candidate relation.
    pub fn probability(&self, doc: &Document, c: &Candidate) -> f32 {
        let bias = self.weights.get("__bias__").copied().unwrap_or(0.0);
        let z: f32 = bias
            + features(doc, c)
                .iter()
                .filter_map(|f| self.weights.get(f))
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relate::testing::doc;

    /// The list position of entities `a` and `b` of `d`.
    fn position(d: &Document, a: usize, b: usize) -> ListPosition {
        let token_of = |byte: usize| d.tokens.partition_point(|t| t.span.byte_end <= byte);
        list_position(
            d,
            token_of(d.entities[a].span.byte_start),
            token_of(d.entities[b].span.byte_end),
        )
    }

    use Label::{Org, Per};

    #[test]
    fn the_list_feature_tells_a_neighbour_in_a_list_from_a_party_in_brackets() {
        let attendance = doc(
            "Aanwezig zijn 140 leden der Kamer, te weten:\nVan Aalst, Agema, Alkaya, Nijkerken-de Haan, Omtzigt en Paternotte,\nen mevrouw Schouten.",
            &[
                ("Van Aalst", Per),
                ("Agema", Per),
                ("Alkaya", Per),
                ("Nijkerken-de Haan", Org),
                ("Omtzigt", Per),
                ("Paternotte", Per),
            ],
        );
        assert_eq!(position(&attendance, 2, 3), ListPosition::AcrossItems);
        assert_eq!(position(&attendance, 0, 5), ListPosition::AcrossItems);
        let c = Candidate {
            kind: RelationType::MemberOf,
            head: 2,
            tail: 3,
        };
        let f = features(&attendance, &c);
        assert!(
            f.contains(&"list:member_of:across-items".to_string()),
            "{f:?}"
        );
        assert!(f.contains(&"list-commas:member_of:1".to_string()), "{f:?}");
        // A surname the model tagged ORG is no party: no member_of candidate at all.
        assert!(
            candidates(&attendance)
                .iter()
                .all(|c| c.kind != RelationType::MemberOf),
            "{:?}",
            candidates(&attendance)
        );

        let questions = doc(
            "Vragen van de leden Jansen (SP), De Vries (VVD) en Klaver (GroenLinks) over de zorg.",
            &[
                ("Jansen", Per),
                ("SP", Org),
                ("De Vries", Per),
                ("VVD", Org),
                ("Klaver", Per),
                ("GroenLinks", Org),
            ],
        );
        assert_eq!(position(&questions, 0, 1), ListPosition::SameItem);
        assert_eq!(position(&questions, 1, 2), ListPosition::AcrossItems);
        assert_eq!(
            candidates(&questions)
                .iter()
                .filter(|c| c.kind == RelationType::MemberOf)
                .count(),
            9
        );

        let prose = doc(
            "Het lid Dijkhoff (VVD) vroeg het woord over de begroting.",
            &[("Dijkhoff", Per), ("VVD", Org)],
        );
        assert_eq!(position(&prose, 0, 1), ListPosition::None);
        let f = features(
            &prose,
            &Candidate {
                kind: RelationType::MemberOf,
                head: 0,
                tail: 1,
            },
        );
        assert!(f.contains(&"list:member_of:none".to_string()), "{f:?}");
        assert!(f.contains(&"list-commas:member_of:0".to_string()), "{f:?}");
    }
}
