//! `nl-ner eval`: score the model against gold annotations.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use nl_ner::doc::{Label, Tag};
use nl_ner::eval::{Evaluator, LabelledSpan};
use nl_ner::model::{Tagger, Words};
use nl_ner::output::Output;
use nl_ner::pipeline::{Pipeline, PipelineConfig};
use nl_ner::{conll, input};

/// Gold file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GoldFormat {
    /// `.jsonl` is JSONL, anything else CoNLL.
    Auto,
    /// `WORD [COLUMNS...] TAG` lines, blank line between sentences, IOB tags.
    Conll,
    /// One document per line: `text` and `entities` with `start`, `end`, `label`.
    Jsonl,
}

/// Arguments of `nl-ner eval`.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Gold files.
    #[arg(required = true, value_name = "GOLD")]
    gold: Vec<PathBuf>,
    /// Model file to score instead of the built-in model.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Gold file format.
    #[arg(long, value_enum, default_value_t = GoldFormat::Auto)]
    format: GoldFormat,
    /// Labels to score, comma-separated. Default: every label in CoNLL gold (as conlleval does);
    /// PER,ORG,LOC,INITIATIVE in JSONL gold, where gold MISC spans count as don't-care regions.
    #[arg(long, value_delimiter = ',', value_name = "LABELS")]
    labels: Option<Vec<Label>>,
    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    domain: super::DomainArgs,
    /// Also write `WORD GOLD PREDICTED` lines (CoNLL gold only), the input `conlleval` reads.
    #[arg(long, value_name = "FILE")]
    predictions: Option<PathBuf>,
}

/// The labels of the headline in-domain score (see `docs/annotation.md`).
const HEADLINE: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Initiative];

/// Scores every gold file together and prints the table.
pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let jsonl = |p: &Path| match args.format {
        GoldFormat::Auto => p.extension().is_some_and(|e| e == "jsonl"),
        f => f == GoldFormat::Jsonl,
    };
    let any_jsonl = args.gold.iter().any(|p| jsonl(p));
    let mut ev = match (&args.labels, any_jsonl) {
        (Some(labels), _) => Evaluator::only(labels),
        (None, true) => Evaluator::only(&HEADLINE),
        (None, false) => Evaluator::new(),
    };
    // CoNLL gold is scored on the model alone (its tokens and labels are CoNLL's); JSONL gold
    // on the whole pipeline, domain layer included unless `--no-domain`.
    let pipeline = super::build_pipeline(args.model.as_deref(), &args.domain, PipelineConfig::default())?;
    let mut predictions = match &args.predictions {
        Some(p) => Some(Output::create(p)?),
        None => None,
    };
    for path in &args.gold {
        if jsonl(path) {
            score_jsonl(&pipeline, path, &mut ev)?;
        } else {
            score_conll(pipeline.tagger(), path, &mut ev, predictions.as_mut())?;
        }
    }
    if let Some(out) = predictions {
        out.finish()?;
    }
    let scores = ev.scores();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        println!("{scores}");
    }
    Ok(ExitCode::SUCCESS)
}

fn score_conll(
    tagger: &dyn Tagger,
    path: &Path,
    ev: &mut Evaluator,
    mut predictions: Option<&mut Output>,
) -> anyhow::Result<()> {
    for doc in conll::read(path)? {
        let mut words = Words::default();
        for s in &doc.sentences {
            let start = words.words.len();
            words.words.extend(s.words.iter().map(String::as_str));
            words.sentences.push(start..words.words.len());
        }
        let tags = tagger.tag(&words).with_context(|| format!("tagging {}", path.display()))?;
        for (s, range) in doc.sentences.iter().zip(&words.sentences) {
            let pred: Vec<Tag> = tags[range.clone()].iter().map(|t| t.tag).collect();
            ev.add_tags(&s.tags, &pred);
            if let Some(out) = predictions.as_deref_mut() {
                let name = out.name();
                write_predictions(out.writer(), &s.words, &s.tags, &pred)
                    .with_context(|| format!("writing {name}"))?;
            }
        }
    }
    Ok(())
}

fn write_predictions(w: &mut dyn Write, words: &[String], gold: &[Tag], pred: &[Tag]) -> std::io::Result<()> {
    for ((word, g), p) in words.iter().zip(gold).zip(pred) {
        writeln!(w, "{word} {g} {p}")?;
    }
    writeln!(w)
}

/// Reads a JSONL gold file: `text` and `entities` (`start`, `end`, `label`; `IGNORE` marks a
/// don't-care region), runs the whole pipeline on the text and compares spans in code points.
fn score_jsonl(pipeline: &Pipeline, path: &Path, ev: &mut Evaluator) -> anyhow::Result<()> {
    let content = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    for (i, line) in content.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("{}:{}", path.display(), i + 1);
        let mut doc = input::parse_line(line, &at)?;
        let (gold, mut dont_care) = gold_spans(&doc.extra, &doc.text, &at)?;
        if !ev.is_scored(Label::Misc) {
            dont_care.extend(gold.iter().filter(|(_, l)| *l == Label::Misc).map(|(r, _)| r.clone()));
        }
        pipeline.annotate(&mut doc).with_context(|| format!("annotating {at}"))?;
        let pred: Vec<LabelledSpan> =
            doc.entities.iter().map(|e| (e.span.chars(), e.label)).collect();
        ev.add_spans(&gold, &pred, &dont_care);
    }
    Ok(())
}

type GoldSpans = (Vec<LabelledSpan>, Vec<std::ops::Range<usize>>);

fn gold_spans(extra: &serde_json::Map<String, serde_json::Value>, text: &str, at: &str) -> anyhow::Result<GoldSpans> {
    #[derive(serde::Deserialize)]
    struct GoldEntity {
        start: usize,
        end: usize,
        label: String,
        text: Option<String>,
    }
    let Some(entities) = extra.get("entities") else { bail!("{at}: no `entities` field") };
    let entities: Vec<GoldEntity> = serde_json::from_value(entities.clone())
        .with_context(|| format!("{at}: `entities` must be a list of {{start, end, label}}"))?;
    let chars: Vec<char> = text.chars().collect();
    let (mut gold, mut dont_care) = (Vec::new(), Vec::new());
    for e in entities {
        if e.start >= e.end || e.end > chars.len() {
            bail!("{at}: entity [{}, {}) lies outside the text ({} characters)", e.start, e.end, chars.len());
        }
        if let Some(t) = &e.text {
            let surface: String = chars[e.start..e.end].iter().collect();
            if &surface != t {
                bail!("{at}: entity [{}, {}) is `{surface}` in the text but `{t}` in the gold", e.start, e.end);
            }
        }
        if e.label == "IGNORE" {
            dont_care.push(e.start..e.end);
        } else {
            let label: Label = e.label.parse().with_context(|| at.to_string())?;
            gold.push((e.start..e.end, label));
        }
    }
    Ok((gold, dont_care))
}
