//! `nl-ner eval`: score the model against gold annotations (`nl_ner_io::score`).

use std::path::PathBuf;
use std::process::ExitCode;

use nl_ner::{Label, NullTagger, Pipeline, PipelineConfig, Scores, Tagger};
use nl_ner_io::score::{RuleCounts, ScoreOptions, score_files_by_rule, score_system, seen_names};

use super::values::GoldFormat;

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
    /// Relation gold (`corpus/gold/relations/*.jsonl`, repeatable) for the documents of the
    /// JSONL GOLD files: also scores the relations (per type and micro, as docs/relations.md
    /// says), below the entity table.
    #[arg(long, value_name = "FILE", conflicts_with = "system")]
    relations: Vec<PathBuf>,
    /// Which part of the relation stage `--relations` scores: the rules and the classifier
    /// together (what `extract` runs), or either alone.
    #[arg(long, value_enum, default_value_t = RelationStage::Both)]
    relation_stage: RelationStage,
    /// Score the relation stage on the gold entities instead of the entities the pipeline finds:
    /// the relation stage alone, without the entity errors.
    #[arg(long, requires = "relations")]
    gold_entities: bool,
}

/// The parts of the relation stage `eval --relation-stage` scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RelationStage {
    /// Rules and classifier.
    Both,
    /// The rules alone.
    Rules,
    /// The pair classifier alone.
    Classifier,
}

/// One line per rule of the registry that makes entities, in its order.
fn rules_table(rules: &RuleCounts) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "{:<22} {:>6} {:>6} {:>9}\n",
        "rule", "tp", "fp", "precision"
    );
    let makes = nl_ner::rules::RULES
        .iter()
        .filter(|r| r.effect == nl_ner::rules::Effect::Makes);
    for r in makes {
        let c = rules.0.get(r.name).copied().unwrap_or_default();
        let precision = if c.tp + c.fp == 0 {
            "-".to_string()
        } else {
            format!("{:.2}%", 100.0 * c.tp as f64 / (c.tp + c.fp) as f64)
        };
        let _ = writeln!(
            out,
            "{:<22} {:>6} {:>6} {:>9}",
            r.name, c.tp, c.fp, precision
        );
    }
    out
}

/// Scores every gold file together and prints the table.
pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    // The model and the domain layer, loaded once for the entity scores and the relation scores
    // (`--system` scores files and needs neither).
    let pipeline = if args.system.is_empty() {
        Some(entity_pipeline(args)?)
    } else {
        None
    };
    let (scores, rules) = scores(args, pipeline.as_ref())?;
    match (args.json, args.by_rule) {
        (true, false) => {
            super::print_report(&format!("{}\n", serde_json::to_string_pretty(&scores)?))?
        }
        (true, true) => super::print_report(&format!(
            "{}\n",
            serde_json::to_string_pretty(
                &serde_json::json!({ "scores": scores, "by_rule": rules.to_json() })
            )?
        ))?,
        (false, by_rule) => {
            let mut text = format!("{scores}\n");
            if by_rule {
                text.push_str(&format!("\n{}\n", rules_table(&rules)));
            }
            super::print_report(&text)?;
        }
    }
    if let Some(pipeline) = pipeline
        && !args.relations.is_empty()
    {
        let relations = relation_scores(args, pipeline)?;
        if args.json {
            super::print_report(&format!("{}\n", serde_json::to_string_pretty(&relations)?))?;
        } else {
            super::print_report(&format!("{relations}\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Scores the relation stage on the relation gold's documents: the whole pipeline runs on each
/// document's text, with the part of the relation stage `--relation-stage` names.
fn relation_scores(
    args: &EvalArgs,
    pipeline: Pipeline,
) -> anyhow::Result<nl_ner::relate::score::RelationScores> {
    use nl_ner::relate::Relater;
    anyhow::ensure!(
        !args.domain.no_relations,
        "--relations scores the relation stage, which --no-relations leaves out"
    );
    let classifier = || args.domain.classifier();
    let relater = match args.relation_stage {
        RelationStage::Both => Relater::with_classifier(classifier()?),
        RelationStage::Rules => Relater::rules_only(),
        RelationStage::Classifier => Relater::classifier_only(classifier()?),
    };
    if args.gold_entities {
        return Ok(nl_ner_io::relation_gold::score_on_gold_entities(
            &relater,
            &args.gold,
            &args.relations,
        )?);
    }
    let pipeline = pipeline.with_relations(relater);
    Ok(nl_ner_io::relation_gold::score(
        &pipeline,
        &args.gold,
        &args.relations,
    )?)
}

/// Scores every gold file together, with each domain rule's true and false positives.
fn scores(args: &EvalArgs, pipeline: Option<&Pipeline>) -> anyhow::Result<(Scores, RuleCounts)> {
    let format: nl_ner_io::score::GoldFormat = args.format.into();
    let mut options = ScoreOptions {
        format,
        labels: args.labels.clone(),
        ..ScoreOptions::default()
    };
    if !args.system.is_empty() {
        anyhow::ensure!(
            args.system.len() == args.gold.len(),
            "--system: give one file per GOLD file ({} given for {} gold files)",
            args.system.len(),
            args.gold.len()
        );
        if let Some(gold) = args.gold.iter().find(|p| format.is_jsonl(p)) {
            anyhow::bail!(
                "--system scores CoNLL gold only; {} is JSONL",
                gold.display()
            );
        }
        return Ok((
            score_system(&args.gold, &args.system, &options)?,
            RuleCounts::default(),
        ));
    }
    let pipeline = pipeline.expect("a pipeline unless --system");
    // Every gazetteer form (built-in and `--gazetteer`, whether or not the domain layer runs)
    // and every entity in the `--seen` files counts as seen.
    let gazetteers = args.domain.gazetteer_layer()?;
    options.seen = seen_names(Some(gazetteers.gazetteer()), &args.seen, format)?;
    if let Some(predictions) = &args.predictions {
        // Writing the predictions over a gold file would lose the gold.
        nl_ner_io::output::check_not_an_input(
            predictions,
            args.gold.iter().chain(&args.seen).map(PathBuf::as_path),
        )?;
    }
    options.predictions = args.predictions.clone();
    Ok(score_files_by_rule(pipeline, &args.gold, &options)?)
}

/// The pipeline whose entities are scored: the model (none with `--no-model`) and, unless
/// `--no-domain`, the domain layer. CoNLL gold is scored on its tagger alone (its tokens and
/// labels are CoNLL's), JSONL gold on the whole pipeline. No relation stage: the entity scores do
/// not need it, and `--relations` adds the part it scores.
fn entity_pipeline(args: &EvalArgs) -> anyhow::Result<Pipeline> {
    let tagger: Box<dyn Tagger> = if args.no_model {
        Box::new(NullTagger)
    } else {
        super::load_tagger(args.model.as_deref())?
    };
    let pipeline = Pipeline::new(tagger, PipelineConfig::default());
    Ok(match args.domain.layer()? {
        Some(layer) => pipeline.with_domain(layer),
        None => pipeline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner_io::score::RuleCount;

    #[test]
    fn rule_counts_list_every_rule_that_makes_entities() {
        let mut counts = RuleCounts::default();
        counts.0.insert("law-title", RuleCount { tp: 3, fp: 1 });
        let table = rules_table(&counts);
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
