//! Finding, reading and decoding input documents.
//!
//! An input is a file, a directory (walked recursively for `.txt` and `.md` files and the
//! [`formats`] built in, in sorted path order), or `-` for standard input. A `.jsonl` file holds
//! one document per line (`text`, optional `id`, other fields carried through; or, instead of
//! `text`, a `path` naming a file to read, relative to the JSONL file's directory); a PDF, DOCX,
//! ODT, HTML or XML file (told by its content and extension, [`formats::detect`]) is one
//! document of the text taken out of it, with a `source` field saying where each part came from;
//! any other file is one plain-text document. A document's id is its path. Standard input is
//! JSONL when its first non-blank byte is `{`, and one plain-text document otherwise.
//!
//! Reading is lazy: [`Documents`] yields one document (or one per-document error) at a time, so a
//! corpus larger than memory streams through. A document (a plain-text file, or a JSONL line) larger
//! than the limit ([`DEFAULT_MAX_DOC_BYTES`] unless set) is skipped with an error as soon as the
//! limit is passed, never read whole into memory.

mod decode;
pub mod formats;
mod jsonl;

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use decode::{DecodeError, TextEncoding, decode_text, decode_text_as};
pub use jsonl::{Entry, LineFormat, parse_entry, parse_line, parse_line_as};

use nl_ner::Document;
use nl_ner::InputError;

/// The default largest document, 16 MiB: several times the largest real parliamentary document,
/// while annotating one takes about 30 bytes of memory per byte of prose and up to about 70 per
/// byte of the densest text found (12 MB of `PURL (PURL) ` peaks at 0.85 GB; docs/reliability.md),
/// so a document at the limit stays within a laptop's memory.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 16 << 20;

/// How to read a file's contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// By extension: `.jsonl` is JSONL; PDF, DOCX, ODT, HTML and XML by content and extension
    /// ([`formats::detect`]); anything else plain text; standard input is sniffed.
    Auto,
    /// One plain-text document per file, whatever the file holds.
    Text,
    /// One JSON document per line.
    Jsonl,
}

/// Where documents come from: a path given on the command line or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    /// A file or a directory.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl From<&str> for InputSpec {
    fn from(s: &str) -> Self {
        if s == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(s))
        }
    }
}

/// A command-line argument, which need not be UTF-8 (a file name on Unix is any bytes).
impl From<&std::ffi::OsStr> for InputSpec {
    fn from(s: &std::ffi::OsStr) -> Self {
        if s == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(s))
        }
    }
}

/// One file to read, found by [`discover`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSource {
    /// Where to read it from.
    pub spec: InputSpec,
    /// Its size in bytes, when known (for progress).
    pub len: Option<u64>,
}

/// What a directory walk picks up besides [`formats::WALKED_EXTENSIONS`]. JSONL files are read
/// only when named, so that gold files and earlier output kept beside a corpus
/// (`corpus/gold/*.jsonl`) are never mistaken for input.
const WALKED_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// Expands the inputs into files: directories are walked recursively in sorted path order and
/// keep only `.txt` and `.md` files and the formats built in (`.pdf`, `.docx`, `.odt`, `.html`,
/// `.htm`, `.xml`); named files are kept whatever their extension.
/// A path that does not exist or cannot be walked becomes an error in its place.
pub fn discover(inputs: &[InputSpec]) -> Vec<Result<InputSource, InputError>> {
    let mut out = Vec::new();
    for input in inputs {
        let path = match input {
            InputSpec::Stdin => {
                out.push(Ok(InputSource {
                    spec: InputSpec::Stdin,
                    len: None,
                }));
                continue;
            }
            InputSpec::Path(p) => p,
        };
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Err(InputError::new(
                    path.display().to_string(),
                    io_reason(&e),
                )));
                continue;
            }
        };
        if !meta.is_dir() {
            out.push(Ok(InputSource {
                spec: InputSpec::Path(path.clone()),
                len: Some(meta.len()),
            }));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && has_walked_extension(e.path()) => {
                    let len = e.metadata().ok().map(|m| m.len());
                    out.push(Ok(InputSource {
                        spec: InputSpec::Path(e.into_path()),
                        len,
                    }));
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path).display().to_string();
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error().map(io_reason).unwrap_or_else(|| e.to_string())
                    };
                    out.push(Err(InputError::new(at, reason)));
                }
            }
        }
    }
    out
}

