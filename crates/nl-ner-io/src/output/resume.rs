//! Continuing an interrupted run from the partial file it left (`nl-ner extract --resume`).
//!
//! The partial file holds the output lines of the documents finished so far, in input order, each
//! written whole before the next begins; only its last line can be torn (the process died while
//! writing it) and is cut off. Resuming reads the same inputs again: the first documents must be
//! those of the partial file, by id and by text, in order, and are skipped unannotated; the rest are
//! annotated and appended. So the final file equals an uninterrupted run's, byte for byte, and a
//! changed input set is an error rather than a silently mixed file.

use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use nl_ner::Outcome;
use nl_ner::{Error, Result};

/// What a partial file already holds, and how far a resumed run has matched it.
#[derive(Debug)]
pub struct Resume {
    partial: PathBuf,
    done: Vec<Done>,
    matched: usize,
    mismatch: Option<String>,
}

/// One document in the partial file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    /// Its id.
    pub id: String,
    /// A hash of its text, to tell an edited document from the one that was annotated.
    pub text_hash: u64,
}

/// The part of an output line that identifies the document.
#[derive(Deserialize)]
struct DoneLine {
    id: String,
    text: String,
}

fn text_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// What a resumed run does with one input ([`Resume::admit`]).
#[derive(Debug)]
// An input is admitted once per document, and the document it carries is moved on at once:
// boxing it would add an allocation per document for no saving.
#[allow(clippy::large_enum_variant)]
pub enum Admission {
    /// Annotate and write it.
    Run(Outcome),
    /// Skip it: the partial file holds it already.
    Done,
    /// Stop: the inputs are not those of the interrupted run (the reason comes from
    /// [`Resume::finish`]).
    Stop,
}

impl Admission {
    /// The input to annotate, if it is one.
    pub fn into_run(self) -> Option<Outcome> {
        match self {
            Admission::Run(item) => Some(item),
            Admission::Done | Admission::Stop => None,
        }
    }
}

impl Resume {
    /// Reads the partial file open in `file`, cuts off a torn last line, and leaves the file
    /// positioned at its end, ready to append.
    pub(crate) fn read(file: &mut File, partial: &Path) -> Result<Resume> {
        let io = |e| Error::io(partial, e);
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut reader = BufReader::with_capacity(1 << 16, &mut *file);
        let mut done = Vec::new();
        let mut whole_lines_end = 0u64;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(io)?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            let parsed: DoneLine = serde_json::from_slice(&line).map_err(|e| Error::Data {
                path: partial.to_path_buf(),
                line: done.len() + 1,
                reason: format!(
                    "not an nl-ner output line ({e}); delete the file or run without --resume"
                ),
            })?;
            done.push(Done {
                id: parsed.id,
                text_hash: text_hash(&parsed.text),
            });
            whole_lines_end += n as u64;
        }
        drop(reader);
        file.set_len(whole_lines_end).map_err(io)?;
        file.seek(SeekFrom::End(0)).map_err(io)?;
        Ok(Resume {
            partial: partial.to_path_buf(),
            done,
            matched: 0,
            mismatch: None,
        })
    }

    /// The documents the partial file holds, in order.
    pub fn done(&self) -> &[Done] {
        &self.done
    }

    /// Passes one input through (see [`Admission`]). Skipped inputs (errors) pass through:
    /// they left no line, and are reported again.
    pub fn admit(&mut self, item: Outcome) -> Admission {
        if self.mismatch.is_some() {
            return Admission::Stop;
        }
        let Ok(doc) = &item else {
            return Admission::Run(item);
        };
        let Some(expected) = self.done.get(self.matched) else {
            return Admission::Run(item);
        };
        if expected.id != doc.id {
            self.mismatch = Some(format!(
                "document {} of the inputs is `{}`, but the partial file has `{}` there",
                self.matched + 1,
                doc.id,
                expected.id
            ));
            return Admission::Stop;
        }
        if expected.text_hash != text_hash(&doc.text) {
            self.mismatch = Some(format!(
                "the text of `{}` changed since the interrupted run",
                doc.id
            ));
            return Admission::Stop;
        }
        self.matched += 1;
        Admission::Done
    }

    /// Checks, once the inputs are exhausted, that every document in the partial file was among
    /// them, in order.
    pub fn finish(self) -> Result<()> {
        let reason = match self.mismatch {
            Some(m) => m,
            None if self.matched < self.done.len() => format!(
                "the inputs hold only {} of the {} documents the partial file has",
                self.matched,
                self.done.len()
            ),
            None => return Ok(()),
        };
        Err(Error::Resume {
            partial: self.partial,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::output::jsonl::write_document;
    use nl_ner::Document;

    fn partial_with(docs: &[Document], torn: &[u8]) -> (tempfile::NamedTempFile, Resume) {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        for d in docs {
            write_document(&mut tmp, d).unwrap();
        }
        tmp.write_all(torn).unwrap();
        let path = tmp.path().to_path_buf();
        let resume = Resume::read(tmp.as_file_mut(), &path).unwrap();
        (tmp, resume)
    }

    #[test]
    fn cuts_the_torn_line_and_skips_the_done_documents() {
        let docs = [
            Document::new("a", "De NAVO."),
            Document::new("b", "Den Haag."),
        ];
        let (tmp, mut r) = partial_with(&docs, b"{\"schema\":1,\"id\":\"c\",\"te");
        assert_eq!(
            r.done().iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let whole = std::fs::read(tmp.path()).unwrap();
        assert!(whole.ends_with(b"]}\n"), "torn line cut off");
        assert!(matches!(r.admit(Ok(docs[0].clone())), Admission::Done));
        let failed = Err(nl_ner::InputError {
            input: "x".into(),
            reason: "bad".into(),
        });
        assert!(matches!(r.admit(failed), Admission::Run(Err(_))));
        assert!(matches!(r.admit(Ok(docs[1].clone())), Admission::Done));
        assert!(matches!(
            r.admit(Ok(Document::new("c", "Nieuw."))),
            Admission::Run(Ok(_))
        ));
        r.finish().unwrap();
    }

    #[test]
    fn a_changed_input_set_is_an_error() {
        let docs = [
            Document::new("a", "De NAVO."),
            Document::new("b", "Den Haag."),
        ];
        let (_t, mut r) = partial_with(&docs, b"");
        assert!(matches!(
            r.admit(Ok(Document::new("b", "Den Haag."))),
            Admission::Stop
        ));
        assert!(
            r.finish()
                .unwrap_err()
                .report()
                .contains("partial file has `a`")
        );

        let (_t, mut r) = partial_with(&docs, b"");
        assert!(matches!(
            r.admit(Ok(Document::new("a", "De EU."))),
            Admission::Stop
        ));
        assert!(
            r.finish()
                .unwrap_err()
                .report()
                .contains("text of `a` changed")
        );

        let (_t, mut r) = partial_with(&docs, b"");
        assert!(!matches!(r.admit(Ok(docs[0].clone())), Admission::Stop));
        assert!(r.finish().unwrap_err().report().contains("only 1 of the 2"));
    }

    #[test]
    fn a_foreign_file_is_not_resumed() {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(b"hello\n").unwrap();
        let path = tmp.path().to_path_buf();
        let e = Resume::read(tmp.as_file_mut(), &path).unwrap_err();
        assert!(e.to_string().contains("not an nl-ner output line"), "{e}");
    }
}
