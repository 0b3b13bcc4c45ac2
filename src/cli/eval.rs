//! `nl-ner eval`: score the model against gold annotations.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use nl_ner::doc::{Label, Tag};
use nl_ner::model::{Tagger, TokenTag};
use nl_ner::pipeline::{Pipeline, PipelineConfig};
use nl_ner::score::{Evaluator, LabelledSpan, Scores, SeenNames};
use nl_ner::{Document, conll};
use nl_ner_io::gold;
use nl_ner_io::output::Output;
use rayon::prelude::*;

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
    /// Model to score instead of the built-in CRF: a CRF model file, `transformer` (the accurate
    /// model; needs a build with `--features transformer`) or a directory `finetune` wrote.
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Gold file format.
    #[arg(long, value_enum, default_value_t = GoldFormat::Auto)]
    format: GoldFormat,
    /// Labels to score, comma-separated, in any case. Default for CoNLL gold: every label in the
    /// gold or the predictions, as conlleval does (a label the gold never has, such as INITIATIVE
    /// on CoNLL-2002, counts its false positives in the micro average); PER,ORG,LOC,INITIATIVE
    /// in JSONL gold, where gold MISC spans count as don't-care regions.
    #[arg(long, value_delimiter = ',', value_name = "LABELS", value_parser = super::parse_label)]
    labels: Option<Vec<Label>>,
    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    domain: super::DomainArgs,
    /// Rules alone: no model, only the domain layer's gazetteers, acronyms and patterns (the
    /// baseline a model has to beat; with `--no-domain` it finds nothing).
    #[arg(long, conflicts_with = "model")]
    no_model: bool,
    /// Training files (CoNLL or JSONL gold, repeatable) whose entity names count as seen. Gold
    /// entities whose normalised name is in no gazetteer and in none of these files are unseen
    /// names; their recall is printed below the table.
    #[arg(long, value_name = "FILE")]
    seen: Vec<PathBuf>,
    /// Score these CoNLL files' tags instead of running the model: one per GOLD file, in the
    /// same order, with the same words and sentences (an `nl-ner export --format conll` file, or
    /// another system's output).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["model", "predictions"])]
    system: Vec<PathBuf>,
    /// Also write `WORD GOLD PREDICTED` lines (CoNLL gold only), the input `conlleval` reads.
    #[arg(long, value_name = "FILE")]
    predictions: Option<PathBuf>,
    /// Also print each domain rule's true and false positives: the predicted entities that
    /// carry the rule's name (JSONL gold, where the domain layer runs), matched against the gold
    /// as the scores match them; a prediction whose label is not scored (`--labels`) or that
    /// overlaps a don't-care region counts for neither.
    #[arg(long, conflicts_with = "system")]
    by_rule: bool,
}

