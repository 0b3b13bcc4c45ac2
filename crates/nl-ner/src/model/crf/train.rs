//! Training the CRF on CoNLL files with `crfs` (L-BFGS / OWL-QN, elastic net), then converting
//! `crfs`' model into our file format (`model::crf::format`). Scoring the model on a dev file is
//! the caller's (`nl_ner_io::score`, as `nl-ner eval` scores).
//!
//! This is the layer above the model: it reads training data through the reader it is given
//! ([`ReadDocs`]), which the model itself never does.
//!
//! Sentences are handed to `crfs` concatenated into long sequences, each sentence between
//! separator positions labelled `O` (a single separator feature). `crfs` does work proportional
//! to the number of features for every sequence it sees, so 16,000 one-sentence sequences would
//! cost hours; a few hundred long ones cost seconds. Because the separators are (almost surely)
//! `O`, the chain splits there and the model is the same sentence-level CRF, plus a learned
//! start and end transition; the tagger decodes each sentence between two separators to match.
//!
//! Training is deterministic: the same files and settings give the same model bytes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crfs::Attribute;

use crate::conll::ConllDoc;
use crate::doc::Tag;
use crate::error::{Error, Result};
use crate::error::{FormatError, invalid};
use crate::lexicon::Lexicon;
use crate::model::Tagger;
use crate::model::crf::CrfTagger;
use crate::model::crf::features::{self, FeatureBuf};
use crate::model::crf::format::{ModelData, StageData};

/// What to train on and how.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// CoNLL training files (word first, IOB2 tag last; other columns are ignored).
    pub train: Vec<PathBuf>,
    /// Where to write the model.
    pub output: PathBuf,
    /// L1 penalty (OWL-QN); it sets most weights to zero, which keeps the model small.
    pub c1: f64,
    /// L2 penalty.
    pub c2: f64,
    /// Upper bound on L-BFGS iterations.
    pub max_iterations: usize,
    /// The lexicon file; `None` uses the one compiled into the binary.
    pub lexicon: Option<PathBuf>,
    /// Tokens per sequence handed to `crfs` (see the module docs); affects speed, not the model's
    /// meaning.
    pub chunk_tokens: usize,
    /// Train a stacked model: a second CRF that reads the first one's tags for the document.
    pub stacked: bool,
    /// Folds for the first stage's jackknifed tags on the training data (stacked models).
    pub folds: usize,
    /// L-BFGS iterations for each fold's model (stacked models).
    pub fold_iterations: usize,
    /// Print `crfs`' progress.
    pub verbose: bool,
}

impl Default for TrainConfig {
    /// The settings of the shipped model.
    fn default() -> Self {
        TrainConfig {
            train: vec![PathBuf::from("data/conll2002-nl/ned.train")],
            output: PathBuf::from("models/nl-ner-crf.model"),
            c1: 0.01,
            c2: 0.01,
            max_iterations: 300,
            lexicon: None,
            chunk_tokens: 20_000,
            stacked: false,
            folds: 4,
            fold_iterations: 150,
            verbose: false,
        }
    }
}

/// What a training run did.
#[derive(Clone, Debug)]
pub struct TrainReport {
    /// Training sentences and tokens.
    pub sentences: usize,
    /// Training tokens.
    pub tokens: usize,
    /// Distinct attributes (hashed feature values) seen in training, the sequence separator
    /// included (summed over the stages of a stacked model).
    pub attributes: usize,
    /// Feature rows kept in the model (those with a non-zero weight).
    pub rows: usize,
    /// Size of the written model file in bytes.
    pub model_bytes: usize,
    /// Seconds spent in `crfs`' optimiser.
    pub train_seconds: f64,
}

/// Reads one training or dev file (CoNLL or JSONL gold) as documents of tagged sentences: the
/// I/O layer's reader (`nl_ner_io::gold::read_as_conll`), passed in so that the trainer knows
/// which files it trains on but not how they are read.
pub type ReadDocs<'a> = &'a dyn Fn(&Path) -> Result<Vec<ConllDoc>>;

