//! `nl-ner extract`: annotate documents, write JSONL.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::values::InputFormat;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nl_ner::{PipelineConfig, Stats};
use nl_ner_io::input::{self, Documents, InputSpec, TextEncoding};
use nl_ner_io::output::{Admission, Output, jsonl};
use nl_ner_report::count as plural;

/// Arguments of `nl-ner extract`.
#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files (`.jsonl`: one document per line; PDF, DOCX, ODT, HTML and XML are told by their
    /// content), directories (walked for .txt, .md, .pdf, .docx, .odt, .html, .htm and .xml
    /// files) or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<std::ffi::OsString>,
    /// Output file (written atomically); standard output when absent or `-`.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Continue the interrupted run that was writing the same output file, with the same inputs
    /// (see docs/reliability.md). Not with `--error-records`: a resume matches the partial
    /// file's documents to the inputs by id, and an error line has none.
    #[arg(long, requires = "output", conflicts_with = "error_records")]
    resume: bool,
    /// Skip, with an error, any document larger than this many bytes (a plain-text file, or a
    /// JSONL line).
    #[arg(long, default_value_t = input::DEFAULT_MAX_DOC_BYTES, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_doc_bytes: u64,
    /// Model to use instead of the built-in CRF: a CRF model file, `transformer` (the accurate
    /// model; needs a build with `--features transformer`) or a directory `finetune` wrote.
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Developer option: tag nothing (every word `O`), to measure the cost of reading,
    /// segmenting and writing alone (with `--no-domain`: the floor in docs/performance.md).
    #[arg(long, hide = true, conflicts_with = "model")]
    no_model: bool,
    /// Character encoding of plain-text files and JSONL lines: `utf-8` (a file that is not is
    /// skipped with an error), a WHATWG label such as `windows-1252` (also for `latin1`) or
    /// `iso-8859-15`, or `auto` (UTF-8 where it is, else guessed per document). Offsets index the
    /// decoded text, which the output holds (docs/input.md).
    #[arg(long, default_value = "utf-8", value_name = "ENCODING",
          value_parser = |s: &str| s.parse::<TextEncoding>())]
    encoding: TextEncoding,
    /// The JSONL field that holds a document's text (`content`, `body`); the output calls it
    /// `text`.
    #[arg(long, value_name = "FIELD")]
    text_field: Option<String>,
    /// Leave each document's `text` out of the output (about 40 % of its size), for a corpus
    /// whose text is kept elsewhere; offsets still index the input's (decoded) text.
    /// `render`, `entities`, `export` need the text (docs/schema).
    #[arg(long)]
    no_text: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Documents per parallel batch.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    batch_size: u32,
    /// How to read input files.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// Read an XML file's text from the elements this path names (`/root/a/b` from the root,
    /// `//b` or `//a/b` anywhere, `*` any element; docs/input.md) instead of by its structure
    /// (officiële-publicaties XML, TEI).
    #[arg(long, value_name = "PATH")]
    xml_text: Option<String>,
    #[command(flatten)]
    domain: super::DomainArgs,
    /// Write an input that cannot be annotated as an error line
    /// (`{"schema":1,"input":"<stdin>:7","error":"..."}`) instead of skipping it, so that every
    /// non-blank input line gives exactly one output line; such inputs then do not make the exit
    /// status 1 (for `RDD.pipe` and Hadoop Streaming, see docs/spark.md).
    #[arg(long)]
    error_records: bool,
    /// No progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the extraction; exit code 1 when some inputs were skipped.
pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = PipelineConfig {
        batch_docs: args.batch_size as usize,
        ..PipelineConfig::default()
    };
    let tagger: Box<dyn nl_ner::Tagger> = if args.no_model {
        Box::new(nl_ner::NullTagger)
    } else {
        super::load_tagger(args.model.as_deref())?
    };
    let pipeline = super::build_pipeline(tagger, &args.domain, config)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(worker_threads(args.threads))
        .build()
        .context("starting the worker threads")?;

    let specs: Vec<InputSpec> = args
        .inputs
        .iter()
        .map(|s| InputSpec::from(s.as_os_str()))
        .collect();
    let sources = input::discover(&specs);
    let output = super::output_file(args.output.as_deref());
    anyhow::ensure!(
        output.is_some() || !args.resume,
        "--resume continues an output file; standard output (-o -) cannot be resumed"
    );
    if let Some(out) = output {
        let paths = sources.iter().filter_map(|s| match s {
            Ok(input::InputSource {
                spec: InputSpec::Path(p),
                ..
            }) => Some(p.as_path()),
            _ => None,
        });
        nl_ner_io::output::check_not_an_input(out, paths)?;
    }
    // Known only when every input is a readable file of known size.
    let total_bytes: Option<u64> = sources
        .iter()
        .map(|s| s.as_ref().ok().and_then(|s| s.len))
        .sum();
    // Known when every input is one document (no JSONL file, no standard input).
    let total_docs = sources
        .iter()
        .all(|s| match s {
            Ok(input::InputSource {
                spec: InputSpec::Path(p),
                ..
            }) => {
                args.input_format == InputFormat::Text
                    || (args.input_format == InputFormat::Auto && !nl_ner_io::is_jsonl(p))
            }
            Ok(_) => false,
            Err(_) => true,
        })
        .then_some(sources.len());
    let progress = progress_bar(args.quiet, total_bytes);
    let documents = Documents::new(sources, args.input_format.into())
        .with_max_doc_bytes(args.max_doc_bytes)
        .with_xml_text(args.xml_text.clone())
        .with_encoding(args.encoding)
        .with_text_field(args.text_field.clone());
    let line = jsonl::LineOptions {
        no_text: args.no_text,
    };

    let (mut out, resume) = match (output, args.resume) {
        (Some(path), true) => {
            let (out, resume) = Output::resume(path, &settings(args)?)?;
            if !args.quiet && !resume.done().is_empty() {
                message!(
                    "nl-ner: resuming after {} documents already written",
                    resume.done().len()
                );
            } else if !args.quiet {
                message!(
                    "nl-ner: nothing to resume for {} (no finished document of an interrupted \
                     run); starting afresh",
                    path.display()
                );
            }
            (out, Some(resume))
        }
        (Some(path), false) => (Output::create_resumable(path, &settings(args)?)?, None),
        (None, _) => (super::stdout_output()?, None),
    };
    if let Some(partial) = out.partial() {
        interrupt::on_interrupt_say(format!(
            "\nnl-ner: interrupted; the finished documents are kept in {}; continue with:\n  {}\n",
            partial.display(),
            resume_command()
        ));
    }
    // The pipeline's reader thread passes the inputs through the resume check, so the check is
    // shared with it; the run takes it back at the end to see that no document went missing.
    let resume = resume.map(|r| Arc::new(Mutex::new(Some(r))));
    let gate = resume.clone();
    let documents = documents
        .map(move |item| match &gate {
            Some(g) => g
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .as_mut()
                .expect("kept until the run ends")
                .admit(item),
            None => Admission::Run(item),
        })
        .take_while(|a| !matches!(a, Admission::Stop))
        .filter_map(Admission::into_run);
    let mut stats = Stats::default();
    // The bar moves as each document is done, on the worker that did it; the batch it belongs to
    // is written later, when the whole batch is done (with the transformer, minutes later).
    let finished = AtomicUsize::new(0);
    let tokens = AtomicUsize::new(0);
    let on_done = |outcome: &nl_ner::Outcome| {
        let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(doc) = outcome {
            progress.inc(doc.text.len() as u64);
            tokens.fetch_add(doc.tokens.len(), Ordering::Relaxed);
        }
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        progress.set_message(format!(
            "{} {}, {:.0} tokens/s",
            total_docs.map_or_else(|| done.to_string(), |t| format!("{done}/{t}")),
            if total_docs.unwrap_or(done) == 1 {
                "document"
            } else {
                "documents"
            },
            tokens.load(Ordering::Relaxed) as f64 / secs
        ));
    };
    let ran = pool.install(|| {
        pipeline.run_with_progress(documents, on_done, |batch| -> anyhow::Result<()> {
            for outcome in batch {
                match outcome {
                    Ok(doc) => {
                        jsonl::write_document_with(out.writer(), &doc, line)
                            .with_context(|| format!("writing {}", out.name()))?;
                        stats.add(&doc);
                    }
                    Err(e) => {
                        if args.error_records {
                            jsonl::write_error(out.writer(), &e.input, &e.reason)
                                .with_context(|| format!("writing {}", out.name()))?;
                        }
                        stats.failed += 1;
                        progress.suspend(|| message!("nl-ner: skipped {e}"));
                    }
                }
            }
            // Each batch reaches the reader as soon as it is done, so a streaming consumer
            // (`nl-ner extract -` in a pipe) never waits for the whole input.
            out.flush()?;
            Ok(())
        })
    });
    if let Err(e) = ran {
        if let Some(partial) = out.partial() {
            progress.suspend(|| {
                message!(
                    "nl-ner: the finished documents are kept in {}; rerun with --resume to continue",
                    partial.display()
                )
            });
        }
        return Err(e);
    }
    let mut resumed = 0;
    if let Some(r) = resume.and_then(|g| {
        g.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }) {
        resumed = r.done().len();
        r.finish()?;
    }
    // A run where every input failed has nothing to write: an existing output is kept rather
    // than replaced by an empty file.
    if stats.documents == 0 && resumed == 0 && stats.failed > 0 && !args.error_records {
        let name = out.name();
        let kept = out.abandon()?;
        progress.finish_and_clear();
        if output.is_some() {
            message!("{}", nothing_written(&name, kept));
        }
    } else {
        out.finish()?;
        finish_progress(&progress);
    }
    if !args.quiet {
        message!("{}", summary(&stats, started.elapsed()));
    }
    Ok(if stats.failed > 0 && !args.error_records {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a run that produced nothing says about its output file (`kept`: it exists, untouched).
pub fn nothing_written(name: &str, kept: bool) -> String {
    if kept {
        format!("nl-ner: every input failed; nothing was written, and {name} is kept as it was")
    } else {
        format!("nl-ner: every input failed; nothing was written, and {name} was not created")
    }
}

/// This run's command line with `--resume` (once), quoted for a POSIX shell.
fn resume_command() -> String {
    let mut args: Vec<String> = std::env::args_os()
        .map(|a| {
            let a = a.to_string_lossy().into_owned();
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect();
    if !args.iter().any(|a| a == "--resume") {
        args.push("--resume".into());
    }
    args.join(" ")
}

/// What Ctrl-C (SIGINT) says before the process ends as it would have: where the finished
/// documents are and how to resume. The message is written by the signal handler with one
/// `write(2)`, the only thing it does besides ending the process.
#[cfg(target_os = "linux")]
mod interrupt {
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    static MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static LEN: AtomicUsize = AtomicUsize::new(0);

    /// Says `message` on stderr when the run is interrupted.
    pub fn on_interrupt_say(message: String) {
        let bytes: &'static mut [u8] = message.into_bytes().leak();
        LEN.store(bytes.len(), Ordering::SeqCst);
        MESSAGE.store(bytes.as_mut_ptr(), Ordering::SeqCst);
        let handler: extern "C" fn(libc::c_int) = on_sigint;
        // SAFETY: the handler only calls async-signal-safe functions (write, signal, raise).
        unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
    }

    extern "C" fn on_sigint(signal: libc::c_int) {
        let message = MESSAGE.load(Ordering::SeqCst);
        // SAFETY: the message was leaked, so it lives as long as the process; after writing it,
        // the default action ends the process with the signal, as without the handler.
        unsafe {
            if !message.is_null() {
                libc::write(2, message.cast(), LEN.load(Ordering::SeqCst));
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod interrupt {
    pub fn on_interrupt_say(_: String) {}
}

/// More worker threads than this per core only share the cores (the work is CPU-bound), and
/// starting thousands of them takes minutes.
const MAX_THREADS_PER_CORE: usize = 4;

/// The worker thread count for `--threads requested` (0: one per core), capped at
/// [`MAX_THREADS_PER_CORE`] per core with a warning.
fn worker_threads(requested: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * MAX_THREADS_PER_CORE;
    if requested > cap {
        message!(
            "nl-ner: warning: --threads {requested} is more than {MAX_THREADS_PER_CORE} per core ({cores} core{}); using {cap}",
            if cores == 1 { "" } else { "s" }
        );
        return cap;
    }
    requested
}

/// What the output depends on besides the inputs, recorded for `--resume` to compare: the version
/// (and so the built-in model), the model and gazetteer files with their contents' size and CRC-32
/// (a file replaced between the kill and the resume is another setting), and every option that
/// changes annotations.
fn settings(args: &ExtractArgs) -> anyhow::Result<String> {
    let model = match &args.model {
        Some(p) => match nl_ner::transformer::transformer_dir(p) {
            Some(dir) => format!(
                "{} {}",
                fingerprint(&dir.join("config.json"))?,
                fingerprint(&dir.join("weights.safetensors"))?
            ),
            None => fingerprint(p)?,
        },
        None => "built-in".to_string(),
    };
    let gazetteers = args
        .domain
        .gazetteer
        .iter()
        .map(|p| fingerprint(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let relations = match (&args.domain.relation_model, args.domain.no_relations) {
        (_, true) => "none".to_string(),
        (Some(p), false) => fingerprint(p)?,
        (None, false) => "built-in".to_string(),
    };
    Ok(format!(
        "nl-ner {}, model {model}, gazetteers [{}], no domain {}, relations {relations}, input format {:?}, max doc bytes {}, encoding {:?}, text field {:?}, no text {}",
        env!("CARGO_PKG_VERSION"),
        gazetteers.join(", "),
        args.domain.no_domain,
        args.input_format,
        args.max_doc_bytes,
        args.encoding,
        args.text_field,
        args.no_text
    ) + &args
        .xml_text
        .as_ref()
        .map_or_else(String::new, |p| format!(", xml text {p}")))
}

/// A file's path and a fingerprint of its contents: `g.tsv (1234 bytes, crc32 89abcdef)`.
fn fingerprint(path: &std::path::Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    // The file, not its spelling: `--resume` with `./m.model` continues a run given `m.model`.
    let canonical = std::fs::canonicalize(path);
    let path = canonical.as_deref().unwrap_or(path);
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok(format!(
        "{} ({len} bytes, crc32 {:08x})",
        path.display(),
        hasher.finalize()
    ))
}

fn progress_bar(quiet: bool, total_bytes: Option<u64>) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total_bytes {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    // At most about 50 columns besides the bar, so that the bar keeps some width and the line
    // does not wrap in an 80-column terminal.
    let template = if total_bytes.is_some() {
        "{elapsed_precise} [{wide_bar}] {percent:>3}% {msg}, ETA {eta}"
    } else {
        "{spinner} {elapsed_precise} {bytes} {msg}"
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Draws the bar's last frame full, without an ETA, then clears it. The bar counts the texts'
/// bytes against the inputs' sizes, which also hold JSONL syntax, ids and a BOM, so it would
/// otherwise end short of 100 % (97 % on a JSONL file) with a stray `ETA 0s`.
fn finish_progress(progress: &ProgressBar) {
    if let Some(len) = progress.length() {
        progress.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {percent:>3}% {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        progress.set_position(len);
        // `finish` draws whatever the refresh rate says; clearing comes after.
        progress.finish();
    }
    progress.finish_and_clear();
}

/// The one-line report printed at the end of a run.
fn summary(stats: &Stats, elapsed: Duration) -> String {
    let labels: Vec<String> = stats
        .entities
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let secs = elapsed.as_secs_f64();
    format!(
        "nl-ner: {}, {}, {} ({}), {} failed, {:.2} s ({:.0} tokens/s)",
        plural(stats.documents, "document"),
        plural(stats.tokens, "token"),
        plural(stats.total_entities(), "mention"),
        if labels.is_empty() {
            "none".to_string()
        } else {
            labels.join(", ")
        },
        stats.failed,
        secs,
        stats.tokens as f64 / secs.max(1e-9)
    )
}
