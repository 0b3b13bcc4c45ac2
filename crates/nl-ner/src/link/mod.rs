//! Linking: a canonical entity id for every mention, after the domain layer.
//!
//! Mentions that name the same thing share an id (design and rules: `docs/linking.md`). Within
//! a document a mention's id is, from the first rule that applies:
//!
//! 1. an acronym definition of the document (`Prioritised Ukraine Requirement List (PURL)`):
//!    both forms, and every mention with the key of either, get the gazetteer id of either
//!    form, else `label:key-of-the-short-form` (`initiative:purl`);
//! 2. `de Kamer`, `uw Kamer` (an organisation named `Kamer` after `de` or `uw`): the Tweede
//!    Kamer, which these texts address so, unless the document names the Eerste Kamer and not
//!    the Tweede (then the Eerste Kamer); `Kamer` alone stays `org:kamer`;
//! 3. a gazetteer entry of the mention's label with a form of the same key (`NATO` →
//!    `org:navo`, `Tweede Kamer der Staten-Generaal` → `org:tweede-kamer`);
//! 4. for a person named by surname alone (`Fedorov`), the id of the one full name with that
//!    surname in the document (`Mychajlo Fedorov` → `per:mychajlo-fedorov`), if there is exactly
//!    one;
//! 5. the mention's own key (`per:von-der-leyen`, [`key`]).
//!
//! The id depends only on the document and the gazetteers, so it is the same in every run,
//! whatever the thread count or batching. What one document cannot know (a long form used
//! without its acronym in another document) is joined at corpus level by [`EntityTable`].
//!
//! ```
//! use nl_ner::Gazetteer;
//! use nl_ner::Linker;
//! use nl_ner::{Document, Entity, Label, Source, Span};
//!
//! let text = "De Prioritised Ukraine Requirement List (PURL) en de NATO. Het PURL-initiatief.";
//! let mut doc = Document::new("d", text);
//! for (name, label) in [("Prioritised Ukraine Requirement List", Label::Initiative), ("PURL", Label::Initiative), ("NATO", Label::Org)] {
//!     let at = text.find(name).unwrap();
//!     doc.entities.push(Entity { span: Span::from_bytes(text, at..at + name.len()), label, score: 1.0, source: Source::Model, entity_id: None, rule: None });
//! }
//! let at = text.rfind("PURL").unwrap();
//! doc.entities.push(Entity { span: Span::from_bytes(text, at..at + 4), label: Label::Initiative, score: 1.0, source: Source::Acronym, entity_id: None, rule: None });
//! doc.entities.sort_by_key(|e| e.span);
//! Linker::new(&Gazetteer::builtin().unwrap()).link(&mut doc);
//! let ids: Vec<_> = doc.entities.iter().map(|e| e.entity_id.as_deref().unwrap()).collect();
//! assert_eq!(ids, ["initiative:purl", "initiative:purl", "org:navo", "initiative:purl"]);
//! ```

pub mod key;
pub mod table;

use std::collections::{BTreeSet, HashMap};

pub use table::{
    CO_OCCURRENCE_WINDOW, CoOccurrence, DocumentEntry, EntityRow, EntityTable, EntityTableBuilder,
    FactSide, Mentions, RelationFact, RowFact,
};

use crate::doc::{Document, Label};
use crate::domain::{Gazetteer, find_pairs};

/// Gives every entity of a document its canonical id (the link stage of the pipeline).
#[derive(Clone, Debug, Default)]
pub struct Linker {
    /// `(label, key)` of every gazetteer form → the entry's id; later entries win, as in the
    /// gazetteer's own matching.
    known: HashMap<(Label, String), String>,
}