/// Trains a model as configured and writes it to `config.output`, reading the files with `read`.
pub fn train(config: &TrainConfig, read: ReadDocs<'_>) -> Result<TrainReport> {
    if config.train.is_empty() {
        return Err(Error::Data {
            path: PathBuf::from("<train>"),
            line: 0,
            reason: "no training file given".into(),
        });
    }
    let _lock = lock_output(&config.output)?;
    let lexicon = match &config.lexicon {
        Some(p) => Arc::new(Lexicon::load(p)?),
        None => Lexicon::embedded()?,
    };
    let docs = read_training_files(&config.train, read)?;
    let model = train_docs(&docs, config, &lexicon)?;
    let bytes = model.data.to_bytes();
    write_atomically(&config.output, &bytes)?;
    Ok(TrainReport {
        sentences: model.sentences,
        tokens: model.tokens,
        attributes: model.attributes,
        rows: model.rows,
        model_bytes: bytes.len(),
        train_seconds: model.seconds,
    })
}

/// The one output lock, held from before training to the model's rename: a second run on the
/// same model file fails at once instead of training for nothing. Creates the folder.
pub(crate) fn lock_output(output: &Path) -> Result<Option<crate::files::OutputLock>> {
    if crate::files::is_special(output) {
        return Ok(None);
    }
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(Some(crate::files::OutputLock::take(output)?))
}

/// Reads training files with `read` in order; a file without a sentence is an error.
pub(crate) fn read_training_files(paths: &[PathBuf], read: ReadDocs<'_>) -> Result<Vec<ConllDoc>> {
    let mut docs = Vec::new();
    for path in paths {
        let d = read(path)?;
        if d.is_empty() {
            return Err(Error::Data {
                path: path.clone(),
                line: 0,
                reason: "no sentences".into(),
            });
        }
        docs.extend(d);
    }
    Ok(docs)
}

/// Tags CoNLL documents and scores them against their gold tags (strict, entity level): the
/// tests' check that a model learnt its sample.
#[cfg(test)]
fn evaluate_conll(tagger: &dyn Tagger, docs: &[ConllDoc]) -> Result<crate::score::Scores> {
    use crate::score::Evaluator;
    let mut eval = Evaluator::new();
    for doc in docs {
        let words = doc.words();
        let tags = tagger.tag(&words)?;
        for (sent, range) in doc.sentences.iter().zip(&words.sentences) {
            let pred: Vec<Tag> = tags[range.clone()].iter().map(|t| t.tag).collect();
            eval.add_tags(&sent.tags, &pred);
        }
    }
    Ok(eval.scores())
}

/// A trained model before it is written.
pub(crate) struct Trained {
    pub data: ModelData,
    sentences: usize,
    tokens: usize,
    attributes: usize,
    rows: usize,
    seconds: f64,
}

