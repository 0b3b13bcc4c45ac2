//! The entity table's formats (`nl-ner entities`, `nl_ner.entities` in Python): aligned text
//! columns, CSV and JSON Lines, each with the entity's relations unless they are left out.
//!
//! [`EntityTables`] builds, in one pass over the documents, the table of the listed labels and
//! (with relations) the table of every name label, where a relation finds its other entity when
//! that entity's label is not listed (a person's party, with only `PER` listed).

use std::io::Write;

use nl_ner::{
    Document, EntityRow, EntityTable, EntityTableBuilder, FactSide, Label, RelationFact, RowFact,
};

use super::NAME_LABELS;

/// How to order the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Most mentions first.
    Mentions,
    /// Most documents first.
    Documents,
    /// By id.
    Id,
    /// By label, then most mentions first.
    Label,
    /// By canonical name.
    Name,
}

/// How to write the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// Aligned columns for reading.
    Table,
    /// CSV with a header line (aliases and joined ids separated by ` | `).
    Csv,
    /// JSON Lines: one object per entity, with its documents and their dates, and its
    /// relations as lists of objects.
    Json,
}

/// The entity table of a corpus and, with relations, the wider table its relations are read from.
pub struct EntityTables {
    /// The table of the listed labels: its rows are the rows written.
    pub table: EntityTable,
    /// The table of the listed labels and every name label ([`NAME_LABELS`]), when relations
    /// are asked for and the listed labels leave some out.
    pub wide: Option<EntityTable>,
    /// Whether the relations are written.
    pub relations: bool,
}

/// Builds [`EntityTables`] one document at a time.
pub struct EntityTablesBuilder {
    table: EntityTableBuilder,
    wide: Option<EntityTableBuilder>,
    relations: bool,
}

impl EntityTablesBuilder {
    /// Tables counting the entities with one of `labels`; with `relations`, also the table
    /// that adds the other name labels.
    pub fn new(labels: &[Label], relations: bool) -> Self {
        let more: &[Label] = if relations { &NAME_LABELS } else { &[] };
        let wider: Vec<Label> = labels
            .iter()
            .chain(more.iter().filter(|l| !labels.contains(l)))
            .copied()
            .collect();
        EntityTablesBuilder {
            table: EntityTableBuilder::new(labels),
            wide: (wider.len() > labels.len()).then(|| EntityTableBuilder::new(&wider)),
            relations,
        }
    }

    /// Counts one (linked) document.
    pub fn add(&mut self, doc: &Document) {
        self.table.add(doc);
        if let Some(w) = &mut self.wide {
            w.add(doc);
        }
    }

    /// The tables.
    pub fn finish(self) -> EntityTables {
        EntityTables {
            table: self.table.finish(),
            wide: self.wide.map(EntityTableBuilder::finish),
            relations: self.relations,
        }
    }
}

impl EntityTables {
    /// The rows in `sort` order (ties by id).
    pub fn rows(&self, sort: SortKey) -> Vec<&EntityRow> {
        let mut rows: Vec<&EntityRow> = self.table.rows.iter().collect();
        match sort {
            SortKey::Mentions => rows.sort_by_key(|r| std::cmp::Reverse(r.mentions)),
            SortKey::Documents => rows.sort_by_key(|r| std::cmp::Reverse(r.documents.len())),
            SortKey::Id => {}
            SortKey::Label => rows.sort_by_key(|r| (r.label, std::cmp::Reverse(r.mentions))),
            SortKey::Name => rows.sort_by(|a, b| a.canonical.cmp(&b.canonical)),
        }
        rows
    }

    /// Writes the rows in `sort` order as `format`.
    pub fn write(
        &self,
        w: &mut dyn Write,
        format: TableFormat,
        sort: SortKey,
    ) -> std::io::Result<()> {
        let rows = self.rows(sort);
        let facts = self
            .relations
            .then(|| self.wide.as_ref().unwrap_or(&self.table));
        match format {
            TableFormat::Table => write_table(w, &rows, facts),
            TableFormat::Csv => write_csv(w, &rows, facts),
            TableFormat::Json => write_json(w, &rows, &self.table, facts),
        }
    }
}

const HEADER: [&str; 6] = ["id", "label", "mentions", "documents", "name", "aliases"];

fn cells(r: &EntityRow) -> [String; 6] {
    [
        r.id.clone(),
        r.label.to_string(),
        r.mentions.to_string(),
        r.documents.len().to_string(),
        r.canonical.clone(),
        r.aliases.join(" | "),
    ]
}

/// Columns are padded to their widest cell up to this width; a longer cell pushes the rest of its
/// line to the right rather than being cut.
const MAX_PAD: usize = 40;

/// A cell as the terminal may see it: control characters (ESC of a colour or cursor sequence, a
/// carriage return, a bell) written as `\u{1b}` escapes, so a name in the input cannot drive the
/// terminal (issue 24, item 17).
fn printable(cell: String) -> String {
    if !cell.chars().any(char::is_control) {
        return cell;
    }
    cell.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn write_table(
    w: &mut dyn Write,
    rows: &[&EntityRow],
    facts: Option<&EntityTable>,
) -> std::io::Result<()> {
    let body: Vec<[String; 6]> = rows.iter().map(|r| cells(r).map(printable)).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &body {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count().min(MAX_PAD));
        }
    }
    let header = HEADER.map(String::from);
    for (n, row) in std::iter::once(&header).chain(&body).enumerate() {
        let mut line = String::new();
        for (i, (c, width)) in row.iter().zip(widths).enumerate() {
            let pad = width.saturating_sub(c.chars().count());
            match i {
                // Counts right-aligned, the last column unpadded.
                2 | 3 => line.push_str(&format!("{}{c}  ", " ".repeat(pad))),
                5 => line.push_str(c),
                _ => line.push_str(&format!("{c}{}  ", " ".repeat(pad))),
            }
        }
        writeln!(w, "{}", line.trim_end())?;
        // Under an entity, its relations, one a line: what it is the head of, and for an
        // initiative its participants.
        if let (Some(table), Some(r)) = (facts, n.checked_sub(1).map(|i| rows[i])) {
            for f in relations(table, r) {
                let Some(name) = f.name(table) else { continue };
                writeln!(
                    w,
                    "    {}: {name} ({})",
                    f.side.as_str(),
                    sources(table, f.fact, TABLE_DOCUMENTS)
                )?;
            }
        }
    }
    Ok(())
}

