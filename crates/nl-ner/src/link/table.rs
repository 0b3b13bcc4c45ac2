//! The entity table of a corpus: one row per entity, with its names, mentions and documents,
//! and which entities are named in the same sentence. The corpus view (`nl-ner entities`), the
//! knowledge-graph exports and the report are all built on it.
//!
//! Rows join the per-document ids of the link stage where the corpus shows they name one thing:
//! mentions with the same label and key ([`super::key`]) belong together in every document, so
//! ids that share such a mention anywhere become one row. This is how a long form used without
//! its acronym in one document (`initiative:prioritised-ukraine-requirement-list`) joins the
//! acronym's id from another (`initiative:purl`). The row keeps the id that carries knowledge
//! (from a gazetteer or an acronym, rather than the mention's own key), then the one with the
//! most mentions, then the smallest.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::key;
use crate::dating::{self, Date};
use crate::doc::{Document, Label, RelationType};
use key::role_key;

/// One entity of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRow {
    /// The canonical id (`initiative:purl`).
    pub id: String,
    /// The label most of its mentions have.
    pub label: Label,
    /// The most complete name it is mentioned by: most words, then most characters, then the
    /// most diacritics (`Yeşilgöz`, not `Yesilgoz`), then the most frequent.
    pub canonical: String,
    /// Its other names, most frequent first (white space runs written as one space).
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// The documents that mention it, as indices into [`EntityTable::documents`], in order.
    pub documents: Vec<usize>,
    /// The per-document ids joined in this row, sorted (the row's id among them).
    pub ids: Vec<String>,
}

/// One document of the corpus and the entities it mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentEntry {
    /// The document's id.
    pub id: String,
    /// Length of its text in code points.
    pub chars: usize,
    /// Its date ([`Document::date`], or what [`dating::find`] finds when the document was read
    /// without one).
    pub date: Option<Date>,
    /// Its mentions, grouped by entity, in order of first mention.
    pub mentions: Vec<Mentions>,
}

/// The mentions of one entity in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mentions {
    /// The entity, as an index into [`EntityTable::rows`].
    pub entity: usize,
    /// The mentions' code-point ranges in the document's text, in order.
    pub spans: Vec<Range<usize>>,
}

/// How many of the following mentions of its sentence a mention is paired with in
/// [`EntityTable::co_occurrences`]. Without a limit the pairs grow with the square of a
/// sentence's names: an attendance list of 8,000 names in one "sentence" made 32 million pairs
/// (issue 24, item 10). A sentence of up to 21 mentions pairs every two of them, as before; in a
/// longer one a name co-occurs with the 20 mentions before and the 20 after it, so the pairs
/// grow linearly.
pub const CO_OCCURRENCE_WINDOW: usize = 20;

/// Two entities named in the same sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoOccurrence {
    /// The first entity (row index, the smaller one).
    pub a: usize,
    /// The second entity (row index).
    pub b: usize,
    /// Number of sentences that name both within [`CO_OCCURRENCE_WINDOW`] mentions of each
    /// other.
    pub sentences: usize,
}

/// One fact of the corpus: a relation between two rows (or a row and a role), with every
/// document that states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationFact {
    /// The relation's type.
    pub kind: RelationType,
    /// The person (role, member_of) or the organisation or place (participates_in), as a row.
    pub head: usize,
    /// The party, the initiative, or the organisation or place a role names, as a row (absent
    /// for a role that names none, and when the tail's label is not counted).
    pub tail: Option<usize>,
    /// The office (role only), as most often written among its documents (ties: the first
    /// in text order of the corpus); white space runs written as one space.
    pub role: Option<String>,
    /// The documents that state it, as indices into [`EntityTable::documents`], by date
    /// (undated last), then in input order.
    pub documents: Vec<usize>,
}

/// The entities of a corpus (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct EntityTable {
    /// The entities, sorted by id.
    pub rows: Vec<EntityRow>,
    /// The documents, in input order.
    pub documents: Vec<DocumentEntry>,
    /// Pairs of entities named in one sentence (at most [`CO_OCCURRENCE_WINDOW`] mentions apart),
    /// sorted by `(a, b)`.
    pub co_occurrences: Vec<CoOccurrence>,
    /// The relations of the documents joined per fact: one per type, head row and tail row
    /// (or role key), sorted by head, type, the first document's date (undated last), then
    /// the role or tail. Empty when the documents carry no relations.
    pub relations: Vec<RelationFact>,
    /// Every per-document id → its row.
    by_id: HashMap<String, usize>,
}

