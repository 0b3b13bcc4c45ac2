//! Neo4j export: CSV files for `neo4j-admin database import full`, in a directory:
//!
//! | file | header |
//! |---|---|
//! | `documents.csv` | `id:ID(Document),:LABEL,chars:int,entities:int,mentions:int` |
//! | `entities.csv` | `id:ID(Entity),:LABEL,name,label,aliases:string[],mentions:int,documents:int` |
//! | `mentions.csv` | `:START_ID(Document),:END_ID(Entity),:TYPE,count:int,starts:int[],ends:int[]` |
//! | `co_occurs.csv` | `:START_ID(Entity),:END_ID(Entity),:TYPE,weight:int` |
//!
//! Headers follow the import tool's header format (`name:type`, `:ID(group)`, `:START_ID(group)`,
//! `:END_ID(group)`, `:LABEL`, `:TYPE`); arrays use the tool's default delimiter `;`, so an alias
//! that contains `;` is left out of `aliases`. Nodes: a `Document` per document; an `Entity` per
//! row of the entity table, with a second label for its type (`Person`, `Organisation`,
//! `Location`, `Misc`, `Initiative`, `Money`, `Date`, `Percent`, `Reference`). Relationships:
//! `MENTIONS` from a document to each entity it names, with the number of mentions and their
//! code-point offsets; `CO_OCCURS` between two entities named in the same sentence, `weight` the
//! number of such sentences, once per pair (from the entity with the smaller id).

use std::path::Path;

use super::type_name;
use crate::output::Output;
use nl_ner::EntityTable;
use nl_ner::{Error, Result};

/// The files written, with their headers.
pub const FILES: [(&str, &[&str]); 4] = [
    (
        "documents.csv",
        &[
            "id:ID(Document)",
            ":LABEL",
            "chars:int",
            "entities:int",
            "mentions:int",
        ],
    ),
    (
        "entities.csv",
        &[
            "id:ID(Entity)",
            ":LABEL",
            "name",
            "label",
            "aliases:string[]",
            "mentions:int",
            "documents:int",
        ],
    ),
    (
        "mentions.csv",
        &[
            ":START_ID(Document)",
            ":END_ID(Entity)",
            ":TYPE",
            "count:int",
            "starts:int[]",
            "ends:int[]",
        ],
    ),
    (
        "co_occurs.csv",
        &[
            ":START_ID(Entity)",
            ":END_ID(Entity)",
            ":TYPE",
            "weight:int",
        ],
    ),
];

/// The array delimiter of `neo4j-admin database import` (its default).
pub const ARRAY_DELIMITER: char = ';';

/// An array field: the items joined by [`ARRAY_DELIMITER`].
fn array<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(&ARRAY_DELIMITER.to_string())
}

/// Writes the four files into `dir`, all four at once ([`nl_ner::files::replace_dir`]: `dir` holds
/// the old set or the new one, never a mix). Document ids must be unique (node ids are), as
/// `nl-ner extract` writes them.
pub fn write(dir: &Path, table: &EntityTable) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    if let Some(d) = table.documents.iter().find(|d| !seen.insert(d.id.as_str())) {
        return Err(Error::BadInput {
            input: d.id.clone(),
            reason: "this document id appears twice in the input; Neo4j node ids must be unique"
                .into(),
        });
    }
    let mut rows: [Vec<Vec<String>>; 4] = Default::default();
    for d in &table.documents {
        let mentions: usize = d.mentions.iter().map(|m| m.spans.len()).sum();
        rows[0].push(vec![
            d.id.clone(),
            "Document".into(),
            d.chars.to_string(),
            d.mentions.len().to_string(),
            mentions.to_string(),
        ]);
        for m in &d.mentions {
            rows[2].push(vec![
                d.id.clone(),
                table.rows[m.entity].id.clone(),
                "MENTIONS".into(),
                m.spans.len().to_string(),
                array(m.spans.iter().map(|s| s.start)),
                array(m.spans.iter().map(|s| s.end)),
            ]);
        }
    }
    for r in &table.rows {
        rows[1].push(vec![
            r.id.clone(),
            format!("Entity;{}", type_name(r.label)),
            r.canonical.clone(),
            r.label.to_string(),
            array(r.aliases.iter().filter(|a| !a.contains(ARRAY_DELIMITER))),
            r.mentions.to_string(),
            r.documents.len().to_string(),
        ]);
    }
    for c in &table.co_occurrences {
        let (a, b) = (&table.rows[c.a].id, &table.rows[c.b].id);
        rows[3].push(vec![
            a.clone(),
            b.clone(),
            "CO_OCCURS".into(),
            c.sentences.to_string(),
        ]);
    }
    let names = FILES.map(|(name, _)| name);
    nl_ner::files::replace_dir(dir, &names, |staging| {
        for ((name, header), rows) in FILES.iter().zip(rows) {
            let path = staging.join(name);
            let mut out = Output::create(&path)?;
            let err = |e: csv::Error| Error::Output {
                path: dir.join(name),
                source: e.into(),
            };
            {
                let mut w = csv::Writer::from_writer(out.writer());
                w.write_record(*header).map_err(err)?;
                for row in rows {
                    w.write_record(&row).map_err(err)?;
                }
                w.flush().map_err(|e| Error::Output {
                    path: dir.join(name),
                    source: e,
                })?;
            }
            out.finish()?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use nl_ner::{Document, Entity, Label, Source, Span};

    fn doc(id: &str) -> Document {
        let text = "De NAVO; de NATO.";
        let mut d = Document::new(id, text);
        for at in [3, 12] {
            d.entities.push(Entity {
                span: Span::from_bytes(text, at..at + 4),
                label: Label::Org,
                score: 1.0,
                source: Source::Model,
                entity_id: Some("org:navo".into()),
                rule: None,
            });
        }
        d
    }

    #[test]
    fn writes_one_relationship_per_document_and_entity_and_refuses_repeated_documents() {
        let dir = tempfile::tempdir().unwrap();
        let table = EntityTable::build([&doc("a"), &doc("b")], &Label::ALL);
        write(dir.path(), &table).unwrap();
        let mentions = fs::read_to_string(dir.path().join("mentions.csv")).unwrap();
        assert_eq!(
            mentions,
            ":START_ID(Document),:END_ID(Entity),:TYPE,count:int,starts:int[],ends:int[]\n\
             a,org:navo,MENTIONS,2,3;12,7;16\nb,org:navo,MENTIONS,2,3;12,7;16\n"
        );
        let entities = fs::read_to_string(dir.path().join("entities.csv")).unwrap();
        assert_eq!(
            entities.lines().nth(1),
            Some("org:navo,Entity;Organisation,NATO,ORG,NAVO,4,2")
        );
        let table = EntityTable::build([&doc("a"), &doc("a")], &Label::ALL);
        let err = write(&dir.path().join("again"), &table).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
        assert!(!dir.path().join("again").exists(), "nothing written");
    }
}
