//! `nl-ner render`: an HTML report of extract output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use nl_ner::EntityTable;
use nl_ner_io::export::NAME_LABELS;
use nl_ner_report::{RenderConfig, Report, count as plural};

/// Arguments of `nl-ner render`.
#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// Extract output files (JSONL), or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    /// The report's first page; a corpus larger than one page also gets `NAME-2-GEN.html`,
    /// `NAME-3-GEN.html`, ... beside it (`GEN`: 8 hex digits naming the report's contents).
    /// Each page is one self-contained file.
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
    report.write(dir)?;
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
