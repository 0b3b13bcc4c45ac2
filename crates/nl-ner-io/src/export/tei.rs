//! TEI P5 export: the documents' text with their entities marked up as TEI names, a register of
//! the entities (`standOff`), and the relations as `<relation>`s, for digital-humanities tools
//! (TEI Publisher, Oxygen, eXist-db). The mapping is described in `docs/exports.md`; in short:
//!
//! ```xml
//! <teiCorpus xmlns="http://www.tei-c.org/ns/1.0">
//!   <teiHeader>…</teiHeader>
//!   <standOff>
//!     <listPerson><person xml:id="per.ruben-brekelmans"><persName type="preferred">Ruben Brekelmans</persName>
//!       <persName type="variant">Brekelmans</persName><idno type="nl-ner">per:ruben-brekelmans</idno>…</person></listPerson>
//!     <listOrg>…</listOrg> <listPlace>…</listPlace> <listEvent type="initiative">…</listEvent> <listNym type="misc">…</listNym>
//!   </standOff>
//!   <TEI xml:id="doc1">
//!     <teiHeader>… title, date, source …</teiHeader>
//!     <text><body><p>De minister van Defensie, <persName xml:id="doc1.m0" ref="#per.ruben-brekelmans"
//!       cert="0.97">Brekelmans</persName> (<orgName xml:id="doc1.m1" ref="#org.party-vvd">VVD</orgName>) …</p></body></text>
//!     <standOff><listRelation><relation name="member_of" active="#doc1.m0" passive="#doc1.m1" cert="0.875"/></listRelation></standOff>
//!   </TEI>
//! </teiCorpus>
//! ```
//!
//! One input document gives a `<TEI>` (its register in its own `standOff`), several a
//! `<teiCorpus>` (one register for the corpus, so that `@ref` joins the mentions of one entity
//! across documents). The text is kept exactly: the character data of `<body>`, in document
//! order, is the document's text, and every entity element's is the entity's surface. Paragraphs
//! ([`super::paragraphs`]) are `<p>`s, the blank lines between them character data of `<body>`;
//! a PDF's pages (`source.pages`) are `<pb n="…"/>` at each page's start. The documents are kept
//! in memory until the end (the register needs them all).

use std::collections::HashSet;
use std::io::{self, Write};
use std::ops::Range;

use super::graph::Knowledge;
use super::turtle::{Base, entity_iri};
use super::xml::{ncname, push_attr, push_text};
use crate::output::jsonl::round4;
use nl_ner::relate::RelationType;
use nl_ner::{Document, EntityRow, EntityTable, EntityTableBuilder, Label};

/// The TEI namespace.
pub const NAMESPACE: &str = "http://www.tei-c.org/ns/1.0";

/// Collects documents and writes them as one TEI file.
#[derive(Debug)]
pub struct TeiWriter {
    labels: Vec<Label>,
    table: EntityTableBuilder,
    /// Each document (without tokens and sentences) and the table id of each of its entities.
    documents: Vec<(Document, Vec<Option<String>>)>,
}

impl TeiWriter {
    /// A writer of the entities with one of `labels`; those with a name label (PER, ORG, LOC,
    /// MISC, INITIATIVE) get a register entry and `@ref`.
    pub fn new(labels: &[Label]) -> Self {
        let names: Vec<Label> = labels.iter().copied().filter(|l| l.is_name()).collect();
        TeiWriter {
            labels: labels.to_vec(),
            table: EntityTableBuilder::new(&names),
            documents: Vec::new(),
        }
    }

    /// Adds a document.
    pub fn add(&mut self, mut doc: Document) {
        self.table.add(&doc);
        let ids = doc
            .entities
            .iter()
            .map(|e| {
                (self.labels.contains(&e.label) && e.label.is_name())
                    .then(|| EntityTableBuilder::mention_id(&doc, e))
            })
            .collect();
        doc.tokens = Vec::new();
        doc.sentences = Vec::new();
        self.documents.push((doc, ids));
    }

    /// Writes the file: `base` makes the entities' IRIs (those of the Turtle export),
    /// `knowledge` gives preferred names and ids elsewhere.
    pub fn finish<W: Write + ?Sized>(
        self,
        w: &mut W,
        base: &Base,
        knowledge: &Knowledge,
    ) -> io::Result<()> {
        let table = self.table.finish();
        let register = Register::new(&table);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let corpus = self.documents.len() != 1;
        if corpus {
            out.push_str(&format!("<teiCorpus xmlns=\"{NAMESPACE}\">\n"));
            corpus_header(&mut out, self.documents.len());
            register.write(&mut out, &table, base, knowledge, None);
        }
        w.write_all(out.as_bytes())?;
        for (n, (doc, ids)) in self.documents.iter().enumerate() {
            out.clear();
            let rows: Vec<Option<usize>> = ids
                .iter()
                .map(|id| id.as_deref().and_then(|id| table.resolve(id)))
                .collect();
            let own = (!corpus).then_some((&table, base, knowledge));
            write_document(&mut out, n + 1, doc, &self.labels, &rows, &register, own);
            w.write_all(out.as_bytes())?;
        }
        if corpus {
            w.write_all(b"</teiCorpus>\n")?;
        }
        Ok(())
    }
}

