//! Reading and writing CoNLL-style column files (`WORD [POS ...] TAG`, IOB tags).
//!
//! Sentences are separated by blank lines; a `-DOCSTART-` line starts a new document (it may or may
//! not be followed by a blank line). The first column is the word and the last is the tag; columns
//! in between (CoNLL-2002's POS tags) are ignored.

use std::io::Write;
use std::path::Path;

use crate::doc::Tag;
use crate::doc::Words;
use crate::error::{Error, Result};

/// One sentence of a CoNLL file: words and their gold tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// The words, as written in the file.
    pub words: Vec<String>,
    /// One IOB tag per word.
    pub tags: Vec<Tag>,
}

/// One document of a CoNLL file: the sentences between two `-DOCSTART-` lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllDoc {
    /// The sentences in file order.
    pub sentences: Vec<ConllSentence>,
}

impl ConllDoc {
    /// Number of words in the document.
    pub fn num_words(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }

    /// The document as tagger input: its words, grouped into its sentences.
    pub fn words(&self) -> Words<'_> {
        let mut words = Words::default();
        for s in &self.sentences {
            let start = words.words.len();
            words.words.extend(s.words.iter().map(String::as_str));
            words.sentences.push(start..words.words.len());
        }
        words
    }
}

/// Reads a CoNLL file into documents. A file without `-DOCSTART-` lines is one document.
pub fn read(path: &Path) -> Result<Vec<ConllDoc>> {
    let mut bytes = crate::files::read_data_file(path, crate::files::MAX_DATA_BYTES)
        .map_err(|e| Error::io(path, e))?;
    let bom = bytes.len() - crate::files::strip_bom(&bytes).len();
    bytes.drain(..bom);
    let text = String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..bad].iter().filter(|&&b| b == b'\n').count();
        Error::NotUtf8 {
            path: path.to_path_buf(),
            line,
            source: e.utf8_error(),
        }
    })?;
    parse(&text).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        line: e.line,
        source: Box::new(e.reason),
    })
}

/// A line of CoNLL text that [`parse`] refuses.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub reason: ParseErrorKind,
}

/// What is wrong with a line of CoNLL text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The line has a word but no tag column.
    #[error("expected `WORD ... TAG`, got `{0}`")]
    NoTag(String),
    /// The last column is not an IOB tag of a known label.
    #[error(transparent)]
    BadTag(#[from] crate::doc::BadTag),
}

/// Parses CoNLL text.
pub fn parse(text: &str) -> std::result::Result<Vec<ConllDoc>, ParseError> {
    let mut docs = vec![ConllDoc::default()];
    let mut sent = ConllSentence::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sent.words.is_empty() {
                docs.last_mut()
                    .expect("never empty")
                    .sentences
                    .push(std::mem::take(&mut sent));
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().expect("line is not blank");
        let last = cols.next_back();
        if word == "-DOCSTART-" {
            if !sent.words.is_empty() {
                docs.last_mut()
                    .expect("never empty")
                    .sentences
                    .push(std::mem::take(&mut sent));
            }
            if !docs.last().expect("never empty").sentences.is_empty() {
                docs.push(ConllDoc::default());
            }
            continue;
        }
        let at = |reason| ParseError {
            line: i + 1,
            reason,
        };
        let tag = last.ok_or_else(|| at(ParseErrorKind::NoTag(line.to_string())))?;
        let tag: Tag = tag.parse().map_err(|e| at(ParseErrorKind::BadTag(e)))?;
        sent.words.push(word.to_string());
        sent.tags.push(tag);
    }
    if !sent.words.is_empty() {
        docs.last_mut().expect("never empty").sentences.push(sent);
    }
    if docs.len() > 1 && docs[0].sentences.is_empty() {
        docs.remove(0);
    }
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// Writes documents as `WORD TAG` lines, a blank line after each sentence, and a
/// `-DOCSTART- -X- O O` line (CoNLL-2003's document marker, which spaCy's `convert` splits
/// documents on), followed by a blank line, before each document when `docstart` is set.
pub fn write<W: Write>(mut w: W, docs: &[ConllDoc], docstart: bool) -> std::io::Result<()> {
    for doc in docs {
        if docstart {
            writeln!(w, "-DOCSTART- -X- O O\n")?;
        }
        for s in &doc.sentences {
            for (word, tag) in s.words.iter().zip(&s.tags) {
                writeln!(w, "{word} {tag}")?;
            }
            writeln!(w)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Label;

    #[test]
    fn parses_conll2002_with_docstart_on_top_of_first_sentence() {
        let text = "-DOCSTART- -DOCSTART- O\nDe Art O\nNAVO N B-ORG\n. Punc O\n\nIn Prep O\nGent N B-LOC\n\n\
                    -DOCSTART- -DOCSTART- O\nJan N B-PER\nPeeters N I-PER\n\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].words, vec!["De", "NAVO", "."]);
        assert_eq!(docs[0].sentences[0].tags[1], Tag::B(Label::Org));
        assert_eq!(
            docs[1].sentences[0].tags,
            vec![Tag::B(Label::Per), Tag::I(Label::Per)]
        );
    }

    #[test]
    fn reports_the_line_of_a_bad_tag() {
        let err = parse("De O\nNAVO B-XYZ\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.to_string().contains("B-XYZ"), "{err}");
    }

    #[test]
    fn write_then_parse_is_identity() {
        let docs = parse("Jan B-PER\nwoont O\nin O\nGent B-LOC\n\nOK O\n\n").unwrap();
        let mut buf = Vec::new();
        write(&mut buf, &docs, true).unwrap();
        assert_eq!(parse(std::str::from_utf8(&buf).unwrap()).unwrap(), docs);
    }
}
