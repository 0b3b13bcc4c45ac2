//! RDF Turtle export of the corpus graph ([`Graph`]): entities, documents, mentions (NIF) and the
//! relations as facts of the W3C Organization Ontology, each with its evidence (PROV-O on an
//! RDF-reified statement). The choices are explained in `docs/exports.md`; in short:
//!
//! ```turtle
//! <BASE entity/per:brekelmans> a nlner:Entity, nlner:Person, schema:Person, foaf:Person ;
//!     nlner:label "PER" ; skos:prefLabel "Ruben Brekelmans"@nl ; skos:altLabel "Brekelmans"@nl ;
//!     nlner:mentionCount 12 .
//! <BASE entity/per:ruben-brekelmans> owl:sameAs <BASE entity/per:brekelmans> .
//! <BASE post/minister-van-defensie> a org:Post ; org:role <BASE role/minister-van-defensie> .
//! <BASE entity/per:brekelmans> org:holds <BASE post/minister-van-defensie> .
//! <BASE document/x.txt#role=10,20;role=0,9> a rdf:Statement ;
//!     rdf:subject <…> ; rdf:predicate org:holds ; rdf:object <…> ;
//!     prov:wasDerivedFrom <BASE document/x.txt> ; nlner:head <BASE document/x.txt#char=10,20> ;
//!     nlner:rolePhrase <BASE document/x.txt#char=0,9> ; nlner:score 0.9700 .
//! ```
//!
//! IRIs lie under a base ([`Base`], `--base`, default [`DEFAULT_BASE`]): `entity/` and an entity
//! id, `document/` and a document id, `role/` and `post/` for offices, `membership/` for party
//! memberships; ids are percent-encoded except for letters, digits and `-._~:/` (a `.` that
//! starts a path segment is encoded too, so ids never make `.` or `..` segments). Strings of a
//! document (its text, sentences, mentions, facts) are the document's IRI with a fragment,
//! `#char=START,END` in code points as NIF and RFC 5147 have it (with a base that ends in `#`,
//! `/char=START,END`, since an IRI has one fragment). Literals are escaped as Turtle requires
//! (`\"`, `\\`, `\n`, `\r`, `\t`, other control characters as `\uXXXX`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::graph::{DocumentGraph, Fact, Graph, Knowledge, is_iri};
use super::type_name;
use crate::output::jsonl::round4;
use nl_ner::relate::RelationType;
use nl_ner::{EntityTable, Label};

/// The default base of the IRIs (`.invalid` is reserved: it names no real site).
pub const DEFAULT_BASE: &str = "https://nl-ner.invalid/";

/// The vocabulary of this export.
pub const ONTOLOGY: &str = "https://nl-ner.invalid/ontology#";

pub use super::graph::WIKIDATA_ENTITY;

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaseError {
    /// A character an IRI cannot hold.
    #[error("the base IRI {base:?} contains {found:?}, which an IRI cannot hold")]
    Character {
        /// The base as given.
        base: String,
        /// The first such character.
        found: char,
    },
    /// Not an absolute IRI.
    #[error("the base IRI {base:?} is not an absolute IRI (such as https://example.org/)")]
    NotAnIri {
        /// The base as given.
        base: String,
        /// What the IRI parser said.
        #[source]
        source: oxiri::IriParseError,
    },
    /// An IRI that ids cannot be appended to.
    #[error(
        "the base IRI {base:?} must end with `/` or `#`, so that ids can be appended to it \
         (did you mean \"{base}/\"?)"
    )]
    NoSeparator {
        /// The base as given.
        base: String,
    },
}

/// A base for the IRIs: an absolute IRI that ends in `/` or `#` (checked by [`Base::new`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base(String);

impl Base {
    /// Checks `base`: no white space, control characters or any of `<>"{}|^`\`, an absolute
    /// IRI (RFC 3987, by the `oxiri` parser), ending in `/` or `#`. A base without either is
    /// refused rather than completed, since `/` and `#` make different IRIs and only the user
    /// knows which is meant.
    pub fn new(base: &str) -> Result<Base, BaseError> {
        if let Some(found) = base
            .chars()
            .find(|&c| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(c))
        {
            return Err(BaseError::Character {
                base: base.into(),
                found,
            });
        }
        oxiri::Iri::parse(base).map_err(|source| BaseError::NotAnIri {
            base: base.into(),
            source,
        })?;
        if !base.ends_with(['/', '#']) {
            return Err(BaseError::NoSeparator { base: base.into() });
        }
        Ok(Base(base.into()))
    }

