//! The library's error type. Each variant names the file or input it is about and keeps its cause.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in the library.
///
/// New variants may come; [`report`] gives the message with its causes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// An input document could not be decoded or parsed.
    #[error("{input}: {reason}")]
    BadInput {
        /// The file (and line, for JSONL) concerned.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A model file is missing, corrupt, or of another format version.
    #[error("model {path}: {reason}")]
    Model {
        /// The model file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A gold or training file is malformed.
    #[error("{}: {reason}", at(path, *line))]
    Data {
        /// The data file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// A line of a data file (gold, CoNLL, a checkpoint's state) that its format's rules or a
    /// parser below refuse; `source` says why.
    #[error("{}", at(path, *line))]
    Format {
        /// The data file (or stream name).
        path: PathBuf,
        /// 1-based line number, 0 for the file as a whole.
        line: usize,
        /// What is wrong with the line.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A model file that a parser below refuses (its configuration, weights or vocabulary).
    #[error("model {}: {what}", path.display())]
    ModelFormat {
        /// The model file.
        path: PathBuf,
        /// What was being read (`not a transformer model configuration`).
        what: String,
        /// The parser's reason.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A model file could not be read.
    #[error("model {path}: cannot read the model file")]
    ModelRead {
        /// The model file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// The CRF trainer (`crfs`) failed.
    #[error("model {path}: crfs")]
    Trainer {
        /// The model being trained.
        path: PathBuf,
        /// What `crfs` reported.
        #[source]
        source: io::Error,
    },
    /// libtorch failed while running or training the transformer (present in every build, so
    /// that a `match` does not depend on the `transformer` feature).
    #[error("transformer: {what}")]
    Transformer {
        /// What was being done.
        what: String,
        /// libtorch's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A data file is not UTF-8.
    #[error("{}: not valid UTF-8", at(path, *line))]
    NotUtf8 {
        /// The data file.
        path: PathBuf,
        /// 1-based line number, 0 for the file as a whole.
        line: usize,
        /// Where the bytes stop being UTF-8.
        #[source]
        source: std::str::Utf8Error,
    },
    /// An interrupted run cannot be resumed from its partial file.
    #[error("cannot resume from {partial}: {reason}")]
    Resume {
        /// The partial file.
        partial: PathBuf,
        /// Why not.
        reason: String,
    },
    /// A step that failed, named as the command line names it (`reading the model m.bin`,
    /// `loading the built-in gazetteers`), with the error that made it fail.
    #[error("{context}")]
    Context {
        /// What was being done.
        context: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// Writing the output failed.
    #[error("writing {path}")]
    Output {
        /// The output path (or `<stdout>`).
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// The message with its causes, `: `-separated (`Display` shows the first link only, so
    /// that reporters that walk `source()` do not repeat the cause).
    pub fn report(&self) -> String {
        report(self)
    }

    /// `source` as the cause of a failed step described by `context`.
    pub fn context(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::Context {
            context: context.into(),
            source: source.into(),
        }
    }

    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `file:line`, or the file alone for line 0 (the file as a whole): never "line 0".
fn at(path: &std::path::Path, line: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}", path.display())
    }
}

/// An error's message with its causes, `: `-separated, walking [`source`]; a link with an empty
/// message (a [`FormatError::Parse`] that names nothing) is left out. What [`Error::report`] and
/// [`FormatError::report`] give.
///
/// [`source`]: std::error::Error::source
pub fn report(error: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let message = e.to_string();
        if !message.is_empty() {
            parts.push(message);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// What is wrong with a piece of data (a JSONL record, an exported task, a chunk of a model
/// file), before the file and line it came from are known. The caller adds those; a message
/// that goes on as text (a rejected record in a report, `Error::Data`) is [`FormatError::report`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// A rule of the format is broken.
    #[error("{0}")]
    Invalid(String),
    /// A parser below refused it: `what` says what was expected (may be empty), `source` why not.
    #[error("{what}")]
    Parse {
        /// What the data should have been (`not JSON`).
        what: String,
        /// The parser's reason.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl FormatError {
    /// A parser's refusal of data that should have been `what`.
    pub fn parse(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        FormatError::Parse {
            what: what.into(),
            source: source.into(),
        }
    }

    /// The message with its causes, `: `-separated.
    pub fn report(&self) -> String {
        report(self)
    }

    /// The same error about a part of the data: `prefix: message`.
    pub fn within(self, prefix: &str) -> Self {
        match self {
            FormatError::Invalid(m) => FormatError::Invalid(format!("{prefix}: {m}")),
            FormatError::Parse { what, source } if what.is_empty() => FormatError::Parse {
                what: prefix.to_string(),
                source,
            },
            FormatError::Parse { what, source } => FormatError::Parse {
                what: format!("{prefix}: {what}"),
                source,
            },
        }
    }
}

impl From<String> for FormatError {
    fn from(m: String) -> Self {
        FormatError::Invalid(m)
    }
}

impl From<&str> for FormatError {
    fn from(m: &str) -> Self {
        FormatError::Invalid(m.to_string())
    }
}

/// `FormatError::Invalid(format!(..))`.
#[cfg(feature = "train")]
macro_rules! invalid {
    ($($arg:tt)*) => {
        $crate::error::FormatError::Invalid(format!($($arg)*))
    };
}
#[cfg(feature = "train")]
pub(crate) use invalid;

/// What happened to one input: an annotated document, or why it was skipped.
pub type Outcome = std::result::Result<crate::doc::Document, InputError>;

/// A document that could not be read, with the input it came from.
#[derive(Debug, thiserror::Error)]
#[error("{input}: {reason}")]
pub struct InputError {
    /// The file, `file:line` for JSONL, or `<stdin>`.
    pub input: String,
    /// Why it was skipped.
    pub reason: String,
}

impl InputError {
    /// A skipped input and why.
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            reason: reason.into(),
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::BadInput {
            input: e.input,
            reason: e.reason,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_the_file_and_the_cause_once() {
        let e = Error::io("corpus/x.txt", io::Error::from(io::ErrorKind::NotFound));
        assert_eq!(e.to_string(), "corpus/x.txt");
        assert_eq!(e.report(), "corpus/x.txt: entity not found");
    }

    #[test]
    fn report_leaves_out_links_without_a_message() {
        let inner = FormatError::parse("", io::Error::other("expected value"));
        let e = Error::Format {
            path: "g.jsonl".into(),
            line: 3,
            source: Box::new(inner),
        };
        assert_eq!(e.to_string(), "g.jsonl:3");
        assert_eq!(e.report(), "g.jsonl:3: expected value");
        assert_eq!(report(&e), e.report());
    }
}
