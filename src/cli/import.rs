//! `nl-ner import`: annotations corrected in Label Studio, doccano or Prodigy back to gold JSONL.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::values::ImportFormat;
use anyhow::Context;
use nl_ner_io::import;
use nl_ner_report::count;

/// Arguments of `nl-ner import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Input format.
    #[arg(long, value_enum)]
    format: ImportFormat,
    /// Exported files of the annotation tool, or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<String>,
    /// Gold JSONL file to write (atomically); standard output when absent or `-`.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Label Studio: the `Labels` control whose regions are the entities (default: the only one
    /// in the file).
    #[arg(long, value_name = "NAME")]
    from_name: Option<String>,
}

/// Writes every task that passes the checks; exit code 1 when some were rejected.
pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    // Rejected tasks would be lost for good if the output replaced its own input.
    super::check_not_an_input(args.output.as_deref(), &args.inputs)?;
    let mut files = Vec::with_capacity(args.inputs.len());
    for input in &args.inputs {
        // Bounded like every data file: a regular file or a pipe of at most 1 GiB, without NUL.
        let limit = nl_ner::files::MAX_DATA_BYTES;
        let bytes = if input == "-" {
            nl_ner::files::read_text_stream(std::io::stdin(), limit)
                .context("reading standard input")?
        } else {
            nl_ner::files::read_data_file(Path::new(input), limit)
                .with_context(|| format!("reading {input}"))?
        };
        let name = if input == "-" {
            "<stdin>"
        } else {
            input.as_str()
        };
        let tasks = import::read(args.format.into(), &bytes, name, args.from_name.as_deref())
            .map_err(|e| anyhow::anyhow!("{name}: {}", e.report()))?;
        files.push(tasks);
    }
    let mut out = super::open_output(args.output.as_deref())?;
    let (mut documents, mut entities, mut rejected) = (0, 0, 0);
    let mut ids = std::collections::HashSet::new();
    for task in files.into_iter().flatten() {
        match task {
            Ok(doc) => {
                if !ids.insert(doc.id.clone()) {
                    message!(
                        "nl-ner: note: document id {:?} appears more than once",
                        doc.id
                    );
                }
                documents += 1;
                entities += doc.entities.len();
                let name = out.name();
                doc.write(out.writer())
                    .with_context(|| format!("writing {name}"))?;
            }
            Err(r) => {
                rejected += 1;
                message!("nl-ner: skipped {r}");
            }
        }
    }
    // Every task rejected: an existing output is kept rather than replaced by an empty file.
    if documents == 0 && rejected > 0 {
        let name = out.name();
        let kept = out.abandon()?;
        if super::output_file(args.output.as_deref()).is_some() {
            message!("{}", super::extract::nothing_written(&name, kept));
        }
    } else {
        out.finish()?;
    }
    message!(
        "nl-ner: imported {} ({}), {rejected} skipped",
        count(documents, "document"),
        count(entities, "mention")
    );
    Ok(if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