    /// The base as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Base {
    fn default() -> Self {
        Base(DEFAULT_BASE.into())
    }
}

/// The IRI of an entity id under `base`.
pub fn entity_iri(base: &Base, id: &str) -> String {
    format!("{}entity/{}", base.0, encode(id))
}

/// The IRI of a document id under `base`.
pub fn document_iri(base: &Base, id: &str) -> String {
    format!("{}document/{}", base.0, encode(id))
}

/// The IRI of a part of a document (`char=3,7`): a fragment of the document's IRI, or with a
/// base that already has a fragment, a path segment under it.
pub fn part_iri(document: &str, part: &str) -> String {
    let sep = if document.contains('#') { '/' } else { '#' };
    format!("{document}{sep}{part}")
}

/// Writes the graph as Turtle; `knowledge` gives preferred names and external ids.
pub fn write<W: Write + ?Sized>(
    w: &mut W,
    graph: &Graph,
    base: &Base,
    knowledge: &Knowledge,
) -> io::Result<()> {
    let table = &graph.table;
    let entity = |row: usize| entity_iri(base, &table.rows[row].id);
    for (prefix, iri) in PREFIXES {
        writeln!(w, "@prefix {prefix}: <{iri}> .")?;
    }
    writeln!(w, "@prefix nlner: <{ONTOLOGY}> .")?;
    w.write_all(
        VOCABULARY
            .replace("{window}", &nl_ner::CO_OCCURRENCE_WINDOW.to_string())
            .as_bytes(),
    )?;

    for r in &table.rows {
        writeln!(w)?;
        let iri = entity_iri(base, &r.id);
        write!(w, "<{iri}> a nlner:Entity, nlner:{}", type_name(r.label))?;
        for c in extra_classes(r.label) {
            write!(w, ", {c}")?;
        }
        writeln!(w, " ;")?;
        writeln!(w, "    nlner:label {} ;", literal(r.label.as_str()))?;
        // The gazetteer's name when the documents use it (`NAVO`, not `NATO`), else the most
        // complete name the documents use.
        let preferred = knowledge.preferred_name(r);
        writeln!(w, "    skos:prefLabel {}@nl ;", literal(preferred))?;
        for a in std::iter::once(&r.canonical)
            .chain(&r.aliases)
            .filter(|a| *a != preferred)
        {
            writeln!(w, "    skos:altLabel {}@nl ;", literal(a))?;
        }
        for x in &knowledge.external_iris(r) {
            writeln!(w, "    owl:sameAs <{x}> ;")?;
        }
        writeln!(w, "    nlner:mentionCount {} .", r.mentions)?;
        // The other ids the row joins: an id another export gave this entity (before a later
        // document named the person in full) stays an IRI of the same thing.
        for id in r.ids.iter().filter(|id| **id != r.id) {
            writeln!(w, "<{}> owl:sameAs <{iri}> .", entity_iri(base, id))?;
        }
    }

    write_offices(w, graph, base)?;

    for (d, g) in table.documents.iter().zip(&graph.documents) {
        writeln!(w)?;
        let doc = document_iri(base, &d.id);
        write!(
            w,
            "<{doc}> a schema:CreativeWork ;\n    schema:identifier {}",
            literal(&d.id)
        )?;
        for (field, value) in &g.meta {
            match *field {
                "title" => write!(w, " ;\n    dcterms:title {}", literal(value))?,
                "date" if is_date(value) => {
                    write!(w, " ;\n    dcterms:date {}^^xsd:date", literal(value))?
                }
                "url" if is_iri(value) => write!(w, " ;\n    dcterms:source <{value}>")?,
                _ => write!(w, " ;\n    dcterms:{field} {}", literal(value))?,
            }
        }
        for (i, m) in d.mentions.iter().enumerate() {
            let sep = if i == 0 {
                " ;\n    schema:mentions "
            } else {
                ",\n        "
            };
            write!(w, "{sep}<{}>", entity(m.entity))?;
        }
        writeln!(w, " .")?;
        write_strings(w, &doc, d.chars, g, &entity)?;
        write_facts(w, base, &doc, d.chars, g, table)?;
    }

    if !table.co_occurrences.is_empty() {
        writeln!(w)?;
    }
    for c in &table.co_occurrences {
        let (a, b) = (&table.rows[c.a].id, &table.rows[c.b].id);
        writeln!(
            w,
            "<{}> nlner:coOccursWith <{}> .",
            entity_iri(base, a),
            entity_iri(base, b)
        )?;
        writeln!(
            w,
            "<{}cooccurrence/{}/{}> a nlner:CoOccurrence ; nlner:between <{}>, <{}> ; nlner:sentenceCount {} .",
            base.0,
            encode(a),
            encode(b),
            entity_iri(base, a),
            entity_iri(base, b),
            c.sentences
        )?;
    }
    Ok(())
}

