# cargo-modules (crates.io) prints each crate's module graph for the import-cycle check in .ci/run
# (scripts/ci/module_cycles.py). 0.27.0 is the last release that builds with rustc 1.95; the
# install compiles rust-analyzer's crates once (about ten minutes on two cores) and is kept in
# ~/.cargo/bin.
if ! cargo modules --version 2>/dev/null | grep -q '0\.27\.0'; then
    cargo install --locked cargo-modules@0.27.0
fi
