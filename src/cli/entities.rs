//! `nl-ner entities`: the entity table of an extract output (the corpus view).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::EntityRow;
use nl_ner::Label;
use nl_ner_io::output::Output;

/// How to order the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum SortKey {
    /// Most mentions first.
    Mentions,
    /// Most documents first.
    Documents,
    /// By id.
    Id,
    /// By label, then most mentions first.
    Label,
    /// By canonical name.
    Name,
}

/// How to print the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TableFormat {
    /// Aligned columns for reading.
    Table,
    /// CSV with a header line (aliases and joined ids separated by ` | `).
    Csv,
}

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
    /// Output file (written atomically); standard output when absent.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Prints the table; exit code 1 when some input lines were skipped.
pub fn run(args: &EntitiesArgs) -> anyhow::Result<ExitCode> {
    super::check_not_an_input(args.output.as_deref(), &args.inputs)?;
    let (table, skipped) = super::annotated::entity_table(&args.inputs, &args.labels)?;
    let mut rows: Vec<&EntityRow> = table.rows.iter().collect();
    match args.sort {
        SortKey::Mentions => rows.sort_by_key(|r| std::cmp::Reverse(r.mentions)),
        SortKey::Documents => rows.sort_by_key(|r| std::cmp::Reverse(r.documents.len())),
        SortKey::Id => {}
        SortKey::Label => rows.sort_by_key(|r| (r.label, std::cmp::Reverse(r.mentions))),
        SortKey::Name => rows.sort_by(|a, b| a.canonical.cmp(&b.canonical)),
    }
    let mut out = match &args.output {
        Some(path) => Output::create(path)?,
        None => super::stdout_output()?,
    };
    let name = out.name();
    match args.format {
        TableFormat::Table => write_table(out.writer(), &rows),
        TableFormat::Csv => write_csv(out.writer(), &rows),
    }
    .with_context(|| format!("writing {name}"))?;
    out.finish()?;
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

const HEADER: [&str; 6] = ["id", "label", "mentions", "documents", "name", "aliases"];

fn cells(r: &EntityRow) -> [String; 6] {
    [
        r.id.clone(),
        r.label.to_string(),
        r.mentions.to_string(),
        r.documents.len().to_string(),
        r.canonical.clone(),
        r.aliases.join(" | "),
    ]
}

/// Columns are padded to their widest cell up to this width; a longer cell pushes the rest of its
/// line to the right rather than being cut.
const MAX_PAD: usize = 40;

/// A cell as the terminal may see it: control characters (ESC of a colour or cursor sequence, a
/// carriage return, a bell) written as `\u{1b}` escapes, so a name in the input cannot drive the
/// terminal (issue 24, item 17).
fn printable(cell: String) -> String {
    if !cell.chars().any(char::is_control) {
        return cell;
    }
    cell.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn write_table(w: &mut dyn Write, rows: &[&EntityRow]) -> std::io::Result<()> {
    let body: Vec<[String; 6]> = rows.iter().map(|r| cells(r).map(printable)).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &body {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count().min(MAX_PAD));
        }
    }
    let header = HEADER.map(String::from);
    for row in std::iter::once(&header).chain(&body) {
        let mut line = String::new();
        for (i, (c, width)) in row.iter().zip(widths).enumerate() {
            let pad = width.saturating_sub(c.chars().count());
            match i {
                // Counts right-aligned, the last column unpadded.
                2 | 3 => line.push_str(&format!("{}{c}  ", " ".repeat(pad))),
                5 => line.push_str(c),
                _ => line.push_str(&format!("{c}{}  ", " ".repeat(pad))),
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_csv(w: &mut dyn Write, rows: &[&EntityRow]) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(HEADER.iter().chain(&["ids"]))
        .map_err(io_error)?;
    for r in rows {
        let cells = cells(r);
        // Text cells neutralised against formula injection (`docs/exports.md`); counts as they are.
        csv.write_record(cells.iter().chain([&r.ids.join(" | ")]).enumerate().map(
            |(i, c)| match i {
                2 | 3 => c.clone(),
                _ => nl_ner_io::export::neutralise(c).into_owned(),
            },
        ))
        .map_err(io_error)?;
    }
    csv.flush()
}

/// The I/O error inside a CSV error as it is, so that a closed pipe (`| head`) is still seen as one.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