/// The roles and posts of the role facts, each once: a role per office phrase (by its slug,
/// labelled with its most frequent form), a post per organisation and role (or per role, for
/// an office that names no organisation).
fn write_offices<W: Write + ?Sized>(w: &mut W, graph: &Graph, base: &Base) -> io::Result<()> {
    let mut roles: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut posts: BTreeSet<(String, Option<usize>)> = BTreeSet::new();
    for g in &graph.documents {
        for f in &g.facts {
            if let Some(slug) = role_slug(f) {
                let (_, text) = f.role.as_ref().expect("a role fact with a slug");
                *roles
                    .entry(slug.clone())
                    .or_default()
                    .entry(one_line(text))
                    .or_default() += 1;
                posts.insert((slug, f.tail.map(|t| g.mentions[t].entity)));
            }
        }
    }
    for (slug, forms) in &roles {
        writeln!(w)?;
        let pref = forms
            .iter()
            .max_by_key(|(f, c)| (**c, std::cmp::Reverse(*f)))
            .map(|(f, _)| f)
            .expect("a role has a form");
        write!(
            w,
            "<{}> a org:Role ;\n    skos:prefLabel {}@nl",
            role_iri(base, slug),
            literal(pref)
        )?;
        for f in forms.keys().filter(|f| *f != pref) {
            write!(w, " ;\n    skos:altLabel {}@nl", literal(f))?;
        }
        writeln!(w, " .")?;
    }
    for (slug, org) in &posts {
        let org = org.map(|r| graph.table.rows[r].id.as_str());
        write!(
            w,
            "<{}> a org:Post ;\n    org:role <{}>",
            post_iri(base, slug, org),
            role_iri(base, slug)
        )?;
        if let Some(org) = org {
            write!(w, " ;\n    org:postIn <{}>", entity_iri(base, org))?;
        }
        writeln!(w, " .")?;
    }
    Ok(())
}

/// The document's text, the sentences that hold a mention, and the mentions, as NIF strings.
fn write_strings<W: Write + ?Sized>(
    w: &mut W,
    doc: &str,
    chars: usize,
    g: &DocumentGraph,
    entity: &impl Fn(usize) -> String,
) -> io::Result<()> {
    let context = part_iri(doc, &format!("char=0,{chars}"));
    writeln!(
        w,
        "<{context}> a nif:Context, nif:OffsetBasedString ; nif:beginIndex 0 ; nif:endIndex {chars} ; nif:sourceUrl <{doc}> ."
    )?;
    for s in &g.sentences {
        writeln!(
            w,
            "<{}> a nif:Sentence, nif:OffsetBasedString ; nif:beginIndex {} ; nif:endIndex {} ; nif:referenceContext <{context}> .",
            part_iri(doc, &format!("char={},{}", s.start, s.end)),
            s.start,
            s.end
        )?;
    }
    for m in &g.mentions {
        write!(
            w,
            "<{}> a nif:Phrase, nif:OffsetBasedString ; nif:beginIndex {} ; nif:endIndex {} ; nif:anchorOf {} ; nif:referenceContext <{context}>",
            part_iri(doc, &format!("char={},{}", m.span.start, m.span.end)),
            m.span.start,
            m.span.end,
            literal(&m.text)
        )?;
        if let Some(s) = m.sentence {
            let s = &g.sentences[s];
            write!(
                w,
                " ; nif:sentence <{}>",
                part_iri(doc, &format!("char={},{}", s.start, s.end))
            )?;
        }
        writeln!(w, " ; itsrdf:taIdentRef <{}> .", entity(m.entity))?;
    }
    Ok(())
}

