//! The bundled corpus (letters and motions), shared by the benchmarks.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.txt` file of `corpus/letters` and `corpus/moties`, in path order.
pub fn corpus_paths() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths = Vec::new();
    for dir in ["letters", "moties"] {
        for entry in fs::read_dir(root.join(dir)).expect("corpus directory") {
            let path = entry.expect("corpus entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// Every corpus text, one per document.
pub fn corpus_texts() -> Vec<String> {
    corpus_paths()
        .iter()
        .map(|p| fs::read_to_string(p).expect("corpus text"))
        .collect()
}

/// Every corpus text, joined by blank lines.
pub fn corpus() -> String {
    corpus_texts().join("\n\n")
}
