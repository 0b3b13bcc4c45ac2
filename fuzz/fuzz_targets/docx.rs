//! Fuzz target `docx` (the DOCX reader): see `fuzzing::docx` in tests/fuzzing/mod.rs.
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::docx(data));