impl EntityTable {
    /// The table of `docs` (linked documents), counting only entities with one of `labels`.
    pub fn build<'a>(
        docs: impl IntoIterator<Item = &'a Document>,
        labels: &[Label],
    ) -> EntityTable {
        let mut b = EntityTableBuilder::new(labels);
        for d in docs {
            b.add(d);
        }
        b.finish()
    }

    /// The row of a per-document id (as written by `nl-ner extract`), if it is in the table.
    pub fn row(&self, id: &str) -> Option<&EntityRow> {
        self.by_id.get(id).map(|&r| &self.rows[r])
    }

    /// The row index of a per-document id.
    pub fn resolve(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The facts shown with `row` (what `nl-ner entities` and the report list under an
    /// entity): a person's roles and parties, the initiatives an organisation or place takes
    /// part in (each with `row` as head), then an initiative's participants (`row` as tail).
    pub fn row_facts(&self, row: usize) -> Vec<RowFact<'_>> {
        let heads = self.relations.iter().filter(|f| f.head == row).map(|f| {
            let side = match f.kind {
                RelationType::Role => FactSide::Role,
                RelationType::MemberOf => FactSide::Party,
                RelationType::ParticipatesIn => FactSide::TakesPartIn,
            };
            RowFact {
                side,
                fact: f,
                other: f.tail,
            }
        });
        let participants = self
            .relations
            .iter()
            .filter(|f| f.kind == RelationType::ParticipatesIn && f.tail == Some(row))
            .map(|f| RowFact {
                side: FactSide::Participant,
                fact: f,
                other: Some(f.head),
            });
        heads.chain(participants).collect()
    }
}

/// How a fact stands to the entity it is shown with ([`EntityTable::row_facts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactSide {
    /// An office the person holds.
    Role,
    /// A party the person belongs to.
    Party,
    /// An initiative the organisation or place takes part in.
    TakesPartIn,
    /// An organisation or place that takes part in the initiative.
    Participant,
}

impl FactSide {
    /// The name shown (`role`, `party`, `takes part in`, `participant`).
    pub fn as_str(self) -> &'static str {
        match self {
            FactSide::Role => "role",
            FactSide::Party => "party",
            FactSide::TakesPartIn => "takes part in",
            FactSide::Participant => "participant",
        }
    }
}

/// A fact as shown with one entity: how it stands to it, the fact, and the other entity's row
/// (for a role, the organisation or place it names, if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowFact<'t> {
    /// How the fact stands to the entity.
    pub side: FactSide,
    /// The fact.
    pub fact: &'t RelationFact,
    /// The other entity's row.
    pub other: Option<usize>,
}

impl RowFact<'_> {
    /// What the fact names beside the entity: the office of a role, else the other entity's
    /// name in `table`.
    pub fn name(&self, table: &EntityTable) -> Option<String> {
        match (self.side, &self.fact.role, self.other) {
            (FactSide::Role, Some(role), _) => Some(role.clone()),
            (FactSide::Role, None, _) => None,
            (_, _, Some(o)) => Some(table.rows[o].canonical.clone()),
            (_, _, None) => None,
        }
    }
}

/// Collects documents one at a time into an [`EntityTable`], keeping only what the table needs.
#[derive(Clone, Debug)]
pub struct EntityTableBuilder {
    labels: Vec<Label>,
    ids: Vec<String>,
    index: HashMap<String, u32>,
    /// Per interned id: `(label, form)` → mentions.
    forms: Vec<BTreeMap<(Label, String), usize>>,
    docs: Vec<DocAcc>,
    /// Per sentence of the corpus that names two or more entities: their interned ids.
    sentences: Vec<Vec<u32>>,
    relations: Vec<RelationAcc>,
}

#[derive(Clone, Debug)]
struct DocAcc {
    id: String,
    chars: usize,
    date: Option<Date>,
    mentions: Vec<(u32, Range<usize>)>,
}

