//! Helpers for tests that run the real `nl-ner` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Entities as (start, end, label), in the order written: what two annotation files must agree on.
pub type Spans = Vec<(u64, u64, String)>;

/// The (start, end, label) of each entity in a JSON list of `{start, end, label}` objects.
pub fn spans_of(entities: &serde_json::Value) -> Spans {
    entities
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
                e["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The crate root, where `corpus/` and `models/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Starts `nl-ner` with `args` in `dir`, with its standard streams piped, and writes `stdin` to
/// it (then closes it).
fn start(dir: &Path, args: &[&str], stdin: &[u8]) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    feed(&mut child, stdin);
    child
}

/// Writes `stdin` to the child's piped standard input and closes it. The binary may exit before
/// it reads its input (an error found first, such as a resume with other settings): a closed
/// pipe then is no failure of the test.
fn feed(child: &mut Child, stdin: &[u8]) {
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
}

/// Runs `nl-ner` with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    start(dir, args, stdin).wait_with_output().unwrap()
}

/// A run of `nl-ner` with what it cost, from the kernel's account of that one process.
#[cfg(target_os = "linux")]
pub struct Measured {
    pub output: Output,
    /// User and system CPU time, of all its threads: unlike the wall clock, it does not grow
    /// while the run waits for a core on a busy machine.
    pub cpu_seconds: f64,
    /// Peak resident set.
    pub peak_kib: i64,
}

/// Forks the command in `argv[2:]` from this small process and writes its raw wait status, peak
/// resident set (KiB) and CPU seconds to `argv[1]`.
///
/// Why not `wait4` on a child of the test process: Linux carries a process's peak resident set
/// across `exec` (`signal->maxrss`), and a child spawned by this test binary starts as a copy
/// (or, with `posix_spawn`, a user) of the test process's memory, which other tests in it (an
/// in-process SPARQL store) can make hundreds of megabytes. A child forked from a small Python
/// process starts small, so its peak is its own.
#[cfg(target_os = "linux")]
const MEASURE: &str = "\
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], 'w') as f:
    f.write(f'{status} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime}')
";

/// Runs `nl-ner` with `args` in `dir`, feeding `stdin`, and measures it (through `python3`,
/// see [`MEASURE`]).
#[cfg(target_os = "linux")]
pub fn run_measured(dir: &Path, args: &[&str], stdin: &[u8]) -> Measured {
    use std::os::unix::process::ExitStatusExt;

    let report = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(MEASURE)
        .arg(report.path())
        .arg(env!("CARGO_BIN_EXE_nl-ner"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (it measures the binary)");
    feed(&mut child, stdin);
    let wrapper = child.wait_with_output().unwrap();
    let measured = std::fs::read_to_string(report.path()).unwrap();
    assert!(
        !measured.is_empty(),
        "the measuring wrapper failed: {}",
        stderr(&wrapper)
    );
    let mut fields = measured.split(' ');
    let mut next = || fields.next().unwrap();
    let status: i32 = next().parse().unwrap();
    let peak_kib: i64 = next().parse().unwrap();
    let cpu_seconds: f64 = next().parse().unwrap();
    Measured {
        output: Output {
            status: std::process::ExitStatus::from_raw(status),
            stdout: wrapper.stdout,
            stderr: wrapper.stderr,
        },
        cpu_seconds,
        peak_kib,
    }
}

/// Runs `nl-ner` in the crate root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args, b"")
}

/// Stdout parsed as JSON lines.
pub fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(out)
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// `text[start:end]` in code points, as Python slices.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Stderr as text, for messages in assertions.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Annotates the letter in `corpus/` and renders it as `dir/report.html`; returns the extract
/// output and the page. Extract runs in the crate root on a relative path, so the ids (and the
/// README's picture, made from this page) read `corpus/letters/...`.
pub fn render_letter(dir: &Path) -> (Vec<serde_json::Value>, String) {
    let extracted = run(&["extract", "corpus/letters", "-q"]);
    assert!(extracted.status.success(), "{}", stderr(&extracted));
    let report = dir.join("report.html");
    let args = [
        "render",
        "-",
        "-o",
        report.to_str().unwrap(),
        "--title",
        "Kamerbrief 4 maart 2026",
    ];
    let rendered = run_in(dir, &args, &extracted.stdout);
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    (
        json_lines(&extracted.stdout),
        std::fs::read_to_string(&report).unwrap(),
    )
}

/// A Python that runs `imports` (`import spacy, seqeval`): `$NL_NER_PYTHON`, else the venv of
/// `.ci/setup.d/70-spacy.sh` (`~/.cache/nl-ner/venv/bin/python`), else `python3`.
pub fn python_with(imports: &str) -> Option<PathBuf> {
    let venv =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner/venv/bin/python"));
    let candidates = std::env::var_os("NL_NER_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(venv)
        .chain([PathBuf::from("python3")]);
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", imports])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Fails the test: `what` is missing, `install` says how to get it. For the tests marked
/// `#[ignore = "needs ..."]`, which run only when asked for (`--include-ignored`, as in CI): asked
/// for, a missing tool is a failure, never a silent pass.
#[track_caller]
pub fn missing(what: &str, install: &str) -> ! {
    panic!("{what} is missing ({install}); this test is #[ignore]d in a plain `cargo test`")
}