/// How many documents a relation line of the table names before it counts the rest.
const TABLE_DOCUMENTS: usize = 3;

/// The facts shown under a row ([`EntityTable::row_facts`]), found by the row's id in `table`
/// (the table of every name label, whose rows are not the listed table's).
fn relations<'t>(table: &'t EntityTable, row: &EntityRow) -> Vec<RowFact<'t>> {
    table
        .resolve(&row.id)
        .map(|r| table.row_facts(r))
        .unwrap_or_default()
}

/// The documents of a fact, `DATE ID` (or `ID` when undated), `; `-separated; after `limit`
/// of them, how many more.
fn sources(table: &EntityTable, fact: &RelationFact, limit: usize) -> String {
    let mut parts: Vec<String> = fact
        .documents
        .iter()
        .take(limit)
        .map(|&d| {
            let doc = &table.documents[d];
            match doc.date {
                Some(date) => format!("{date} {}", doc.id),
                None => doc.id.clone(),
            }
        })
        .collect();
    if fact.documents.len() > limit {
        parts.push(format!("{} more", fact.documents.len() - limit));
    }
    parts.join("; ")
}

/// The relation columns of the CSV and JSON formats: for each, the facts it lists.
const RELATION_COLUMNS: [(&str, FactSide); 4] = [
    ("roles", FactSide::Role),
    ("parties", FactSide::Party),
    ("initiatives", FactSide::TakesPartIn),
    ("participants", FactSide::Participant),
];

/// A relation column's cell: each fact as `NAME (DATE ID; …)`, ` | `-separated.
fn relation_cell(table: &EntityTable, row: &EntityRow, side: FactSide) -> String {
    relations(table, row)
        .into_iter()
        .filter(|f| f.side == side)
        .filter_map(|f| {
            let name = f.name(table)?;
            Some(format!("{name} ({})", sources(table, f.fact, usize::MAX)))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn write_csv(
    w: &mut dyn Write,
    rows: &[&EntityRow],
    facts: Option<&EntityTable>,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let relation_header = facts.map(|_| RELATION_COLUMNS.map(|(h, _)| h));
    csv.write_record(
        HEADER
            .iter()
            .chain(&["ids"])
            .chain(relation_header.iter().flatten()),
    )
    .map_err(io_error)?;
    for r in rows {
        let cells = cells(r);
        let relation_cells =
            facts.map(|table| RELATION_COLUMNS.map(|(_, side)| relation_cell(table, r, side)));
        let ids = r.ids.join(" | ");
        // Text cells neutralised against formula injection (`docs/exports.md`); counts as they are.
        csv.write_record(
            cells
                .iter()
                .chain([&ids])
                .chain(relation_cells.iter().flatten())
                .enumerate()
                .map(|(i, c)| match i {
                    2 | 3 => c.clone(),
                    _ => super::neutralise(c).into_owned(),
                }),
        )
        .map_err(io_error)?;
    }
    csv.flush()
}

/// One JSON object per row: the columns of the table, its documents with their dates, and
/// (unless left out) its relations, each with the documents that state it.
fn write_json(
    w: &mut dyn Write,
    rows: &[&EntityRow],
    table: &EntityTable,
    facts: Option<&EntityTable>,
) -> std::io::Result<()> {
    use serde_json::{Value, json};
    let document = |d: usize| {
        let doc = &table.documents[d];
        let mut o = json!({ "id": doc.id });
        if let Some(date) = doc.date {
            o["date"] = json!(date.to_string());
        }
        o
    };
    for r in rows {
        let mut o = json!({
            "id": r.id,
            "label": r.label.as_str(),
            "mentions": r.mentions,
            "name": r.canonical,
            "aliases": r.aliases,
            "ids": r.ids,
            "documents": r.documents.iter().map(|&d| document(d)).collect::<Vec<_>>(),
        });
        if let Some(facts) = facts {
            for (column, side) in RELATION_COLUMNS {
                let list: Vec<Value> = relations(facts, r)
                    .into_iter()
                    .filter(|f| f.side == side)
                    .map(|RowFact { fact, other, .. }| {
                        let mut f = json!({});
                        if side == FactSide::Role {
                            f["role"] = json!(fact.role);
                        }
                        if let Some(o) = other {
                            f["id"] = json!(facts.rows[o].id);
                            f["name"] = json!(facts.rows[o].canonical);
                        }
                        // Both tables hold the same documents in the same order.
                        f["documents"] =
                            Value::from_iter(fact.documents.iter().map(|&d| document(d)));
                        f
                    })
                    .collect();
                o[column] = Value::Array(list);
            }
        }
        serde_json::to_writer(&mut *w, &o)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The I/O error inside a CSV error as it is, so that a closed pipe (`| head`) is still seen as one.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
