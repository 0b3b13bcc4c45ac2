//! `nl-ner render`: an HTML report of extract output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use nl_ner::EntityTable;
use nl_ner_io::export::NAME_LABELS;
use nl_ner_io::output::Output;
use nl_ner_report::{RenderConfig, Report, count as plural};

/// Arguments of `nl-ner render`.
#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// Extract output files (JSONL), or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    /// The report's first page; a corpus larger than one page also gets `NAME-2.html`, ...
    /// beside it. Each page is one self-contained file.
    #[arg(short, long, value_name = "FILE.html")]
    output: PathBuf,
    /// Documents per page.
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    docs_per_page: u32,
    /// Entities listed per label in the overview.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Title of the report (default: the input's file name).
    #[arg(long)]
    title: Option<String>,
}

/// Writes the report; exit code 1 when some input lines were skipped.
pub fn run(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    if super::output_file(Some(&args.output)).is_none() {
        bail!("a report is one or more HTML files, not a stream: give -o FILE.html, not -o -");
    }
    let mut docs = Vec::new();
    let skipped = super::annotated::for_each_document(&args.inputs, |doc| {
        docs.push(doc);
        Ok(())
    })?;
    let Some(file_name) = args.output.file_name().and_then(|n| n.to_str()) else {
        bail!(
            "{}: the report needs a file name in UTF-8",
            args.output.display()
        );
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| match args.inputs.as_slice() {
            [one] if one != "-" => format!("nl-ner · {one}"),
            _ => "nl-ner report".to_string(),
        });
    let table = EntityTable::build(&docs, &NAME_LABELS);
    let config = RenderConfig {
        title,
        docs_per_page: args.docs_per_page as usize,
        top_per_label: args.top,
        ..RenderConfig::default()
    };
    let report = Report::new(&docs, &table, config, file_name);
    let dir = args.output.parent().unwrap_or(Path::new(""));
    let first = dir.join(report.page_name(0));
    super::check_not_an_input(Some(&first), &args.inputs)?;
    if nl_ner::files::is_special(&first) {
        bail!(
            "{}: a report is a set of files beside its first page; give a file name in a directory",
            first.display()
        );
    }
    // Held until the stale pages are gone: another run writing or cleaning the same report would
    // remove this one's pages as "another generation".
    let _lock = nl_ner::files::OutputLock::take(&first)?;
    // The further pages first, each under a name of this report's generation, and the first page
    // last: until it is renamed into place the old first page links to the old pages, which are
    // still there, so a reader sees the old report or the new one, never a mix.
    for page in (1..report.page_count()).chain([0]) {
        let path = dir.join(report.page_name(page));
        let mut out = Output::create(&path)?;
        out.writer()
            .write_all(report.render_page(page).as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        out.finish()?;
    }
    remove_stale_pages(dir, &report);
    message!(
        "nl-ner: {}, {}: {} ({})",
        plural(docs.len(), "document"),
        plural(table.rows.len(), "entity"),
        first.display(),
        plural(report.page_count(), "page"),
    );
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Removes the further pages an earlier report of the same name left beside this one (another
/// generation), so that no link leads to a page of another corpus; only files this command wrote
/// (by their generator tag).
fn remove_stale_pages(dir: &Path, report: &Report<'_>) {
    let listing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(listing) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !report.is_other_generation(name) {
            continue;
        }
        let path = dir.join(name);
        if written_by_nl_ner(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Whether `path` is a page nl-ner wrote: a regular file (never a link, which would lead
/// elsewhere, nor a FIFO or device, whose reading may never end) whose head carries nl-ner's
/// generator tag. Only the head is read (the tag is on the sixth line), so a huge file costs
/// nothing.
fn written_by_nl_ner(path: &Path) -> bool {
    use std::io::Read;
    const TAG: &[u8] = b"<meta name=\"generator\" content=\"nl-ner\">";
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()) {
        return false;
    }
    let Ok(file) = open_no_follow(path) else {
        return false;
    };
    // The file was checked above, but may have been replaced since: the open does not follow a
    // link, and the opened file is checked again.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(1024);
    if file.take(1024).read_to_end(&mut head).is_err() {
        return false;
    }
    head.windows(TAG.len()).any(|w| w == TAG)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}