/// Trains on documents already read: one CRF, or for a stacked model a first CRF, `folds`
/// jackknifed copies of it that tag the part of the data they did not see, and a second CRF
/// trained on those honest first-stage tags.
pub(crate) fn train_docs(
    docs: &[ConllDoc],
    config: &TrainConfig,
    lexicon: &Lexicon,
) -> Result<Trained> {
    let all: Vec<&ConllDoc> = docs.iter().collect();
    let first = train_stage(&all, None, config, lexicon, config.max_iterations)?;
    let (sentences, tokens, mut attributes, mut seconds) = (
        first.sentences,
        first.tokens,
        first.attributes,
        first.seconds,
    );
    let labels = first.labels.clone();
    let mut stages = vec![first.stage];
    if config.stacked {
        let folds = config.folds.clamp(2, docs.len().max(2));
        let mut preds: Vec<Vec<Tag>> = vec![Vec::new(); docs.len()];
        for k in 0..folds {
            let train_part: Vec<&ConllDoc> = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds != k)
                .map(|(_, d)| d)
                .collect();
            let m = train_stage(&train_part, None, config, lexicon, config.fold_iterations)?;
            seconds += m.seconds;
            let data = ModelData {
                feature_config: features::feature_config_hash(),
                lexicon_fingerprint: lexicon.fingerprint(),
                labels: m.labels,
                stages: vec![m.stage],
            };
            let tagger = CrfTagger::from_data(data, &config.output, Arc::new(lexicon.clone()))?;
            for (i, doc) in docs.iter().enumerate().filter(|(i, _)| i % folds == k) {
                preds[i] = tagger
                    .tag(&doc.words())?
                    .into_iter()
                    .map(|t| t.tag)
                    .collect();
            }
        }
        let second = train_stage(&all, Some(&preds), config, lexicon, config.max_iterations)?;
        seconds += second.seconds;
        // Rows are counted over both stages; so are attributes.
        attributes += second.attributes;
        stages.push(reorder(second.stage, &second.labels, &labels));
    }
    let data = ModelData {
        feature_config: features::feature_config_hash(),
        lexicon_fingerprint: lexicon.fingerprint(),
        labels,
        stages,
    };
    let rows = data.stages.iter().map(|s| s.keys.len()).sum();
    Ok(Trained {
        data,
        sentences,
        tokens,
        attributes,
        rows,
        seconds,
    })
}

/// Puts a stage's weight columns into the order of `to` (labels missing from `from` get 0).
fn reorder(stage: StageData, from: &[Tag], to: &[Tag]) -> StageData {
    if from == to {
        return stage;
    }
    let (lf, lt) = (from.len(), to.len());
    let idx: Vec<Option<usize>> = to
        .iter()
        .map(|t| from.iter().position(|f| f == t))
        .collect();
    let mut state = Vec::with_capacity(stage.keys.len() * lt);
    for r in 0..stage.keys.len() {
        state.extend(
            idx.iter()
                .map(|i| i.map_or(0.0, |i| stage.state[r * lf + i])),
        );
    }
    let mut trans = vec![0.0; lt * lt];
    for (p, ip) in idx.iter().enumerate() {
        for (c, ic) in idx.iter().enumerate() {
            if let (Some(ip), Some(ic)) = (ip, ic) {
                trans[p * lt + c] = stage.trans[ip * lf + ic];
            }
        }
    }
    StageData {
        keys: stage.keys,
        state,
        trans,
    }
}

/// One trained CRF and what went into it.
struct StageResult {
    labels: Vec<Tag>,
    stage: StageData,
    sentences: usize,
    tokens: usize,
    attributes: usize,
    seconds: f64,
}