/// The header of a `teiCorpus`: what the file is and which program wrote it.
fn corpus_header(out: &mut String, documents: usize) {
    let version = env!("CARGO_PKG_VERSION");
    out.push_str(&format!(
        "<teiHeader>\n<fileDesc>\n<titleStmt><title>Named entities and relations of {documents} documents</title></titleStmt>\n\
         <publicationStmt><p>Written by nl-ner {version} (nl-ner export --format tei).</p></publicationStmt>\n\
         <sourceDesc><p>The documents below, as nl-ner annotated them; each document's header names its source.</p></sourceDesc>\n\
         </fileDesc>\n{}</teiHeader>\n",
        encoding_desc()
    ));
}

/// Which program wrote the annotations.
fn encoding_desc() -> String {
    format!(
        "<encodingDesc><appInfo><application ident=\"nl-ner\" version=\"{}\"><label>nl-ner</label></application></appInfo></encodingDesc>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The `xml:id` of each entity row, unique in the file.
struct Register {
    ids: Vec<String>,
}

impl Register {
    fn new(table: &EntityTable) -> Self {
        let mut used = HashSet::new();
        let ids = table
            .rows
            .iter()
            .map(|r| {
                let mut id = ncname(&r.id);
                // The documents' ids (`doc1`, `doc1.m0`) are never a row's.
                if id.starts_with("doc") {
                    id.insert_str(0, "e.");
                }
                let mut unique = id.clone();
                let mut n = 1;
                while !used.insert(unique.clone()) {
                    n += 1;
                    unique = format!("{id}-{n}");
                }
                unique
            })
            .collect();
        Register { ids }
    }

    /// The `standOff` with one list per entity type, or nothing without entities. `relations`
    /// (a document's own `listRelation`) goes in the same `standOff`.
    fn write(
        &self,
        out: &mut String,
        table: &EntityTable,
        base: &Base,
        knowledge: &Knowledge,
        relations: Option<&str>,
    ) {
        if table.rows.is_empty() && relations.is_none() {
            return;
        }
        out.push_str("<standOff>\n");
        for (label, list, item) in REGISTER {
            let rows: Vec<(usize, &EntityRow)> = table
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.label == label)
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("<{list}>\n"));
            for (i, r) in rows {
                self.write_entry(out, i, r, item, base, knowledge);
            }
            let close = list.split(' ').next().expect("an element name");
            out.push_str(&format!("</{close}>\n"));
        }
        if let Some(r) = relations {
            out.push_str(r);
        }
        out.push_str("</standOff>\n");
    }

    /// One register entry: its names (the preferred one first), its nl-ner ids, its IRI under
    /// `base`, and its IRIs elsewhere.
    fn write_entry(
        &self,
        out: &mut String,
        row: usize,
        r: &EntityRow,
        (element, name): (&str, &str),
        base: &Base,
        knowledge: &Knowledge,
    ) {
        let preferred = knowledge.preferred_name(r);
        let mut idnos = String::new();
        for id in &r.ids {
            idnos.push_str("<idno type=\"nl-ner\">");
            push_text(&mut idnos, id);
            idnos.push_str("</idno>");
        }
        idnos.push_str("<idno type=\"URI\" subtype=\"nl-ner\">");
        push_text(&mut idnos, &entity_iri(base, &r.id));
        idnos.push_str("</idno>");
        let mut external = String::new();
        for x in knowledge.external_iris(r) {
            external.push_str("<idno type=\"URI\">");
            push_text(&mut external, &x);
            external.push_str("</idno>");
        }
        let mut names = String::new();
        for (i, n) in std::iter::once(preferred)
            .chain(
                std::iter::once(r.canonical.as_str())
                    .chain(r.aliases.iter().map(String::as_str))
                    .filter(|a| *a != preferred),
            )
            .enumerate()
        {
            let kind = if i == 0 { "preferred" } else { "variant" };
            names.push_str(&format!("<{name} type=\"{kind}\">"));
            push_text(&mut names, n);
            names.push_str(&format!("</{name}>"));
        }
        out.push_str(&format!("<{element} xml:id=\"{}\"", self.ids[row]));
        if element == "event" {
            out.push_str(" type=\"initiative\"");
        }
        out.push('>');
        // An event and a nym begin with their ids (their content models say so); the others
        // with their names.
        if matches!(element, "event" | "nym") {
            out.push_str(&idnos);
            out.push_str(&names);
        } else {
            out.push_str(&names);
            out.push_str(&idnos);
        }
        out.push_str(&external);
        out.push_str(&format!("</{element}>\n"));
    }
}

