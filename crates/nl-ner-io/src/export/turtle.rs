//! RDF Turtle export of the entity table:
//!
//! ```turtle
//! <https://nl-ner.invalid/entity/initiative:purl> a nlner:Entity, nlner:Initiative ;
//!     nlner:label "INITIATIVE" ;
//!     skos:prefLabel "Prioritised Ukraine Requirement List" ;
//!     skos:altLabel "PURL" ;
//!     nlner:mentionCount 4 .
//!
//! <https://nl-ner.invalid/document/corpus/letters/x.txt> a schema:CreativeWork ;
//!     schema:identifier "corpus/letters/x.txt" ;
//!     schema:mentions <https://nl-ner.invalid/entity/initiative:purl>, … .
//! ```
//!
//! Entities and documents are IRIs under a base (`--base`, default [`DEFAULT_BASE`]): `entity/`
//! and the entity id, `document/` and the document id, percent-encoded except for letters,
//! digits, `-._~:/` (a `.` that starts a path segment is encoded too, so ids never make `.` or
//! `..` segments). Persons, organisations and places are also `schema:Person`,
//! `schema:Organization` and `schema:Place`. Literals are escaped as Turtle requires (`\"`,
//! `\\`, `\n`, `\r`, `\t`, other control characters as `\uXXXX`).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::type_name;
use nl_ner::EntityTable;
use nl_ner::Label;

/// The default base of entity and document IRIs (`.invalid` is reserved: it names no real site).
pub const DEFAULT_BASE: &str = "https://nl-ner.invalid/";

/// The vocabulary of this export.
pub const ONTOLOGY: &str = "https://nl-ner.invalid/ontology#";

/// The IRI of an entity id under `base`.
pub fn entity_iri(base: &str, id: &str) -> String {
    format!("{base}entity/{}", encode(id))
}

/// The IRI of a document id under `base`.
pub fn document_iri(base: &str, id: &str) -> String {
    format!("{base}document/{}", encode(id))
}

/// Writes the table as Turtle.
pub fn write<W: Write + ?Sized>(w: &mut W, table: &EntityTable, base: &str) -> io::Result<()> {
    writeln!(
        w,
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."
    )?;
    writeln!(w, "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .")?;
    writeln!(w, "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .")?;
    writeln!(w, "@prefix schema: <https://schema.org/> .")?;
    writeln!(w, "@prefix nlner: <{ONTOLOGY}> .")?;
    for r in &table.rows {
        writeln!(w)?;
        write!(
            w,
            "<{}> a nlner:Entity, nlner:{}",
            entity_iri(base, &r.id),
            type_name(r.label)
        )?;
        if let Some(c) = schema_class(r.label) {
            write!(w, ", schema:{c}")?;
        }
        writeln!(w, " ;")?;
        writeln!(w, "    nlner:label {} ;", literal(r.label.as_str()))?;
        writeln!(w, "    skos:prefLabel {} ;", literal(&r.canonical))?;
        for a in &r.aliases {
            writeln!(w, "    skos:altLabel {} ;", literal(a))?;
        }
        writeln!(w, "    nlner:mentionCount {} .", r.mentions)?;
    }
    for d in &table.documents {
        writeln!(w)?;
        write!(
            w,
            "<{}> a schema:CreativeWork ;\n    schema:identifier {}",
            document_iri(base, &d.id),
            literal(&d.id)
        )?;
        for (i, m) in d.mentions.iter().enumerate() {
            let sep = if i == 0 {
                " ;\n    schema:mentions "
            } else {
                ",\n        "
            };
            write!(w, "{sep}<{}>", entity_iri(base, &table.rows[m.entity].id))?;
        }
        writeln!(w, " .")?;
    }
    Ok(())
}

/// The schema.org class of an entity type, where there is one.
fn schema_class(label: Label) -> Option<&'static str> {
    match label {
        Label::Per => Some("Person"),
        Label::Org => Some("Organization"),
        Label::Loc => Some("Place"),
        _ => None,
    }
}

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
    use nl_ner::{Document, Entity, Source, Span};
    use oxigraph::io::RdfFormat;
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    #[test]
    fn hostile_names_and_ids_load_into_a_store_unchanged() {
        let text = "Het \"Fonds\" \\ van\tA\u{1}B en ../x.";
        let mut doc = Document::new("../map met spatie/\"<doc>\"\n#1?", text);
        let at = text.find("\"Fonds\"").unwrap();
        let end = text.find(" en").unwrap();
        doc.entities.push(Entity {
            span: Span::from_bytes(text, at..end),
            label: Label::Initiative,
            score: 1.0,
            source: Source::Model,
            entity_id: Some("initiative:\"fonds\" <x> \\ ..".into()),
            rule: None,
        });
        let table = EntityTable::build([&doc], &Label::ALL);
        let mut ttl = Vec::new();
        write(&mut ttl, &table, DEFAULT_BASE).unwrap();
        let store = Store::new().unwrap();
        store
            .load_from_slice(RdfFormat::Turtle, &ttl)
            .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&ttl)));
        let q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX schema: <https://schema.org/>
                 SELECT ?id ?name ?e WHERE { ?d schema:identifier ?id ; schema:mentions ?e . ?e skos:prefLabel ?name }";
        let QueryResults::Solutions(mut rows) = SparqlEvaluator::new()
            .parse_query(q)
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("a SELECT query");
        };
        let row = rows.next().expect("one solution").unwrap();
        let value = |v: &str| match row.get(v).unwrap() {
            oxigraph::model::Term::Literal(l) => l.value().to_string(),
            oxigraph::model::Term::NamedNode(n) => n.as_str().to_string(),
            other => panic!("{other}"),
        };
        assert_eq!(value("id"), doc.id);
        assert_eq!(
            value("name"),
            "\"Fonds\" \\ van A\u{1}B",
            "white space runs are one space in names"
        );
        assert_eq!(
            value("e"),
            "https://nl-ner.invalid/entity/initiative:%22fonds%22%20%3Cx%3E%20%5C%20.."
        );
        assert!(rows.next().is_none());
    }
}
