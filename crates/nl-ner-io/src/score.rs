//! Scoring against gold files: the one implementation behind `nl-ner eval`, `nl-ner train --dev`
//! and the Python binding.
//!
//! A gold file is CoNLL (`WORD [COLUMNS...] TAG`, IOB2) or JSONL gold (`corpus/gold/*.jsonl`),
//! which [`crate::is_jsonl`] tells apart unless [`ScoreOptions::format`] says. CoNLL gold is
//! scored on the model alone (its tokens and labels are CoNLL's), JSONL gold on the whole
//! pipeline, domain layer included, comparing spans in code points. The counting itself is
//! [`nl_ner::Evaluator`]'s (strict, entity level, as `conlleval`).

use std::collections::BTreeMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use nl_ner::conll::{self, ConllDoc, ConllSentence};
use nl_ner::{
    Document, Error, Evaluator, Gazetteer, Label, LabelledSpan, Pipeline, Scores, SeenNames, Tag,
    Tagger, TokenTag,
};
use rayon::prelude::*;

use crate::gold;
use crate::output::Output;

/// The labels of the headline in-domain score (see `docs/annotation.md`): what JSONL gold is
/// scored on unless [`ScoreOptions::labels`] says otherwise.
pub const HEADLINE: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Initiative];

/// How a gold file is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GoldFormat {
    /// By extension ([`crate::is_jsonl`]): JSONL gold or else CoNLL.
    #[default]
    Auto,
    /// `WORD [COLUMNS...] TAG` lines, a blank line between sentences, IOB tags.
    Conll,
    /// One document per line: `text` and `entities` with `start`, `end`, `label`.
    Jsonl,
}

impl GoldFormat {
    /// Whether `path` is read as JSONL gold.
    pub fn is_jsonl(self, path: &Path) -> bool {
        match self {
            GoldFormat::Auto => crate::is_jsonl(path),
            GoldFormat::Conll => false,
            GoldFormat::Jsonl => true,
        }
    }
}

/// What to score and how.
#[derive(Clone, Debug, Default)]
pub struct ScoreOptions {
    /// How the gold files (and the files of names seen in training) are read.
    pub format: GoldFormat,
    /// The labels scored; `None`: for CoNLL gold every label in the gold or the predictions (as
    /// `conlleval`), [`HEADLINE`] when a gold file is JSONL (gold MISC spans are then don't-care
    /// regions).
    pub labels: Option<Vec<Label>>,
    /// Names seen in training ([`seen_names`]); gold entities with other names are unseen, and
    /// their recall is counted apart. Empty: no name is unseen.
    pub seen: SeenNames,
    /// Where to write `WORD GOLD PREDICTED` lines, the input `conlleval` reads (CoNLL gold only).
    pub predictions: Option<PathBuf>,
}

impl ScoreOptions {
    fn evaluator(&self, gold: &[PathBuf]) -> Evaluator {
        match &self.labels {
            Some(labels) => Evaluator::only(labels),
            None if gold.iter().any(|p| self.format.is_jsonl(p)) => Evaluator::only(&HEADLINE),
            None => Evaluator::new(),
        }
    }
}

/// What can go wrong while scoring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// A system file has another number of sentences than its gold file.
    #[error("{} has {gold_sentences} sentences, {} has {system_sentences}", gold.display(), system.display())]
    SentenceCount {
        /// The gold file.
        gold: PathBuf,
        /// The system file.
        system: PathBuf,
        /// Sentences in the gold file.
        gold_sentences: usize,
        /// Sentences in the system file.
        system_sentences: usize,
    },
    /// A sentence of a system file has other words than the gold file's.
    #[error("sentence {sentence} of {} has other words than in {}", system.display(), gold.display())]
    OtherWords {
        /// The gold file.
        gold: PathBuf,
        /// The system file.
        system: PathBuf,
        /// The 1-based sentence.
        sentence: usize,
    },
    /// Reading, tagging or writing failed.
    #[error(transparent)]
    Error(#[from] Error),
}