fn has_walked_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        WALKED_EXTENSIONS
            .iter()
            .chain(formats::WALKED_EXTENSIONS)
            .any(|w| w.eq_ignore_ascii_case(e))
    })
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The lazy stream of documents from a list of sources, in order.
pub struct Documents {
    sources: std::vec::IntoIter<Result<InputSource, InputError>>,
    format: InputFormat,
    max_doc_bytes: u64,
    /// `--xml-text`: the elements of an XML file that hold its text.
    xml_text: Option<String>,
    /// The text's encoding, and JSONL's text field.
    line_format: LineFormat,
    /// A reader handed over by [`Documents::from_reader`], not opened yet.
    queued: Option<(String, Box<dyn Read + Send>)>,
    current: Option<LineSource>,
}

/// A JSONL source being read line by line.
struct LineSource {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    /// The directory a line's `path` is relative to: the file's (none for standard input: the
    /// working directory).
    dir: Option<PathBuf>,
}

impl Documents {
    /// Reads the given sources (from [`discover`]) in order.
    pub fn new(sources: Vec<Result<InputSource, InputError>>, format: InputFormat) -> Self {
        Documents {
            sources: sources.into_iter(),
            format,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            xml_text: None,
            line_format: LineFormat::default(),
            queued: None,
            current: None,
        }
    }

    /// Reads one stream, named `name` in ids and errors, as standard input is read: JSONL when
    /// `format` says so or (with [`InputFormat::Auto`]) its first non-blank byte is `{`.
    pub fn from_reader(
        name: impl Into<String>,
        reader: impl Read + Send + 'static,
        format: InputFormat,
    ) -> Self {
        let mut docs = Documents::new(Vec::new(), format);
        docs.queued = Some((name.into(), Box::new(reader)));
        docs
    }

    /// Skips, with an error, every document larger than `bytes` (a plain-text file's size, or a
    /// JSONL line's length).
    pub fn with_max_doc_bytes(mut self, bytes: u64) -> Self {
        self.max_doc_bytes = bytes;
        self
    }

    /// Reads XML files' text from the elements `path` names (docs/input.md, `--xml-text`)
    /// instead of by their structure.
    pub fn with_xml_text(mut self, path: Option<String>) -> Self {
        self.xml_text = path;
        self
    }

    /// Decodes plain-text files and JSONL lines from `encoding` (`--encoding`) instead of UTF-8.
    pub fn with_encoding(mut self, encoding: TextEncoding) -> Self {
        self.line_format.encoding = encoding;
        self
    }

    /// Takes a JSONL line's text from the field `field` (`--text-field`) instead of `text`.
    pub fn with_text_field(mut self, field: Option<String>) -> Self {
        self.line_format.text_field = field;
        self
    }

    fn too_large(&self, input: String, size: Option<u64>) -> InputError {
        let size = size.map_or_else(String::new, |n| format!("{n} bytes, "));
        let limit = self.max_doc_bytes;
        InputError::new(
            input,
            format!(
                "document too large ({size}over the limit of {limit} bytes; see --max-doc-bytes)"
            ),
        )
    }

