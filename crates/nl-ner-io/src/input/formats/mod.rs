//! Documents as archives hold them: PDF, DOCX, ODT, HTML and XML to clean text.
//!
//! [`detect`] tells a file's format from its first bytes and its extension; [`extract`] turns
//! its bytes into the text nl-ner annotates plus a [`Source`] that maps ranges of that text back
//! to where they were in the file (PDF pages, DOCX/ODT paragraphs, XML element paths). Each
//! format's reader is a module of its own behind a cargo feature (`pdf`, `office`, `html`,
//! `xml`; `formats` turns on all four), so the library builds without any of them: a file of a
//! format not built in is an error naming the feature.
//!
//! The text is what the output's `text` holds and what entity offsets index: running headers
//! and footers, page numbers and end-of-line hyphenation are removed by [`clean`] before
//! annotation, never after, so offsets stay exact. docs/input.md has the decisions and numbers.

pub mod clean;
#[cfg(feature = "office")]
mod docx;
#[cfg(feature = "html")]
mod html;
#[cfg(feature = "pdf")]
mod layout;
#[cfg(feature = "office")]
mod odt;
#[cfg(feature = "pdf")]
mod pdf;
#[cfg(any(feature = "office", feature = "xml"))]
mod xml;
#[cfg(feature = "office")]
mod zip;

use std::path::Path;

use serde_json::{Map, Value};

/// A document format nl-ner reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Plain UTF-8 text.
    Text,
    /// PDF with a text layer.
    Pdf,
    /// Office Open XML word-processing document (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// HTML or XHTML.
    Html,
    /// XML: officiële-publicaties XML, TEI or any XML read with an element path.
    Xml,
}

impl Format {
    /// The name written in the output's `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Html => "html",
            Format::Xml => "xml",
        }
    }

    /// Whether the file is a binary container whose size says little about its text's size
    /// (a PDF with images, a zip archive), so that it gets [`CONTAINER_FACTOR`] times the
    /// document size limit.
    pub fn is_container(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx | Format::Odt)
    }
}

/// How many times the document size limit a PDF, DOCX or ODT file may be: their images, fonts
/// and markup make them several times larger than their text. The text taken out of them must
/// still be within the limit.
pub const CONTAINER_FACTOR: u64 = 4;

/// The extensions a directory walk picks up besides `.txt` and `.md`: those of the formats built
/// in.
pub const WALKED_EXTENSIONS: &[&str] = &[
    #[cfg(feature = "pdf")]
    "pdf",
    #[cfg(feature = "office")]
    "docx",
    #[cfg(feature = "office")]
    "odt",
    #[cfg(feature = "html")]
    "html",
    #[cfg(feature = "html")]
    "htm",
    #[cfg(feature = "xml")]
    "xml",
];

/// How many bytes of a file [`detect`] looks at.
pub const SNIFF_BYTES: usize = 1024;

/// A file's format, from its first bytes ([`SNIFF_BYTES`] are enough) and its name.
///
/// Content decides for binary formats whatever the extension: `%PDF-` is a PDF, a zip archive is
/// DOCX or ODT (which one is told from its entries when it is opened; the extension is the first
/// guess). A `.txt` or `.md` file is text whatever it holds, so plain-text input reads as it
/// always did. Otherwise markup (`<?xml`, `<!DOCTYPE html>`, `<html`) is HTML or XML, and the
/// extension decides the rest.
pub fn detect(path: Option<&Path>, head: &[u8]) -> Format {
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let ext = ext.as_deref();
    if head.starts_with(b"%PDF-") {
        return Format::Pdf;
    }
    if head.starts_with(b"PK\x03\x04") {
        return match ext {
            Some("odt") => Format::Odt,
            // ODF puts an uncompressed `mimetype` entry first; a DOCX never has one.
            _ if contains(head, b"mimetypeapplication/vnd.oasis.opendocument") => Format::Odt,
            _ => Format::Docx,
        };
    }
    if matches!(ext, Some("txt" | "md")) {
        return Format::Text;
    }
    let start = skip_blanks(head);
    let lower: Vec<u8> = start.iter().take(512).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Format::Html;
    }
    if lower.starts_with(b"<?xml") {
        // XHTML is HTML: its main content is found the HTML way.
        return if matches!(ext, Some("html" | "htm" | "xhtml")) || contains(&lower, b"<html") {
            Format::Html
        } else {
            Format::Xml
        };
    }
    match ext {
        Some("pdf") => Format::Pdf,
        Some("docx") => Format::Docx,
        Some("odt") => Format::Odt,
        Some("html" | "htm" | "xhtml") => Format::Html,
        Some("xml") => Format::Xml,
        _ => Format::Text,
    }
}

fn skip_blanks(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Settings for [`extract`].
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The largest text to take out of a file, in bytes; more is an error.
    pub max_text_bytes: u64,
    /// For XML: the elements whose text is the document (`--xml-text`), in the path syntax of
    /// docs/input.md; `None` reads officiële-publicaties XML and TEI by their structure.
    pub xml_text: Option<String>,
}

