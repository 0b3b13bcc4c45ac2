//! XML: what is shared by every XML reader (a streaming parser that never expands a DTD's
//! entities nor fetches anything) and the XML input format itself: officiële-publicaties XML
//! (Kamerstukken, Staatscourant, Handelingen), TEI, and any XML read with `--xml-text`.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use quick_xml::Reader;
use quick_xml::events::BytesStart;

use super::FormatError;

/// An XML pull parser over `input`, text kept as written (whitespace is collapsed later).
pub fn reader<R: BufRead>(input: R) -> Reader<R> {
    let mut r = Reader::from_reader(input);
    r.config_mut().trim_text(false);
    r
}

/// Rejects a document type declaration that declares entities. quick-xml never expands them,
/// so a billion-laughs bomb or an external entity (`SYSTEM "file:///etc/passwd"`) cannot cost
/// memory or leak a file; refusing the file says so instead of failing later on `&lol9;`.
pub fn check_doctype(decl: &[u8]) -> Result<(), FormatError> {
    let decl = String::from_utf8_lossy(decl);
    if decl.contains("<!ENTITY") {
        let what = if decl.contains("SYSTEM") || decl.contains("PUBLIC") {
            "external entities"
        } else {
            "internal entities"
        };
        return Err(FormatError::Entities(what.to_string()));
    }
    Ok(())
}

/// The text of an XML text event: the five predefined entities and character references
/// resolved, any other entity reference an error (its declaration was refused already).
pub fn text(e: &quick_xml::events::BytesText<'_>) -> Result<String, FormatError> {
    e.unescape()
        .map(|c| c.into_owned())
        .map_err(|err| FormatError::Xml(Box::new(err)))
}

/// A reader that gives at most `limit` bytes and then fails, remembering that it did, so that a
/// zip bomb's entry is stopped after the limit, never decompressed whole.
pub struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
    hit: Rc<Cell<bool>>,
}

impl<R: Read> Capped<R> {
    /// Wraps `inner`, giving at most `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
            hit: Rc::new(Cell::new(false)),
        }
    }

    /// A handle that tells, after the reader was moved into a parser, whether the limit was hit.
    pub fn watch(&self) -> CapWatch {
        CapWatch {
            hit: self.hit.clone(),
            limit: self.limit,
        }
    }
}

/// Tells whether a [`Capped`] reader hit its limit.
pub struct CapWatch {
    hit: Rc<Cell<bool>>,
    limit: u64,
}

impl CapWatch {
    /// Whether the limit was hit.
    pub fn hit(&self) -> bool {
        self.hit.get()
    }

    /// The error for a hit limit.
    pub fn error(&self) -> FormatError {
        FormatError::TooLarge(format!(
            "it decompresses to more than {} bytes (a zip bomb?); see --max-doc-bytes",
            self.limit
        ))
    }

    /// `e`, or the cap's error if the cap is what caused it.
    pub fn or(&self, e: FormatError) -> FormatError {
        if self.hit() { self.error() } else { e }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One more byte tells a stream that ends exactly at the limit from one that goes on.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.hit.set(true);
                    Err(io::Error::other("decompressed size limit"))
                }
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// An element's qualified name as written (`w:p`, `text:p`, `al`).
pub fn name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

#[cfg(feature = "xml")]
pub use input_format::extract;

#[cfg(feature = "xml")]
mod input_format {
    use std::collections::HashMap;

    use quick_xml::events::Event;

    use super::super::{Extracted, Format, FormatError, Options, Paragraphs, PartKey};
    use super::{check_doctype, name, reader, text};

    /// Elements that hold a paragraph: officiële-publicaties XML (`al` alinea, `tussenkop`,
    /// `titel`, `kop`, `li`, table `entry`, `vraag`/`antwoord` numbers) and TEI (`p`, `head`,
    /// `l`, `item`, `cell`, `ab`, ...). Text outside them (a heading element of another name)
    /// is a paragraph of its own element.
    const BLOCKS: &[&str] = &[
        // officiële publicaties
        "al",
        "kamervraagomschrijving",
        "kamervraagonderwerp",
        "tussenkop",
        "titel",
        "kop",
        "li",
        "entry",
        "nr",
        "onderwerp",
        "ondertekening",
        "naam",
        "functie",
        "aanhef",
        "slotformulering",
        "dagtekening",
        "wie",
        "spreker",
        // TEI
        "p",
        "head",
        "l",
        "item",
        "cell",
        "ab",
        "salute",
        "signed",
        "dateline",
        "byline",
        "docTitle",
        "titlePart",
        "label",
        "speaker",
        "quote",
    ];

