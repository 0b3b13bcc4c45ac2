//! Neo4j export: CSV files in a directory, for `neo4j-admin database import full` into an
//! empty database, and a `load.cypher` that MERGEs the same files into a running one, so that a
//! later export (of more documents) loads over an earlier one without duplicates.
//!
//! | file | header |
//! |---|---|
//! | `documents.csv` | `id:ID(Document),:LABEL,chars:int,entities:int,mentions:int,title,date,url` |
//! | `entities.csv` | `id:ID(Entity),:LABEL,name,label,aliases:string[],mentions:int,documents:int` |
//! | `former_ids.csv` | `id:ID(Entity),:LABEL` |
//! | `roles.csv` | `id:ID(Role),:LABEL,name` |
//! | `mentions.csv` | `:START_ID(Document),:END_ID(Entity),:TYPE,count:int,starts:int[],ends:int[]` |
//! | `co_occurs.csv` | `:START_ID(Entity),:END_ID(Entity),:TYPE,weight:int` |
//! | `same_as.csv` | `:START_ID(Entity),:END_ID(Entity),:TYPE` |
//! | `holds_role.csv` | `:START_ID(Entity),:END_ID(Role),:TYPE,role,doc,head_start:int,head_end:int,role_start:int,role_end:int,score:float` |
//! | `holds_role_in.csv` | `:START_ID(Entity),:END_ID(Entity),:TYPE,role,doc,head_start:int,head_end:int,tail_start:int,tail_end:int,role_start:int,role_end:int,score:float` |
//! | `member_of.csv` | `:START_ID(Entity),:END_ID(Entity),:TYPE,doc,head_start:int,head_end:int,tail_start:int,tail_end:int,score:float` |
//! | `participates_in.csv` | the same as `member_of.csv` |
//!
//! Headers follow the import tool's header format (`name:type`, `:ID(group)`, `:START_ID(group)`,
//! `:END_ID(group)`, `:LABEL`, `:TYPE`); arrays use the tool's default delimiter `;`, so an alias
//! that contains `;` is left out of `aliases`. Nodes: a `Document` per document; an `Entity` per
//! row of the entity table, with a second label for its type (`Person`, `Organisation`,
//! `Location`, `Misc`, `Initiative`, `Money`, `Date`, `Percent`, `Reference`); an `Entity:Alias`
//! per other id the row joins (an id an earlier export may have used for it) with `SAME_AS` to
//! the row; a `Role` per office phrase (by its slug). Relationships: `MENTIONS` from a document to
//! each entity it names, with the number of mentions and their code-point offsets; `CO_OCCURS`
//! between two entities named in the same sentence (at most
//! [`CO_OCCURRENCE_WINDOW`](nl_ner::CO_OCCURRENCE_WINDOW) mentions apart), `weight`
//! the number of such sentences, once per pair (from the entity with the smaller id); one
//! `HOLDS_ROLE` (to the organisation the office names, else to the office's `Role`),
//! `MEMBER_OF` or `PARTICIPATES_IN` per relation of a document, with its evidence (document,
//! offsets, score).
//!
//! A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
//! front ([`super::neutralise`]), so that a spreadsheet opening the file shows it rather than
//! running it as a formula.

use std::path::Path;

use super::graph::Graph;
use super::{neutralise, type_name};
use crate::output::Output;
use crate::output::jsonl::round4;
use nl_ner::relate::RelationType;
use nl_ner::{Error, Label, Result};

/// The relationship properties of a fact's evidence.
const EVIDENCE: [&str; 5] = [
    "doc",
    "head_start:int",
    "head_end:int",
    "tail_start:int",
    "tail_end:int",
];

/// The header of a fact between two entities (`member_of`, `participates_in`).
const ENTITY_FACT: [&str; 9] = [
    ":START_ID(Entity)",
    ":END_ID(Entity)",
    ":TYPE",
    EVIDENCE[0],
    EVIDENCE[1],
    EVIDENCE[2],
    EVIDENCE[3],
    EVIDENCE[4],
    "score:float",
];

