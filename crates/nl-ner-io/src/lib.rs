//! nl-ner's input, output and scoring layer, over the annotation library [`nl_ner`].
//!
//! Reading documents from files, directories, JSON Lines and standard input ([`input`]), writing
//! the JSON Lines output atomically and resuming interrupted runs ([`output`]), reading it back
//! ([`annotated`]), gold files and CoNLL ([`gold`]), scoring against gold files ([`score`]), and
//! the annotation tools' and knowledge graphs' formats ([`import`], [`export`]). Whether a file
//! is JSON Lines is decided in one place, [`is_jsonl`].

#![deny(missing_docs)]

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
pub mod relation_gold;
pub mod score;

/// Whether a file is read as JSON Lines when no format is given: its extension is `jsonl`, in
/// any case (`data.JSONL` too). Extraction input, gold files, training files and the files of
/// seen names all go by this rule.
pub fn is_jsonl(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// The root of the source tree this crate was built from (the workspace's root).
#[cfg(test)]
pub(crate) fn source_root() -> &'static std::path::Path {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(|p| p.parent())
        .unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn jsonl_goes_by_the_extension_in_any_case() {
        for (path, jsonl) in [
            ("a.jsonl", true),
            ("dir/data.JSONL", true),
            ("a.JsonL", true),
            ("a.json", false),
            ("jsonl", false),
            ("a.jsonl.gz", false),
            ("ned.testa", false),
        ] {
            assert_eq!(super::is_jsonl(Path::new(path)), jsonl, "{path}");
        }
    }
}