/// Per name label: the register's list element and its entries' element and name element.
const REGISTER: [(Label, &str, (&str, &str)); 5] = [
    (Label::Per, "listPerson", ("person", "persName")),
    (Label::Org, "listOrg", ("org", "orgName")),
    (Label::Loc, "listPlace", ("place", "placeName")),
    (
        Label::Initiative,
        "listEvent type=\"initiative\"",
        ("event", "label"),
    ),
    (Label::Misc, "listNym type=\"misc\"", ("nym", "form")),
];

/// The element of an entity in the text, and its `@type`.
pub fn element(label: Label) -> (&'static str, Option<&'static str>) {
    match label {
        Label::Per => ("persName", None),
        Label::Org => ("orgName", None),
        Label::Loc => ("placeName", None),
        Label::Misc => ("name", Some("misc")),
        Label::Initiative => ("name", Some("initiative")),
        Label::Date => ("date", None),
        Label::Money => ("measure", Some("currency")),
        Label::Percent => ("num", Some("percentage")),
        Label::Ref => ("bibl", None),
        // A label added to the library after this list.
        _ => ("name", None),
    }
}

/// One document as a `<TEI>`: its header, its text, and its relations (with the register when
/// the document is the file's only one: `own`).
fn write_document(
    out: &mut String,
    n: usize,
    doc: &Document,
    labels: &[Label],
    rows: &[Option<usize>],
    register: &Register,
    own: Option<(&EntityTable, &Base, &Knowledge)>,
) {
    let docid = format!("doc{n}");
    if own.is_some() {
        out.push_str(&format!("<TEI xmlns=\"{NAMESPACE}\" xml:id=\"{docid}\">\n"));
    } else {
        out.push_str(&format!("<TEI xml:id=\"{docid}\">\n"));
    }
    document_header(out, doc, own.is_some());
    out.push_str("<text>\n<body>");
    write_body(out, &docid, doc, labels, rows, register);
    out.push_str("</body>\n</text>\n");
    let relations = relations(&docid, doc, labels);
    match own {
        Some((table, base, knowledge)) => {
            register.write(out, table, base, knowledge, relations.as_deref())
        }
        None => {
            if let Some(r) = relations {
                out.push_str("<standOff>\n");
                out.push_str(&r);
                out.push_str("</standOff>\n");
            }
        }
    }
    out.push_str("</TEI>\n");
}

