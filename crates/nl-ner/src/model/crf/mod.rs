//! The default model: a linear-chain CRF over hand-built, hashed features.
//!
//! [`features`] and [`decode`] are public so that `benches/tagger.rs` can time them alone.
//!
//! - [`features`]: what the model looks at (word, affixes, shape, cue words, lexicon, document);
//!   every feature is a 64-bit hash, so tagging builds no strings.
//! - [`train()`]: trains with the `crfs` crate (L-BFGS, elastic net) on CoNLL files and converts
//!   the result into our own file format ([`format`]).
//! - [`warm`]: continues a trained model on new gold data (a warm start from its weights).
//! - [`CrfTagger`]: loads that file and tags with Viterbi; each tag's score is its marginal
//!   probability from forward–backward.
//!
//! The shipped model (`models/nl-ner-crf.model`, see `models/README.md`) is compiled into the
//! binary: [`CrfTagger::embedded`].

pub mod clusters;
pub mod decode;
pub mod features;
pub(crate) mod format;
pub mod heads;
#[cfg(feature = "train")]
pub mod train;
#[cfg(feature = "train")]
pub mod warm;

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use self::decode::{DecodeBuf, ExpTrans};
use self::features::FeatureBuf;
use self::format::ModelData;
use crate::doc::Words;
use crate::doc::{Label, Tag};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::model::{Tagger, TokenTag};

/// The shipped model's bytes.
static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../../../models/nl-ner-crf.model");

/// The transition score that rules out an IOB2-invalid pair (`O` → `I-X`, `B-Y` → `I-X`).
///
/// Finite rather than `-inf`, so that forward–backward stays free of NaNs.
const FORBIDDEN: f32 = -1.0e4;

/// A trained CRF tagger. Cheap to share between threads (`Send + Sync`); each thread decodes
/// with its own reusable buffers.
///
/// A stacked model has two CRFs: the second sees the first one's tags for the whole document
/// (see `model::crf::features`) and gives the final tags and scores.
#[derive(Debug)]
pub struct CrfTagger {
    /// The IOB tags, in the order of the weight columns.
    tags: Vec<Tag>,
    /// The entity labels among `tags`, in first-seen order.
    labels: Vec<Label>,
    /// One or two CRFs.
    stages: Vec<Stage>,
    lexicon: Arc<Lexicon>,
}

/// The weights of one CRF, ready for lookup.
#[derive(Debug)]
struct Stage {
    /// State weights by feature.
    table: WeightTable,
    /// `L × L` transition weights with IOB2-invalid pairs forbidden.
    trans: Vec<f32>,
    /// The same, ready for forward–backward.
    exp_trans: ExpTrans,
    /// State weights of the sentence-separator feature, if the model has one.
    sep: Option<Vec<f32>>,
}

