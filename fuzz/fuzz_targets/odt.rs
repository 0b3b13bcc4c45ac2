//! Fuzz target `odt` (the ODT reader): see `fuzzing::odt` in tests/fuzzing/mod.rs.
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::odt(data));