/// Each domain rule's true and false positives (`nl-ner eval --by-rule`), by rule name: the
/// predicted entities of JSONL gold documents that carry the rule's name, judged as the scores
/// judge them (a prediction whose label is not scored or that overlaps a don't-care region
/// counts for neither).
#[derive(Clone, Debug, Default)]
pub struct RuleCounts(pub BTreeMap<&'static str, RuleCount>);

impl RuleCounts {
    /// `{"rule": {"tp": N, "fp": N}, ...}` for the rules that made a scored prediction: the
    /// `by_rule` object of `nl-ner eval --json --by-rule`.
    pub fn to_json(&self) -> serde_json::Value {
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

/// One rule's true and false positives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleCount {
    /// Its entities that match a gold entity.
    pub tp: usize,
    /// Its entities that match none.
    pub fp: usize,
}

/// Runs `pipeline` on every gold file and scores its output against the gold, all files
/// together: CoNLL gold with the pipeline's tagger alone, JSONL gold with the whole pipeline.
pub fn score_files(
    pipeline: &Pipeline,
    gold: &[PathBuf],
    options: &ScoreOptions,
) -> Result<Scores, ScoreError> {
    score_files_by_rule(pipeline, gold, options).map(|(scores, _)| scores)
}

/// [`score_files`], and each domain rule's true and false positives.
pub fn score_files_by_rule(
    pipeline: &Pipeline,
    gold: &[PathBuf],
    options: &ScoreOptions,
) -> Result<(Scores, RuleCounts), ScoreError> {
    let mut rules = RuleCounts::default();
    let mut ev = options.evaluator(gold);
    // The predictions file holds CoNLL gold's words; JSONL gold would leave it empty.
    if options.predictions.is_some()
        && let Some(jsonl) = gold.iter().find(|p| options.format.is_jsonl(p))
    {
        return Err(Error::Data {
            path: jsonl.clone(),
            line: 0,
            reason: "--predictions writes the words of CoNLL gold, and this file is JSONL".into(),
        }
        .into());
    }
    let mut predictions = match &options.predictions {
        Some(p) => Some(Output::create(p)?),
        None => None,
    };
    for path in gold {
        if options.format.is_jsonl(path) {
            score_jsonl(pipeline, path, &options.seen, &mut ev, &mut rules)?;
        } else {
            score_conll(
                pipeline.tagger(),
                path,
                &options.seen,
                &mut ev,
                predictions.as_mut(),
            )?;
        }
    }
    if let Some(out) = predictions {
        out.finish()?;
    }
    Ok((ev.scores(), rules))
}

/// Scores the tags of CoNLL files another system wrote against CoNLL gold files, pairwise and
/// sentence by sentence: each system file must have its gold file's words and sentences.
pub fn score_system(
    gold: &[PathBuf],
    system: &[PathBuf],
    options: &ScoreOptions,
) -> Result<Scores, ScoreError> {
    let mut ev = options.evaluator(gold);
    for (gold, system) in gold.iter().zip(system) {
        let (g, s) = (conll::read(gold)?, conll::read(system)?);
        let (g, s) = (sentences(&g), sentences(&s));
        if g.len() != s.len() {
            return Err(ScoreError::SentenceCount {
                gold: gold.clone(),
                system: system.clone(),
                gold_sentences: g.len(),
                system_sentences: s.len(),
            });
        }
        for (i, (g, s)) in g.iter().zip(&s).enumerate() {
            if g.words != s.words {
                return Err(ScoreError::OtherWords {
                    gold: gold.clone(),
                    system: system.clone(),
                    sentence: i + 1,
                });
            }
            ev.add_tags(&g.tags, &s.tags);
        }
    }
    Ok(ev.scores())
}

fn sentences(docs: &[ConllDoc]) -> Vec<&ConllSentence> {
    docs.iter().flat_map(|d| &d.sentences).collect()
}

/// The names counted as seen in training: every form of `gazetteer` (its names and aliases) and
/// every entity in `files` (CoNLL or JSONL gold, as `format` reads them).
pub fn seen_names(
    gazetteer: Option<&Gazetteer>,
    files: &[PathBuf],
    format: GoldFormat,
) -> nl_ner::Result<SeenNames> {
    let mut seen = SeenNames::default();
    for entry in gazetteer.into_iter().flat_map(Gazetteer::entries) {
        seen.insert(&entry.name);
        entry.aliases.iter().for_each(|a| seen.insert(a));
    }
    for path in files {
        if format.is_jsonl(path) {
            for doc in gold::read_jsonl(path)? {
                for (span, _) in &doc.entities {
                    seen.insert(&char_slice(&doc.text, span.clone()));
                }
            }
        } else {
            for doc in conll::read(path)? {
                for s in &doc.sentences {
                    for (span, _) in nl_ner::chunks(&s.tags) {
                        seen.insert(&s.words[span].join(" "));
                    }
                }
            }
        }
    }
    Ok(seen)
}

fn char_slice(text: &str, span: Range<usize>) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

/// Whether each gold span's name is unseen; all `false` when no name was recorded.
fn unseen_flags<'a>(seen: &SeenNames, names: impl Iterator<Item = &'a str>) -> Vec<bool> {
    names
        .map(|n| !seen.is_empty() && !seen.contains(n))
        .collect()
}

/// A gold file without a sentence: scoring it would print zeros as if the model found nothing.
fn empty_gold(path: &Path) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line: 0,
        reason: "no gold sentences (an empty gold file scores nothing)".into(),
    }
}