/// A relation of one document, by interned ids.
#[derive(Clone, Debug)]
struct RelationAcc {
    doc: usize,
    kind: RelationType,
    head: u32,
    tail: Option<u32>,
    /// The role phrase as written (white space runs as one space) and its key.
    role: Option<(String, String)>,
}

impl EntityTableBuilder {
    /// An empty table that will count the entities with one of `labels`.
    pub fn new(labels: &[Label]) -> Self {
        EntityTableBuilder {
            labels: labels.to_vec(),
            ids: Vec::new(),
            index: HashMap::new(),
            forms: Vec::new(),
            docs: Vec::new(),
            sentences: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// Adds a document. Its entity ids are the link stage's; a document without them is
    /// counted by the ids its names give alone (`link::key::name_id`).
    pub fn add(&mut self, doc: &Document) {
        let linked = doc.is_linked();
        let mut acc = DocAcc {
            id: doc.id.clone(),
            chars: doc.text.chars().count(),
            date: doc
                .date
                .clone()
                .or_else(|| dating::find(doc))
                .map(|d| d.date),
            mentions: Vec::new(),
        };
        let mut sentence_ids: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        // The interned id of each counted entity, for the relations.
        let mut interned: Vec<Option<u32>> = vec![None; doc.entities.len()];
        for (i, e) in doc.entities.iter().enumerate() {
            if !self.labels.contains(&e.label) {
                continue;
            }
            let text = e.span.text(&doc.text);
            let n = self.intern(id_in(linked, e, text));
            interned[i] = Some(n);
            let form = text.split_whitespace().collect::<Vec<_>>().join(" ");
            *self.forms[n as usize].entry((e.label, form)).or_default() += 1;
            acc.mentions.push((n, e.span.chars()));
            let sentence = doc
                .sentences
                .partition_point(|s| s.span.char_end <= e.span.char_start);
            if doc
                .sentences
                .get(sentence)
                .is_some_and(|s| s.span.char_start <= e.span.char_start)
            {
                sentence_ids.entry(sentence).or_default().push(n);
            }
        }
        self.sentences
            .extend(sentence_ids.into_values().filter(|ids| ids.len() > 1));
        for r in doc.relations.iter().flatten() {
            let Some(head) = interned.get(r.head).copied().flatten() else {
                continue;
            };
            let tail = r.tail.and_then(|t| interned.get(t).copied().flatten());
            if r.kind != RelationType::Role && tail.is_none() {
                continue;
            }
            let role = r.role.map(|span| {
                let phrase = span.text(&doc.text);
                (
                    phrase.split_whitespace().collect::<Vec<_>>().join(" "),
                    role_key(phrase),
                )
            });
            self.relations.push(RelationAcc {
                doc: self.docs.len(),
                kind: r.kind,
                head,
                tail,
                role,
            });
        }
        self.docs.push(acc);
    }

    /// The per-document id under which [`add`](Self::add) counts a mention of `doc` (its row
    /// is [`EntityTable::resolve`] of it): the link stage's id, or for a document without ids
    /// the id its name gives alone.
    pub fn mention_id(doc: &Document, entity: &crate::doc::Entity) -> String {
        id_in(doc.is_linked(), entity, entity.span.text(&doc.text))
    }

    fn intern(&mut self, id: String) -> u32 {
        if let Some(&n) = self.index.get(&id) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.index.insert(id.clone(), n);
        self.ids.push(id);
        self.forms.push(BTreeMap::new());
        n
    }

    /// Joins ids that share a name and builds the rows.
    pub fn finish(self) -> EntityTable {
        let n = self.ids.len();
        let mut sets = DisjointSets::new(n);
        let mut first_with_key: HashMap<(Label, String), usize> = HashMap::new();
        for (i, forms) in self.forms.iter().enumerate() {
            // A surname alone is no shared name: two people with that surname each carry it
            // (`De Groot` in a document about Tjeerd, and in one about Peter de Groot). It joins
            // below, and only where one person has it.
            let surname_only = |l: &Label, f: &str| *l == Label::Per && !key::has_given_name(f);
            for (label, form) in forms.keys().filter(|(l, f)| !surname_only(l, f)) {
                let k = (*label, key::key(*label, form));
                let j = *first_with_key.entry(k).or_insert(i);
                sets.union(i, j);
            }
        }
        // A person named by surname alone joins the one full name with that surname in the corpus.
        let mut full_names: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (i, forms) in self.forms.iter().enumerate() {
            for (_, form) in forms
                .keys()
                .filter(|(l, f)| *l == Label::Per && key::has_given_name(f))
            {
                let root = sets.find(i);
                full_names
                    .entry(key::surname_key(form))
                    .or_default()
                    .insert(root);
            }
        }
        for (i, forms) in self.forms.iter().enumerate() {
            let surnames: BTreeSet<String> = forms
                .keys()
                .map(|(l, f)| {
                    (*l == Label::Per && !key::has_given_name(f)).then(|| key::surname_key(f))
                })
                .collect::<Option<_>>()
                .unwrap_or_default();
            if let [surname] = Vec::from_iter(surnames).as_slice()
                && let Some(full) = full_names.get(surname).filter(|f| f.len() == 1)
            {
                sets.union(i, *full.first().expect("one"));
            }
        }
        let mentions: Vec<usize> = self.forms.iter().map(|f| f.values().sum()).collect();
        // An id that every one of its names gives alone carries no knowledge of other names.
        let derived = |i: usize| {
            self.forms[i]
                .keys()
                .all(|(label, form)| key::name_id(*label, form) == self.ids[i])
        };
        let fullest = |i: usize| {
            self.forms[i]
                .keys()
                .map(|(_, f)| completeness(f, 0).0)
                .max()
        };
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            members.entry(sets.find(i)).or_default().push(i);
        }
        let mut groups: Vec<(usize, Vec<usize>)> = members
            .into_values()
            .map(|m| {
                let rep = *m
                    .iter()
                    .min_by_key(|&&i| {
                        (
                            derived(i),
                            Reverse(fullest(i)),
                            Reverse(mentions[i]),
                            &self.ids[i],
                        )
                    })
                    .expect("a set has a member");
                (rep, m)
            })
            .collect();
        groups.sort_by(|a, b| self.ids[a.0].cmp(&self.ids[b.0]));

        let mut row_of = vec![0usize; n];
        let mut rows = Vec::with_capacity(groups.len());
        for (r, (rep, m)) in groups.iter().enumerate() {
            let mut labels: BTreeMap<Label, usize> = BTreeMap::new();
            let mut forms: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in m {
                row_of[i] = r;
                for ((label, form), count) in &self.forms[i] {
                    *labels.entry(*label).or_default() += count;
                    *forms.entry(form.as_str()).or_default() += count;
                }
            }
            let label = labels
                .iter()
                .max_by_key(|(l, c)| (**c, Reverse(**l)))
                .map(|(l, _)| *l)
                .expect("mentioned");
            let canonical = *forms
                .iter()
                .max_by_key(|(f, c)| completeness(f, **c))
                .map(|(f, _)| f)
                .expect("mentioned");
            let mut aliases: Vec<(&str, usize)> =
                forms.into_iter().filter(|(f, _)| *f != canonical).collect();
            aliases.sort_by_key(|&(f, c)| (Reverse(c), f));
            let mut ids: Vec<String> = m.iter().map(|&i| self.ids[i].clone()).collect();
            ids.sort();
            rows.push(EntityRow {
                id: self.ids[*rep].clone(),
                label,
                canonical: canonical.to_string(),
                aliases: aliases.into_iter().map(|(f, _)| f.to_string()).collect(),
                mentions: m.iter().map(|&i| mentions[i]).sum(),
                documents: Vec::new(),
                ids,
            });
        }

        let mut documents = Vec::with_capacity(self.docs.len());
        for (d, acc) in self.docs.into_iter().enumerate() {
            let mut grouped: Vec<Mentions> = Vec::new();
            let mut slot: HashMap<usize, usize> = HashMap::new();
            for (n, span) in acc.mentions {
                let entity = row_of[n as usize];
                let g = *slot.entry(entity).or_insert_with(|| {
                    grouped.push(Mentions {
                        entity,
                        spans: Vec::new(),
                    });
                    grouped.len() - 1
                });
                grouped[g].spans.push(span);
            }
            for g in &grouped {
                rows[g.entity].documents.push(d);
            }
            documents.push(DocumentEntry {
                id: acc.id,
                chars: acc.chars,
                date: acc.date,
                mentions: grouped,
            });
        }
        let relations = facts(self.relations, &row_of, &documents);

        let mut pairs: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut in_sentence: BTreeSet<(usize, usize)> = BTreeSet::new();
        for ids in &self.sentences {
            let rs: Vec<usize> = ids.iter().map(|&n| row_of[n as usize]).collect();
            in_sentence.clear();
            for (x, &a) in rs.iter().enumerate() {
                for &b in rs[x + 1..].iter().take(CO_OCCURRENCE_WINDOW) {
                    if a != b {
                        in_sentence.insert((a.min(b), a.max(b)));
                    }
                }
            }
            for &pair in &in_sentence {
                *pairs.entry(pair).or_default() += 1;
            }
        }
        let co_occurrences = pairs
            .into_iter()
            .map(|((a, b), sentences)| CoOccurrence { a, b, sentences })
            .collect();
        let by_id = self
            .ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, row_of[i]))
            .collect();
        EntityTable {
            rows,
            documents,
            co_occurrences,
            relations,
            by_id,
        }
    }
}

