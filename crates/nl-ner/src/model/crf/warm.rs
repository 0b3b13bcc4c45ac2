//! Continuing a trained CRF on new gold data (a warm start): a user's corrections teach the
//! shipped model in seconds to minutes, instead of the full recipe's half hour on every file.
//!
//! Training starts from the prior model's weights and minimises, by stochastic gradient descent,
//!
//! ```text
//! sum over the new sentences of ( -log p(gold tags | words)  +  λ/2 · ||w - w_prior||² )
//! ```
//!
//! The second term pulls every weight toward the prior's value (a feature the prior lacks has
//! prior 0), so that the corrections adjust the model without it forgetting what its half a
//! million training tokens taught it. It is counted per sentence, so that the pull holds the
//! same balance against the data for twenty corrected documents as for two hundred. Features the corrections hold and the prior does
//! not (new words, new names) are added; the labels, feature templates and lexicon are the
//! prior's. Sentences are framed by separator positions as in [`super::train`], so the model is
//! decoded as it was trained.
//!
//! The shrinkage toward the prior is applied lazily (the difference `w - w_prior` is stored as a
//! vector times one scale), so a step costs the features of one sentence, not the whole model.
//! Training is deterministic: sentences are visited in a fixed pseudo-random order.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::doc::Tag;
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::model::crf::features::{self, FeatureBuf};
use crate::model::crf::format::{ModelData, StageData};
use crate::model::crf::train::{
    ReadDocs, TrainReport, lock_output, read_training_files, write_atomically,
};

/// What to continue training on, from which model, and how.
#[derive(Clone, Debug)]
pub struct ContinueConfig {
    /// Gold files (CoNLL or JSONL gold, read by the caller's reader) with the corrections.
    pub train: Vec<PathBuf>,
    /// The model to start from, named in errors (its bytes are passed to [`continue_training`]).
    pub init: PathBuf,
    /// Where to write the new model.
    pub output: PathBuf,
    /// Passes over the corrections.
    pub epochs: usize,
    /// λ, the pull toward the prior's weights per training sentence (0: none; the larger, the
    /// less the model moves).
    pub prior_weight: f64,
    /// The first step size; epoch `k` (from 0) steps `learning_rate / (1 + k)`.
    pub learning_rate: f64,
    /// The lexicon the prior was trained with; `None` uses the one compiled into the binary.
    pub lexicon: Option<PathBuf>,
    /// Print each epoch's loss.
    pub verbose: bool,
}

impl Default for ContinueConfig {
    /// The settings measured in `models/README.md` ("Continue training").
    fn default() -> Self {
        ContinueConfig {
            train: Vec::new(),
            init: PathBuf::from("models/nl-ner-crf.model"),
            output: PathBuf::from("nl-ner-crf-continued.model"),
            epochs: 5,
            prior_weight: 0.2,
            learning_rate: 0.003,
            lexicon: None,
            verbose: false,
        }
    }
}

/// Continues training the model whose file bytes are `prior` on `config.train` (read with
/// `read`), and writes the new model to `config.output`.
pub fn continue_training(
    config: &ContinueConfig,
    prior: &[u8],
    read: ReadDocs<'_>,
) -> Result<TrainReport> {
    let bad = |reason: String| Error::Model {
        path: config.init.clone(),
        reason,
    };
    let data = ModelData::from_bytes(prior, &config.init)?;
    let lexicon = match &config.lexicon {
        Some(p) => Arc::new(Lexicon::load(p)?),
        None => Lexicon::embedded()?,
    };
    if data.feature_config != features::feature_config_hash() {
        return Err(bad(
            "trained with other feature templates than this build's; it cannot be continued".into(),
        ));
    }
    if data.lexicon_fingerprint != lexicon.fingerprint() {
        return Err(bad(
            "trained with another lexicon than the one given; give its lexicon with --lexicon"
                .into(),
        ));
    }
    let [stage] = data.stages.as_slice() else {
        return Err(bad(
            "a stacked model (two CRFs) cannot be continued; start from a one-stage model".into(),
        ));
    };
    let _lock = lock_output(&config.output)?;
    let docs = read_training_files(&config.train, read)?;
    let mut crf = Params::new(stage, data.labels.len());
    let sentences = crf.add_sentences(&docs, &data.labels, &lexicon, config)?;
    let tokens: usize = sentences.iter().map(|s| s.gold.len() - 2).sum();
    let started = Instant::now();
    crf.train(&sentences, config);
    let seconds = started.elapsed().as_secs_f64();
    let attributes = crf.index.len();
    let stage = crf.into_stage();
    let rows = stage.keys.len();
    let model = ModelData {
        stages: vec![stage],
        ..data
    };
    let bytes = model.to_bytes();
    write_atomically(&config.output, &bytes)?;
    Ok(TrainReport {
        sentences: sentences.len(),
        tokens,
        attributes,
        rows,
        model_bytes: bytes.len(),
        train_seconds: seconds,
    })
}