/// A document's text taken out of a file, and where each part of it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The clean text: what is annotated and what offsets index.
    pub text: String,
    /// Where its parts came from.
    pub source: Source,
}

/// Where the parts of an extracted text came from: the output's `source` field
/// (docs/schema/document.schema.json).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file's format.
    pub format: Format,
    /// The file's pages (PDF) or parts (paragraphs, elements), in text order.
    pub parts: Vec<Part>,
    /// Text of the file that is not in the document's text: what a PDF sets apart from its
    /// body text by type size (footnotes, tables, title block, colophon), in page order.
    pub notes: Vec<Note>,
}

/// Text set apart from the body text (docs/input.md, "Body text and notes"): kept beside the
/// document, not annotated, so no offsets index it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The page it is on, from 1.
    pub page: u32,
    /// The type size most of it is set in, in tenths of a point.
    pub size: u32,
    /// Its text, lines separated by `\n`.
    pub text: String,
}

/// One page, paragraph or element of a file, and the range of the text that came from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Where it is: a page number from 1 (PDF), a paragraph number from 1 (DOCX, ODT, HTML) or an
    /// element path (XML).
    pub at: PartKey,
    /// First code point of the text that came from it.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
}

/// Where a [`Part`] is in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartKey {
    /// A PDF page, from 1.
    Page(u32),
    /// A paragraph, from 1, in document order.
    Paragraph(u32),
    /// An XML element path such as `/officiele-publicatie/kamervragen/vraag[2]`.
    Path(String),
}

impl Source {
    /// The output's `source` object: `format` and, by format, `pages` (`page`, `start`, `end`),
    /// `paragraphs` (`paragraph`, `start`, `end`) or `elements` (`path`, `start`, `end`), with
    /// offsets in code points of the output text.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("format".into(), self.format.name().into());
        let (key, items): (&str, Vec<Value>) = match self.format {
            Format::Pdf => ("pages", self.parts.iter().map(part_json).collect()),
            Format::Xml => ("elements", self.parts.iter().map(part_json).collect()),
            _ => ("paragraphs", self.parts.iter().map(part_json).collect()),
        };
        m.insert(key.into(), Value::Array(items));
        if !self.notes.is_empty() {
            let notes = self.notes.iter().map(note_json).collect();
            m.insert("notes".into(), Value::Array(notes));
        }
        Value::Object(m)
    }
}

fn note_json(n: &Note) -> Value {
    let mut m = Map::new();
    m.insert("page".into(), n.page.into());
    // Tenths of a point as a decimal, exact in JSON: 69 is 6.9.
    let size =
        serde_json::Number::from_f64(f64::from(n.size) / 10.0).map_or(Value::Null, Value::Number);
    m.insert("size".into(), size);
    m.insert("text".into(), n.text.clone().into());
    Value::Object(m)
}

fn part_json(p: &Part) -> Value {
    let mut m = Map::new();
    match &p.at {
        PartKey::Page(n) => m.insert("page".into(), (*n).into()),
        PartKey::Paragraph(n) => m.insert("paragraph".into(), (*n).into()),
        PartKey::Path(s) => m.insert("path".into(), s.clone().into()),
    };
    m.insert("start".into(), p.start.into());
    m.insert("end".into(), p.end.into());
    Value::Object(m)
}

/// Why a file could not be read as its format.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The format is known but this build cannot read it.
    #[error("{format} input is not built in (cargo feature `{feature}`)")]
    NotBuiltIn {
        /// The format's name.
        format: &'static str,
        /// The cargo feature that reads it.
        feature: &'static str,
    },
    /// The file is damaged or not the format it claims.
    #[error("not a readable {format} file: {reason}")]
    Corrupt {
        /// The format's name.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The file is encrypted.
    #[error("the {0} file is encrypted (password-protected); decrypt it first")]
    Encrypted(&'static str),
    /// A PDF whose pages have no text: scanned images.
    #[error(
        "the PDF has no text layer ({0} pages of images: a scan?); run OCR on it first (e.g. ocrmypdf)"
    )]
    NoTextLayer(usize),
    /// More text, or more decompressed data, than the limits allow.
    #[error("{0}")]
    TooLarge(String),
    /// XML that declares entities (a billion-laughs bomb or external entities), which are never
    /// expanded or fetched.
    #[error("the XML declares entities in a DTD ({0}); nl-ner never expands or fetches them")]
    Entities(String),
    /// The XML has no element that holds the text.
    #[error("{0}")]
    NoText(String),
    /// An `--xml-text` path nl-ner cannot read.
    #[error("bad --xml-text path `{path}`: {reason}")]
    BadPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An XML parse error.
    #[error("not well-formed XML: {0}")]
    Xml(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl FormatError {
    /// A damaged file of `format`.
    pub fn corrupt(format: Format, reason: impl std::fmt::Display) -> Self {
        FormatError::Corrupt {
            format: format.name(),
            reason: reason.to_string(),
        }
    }
}

/// Takes the text out of a file's bytes, as its `format` says.
pub fn extract(format: Format, bytes: &[u8], opts: &Options) -> Result<Extracted, FormatError> {
    let out = read(format, bytes, opts)?;
    if out.text.len() as u64 > opts.max_text_bytes {
        return Err(FormatError::TooLarge(format!(
            "its text is too large ({} bytes, over the limit of {} bytes; see --max-doc-bytes)",
            out.text.len(),
            opts.max_text_bytes
        )));
    }
    Ok(out)
}

/// The format's reader, or the error that says it is not built in.
#[allow(
    unused_variables,
    reason = "without any reader feature, nothing reads the bytes"
)]
fn read(format: Format, bytes: &[u8], opts: &Options) -> Result<Extracted, FormatError> {
    match format {
        Format::Text => Err(FormatError::corrupt(
            format,
            "plain text is decoded, not extracted",
        )),
        #[cfg(feature = "pdf")]
        Format::Pdf => pdf::extract(bytes, opts),
        #[cfg(feature = "office")]
        Format::Docx | Format::Odt => zip::extract(format, bytes, opts),
        #[cfg(feature = "html")]
        Format::Html => html::extract(bytes),
        #[cfg(feature = "xml")]
        Format::Xml => xml::extract(bytes, opts),
        #[allow(unreachable_patterns)]
        other => Err(not_built_in(other)),
    }
}