impl CrfTagger {
    /// Loads a model file, with the lexicon compiled into the binary.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::ModelRead {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses a model from bytes; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Self> {
        Self::from_bytes_with_lexicon(bytes, origin, Lexicon::embedded()?)
    }

    /// The model shipped in `models/nl-ner-crf.model`, compiled into the binary.
    pub fn embedded() -> Result<Self> {
        Self::from_bytes(
            EMBEDDED_MODEL,
            Path::new("<embedded models/nl-ner-crf.model>"),
        )
    }

    /// The bytes of the shipped model (`train` refuses to overwrite a file that holds them).
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_MODEL
    }

    /// Parses a model that was trained with another lexicon than the embedded one.
    pub fn from_bytes_with_lexicon(
        bytes: &[u8],
        origin: &Path,
        lexicon: Arc<Lexicon>,
    ) -> Result<Self> {
        let data = ModelData::from_bytes(bytes, origin)?;
        Self::from_data(data, origin, lexicon)
    }

    pub(crate) fn from_data(data: ModelData, origin: &Path, lexicon: Arc<Lexicon>) -> Result<Self> {
        let bad = |reason: String| Error::Model {
            path: origin.to_path_buf(),
            reason,
        };
        if data.feature_config != features::feature_config_hash() {
            return Err(bad(format!(
                "trained with other feature templates (config {:016x}, this build has {:016x}: {}); retrain it",
                data.feature_config,
                features::feature_config_hash(),
                features::FEATURE_CONFIG
            )));
        }
        if data.lexicon_fingerprint != lexicon.fingerprint() {
            return Err(bad(format!(
                "trained with another lexicon (fingerprint {:016x}, the lexicon given has {:016x}); retrain it",
                data.lexicon_fingerprint,
                lexicon.fingerprint()
            )));
        }
        let l = data.labels.len();
        let mut labels = Vec::new();
        for tag in &data.labels {
            if let Some(label) = tag.label()
                && !labels.contains(&label)
            {
                labels.push(label);
            }
        }
        let mut stages = Vec::with_capacity(data.stages.len());
        for stage in data.stages {
            let mut trans = stage.trans;
            for (p, prev) in data.labels.iter().enumerate() {
                for (c, cur) in data.labels.iter().enumerate() {
                    if let Tag::I(x) = cur
                        && prev.label() != Some(*x)
                    {
                        trans[p * l + c] = FORBIDDEN;
                    }
                }
            }
            let table = WeightTable::new(&stage.keys, &stage.state, l);
            let sep = table.get(features::sep_feature());
            let exp_trans = ExpTrans::new(&trans, l);
            stages.push(Stage {
                table,
                trans,
                exp_trans,
                sep,
            });
        }
        Ok(CrfTagger {
            tags: data.labels,
            labels,
            stages,
            lexicon,
        })
    }

    /// The IOB tags the model scores, in its internal order.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// Number of feature rows in the weight tables (all stages).
    pub fn num_features(&self) -> usize {
        self.stages.iter().map(|s| s.table.len).sum()
    }

    /// Whether the model is stacked (two CRFs).
    pub fn is_stacked(&self) -> bool {
        self.stages.len() > 1
    }

    /// Tags one document with this thread's buffers.
    fn tag_with(&self, doc: &Words<'_>, s: &mut Scratch, scores: Scores) -> Result<Vec<TokenTag>> {
        check_words(doc)?;
        features::extract_doc(&doc.words, &doc.sentences, &self.lexicon, &mut s.feats);
        self.tag_stage(0, doc, s, false, scores);
        for k in 1..self.stages.len() {
            s.feats.extract_stacked(&doc.sentences, &s.pred);
            self.tag_stage(k, doc, s, true, scores);
        }
        Ok(std::mem::take(&mut s.out))
    }

    /// Tags one document with this thread's buffers (fresh ones if tagging re-entered itself
    /// on this thread).
    fn tag_scored(&self, doc: &Words<'_>, scores: Scores) -> Result<Vec<TokenTag>> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.tag_with(doc, &mut s, scores),
            Err(_) => self.tag_with(doc, &mut Scratch::default(), scores),
        })
    }

    /// Runs stage `k` over every sentence: its tags go to `s.pred`, and the last stage's tags
    /// and marginals to `s.out`.
    fn tag_stage(&self, k: usize, doc: &Words<'_>, s: &mut Scratch, stacked: bool, scores: Scores) {
        let l = self.tags.len();
        let stage = &self.stages[k];
        let last = k + 1 == self.stages.len();
        s.pred.clear();
        s.out.clear();
        // The weights of each distinct word's own features, summed once for the document.
        s.word_sums.clear();
        s.word_sums.resize(s.feats.num_words() * l, 0.0);
        for (d, sums) in s.word_sums.chunks_exact_mut(l).enumerate() {
            for &h in s.feats.word(d) {
                stage.table.add_to(h, sums);
            }
        }
        for sent in &doc.sentences {
            if sent.is_empty() {
                continue;
            }
            // The sentence is decoded between two separator positions, as it was trained.
            let t_len = sent.len() + 2;
            s.lattice.clear();
            s.lattice.resize(t_len * l, 0.0);
            if let Some(w) = &stage.sep {
                s.lattice[..l].copy_from_slice(w);
                s.lattice[(t_len - 1) * l..].copy_from_slice(w);
            }
            for (i, j) in sent.clone().enumerate() {
                let dst = &mut s.lattice[(i + 1) * l..(i + 2) * l];
                let d = s.feats.word_of[j] as usize;
                dst.copy_from_slice(&s.word_sums[d * l..(d + 1) * l]);
                let extra: &[u64] = if stacked { s.feats.token2(j) } else { &[] };
                for &h in s.feats.token(j).iter().chain(extra) {
                    stage.table.add_to(h, dst);
                }
            }
            decode::viterbi(&s.lattice, &stage.trans, l, &mut s.decode, &mut s.path);
            s.pred
                .extend(s.path[1..t_len - 1].iter().map(|&y| self.tags[y as usize]));
            if last {
                let need = match scores {
                    Scores::All => 1..t_len - 1,
                    // From the first word in an entity to the last; nothing if the sentence has
                    // no entity.
                    Scores::Entities => {
                        let words = &s.path[1..t_len - 1];
                        let in_entity = |y: &u8| self.tags[*y as usize] != Tag::O;
                        match (
                            words.iter().position(in_entity),
                            words.iter().rposition(in_entity),
                        ) {
                            (Some(first), Some(last)) => first + 1..last + 2,
                            _ => 0..0,
                        }
                    }
                };
                decode::marginals_in(
                    &s.lattice,
                    &stage.exp_trans,
                    &mut s.decode,
                    &mut s.marg,
                    need,
                );
                for t in 1..t_len - 1 {
                    let y = s.path[t] as usize;
                    s.out.push(TokenTag {
                        tag: self.tags[y],
                        score: s.marg[t * l + y].clamp(0.0, 1.0),
                    });
                }
            }
        }
    }
}

