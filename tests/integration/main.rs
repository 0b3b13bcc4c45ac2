//! The integration tests, one binary with a module per area (STYLE.md §1, after ripgrep's
//! `tests/tests.rs`): most run the real `nl-ner` binary in a temporary directory (`util`), some
//! call the library crates directly. One binary links the crates once instead of once per file.
//!
//! Tests that need a tool besides Rust (spaCy, Chromium, PySpark, the Python wheel) are
//! `#[ignore = "needs ..."]`: a plain `cargo test --release` lists them as ignored, and
//! `cargo test --release --test integration -- --include-ignored` runs them, once `.ci/setup.d/`
//! has installed the tools (as `.ci/run` does). Run that way, a missing tool fails the test.
//! The transformer's tests need libtorch at build time and are their own binary
//! (`tests/transformer.rs`, feature `transformer`).

mod util;
// Shared with the fuzz targets (`fuzz/fuzz_targets/*.rs` include it by path).
#[path = "../fuzzing/mod.rs"]
mod fuzzing;

mod archives;
mod cli;
mod consumers;
mod corrections;
mod crossdoc;
mod eval_conlleval;
mod export;
mod folia;
mod formats;
mod fuzz_regressions;
mod guarantees;
mod hostile;
mod import;
mod memory;
mod properties;
mod python;
mod quality;
mod registers;
mod relations;
mod render;
mod render_browser;
mod resume;
#[cfg(feature = "serve")]
mod serve;
mod spark;
mod stream;
mod tei;
mod train;