fn not_built_in(format: Format) -> FormatError {
    let feature = match format {
        Format::Pdf => "pdf",
        Format::Docx | Format::Odt => "office",
        Format::Html => "html",
        _ => "xml",
    };
    FormatError::NotBuiltIn {
        format: format.name(),
        feature,
    }
}

/// Builds a text of paragraphs (separated by a blank line) from the pieces of text a markup
/// walk finds, with whitespace collapsed as a browser or word processor shows it, and records the
/// range of each paragraph.
#[cfg(any(feature = "office", feature = "html", feature = "xml"))]
#[derive(Default)]
struct Paragraphs {
    text: String,
    chars: usize,
    /// The open paragraph's text, and where it is.
    open: String,
    key: Option<PartKey>,
    parts: Vec<Part>,
}

#[cfg(any(feature = "office", feature = "html", feature = "xml"))]
impl Paragraphs {
    /// Starts a paragraph at `key` (closing the open one).
    fn start(&mut self, key: PartKey) {
        self.close();
        self.key = Some(key);
    }

    /// Adds text to the open paragraph; whitespace runs become one space and soft hyphens
    /// (invisible unless a line breaks there) go.
    fn push(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\u{ad}' {
                continue;
            }
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                if !self.open.is_empty() && !self.open.ends_with([' ', '\n']) {
                    self.open.push(' ');
                }
            } else {
                self.open.push(c);
            }
        }
    }

    /// A line break inside the paragraph.
    fn line_break(&mut self) {
        let kept = self.open.trim_end_matches(' ').len();
        self.open.truncate(kept);
        if !self.open.is_empty() && !self.open.ends_with('\n') {
            self.open.push('\n');
        }
    }

    /// Ends the open paragraph, if it has any text.
    fn close(&mut self) {
        let para = self.open.trim();
        if !para.is_empty() {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
                self.chars += 2;
            }
            let start = self.chars;
            self.text.push_str(para);
            self.chars += para.chars().count();
            if let Some(key) = self.key.clone() {
                // Paragraph 0: number the paragraphs in output order.
                let key = match key {
                    PartKey::Paragraph(0) => {
                        PartKey::Paragraph(u32::try_from(self.parts.len() + 1).unwrap_or(u32::MAX))
                    }
                    k => k,
                };
                self.parts.push(Part {
                    at: key,
                    start,
                    end: self.chars,
                });
            }
        }
        self.open.clear();
    }

    /// The text and where its paragraphs came from.
    fn finish(mut self, format: Format) -> Extracted {
        self.close();
        Extracted {
            text: self.text,
            source: Source {
                format,
                parts: self.parts,
                notes: Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_then_extension() {
        let p = |s: &str| Some(Path::new(s).to_path_buf());
        let cases: &[(Option<std::path::PathBuf>, &[u8], Format)] = &[
            (p("a.pdf"), b"%PDF-1.7\n", Format::Pdf),
            (p("a.txt"), b"%PDF-1.4\n", Format::Pdf),
            (p("brief"), b"PK\x03\x04....word/document.xml", Format::Docx),
            (
                p("brief.zip"),
                b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text",
                Format::Odt,
            ),
            (p("a.odt"), b"PK\x03\x04", Format::Odt),
            (p("a.txt"), b"<?xml version=\"1.0\"?><a/>", Format::Text),
            (
                p("a"),
                b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<TEI>",
                Format::Xml,
            ),
            (
                p("a.xml"),
                b"<?xml version=\"1.0\"?><html xmlns=\"x\">",
                Format::Html,
            ),
            (p("a"), b"<!DOCTYPE html><html>", Format::Html),
            (p("a.htm"), b"hello", Format::Html),
            (p("a.pdf"), b"not a pdf", Format::Pdf),
            (p("a.md"), b"# Kop", Format::Text),
            (None, b"De NAVO", Format::Text),
        ];
        for (path, head, want) in cases {
            assert_eq!(detect(path.as_deref(), head), *want, "{path:?} {head:?}");
        }
    }
}