/// Checks that the sentences tile the words in order, as [`Words`] promises.
fn check_words(doc: &Words<'_>) -> Result<()> {
    let mut at = 0;
    for s in &doc.sentences {
        if s.start != at || s.end < s.start {
            return Err(Error::BadInput {
                input: "<tagger input>".into(),
                reason: format!("sentence {s:?} does not continue at word {at}"),
            });
        }
        at = s.end;
    }
    if at != doc.words.len() {
        return Err(Error::BadInput {
            input: "<tagger input>".into(),
            reason: format!("sentences cover {at} of {} words", doc.words.len()),
        });
    }
    Ok(())
}

/// Which words need a score (a marginal, which costs a forward–backward pass).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scores {
    /// Every word.
    All,
    /// The words tagged `B-`/`I-`: forward–backward runs over the stretch of each sentence from
    /// its first such word to its last, and not at all over a sentence without one; other words
    /// get score 0.
    Entities,
}

/// One thread's reusable buffers.
#[derive(Default)]
struct Scratch {
    feats: FeatureBuf,
    decode: DecodeBuf,
    lattice: Vec<f32>,
    /// Summed weights of each distinct word's own features (`words × labels`).
    word_sums: Vec<f32>,
    path: Vec<u8>,
    marg: Vec<f32>,
    /// The current stage's tags for the whole document.
    pred: Vec<Tag>,
    /// The final tags and scores.
    out: Vec<TokenTag>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Tagger for CrfTagger {
    fn name(&self) -> &str {
        "crf"
    }

    fn labels(&self) -> &[Label] {
        &self.labels
    }

    fn tag(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
        self.tag_scored(doc, Scores::All)
    }

    fn tag_for_entities(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
        self.tag_scored(doc, Scores::Entities)
    }
}

/// The state weights of one CRF, keyed by feature hash, laid out for lookup speed.
///
/// Lookup is most of the tagger's time (every token has some 60 features), and it is bound by
/// memory latency, not arithmetic. So: open addressing with linear probing over a dense key
/// array (8 keys to a cache line; 512 KiB for the shipped model, which stays in L2), and each
/// slot's weights in a 64-byte-aligned row *at the slot's own index*, not behind a row number:
/// the row's address is known as soon as the key matches, so the two loads do not wait on each
/// other, and a row of up to 16 labels is exactly one cache line. The home slot comes from the
/// hash's high bits (the low bit of every feature hash is 1). Key 0 marks an empty slot.
#[derive(Debug)]
struct WeightTable {
    keys: Vec<u64>,
    /// `lines_per_row` lines per slot; a row's first `labels` floats are its weights.
    rows: Vec<Line>,
    lines_per_row: usize,
    labels: usize,
    shift: u32,
    mask: usize,
    len: usize,
}

/// 16 weights on one 64-byte cache line.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
struct Line([f32; 16]);

/// Fill at most this share of the slots (linear probing gets slow beyond about 0.7).
const MAX_LOAD: f64 = 0.6;

impl WeightTable {
    /// Builds the table from the model file's keys and `keys.len() × labels` state weights.
    fn new(keys: &[u64], state: &[f32], labels: usize) -> Self {
        debug_assert_eq!(state.len(), keys.len() * labels);
        let cap = ((keys.len() as f64 / MAX_LOAD).ceil() as usize)
            .next_power_of_two()
            .max(16);
        let lines_per_row = labels.div_ceil(16).max(1);
        let mut table = WeightTable {
            keys: vec![0; cap],
            rows: vec![Line::default(); cap * lines_per_row],
            lines_per_row,
            labels,
            shift: 64 - cap.trailing_zeros(),
            mask: cap - 1,
            len: keys.len(),
        };
        for (r, &k) in keys.iter().enumerate() {
            let mut i = table.home(k);
            while table.keys[i] != 0 {
                i = (i + 1) & table.mask;
            }
            table.keys[i] = k;
            let weights = &state[r * labels..(r + 1) * labels];
            for (n, chunk) in weights.chunks(16).enumerate() {
                table.rows[i * lines_per_row + n].0[..chunk.len()].copy_from_slice(chunk);
            }
        }
        table
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        (key >> self.shift) as usize & self.mask
    }