    fn next_line_doc(&mut self) -> Option<Result<Document, InputError>> {
        let limit = self.max_doc_bytes;
        let src = self.current.as_mut()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match read_line_limited(&mut src.reader, &mut buf, limit) {
                Ok(Line::End) => {
                    self.current = None;
                    return None;
                }
                Ok(Line::Complete) => {
                    src.line += 1;
                    if buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    let at = format!("{}:{}", src.name, src.line);
                    let dir = src.dir.clone();
                    return Some(match jsonl::parse_entry(&buf, &at, &self.line_format) {
                        Ok(jsonl::Entry::Document(d)) => Ok(d),
                        Ok(jsonl::Entry::File { path, doc, has_id }) => {
                            self.read_path(&at, dir.as_deref(), &path, doc, has_id)
                        }
                        Err(e) => Err(e),
                    });
                }
                Ok(Line::TooLong(n)) => {
                    src.line += 1;
                    let at = format!("{}:{}", src.name, src.line);
                    return Some(Err(self.too_large(at, Some(n))));
                }
                Err(e) => {
                    let at = format!("{}:{}", src.name, src.line + 1);
                    self.current = None;
                    return Some(Err(InputError::new(at, io_reason(&e))));
                }
            }
        }
    }

    fn open(&mut self, source: InputSource) -> Option<Result<Document, InputError>> {
        match &source.spec {
            InputSpec::Stdin => self.start(
                "<stdin>".to_string(),
                Box::new(io::stdin()),
                self.stream_framing(),
            ),
            InputSpec::Path(p) => {
                let name = p.display().to_string();
                let jsonl = self.is_jsonl_path(p);
                if jsonl || self.format == InputFormat::Text {
                    let read = self.open_text(name, p, source.len, jsonl);
                    if let Some(src) = self.current.as_mut() {
                        src.dir = p.parent().map(Path::to_path_buf);
                    }
                    return read;
                }
                Some(self.read_detected(name, p, source.len))
            }
        }
    }

    /// Reads one file as one document, in the format its content and extension say.
    fn read_detected(
        &self,
        name: String,
        p: &Path,
        len: Option<u64>,
    ) -> Result<Document, InputError> {
        // A device (`/dev/zero` read as JSONL is one endless line) is refused by name.
        let file = match nl_ner::files::open_data_file(p) {
            Ok(f) => f,
            Err(e) => return Err(InputError::new(name, io_reason(&e))),
        };
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let format = match fill_at_least(&mut reader, formats::SNIFF_BYTES) {
            Ok(head) => formats::detect(Some(p), head),
            Err(e) => return Err(InputError::new(name, io_reason(&e))),
        };
        if format == formats::Format::Text {
            if len.is_some_and(|n| n > self.max_doc_bytes) {
                return Err(self.too_large(name, len));
            }
            return self.read_text(name, reader);
        }
        self.extract(name, reader, format)
    }

    /// The document of a JSONL line that names a file (`path`, relative to `dir`): the file's
    /// text (and `source`), the line's other fields, the line's id or else the file's path. An
    /// error names the line (`at`) and the path.
    fn read_path(
        &self,
        at: &str,
        dir: Option<&Path>,
        path: &str,
        mut doc: Document,
        has_id: bool,
    ) -> Result<Document, InputError> {
        let file = dir.map_or_else(|| PathBuf::from(path), |d| d.join(path));
        let name = file.display().to_string();
        let fail = |reason: String| InputError::new(at, format!("`path` {path:?}: {reason}"));
        if path.is_empty() {
            return Err(fail("an empty path".to_string()));
        }
        if crate::is_jsonl(&file) {
            return Err(fail(
                "a JSONL file; a `path` names one document (text, PDF, DOCX, ODT, HTML or XML)"
                    .to_string(),
            ));
        }
        let meta =
            std::fs::metadata(&file).map_err(|e| fail(format!("{name}: {}", io_reason(&e))))?;
        if meta.is_dir() {
            return Err(fail(format!("{name} is a directory")));
        }
        let read = self.read_detected(name.clone(), &file, Some(meta.len()));
        let read = read.map_err(|e| fail(format!("{name}: {}", e.reason)))?;
        doc.text = read.text;
        if let Some(source) = read.extra.get("source") {
            doc.extra.insert("source".to_string(), source.clone());
        }
        if !has_id {
            doc.id = name;
        }
        Ok(doc)
    }

    /// Reads a text or JSONL file, as before formats were told apart.
    fn open_text(
        &mut self,
        name: String,
        p: &Path,
        len: Option<u64>,
        jsonl: bool,
    ) -> Option<Result<Document, InputError>> {
        if len.is_some_and(|n| n > self.max_doc_bytes) && !jsonl {
            return Some(Err(self.too_large(name, len)));
        }
        match nl_ner::files::open_data_file(p) {
            Ok(f) => {
                let framing = if jsonl { Framing::Jsonl } else { Framing::Text };
                self.start(name, Box::new(f), framing)
            }
            Err(e) => Some(Err(InputError::new(name, io_reason(&e)))),
        }
    }

    /// Reads a PDF, DOCX, ODT, HTML or XML file whole (within [`formats::CONTAINER_FACTOR`]
    /// times the document limit) and takes its text out.
    fn extract(
        &self,
        name: String,
        mut reader: impl Read,
        format: formats::Format,
    ) -> Result<Document, InputError> {
        let limit = self.max_doc_bytes.saturating_mul(formats::CONTAINER_FACTOR);
        let mut bytes = Vec::new();
        if let Err(e) = reader
            .by_ref()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            return Err(InputError::new(name, io_reason(&e)));
        }
        let what = format.name().to_ascii_uppercase();
        if bytes.len() as u64 > limit {
            return Err(InputError::new(
                name,
                format!(
                    "{what} file too large (over the limit of {limit} bytes, {} times \
                     --max-doc-bytes)",
                    formats::CONTAINER_FACTOR
                ),
            ));
        }
        if bytes.is_empty() {
            return Err(InputError::new(
                name,
                format!("empty file (0 bytes), not a {what} file"),
            ));
        }
        let opts = formats::Options {
            max_text_bytes: self.max_doc_bytes,
            xml_text: self.xml_text.clone(),
        };
        match formats::extract(format, &bytes, &opts) {
            Ok(out) => {
                let mut doc = Document::new(name, out.text);
                doc.extra.insert("source".to_string(), out.source.to_json());
                Ok(doc)
            }
            Err(e) => Err(InputError::new(name, e.to_string())),
        }
    }

    fn is_jsonl_path(&self, path: &Path) -> bool {
        match self.format {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => crate::is_jsonl(path),
        }
    }

    /// How a stream without a file name is read: as asked, or sniffed from its content.
    fn stream_framing(&self) -> Framing {
        match self.format {
            InputFormat::Jsonl => Framing::Jsonl,
            InputFormat::Text => Framing::Text,
            InputFormat::Auto => Framing::Sniff,
        }
    }

    /// Starts reading one stream: JSONL line by line, or plain text as one document, as
    /// `framing` says.
    fn start(
        &mut self,
        name: String,
        reader: Box<dyn Read + Send>,
        framing: Framing,
    ) -> Option<Result<Document, InputError>> {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let jsonl = match framing {
            Framing::Jsonl => true,
            Framing::Text => false,
            Framing::Sniff => match sniff_json(&mut reader) {
                Ok(j) => j,
                Err(e) => return Some(Err(InputError::new(name, io_reason(&e)))),
            },
        };
        if jsonl {
            if !self.line_format.encoding.is_ascii_compatible() {
                return Some(Err(InputError::new(
                    name,
                    "JSONL in UTF-16 cannot be read line by line; convert it to UTF-8 \
                     (`iconv -f UTF-16 -t UTF-8`)"
                        .to_string(),
                )));
            }
            self.current = Some(LineSource {
                name,
                reader: Box::new(reader),
                line: 0,
                dir: None,
            });
            return None;
        }
        Some(self.read_text(name, reader))
    }

    /// Reads a stream whole as one plain-text document, within the document limit.
    fn read_text(&self, name: String, mut reader: impl Read) -> Result<Document, InputError> {
        // One byte over the limit is enough to know the document is too large.
        let mut bytes = Vec::new();
        if let Err(e) = reader
            .by_ref()
            .take(self.max_doc_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            return Err(InputError::new(name, io_reason(&e)));
        }
        if bytes.len() as u64 > self.max_doc_bytes {
            return Err(self.too_large(name, None));
        }
        match decode_text_as(bytes, self.line_format.encoding) {
            Ok(text) => Ok(Document::new(name, text)),
            Err(e) => Err(InputError::new(name, e.to_string())),
        }
    }
}