    /// Subtrees that are not the document's prose: metadata, footnotes (OP `noot`, TEI
    /// `note`), and TEI forme work (`fw`: running headers, page numbers).
    const SKIPPED: &[&str] = &[
        "metadata",
        "meta",
        "noot",
        "teiHeader",
        "note",
        "fw",
        "figDesc",
    ];

    /// Reads an XML document: the elements `--xml-text` names, or else by its structure (TEI:
    /// the `text` element; officiële publicaties and any other XML: everything but metadata and
    /// notes).
    pub fn extract(bytes: &[u8], opts: &Options) -> Result<Extracted, FormatError> {
        let path = opts.xml_text.as_deref().map(Path::parse).transpose()?;
        let mut r = reader(bytes);
        let mut buf = Vec::new();
        let mut out = Paragraphs::default();
        // The open elements (local names) and, per level, how many children of each name were
        // seen, for `[n]` in paths.
        let mut stack: Vec<String> = Vec::new();
        let mut counts: Vec<HashMap<String, u32>> = vec![HashMap::new()];
        let mut steps: Vec<String> = Vec::new();
        // The depth at which the content we take began, and the depth of a skipped subtree.
        let mut inside: Option<usize> = None;
        let mut skipping: Option<usize> = None;
        let mut tei = false;
        let mut found = false;
        loop {
            let event = r
                .read_event_into(&mut buf)
                .map_err(|e| FormatError::Xml(Box::new(e)))?;
            match event {
                Event::DocType(d) => check_doctype(&d)?,
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let qname = name(e);
                    let local = qname.rsplit(':').next().unwrap_or(&qname).to_string();
                    let n = {
                        let c = counts.last_mut().expect("a level per open element");
                        let n = c.entry(local.clone()).or_insert(0);
                        *n += 1;
                        *n
                    };
                    if stack.is_empty() && (local == "TEI" || local == "teiCorpus") {
                        tei = true;
                    }
                    stack.push(local.clone());
                    steps.push(format!("{qname}[{n}]"));
                    counts.push(HashMap::new());
                    let depth = stack.len();
                    if inside.is_none() {
                        let starts = match &path {
                            Some(p) => p.matches(&stack),
                            None if tei => local == "text",
                            None => depth == 1,
                        };
                        if starts {
                            inside = Some(depth);
                            found = true;
                            out.start(PartKey::Path(format!("/{}", steps.join("/"))));
                        }
                    }
                    if inside.is_some() && skipping.is_none() {
                        if SKIPPED.contains(&local.as_str()) && path.is_none() {
                            skipping = Some(depth);
                        } else if local == "lb" || local == "br" {
                            out.line_break();
                        } else if BLOCKS.contains(&local.as_str()) {
                            out.start(PartKey::Path(format!("/{}", steps.join("/"))));
                        }
                    }
                    if empty {
                        close(
                            &mut stack,
                            &mut steps,
                            &mut counts,
                            &mut inside,
                            &mut skipping,
                            &mut out,
                        );
                    }
                }
                Event::End(_) => {
                    close(
                        &mut stack,
                        &mut steps,
                        &mut counts,
                        &mut inside,
                        &mut skipping,
                        &mut out,
                    );
                }
                Event::Text(t) if inside.is_some() && skipping.is_none() => {
                    out.push(&text(&t)?);
                }
                Event::CData(t) if inside.is_some() && skipping.is_none() => {
                    out.push(&String::from_utf8_lossy(&t));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if !found {
            return Err(FormatError::NoText(match &opts.xml_text {
                Some(p) => format!("no element matches --xml-text `{p}`"),
                None => "no element with text found".to_string(),
            }));
        }
        Ok(out.finish(Format::Xml))
    }

    /// Leaves the innermost element; a block or the taken content ends its paragraph there.
    fn close(
        stack: &mut Vec<String>,
        steps: &mut Vec<String>,
        counts: &mut Vec<HashMap<String, u32>>,
        inside: &mut Option<usize>,
        skipping: &mut Option<usize>,
        out: &mut Paragraphs,
    ) {
        let depth = stack.len();
        let local = stack.pop().unwrap_or_default();
        steps.pop();
        counts.pop();
        if *skipping == Some(depth) {
            *skipping = None;
        } else if skipping.is_none() && inside.is_some() && BLOCKS.contains(&local.as_str()) {
            out.close();
            // Text after a block, inside its parent, is a paragraph of the parent's.
            if depth > 1 {
                out.start(PartKey::Path(format!("/{}", steps.join("/"))));
            }
        }
        if *inside == Some(depth) {
            out.close();
            *inside = None;
        }
    }

    /// The `--xml-text` path subset: `/a/b/c` (from the root), `//c` or `//b/c` (anywhere), `*`
    /// for any one element; names match an element's local name (no namespace prefix).
    #[derive(Debug, PartialEq, Eq)]
    pub struct Path {
        anywhere: bool,
        steps: Vec<String>,
    }

    impl Path {
        /// Parses a path, or says what is wrong with it.
        pub fn parse(s: &str) -> Result<Path, FormatError> {
            let bad = |reason: &str| FormatError::BadPath {
                path: s.to_string(),
                reason: reason.to_string(),
            };
            let (anywhere, rest) = if let Some(r) = s.strip_prefix("//") {
                (true, r)
            } else if let Some(r) = s.strip_prefix('/') {
                (false, r)
            } else {
                return Err(bad("start it with `/` (from the root) or `//` (anywhere)"));
            };
            let steps: Vec<String> = rest.split('/').map(str::to_string).collect();
            for step in &steps {
                if step.is_empty() {
                    return Err(bad("`//` only at the start; an empty step"));
                }
                if step != "*"
                    && !step
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                {
                    return Err(bad(
                        "a step is an element name or `*` (no predicates, attributes or axes)",
                    ));
                }
            }
            Ok(Path { anywhere, steps })
        }

        /// Whether the open elements (root first) are a match.
        pub fn matches(&self, stack: &[String]) -> bool {
            if stack.len() < self.steps.len() || (!self.anywhere && stack.len() != self.steps.len())
            {
                return false;
            }
            let tail = &stack[stack.len() - self.steps.len()..];
            tail.iter()
                .zip(&self.steps)
                .all(|(name, step)| step == "*" || step == name)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn opts(path: Option<&str>) -> Options {
            Options {
                max_text_bytes: 1 << 20,
                xml_text: path.map(str::to_string),
            }
        }

        #[test]
        fn paths() {
            let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
            let p = Path::parse("//vraag/al").unwrap();
            assert!(p.matches(&s(&["op", "kamervragen", "vraag", "al"])));
            assert!(!p.matches(&s(&["op", "antwoord", "al"])));
            let p = Path::parse("/TEI/text/*").unwrap();
            assert!(p.matches(&s(&["TEI", "text", "body"])));
            assert!(!p.matches(&s(&["TEI", "text", "body", "p"])));
            assert!(Path::parse("al").is_err());
            assert!(Path::parse("//a[@x]").is_err());
            assert!(Path::parse("/a//b").is_err());
        }

        #[test]
        fn tei_text_without_header_notes_and_forme_work() {
            let xml = br#"<?xml version="1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><title>Kop</title></teiHeader>
<text><body><fw type="header">Tweede Kamer, 3</fw><head>Brief</head>
<p>De <persName>minister</persName> van <hi>Defensie</hi><note>1 Zie</note> schrijft
 aan de Kamer.</p><p>Den Haag</p></body></text></TEI>"#;
            let out = extract(xml, &opts(None)).unwrap();
            assert_eq!(
                out.text,
                "Brief\n\nDe minister van Defensie schrijft aan de Kamer.\n\nDen Haag"
            );
            let paths: Vec<_> = out.source.parts.iter().map(|p| p.at.clone()).collect();
            assert_eq!(
                paths[1],
                PartKey::Path("/TEI[1]/text[1]/body[1]/p[1]".into())
            );
            assert_eq!(out.source.parts[2].start, 56);
        }

        #[test]
        fn entity_declarations_are_refused() {
            let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>"#;
            let e = extract(bomb, &opts(None)).unwrap_err();
            assert!(e.to_string().contains("never expands"), "{e}");
            let xxe = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
            let e = extract(xxe, &opts(None)).unwrap_err();
            assert!(e.to_string().contains("external entities"), "{e}");
        }

        #[test]
        fn xml_text_picks_elements() {
            let xml = b"<r><a><t>Een</t></a><b><t>Twee</t></b><a><t>Drie</t></a></r>";
            let out = extract(xml, &opts(Some("//a/t"))).unwrap();
            assert_eq!(out.text, "Een\n\nDrie");
            let e = extract(xml, &opts(Some("//c"))).unwrap_err();
            assert_eq!(e.to_string(), "no element matches --xml-text `//c`");
        }
    }
}