    /// The slot holding `key`, if the model has that feature.
    #[inline]
    fn slot(&self, key: u64) -> Option<usize> {
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(i);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds the weights of feature `key` (if the model has it) to `dst`, one per label.
    #[inline]
    fn add_to(&self, key: u64, dst: &mut [f32]) {
        let Some(i) = self.slot(key) else { return };
        if self.lines_per_row == 1 {
            for (d, w) in dst.iter_mut().zip(&self.rows[i].0[..self.labels]) {
                *d += w;
            }
        } else {
            let lines = &self.rows[i * self.lines_per_row..(i + 1) * self.lines_per_row];
            for (d, w) in dst
                .iter_mut()
                .zip(lines.iter().flat_map(|line| line.0.iter()))
            {
                *d += w;
            }
        }
    }

    /// The weights of feature `key`, if the model has it.
    fn get(&self, key: u64) -> Option<Vec<f32>> {
        let i = self.slot(key)?;
        let lines = &self.rows[i * self.lines_per_row..(i + 1) * self.lines_per_row];
        Some(
            lines
                .iter()
                .flat_map(|line| line.0.iter().copied())
                .take(self.labels)
                .collect(),
        )
    }
}

#[cfg(test)]
// A document of one sentence is a list holding one range, not a range to collect.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn weight_table_finds_every_key_and_misses_others() {
        for labels in [1, 11, 16, 17, 40] {
            let mut keys: Vec<u64> = (1..1000u64)
                .map(|i| crate::lexicon::word_hash(&i.to_le_bytes()) | 1)
                .collect();
            keys.sort_unstable();
            let state: Vec<f32> = (0..keys.len() * labels)
                .map(|i| i as f32 * 0.25 - 7.0)
                .collect();
            let t = WeightTable::new(&keys, &state, labels);
            for (r, &k) in keys.iter().enumerate() {
                let want = &state[r * labels..(r + 1) * labels];
                assert_eq!(t.get(k).as_deref(), Some(want));
                let mut sum = vec![1.0; labels];
                t.add_to(k, &mut sum);
                assert!(
                    sum.iter().zip(want).all(|(s, w)| *s == 1.0 + w),
                    "labels {labels}, row {r}"
                );
            }
            assert_eq!(t.get(3), None);
            let mut untouched = vec![1.0; labels];
            t.add_to(3, &mut untouched);
            assert!(untouched.iter().all(|&x| x == 1.0));
        }
    }

    #[test]
    fn scores_for_entities_are_those_of_full_tagging() {
        let tagger = CrfTagger::embedded().unwrap();
        let text = "Het regent vandaag . Premier Guy Verhofstadt bezocht gisteren Antwerpen . Dat was het .";
        let words: Vec<&str> = text.split(' ').collect();
        let doc = Words {
            words,
            sentences: vec![0..4, 4..11, 11..15],
        };
        let all = tagger.tag(&doc).unwrap();
        let some = tagger.tag_for_entities(&doc).unwrap();
        assert_eq!(all.len(), some.len());
        assert!(
            all.iter().any(|t| t.tag != Tag::O),
            "the model finds no entity: {all:?}"
        );
        for (a, s) in all.iter().zip(&some) {
            assert_eq!(a.tag, s.tag);
            if a.tag != Tag::O {
                assert_eq!(a.score.to_bits(), s.score.to_bits());
            }
        }
        // The first sentence has no entity, so no score of it was computed.
        assert!(all[..4].iter().all(|t| t.tag == Tag::O), "{all:?}");
        assert!(some[..4].iter().all(|t| t.score == 0.0));
        assert!(all[..4].iter().all(|t| t.score > 0.5));
    }

    #[test]
    fn embedded_model_loads_and_tags() {
        let tagger = CrfTagger::embedded().unwrap();
        assert!(tagger.labels().contains(&Label::Per));
        let words = Words {
            words: vec![
                "Premier",
                "Guy",
                "Verhofstadt",
                "bezocht",
                "gisteren",
                "Antwerpen",
                ".",
            ],
            sentences: vec![0..7],
        };
        let tags = tagger.tag(&words).unwrap();
        assert_eq!(tags.len(), 7);
        assert!(tags.iter().all(|t| (0.0..=1.0).contains(&t.score)));
    }

    #[test]
    fn rejects_sentences_that_do_not_tile_the_words() {
        let tagger = CrfTagger::embedded().unwrap();
        let words = Words {
            words: vec!["a", "b"],
            sentences: vec![0..1],
        };
        assert!(tagger.tag(&words).is_err());
        let empty = Words::default();
        assert!(tagger.tag(&empty).unwrap().is_empty());
    }
}