/// One training sentence between two separator positions: the weight rows each position reads,
/// and its gold label.
struct Sentence {
    /// Position `t` reads `rows[offs[t]..offs[t + 1]]`.
    offs: Vec<u32>,
    rows: Vec<u32>,
    gold: Vec<u8>,
}

/// The weights being trained: state rows (`rows × L`) then transitions (`L × L`), each
/// `prior + scale · diff`.
struct Params {
    l: usize,
    /// Rows `..prior_rows` are the prior model's; the rest were added.
    prior_rows: usize,
    keys: Vec<u64>,
    index: HashMap<u64, u32>,
    prior: Vec<f64>,
    diff: Vec<f64>,
    scale: f64,
    /// Transition weights' prior, kept apart from the rows (which grow as features are added).
    trans_prior: Vec<f64>,
    trans_diff: Vec<f64>,
}

impl Params {
    fn new(stage: &StageData, l: usize) -> Self {
        let index = stage
            .keys
            .iter()
            .enumerate()
            .map(|(r, &k)| (k, r as u32))
            .collect();
        Params {
            l,
            prior_rows: stage.keys.len(),
            keys: stage.keys.clone(),
            index,
            prior: stage.state.iter().map(|&w| f64::from(w)).collect(),
            diff: vec![0.0; stage.state.len()],
            scale: 1.0,
            trans_prior: stage.trans.iter().map(|&w| f64::from(w)).collect(),
            trans_diff: vec![0.0; stage.trans.len()],
        }
    }

    /// The row of feature `key`, added (prior 0) if the model lacks it.
    fn row(&mut self, key: u64) -> u32 {
        if let Some(&r) = self.index.get(&key) {
            return r;
        }
        let r = self.keys.len() as u32;
        self.keys.push(key);
        self.index.insert(key, r);
        self.prior.extend(std::iter::repeat_n(0.0, self.l));
        self.diff.extend(std::iter::repeat_n(0.0, self.l));
        r
    }

