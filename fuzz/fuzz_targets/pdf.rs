//! Fuzz target `pdf` (the PDF reader): see `fuzzing::pdf` in tests/fuzzing/mod.rs.
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::pdf(data));
