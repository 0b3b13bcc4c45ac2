//! `nl_ner.evaluate` and `nl_ner.evaluate_relations`: scores against gold files (`nl-ner eval
//! --json`), as the dicts the command line prints.

use std::path::PathBuf;

use pyo3::prelude::*;

use nl_ner::relate::{PairClassifier, Relater};
use nl_ner::{DomainLayer, NullTagger, Pipeline, PipelineConfig, Tagger};
use nl_ner_io::score::{GoldFormat, ScoreOptions, score_files_by_rule, seen_names};

use crate::args::{choice, labels, nl_ner_error, optional_paths, paths};

const GOLD_FORMATS: [(&str, GoldFormat); 3] = [
    ("auto", GoldFormat::Auto),
    ("conll", GoldFormat::Conll),
    ("jsonl", GoldFormat::Jsonl),
];

/// `json.loads` of `value` serialised, so that Python gets the command line's JSON as a dict.
fn to_python<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| nl_ner_error(&e))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// The pipeline `nl-ner eval` scores: the model (none with `rules_only`) and, unless
/// `domain=False`, the domain layer with the extra gazetteers; no relation stage.
fn entity_pipeline(
    model: Option<&std::path::Path>,
    rules_only: bool,
    domain: bool,
    gazetteers: &[PathBuf],
) -> PyResult<Pipeline> {
    let tagger: Box<dyn Tagger> = if rules_only {
        Box::new(NullTagger)
    } else {
        crate::load_tagger(model)?
    };
    let pipeline = Pipeline::new(tagger, PipelineConfig::default());
    if !domain {
        return Ok(pipeline);
    }
    let layer = DomainLayer::with_gazetteers(gazetteers).map_err(|e| nl_ner_error(&e))?;
    Ok(pipeline.with_domain(layer))
}

/// Scores the pipeline on `gold` (CoNLL or JSONL gold files, all together): the dict of
/// `nl-ner eval --json` (with `by_rule=True`, of `--json --by-rule`: `scores` and `by_rule`).
#[pyfunction]
#[pyo3(signature = (gold, *, model=None, format="auto", labels=None, gazetteers=None, domain=true, rules_only=false, seen=None, by_rule=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn evaluate<'py>(
    py: Python<'py>,
    gold: &Bound<'py, PyAny>,
    model: Option<PathBuf>,
    format: &str,
    labels: Option<&Bound<'py, PyAny>>,
    gazetteers: Option<&Bound<'py, PyAny>>,
    domain: bool,
    rules_only: bool,
    seen: Option<&Bound<'py, PyAny>>,
    by_rule: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let gold = paths(gold, "gold")?;
    let format = choice("format", format, &GOLD_FORMATS)?;
    let labels = self::labels(labels, "labels")?;
    let gazetteers = optional_paths(gazetteers, "gazetteers")?;
    let seen = optional_paths(seen, "seen")?;
    if !domain && !gazetteers.is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "gazetteers cannot be used with domain=False (the domain layer reads them)",
        ));
    }
    let pipeline = entity_pipeline(model.as_deref(), rules_only, domain, &gazetteers)?;
    let (scores, rules) = py
        .detach(|| -> nl_ner::Result<_> {
            // Every gazetteer form and every entity of the `seen` files counts as seen.
            let layer = DomainLayer::with_gazetteers(&gazetteers)?;
            let options = ScoreOptions {
                format,
                labels,
                seen: seen_names(Some(layer.gazetteer()), &seen, format)?,
                ..ScoreOptions::default()
            };
            score_files_by_rule(&pipeline, &gold, &options)
                .map_err(|e| nl_ner::Error::context("scoring", e))
        })
        .map_err(|e| nl_ner_error(&e))?;
    if by_rule {
        return to_python(
            py,
            &serde_json::json!({ "scores": scores, "by_rule": rules.to_json() }),
        );
    }
    to_python(py, &scores)
}

/// Scores the relation stage on the documents of the JSONL `gold` files against the relation
/// gold `relations`: the dict `nl-ner eval GOLD --relations FILE --json` prints after the
/// entity scores. `stage` is `both` (rules and classifier, what `extract` runs), `rules` or
/// `classifier`; with `gold_entities=True` the relations are found among the gold entities.
#[pyfunction]
#[pyo3(signature = (gold, relations, *, model=None, gazetteers=None, domain=true, stage="both", gold_entities=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn evaluate_relations<'py>(
    py: Python<'py>,
    gold: &Bound<'py, PyAny>,
    relations: &Bound<'py, PyAny>,
    model: Option<PathBuf>,
    gazetteers: Option<&Bound<'py, PyAny>>,
    domain: bool,
    stage: &str,
    gold_entities: bool,
) -> PyResult<Bound<'py, PyAny>> {
    #[derive(Clone, Copy)]
    enum Stage {
        Both,
        Rules,
        Classifier,
    }
    let gold = paths(gold, "gold")?;
    let relations = paths(relations, "relations")?;
    let gazetteers = optional_paths(gazetteers, "gazetteers")?;
    let stage = choice(
        "stage",
        stage,
        &[
            ("both", Stage::Both),
            ("rules", Stage::Rules),
            ("classifier", Stage::Classifier),
        ],
    )?;
    let pipeline = entity_pipeline(model.as_deref(), false, domain, &gazetteers)?;
    let scores = py
        .detach(|| -> nl_ner::Result<_> {
            let relater = match stage {
                Stage::Both => Relater::with_classifier(PairClassifier::embedded()?),
                Stage::Rules => Relater::rules_only(),
                Stage::Classifier => Relater::classifier_only(PairClassifier::embedded()?),
            };
            if gold_entities {
                return nl_ner_io::relation_gold::score_on_gold_entities(
                    &relater, &gold, &relations,
                );
            }
            nl_ner_io::relation_gold::score(&pipeline.with_relations(relater), &gold, &relations)
        })
        .map_err(|e| nl_ner_error(&e))?;
    to_python(py, &scores)
}