/// The document's facts: each asserted, and as an RDF statement with its evidence (the
/// document, the mentions, the role phrase, the score).
fn write_facts<W: Write + ?Sized>(
    w: &mut W,
    base: &Base,
    doc: &str,
    chars: usize,
    g: &DocumentGraph,
    table: &EntityTable,
) -> io::Result<()> {
    let string = |s: &std::ops::Range<usize>| part_iri(doc, &format!("char={},{}", s.start, s.end));
    let context = part_iri(doc, &format!("char=0,{chars}"));
    for f in &g.facts {
        let head = &g.mentions[f.head];
        let tail = f.tail.map(|t| &g.mentions[t]);
        let subject = entity_iri(base, &table.rows[head.entity].id);
        let object = |what: &str| match tail {
            Some(t) => Some(entity_iri(base, &table.rows[t.entity].id)),
            None => {
                debug_assert!(false, "a {what} without a tail");
                None
            }
        };
        let (predicate, object) = match f.kind {
            // A role fact without a phrase names no office: it cannot be a post.
            RelationType::Role => match role_slug(f) {
                Some(slug) => (
                    "org:holds",
                    post_iri(base, &slug, tail.map(|t| table.rows[t.entity].id.as_str())),
                ),
                None => continue,
            },
            RelationType::MemberOf => match object("membership") {
                Some(o) => ("org:memberOf", o),
                None => continue,
            },
            _ => match object("participation") {
                Some(o) => ("nlner:participatesIn", o),
                None => continue,
            },
        };
        writeln!(w, "<{subject}> {predicate} <{object}> .")?;
        if f.kind == RelationType::MemberOf {
            let (member, party) = (head.entity, tail.expect("checked").entity);
            writeln!(
                w,
                "<{}membership/{}/{}> a org:Membership ; org:member <{subject}> ; org:organization <{object}> ; prov:wasDerivedFrom <{doc}> .",
                base.0,
                encode(&table.rows[member].id),
                encode(&table.rows[party].id)
            )?;
        }
        let mut id = format!("{}={},{}", f.kind.as_str(), head.span.start, head.span.end);
        if let Some(t) = tail {
            let _ = write!(id, ";{},{}", t.span.start, t.span.end);
        }
        if let Some((span, _)) = &f.role {
            let _ = write!(id, ";role={},{}", span.start, span.end);
        }
        write!(
            w,
            "<{}> a rdf:Statement, prov:Entity ;\n    rdf:subject <{subject}> ; rdf:predicate {predicate} ; rdf:object <{object}> ;\n    prov:wasDerivedFrom <{doc}> ; nlner:head <{}>",
            part_iri(doc, &id),
            string(&head.span)
        )?;
        if let Some(t) = tail {
            write!(w, " ; nlner:tail <{}>", string(&t.span))?;
        }
        let phrase = f
            .role
            .as_ref()
            .map(|(span, text)| (string(span), span, text));
        if let Some((iri, _, _)) = &phrase {
            write!(w, " ; nlner:rolePhrase <{iri}>")?;
        }
        writeln!(w, " ; nlner:score {:.4} .", round4(f.score))?;
        if let Some((iri, span, text)) = phrase {
            writeln!(
                w,
                "<{iri}> a nif:Phrase, nif:OffsetBasedString ; nif:beginIndex {} ; nif:endIndex {} ; nif:anchorOf {} ; nif:referenceContext <{context}> .",
                span.start,
                span.end,
                literal(text),
            )?;
        }
    }
    Ok(())
}

/// The IRI of a post: per organisation and role, or per role for an office of no organisation.
fn post_iri(base: &Base, slug: &str, org: Option<&str>) -> String {
    match org {
        Some(org) => format!("{}post/{}/{}", base.0, encode(org), encode(slug)),
        None => format!("{}post/{}", base.0, encode(slug)),
    }
}

/// The IRI of a role (an office phrase's slug).
fn role_iri(base: &Base, slug: &str) -> String {
    format!("{}role/{}", base.0, encode(slug))
}