/// How one stream is cut into documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// One JSON document per line.
    Jsonl,
    /// The whole stream is one text document.
    Text,
    /// JSONL when the first non-blank byte is `{`, otherwise text.
    Sniff,
}

/// What [`read_line_limited`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line (with its newline, unless it ends the stream) is in the buffer.
    Complete,
    /// The line had this many bytes, more than the limit; it was skipped, not kept.
    TooLong(u64),
    /// The stream is done.
    End,
}

/// Reads one line into `buf` like [`BufRead::read_until`], but keeps at most `limit` bytes: a
/// longer line is consumed to its end and reported by its length, without being held in memory.
fn read_line_limited(reader: &mut impl BufRead, buf: &mut Vec<u8>, limit: u64) -> io::Result<Line> {
    let mut total: u64 = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(match total {
                0 => Line::End,
                n if n > limit => Line::TooLong(n),
                _ => Line::Complete,
            });
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        // The newline does not count towards the document's size.
        let content = take - usize::from(done);
        if total + content as u64 <= limit {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            buf.clear();
        }
        total += content as u64;
        reader.consume(take);
        if done {
            return Ok(if total > limit {
                Line::TooLong(total)
            } else {
                Line::Complete
            });
        }
    }
}

/// The buffered start of a stream, at least `n` bytes of it unless it is shorter, without
/// consuming it.
fn fill_at_least<R: Read>(reader: &mut BufReader<R>, n: usize) -> io::Result<&[u8]> {
    // A file's first read fills the buffer (64 KiB) in practice; a pipe's may not.
    let _ = n;
    reader.fill_buf()
}