/// Trains one CRF with `crfs`; with `preds` (first-stage tags per document) it is a second
/// stage and also reads the stacked features.
fn train_stage(
    docs: &[&ConllDoc],
    preds: Option<&[Vec<Tag>]>,
    config: &TrainConfig,
    lexicon: &Lexicon,
    max_iterations: usize,
) -> Result<StageResult> {
    let crfs_err = |source: std::io::Error| Error::Trainer {
        path: config.output.clone(),
        source,
    };
    let mut trainer = crfs::Trainer::lbfgs();
    trainer.verbose(config.verbose);
    let params = trainer.params_mut();
    params.set_c1(config.c1).map_err(crfs_err)?;
    params.set_c2(config.c2).map_err(crfs_err)?;
    params
        .set_max_iterations(max_iterations.max(1))
        .map_err(crfs_err)?;

    let sep = Attribute::new(format!("{:016x}", features::sep_feature()), 1.0);
    let mut buf = FeatureBuf::default();
    let mut xseq: Vec<Vec<Attribute>> = Vec::new();
    let mut yseq: Vec<String> = Vec::new();
    let (mut sentences, mut tokens) = (0, 0);
    // Every attribute handed to `crfs`, the separator included, so that rows kept <= attributes.
    let mut seen = std::collections::HashSet::from([features::sep_feature()]);
    for (d, doc) in docs.iter().enumerate() {
        let words = doc.words();
        features::extract_doc(&words.words, &words.sentences, lexicon, &mut buf);
        if let Some(preds) = preds {
            buf.extract_stacked(&words.sentences, &preds[d]);
        }
        for (sent, range) in doc.sentences.iter().zip(&words.sentences) {
            if xseq.is_empty() {
                xseq.push(vec![sep.clone()]);
                yseq.push("O".into());
            }
            for (j, tag) in range.clone().zip(&sent.tags) {
                let extra: &[u64] = if preds.is_some() { buf.token2(j) } else { &[] };
                let attrs: Vec<Attribute> = buf
                    .all(j)
                    .chain(extra)
                    .map(|h| {
                        seen.insert(*h);
                        Attribute::new(format!("{h:016x}"), 1.0)
                    })
                    .collect();
                xseq.push(attrs);
                yseq.push(tag.to_string());
            }
            xseq.push(vec![sep.clone()]);
            yseq.push("O".into());
            sentences += 1;
            tokens += range.len();
            if xseq.len() >= config.chunk_tokens {
                trainer.append(&xseq, &yseq).map_err(crfs_err)?;
                xseq.clear();
                yseq.clear();
            }
        }
    }
    if !xseq.is_empty() {
        trainer.append(&xseq, &yseq).map_err(crfs_err)?;
    }
    drop((xseq, yseq));

    let tmp = tempfile::NamedTempFile::new().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let started = Instant::now();
    trainer.train(tmp.path()).map_err(crfs_err)?;
    let seconds = started.elapsed().as_secs_f64();
    let raw = std::fs::read(tmp.path()).map_err(|e| Error::io(tmp.path(), e))?;
    let (labels, stage) = convert_crfs(&raw).map_err(|e| Error::ModelFormat {
        path: config.output.clone(),
        what: "converting the crfs model".into(),
        source: Box::new(e),
    })?;
    Ok(StageResult {
        labels,
        stage,
        sentences,
        tokens,
        attributes: seen.len(),
        seconds,
    })
}

/// Converts a CRFsuite-format model (as `crfs` writes it) into our format.
///
/// The features chunk sits at the header's `off_features` (byte 28): a 12-byte chunk header
/// (`FEAT`, size, count), then 20 bytes per feature: type u32 (0 state, 1 transition),
/// source u32 (attribute or previous label), target u32 (label), weight f64.
fn convert_crfs(raw: &[u8]) -> std::result::Result<(Vec<Tag>, StageData), FormatError> {
    let (model, features) = crfs_features(raw)?;
    let n_labels = model.num_labels() as usize;
    let mut labels = Vec::with_capacity(n_labels);
    for i in 0..n_labels {
        let name = model
            .to_label(i as u32)
            .ok_or_else(|| format!("label {i} missing"))?;
        labels.push(name.parse::<Tag>().map_err(|e| FormatError::parse("", e))?);
    }
    let mut rows: std::collections::BTreeMap<u64, Vec<f32>> = std::collections::BTreeMap::new();
    let mut trans = vec![0f32; n_labels * n_labels];
    for (i, f) in features.iter().enumerate() {
        match f.kind {
            0 => {
                let name = model
                    .to_attr(f.source)
                    .ok_or_else(|| format!("attribute {} missing", f.source))?;
                let key = u64::from_str_radix(name, 16)
                    .map_err(|_| format!("attribute `{name}` is not a hash"))?;
                rows.entry(key).or_insert_with(|| vec![0.0; n_labels])[f.target as usize] =
                    f.weight as f32;
            }
            1 if (f.source as usize) < n_labels => {
                trans[f.source as usize * n_labels + f.target as usize] = f.weight as f32
            }
            kind => {
                return Err(invalid!(
                    "feature {i} has type {kind} / source {}",
                    f.source
                ));
            }
        }
    }
    rows.retain(|_, ws| ws.iter().any(|&w| w != 0.0));
    let keys: Vec<u64> = rows.keys().copied().collect();
    let state: Vec<f32> = rows.into_values().flatten().collect();
    Ok((labels, StageData { keys, state, trans }))
}

