//! The data that flows through the pipeline: documents, their tokens, sentences and entities.
//!
//! Every position is a [`Span`], which carries both byte offsets (to slice the text in Rust) and
//! Unicode code-point offsets (what the output reports, so that Python's `text[start:end]` works).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A half-open range of a document's text, in bytes and in code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub byte_start: usize,
    /// Byte offset one past the last byte.
    pub byte_end: usize,
    /// Code-point offset of the first character.
    pub char_start: usize,
    /// Code-point offset one past the last character.
    pub char_end: usize,
}

impl Span {
    /// The byte range, for slicing the text.
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// The code-point range, as reported in the output.
    pub fn chars(&self) -> Range<usize> {
        self.char_start..self.char_end
    }

    /// The slice of `text` this span covers.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.bytes()]
    }

    /// The smallest span covering both `self` and `other`.
    pub fn cover(&self, other: &Span) -> Span {
        Span {
            byte_start: self.byte_start.min(other.byte_start),
            byte_end: self.byte_end.max(other.byte_end),
            char_start: self.char_start.min(other.char_start),
            char_end: self.char_end.max(other.char_end),
        }
    }

    /// Whether the two spans share at least one character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.byte_start < other.byte_end && other.byte_start < self.byte_end
    }

    /// Builds a span from a byte range of `text`, counting code points from the start.
    ///
    /// This is O(n) in the position; hot paths carry char offsets along instead.
    pub fn from_bytes(text: &str, bytes: Range<usize>) -> Span {
        let char_start = text[..bytes.start].chars().count();
        let char_end = char_start + text[bytes.clone()].chars().count();
        Span {
            byte_start: bytes.start,
            byte_end: bytes.end,
            char_start,
            char_end,
        }
    }

    /// Number of bytes covered.
    pub fn len_bytes(&self) -> usize {
        self.byte_end - self.byte_start
    }
}

/// A word or punctuation mark found by the segmenter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the token lies in the document text.
    pub span: Span,
}

/// A sentence: its extent in the text and the tokens it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// Indices into the document's token list.
    pub tokens: Range<usize>,
}

/// The entity types the pipeline emits (see `docs/annotation.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Label {
    /// A named person.
    #[serde(rename = "PER")]
    Per,
    /// A named organisation or body.
    #[serde(rename = "ORG")]
    Org,
    /// A named place.
    #[serde(rename = "LOC")]
    Loc,
    /// Other names: nationality adjectives, events, products.
    #[serde(rename = "MISC")]
    Misc,
    /// A named policy instrument: programme, plan, fund, loan, mission, law.
    #[serde(rename = "INITIATIVE")]
    Initiative,
    /// An amount of money (pattern).
    #[serde(rename = "MONEY")]
    Money,
    /// A date or year (pattern).
    #[serde(rename = "DATE")]
    Date,
    /// A percentage (pattern).
    #[serde(rename = "PERCENT")]
    Percent,
    /// A reference to a parliamentary paper (pattern).
    #[serde(rename = "REF")]
    Ref,
}

impl Label {
    /// Every label, in a fixed order.
    pub const ALL: [Label; 9] = [
        Label::Per,
        Label::Org,
        Label::Loc,
        Label::Misc,
        Label::Initiative,
        Label::Money,
        Label::Date,
        Label::Percent,
        Label::Ref,
    ];

    /// Whether the label is a name (PER, ORG, LOC, MISC, INITIATIVE), not a value found by
    /// patterns (MONEY, DATE, PERCENT, REF). The one place that sorts labels so.
    pub fn is_name(self) -> bool {
        match self {
            Label::Per | Label::Org | Label::Loc | Label::Misc | Label::Initiative => true,
            Label::Money | Label::Date | Label::Percent | Label::Ref => false,
        }
    }

    /// The label's name as written in output and gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Misc => "MISC",
            Label::Initiative => "INITIATIVE",
            Label::Money => "MONEY",
            Label::Date => "DATE",
            Label::Percent => "PERCENT",
            Label::Ref => "REF",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a label name that is not in the scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown entity label `{0}` (expected one of PER, ORG, LOC, MISC, INITIATIVE, MONEY, DATE, PERCENT, REF)"
)]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

/// A token-level tag in the IOB2 scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(Label),
    /// Later token of an entity.
    I(Label),
}

impl Tag {
    /// The entity label, if any.
    pub fn label(self) -> Option<Label> {
        match self {
            Tag::O => None,
            Tag::B(l) | Tag::I(l) => Some(l),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(l) => write!(f, "B-{l}"),
            Tag::I(l) => write!(f, "I-{l}"),
        }
    }
}

/// The error for a malformed IOB tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed tag `{0}` (expected O, B-LABEL or I-LABEL)")]
pub struct BadTag(pub String);

impl FromStr for Tag {
    type Err = BadTag;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "O" {
            return Ok(Tag::O);
        }
        let bad = || BadTag(s.to_string());
        let (prefix, label) = s.split_once('-').ok_or_else(bad)?;
        let label: Label = label.parse().map_err(|_| bad())?;
        match prefix {
            "B" => Ok(Tag::B(label)),
            "I" => Ok(Tag::I(label)),
            _ => Err(bad()),
        }
    }
}

/// Which part of the pipeline proposed an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Source {
    /// The statistical (or transformer) tagger.
    Model,
    /// A gazetteer entry.
    Gazetteer,
    /// An acronym definition or its propagation.
    Acronym,
    /// A rule for money, dates, percentages or references.
    Pattern,
}

impl Source {
    /// The source's name as written in output files (`model`, `gazetteer`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Gazetteer => "gazetteer",
            Source::Acronym => "acronym",
            Source::Pattern => "pattern",
        }
    }
}

