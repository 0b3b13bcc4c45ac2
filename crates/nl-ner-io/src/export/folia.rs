//! FoLiA XML (version 2) export, the format of Frog and the Dutch CLARIAH tools: words in
//! sentences in paragraphs, and the entities as span annotations over the words. The mapping is
//! described in `docs/exports.md`; in short:
//!
//! ```xml
//! <FoLiA xmlns="http://ilk.uvt.nl/folia" xml:id="nl-ner" version="2.5.3" generator="nl-ner 0.1.0">
//!   <metadata type="native"><annotations>… declarations …</annotations><provenance>…</provenance>
//!     <submetadata xml:id="doc1.meta" type="native"><meta id="id">brief.txt</meta><meta id="title">…</meta></submetadata>
//!   </metadata>
//!   <text xml:id="nl-ner.text">
//!     <div xml:id="doc1" class="document" metadata="doc1.meta">
//!       <p xml:id="doc1.p1"><s xml:id="doc1.p1.s1">
//!         <w xml:id="doc1.p1.s1.w1"><t>De</t></w> <w xml:id="doc1.p1.s1.w2" space="no"><t>NAVO</t></w> …
//!         <entities><entity xml:id="doc1.e0" class="org" confidence="0.97">
//!           <relation class="entity" xlink:href="https://nl-ner.invalid/entity/org:navo" xlink:type="simple"/>
//!           <wref id="doc1.p1.s1.w2" t="NAVO"/></entity></entities>
//!       </s></p>
//!     </div>
//!   </text>
//! </FoLiA>
//! ```
//!
//! Every input document is a `div` of class `document` whose submetadata holds its id and
//! metadata; the words are the tokens of the other exports ([`super::tagged_sentences`]: cut at
//! entity edges, so every entity is a run of whole words, and in one sentence), `space="no"`
//! where no white space follows a word; paragraphs are [`super::paragraphs`]. The whole file is
//! assembled in memory (the metadata of every document comes before the first text).

use std::io::{self, Write};

use super::graph::Knowledge;
use super::turtle::{Base, entity_iri};
use super::xml::{attr, push_text};
use super::{TaggedToken, paragraphs, tagged_sentences};
use crate::output::jsonl::round4;
use nl_ner::{Document, EntityTableBuilder, Tag};

/// The FoLiA version the files are written in (and validated against, by `foliavalidator`).
pub const FOLIA_VERSION: &str = "2.5.3";

/// The set of the divisions' classes: `document`, one input document.
pub const DIVISION_SET: &str = "https://nl-ner.invalid/folia/divisions";

/// The set of the entity classes (`per`, `org`, `loc`, `misc`, `initiative`, `money`, `date`,
/// `percent`, `ref`: nl-ner's labels in lower case).
pub const ENTITY_SET: &str = "https://nl-ner.invalid/folia/entities";

/// The set of the entities' links: `entity` (the entity's IRI, as in the Turtle export) and
/// `sameAs` (its IRI elsewhere, a Wikidata item).
pub const LINK_SET: &str = "https://nl-ner.invalid/folia/links";

/// Collects documents and writes them as one FoLiA document.
#[derive(Debug)]
pub struct FoliaWriter {
    base: Base,
    knowledge: Knowledge,
    submetadata: String,
    text: String,
    documents: usize,
}

impl FoliaWriter {
    /// A writer whose entity links lie under `base`; `knowledge` gives their ids elsewhere.
    pub fn new(base: Base, knowledge: Knowledge) -> Self {
        FoliaWriter {
            base,
            knowledge,
            submetadata: String::new(),
            text: String::new(),
            documents: 0,
        }
    }