/// The slug of a role fact's office phrase (`minister-van-defensie`).
fn role_slug(f: &Fact) -> Option<String> {
    let (_, text) = f.role.as_ref().filter(|_| f.kind == RelationType::Role)?;
    Some(nl_ner::slug(text)).filter(|s| !s.is_empty())
}

/// White space runs as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Other classes of an entity type: schema.org's, and those the Organization Ontology's
/// properties expect (`org:holds` and `org:memberOf` of a `foaf:Agent`).
fn extra_classes(label: Label) -> &'static [&'static str] {
    match label {
        Label::Per => &["schema:Person", "foaf:Person"],
        Label::Org => &["schema:Organization", "org:Organization"],
        Label::Loc => &["schema:Place"],
        _ => &[],
    }
}

/// The prefixes of the export, but `nlner`.
const PREFIXES: [(&str, &str); 12] = [
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("schema", "https://schema.org/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    (
        "nif",
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    ),
    ("itsrdf", "http://www.w3.org/2005/11/its/rdf#"),
];

/// The terms of the `nlner:` vocabulary the export uses, declared.
const VOCABULARY: &str = r#"
nlner:Entity a owl:Class ; rdfs:label "named entity"@en ;
    rdfs:comment "A thing named in the documents: a person, organisation, place, initiative or other name."@en .
nlner:label a owl:DatatypeProperty ; rdfs:comment "The entity's label in nl-ner's extract output (PER, ORG, LOC, MISC, INITIATIVE, ...)."@en .
nlner:mentionCount a owl:DatatypeProperty ; rdfs:comment "How often the documents of this export name the entity."@en .
nlner:participatesIn a owl:ObjectProperty ; rdfs:label "participates in"@en ;
    rdfs:domain foaf:Agent ; rdfs:range nlner:Initiative ;
    rdfs:comment "An organisation or country takes part in an initiative (nl-ner's participates_in relation)."@en .
nlner:coOccursWith a owl:ObjectProperty, owl:SymmetricProperty ; rdfs:label "co-occurs with"@en ;
    rdfs:comment "The two entities are named in one sentence, at most {window} mentions apart."@en .
nlner:CoOccurrence a owl:Class ; rdfs:comment "Two entities (nlner:between) and the number of sentences that name both (nlner:sentenceCount)."@en .
nlner:between a owl:ObjectProperty .
nlner:sentenceCount a owl:DatatypeProperty .
nlner:head a owl:ObjectProperty ; rdfs:comment "The mention (a nif:Phrase) of a fact's subject."@en .
nlner:tail a owl:ObjectProperty ; rdfs:comment "The mention (a nif:Phrase) of a fact's object."@en .
nlner:rolePhrase a owl:ObjectProperty ; rdfs:comment "The office as written (a nif:Phrase) of an org:holds fact."@en .
nlner:score a owl:DatatypeProperty ; rdfs:comment "How sure nl-ner's relation stage was of the fact, 0 to 1."@en .
"#;

