//! Memory on adversarial text (issue 14, docs/reliability.md): a document of millions of short
//! words without a sentence end.

#[cfg(target_os = "linux")]
#[test]
fn a_document_of_repeated_acronyms_takes_bounded_memory() {
    use crate::util::{root, run_measured, stderr};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("purl.txt");
    // 3 MB, 1 million tokens, one "sentence": before the fix 330 bytes per byte (about 1 GB).
    std::fs::write(&path, "PURL (PURL) ".repeat(250_000)).unwrap();
    let args = ["-q", "--threads", "1", "-o", "/dev/null"];
    let mut all = vec!["extract", path.to_str().unwrap()];
    all.extend(args);
    let run = run_measured(&root(), &all, b"");
    assert!(run.output.status.success(), "{}", stderr(&run.output));
    let per_byte = run.peak_kib as f64 * 1024.0 / 3_000_000.0;
    assert!(
        per_byte < 200.0,
        "peak {} KiB: {per_byte:.0} bytes per input byte",
        run.peak_kib
    );
}