    /// Adds a document (all its entities; filter them first).
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        let div = format!("doc{}", self.documents);
        self.write_metadata(&div, doc);
        self.text.push_str(&format!(
            "<div xml:id=\"{div}\" class=\"document\" metadata=\"{div}.meta\">\n"
        ));
        let text = doc.text.as_str();
        let paragraphs = paragraphs(doc);
        let sentences = tagged_sentences(doc);
        // Each sentence goes to the paragraph its first word is in.
        let mut open: Option<usize> = None;
        let mut s_in_p = 0;
        for s in &sentences {
            let Some(first) = s.first() else { continue };
            let p = paragraphs
                .partition_point(|p| p.end <= first.span.byte_start)
                .min(paragraphs.len() - 1);
            if open.is_none_or(|o| p > o) {
                if open.is_some() {
                    self.text.push_str("</p>\n");
                }
                open = Some(p);
                s_in_p = 0;
                self.text
                    .push_str(&format!("<p xml:id=\"{div}.p{}\">\n", p + 1));
            }
            s_in_p += 1;
            let sid = format!("{div}.p{}.s{s_in_p}", open.expect("opened") + 1);
            self.write_sentence(&sid, &div, doc, text, s);
        }
        if open.is_some() {
            self.text.push_str("</p>\n");
        }
        self.text.push_str("</div>\n");
    }

    /// The document's submetadata: its id, its title, date and address, its source format.
    fn write_metadata(&mut self, div: &str, doc: &Document) {
        let m = &mut self.submetadata;
        m.push_str(&format!(
            "<submetadata xml:id=\"{div}.meta\" type=\"native\">\n"
        ));
        let mut meta = |key: &str, value: &str| {
            m.push_str(&format!("<meta id=\"{key}\">"));
            push_text(m, value);
            m.push_str("</meta>\n");
        };
        meta("id", &doc.id);
        for key in super::graph::META_FIELDS {
            if let Some(v) = doc.extra.get(key).and_then(|v| v.as_str()) {
                meta(key, v);
            }
        }
        if let Some(f) = doc
            .extra
            .get("source")
            .and_then(|s| s.get("format"))
            .and_then(|f| f.as_str())
        {
            meta("format", f);
        }
        m.push_str("</submetadata>\n");
    }

    /// One sentence: its words, then its entities over them.
    fn write_sentence(
        &mut self,
        sid: &str,
        div: &str,
        doc: &Document,
        text: &str,
        words: &[TaggedToken],
    ) {
        let out = &mut self.text;
        out.push_str(&format!("<s xml:id=\"{sid}\">\n"));
        let wid = |i: usize| format!("{sid}.w{}", i + 1);
        for (i, w) in words.iter().enumerate() {
            let spaced = text[w.span.byte_end..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace);
            out.push_str(&format!("<w xml:id=\"{}\"", wid(i)));
            if !spaced {
                out.push_str(" space=\"no\"");
            }
            out.push_str("><t>");
            push_text(out, w.span.text(text));
            out.push_str("</t></w>\n");
        }
        let mut layer = String::new();
        let mut i = 0;
        while i < words.len() {
            let Tag::B(label) = words[i].tag else {
                i += 1;
                continue;
            };
            let mut end = i + 1;
            while end < words.len() && words[end].tag == Tag::I(label) {
                end += 1;
            }
            let at = words[i].span.byte_start;
            let e = doc.entities.partition_point(|e| e.span.byte_end <= at);
            let entity = &doc.entities[e];
            layer.push_str(&format!(
                "<entity xml:id=\"{div}.e{e}\" class=\"{}\" confidence=\"{}\">\n",
                label.as_str().to_ascii_lowercase(),
                round4(entity.score)
            ));
            if entity.label.is_name() {
                let id = EntityTableBuilder::mention_id(doc, entity);
                link(&mut layer, "entity", &entity_iri(&self.base, &id));
                if let Some(same) = self.knowledge.same_as.get(&id) {
                    for x in same.iter().filter_map(|x| super::graph::external_iri(x)) {
                        link(&mut layer, "sameAs", &x);
                    }
                }
            }
            for (j, w) in words.iter().enumerate().take(end).skip(i) {
                layer.push_str(&format!(
                    "<wref id=\"{}\" t=\"{}\"/>\n",
                    wid(j),
                    attr(w.span.text(text))
                ));
            }
            layer.push_str("</entity>\n");
            i = end;
        }
        if !layer.is_empty() {
            out.push_str("<entities>\n");
            out.push_str(&layer);
            out.push_str("</entities>\n");
        }
        out.push_str("</s>\n");
    }

    /// Writes the FoLiA document.
    pub fn finish<W: Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        let version = env!("CARGO_PKG_VERSION");
        let processor = "<annotator processor=\"nl-ner\"/>";
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <FoLiA xmlns=\"http://ilk.uvt.nl/folia\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
             xml:id=\"nl-ner\" version=\"{FOLIA_VERSION}\" generator=\"nl-ner {version}\">\n\
             <metadata type=\"native\">\n<annotations>\n\
             <text-annotation>{processor}</text-annotation>\n\
             <division-annotation set=\"{DIVISION_SET}\">{processor}</division-annotation>\n\
             <paragraph-annotation>{processor}</paragraph-annotation>\n\
             <sentence-annotation>{processor}</sentence-annotation>\n\
             <token-annotation>{processor}</token-annotation>\n\
             <entity-annotation set=\"{ENTITY_SET}\">{processor}</entity-annotation>\n\
             <relation-annotation set=\"{LINK_SET}\">{processor}</relation-annotation>\n\
             </annotations>\n<provenance>\n\
             <processor xml:id=\"nl-ner\" name=\"nl-ner\" type=\"auto\" version=\"{version}\"/>\n\
             </provenance>\n"
        )?;
        w.write_all(self.submetadata.as_bytes())?;
        w.write_all(b"</metadata>\n<text xml:id=\"nl-ner.text\">\n")?;
        w.write_all(self.text.as_bytes())?;
        w.write_all(b"</text>\n</FoLiA>\n")
    }
}

