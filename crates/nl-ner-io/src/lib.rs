//! nl-ner's input, output and scoring layer, over the annotation library [`nl_ner`].
//!
//! Reading documents from files, directories, JSON Lines and standard input ([`input`]), writing
//! the JSON Lines output atomically and resuming interrupted runs ([`output`]), reading it back
//! ([`annotated`]), gold files and CoNLL ([`gold`]), strict entity-level scoring
//! (`nl_ner::score`), and the annotation tools'
//! and knowledge graphs' formats ([`import`], [`export`]).

#![warn(missing_docs)]

/// `FormatError::Invalid(format!(..))`.
macro_rules! invalid {
    ($($arg:tt)*) => {
        nl_ner::FormatError::Invalid(format!($($arg)*))
    };
}

pub mod annotated;
#[cfg(feature = "export")]
pub mod export;
pub mod gold;
pub mod import;
pub mod input;
pub mod output;

/// The root of the source tree this crate was built from (the workspace's root).
#[cfg(test)]
pub(crate) fn source_root() -> &'static std::path::Path {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(|p| p.parent())
        .unwrap_or(manifest)
}
