//! The Python package `nl_ner` (bindings/python/, docs/python.md): its pytest suite in
//! `bindings/python/tests/`, which compares the binding with this build's `nl-ner` on `corpus/`
//! byte for byte and runs the spaCy component in the real spaCy.
//!
//! Needs the wheel built and installed by `.ci/setup.d/75-python-wheel.sh` into the venv of
//! `70-spacy.sh`, or by `pip install '.[test]'` into a venv of one's own (`$NL_NER_PYTHON`, else
//! `~/.cache/nl-ner/venv/bin/python`, else `python3`).
//! Ignored in a plain `cargo test`; run with `--include-ignored`, it fails without the wheel, and
//! when the installed wheel is older than the sources (rerun the script): it would test old code.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::util::{missing, python_with, root, stderr};

const SETUP: &str = ".ci/setup.d/75-python-wheel.sh";

/// The newest modification time of the files under `path`.
fn newest(path: &Path) -> SystemTime {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The installed extension module and when it was built: the later of its file's time (pip
/// and `maturin develop` write it when they install) and the stamp the setup script writes in
/// the venv each time it builds, also when the wheel it built is the one installed (then pip
/// leaves the module's file alone). A venv made with `pip install .` has no stamp, and needs
/// none.
fn installed(python: &Path) -> (PathBuf, SystemTime) {
    let out = Command::new(python)
        .args([
            "-c",
            "import sys, nl_ner._nl_ner as m; print(sys.prefix); print(m.__file__)",
        ])
        .output()
        .expect("python runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    let mut lines = printed.lines();
    let (Some(prefix), Some(module)) = (lines.next(), lines.next()) else {
        panic!(
            "{} cannot import nl_ner._nl_ner: {}",
            python.display(),
            stderr(&out)
        )
    };
    let modified = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    let module = PathBuf::from(module);
    let stamp = PathBuf::from(prefix).join(".nl-ner-wheel");
    let built = modified(&module).max(modified(&stamp));
    (module, built)
}

#[test]
#[ignore = "needs the Python wheel: .ci/setup.d/75-python-wheel.sh"]
fn the_python_package_passes_its_tests_against_this_build() {
    let python = python_with("import nl_ner, spacy, pytest").unwrap_or_else(|| {
        missing(
            "a Python with nl_ner, spaCy and pytest",
            &format!("bash .ci/setup.d/70-spacy.sh && bash {SETUP} install them"),
        )
    });
    let (module, built) = installed(&python);
    // What the wheel is built from (not the command line in src/).
    let sources = [
        "crates",
        "models",
        "bindings/python/src",
        "bindings/python/python",
        "Cargo.toml",
        "bindings/python/Cargo.toml",
        "pyproject.toml",
    ];
    for s in sources {
        assert!(
            newest(&root().join(s)) <= built,
            "the nl_ner installed in {} ({}) was built before {s} last changed: rebuild and \
             reinstall it with `bash {SETUP}` (the venv of .ci/setup.d/70-spacy.sh, or the one \
             NL_NER_VENV names), or in your own venv with `pip install --force-reinstall .`",
            python.display(),
            module.display()
        );
    }
    let out = Command::new(&python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "bindings/python/tests",
        ])
        .env("NL_NER_BIN", env!("CARGO_BIN_EXE_nl-ner"))
        .current_dir(root())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", stderr(&out));
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains(" passed") && !summary.contains("skipped"),
        "{stdout}"
    );
}