/// The words of one document, grouped into sentences: what a tagger reads.
#[derive(Clone, Debug, Default)]
pub struct Words<'a> {
    /// Every word of the document, in order.
    pub words: Vec<&'a str>,
    /// Sentences as ranges of `words`; they cover `words` in order without gaps.
    pub sentences: Vec<Range<usize>>,
}

/// A labelled span: a range (of tokens or of characters) and its label.
pub type LabelledSpan = (Range<usize>, Label);

/// Reads the chunks of an IOB sequence the way `conlleval` does.
pub fn chunks(tags: &[Tag]) -> Vec<LabelledSpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Label)> = None;
    for (i, t) in tags.iter().enumerate() {
        let continues = matches!((t, open), (Tag::I(l), Some((_, o))) if *l == o);
        if !continues {
            if let Some((s, l)) = open.take() {
                out.push((s..i, l));
            }
            if let Some(l) = t.label() {
                open = Some((i, l));
            }
        }
    }
    if let Some((s, l)) = open {
        out.push((s..tags.len(), l));
    }
    out
}

/// A mention of a named entity in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Where the mention lies in the text.
    pub span: Span,
    /// Its type.
    pub label: Label,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// What proposed it.
    pub source: Source,
    /// The canonical id of the entity it names (`org:navo`): mentions of one thing share it. Set
    /// by the link stage ([`Linker`](crate::Linker)), `None` before it.
    pub entity_id: Option<String>,
    /// The name of the domain rule that made the entity or decided its label (`law-title`,
    /// `money`; the registry is [`crate::rules`]); `None` for the model's and the
    /// gazetteers' entities.
    pub rule: Option<&'static str>,
}

impl Entity {
    /// A mention not linked yet.
    pub fn new(span: Span, label: Label, score: f32, source: Source) -> Self {
        Entity {
            span,
            label,
            score,
            source,
            entity_id: None,
            rule: None,
        }
    }
}

/// The three relation types of `docs/relations.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RelationType {
    /// A person (head) holds an office (the role phrase), of an organisation or place (tail) when
    /// that is an entity.
    Role,
    /// A person (head) belongs to a party or parliamentary group (tail).
    MemberOf,
    /// An organisation or country (head) takes part in an initiative (tail).
    ParticipatesIn,
}

impl RelationType {
    /// Every type, in output order.
    pub const ALL: [RelationType; 3] = [
        RelationType::Role,
        RelationType::MemberOf,
        RelationType::ParticipatesIn,
    ];

    /// The name in the output and in gold files (`role`, `member_of`, `participates_in`).
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::Role => "role",
            RelationType::MemberOf => "member_of",
            RelationType::ParticipatesIn => "participates_in",
        }
    }
}

impl std::str::FromStr for RelationType {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        RelationType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!("unknown relation type {s:?} (role, member_of or participates_in)")
            })
    }
}

/// One relation of a document (the stage is [`crate::relate`]): indices into its
/// [`Document::entities`].
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// What the text states.
    pub kind: RelationType,
    /// The person (role, member_of) or the organisation or place (participates_in).
    pub head: usize,
    /// The party, the initiative, or the organisation or place a role names.
    pub tail: Option<usize>,
    /// The office as written (role only).
    pub role: Option<Span>,
    /// How sure the stage is, 0 to 1.
    pub score: f32,
}

/// One input document and, after the pipeline ran, its annotations.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The document's id: the JSONL `id`, or the path it was read from.
    pub id: String,
    /// The text exactly as read (BOM removed); all offsets refer to it.
    pub text: String,
    /// Fields of a JSONL input line other than `id` and `text`, carried through unchanged.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order; together they cover every token once.
    pub sentences: Vec<Sentence>,
    /// Entities sorted by start, not overlapping, each with its id once linked.
    pub entities: Vec<Entity>,
    /// Relations between the entities, once the relate stage ([`crate::relate`]) ran: `None`
    /// when it did not (the output then has no `relations` member), `Some` (perhaps empty) when
    /// it did.
    pub relations: Option<Vec<Relation>>,
    /// The document's own date (a letter's date line, a motion's, a debate's, or the input's
    /// `date` field), once the pipeline looked for it ([`crate::dating`]); `None` when none
    /// was found.
    pub date: Option<crate::dating::DocumentDate>,
}

impl Document {
    /// A new document with no annotations yet.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    /// Whether the link stage gave every entity its id (true when there are no entities).
    pub fn is_linked(&self) -> bool {
        self.entities.iter().all(|e| e.entity_id.is_some())
    }

    /// The surface form of a token.
    pub fn token_text(&self, i: usize) -> &str {
        self.tokens[i].span.text(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_through_text() {
        for s in ["O", "B-PER", "I-LOC", "B-INITIATIVE", "I-MISC"] {
            assert_eq!(s.parse::<Tag>().unwrap().to_string(), s);
        }
        assert!("B-FOO".parse::<Tag>().is_err());
        assert!("X-PER".parse::<Tag>().is_err());
        assert!("PER".parse::<Tag>().is_err());
    }

    #[test]
    fn span_from_bytes_counts_code_points() {
        let text = "’s-Gravenhage ligt in Zuid-Holland";
        let start = text.find("Zuid").unwrap();
        let span = Span::from_bytes(text, start..text.len());
        assert_eq!(span.text(text), "Zuid-Holland");
        let chars: Vec<char> = text.chars().collect();
        let by_chars: String = chars[span.chars()].iter().collect();
        assert_eq!(by_chars, "Zuid-Holland");
    }
}