/// The document's header: its title (else its id), and in `sourceDesc` its title, date,
/// address, id and format as the input line gave them.
fn document_header(out: &mut String, doc: &Document, with_encoding: bool) {
    let meta = |k: &str| doc.extra.get(k).and_then(|v| v.as_str());
    out.push_str("<teiHeader>\n<fileDesc>\n<titleStmt><title>");
    push_text(out, meta("title").unwrap_or(&doc.id));
    out.push_str("</title></titleStmt>\n");
    out.push_str(&format!(
        "<publicationStmt><p>Annotated by nl-ner {}.</p></publicationStmt>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("<sourceDesc><bibl>");
    if let Some(t) = meta("title") {
        out.push_str("<title>");
        push_text(out, t);
        out.push_str("</title>");
    }
    if let Some(d) = meta("date") {
        if is_date(d) {
            out.push_str(&format!("<date when=\"{d}\">"));
        } else {
            out.push_str("<date>");
        }
        push_text(out, d);
        out.push_str("</date>");
    }
    if let Some(u) = meta("url") {
        out.push_str("<idno type=\"URI\">");
        push_text(out, u);
        out.push_str("</idno>");
    }
    out.push_str("<idno type=\"nl-ner\">");
    push_text(out, &doc.id);
    out.push_str("</idno>");
    if let Some(f) = doc
        .extra
        .get("source")
        .and_then(|s| s.get("format"))
        .and_then(|f| f.as_str())
    {
        out.push_str("<note type=\"format\">");
        push_text(out, f);
        out.push_str("</note>");
    }
    out.push_str("</bibl></sourceDesc>\n</fileDesc>\n");
    if with_encoding {
        out.push_str(&encoding_desc());
    }
    out.push_str("</teiHeader>\n");
}

/// `YYYY-MM-DD`, a day of the calendar (what `@when` takes), of a year nl-ner dates documents
/// in (`nl_ner::dating::Date`).
fn is_date(s: &str) -> bool {
    let num = |r: Range<usize>| s.get(r).filter(|x| x.bytes().all(|b| b.is_ascii_digit()));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => nl_ner::dating::Date::new(y, m, d).is_some(),
        _ => false,
    }
}

/// The text: paragraphs as `<p>`, entities as their elements, pages as `<pb/>`; nothing added
/// to or taken from the character data.
fn write_body(
    out: &mut String,
    docid: &str,
    doc: &Document,
    labels: &[Label],
    rows: &[Option<usize>],
    register: &Register,
) {
    let text = doc.text.as_str();
    let mut pages = Pages::new(doc);
    let mut entities = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| labels.contains(&e.label))
        .peekable();
    let mut at = 0;
    for p in super::paragraphs(doc) {
        pages.text(out, text, at..p.start);
        pages.flush(out, p.start);
        out.push_str("<p>");
        at = p.start;
        while let Some((i, e)) = entities.next_if(|(_, e)| e.span.byte_end <= p.end) {
            pages.text(out, text, at..e.span.byte_start);
            pages.flush(out, e.span.byte_start);
            let (name, kind) = element(e.label);
            out.push_str(&format!("<{name} xml:id=\"{docid}.m{i}\""));
            if let Some(k) = kind {
                out.push_str(&format!(" type=\"{k}\""));
            }
            if let Some(row) = rows[i] {
                out.push_str(&format!(" ref=\"#{}\"", register.ids[row]));
            }
            out.push_str(&format!(" cert=\"{}\">", round4(e.score)));
            pages.text(out, text, e.span.bytes());
            out.push_str(&format!("</{name}>"));
            at = e.span.byte_end;
        }
        pages.text(out, text, at..p.end);
        out.push_str("</p>");
        at = p.end;
    }
    pages.text(out, text, at..text.len());
    pages.flush(out, usize::MAX);
}

/// The page starts of a PDF's text (`source.pages`), as byte offsets, written as `<pb/>`s.
struct Pages {
    /// (byte offset, page number), in order; the next to write first.
    starts: std::collections::VecDeque<(usize, String)>,
}

impl Pages {
    fn new(doc: &Document) -> Self {
        let mut starts: Vec<(usize, String)> = Vec::new();
        if let Some(pages) = doc
            .extra
            .get("source")
            .and_then(|s| s.get("pages"))
            .and_then(|p| p.as_array())
        {
            // Code-point offsets to byte offsets, in one pass over the text.
            let mut chars: Vec<(usize, String)> = pages
                .iter()
                .filter_map(|p| {
                    let start = p.get("start")?.as_u64()? as usize;
                    let n = p.get("page")?;
                    Some((
                        start,
                        n.as_u64().map_or_else(|| n.to_string(), |n| n.to_string()),
                    ))
                })
                .collect();
            chars.sort_by_key(|(c, _)| *c);
            let mut bytes = doc
                .text
                .char_indices()
                .map(|(b, _)| b)
                .chain([doc.text.len()]);
            let mut seen = 0;
            let mut byte = bytes.next();
            for (c, n) in chars {
                while seen < c {
                    byte = bytes.next();
                    seen += 1;
                }
                if let Some(b) = byte {
                    starts.push((b, n));
                }
            }
        }
        Pages {
            starts: starts.into(),
        }
    }

    /// Writes the page starts at or before `at`.
    fn flush(&mut self, out: &mut String, at: usize) {
        while let Some((_, n)) = self.starts.pop_front_if(|(b, _)| *b <= at) {
            out.push_str("<pb n=\"");
            push_attr(out, &n);
            out.push_str("\"/>");
        }
    }

    /// Writes `text[range]`, with the page starts inside it.
    fn text(&mut self, out: &mut String, text: &str, range: Range<usize>) {
        let mut from = range.start;
        self.flush(out, from);
        while let Some(&(b, _)) = self.starts.front().filter(|(b, _)| *b < range.end) {
            push_text(out, &text[from..b]);
            self.flush(out, b);
            from = b;
        }
        push_text(out, &text[from..range.end]);
    }
}