fn score_conll(
    tagger: &dyn Tagger,
    path: &Path,
    seen: &SeenNames,
    ev: &mut Evaluator,
    mut predictions: Option<&mut Output>,
) -> nl_ner::Result<()> {
    let docs = conll::read(path)?;
    if docs.iter().all(|d| d.sentences.is_empty()) {
        return Err(empty_gold(path));
    }
    // Documents are tagged in parallel (a transformer gains most), scored in file order.
    let tagged: Vec<Vec<TokenTag>> = docs
        .par_iter()
        .map(|doc| tagger.tag(&doc.words()))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::context(format!("tagging {}", path.display()), e))?;
    for (doc, tags) in docs.iter().zip(tagged) {
        let words = doc.words();
        for (s, range) in doc.sentences.iter().zip(&words.sentences) {
            let pred: Vec<Tag> = tags[range.clone()].iter().map(|t| t.tag).collect();
            let gold = nl_ner::chunks(&s.tags);
            let names: Vec<String> = gold
                .iter()
                .map(|(r, _)| s.words[r.clone()].join(" "))
                .collect();
            let unseen = unseen_flags(seen, names.iter().map(String::as_str));
            ev.add_tags_unseen(&s.tags, &pred, &unseen);
            if let Some(out) = predictions.as_deref_mut() {
                let name = out.name();
                write_predictions(out.writer(), &s.words, &s.tags, &pred)
                    .map_err(|e| Error::context(format!("writing {name}"), e))?;
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
) -> nl_ner::Result<()> {
    let docs = gold::read_jsonl(path)?;
    if docs.is_empty() {
        return Err(empty_gold(path));
    }
    for gold in docs {
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
            .map_err(|e| Error::context(format!("annotating {}", gold.id), e))?;
        let pred: Vec<LabelledSpan> = doc
            .entities
            .iter()
            .map(|e| (e.span.chars(), e.label))
            .collect();
        let judged = ev.judge(&gold.entities, &pred, &dont_care);
        for (e, correct) in doc.entities.iter().zip(judged) {
            if let (Some(rule), Some(correct)) = (e.rule, correct) {
                let c = rules.0.entry(rule).or_default();
                if correct {
                    c.tp += 1;
                } else {
                    c.fp += 1;
                }
            }
        }
        ev.add_spans_unseen(&gold.entities, &pred, &dont_care, &unseen);
    }
    Ok(())
}