/// The files written, with their headers, in the order `load.cypher` loads them (nodes first).
pub const FILES: [(&str, &[&str]); 11] = [
    (
        "documents.csv",
        &[
            "id:ID(Document)",
            ":LABEL",
            "chars:int",
            "entities:int",
            "mentions:int",
            "title",
            "date",
            "url",
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
    ("former_ids.csv", &["id:ID(Entity)", ":LABEL"]),
    ("roles.csv", &["id:ID(Role)", ":LABEL", "name"]),
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
    (
        "same_as.csv",
        &[":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"],
    ),
    (
        "holds_role.csv",
        &[
            ":START_ID(Entity)",
            ":END_ID(Role)",
            ":TYPE",
            "role",
            EVIDENCE[0],
            EVIDENCE[1],
            EVIDENCE[2],
            "role_start:int",
            "role_end:int",
            "score:float",
        ],
    ),
    (
        "holds_role_in.csv",
        &[
            ":START_ID(Entity)",
            ":END_ID(Entity)",
            ":TYPE",
            "role",
            EVIDENCE[0],
            EVIDENCE[1],
            EVIDENCE[2],
            EVIDENCE[3],
            EVIDENCE[4],
            "role_start:int",
            "role_end:int",
            "score:float",
        ],
    ),
    ("member_of.csv", &ENTITY_FACT),
    ("participates_in.csv", &ENTITY_FACT),
];

/// The Cypher script that MERGEs the files into a running database.
pub const LOAD_SCRIPT: &str = "load.cypher";

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

/// The id of the `Role` node of an office phrase.
fn role_id(phrase: &str) -> Option<String> {
    Some(nl_ner::slug(phrase))
        .filter(|s| !s.is_empty())
        .map(|s| format!("role:{s}"))
}

/// Writes the files and `load.cypher` into `dir`, all at once ([`nl_ner::files::replace_dir`]:
/// `dir` holds the old set or the new one, never a mix). Document ids must be unique (node ids
/// are), as `nl-ner extract` writes them.
pub fn write(dir: &Path, graph: &Graph) -> Result<()> {
    let table = &graph.table;
    let mut seen = std::collections::HashSet::new();
    if let Some(d) = table.documents.iter().find(|d| !seen.insert(d.id.as_str())) {
        return Err(Error::BadInput {
            input: d.id.clone(),
            reason: "this document id appears twice in the input; Neo4j node ids must be unique"
                .into(),
        });
    }
    let mut rows: [Vec<Vec<String>>; FILES.len()] = Default::default();
    let [
        documents,
        entities,
        former,
        roles_file,
        mentions,
        co_occurs,
        same_as,
        holds,
        holds_in,
        member_of,
        participates,
    ] = &mut rows;
    let entity = |r: usize| table.rows[r].id.clone();
    let mut roles: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>> =
        Default::default();
    for (d, g) in table.documents.iter().zip(&graph.documents) {
        let count: usize = d.mentions.iter().map(|m| m.spans.len()).sum();
        let meta = |k: &str| {
            g.meta
                .iter()
                .find(|(f, _)| *f == k)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        documents.push(vec![
            d.id.clone(),
            "Document".into(),
            d.chars.to_string(),
            d.mentions.len().to_string(),
            count.to_string(),
            meta("title"),
            meta("date"),
            meta("url"),
        ]);
        for m in &d.mentions {
            mentions.push(vec![
                d.id.clone(),
                entity(m.entity),
                "MENTIONS".into(),
                m.spans.len().to_string(),
                array(m.spans.iter().map(|s| s.start)),
                array(m.spans.iter().map(|s| s.end)),
            ]);
        }
        for f in &g.facts {
            let head = &g.mentions[f.head];
            let tail = f.tail.map(|t| &g.mentions[t]);
            let score = format!("{}", round4(f.score));
            let evidence = |row: &mut Vec<String>| {
                row.extend([
                    d.id.clone(),
                    head.span.start.to_string(),
                    head.span.end.to_string(),
                ]);
                if let Some(t) = tail {
                    row.extend([t.span.start.to_string(), t.span.end.to_string()]);
                }
            };
            match (f.kind, tail) {
                (RelationType::Role, _) => {
                    let Some(((span, text), id)) =
                        f.role.as_ref().and_then(|r| Some((r, role_id(&r.1)?)))
                    else {
                        continue;
                    };
                    let phrase = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    *roles
                        .entry(id.clone())
                        .or_default()
                        .entry(phrase.clone())
                        .or_default() += 1;
                    let end = tail.map_or(id, |t| entity(t.entity));
                    let mut row = vec![entity(head.entity), end, "HOLDS_ROLE".into(), phrase];
                    evidence(&mut row);
                    row.extend([span.start.to_string(), span.end.to_string(), score]);
                    if tail.is_some() {
                        holds_in.push(row);
                    } else {
                        holds.push(row);
                    }
                }
                (kind, Some(t)) => {
                    let (file, name) = if kind == RelationType::MemberOf {
                        (&mut *member_of, "MEMBER_OF")
                    } else {
                        (&mut *participates, "PARTICIPATES_IN")
                    };
                    let mut row = vec![entity(head.entity), entity(t.entity), name.into()];
                    evidence(&mut row);
                    row.push(score);
                    file.push(row);
                }
                // Every member_of and participates_in has a tail.
                (_, None) => {}
            }
        }
    }
    for (id, forms) in &roles {
        let name = forms
            .iter()
            .max_by_key(|(f, c)| (**c, std::cmp::Reverse(*f)))
            .map(|(f, _)| f.clone())
            .expect("a role has a form");
        roles_file.push(vec![id.clone(), "Role".into(), name]);
    }
    for r in &table.rows {
        entities.push(vec![
            r.id.clone(),
            format!("Entity;{}", type_name(r.label)),
            r.canonical.clone(),
            r.label.to_string(),
            array(r.aliases.iter().filter(|a| !a.contains(ARRAY_DELIMITER))),
            r.mentions.to_string(),
            r.documents.len().to_string(),
        ]);
        for id in r.ids.iter().filter(|id| **id != r.id) {
            former.push(vec![id.clone(), "Entity;Alias".into()]);
            same_as.push(vec![id.clone(), r.id.clone(), "SAME_AS".into()]);
        }
    }
    for c in &table.co_occurrences {
        co_occurs.push(vec![
            entity(c.a),
            entity(c.b),
            "CO_OCCURS".into(),
            c.sentences.to_string(),
        ]);
    }
    let mut names: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
    names.push(LOAD_SCRIPT);
    nl_ner::files::replace_dir(dir, &names, |staging| {
        for ((name, header), rows) in FILES.iter().zip(&rows) {
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
                    w.write_record(row.iter().zip(*header).map(|(cell, field)| {
                        if is_text(field) {
                            neutralise(cell).into_owned()
                        } else {
                            cell.clone()
                        }
                    }))
                    .map_err(err)?;
                }
                w.flush().map_err(|e| Error::Output {
                    path: dir.join(name),
                    source: e,
                })?;
            }
            out.finish()?;
        }
        let mut out = Output::create(&staging.join(LOAD_SCRIPT))?;
        std::io::Write::write_all(out.writer(), load_script().as_bytes()).map_err(|e| {
            Error::Output {
                path: dir.join(LOAD_SCRIPT),
                source: e,
            }
        })?;
        out.finish()
    })
}

/// Whether a header field holds text (not a number, a label or a type).
fn is_text(field: &str) -> bool {
    let kind = field.split_once(':').map_or("string", |(_, k)| k);
    kind.starts_with("ID")
        || kind.starts_with("START_ID")
        || kind.starts_with("END_ID")
        || kind == "string"
        || kind == "string[]"
}

/// `load.cypher`: MERGEs every file into a running database (see `docs/exports.md`).
pub fn load_script() -> String {
    let col = |f: &str| format!("row.`{f}`");
    let mut s = String::from(
        "// Generated by `nl-ner export --format neo4j`. Loads the CSV files of this directory into a
// running Neo4j with MERGE, so that a later export of more documents (the documents of this one
// and new ones) loads over it without duplicates: nodes are matched by id, a MENTIONS or
// CO_OCCURS by its two ends, a fact by its ends and evidence (document and offsets). Copy the
// files into the database's import directory, then: cypher-shell -f load.cypher
CREATE CONSTRAINT nlner_document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT nlner_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT nlner_role_id IF NOT EXISTS FOR (n:Role) REQUIRE n.id IS UNIQUE;
",
    );
    let load = |s: &mut String, file: &str, body: String| {
        s.push_str(&format!(
            "\nLOAD CSV WITH HEADERS FROM 'file:///{file}' AS row\n{body};\n"
        ));
    };
    load(
        &mut s,
        "documents.csv",
        format!(
            "MERGE (d:Document {{id: {}}})\nSET d.chars = toInteger(row.`chars:int`), d.entities = toInteger(row.`entities:int`), d.mentions = toInteger(row.`mentions:int`), d.title = row.title, d.date = row.date, d.url = row.url",
            col("id:ID(Document)")
        ),
    );
    let mut labels = String::new();
    for l in Label::ALL {
        labels.push_str(&format!(
            "\nFOREACH (_ IN CASE WHEN row.label = '{}' THEN [1] ELSE [] END | SET e:{})",
            l.as_str(),
            type_name(l)
        ));
    }
    load(
        &mut s,
        "entities.csv",
        format!(
            "MERGE (e:Entity {{id: {}}})\nREMOVE e:Alias\nSET e.name = row.name, e.label = row.label, e.aliases = CASE WHEN row.`aliases:string[]` IS NULL THEN [] ELSE split(row.`aliases:string[]`, '{ARRAY_DELIMITER}') END, e.mentions = toInteger(row.`mentions:int`), e.documents = toInteger(row.`documents:int`){labels}",
            col("id:ID(Entity)")
        ),
    );
    load(
        &mut s,
        "roles.csv",
        format!(
            "MERGE (r:Role {{id: {}}})\nSET r.name = row.name",
            col("id:ID(Role)")
        ),
    );
    // An id that named an entity in an earlier load and now joins another: its node becomes an
    // Alias of the entity, and the relationships it had are restated on the entity by this load.
    load(
        &mut s,
        "same_as.csv",
        format!(
            "MATCH (e:Entity {{id: {}}})\nMERGE (a:Entity {{id: {}}})\nMERGE (a)-[:SAME_AS]->(e)\nSET a:Alias\nREMOVE a:Person:Organisation:Location:Misc:Initiative:Money:Date:Percent:Reference\nWITH a\nOPTIONAL MATCH (a)-[r]-()\nWHERE type(r) <> 'SAME_AS'\nDELETE r",
            col(":END_ID(Entity)"),
            col(":START_ID(Entity)")
        ),
    );
    load(
        &mut s,
        "mentions.csv",
        format!(
            "MATCH (d:Document {{id: {}}}), (e:Entity {{id: {}}})\nMERGE (d)-[m:MENTIONS]->(e)\nSET m.count = toInteger(row.`count:int`), m.starts = [x IN split(row.`starts:int[]`, '{ARRAY_DELIMITER}') | toInteger(x)], m.ends = [x IN split(row.`ends:int[]`, '{ARRAY_DELIMITER}') | toInteger(x)]",
            col(":START_ID(Document)"),
            col(":END_ID(Entity)")
        ),
    );
    load(
        &mut s,
        "co_occurs.csv",
        format!(
            "MATCH (a:Entity {{id: {}}}), (b:Entity {{id: {}}})\nMERGE (a)-[c:CO_OCCURS]->(b)\nSET c.weight = toInteger(row.`weight:int`)",
            col(":START_ID(Entity)"),
            col(":END_ID(Entity)")
        ),
    );
    for (file, header) in &FILES[7..] {
        let end = header[1];
        let end_label = if end.contains("(Role)") {
            "Role"
        } else {
            "Entity"
        };
        let key: Vec<String> = header[3..]
            .iter()
            .filter(|f| {
                matches!(
                    f.split(':').next(),
                    Some("doc" | "head_start" | "tail_start" | "role_start")
                )
            })
            .map(|f| {
                let name = f.split(':').next().expect("a name");
                if f.ends_with(":int") {
                    format!("{name}: toInteger({})", col(f))
                } else {
                    format!("{name}: {}", col(f))
                }
            })
            .collect();
        let set: Vec<String> = header[3..]
            .iter()
            .filter(|f| {
                !matches!(
                    f.split(':').next(),
                    Some("doc" | "head_start" | "tail_start" | "role_start")
                )
            })
            .map(|f| {
                let name = f.split(':').next().expect("a name");
                match f.split_once(':').map(|(_, k)| k) {
                    Some("int") => format!("f.{name} = toInteger({})", col(f)),
                    Some("float") => format!("f.{name} = toFloat({})", col(f)),
                    _ => format!("f.{name} = {}", col(f)),
                }
            })
            .collect();
        let rel = match *file {
            "member_of.csv" => "MEMBER_OF",
            "participates_in.csv" => "PARTICIPATES_IN",
            _ => "HOLDS_ROLE",
        };
        load(
            &mut s,
            file,
            format!(
                "MATCH (a:Entity {{id: {}}}), (b:{end_label} {{id: {}}})\nMERGE (a)-[f:{rel} {{{}}}]->(b)\nSET {}",
                col(header[0]),
                col(end),
                key.join(", "),
                set.join(", ")
            ),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use nl_ner::{Document, Entity, Source, Span};

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
        let graph = Graph::build([&doc("a"), &doc("b")], &Label::ALL);
        write(dir.path(), &graph).unwrap();
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
        let graph = Graph::build([&doc("a"), &doc("a")], &Label::ALL);
        let err = write(&dir.path().join("again"), &graph).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
        assert!(!dir.path().join("again").exists(), "nothing written");
    }
}