/// Whether the first non-blank byte of a buffered stream is `{`, without consuming it.
fn sniff_json(reader: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        // Skip a BOM and whitespace; a JSONL file may start with either.
        let skip = buf
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
            .count();
        if skip < buf.len() {
            return Ok(buf[skip] == b'{');
        }
        // Only blanks so far: they carry no document, so dropping them is safe.
        let n = buf.len();
        reader.consume(n);
    }
}

impl Iterator for Documents {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_line_doc() {
                    return Some(item);
                }
                continue;
            }
            if let Some((name, reader)) = self.queued.take() {
                if let Some(item) = self.start(name, reader, self.stream_framing()) {
                    return Some(item);
                }
                continue;
            }
            match self.sources.next()? {
                Err(e) => return Some(Err(e)),
                Ok(source) => {
                    if let Some(item) = self.open(source) {
                        return Some(item);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walks_directories_in_sorted_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("b/z.txt"), "Z").unwrap();
        fs::write(dir.path().join("b/a.md"), "A").unwrap();
        fs::write(dir.path().join("a.txt"), "top").unwrap();
        fs::write(dir.path().join("skip.tsv"), "x").unwrap();
        fs::write(dir.path().join("b/gold.jsonl"), "{}").unwrap();
        let specs = vec![
            InputSpec::Path(dir.path().to_path_buf()),
            InputSpec::Path(dir.path().join("missing.txt")),
        ];
        let found = discover(&specs);
        let names: Vec<String> = found
            .iter()
            .map(|r| match r {
                Ok(s) => match &s.spec {
                    InputSpec::Path(p) => p.strip_prefix(dir.path()).unwrap().display().to_string(),
                    InputSpec::Stdin => "-".into(),
                },
                Err(e) => format!("error: {}", e.reason),
            })
            .collect();
        assert_eq!(
            names,
            vec![
                "a.txt",
                "b/a.md",
                "b/z.txt",
                "error: no such file or directory"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_reported_once_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/doc.txt"), "De NAVO").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
        let found = discover(&[InputSpec::Path(dir.path().to_path_buf())]);
        let errors: Vec<&InputError> = found.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 1, "{found:?}");
        assert!(
            errors[0].input.ends_with("loop") && errors[0].reason.contains("loop"),
            "{}",
            errors[0]
        );
        assert_eq!(found.iter().filter(|r| r.is_ok()).count(), 1);
    }

    #[test]
    fn long_lines_are_skipped_by_length_not_kept() {
        // A 4-byte buffer makes every line span several reads.
        let mut r = BufReader::with_capacity(4, &b"abcde\nabcdefgh\r\nabcdef\n\nxyz"[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            buf.clear();
            match read_line_limited(&mut r, &mut buf, 6).unwrap() {
                Line::End => break,
                Line::Complete => lines.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong(n) => {
                    assert!(buf.is_empty(), "nothing of a long line is kept");
                    lines.push(format!("<{n} bytes>"));
                }
            }
        }
        assert_eq!(lines, ["abcde\n", "<9 bytes>", "abcdef\n", "\n", "xyz"]);
    }

    #[test]
    fn documents_over_the_limit_are_errors_and_the_stream_goes_on() {
        let input = "{\"text\":\"NAVO\"}\n{\"text\":\"De Europese Unie\"}\n{\"text\":\"EU\"}\n";
        let docs: Vec<_> = Documents::from_reader("s", io::Cursor::new(input), InputFormat::Auto)
            .with_max_doc_bytes(20)
            .collect();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].as_ref().unwrap().text, "NAVO");
        let e = docs[1].as_ref().unwrap_err();
        assert_eq!(
            e.to_string(),
            "s:2: document too large (27 bytes, over the limit of 20 bytes; see --max-doc-bytes)"
        );
        assert_eq!(docs[2].as_ref().unwrap().text, "EU");

        let text = Documents::from_reader("t", io::Cursor::new("x".repeat(21)), InputFormat::Auto)
            .with_max_doc_bytes(20);
        let e = text.map(|d| d.unwrap_err().to_string()).collect::<Vec<_>>();
        assert_eq!(
            e,
            ["t: document too large (over the limit of 20 bytes; see --max-doc-bytes)"]
        );
    }

    #[test]
    fn reads_text_and_jsonl_and_keeps_going_after_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "\u{feff}Den Haag\r\n").unwrap();
        let jsonl = dir.path().join("b.jsonl");
        fs::write(
            &jsonl,
            "{\"id\":\"x\",\"text\":\"NAVO\",\"bron\":7}\nnot json\n\n{\"text\":3}\n{\"text\":\"EU\"}\n",
        )
        .unwrap();
        fs::write(dir.path().join("c.txt"), [0x66, 0xff, 0x6f]).unwrap();
        let specs =
            [dir.path().join("a.txt"), jsonl, dir.path().join("c.txt")].map(InputSpec::Path);
        let docs: Vec<_> = Documents::new(discover(&specs), InputFormat::Auto).collect();
        assert_eq!(docs.len(), 6);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.text, "Den Haag\r\n");
        let x = docs[1].as_ref().unwrap();
        assert_eq!((x.id.as_str(), x.text.as_str()), ("x", "NAVO"));
        assert_eq!(x.extra["bron"], 7);
        let bad = docs[2].as_ref().unwrap_err();
        assert!(bad.input.ends_with("b.jsonl:2"), "{}", bad.input);
        let not_string = docs[3].as_ref().unwrap_err();
        assert!(not_string.input.ends_with("b.jsonl:4") && not_string.reason.contains("string"));
        assert!(docs[4].as_ref().unwrap().id.ends_with("b.jsonl:5"));
        let invalid = docs[5].as_ref().unwrap_err();
        assert!(invalid.reason.contains("UTF-8"), "{}", invalid.reason);
    }
}