/// The id a mention is counted under (see [`EntityTableBuilder::mention_id`]).
fn id_in(linked: bool, e: &crate::doc::Entity, text: &str) -> String {
    match (linked, &e.entity_id) {
        (true, Some(id)) => id.clone(),
        _ => key::name_id(e.label, text),
    }
}

/// Joins the documents' relations into facts: one per type, head row and tail row (or role
/// key for a role), each with the documents that state it and the office as most often
/// written.
fn facts(
    found: Vec<RelationAcc>,
    row_of: &[usize],
    documents: &[DocumentEntry],
) -> Vec<RelationFact> {
    type Key = (RelationType, usize, Option<usize>, String);
    struct Acc {
        docs: BTreeSet<usize>,
        /// Each way the role is written → how often, and where it was first seen.
        forms: BTreeMap<String, (usize, usize)>,
        /// The organisation or place a role names, as first seen.
        tail: Option<usize>,
    }
    let mut by_key: BTreeMap<Key, Acc> = BTreeMap::new();
    for (seen, r) in found.into_iter().enumerate() {
        let head = row_of[r.head as usize];
        let tail = r.tail.map(|t| row_of[t as usize]);
        let (form, role_key) = r.role.unzip();
        // A role is its office; the organisation it names is part of the phrase.
        let key = match r.kind {
            RelationType::Role => (r.kind, head, None, role_key.unwrap_or_default()),
            _ => (r.kind, head, tail, String::new()),
        };
        let acc = by_key.entry(key).or_insert_with(|| Acc {
            docs: BTreeSet::new(),
            forms: BTreeMap::new(),
            tail: None,
        });
        acc.docs.insert(r.doc);
        if let Some(form) = form {
            acc.forms.entry(form).or_insert((0, seen)).0 += 1;
        }
        acc.tail = acc.tail.or(tail);
    }
    let by_date = |d: &usize| (documents[*d].date.is_none(), documents[*d].date, *d);
    let mut out: Vec<RelationFact> = by_key
        .into_iter()
        .map(|((kind, head, tail, _), acc)| {
            let tail = tail.or(acc.tail);
            let role = acc
                .forms
                .iter()
                .max_by_key(|(_, (count, seen))| (*count, Reverse(*seen)))
                .map(|(f, _)| f.clone());
            let mut docs: Vec<usize> = acc.docs.into_iter().collect();
            docs.sort_by_key(by_date);
            RelationFact {
                kind,
                head,
                tail,
                role,
                documents: docs,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let first = |f: &RelationFact| f.documents.first().map(by_date);
        (a.head, a.kind, first(a), &a.role, a.tail).cmp(&(
            b.head,
            b.kind,
            first(b),
            &b.role,
            b.tail,
        ))
    });
    out
}

/// How complete a name is, for choosing the canonical one: more words, more characters, more
/// letters beyond ASCII (diacritics), not in capitals only (`Tjeerd de Groot`, not `TJEERD DE
/// GROOT`); then more mentions, then the earlier text.
fn completeness(form: &str, count: usize) -> ((usize, usize, usize, bool), usize, Reverse<&str>) {
    let words = form.split_whitespace().count();
    let chars = form.chars().count();
    let accented = form.chars().filter(|c| !c.is_ascii()).count();
    let mixed_case = form.chars().any(char::is_lowercase);
    ((words, chars, accented, mixed_case), count, Reverse(form))
}

/// Union–find over `0..n`, smallest index as the root, so the result does not depend on the
/// order of unions.
#[derive(Debug)]
struct DisjointSets(Vec<usize>);

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets((0..n).collect())
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        self.0[hi] = lo;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Sentence, Source, Span};

    /// A linked document: `(name, label, id)` in text order, one sentence per `. `.
    fn doc(id: &str, text: &str, names: &[(&str, Label, &str)]) -> Document {
        let mut d = Document::new(id, text);
        let mut from = 0;
        for (name, label, eid) in names {
            let at = from + text[from..].find(name).unwrap();
            d.entities.push(Entity {
                span: Span::from_bytes(text, at..at + name.len()),
                label: *label,
                score: 1.0,
                source: Source::Model,
                entity_id: Some(eid.to_string()),
                rule: None,
            });
            from = at + name.len();
        }
        let mut start = 0;
        for part in text.split_inclusive(". ") {
            let end = start + part.trim_end().len();
            d.sentences.push(Sentence {
                span: Span::from_bytes(text, start..end),
                tokens: 0..0,
            });
            start += part.len();
        }
        d
    }

    const ALL: [Label; 9] = Label::ALL;

    #[test]
    fn a_long_form_without_its_acronym_joins_the_acronyms_row() {
        use Label::*;
        let a = doc(
            "a",
            "De Prioritised Ukraine Requirement List (PURL) en de NAVO. Het PURL-initiatief en Oekraïne.",
            &[
                (
                    "Prioritised Ukraine Requirement List",
                    Initiative,
                    "initiative:purl",
                ),
                ("PURL", Initiative, "initiative:purl"),
                ("NAVO", Org, "org:navo"),
                ("PURL", Initiative, "initiative:purl"),
                ("Oekraïne", Loc, "loc:ukraine"),
            ],
        );
        let b = doc(
            "b",
            "De Prioritised Ukraine\nRequirement List steunt Oekraïne. NATO.",
            &[
                (
                    "Prioritised Ukraine\nRequirement List",
                    Initiative,
                    "initiative:prioritised-ukraine-requirement-list",
                ),
                ("Oekraïne", Loc, "loc:ukraine"),
                ("NATO", Org, "org:navo"),
            ],
        );
        let t = EntityTable::build([&a, &b], &ALL);
        let ids: Vec<&str> = t.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["initiative:purl", "loc:ukraine", "org:navo"]);
        let purl = t
            .row("initiative:prioritised-ukraine-requirement-list")
            .unwrap();
        assert_eq!(purl.id, "initiative:purl");
        assert_eq!(purl.canonical, "Prioritised Ukraine Requirement List");
        assert_eq!(purl.aliases, ["PURL"]);
        assert_eq!((purl.mentions, purl.documents.as_slice()), (4, &[0, 1][..]));
        let navo = t.row("org:navo").unwrap();
        assert_eq!(
            (navo.canonical.as_str(), navo.aliases.as_slice()),
            ("NATO", &["NAVO".to_string()][..])
        );
        // Sentence 1 of a: PURL + NAVO; sentence 2 of a: PURL + Oekraïne; sentence 1 of b: PURL + Oekraïne.
        let co: Vec<(&str, &str, usize)> = t
            .co_occurrences
            .iter()
            .map(|c| {
                (
                    t.rows[c.a].id.as_str(),
                    t.rows[c.b].id.as_str(),
                    c.sentences,
                )
            })
            .collect();
        assert_eq!(
            co,
            [
                ("initiative:purl", "loc:ukraine", 2),
                ("initiative:purl", "org:navo", 1)
            ]
        );
        let spans: Vec<_> = t.documents[0]
            .mentions
            .iter()
            .map(|m| (t.rows[m.entity].id.as_str(), m.spans.len()))
            .collect();
        assert_eq!(
            spans,
            [("initiative:purl", 3), ("org:navo", 1), ("loc:ukraine", 1)]
        );
    }

    #[test]
    fn co_occurrence_in_a_long_sentence_is_windowed() {
        let names: Vec<String> = (0..200).map(|i| format!("Naam{i}")).collect();
        let text = names.join(", ") + ".";
        let ids: Vec<String> = (0..200).map(|i| format!("per:naam{i}")).collect();
        let list: Vec<(&str, Label, &str)> = names
            .iter()
            .zip(&ids)
            .map(|(n, id)| (n.as_str(), Label::Per, id.as_str()))
            .collect();
        let t = EntityTable::build([&doc("a", &text, &list)], &ALL);
        // Each mention pairs with the next 20: 20 pairs for each of the first 180, fewer after.
        assert_eq!(t.co_occurrences.len(), 180 * 20 + (0..20).sum::<usize>());
        let id = |r: usize| t.rows[r].id.as_str();
        assert!(t.co_occurrences.iter().all(|c| {
            id(c.a)[8..]
                .parse::<i32>()
                .unwrap()
                .abs_diff(id(c.b)[8..].parse().unwrap())
                <= 20
        }));
        // A short sentence pairs every two names, and one name twice counts once.
        let a = doc(
            "b",
            "Naam1, Naam2 en Naam1.",
            &[
                ("Naam1", Label::Per, "per:naam1"),
                ("Naam2", Label::Per, "per:naam2"),
                ("Naam1", Label::Per, "per:naam1"),
            ],
        );
        let t = EntityTable::build([&a], &ALL);
        assert_eq!(t.co_occurrences.len(), 1);
        assert_eq!(t.co_occurrences[0].sentences, 1);
    }

    #[test]
    fn the_canonical_name_is_the_most_complete_and_labels_filter() {
        use Label::*;
        let a = doc(
            "a",
            "Yesilgoz-Zegerius sprak. D. Yeşilgöz-Zegerius tekende. Yeşilgöz-Zegerius in 2026.",
            &[
                ("Yesilgoz-Zegerius", Per, "per:yesilgoz-zegerius"),
                ("D. Yeşilgöz-Zegerius", Per, "per:yesilgoz-zegerius"),
                ("Yeşilgöz-Zegerius", Per, "per:yesilgoz-zegerius"),
                ("2026", Date, "date:2026"),
            ],
        );
        let t = EntityTable::build([&a], &[Per]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].canonical, "D. Yeşilgöz-Zegerius");
        assert_eq!(
            t.rows[0].aliases,
            ["Yesilgoz-Zegerius", "Yeşilgöz-Zegerius"]
        );
        assert!(t.co_occurrences.is_empty());
        assert!(t.row("date:2026").is_none());
    }

    #[test]
    fn a_surname_joins_a_full_name_only_when_one_person_has_it() {
        use Label::*;
        let a = doc(
            "a",
            "TJEERD DE GROOT. Tjeerd de Groot en Peter de Groot. Mychajlo Fedorov.",
            &[
                ("TJEERD DE GROOT", Per, "per:tjeerd-de-groot"),
                ("Tjeerd de Groot", Per, "per:tjeerd-de-groot"),
                ("Peter de Groot", Per, "per:peter-de-groot"),
                ("Mychajlo Fedorov", Per, "per:mychajlo-fedorov"),
            ],
        );
        let b = doc(
            "b",
            "De Groot en Fedorov.",
            &[
                ("De Groot", Per, "per:de-groot"),
                ("Fedorov", Per, "per:fedorov"),
            ],
        );
        let t = EntityTable::build([&a, &b], &ALL);
        let rows: Vec<(&str, &str, usize)> = t
            .rows
            .iter()
            .map(|r| (r.id.as_str(), r.canonical.as_str(), r.mentions))
            .collect();
        assert_eq!(
            rows,
            [
                ("per:de-groot", "De Groot", 1),
                ("per:mychajlo-fedorov", "Mychajlo Fedorov", 2),
                ("per:peter-de-groot", "Peter de Groot", 1),
                ("per:tjeerd-de-groot", "Tjeerd de Groot", 2),
            ]
        );
        assert_eq!(t.row("per:fedorov").unwrap().id, "per:mychajlo-fedorov");

        // Each full name was linked to `De Groot` in its own document: still two people.
        let c = doc(
            "c",
            "Peter de Groot. De Groot.",
            &[
                ("Peter de Groot", Per, "per:peter-de-groot"),
                ("De Groot", Per, "per:peter-de-groot"),
            ],
        );
        let d = doc(
            "d",
            "Tjeerd de Groot. De Groot.",
            &[
                ("Tjeerd de Groot", Per, "per:tjeerd-de-groot"),
                ("De Groot", Per, "per:tjeerd-de-groot"),
            ],
        );
        let t = EntityTable::build([&c, &d], &ALL);
        let ids: Vec<&str> = t.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["per:peter-de-groot", "per:tjeerd-de-groot"]);
    }

    #[test]
    fn relations_join_per_fact_in_order_of_the_documents_dates() {
        use crate::doc::Relation;
        use Label::*;
        let role = |d: &Document, phrase: &str| {
            let at = d.text.find(phrase).unwrap();
            Some(Span::from_bytes(&d.text, at..at + phrase.len()))
        };
        // A signed letter: its date line, then "OFFICE, A.B. Jansen. Jansen (VVD)." stated as a
        // role and a membership.
        let letter = |id: &str, date_line: &str, office: &str| {
            let mut d = doc(
                id,
                &format!("{date_line}\nDe {office}, A.B. Jansen. Jansen (VVD)."),
                &[
                    ("A.B. Jansen", Per, "per:jansen"),
                    ("Jansen", Per, "per:jansen"),
                    ("VVD", Org, "org:vvd"),
                ],
            );
            d.relations = Some(vec![
                Relation {
                    kind: RelationType::Role,
                    head: 0,
                    tail: None,
                    role: role(&d, office),
                    score: 1.0,
                },
                Relation {
                    kind: RelationType::MemberOf,
                    head: 1,
                    tail: Some(2),
                    role: None,
                    score: 1.0,
                },
            ]);
            d
        };
        // Written later, dated earlier: the fact's documents and the roles go by date.
        let later = letter("b", "Den Haag, 12 maart 2025", "minister van Financiën");
        let earlier = letter(
            "a",
            "Den Haag, 3 juni 2024",
            "Staatssecretaris van Financiën",
        );
        let mut again = doc(
            "c",
            "De staatssecretaris van Financiën, A.B. Jansen.",
            &[("A.B. Jansen", Per, "per:jansen")],
        );
        again.relations = Some(vec![Relation {
            kind: RelationType::Role,
            head: 0,
            tail: None,
            role: role(&again, "staatssecretaris van Financiën"),
            score: 1.0,
        }]);
        let t = EntityTable::build([&later, &earlier, &again], &ALL);
        let dates: Vec<Option<String>> = t
            .documents
            .iter()
            .map(|d| d.date.map(|d| d.to_string()))
            .collect();
        assert_eq!(
            dates,
            [Some("2025-03-12".into()), Some("2024-06-03".into()), None]
        );
        let jansen = t.resolve("per:jansen").unwrap();
        let facts: Vec<(&str, Option<String>, Vec<usize>)> = t
            .row_facts(jansen)
            .iter()
            .map(|f| (f.side.as_str(), f.name(&t), f.fact.documents.clone()))
            .collect();
        assert_eq!(
            facts,
            [
                // One office however it is capitalised; the way written first wins a tie, and the
                // undated document comes last.
                (
                    "role",
                    Some("Staatssecretaris van Financiën".into()),
                    vec![1, 2]
                ),
                ("role", Some("minister van Financiën".into()), vec![0]),
                ("party", Some("VVD".into()), vec![1, 0]),
            ]
        );
        // Without relations in the documents, no facts.
        let mut plain = later.clone();
        plain.relations = None;
        assert!(EntityTable::build([&plain], &ALL).relations.is_empty());
    }
}
