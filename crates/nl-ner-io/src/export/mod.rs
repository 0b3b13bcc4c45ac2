//! Exports of annotated documents (`nl-ner export`): training data and knowledge graphs. The
//! formats and their choices are described in `docs/exports.md`.
//!
//! Training-data formats ([`conll`], [`spacy`], [`docbin`], [`doccano`], [`labelstudio`]) write
//! one document at a time (a DocBin is assembled in memory and written at the end; so is every
//! format with [`Order::Uncertainty`]); knowledge-graph formats ([`neo4j`], [`turtle`]) write the
//! corpus's [`graph::Graph`]: its [`EntityTable`](nl_ner::EntityTable) and each document's
//! mentions and relations.

pub mod conll;
pub mod docbin;
pub mod doccano;
pub mod entity_table;
pub mod folia;
pub mod graph;
pub mod labelstudio;
pub mod neo4j;
pub mod spacy;
mod spacy_symbols;
pub mod tei;
pub mod training;
pub mod turtle;
mod xml;

use std::borrow::Cow;
use std::ops::Range;

use nl_ner::{Document, Label, Span, Tag};

/// A CSV text cell made safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a `'` in front, so that Excel, LibreOffice and Google
/// Sheets show it as text instead of running it as a formula (CSV injection, as OWASP
/// describes it). Written into the Neo4j files and `nl-ner entities --format csv`; numbers are
/// never passed through it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// CoNLL IOB2: `WORD TAG` per line, a blank line after each sentence, `-DOCSTART-` per document.
    Conll,
    /// spaCy/Prodigy JSONL: `text`, `tokens`, `spans` with `start`, `end`, `label`.
    Spacy,
    /// spaCy DocBin (`.spacy`), the binary corpus `spacy train` reads.
    Docbin,
    /// doccano JSONL: `text`, `label` as `[start, end, label]`.
    Doccano,
    /// Label Studio JSON tasks with the entities as predictions.
    Labelstudio,
    /// CSV files for `neo4j-admin database import` (a directory).
    Neo4j,
    /// RDF Turtle: entities with type and labels, documents that mention them.
    Turtle,
    /// TEI P5 XML: the text with the entities as TEI names, their register and the relations.
    Tei,
    /// FoLiA XML (version 2): words, sentences and paragraphs, the entities over the words.
    Folia,
}

impl Format {
    /// Whether the format describes the corpus's entities (and needs the whole input first)
    /// rather than one document at a time.
    pub fn is_graph(self) -> bool {
        matches!(self, Format::Neo4j | Format::Turtle)
    }
}

/// The labels that name things: the default for the entity table and the graph exports.
pub const NAME_LABELS: [Label; 5] = [
    Label::Per,
    Label::Org,
    Label::Loc,
    Label::Misc,
    Label::Initiative,
];

/// How sure the model is of a document: its least sure entity's score (1 for a document without
/// entities). `--order uncertainty` writes the least sure documents first; Label Studio's
/// prediction `score` and the `score` of the doccano and spaCy/Prodigy metadata are this value.
pub fn document_score(doc: &Document) -> f32 {
    doc.entities.iter().map(|e| e.score).fold(1.0, f32::min)
}

/// The order of the documents in a training-data export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Order {
    /// As in the input.
    #[default]
    Input,
    /// Least sure first ([`document_score`] ascending; ties in input order).
    Uncertainty,
}

/// The name of an entity type in the graph exports: a Neo4j node label and a class of the Turtle
/// vocabulary (`Person`, `Organisation`, `Initiative`).
pub fn type_name(label: Label) -> &'static str {
    match label {
        Label::Per => "Person",
        Label::Org => "Organisation",
        Label::Loc => "Location",
        Label::Misc => "Misc",
        Label::Initiative => "Initiative",
        Label::Money => "Money",
        Label::Date => "Date",
        Label::Percent => "Percent",
        Label::Ref => "Reference",
        // A label added to the library after this list.
        _ => "Entity",
    }
}

/// A token of a training-data export and its IOB2 tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaggedToken {
    /// Where it lies in the text.
    pub span: Span,
    /// Its tag.
    pub tag: Tag,
}

