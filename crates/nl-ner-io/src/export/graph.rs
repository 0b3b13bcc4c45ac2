//! What the knowledge-graph exports ([`super::neo4j`], [`super::turtle`]) write: the corpus's
//! [`EntityTable`] and, per document, the evidence behind it: its metadata, each mention with its
//! text and sentence, and the relations between the mentions (`docs/exports.md`).
//!
//! Documents are read one at a time ([`GraphBuilder::add`]); what is kept is the table's own
//! record plus the mentions' texts and the relations, not the texts of the documents.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use nl_ner::relate::RelationType;
use nl_ner::{Document, EntityRow, EntityTable, EntityTableBuilder, Gazetteer, Label};

/// Where Wikidata's items live: a gazetteer's `Q…` id becomes this IRI and the id.
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

/// The metadata fields of an input line that the graph keeps for its document (string values
/// only): the title, the date and the address it was published under.
pub const META_FIELDS: [&str; 3] = ["title", "date", "url"];

/// The corpus: its entity table and every document's evidence.
#[derive(Clone, Debug)]
pub struct Graph {
    /// The entity table (rows, documents with grouped mentions, co-occurrences).
    pub table: EntityTable,
    /// The evidence of each document, in the order of [`EntityTable::documents`].
    pub documents: Vec<DocumentGraph>,
}

/// The evidence of one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentGraph {
    /// The document's [`META_FIELDS`] that the input line has, in that order.
    pub meta: Vec<(&'static str, String)>,
    /// Its counted mentions (those with one of the table's labels), in text order.
    pub mentions: Vec<Mention>,
    /// The code-point ranges of the sentences that hold a mention, in order.
    pub sentences: Vec<Range<usize>>,
    /// The relations whose arguments are both counted mentions, in the document's order.
    pub facts: Vec<Fact>,
}

/// A mention of an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The entity: an index into [`EntityTable::rows`].
    pub entity: usize,
    /// Code-point offsets into the document's text.
    pub span: Range<usize>,
    /// The text at those offsets.
    pub text: String,
    /// The sentence it lies in: an index into [`DocumentGraph::sentences`].
    pub sentence: Option<usize>,
}

/// A relation between two mentions of a document, as `nl-ner extract` found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// Its type.
    pub kind: RelationType,
    /// The head (a person, or for `participates_in` an organisation or place): an index into
    /// [`DocumentGraph::mentions`].
    pub head: usize,
    /// The tail (party, initiative, or the organisation a role names), where there is one.
    pub tail: Option<usize>,
    /// The office as written (role only): code-point offsets and text.
    pub role: Option<(Range<usize>, String)>,
    /// How sure the relation stage was.
    pub score: f32,
}

/// What is known of entity ids beyond the documents: the names gazetteers prefer, and the ids of
/// the same entities elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Knowledge {
    /// Entity id → the name its gazetteer entry prefers (`org:navo` → `NAVO`, the Dutch name;
    /// the entry's first column).
    pub preferred: HashMap<String, String>,
    /// Entity id → the entity's ids elsewhere: a Wikidata item (`Q7184`) or an absolute IRI.
    /// The register gazetteers fill it from their same-as column (`models/gazetteers/README.md`).
    pub same_as: HashMap<String, Vec<String>>,
}

impl Knowledge {
    /// The name `row` is best called by: its gazetteer entry's own name where the documents use
    /// it (`NAVO`, not `NATO`), else the most complete name the documents use (the row's
    /// canonical name).
    pub fn preferred_name<'a>(&'a self, row: &'a EntityRow) -> &'a str {
        row.ids
            .iter()
            .filter_map(|id| self.preferred.get(id))
            .find(|p| **p == row.canonical || row.aliases.contains(p))
            .unwrap_or(&row.canonical)
    }

    /// The ids of `row` elsewhere as IRIs (a Wikidata item's, or an absolute IRI as given), each
    /// once, in order; an id that is neither is left out.
    pub fn external_iris(&self, row: &EntityRow) -> BTreeSet<String> {
        row.ids
            .iter()
            .filter_map(|id| self.same_as.get(id))
            .flatten()
            .filter_map(|x| external_iri(x))
            .collect()
    }

    /// What `gazetteer` knows: every entry's preferred name (a later entry with the same id wins,
    /// as in the gazetteer's own matching).
    pub fn from_gazetteer(gazetteer: &Gazetteer) -> Self {
        Knowledge {
            preferred: gazetteer
                .entries()
                .iter()
                .map(|e| (e.id.clone(), e.name.clone()))
                .collect(),
            same_as: gazetteer
                .entries()
                .iter()
                .filter_map(|e| Some((e.id.clone(), vec![e.same_as.clone()?])))
                .collect(),
        }
    }
}

/// Collects documents into a [`Graph`].
#[derive(Clone, Debug)]
pub struct GraphBuilder {
    table: EntityTableBuilder,
    labels: Vec<Label>,
    /// Per document: its evidence, with each mention's per-document id instead of its row.
    documents: Vec<(DocumentGraph, Vec<String>)>,
}

impl GraphBuilder {
    /// An empty graph of the entities with one of `labels`.
    pub fn new(labels: &[Label]) -> Self {
        GraphBuilder {
            table: EntityTableBuilder::new(labels),
            labels: labels.to_vec(),
            documents: Vec::new(),
        }
    }