/// Each domain rule's true and false positives, by rule name.
#[derive(Debug, Default)]
struct RuleCounts(BTreeMap<&'static str, RuleCount>);

/// One rule's true and false positives.
#[derive(Clone, Copy, Debug, Default)]
struct RuleCount {
    tp: usize,
    fp: usize,
}

impl RuleCounts {
    /// `{"rule": {"tp": N, "fp": N}, ...}` for the rules that made a scored prediction.
    fn to_json(&self) -> serde_json::Value {
        self.0
            .iter()
            .map(|(name, c)| {
                (
                    name.to_string(),
                    serde_json::json!({ "tp": c.tp, "fp": c.fp }),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
}

impl std::fmt::Display for RuleCounts {
    /// One line per rule of the registry that makes entities, in its order.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<22} {:>6} {:>6} {:>9}",
            "rule", "tp", "fp", "precision"
        )?;
        let makes = nl_ner::domain::rules::RULES
            .iter()
            .filter(|r| r.effect == nl_ner::domain::rules::Effect::Makes);
        for r in makes {
            let c = self.0.get(r.name).copied().unwrap_or_default();
            let precision = if c.tp + c.fp == 0 {
                "-".to_string()
            } else {
                format!("{:.2}%", 100.0 * c.tp as f64 / (c.tp + c.fp) as f64)
            };
            writeln!(f, "{:<22} {:>6} {:>6} {:>9}", r.name, c.tp, c.fp, precision)?;
        }
        Ok(())
    }
}

/// The labels of the headline in-domain score (see `docs/annotation.md`).
const HEADLINE: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Initiative];

/// Scores every gold file together and prints the table.
pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let mut rules = RuleCounts::default();
    let scores = scores_by_rule(args, &mut rules)?;
    match (args.json, args.by_rule) {
        (true, false) => println!("{}", serde_json::to_string_pretty(&scores)?),
        (true, true) => println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "scores": scores, "by_rule": rules.to_json() })
            )?
        ),
        (false, by_rule) => {
            println!("{scores}");
            if by_rule {
                println!("\n{rules}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl EvalArgs {
    /// The arguments of `nl-ner eval GOLD --model MODEL`: how `train --dev` scores its model, so
    /// that the two print the same numbers.
    pub fn model_on(gold: &Path, model: &Path) -> EvalArgs {
        #[derive(clap::Parser)]
        struct Eval {
            #[command(flatten)]
            args: EvalArgs,
        }
        let argv = [
            std::ffi::OsStr::new("eval"),
            gold.as_os_str(),
            "--model".as_ref(),
            model.as_os_str(),
        ];
        <Eval as clap::Parser>::parse_from(argv).args
    }
}

/// Scores every gold file together.
pub fn scores(args: &EvalArgs) -> anyhow::Result<Scores> {
    scores_by_rule(args, &mut RuleCounts::default())
}

/// Scores every gold file together, and counts each rule's true and false positives.
fn scores_by_rule(args: &EvalArgs, rules: &mut RuleCounts) -> anyhow::Result<Scores> {
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
    if !args.system.is_empty() {
        anyhow::ensure!(
            args.system.len() == args.gold.len(),
            "--system: give one file per GOLD file ({} given for {} gold files)",
            args.system.len(),
            args.gold.len()
        );
        for (gold, system) in args.gold.iter().zip(&args.system) {
            anyhow::ensure!(
                !jsonl(gold),
                "--system scores CoNLL gold only; {} is JSONL",
                gold.display()
            );
            score_system(gold, system, &mut ev)?;
        }
        return Ok(ev.scores());
    }
    // CoNLL gold is scored on the model alone (its tokens and labels are CoNLL's); JSONL gold
    // on the whole pipeline, domain layer included unless `--no-domain`.
    let tagger: Box<dyn Tagger> = if args.no_model {
        Box::new(nl_ner::model::null::NullTagger)
    } else {
        super::load_tagger(args.model.as_deref())?
    };
    let pipeline = super::build_pipeline(tagger, &args.domain, PipelineConfig::default())?;
    let seen = seen_names(args, jsonl)?;
    let mut predictions = match &args.predictions {
        Some(p) => Some(Output::create(p)?),
        None => None,
    };
    for path in &args.gold {
        if jsonl(path) {
            score_jsonl(&pipeline, path, &seen, &mut ev, rules)?;
        } else {
            score_conll(
                pipeline.tagger(),
                path,
                &seen,
                &mut ev,
                predictions.as_mut(),
            )?;
        }
    }
    if let Some(out) = predictions {
        out.finish()?;
    }
    Ok(ev.scores())
}

fn sentences(docs: &[conll::ConllDoc]) -> Vec<&conll::ConllSentence> {
    docs.iter().flat_map(|d| &d.sentences).collect()
}

/// Scores the tags of `system` against those of `gold`, sentence by sentence.
fn score_system(gold: &Path, system: &Path, ev: &mut Evaluator) -> anyhow::Result<()> {
    let (g, s) = (conll::read(gold)?, conll::read(system)?);
    let (g, s) = (sentences(&g), sentences(&s));
    anyhow::ensure!(
        g.len() == s.len(),
        "{} has {} sentences, {} has {}",
        gold.display(),
        g.len(),
        system.display(),
        s.len()
    );
    for (i, (g, s)) in g.iter().zip(&s).enumerate() {
        anyhow::ensure!(
            g.words == s.words,
            "sentence {} of {} has other words than in {}",
            i + 1,
            system.display(),
            gold.display()
        );
        ev.add_tags(&g.tags, &s.tags);
    }
    Ok(())
}

/// The names counted as seen: every gazetteer form (built-in and `--gazetteer`, whether or not
/// the domain layer runs) and every entity in the `--seen` files.
fn seen_names(args: &EvalArgs, jsonl: impl Fn(&Path) -> bool) -> anyhow::Result<SeenNames> {
    let mut seen = SeenNames::default();
    let layer = args.domain.gazetteer_layer()?;
    for entry in layer.gazetteer().entries() {
        seen.insert(&entry.name);
        entry.aliases.iter().for_each(|a| seen.insert(a));
    }
    for path in &args.seen {
        if jsonl(path) {
            for doc in gold::read_jsonl(path)? {
                for (span, _) in &doc.entities {
                    seen.insert(&char_slice(&doc.text, span.clone()));
                }
            }
        } else {
            for doc in conll::read(path)? {
                for s in &doc.sentences {
                    for (span, _) in nl_ner::score::chunks(&s.tags) {
                        seen.insert(&s.words[span].join(" "));
                    }
                }
            }
        }
    }
    Ok(seen)
}

fn char_slice(text: &str, span: std::ops::Range<usize>) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

/// Whether each gold span's name is unseen; all `false` when no name was recorded.
fn unseen_flags<'a>(seen: &SeenNames, names: impl Iterator<Item = &'a str>) -> Vec<bool> {
    names
        .map(|n| !seen.is_empty() && !seen.contains(n))
        .collect()
}

fn score_conll(
    tagger: &dyn Tagger,
    path: &Path,
    seen: &SeenNames,
    ev: &mut Evaluator,
    mut predictions: Option<&mut Output>,
) -> anyhow::Result<()> {
    let docs = conll::read(path)?;
    // Documents are tagged in parallel (a transformer gains most), scored in file order.
    let tagged: Vec<Vec<TokenTag>> = docs
        .par_iter()
        .map(|doc| tagger.tag(&doc.words()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("tagging {}", path.display()))?;
    for (doc, tags) in docs.iter().zip(tagged) {
        let words = doc.words();
        for (s, range) in doc.sentences.iter().zip(&words.sentences) {
            let pred: Vec<Tag> = tags[range.clone()].iter().map(|t| t.tag).collect();
            let gold = nl_ner::score::chunks(&s.tags);
            let names: Vec<String> = gold
                .iter()
                .map(|(r, _)| s.words[r.clone()].join(" "))
                .collect();
            let unseen = unseen_flags(seen, names.iter().map(String::as_str));
            ev.add_tags_unseen(&s.tags, &pred, &unseen);
            if let Some(out) = predictions.as_deref_mut() {
                let name = out.name();
                write_predictions(out.writer(), &s.words, &s.tags, &pred)
                    .with_context(|| format!("writing {name}"))?;
            }
        }
    }
    Ok(())
}

fn write_predictions(
    w: &mut dyn Write,
    words: &[String],
    gold: &[Tag],
    pred: &[Tag],
) -> std::io::Result<()> {
    for ((word, g), p) in words.iter().zip(gold).zip(pred) {
        writeln!(w, "{word} {g} {p}")?;
    }
    writeln!(w)
}

/// Runs the whole pipeline on each JSONL gold document and compares spans in code points.
fn score_jsonl(
    pipeline: &Pipeline,
    path: &Path,
    seen: &SeenNames,
    ev: &mut Evaluator,
    rules: &mut RuleCounts,
) -> anyhow::Result<()> {
    for gold in gold::read_jsonl(path)? {
        let mut dont_care = gold.ignore.clone();
        if !ev.is_scored(Label::Misc) {
            dont_care.extend(
                gold.entities
                    .iter()
                    .filter(|(_, l)| *l == Label::Misc)
                    .map(|(r, _)| r.clone()),
            );
        }
        let names: Vec<String> = gold
            .entities
            .iter()
            .map(|(r, _)| char_slice(&gold.text, r.clone()))
            .collect();
        let unseen = unseen_flags(seen, names.iter().map(String::as_str));
        let mut doc = Document::new(gold.id.clone(), gold.text);
        pipeline
            .annotate(&mut doc)
            .with_context(|| format!("annotating {}", gold.id))?;
        let pred: Vec<LabelledSpan> = doc
            .entities
            .iter()
            .map(|e| (e.span.chars(), e.label))
            .collect();
        let judged = ev.judge(&gold.entities, &pred, &dont_care);
        for (e, correct) in doc.entities.iter().zip(judged) {
            if let (Some(rule), Some(correct)) = (e.rule, correct) {
                let c = rules.0.entry(rule).or_default();
                if correct { c.tp += 1 } else { c.fp += 1 }
            }
        }
        ev.add_spans_unseen(&gold.entities, &pred, &dont_care, &unseen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_counts_list_every_rule_that_makes_entities() {
        let mut counts = RuleCounts::default();
        counts.0.insert("law-title", RuleCount { tp: 3, fp: 1 });
        let table = counts.to_string();
        assert!(
            table
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>()
                    == ["law-title", "3", "1", "75.00%"])
        );
        assert!(
            table
                .lines()
                .any(|l| l.starts_with("money ") && l.ends_with('-'))
        );
        assert!(
            !table.contains("staff-role"),
            "a rule that drops entities has no positives"
        );
        assert_eq!(
            counts.to_json(),
            serde_json::json!({ "law-title": { "tp": 3, "fp": 1 } })
        );
    }
}
