//! `nl-ner entities`: the entity table of an extract output (the corpus view).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::Label;

use super::values::{SortKey, TableFormat};

/// Arguments of `nl-ner entities`.
#[derive(clap::Args, Debug)]
pub struct EntitiesArgs {
    /// Extract output files (JSONL), or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    /// Row order (ties by id).
    #[arg(long, value_enum, default_value_t = SortKey::Mentions)]
    sort: SortKey,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    format: TableFormat,
    /// Labels to list, comma-separated, in any case.
    #[arg(long, value_delimiter = ',', value_name = "LABELS", default_value = "PER,ORG,LOC,MISC,INITIATIVE",
          value_parser = super::parse_label)]
    labels: Vec<Label>,
    /// Output file (written atomically); standard output when absent or `-`.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out the relations (roles, parties, initiatives, participants): the table as it was
    /// before relations existed.
    #[arg(long)]
    no_relations: bool,
}

/// Prints the table; exit code 1 when some input lines were skipped.
pub fn run(args: &EntitiesArgs) -> anyhow::Result<ExitCode> {
    super::check_not_an_input(args.output.as_deref(), &args.inputs)?;
    let (tables, skipped) =
        super::annotated::entity_tables(&args.inputs, &args.labels, !args.no_relations)?;
    let mut out = super::open_output(args.output.as_deref())?;
    let name = out.name();
    tables
        .write(out.writer(), args.format.into(), args.sort.into())
        .with_context(|| format!("writing {name}"))?;
    out.finish()?;
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