    /// Adds a document (linked or not, as [`EntityTableBuilder::add`] takes it).
    pub fn add(&mut self, doc: &Document) {
        self.table.add(doc);
        let mut g = DocumentGraph {
            meta: META_FIELDS
                .iter()
                .filter_map(|&k| Some((k, doc.extra.get(k)?.as_str()?.to_string())))
                .collect(),
            ..DocumentGraph::default()
        };
        let mut ids = Vec::new();
        // The mention index of each entity of the document, for the relations.
        let mut mention_of = vec![None; doc.entities.len()];
        let mut sentence_of: Vec<usize> = Vec::new();
        for (i, e) in doc.entities.iter().enumerate() {
            if !self.labels.contains(&e.label) {
                continue;
            }
            let s = doc
                .sentences
                .partition_point(|s| s.span.char_end <= e.span.char_start);
            let sentence = doc
                .sentences
                .get(s)
                .filter(|x| x.span.char_start <= e.span.char_start)
                .map(|x| {
                    if sentence_of.last() != Some(&s) {
                        sentence_of.push(s);
                        g.sentences.push(x.span.chars());
                    }
                    g.sentences.len() - 1
                });
            mention_of[i] = Some(g.mentions.len());
            g.mentions.push(Mention {
                entity: 0,
                span: e.span.chars(),
                text: e.span.text(&doc.text).to_string(),
                sentence,
            });
            ids.push(EntityTableBuilder::mention_id(doc, e));
        }
        for r in doc.relations.iter().flatten() {
            let Some(head) = mention_of.get(r.head).copied().flatten() else {
                continue;
            };
            let tail = match r.tail {
                None => None,
                Some(t) => match mention_of.get(t).copied().flatten() {
                    Some(m) => Some(m),
                    None => continue,
                },
            };
            g.facts.push(Fact {
                kind: r.kind,
                head,
                tail,
                role: r.role.map(|s| (s.chars(), s.text(&doc.text).to_string())),
                score: r.score,
            });
        }
        self.documents.push((g, ids));
    }

    /// The graph.
    pub fn finish(self) -> Graph {
        let table = self.table.finish();
        let documents = self
            .documents
            .into_iter()
            .map(|(mut g, ids)| {
                for (m, id) in g.mentions.iter_mut().zip(&ids) {
                    m.entity = table.resolve(id).expect("every counted mention has a row");
                }
                g
            })
            .collect();
        Graph { table, documents }
    }
}

impl Graph {
    /// The graph of `docs`, counting the entities with one of `labels`.
    pub fn build<'a>(docs: impl IntoIterator<Item = &'a Document>, labels: &[Label]) -> Graph {
        let mut b = GraphBuilder::new(labels);
        for d in docs {
            b.add(d);
        }
        b.finish()
    }
}

/// An absolute IRI that can be written between `<` and `>` (Turtle) or as an attribute value.
pub(crate) fn is_iri(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(c))
        && oxiri::Iri::parse(s).is_ok()
}

/// A gazetteer's external id as an IRI: a Wikidata `Q…` id, or an absolute IRI.
pub(crate) fn external_iri(id: &str) -> Option<String> {
    if id.len() > 1 && id.starts_with('Q') && id[1..].bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("{WIKIDATA_ENTITY}{id}"))
    } else {
        is_iri(id).then(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::relate::Relation;
    use nl_ner::segment::Segmenter;
    use nl_ner::{Entity, Source, Span};

    #[test]
    fn facts_point_at_mentions_and_rows_and_skip_uncounted_arguments() {
        let text = "Minister Brekelmans (VVD) sprak. De EU en 2026.";
        let mut doc = Document::new("d", text);
        doc.extra
            .insert("title".into(), serde_json::json!("Verslag"));
        doc.extra.insert("date".into(), serde_json::json!(2026));
        for (name, label) in [
            ("Brekelmans", Label::Per),
            ("VVD", Label::Org),
            ("EU", Label::Org),
            ("2026", Label::Date),
        ] {
            let at = text.find(name).unwrap();
            doc.entities.push(Entity::new(
                Span::from_bytes(text, at..at + name.len()),
                label,
                1.0,
                Source::Model,
            ));
        }
        doc.sentences = Segmenter::new().segment(text).sentences;
        let rel = |kind, head, tail| Relation {
            kind,
            head,
            tail,
            role: None,
            score: 0.5,
        };
        doc.relations = Some(vec![
            Relation {
                role: Some(Span::from_bytes(text, 0..8)),
                ..rel(RelationType::Role, 0, None)
            },
            rel(RelationType::MemberOf, 0, Some(1)),
            rel(RelationType::ParticipatesIn, 2, Some(3)),
        ]);
        let g = Graph::build([&doc], &super::super::NAME_LABELS);
        let d = &g.documents[0];
        assert_eq!(d.meta, [("title", "Verslag".to_string())], "a string only");
        assert_eq!(d.mentions.len(), 3, "not the date");
        assert_eq!(g.table.rows[d.mentions[1].entity].id, "org:vvd");
        assert_eq!(d.sentences, [0..32, 33..47]);
        assert_eq!(
            d.mentions.iter().map(|m| m.sentence).collect::<Vec<_>>(),
            [Some(0), Some(0), Some(1)]
        );
        assert_eq!(d.facts.len(), 2, "participates_in names a date: left out");
        assert_eq!(d.facts[0].role, Some((0..8, "Minister".to_string())));
        assert_eq!((d.facts[1].head, d.facts[1].tail), (0, Some(1)));
    }
}
