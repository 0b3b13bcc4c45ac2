//! Memory on adversarial text (issue 14, docs/reliability.md): a document of millions of short
//! words without a sentence end. One test in its own process, since it reads the peak resident
//! set of this process's children.

mod util;

#[cfg(target_os = "linux")]
#[test]
fn a_document_of_repeated_acronyms_takes_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("purl.txt");
    // 3 MB, 1 million tokens, one "sentence": before the fix 330 bytes per byte (about 1 GB).
    std::fs::write(&path, "PURL (PURL) ".repeat(250_000)).unwrap();
    let out = util::run(&[
        "extract",
        path.to_str().unwrap(),
        "-q",
        "--threads",
        "1",
        "-o",
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    // SAFETY: getrusage only writes the struct it is given.
    let peak_kib = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage.ru_maxrss
    };
    let per_byte = peak_kib as f64 * 1024.0 / 3_000_000.0;
    assert!(
        per_byte < 200.0,
        "peak {peak_kib} KiB: {per_byte:.0} bytes per input byte"
    );
}