/// The document's tokens with IOB2 tags, in sentences. Tokens are cut at white space inside them
/// (the segmenter keeps `28 676` together; CoNLL cannot) and where an entity starts or ends
/// inside them, so that every entity is a run of whole tokens, and a sentence that an
/// entity runs out of is joined with the next, so that every entity lies in one sentence. An
/// entity that covers no token (only white space) is lost.
pub fn tagged_sentences(doc: &Document) -> Vec<Vec<TaggedToken>> {
    let text = doc.text.as_str();
    let mut cuts: Vec<usize> = doc
        .entities
        .iter()
        .flat_map(|e| [e.span.byte_start, e.span.byte_end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut pieces: Vec<Span> = Vec::with_capacity(doc.tokens.len());
    for t in doc.tokens.iter().flat_map(|t| words(text, t.span)) {
        let (mut start, mut char_start) = (t.byte_start, t.char_start);
        let inside = cuts.partition_point(|&c| c <= start);
        for &c in cuts[inside..].iter().take_while(|&&c| c < t.byte_end) {
            let char_end = char_start + text[start..c].chars().count();
            pieces.push(Span {
                byte_start: start,
                byte_end: c,
                char_start,
                char_end,
            });
            (start, char_start) = (c, char_end);
        }
        pieces.push(Span {
            byte_start: start,
            byte_end: t.byte_end,
            char_start,
            char_end: t.char_end,
        });
    }

    let mut out: Vec<Vec<TaggedToken>> = Vec::new();
    let mut entity = 0;
    let mut sentence = 0;
    let mut last_entity = None;
    for span in pieces {
        while entity < doc.entities.len() && doc.entities[entity].span.byte_end <= span.byte_start {
            entity += 1;
        }
        let tag = match doc.entities.get(entity) {
            Some(e) if e.span.byte_start <= span.byte_start => {
                let first = last_entity != Some(entity);
                last_entity = Some(entity);
                if first {
                    Tag::B(e.label)
                } else {
                    Tag::I(e.label)
                }
            }
            _ => Tag::O,
        };
        let mut boundary = out.is_empty();
        while doc
            .sentences
            .get(sentence)
            .is_some_and(|s| s.span.char_end <= span.char_start)
        {
            sentence += 1;
            boundary = true;
        }
        if boundary && !matches!(tag, Tag::I(_)) {
            out.push(Vec::new());
        }
        out.last_mut()
            .expect("a sentence was started")
            .push(TaggedToken { span, tag });
    }
    out
}

/// The paragraphs of a document for the XML exports: the byte ranges of its text between blank
/// lines (XML white space, that is spaces, tabs and line breaks, holding two line feeds or
/// more), in order, without the white space at the start and end of the text. A blank line
/// inside an entity ends no paragraph, so that every entity lies in one. A text of white space
/// only has one empty paragraph, at its end. Only XML's white space is put between paragraphs:
/// other white space (a form feed, a no-break space) is character data that the XML schemas
/// allow only inside one.
pub fn paragraphs(doc: &Document) -> Vec<Range<usize>> {
    let text = doc.text.as_str();
    let xml_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let start = text.len() - text.trim_start_matches(xml_space).len();
    let end = start + text[start..].trim_end_matches(xml_space).len();
    let mut out = Vec::new();
    let mut from = start;
    let mut run: Option<usize> = None;
    for (i, c) in text[start..end].char_indices().map(|(i, c)| (start + i, c)) {
        match (xml_space(c), run) {
            (true, None) => run = Some(i),
            (false, Some(a)) => {
                run = None;
                let blank = text[a..i].matches('\n').count() >= 2;
                let e = doc.entities.partition_point(|e| e.span.byte_end <= a);
                let in_entity = doc.entities.get(e).is_some_and(|e| e.span.byte_start < i);
                if blank && !in_entity {
                    out.push(from..a);
                    from = i;
                }
            }
            _ => {}
        }
    }
    out.push(from..end.max(from));
    out
}

/// A document of `text` whose entities are `names` (each the first match after the one before),
/// linked to the ids given, scored 0.9: for the writers' tests.
#[cfg(test)]
pub(crate) fn linked_document(text: &str, names: &[(&str, Label, &str)]) -> Document {
    let mut doc = Document::new("brief", text);
    let mut from = 0;
    for (name, label, id) in names {
        let at = from + text[from..].find(name).expect("the name is in the text");
        let span = Span::from_bytes(text, at..at + name.len());
        let mut e = nl_ner::Entity::new(span, *label, 0.9, nl_ner::Source::Model);
        e.entity_id = Some(id.to_string());
        doc.entities.push(e);
        from = at + name.len();
    }
    doc
}

/// The white-space-free parts of a token.
fn words(text: &str, token: Span) -> impl Iterator<Item = Span> + '_ {
    let s = &text[token.bytes()];
    let mut chars = token.char_start;
    let mut seen = 0;
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .map(move |w| {
            let at = w.as_ptr() as usize - s.as_ptr() as usize;
            chars += s[seen..at].chars().count();
            let len = w.chars().count();
            let span = Span {
                byte_start: token.byte_start + at,
                byte_end: token.byte_start + at + w.len(),
                char_start: chars,
                char_end: chars + len,
            };
            chars += len;
            seen = at + w.len();
            span
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::segment::Segmenter;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for (cell, out) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+31", "'+31"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("NAVO", "NAVO"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out);
        }
    }
    use nl_ner::{Entity, Sentence, Source};

    fn doc(text: &str, entities: &[(&str, Label)], sentence_ends: &[&str]) -> Document {
        let mut d = Document::new("d", text);
        let seg = Segmenter::new().segment(text);
        d.tokens = seg.tokens;
        for (name, label) in entities {
            let at = text.find(name).unwrap();
            d.entities.push(Entity::new(
                Span::from_bytes(text, at..at + name.len()),
                *label,
                1.0,
                Source::Model,
            ));
        }
        let mut start = 0;
        for end in sentence_ends {
            let end = text.find(end).unwrap() + end.len();
            d.sentences.push(Sentence {
                span: Span::from_bytes(text, start..end),
                tokens: 0..0,
            });
            start = end + 1;
        }
        d
    }

    fn show(doc: &Document, sentences: &[Vec<TaggedToken>]) -> Vec<Vec<String>> {
        sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|t| format!("{}/{}", t.span.text(&doc.text), t.tag))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn paragraphs_lie_between_blank_lines_outside_entities() {
        // (text, entities, the paragraphs' texts)
        type Case<'a> = (&'a str, &'a [(&'a str, Label)], &'a [&'a str]);
        let cases: [Case; 5] = [
            (
                "\n Een.\n\n\nTwee\ndrie.\n \n",
                &[],
                &["Een.", "Twee\ndrie."],
            ),
            ("  \n", &[], &[""]),
            // A form feed and a no-break space are no XML white space: they stay inside.
            ("A\u{c}\n\nB\u{a0}", &[], &["A\u{c}", "B\u{a0}"]),
            ("\u{a0}A \r\n\r\nB", &[], &["\u{a0}A", "B"]),
            (
                "Mr.\n\nJansen en B.\n\nC",
                &[("Mr.\n\nJansen", Label::Per)],
                &["Mr.\n\nJansen en B.", "C"],
            ),
        ];
        for (text, entities, want) in cases {
            let d = doc(text, entities, &[]);
            let got: Vec<&str> = paragraphs(&d).into_iter().map(|p| &text[p]).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn tokens_are_cut_at_entity_edges_and_sentences_joined_over_entities() {
        let d = doc(
            "Het PURL-initiatief van Oekraïne. Daarna.",
            &[("PURL", Label::Initiative), ("Oekraïne", Label::Loc)],
            &["Oekraïne.", "Daarna."],
        );
        assert_eq!(
            show(&d, &tagged_sentences(&d)),
            [
                vec![
                    "Het/O",
                    "PURL/B-INITIATIVE",
                    "-/O",
                    "initiatief/O",
                    "van/O",
                    "Oekraïne/B-LOC",
                    "./O"
                ],
                vec!["Daarna/O", "./O"]
            ]
        );
        // A name cut by a sentence break stays whole; a cut inside a word yields its pieces.
        let d = doc(
            "Zij zei: Mr. Jansen sprak. Einde.",
            &[("Mr. Jansen", Label::Per), ("Jan", Label::Misc)],
            &["Mr.", "sprak.", "Einde."],
        );
        let mut d2 = d.clone();
        d2.entities = vec![d.entities[0].clone()];
        assert_eq!(
            show(&d2, &tagged_sentences(&d2)),
            [
                vec![
                    "Zij/O",
                    "zei/O",
                    ":/O",
                    "Mr./B-PER",
                    "Jansen/I-PER",
                    "sprak/O",
                    "./O"
                ],
                vec!["Einde/O", "./O"]
            ]
        );
        let mut d3 = d.clone();
        let at = d.text.find("Jansen").unwrap();
        d3.entities = vec![Entity::new(
            Span::from_bytes(&d.text, at..at + 3),
            Label::Misc,
            1.0,
            Source::Model,
        )];
        assert_eq!(
            show(&d3, &tagged_sentences(&d3))[1],
            ["Jan/B-MISC", "sen/O", "sprak/O", "./O"]
        );
        // A token with white space inside becomes its words.
        let d = doc(
            "Kamerstuk 28 676, nr. 5.",
            &[("Kamerstuk 28 676, nr. 5", Label::Ref)],
            &["5."],
        );
        assert!(
            d.tokens.iter().any(|t| t.span.text(&d.text) == "28 676"),
            "the segmenter keeps a grouped number"
        );
        let tagged = tagged_sentences(&d);
        assert_eq!(
            show(&d, &tagged)[0][..3],
            ["Kamerstuk/B-REF", "28/I-REF", "676/I-REF"]
        );
        assert!(tagged[0].iter().all(|t| {
            t.span.text(&d.text)
                == d.text
                    .chars()
                    .skip(t.span.char_start)
                    .take(t.span.char_end - t.span.char_start)
                    .collect::<String>()
        }));
    }
}
