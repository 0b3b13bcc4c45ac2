//! The `nl-ner` command: parses arguments, runs one subcommand, maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// `eprintln!` that never fails: a diagnostic that cannot be written (stderr closed, full or a
/// closed pipe) is dropped rather than taking the run and its output down.
macro_rules! message {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod cli;

/// Whether standard output was closed when the process started (`nl-ner extract ... >&-`).
/// Rust's runtime opens `/dev/null` in its place before `main`, so writes to it would vanish
/// without an error; this is checked before that, from the program's constructor list.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CHECK_STDOUT: extern "C" fn() = {
    extern "C" fn check_stdout() {
        // SAFETY: `fcntl(F_GETFD)` only asks about descriptor 1; it fails with EBADF when closed.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
    check_stdout
};

/// Whether standard output was closed at start (see [`STDOUT_CLOSED`]).
fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                // A closed pipe (`nl-ner extract ... | head`) is the reader's choice, not a failure.
                return ExitCode::SUCCESS;
            }
            // The cause chain as the library reports it (`: `-separated, as anyhow's `{:#}`).
            message!("nl-ner: error: {}", nl_ner::report(err.as_ref()));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