    /// Turns the documents into sentences of weight rows; a tag the prior does not know is an
    /// error.
    fn add_sentences(
        &mut self,
        docs: &[crate::conll::ConllDoc],
        labels: &[Tag],
        lexicon: &Lexicon,
        config: &ContinueConfig,
    ) -> Result<Vec<Sentence>> {
        let label_of = |tag: &Tag| -> Result<u8> {
            labels
                .iter()
                .position(|t| t == tag)
                .map(|i| i as u8)
                .ok_or_else(|| Error::Data {
                    path: config.train.first().cloned().unwrap_or_default(),
                    line: 0,
                    reason: format!(
                        "tag {tag} is not one of the labels of {} ({}); it can only be learnt by \
                         training from scratch",
                        config.init.display(),
                        labels
                            .iter()
                            .map(Tag::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                })
        };
        let outside = label_of(&Tag::O)?;
        let sep = self.row(features::sep_feature());
        let mut buf = FeatureBuf::default();
        let mut out = Vec::new();
        for doc in docs {
            let words = doc.words();
            features::extract_doc(&words.words, &words.sentences, lexicon, &mut buf);
            for (sent, range) in doc.sentences.iter().zip(&words.sentences) {
                if range.is_empty() {
                    continue;
                }
                let mut s = Sentence {
                    offs: vec![0, 1],
                    rows: vec![sep],
                    gold: vec![outside],
                };
                for (j, tag) in range.clone().zip(&sent.tags) {
                    for &h in buf.all(j) {
                        let r = self.row(h);
                        s.rows.push(r);
                    }
                    s.offs.push(s.rows.len() as u32);
                    s.gold.push(label_of(tag)?);
                }
                s.rows.push(sep);
                s.offs.push(s.rows.len() as u32);
                s.gold.push(outside);
                out.push(s);
            }
        }
        Ok(out)
    }

    fn state(&self, i: usize) -> f64 {
        self.prior[i] + self.scale * self.diff[i]
    }

    fn trans(&self, i: usize) -> f64 {
        self.trans_prior[i] + self.scale * self.trans_diff[i]
    }

    /// Runs the epochs of stochastic gradient descent.
    fn train(&mut self, sentences: &[Sentence], config: &ContinueConfig) {
        let n = sentences.len().max(1) as f64;
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
        let mut work = Work::default();
        for epoch in 0..config.epochs {
            shuffle(&mut order, &mut rng);
            let rate = config.learning_rate / (1.0 + epoch as f64);
            // Each step shrinks `w - prior` by this factor: the prior term of one sentence.
            let shrink = 1.0 - rate * config.prior_weight;
            let mut loss = 0.0;
            for &i in &order {
                loss += self.step(&sentences[i], rate, &mut work);
                self.scale *= shrink.max(0.0);
                if self.scale < 1e-9 {
                    self.rescale();
                }
            }
            if config.verbose {
                eprintln!(
                    "epoch {}: loss {:.1} (mean {:.3} per sentence), step {rate}",
                    epoch + 1,
                    loss,
                    loss / n
                );
            }
        }
        self.rescale();
    }

    /// Folds the scale into the differences.
    fn rescale(&mut self) {
        let scale = self.scale;
        self.diff.iter_mut().for_each(|d| *d *= scale);
        self.trans_diff.iter_mut().for_each(|d| *d *= scale);
        self.scale = 1.0;
    }

    /// One gradient step on one sentence; returns its negative log-likelihood before the step.
    fn step(&mut self, s: &Sentence, rate: f64, w: &mut Work) -> f64 {
        let l = self.l;
        let t_len = s.gold.len();
        w.lattice.clear();
        w.lattice.resize(t_len * l, 0.0);
        for t in 0..t_len {
            let rows = &s.rows[s.offs[t] as usize..s.offs[t + 1] as usize];
            for &r in rows {
                let base = r as usize * l;
                for y in 0..l {
                    w.lattice[t * l + y] += self.state(base + y);
                }
            }
        }
        w.trans.clear();
        w.trans.extend((0..l * l).map(|i| self.trans(i)));
        // Forward and backward in log space.
        w.alpha.clear();
        w.alpha.resize(t_len * l, 0.0);
        w.beta.clear();
        w.beta.resize(t_len * l, 0.0);
        w.alpha[..l].copy_from_slice(&w.lattice[..l]);
        let mut tmp = vec![0.0; l];
        for t in 1..t_len {
            for c in 0..l {
                for (p, v) in tmp.iter_mut().enumerate() {
                    *v = w.alpha[(t - 1) * l + p] + w.trans[p * l + c];
                }
                w.alpha[t * l + c] = log_sum_exp(&tmp) + w.lattice[t * l + c];
            }
        }
        for t in (0..t_len - 1).rev() {
            for p in 0..l {
                for (c, v) in tmp.iter_mut().enumerate() {
                    *v = w.trans[p * l + c] + w.lattice[(t + 1) * l + c] + w.beta[(t + 1) * l + c];
                }
                w.beta[t * l + p] = log_sum_exp(&tmp);
            }
        }
        let log_z = log_sum_exp(&w.alpha[(t_len - 1) * l..]);
        let mut gold_score = w.lattice[s.gold[0] as usize];
        for t in 1..t_len {
            let (p, c) = (s.gold[t - 1] as usize, s.gold[t] as usize);
            gold_score += w.trans[p * l + c] + w.lattice[t * l + c];
        }
        // The gradient of the loss, stepped against: expected minus observed counts.
        let step = rate / self.scale;
        for t in 0..t_len {
            let rows = &s.rows[s.offs[t] as usize..s.offs[t + 1] as usize];
            for y in 0..l {
                let p = (w.alpha[t * l + y] + w.beta[t * l + y] - log_z).exp();
                let g = p - f64::from(u8::from(s.gold[t] as usize == y));
                if g.abs() < 1e-12 {
                    continue;
                }
                for &r in rows {
                    self.diff[r as usize * l + y] -= step * g;
                }
            }
        }
        for t in 1..t_len {
            for p in 0..l {
                for c in 0..l {
                    let pr = (w.alpha[(t - 1) * l + p]
                        + w.trans[p * l + c]
                        + w.lattice[t * l + c]
                        + w.beta[t * l + c]
                        - log_z)
                        .exp();
                    let gold = s.gold[t - 1] as usize == p && s.gold[t] as usize == c;
                    self.trans_diff[p * l + c] -= step * (pr - f64::from(u8::from(gold)));
                }
            }
        }
        log_z - gold_score
    }

    /// The trained weights as a model stage: keys sorted, rows whose weights are all zero left
    /// out, and added rows whose weights all stay under [`MIN_NEW_WEIGHT`].
    fn into_stage(self) -> StageData {
        let l = self.l;
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_unstable_by_key(|&r| self.keys[r]);
        let mut keys = Vec::with_capacity(order.len());
        let mut state = Vec::with_capacity(order.len() * l);
        for r in order {
            let row: Vec<f32> = (0..l).map(|y| self.state(r * l + y) as f32).collect();
            let least = if r < self.prior_rows {
                0.0
            } else {
                MIN_NEW_WEIGHT
            };
            if row.iter().any(|&w| w.abs() > least) {
                keys.push(self.keys[r]);
                state.extend(row);
            }
        }
        let trans = (0..l * l).map(|i| self.trans(i) as f32).collect();
        StageData { keys, state, trans }
    }
}

/// The smallest weight that keeps a feature the prior lacked: the corrections add a feature for
/// every word and context they hold, most of which barely move, and keeping them all would make
/// the model four times the size for no gain (models/README.md, "Continue training").
const MIN_NEW_WEIGHT: f32 = 0.01;

/// Buffers reused from sentence to sentence.
#[derive(Default)]
struct Work {
    lattice: Vec<f64>,
    trans: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + v.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

/// Fisher–Yates with xorshift64: the same order on every run.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        order.swap(i, (*state % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tagger;
    use crate::model::crf::CrfTagger;
    use crate::model::crf::train::tests::SAMPLE as NEWS;
    use crate::model::crf::train::{TrainConfig, train_docs};
    use std::path::Path;

    /// A correction the prior gets wrong: `Groeifonds` is an organisation here.
    const CORRECTION: &str = "\
Het Art O
Groeifonds N B-ORG
betaalde V O
. Punc O
";

    fn tag(model: &[u8], text: &str) -> Vec<Tag> {
        let tagger =
            CrfTagger::from_bytes_with_lexicon(model, Path::new("m"), Arc::new(Lexicon::empty()))
                .unwrap();
        let doc = crate::conll::parse(text).unwrap();
        tagger
            .tag(&doc[0].words())
            .unwrap()
            .into_iter()
            .map(|t| t.tag)
            .collect()
    }

    #[test]
    fn learns_the_correction_and_keeps_the_prior() {
        let news = crate::conll::parse(NEWS).unwrap();
        let config = TrainConfig {
            c1: 0.0,
            c2: 0.1,
            max_iterations: 50,
            chunk_tokens: 10,
            ..TrainConfig::default()
        };
        let prior = train_docs(&news, &config, &Lexicon::empty())
            .unwrap()
            .data
            .to_bytes();
        let want: Vec<Tag> = crate::conll::parse(CORRECTION).unwrap()[0].sentences[0]
            .tags
            .clone();
        assert_ne!(tag(&prior, CORRECTION), want);

        let continued = |prior_weight: f64| {
            let config = ContinueConfig {
                epochs: 20,
                prior_weight,
                learning_rate: 0.1,
                ..ContinueConfig::default()
            };
            let data = ModelData::from_bytes(&prior, Path::new("m")).unwrap();
            let mut crf = Params::new(&data.stages[0], data.labels.len());
            let docs = crate::conll::parse(CORRECTION).unwrap();
            let sentences = crf
                .add_sentences(&docs, &data.labels, &Lexicon::empty(), &config)
                .unwrap();
            crf.train(&sentences, &config);
            ModelData {
                stages: vec![crf.into_stage()],
                ..data
            }
            .to_bytes()
        };
        let model = continued(0.1);
        assert_eq!(tag(&model, CORRECTION), want);
        // What the prior knew is kept.
        assert_eq!(tag(&model, NEWS), tag(&prior, NEWS));
        // The same data and settings give the same bytes.
        assert_eq!(continued(0.1), model);
        // A strong enough pull toward the prior keeps the prior's tags.
        assert_eq!(tag(&continued(1e6), CORRECTION), tag(&prior, CORRECTION));
    }

    #[test]
    fn log_sum_exp_is_stable() {
        assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-9);
        assert_eq!(log_sum_exp(&[f64::NEG_INFINITY]), f64::NEG_INFINITY);
    }
}
