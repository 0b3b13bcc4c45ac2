//! Fuzz target `html` (the HTML reader): see `fuzzing::html` in tests/fuzzing/mod.rs.
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::html(data));
