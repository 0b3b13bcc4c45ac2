//! Memory on adversarial text (issue 14, docs/reliability.md): a document of millions of short
//! words without a sentence end. The peak resident set is the child's own (`wait4`), not that of
//! all this process's children, which include the other tests' runs of the binary.

#[cfg(target_os = "linux")]
#[test]
fn a_document_of_repeated_acronyms_takes_bounded_memory() {
    use std::process::{Command, Stdio};

    use crate::util;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("purl.txt");
    // 3 MB, 1 million tokens, one "sentence": before the fix 330 bytes per byte (about 1 GB).
    std::fs::write(&path, "PURL (PURL) ".repeat(250_000)).unwrap();
    let err_path = dir.path().join("stderr");
    let child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .arg("extract")
        .arg(&path)
        .args(["-q", "--threads", "1", "-o", "/dev/null"])
        .current_dir(util::root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("the binary runs");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: wait4 only writes the status and the struct it is given; the child is reaped here
    // and nowhere else (`Child` neither waits nor kills when dropped).
    let (waited, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::wait4(pid, &mut status, 0, &mut usage), usage)
    };
    drop(child);
    assert_eq!(waited, pid, "{}", std::io::Error::last_os_error());
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "status {status:#x}: {}",
        std::fs::read_to_string(&err_path).unwrap()
    );
    let peak_kib = usage.ru_maxrss;
    let per_byte = peak_kib as f64 * 1024.0 / 3_000_000.0;
    assert!(
        per_byte < 200.0,
        "peak {peak_kib} KiB: {per_byte:.0} bytes per input byte"
    );
}