/// One feature of a `crfs` model: `kind` 0 is a state feature (attribute `source`, label
/// `target`), 1 a transition (label `source` to label `target`).
pub(crate) struct CrfsFeature {
    pub kind: u32,
    pub source: u32,
    pub target: u32,
    pub weight: f64,
}

/// The model `crfs` wrote and its features, read from the features chunk at the header's
/// `off_features` (byte 28): a 12-byte chunk header (`FEAT`, size, count), then 20 bytes per
/// feature: type u32, source u32, target u32, weight f64. Every target is checked to be a label.
pub(crate) fn crfs_features(
    raw: &[u8],
) -> std::result::Result<(crfs::Model<'_>, Vec<CrfsFeature>), FormatError> {
    let model = crfs::Model::new(raw).map_err(|e| FormatError::parse("", e))?;
    let u32_at = |off: usize| -> std::result::Result<u32, FormatError> {
        raw.get(off..off + 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
            .ok_or_else(|| invalid!("truncated at byte {off}"))
    };
    let n_labels = model.num_labels();
    let off = u32_at(28)? as usize;
    if raw.get(off..off + 4) != Some(b"FEAT".as_slice()) {
        return Err("no FEAT chunk at off_features".into());
    }
    let n_features = u32_at(off + 8)? as usize;
    let mut out = Vec::with_capacity(n_features);
    for i in 0..n_features {
        let at = off + 12 + 20 * i;
        let (kind, source, target) = (u32_at(at)?, u32_at(at + 4)?, u32_at(at + 8)?);
        let weight = raw
            .get(at + 12..at + 20)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
            .ok_or("truncated feature")?;
        if target >= n_labels {
            return Err(invalid!("feature {i} targets label {target} of {n_labels}"));
        }
        out.push(CrfsFeature {
            kind,
            source,
            target,
            weight,
        });
    }
    Ok((model, out))
}

/// Writes the model atomically (a temporary file beside `path`, renamed over it), so a reader
/// never sees a half-written model. Creates the folder.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if crate::files::is_special(path) {
        // A device or a pipe is written through: a rename would replace it.
        return std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, bytes))
            .map_err(|source| Error::Output {
                path: path.to_path_buf(),
                source,
            });
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let output = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(output)?;
    // A temporary file is private (0600); a model is an ordinary file others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    std::io::Write::write_all(&mut tmp, bytes).map_err(output)?;
    tmp.persist(path).map_err(|e| output(e.error))?;
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Two documents of CoNLL-2002-style news (the continued model's prior too, `warm.rs`).
    pub(in crate::model::crf) const SAMPLE: &str = "\
-DOCSTART- -DOCSTART- O
De Art O
minister N O
Guy N B-PER
Verhofstadt N I-PER
bezocht V O
Antwerpen N B-LOC
. Punc O

De Art O
NAVO N B-ORG
vergaderde V O
in Prep O
Brussel N B-LOC
. Punc O

Verhofstadt N B-PER
sprak V O
met Prep O
de Art O
NAVO N B-ORG
. Punc O

-DOCSTART- -DOCSTART- O
Jan N B-PER
Peeters N I-PER
woont V O
in Prep O
Gent N B-LOC
. Punc O

Het Art O
Belgische Adj B-MISC
leger N O
kwam V O
naar Prep O
Gent N B-LOC
. Punc O
";

    #[test]
    fn tiny_training_run_round_trips_and_learns_the_sample() {
        let docs = crate::conll::parse(SAMPLE).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let config = TrainConfig {
            train: vec![],
            output: dir.path().join("tiny.model"),
            c1: 0.0,
            c2: 0.1,
            max_iterations: 50,
            chunk_tokens: 10,
            ..TrainConfig::default()
        };
        let lexicon = Lexicon::empty();
        let trained = train_docs(&docs, &config, &lexicon).unwrap();
        assert!(trained.rows > 50);
        assert!(
            trained.rows <= trained.attributes,
            "{} of {} features kept",
            trained.rows,
            trained.attributes
        );
        let bytes = trained.data.to_bytes();
        // The same data and settings give the same bytes.
        assert_eq!(
            train_docs(&docs, &config, &lexicon)
                .unwrap()
                .data
                .to_bytes(),
            bytes
        );

        let tagger =
            CrfTagger::from_bytes_with_lexicon(&bytes, &config.output, Arc::new(Lexicon::empty()))
                .unwrap();
        let scores = evaluate_conll(&tagger, &docs).unwrap();
        assert!(scores.micro.f1() > 99.0, "{scores}");
        // Written and read back, the model tags the same.
        write_atomically(&config.output, &bytes).unwrap();
        let again = CrfTagger::from_bytes_with_lexicon(
            &std::fs::read(&config.output).unwrap(),
            &config.output,
            Arc::new(Lexicon::empty()),
        )
        .unwrap();
        let words = docs[0].words();
        assert_eq!(tagger.tag(&words).unwrap(), again.tag(&words).unwrap());
        // A model trained without a lexicon does not load with one.
        let err = CrfTagger::from_bytes(&bytes, &config.output).unwrap_err();
        assert!(err.to_string().contains("lexicon"), "{err}");
    }

    #[test]
    fn tiny_stacked_training_run() {
        let docs = crate::conll::parse(SAMPLE).unwrap();
        let config = TrainConfig {
            c1: 0.0,
            c2: 0.1,
            max_iterations: 50,
            fold_iterations: 20,
            stacked: true,
            chunk_tokens: 1000,
            ..TrainConfig::default()
        };
        let trained = train_docs(&docs, &config, &Lexicon::empty()).unwrap();
        assert_eq!(trained.data.stages.len(), 2);
        let bytes = trained.data.to_bytes();
        let tagger =
            CrfTagger::from_bytes_with_lexicon(&bytes, Path::new("m"), Arc::new(Lexicon::empty()))
                .unwrap();
        assert!(tagger.is_stacked());
        let scores = evaluate_conll(&tagger, &docs).unwrap();
        assert!(scores.micro.f1() > 99.0, "{scores}");
    }

    #[test]
    fn reorder_moves_columns() {
        let (o, b) = (Tag::O, Tag::B(crate::doc::Label::Loc));
        let stage = StageData {
            keys: vec![1],
            state: vec![1.0, 2.0],
            trans: vec![1.0, 2.0, 3.0, 4.0],
        };
        let r = reorder(stage, &[o, b], &[b, o]);
        assert_eq!(r.state, vec![2.0, 1.0]);
        assert_eq!(r.trans, vec![4.0, 3.0, 2.0, 1.0]);
    }

    #[test]
    fn feature_config_mismatch_is_rejected() {
        let docs = crate::conll::parse(SAMPLE).unwrap();
        let config = TrainConfig {
            max_iterations: 5,
            chunk_tokens: 1000,
            ..TrainConfig::default()
        };
        let mut data = train_docs(&docs, &config, &Lexicon::empty()).unwrap().data;
        data.feature_config ^= 1;
        let err = CrfTagger::from_bytes_with_lexicon(
            &data.to_bytes(),
            Path::new("m"),
            Arc::new(Lexicon::empty()),
        )
        .unwrap_err();
        assert!(err.to_string().contains("feature templates"), "{err}");
    }
}