/// The document's relations as a `listRelation`, each pointing at its mentions; `None` when it
/// has none whose arguments are exported.
fn relations(docid: &str, doc: &Document, labels: &[Label]) -> Option<String> {
    let exported = |i: usize| {
        doc.entities
            .get(i)
            .is_some_and(|e| labels.contains(&e.label))
    };
    let mut out = String::new();
    for r in doc.relations.iter().flatten() {
        if !exported(r.head) || r.tail.is_some_and(|t| !exported(t)) {
            continue;
        }
        if r.kind != RelationType::Role && r.tail.is_none() {
            continue;
        }
        out.push_str(&format!(
            "<relation name=\"{}\" active=\"#{docid}.m{}\"",
            r.kind.as_str(),
            r.head
        ));
        if let Some(t) = r.tail {
            out.push_str(&format!(" passive=\"#{docid}.m{t}\""));
        }
        out.push_str(&format!(" cert=\"{}\"", round4(r.score)));
        match r.role {
            Some(role) => {
                out.push_str("><desc>");
                push_text(&mut out, role.text(&doc.text));
                out.push_str("</desc></relation>\n");
            }
            None => out.push_str("/>\n"),
        }
    }
    (!out.is_empty()).then(|| format!("<listRelation>\n{out}</listRelation>\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::relate::Relation;

    fn letter() -> Document {
        let text = "De NAVO en Rutte.\n\nTweede alinea.";
        let mut doc = crate::export::linked_document(
            text,
            &[
                ("NAVO", Label::Org, "org:navo"),
                ("Rutte", Label::Per, "per:rutte"),
            ],
        );
        doc.relations = Some(vec![Relation {
            kind: RelationType::MemberOf,
            head: 1,
            tail: Some(0),
            role: None,
            score: 0.5,
        }]);
        doc.extra
            .insert("title".into(), serde_json::json!("Een <brief>"));
        doc.extra
            .insert("date".into(), serde_json::json!("2026-02-30"));
        doc.extra.insert(
            "source".into(),
            serde_json::json!({"format": "pdf", "pages": [{"page": 1, "start": 0, "end": 5}, {"page": 2, "start": 5, "end": 33}]}),
        );
        doc
    }

    fn write(docs: Vec<Document>, labels: &[Label]) -> String {
        let mut w = TeiWriter::new(labels);
        for d in docs {
            w.add(d);
        }
        let mut out = Vec::new();
        w.finish(&mut out, &Base::default(), &Knowledge::default())
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_document_is_a_tei_with_its_register_pages_and_relations() {
        let tei = write(vec![letter()], &Label::ALL);
        assert!(tei.contains("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"doc1\">"));
        // A page starts inside NAVO: the milestone goes inside the name, the text is unchanged.
        assert!(tei.contains(
            "<text>\n<body><pb n=\"1\"/><p>De <orgName xml:id=\"doc1.m0\" ref=\"#org.navo\" cert=\"0.9\">NA<pb n=\"2\"/>VO</orgName> en \
             <persName xml:id=\"doc1.m1\" ref=\"#per.rutte\" cert=\"0.9\">Rutte</persName>.</p>\n\n<p>Tweede alinea.</p></body>"
        ), "{tei}");
        assert_eq!(tei.matches("<pb ").count(), 2);
        assert!(tei.contains(
            "<relation name=\"member_of\" active=\"#doc1.m1\" passive=\"#doc1.m0\" cert=\"0.5\"/>"
        ));
        assert!(tei.contains("<person xml:id=\"per.rutte\"><persName type=\"preferred\">Rutte</persName><idno type=\"nl-ner\">per:rutte</idno>\
             <idno type=\"URI\" subtype=\"nl-ner\">https://nl-ner.invalid/entity/per:rutte</idno></person>"));
        // Not a day of the calendar: the date without `@when`; markup in the title escaped.
        assert!(
            tei.contains("<date>2026-02-30</date>")
                && tei.contains("<title>Een &lt;brief&gt;</title>")
        );
        assert!(tei.contains("<note type=\"format\">pdf</note>"));
    }

    #[test]
    fn several_documents_are_a_corpus_with_one_register() {
        let mut second = letter();
        second.id = "tweede".into();
        let tei = write(vec![letter(), second], &[Label::Per]);
        assert!(tei.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns="));
        assert_eq!(tei.matches("<person xml:id=\"per.rutte\">").count(), 1);
        assert_eq!(tei.matches("ref=\"#per.rutte\"").count(), 2);
        assert!(
            !tei.contains("<orgName xml:id") && !tei.contains("<relation "),
            "ORG not asked for"
        );
    }

    #[test]
    fn when_takes_days_of_the_calendar() {
        for (d, ok) in [
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2026-13-01", false),
            ("2026-04-31", false),
            ("2026-4-3", false),
            ("1900-02-29", false),
            ("2000-02-29", true),
        ] {
            assert_eq!(is_date(d), ok, "{d}");
        }
    }
}