/// A link of an entity to an IRI.
fn link(out: &mut String, class: &str, iri: &str) {
    out.push_str(&format!(
        "<relation class=\"{class}\" xlink:href=\"{}\" xlink:type=\"simple\"/>\n",
        attr(iri)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::Label;
    use nl_ner::segment::Segmenter;

    #[test]
    fn entities_span_whole_words_and_link_to_their_iris() {
        let text = "De NAVO-top en Mr.\nJansen.\n\nDag.";
        let mut doc = crate::export::linked_document(
            text,
            &[
                ("NAVO", Label::Org, "org:navo"),
                ("Mr.\nJansen", Label::Per, "per:jansen"),
            ],
        );
        let seg = Segmenter::new().segment(text);
        (doc.tokens, doc.sentences) = (seg.tokens, seg.sentences);
        let mut knowledge = Knowledge::default();
        knowledge
            .same_as
            .insert("org:navo".into(), vec!["Q7184".into()]);
        let mut w = FoliaWriter::new(Base::default(), knowledge);
        w.add(&doc);
        let mut out = Vec::new();
        w.finish(&mut out).unwrap();
        let folia = String::from_utf8(out).unwrap();
        assert!(folia.contains("<w xml:id=\"doc1.p1.s1.w2\" space=\"no\"><t>NAVO</t></w>\n<w xml:id=\"doc1.p1.s1.w3\" space=\"no\"><t>-</t></w>"), "{folia}");
        assert!(folia.contains(
            "<entity xml:id=\"doc1.e0\" class=\"org\" confidence=\"0.9\">\n\
             <relation class=\"entity\" xlink:href=\"https://nl-ner.invalid/entity/org:navo\" xlink:type=\"simple\"/>\n\
             <relation class=\"sameAs\" xlink:href=\"http://www.wikidata.org/entity/Q7184\" xlink:type=\"simple\"/>\n\
             <wref id=\"doc1.p1.s1.w2\" t=\"NAVO\"/>\n</entity>"
        ), "{folia}");
        // A name over a line break: two words, one entity.
        assert!(
            folia.contains(
                "<wref id=\"doc1.p1.s1.w6\" t=\"Mr.\"/>\n<wref id=\"doc1.p1.s1.w7\" t=\"Jansen\"/>"
            ),
            "{folia}"
        );
        assert!(
            folia.contains("<p xml:id=\"doc1.p2\">\n<s xml:id=\"doc1.p2.s1\">"),
            "the second paragraph"
        );
        assert!(folia.contains(
            "<submetadata xml:id=\"doc1.meta\" type=\"native\">\n<meta id=\"id\">brief</meta>"
        ));
    }
}