/// `s` as a Turtle string literal.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Percent-encodes everything but letters, digits and `-._~:/` (UTF-8 bytes), and a `.` that
/// starts a path segment.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut segment_start = true;
    for &b in s.as_bytes() {
        let keep =
            b.is_ascii_alphanumeric() || b"-_~:/".contains(&b) || (b == b'.' && !segment_start);
        if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        segment_start = b == b'/';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::relate::Relation;
    use nl_ner::{Document, Entity, Source, Span};
    use oxigraph::io::RdfFormat;
    use oxigraph::model::Term;
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    fn load(ttl: &[u8]) -> Store {
        let store = Store::new().unwrap();
        store
            .load_from_slice(RdfFormat::Turtle, ttl)
            .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(ttl)));
        store
    }

    /// The solutions of a SELECT query, each as its values in `vars` order, sorted.
    fn select(store: &Store, q: &str, vars: &[&str]) -> Vec<Vec<String>> {
        let q = format!(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX schema: <https://schema.org/>
             PREFIX org: <http://www.w3.org/ns/org#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
             PREFIX nlner: <{ONTOLOGY}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
             PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
             PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
             PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> {q}"
        );
        let QueryResults::Solutions(rows) = SparqlEvaluator::new()
            .parse_query(&q)
            .unwrap()
            .on_store(store)
            .execute()
            .unwrap()
        else {
            panic!("a SELECT query");
        };
        let mut out: Vec<Vec<String>> = rows
            .map(|row| {
                let row = row.unwrap();
                vars.iter()
                    .map(|v| match row.get(*v) {
                        Some(Term::Literal(l)) => l.value().to_string(),
                        Some(Term::NamedNode(n)) => n.as_str().to_string(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    })
                    .collect()
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn hostile_names_and_ids_load_into_a_store_unchanged() {
        let text = "Het \"Fonds\" \\ van\tA\u{1}B en ../x.";
        let mut doc = Document::new("../map met spatie/\"<doc>\"\n#1?", text);
        let at = text.find("\"Fonds\"").unwrap();
        let end = text.find(" en").unwrap();
        let mut e = Entity::new(
            Span::from_bytes(text, at..end),
            Label::Initiative,
            1.0,
            Source::Model,
        );
        e.entity_id = Some("initiative:\"fonds\" <x> \\ ..".into());
        doc.entities.push(e);
        let graph = Graph::build([&doc], &Label::ALL);
        for base in [Base::default(), Base::new("urn:x:a#").unwrap()] {
            let mut ttl = Vec::new();
            write(&mut ttl, &graph, &base, &Knowledge::default()).unwrap();
            let store = load(&ttl);
            let got = select(
                &store,
                "SELECT ?id ?name ?e ?anchor WHERE { ?d schema:identifier ?id ; schema:mentions ?e . ?e skos:prefLabel ?name .
                 ?m nif:anchorOf ?anchor ; nif:referenceContext/nif:sourceUrl ?d }",
                &["id", "name", "e", "anchor"],
            );
            assert_eq!(
                got,
                [vec![
                    doc.id.clone(),
                    "\"Fonds\" \\ van A\u{1}B".to_string(),
                    format!(
                        "{}entity/initiative:%22fonds%22%20%3Cx%3E%20%5C%20..",
                        base.as_str()
                    ),
                    "\"Fonds\" \\ van\tA\u{1}B".to_string(),
                ]],
                "white space runs are one space in names, not in the mention"
            );
        }
    }

    #[test]
    fn bases_must_be_absolute_iris_that_end_in_a_separator() {
        for ok in [
            "https://example.org/",
            "http://example.org/ns#",
            "urn:nl-ner:",
        ] {
            let r = Base::new(ok);
            assert_eq!(r.is_ok(), !ok.ends_with(':'), "{ok}: {r:?}");
        }
        for (bad, says) in [
            ("http://example.org", "must end with `/` or `#`"),
            ("http://exa mple.org/", "contains ' '"),
            ("http://example.org/{x}/", "contains '{'"),
            ("http://example.org/\u{1b}/", "contains '\\u{1b}'"),
            ("example/", "not an absolute IRI"),
            ("", "not an absolute IRI"),
        ] {
            let err = Base::new(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
    }

    #[test]
    fn facts_carry_their_evidence_and_rows_their_old_ids_and_external_ids() {
        let text = "De minister van Defensie, Brekelmans (VVD), en Ruben Brekelmans. NATO en NAVO doen mee aan Arctic Sentry.";
        let mut doc = crate::export::linked_document(
            text,
            &[
                ("Brekelmans", Label::Per, "per:brekelmans"),
                ("VVD", Label::Org, "org:party-vvd"),
                ("Ruben Brekelmans", Label::Per, "per:ruben-brekelmans"),
                ("NATO", Label::Org, "org:navo"),
                ("NAVO", Label::Org, "org:navo"),
                (
                    "Arctic Sentry",
                    Label::Initiative,
                    "initiative:arctic-sentry",
                ),
            ],
        );
        doc.extra
            .insert("title".into(), serde_json::json!("Een brief"));
        doc.extra
            .insert("date".into(), serde_json::json!("2026-03-04"));
        doc.extra.insert(
            "url".into(),
            serde_json::json!("https://example.org/brief?id=1"),
        );
        doc.sentences = nl_ner::segment::Segmenter::new().segment(text).sentences;
        let role = text.find("minister").unwrap();
        let rel = |kind, head, tail: Option<usize>| Relation {
            kind,
            head,
            tail,
            role: None,
            score: 0.875,
        };
        doc.relations = Some(vec![
            Relation {
                role: Some(Span::from_bytes(text, role..role + 21)),
                ..rel(RelationType::Role, 0, None)
            },
            rel(RelationType::MemberOf, 0, Some(1)),
            rel(RelationType::ParticipatesIn, 4, Some(5)),
        ]);
        let graph = Graph::build([&doc], &super::super::NAME_LABELS);
        let mut knowledge = Knowledge::default();
        knowledge.preferred.insert("org:navo".into(), "NAVO".into());
        knowledge
            .same_as
            .insert("org:navo".into(), vec!["Q7184".into(), "not an iri".into()]);
        let mut ttl = Vec::new();
        write(&mut ttl, &graph, &Base::default(), &knowledge).unwrap();
        let store = load(&ttl);
        let e = |id: &str| format!("{DEFAULT_BASE}entity/{id}");

        assert_eq!(
            select(
                &store,
                "SELECT ?name ?role WHERE { ?p org:holds ?post ; skos:prefLabel ?name . ?post org:role/skos:prefLabel ?role }",
                &["name", "role"]
            ),
            [vec![
                "Ruben Brekelmans".to_string(),
                "minister van Defensie".into()
            ]]
        );
        assert_eq!(
            select(
                &store,
                "SELECT ?p ?party WHERE { ?p org:memberOf ?party . ?m a org:Membership ; org:member ?p ; org:organization ?party }",
                &["p", "party"]
            ),
            [vec![e("per:ruben-brekelmans"), e("org:party-vvd")]],
            "the person's row: its fullest name's id"
        );
        assert_eq!(
            select(
                &store,
                "SELECT ?old WHERE { ?old owl:sameAs ?new . ?new skos:prefLabel \"Ruben Brekelmans\"@nl }",
                &["old"]
            ),
            [vec![e("per:brekelmans")]],
            "the surname's own id is the same person"
        );
        assert_eq!(
            select(
                &store,
                "SELECT ?pref ?alt ?x WHERE { ?o nlner:participatesIn ?i ; skos:prefLabel ?pref ; skos:altLabel ?alt ; owl:sameAs ?x .
                 ?i skos:prefLabel \"Arctic Sentry\"@nl }",
                &["pref", "alt", "x"]
            ),
            [vec!["NAVO".to_string(), "NATO".into(), "http://www.wikidata.org/entity/Q7184".into()]],
            "the gazetteer's Dutch name is preferred; the Q-id is Wikidata's item, the bad id left out"
        );
        // Evidence: the statement, its document and offsets, the role phrase, the score.
        let mut evidence = select(
                &store,
                "SELECT ?doc ?hb ?he ?rb ?re ?anchor ?score WHERE { ?s rdf:predicate org:holds ; prov:wasDerivedFrom/schema:identifier ?doc ;
                 nlner:head [ nif:beginIndex ?hb ; nif:endIndex ?he ] ; nlner:score ?score ;
                 nlner:rolePhrase [ nif:beginIndex ?rb ; nif:endIndex ?re ; nif:anchorOf ?anchor ] }",
                &["doc", "hb", "he", "rb", "re", "anchor", "score"]
            );
        assert_eq!(evidence.len(), 1);
        let score: f64 = evidence[0].pop().unwrap().parse().unwrap();
        assert_eq!(score, 0.875);
        assert_eq!(
            evidence[0],
            ["brief", "26", "36", "3", "24", "minister van Defensie"]
        );
        assert_eq!(
            select(
                &store,
                "SELECT ?title ?date ?src WHERE { ?d dcterms:title ?title ; dcterms:date ?date ; dcterms:source ?src }",
                &["title", "date", "src"]
            ),
            [
                ["Een brief", "2026-03-04", "https://example.org/brief?id=1"]
                    .map(String::from)
                    .to_vec()
            ]
        );
        // Sentence-level co-occurrence: NAVO and Arctic Sentry share the second sentence.
        let co = select(
            &store,
            "SELECT ?a ?b WHERE { ?m1 nif:sentence ?s ; itsrdf:taIdentRef ?a . ?m2 nif:sentence ?s ; itsrdf:taIdentRef ?b .
             ?a nlner:coOccursWith ?b FILTER(?a != ?b) }",
            &["a", "b"],
        );
        assert!(
            co.contains(&vec![e("initiative:arctic-sentry"), e("org:navo")]),
            "{co:?}"
        );
    }
}
