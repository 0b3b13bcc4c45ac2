//! Fuzz target `xml` (the XML reader): see `fuzzing::xml` in tests/fuzzing/mod.rs.
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::xml(data));