impl Linker {
    /// A linker that knows the ids and aliases of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> Self {
        let mut known = HashMap::new();
        for entry in gazetteer.entries() {
            for form in std::iter::once(&entry.name).chain(&entry.aliases) {
                let slug = key::slug(form);
                if !slug.is_empty() {
                    known.insert((entry.label, slug), entry.id.clone());
                }
            }
        }
        Linker { known }
    }

    /// Sets every entity's [`Entity::entity_id`](crate::Entity::entity_id).
    pub fn link(&self, doc: &mut Document) {
        let ids = self.ids(doc);
        for (e, id) in doc.entities.iter_mut().zip(ids) {
            e.entity_id = Some(id);
        }
    }

    /// The id of each entity of `doc`, in order.
    pub fn ids(&self, doc: &Document) -> Vec<String> {
        // Acronym definitions: the slug of either form → (short form's slug, long form's slug).
        // The first definition of a form wins, as in the domain layer's propagation.
        let mut defined: HashMap<String, (String, String)> = HashMap::new();
        for pair in find_pairs(doc) {
            let short = key::slug(pair.short.text(&doc.text));
            let long = key::slug(pair.long.text(&doc.text));
            if short.is_empty() || long.is_empty() {
                continue;
            }
            for k in [&short, &long] {
                defined
                    .entry(k.clone())
                    .or_insert_with(|| (short.clone(), long.clone()));
            }
        }
        // Persons' full names by surname: `de-groot` → {`tjeerd-de-groot`, `peter-de-groot`}.
        let mut full_names: HashMap<String, BTreeSet<String>> = HashMap::new();
        for e in doc.entities.iter().filter(|e| e.label == Label::Per) {
            let text = e.span.text(&doc.text);
            if key::has_given_name(text) {
                full_names
                    .entry(key::surname_key(text))
                    .or_default()
                    .insert(key::key(Label::Per, text));
            }
        }
        doc.entities
            .iter()
            .map(|e| {
                let text = e.span.text(&doc.text);
                let slug = key::slug(text);
                if let Some((short, long)) = defined.get(&slug) {
                    return self
                        .gazetteer_id(e.label, short)
                        .or_else(|| self.gazetteer_id(e.label, long))
                        .unwrap_or_else(|| format!("{}:{short}", key::prefix(e.label)));
                }
                if e.label == Label::Org
                    && text == "Kamer"
                    && let Some(id) = self.the_kamer(doc, e.span.byte_start)
                {
                    return id;
                }
                if let Some(id) = self.gazetteer_id(e.label, &slug) {
                    return id;
                }
                if e.label == Label::Per && !key::has_given_name(text) {
                    let full = full_names
                        .get(&key::surname_key(text))
                        .filter(|f| f.len() == 1);
                    if let Some(k) = full.and_then(|f| f.first()) {
                        return format!("{}:{k}", key::prefix(Label::Per));
                    }
                }
                key::name_id(e.label, text)
            })
            .collect()
    }

    /// The chamber `Kamer` at byte `at` names when `de` or `uw` comes before it: the Tweede
    /// Kamer, or the Eerste Kamer in a document that names it and not the Tweede.
    fn the_kamer(&self, doc: &Document, at: usize) -> Option<String> {
        let before = doc.text[..at].trim_end_matches(char::is_whitespace);
        let word = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if before.len() == at
            || !(word.eq_ignore_ascii_case("de") || word.eq_ignore_ascii_case("uw"))
        {
            return None;
        }
        let eerste = doc.text.contains("Eerste Kamer") && !doc.text.contains("Tweede Kamer");
        let name = if eerste {
            "Eerste Kamer"
        } else {
            "Tweede Kamer"
        };
        self.gazetteer_id(Label::Org, &key::slug(name))
    }

    fn gazetteer_id(&self, label: Label, slug: &str) -> Option<String> {
        self.known.get(&(label, slug.to_string())).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Source, Span};
    use crate::domain::GazetteerEntry;
    use crate::segment::Segmenter;

    fn doc(text: &str, names: &[(&str, Label)]) -> Document {
        let mut doc = Document::new("d", text);
        let mut from = 0;
        for (name, label) in names {
            let at = from
                + text[from..]
                    .find(name)
                    .unwrap_or_else(|| panic!("{name} in text"));
            doc.entities.push(Entity::new(
                Span::from_bytes(text, at..at + name.len()),
                *label,
                1.0,
                Source::Model,
            ));
            from = at + name.len();
        }
        let seg = Segmenter::new().segment(text);
        doc.tokens = seg.tokens;
        doc.sentences = seg.sentences;
        doc
    }

    fn linker() -> Linker {
        let mut g = Gazetteer::builtin().unwrap();
        g.add_entries(
            vec![GazetteerEntry {
                name: "Fonds voor de Wadden".into(),
                label: Label::Initiative,
                id: "initiative:waddenfonds".into(),
                aliases: vec!["Waddenfonds".into()],
                same_as: None,
            }],
            &Segmenter::new(),
        );
        Linker::new(&g)
    }

    #[test]
    fn de_kamer_and_uw_kamer_are_the_tweede_kamer() {
        let text = "De Tweede Kamer en de Kamer. Ik informeer uw Kamer. Kamer 12.";
        let d = doc(
            text,
            &[
                ("Tweede Kamer", Label::Org),
                ("Kamer", Label::Org),
                ("Kamer", Label::Org),
                ("Kamer", Label::Org),
            ],
        );
        assert_eq!(
            linker().ids(&d),
            [
                "org:tweede-kamer",
                "org:tweede-kamer",
                "org:tweede-kamer",
                "org:kamer"
            ]
        );
        let text = "Brief aan de Eerste Kamer. Ik informeer uw Kamer.";
        let d = doc(text, &[("Eerste Kamer", Label::Org), ("Kamer", Label::Org)]);
        assert_eq!(linker().ids(&d), ["org:eerste-kamer", "org:eerste-kamer"]);
    }

    #[test]
    fn names_of_one_thing_share_an_id() {
        use Label::*;
        let text = "De NAVO en de NATO. De Tweede Kamer der Staten-Generaal en de Tweede Kamer. \
                    Von der Leyen sprak met Ursula von der Leyen. D. Yeşilgöz-Zegerius en Yesilgoz-Zegerius. \
                    Tjeerd de Groot, Peter de Groot en De Groot. \
                    Het Waddenfonds is het Fonds voor de Wadden.";
        let d = doc(
            text,
            &[
                ("NAVO", Org),
                ("NATO", Org),
                ("Tweede Kamer der Staten-Generaal", Org),
                ("Tweede Kamer", Org),
                ("Von der Leyen", Per),
                ("Ursula von der Leyen", Per),
                ("D. Yeşilgöz-Zegerius", Per),
                ("Yesilgoz-Zegerius", Per),
                ("Tjeerd de Groot", Per),
                ("Peter de Groot", Per),
                ("De Groot", Per),
                ("Waddenfonds", Initiative),
                ("Fonds voor de Wadden", Initiative),
            ],
        );
        let ids = linker().ids(&d);
        assert_eq!(
            ids,
            [
                "org:navo",
                "org:navo",
                "org:tweede-kamer",
                "org:tweede-kamer",
                "per:ursula-von-der-leyen",
                "per:ursula-von-der-leyen",
                "per:yesilgoz-zegerius",
                "per:yesilgoz-zegerius",
                "per:tjeerd-de-groot",
                "per:peter-de-groot",
                "per:de-groot",
                "initiative:waddenfonds",
                "initiative:waddenfonds",
            ]
        );
    }

    #[test]
    fn acronym_pairs_share_the_short_forms_id_or_the_gazetteers() {
        use Label::*;
        let text = "De Critical Ukraine Requirement List (CURL) groeit; de CURL en de\nCritical Ukraine Requirement List. \
                    De Noord-Atlantische Raad (NAR) kwam bijeen; de NAR besloot.";
        let d = doc(
            text,
            &[
                ("Critical Ukraine Requirement List", Initiative),
                ("CURL", Initiative),
                ("CURL", Initiative),
                ("Critical Ukraine Requirement List", Initiative),
                ("Noord-Atlantische Raad", Org),
                ("NAR", Org),
                ("NAR", Org),
            ],
        );
        let ids = linker().ids(&d);
        let curl = "initiative:curl";
        // `NAR` is no form of the gazetteer's North Atlantic Council; its long form is.
        assert_eq!(
            ids,
            [curl, curl, curl, curl, "org:nac", "org:nac", "org:nac"]
        );
    }

    #[test]
    fn ids_depend_on_the_document_alone() {
        let text = "Het Budget Internationale Veiligheid (BIV) en de EU.";
        let d = doc(
            text,
            &[
                ("Budget Internationale Veiligheid", Label::Initiative),
                ("BIV", Label::Initiative),
                ("EU", Label::Org),
            ],
        );
        let a = linker().ids(&d);
        let mut other = doc("Iets anders.", &[]);
        linker().link(&mut other);
        assert_eq!(a, linker().ids(&d));
        assert_eq!(a, ["initiative:biv", "initiative:biv", "org:eu"]);
    }
}
