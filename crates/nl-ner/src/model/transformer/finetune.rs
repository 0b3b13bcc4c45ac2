//! Fine-tuning the transformer for token classification (cargo feature `transformer`).
//!
//! Built for two CPU cores (docs/transformer.md has the profile): the embeddings and the lower
//! layers stay as pretrained, so their output is computed once per training sentence and
//! cached, and each step runs only the upper layers and the head. Examples are sentences (a long
//! one cut into windows), batched by length so that padding stays small; the tag of a word is
//! learnt on its first piece. AdamW with linear warm-up and decay; the head learns faster than
//! the layers. After each epoch the model is scored on the dev file, the best epoch is kept,
//! and a checkpoint outside the work tree lets a run that is stopped resume.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tch::nn::OptimizerConfig;
use tch::{Device, Kind, Reduction, Tensor, nn};

use crate::conll::ConllDoc;
use crate::doc::Tag;
use crate::error::{Error, Result};
use crate::model::crf::train::{ReadDocs, read_training_files};
use crate::model::transformer::net::Padded;
use crate::model::transformer::{
    Depth, E5File, Encoder, FORMAT, TransformerConfig, WindowInput, length_batches, tag_set,
    viterbi,
};
use crate::score::{Evaluator, Scores};

/// Label of a piece that is not scored (padding, `<s>`, a word's later pieces).
const IGNORE: i64 = -100;

/// What to train and how.
#[derive(Clone, Debug)]
pub struct FinetuneConfig {
    /// Training files (CoNLL or JSONL gold); a file named twice counts twice.
    pub train: Vec<PathBuf>,
    /// Dev file scored after each epoch; the best epoch is kept (else the last).
    pub dev: Option<PathBuf>,
    /// The model directory to write.
    pub output: PathBuf,
    /// The encoder file (`e5-small-q4.bin`).
    pub encoder: PathBuf,
    /// Layers used and frozen.
    pub depth: Depth,
    /// Passes over the training data.
    pub epochs: usize,
    /// Peak learning rate of the trained layers.
    pub lr: f64,
    /// Peak learning rate of the head.
    pub head_lr: f64,
    /// Share of the steps spent warming up.
    pub warmup: f64,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// Most pieces (padding included) in one batch.
    pub batch_pieces: usize,
    /// Seed of the head's initialisation, dropout and batch order.
    pub seed: i64,
    /// libtorch threads.
    pub threads: usize,
    /// Directory for checkpoints (one per epoch); with `resume`, a run starts from it.
    pub checkpoint: Option<PathBuf>,
    /// Continue the run whose checkpoint is in `checkpoint`.
    pub resume: bool,
    /// Stop after this many steps (for the benchmark and tests).
    pub max_steps: Option<usize>,
}

impl Default for FinetuneConfig {
    fn default() -> Self {
        FinetuneConfig {
            train: Vec::new(),
            dev: None,
            output: PathBuf::new(),
            encoder: crate::model::transformer::default_encoder_path(),
            depth: Depth {
                layers: 8,
                frozen: 4,
            },
            epochs: 4,
            lr: 1e-4,
            head_lr: 1e-3,
            warmup: 0.1,
            weight_decay: 0.01,
            batch_pieces: 4096,
            seed: 17,
            threads: 2,
            checkpoint: None,
            resume: false,
            max_steps: None,
        }
    }
}

/// One epoch's numbers.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EpochReport {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss.
    pub loss: f64,
    /// Dev micro F1, if a dev file was given.
    pub dev_f1: Option<f64>,
    /// Seconds spent on training steps.
    pub seconds: f64,
    /// Training speed: pieces (padding not counted) per second.
    pub pieces_per_second: f64,
    /// Where the step time went, in seconds: batching (padding the cached states), forward
    /// (upper layers, head, loss), backward, optimiser step.
    #[serde(default)]
    pub profile: [f64; 4],
}

/// The whole run's numbers.
#[derive(Clone, Debug)]
pub struct FinetuneReport {
    /// Training examples (windows) and their pieces.
    pub examples: usize,
    /// Pieces in one epoch.
    pub pieces: usize,
    /// Seconds to cache the frozen part's output.
    pub cache_seconds: f64,
    /// Per epoch.
    pub epochs: Vec<EpochReport>,
    /// The epoch written (best on dev).
    pub kept_epoch: usize,
    /// The kept model's dev scores.
    pub dev: Option<Scores>,
}

/// A training or dev example: one window with the frozen part's output.
struct Example {
    hidden: Tensor,
    labels: Vec<i64>,
    /// For scoring: the index of its sentence, and the window.
    sentence: usize,
    input: WindowInput,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct CheckpointState {
    epochs_done: usize,
    best: Option<(usize, f64)>,
    history: Vec<EpochReport>,
    fingerprint: String,
}

fn torch(what: &str, e: tch::TchError) -> Error {
    Error::Transformer {
        what: what.to_string(),
        source: Box::new(e),
    }
}

/// The windows of the sentences of `docs` with their training labels (the tag of each word the
/// window tags, on its first piece), and the sentences' gold tags for scoring.
struct Prepared {
    windows: Vec<(usize, WindowInput)>,
    labels: Vec<Vec<i64>>,
    sentences: Vec<Vec<Tag>>,
}

fn prepare(docs: &[ConllDoc], enc: &Encoder) -> Prepared {
    let index: HashMap<Tag, i64> = enc
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i as i64))
        .collect();
    let mut p = Prepared {
        windows: Vec::new(),
        labels: Vec::new(),
        sentences: Vec::new(),
    };
    for s in docs.iter().flat_map(|d| &d.sentences) {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let si = p.sentences.len();
        for w in enc.sentence_windows(&words) {
            let mut labels = vec![IGNORE; w.ids.len()];
            for (j, &pos) in w.firsts.iter().enumerate() {
                let wi = w.window.words.start + j;
                if w.window.tags.contains(&wi) {
                    labels[pos] = index.get(&s.tags[wi]).copied().unwrap_or(0);
                }
            }
            p.labels.push(labels);
            p.windows.push((si, w));
        }
        p.sentences.push(s.tags.clone());
    }
    p
}

/// Runs the frozen part once over every window, in length batches.
fn cache(enc: &Encoder, p: Prepared, batch_pieces: usize) -> (Vec<Example>, Vec<Vec<Tag>>) {
    let len = |i: usize| p.windows[i].1.ids.len();
    let mut order: Vec<usize> = (0..p.windows.len()).collect();
    order.sort_by_key(|&i| len(i));
    let mut hidden: Vec<Option<Tensor>> = (0..p.windows.len()).map(|_| None).collect();
    let pad = enc.frozen.e5().pad;
    for batch in length_batches(&order, len, batch_pieces) {
        let refs: Vec<&[u32]> = batch
            .iter()
            .map(|&i| p.windows[i].1.ids.as_slice())
            .collect();
        let x = enc.frozen.forward(&Padded::new(&refs, pad));
        for (b, &i) in batch.iter().enumerate() {
            hidden[i] = Some(x.get(b as i64).narrow(0, 0, len(i) as i64).copy());
        }
    }
    let examples = hidden
        .into_iter()
        .zip(p.labels)
        .zip(p.windows)
        .map(|((h, labels), (sentence, input))| Example {
            hidden: h.expect("every window cached"),
            labels,
            sentence,
            input,
        })
        .collect();
    (examples, p.sentences)
}

/// Pads a batch of cached examples: hidden states, attention mask and labels.
fn collate(examples: &[&Example]) -> (Tensor, Tensor, Tensor) {
    let len = examples.iter().map(|e| e.labels.len()).max().unwrap_or(0);
    let hs: Vec<Tensor> = examples.iter().map(|e| e.hidden.shallow_clone()).collect();
    let x = Tensor::pad_sequence(&hs, true, 0.0);
    let lens: Vec<usize> = examples.iter().map(|e| e.labels.len()).collect();
    let mask = Padded::mask_for(&lens, len);
    let mut labels = Vec::with_capacity(examples.len() * len);
    for e in examples {
        labels.extend_from_slice(&e.labels);
        labels.extend(std::iter::repeat_n(IGNORE, len - e.labels.len()));
    }
    let labels = Tensor::from_slice(&labels).view([examples.len() as i64, len as i64]);
    (x, mask, labels)
}

/// Scores the network on cached dev examples, decoding as the tagger does.
fn score(
    enc: &Encoder,
    examples: &[Example],
    sentences: &[Vec<Tag>],
    batch_pieces: usize,
) -> Scores {
    let n_tags = enc.tags.len();
    let mut word_lp: Vec<Vec<f32>> = sentences
        .iter()
        .map(|s| vec![0.0; s.len() * n_tags])
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by_key(|&i| examples[i].labels.len());
    for batch in length_batches(&order, |i| examples[i].labels.len(), batch_pieces) {
        let refs: Vec<&Example> = batch.iter().map(|&i| &examples[i]).collect();
        let (x, mask, _) = collate(&refs);
        let lp = tch::no_grad(|| {
            enc.top
                .forward_t(&x, &mask, false)
                .log_softmax(-1, Kind::Float)
        });
        let len = x.size()[1] as usize;
        let flat: Vec<f32> = Vec::<f32>::try_from(lp.flatten(0, -1)).expect("f32");
        for (b, e) in refs.iter().enumerate() {
            let rows = &flat[b * len * n_tags..(b * len + e.labels.len()) * n_tags];
            e.input.gather(rows, n_tags, &mut word_lp[e.sentence]);
        }
    }
    let mut eval = Evaluator::new();
    for (gold, lp) in sentences.iter().zip(&word_lp) {
        let pred: Vec<Tag> = viterbi(lp, n_tags)
            .into_iter()
            .map(|(k, _)| enc.tags[k])
            .collect();
        eval.add_tags(gold, &pred);
    }
    eval.scores()
}

/// The trained variables by name, in name order.
fn named_vars(vs: &nn::VarStore) -> Vec<(String, Tensor)> {
    let mut named: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named
}

fn save_vars(vs: &nn::VarStore, path: &Path) -> Result<()> {
    Tensor::write_safetensors(&named_vars(vs), path).map_err(|e| torch("writing a checkpoint", e))
}

fn load_vars(enc: &mut Encoder, path: &Path) -> Result<()> {
    let named = Tensor::read_safetensors(path).map_err(|e| torch("reading a checkpoint", e))?;
    enc.top.set(&named, path)
}

/// Writes a model directory: `config.json` and the half-precision weights, replacing `dir` in
/// one step ([`crate::files::replace_dir`]: `dir` holds the old model or the new one, never a
/// mix or nothing). An existing `dir` may hold only a model's two files.
pub fn write_model(dir: &Path, enc: &Encoder, config: &TransformerConfig) -> Result<()> {
    const FILES: [&str; 2] = ["config.json", "weights.safetensors"];
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    crate::files::replace_dir(dir, &FILES, |staging| {
        let json = serde_json::to_string_pretty(config).expect("config serialises");
        std::fs::write(staging.join(FILES[0]), json + "\n").map_err(|e| Error::io(staging, e))?;
        Tensor::write_safetensors(&enc.top.half_tensors(), staging.join(FILES[1]))
            .map_err(|e| torch("writing the weights", e))
    })
}

/// Fine-tunes, writes the model directory, and reports each epoch to `progress`.
pub fn finetune(
    config: &FinetuneConfig,
    read: ReadDocs<'_>,
    mut progress: impl FnMut(&str),
) -> Result<FinetuneReport> {
    tch::set_num_threads(config.threads.max(1) as i32);
    tch::manual_seed(config.seed);
    let e5 = Arc::new(E5File::read(&config.encoder)?);
    let mut enc = Encoder::pretrained(e5.clone(), config.depth)?;
    let fingerprint = format!(
        "{:?} {:?} lr {} head {} epochs {} batch {} seed {} encoder {:08x}",
        config.train,
        config.depth,
        config.lr,
        config.head_lr,
        config.epochs,
        config.batch_pieces,
        config.seed,
        e5.crc32
    );

    let t0 = Instant::now();
    // A file named twice is cached once and its examples used twice.
    let mut distinct: Vec<(&PathBuf, usize)> = Vec::new();
    for p in &config.train {
        match distinct.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += 1,
            None => distinct.push((p, 1)),
        }
    }
    let mut examples = Vec::new();
    let mut uses: Vec<usize> = Vec::new();
    for (path, times) in distinct {
        let docs = read_training_files(std::slice::from_ref(path), read)?;
        let (ex, _) = cache(&enc, prepare(&docs, &enc), config.batch_pieces);
        let at = examples.len();
        examples.extend(ex);
        for _ in 0..times {
            uses.extend(at..examples.len());
        }
    }
    let dev = match &config.dev {
        Some(p) => Some(cache(
            &enc,
            prepare(&read_training_files(std::slice::from_ref(p), read)?, &enc),
            config.batch_pieces,
        )),
        None => None,
    };
    let cache_seconds = t0.elapsed().as_secs_f64();
    let pieces: usize = uses.iter().map(|&i| examples[i].labels.len()).sum();
    progress(&format!(
        "{} training windows, {} pieces; frozen part cached in {:.0} s",
        uses.len(),
        pieces,
        cache_seconds
    ));

    let mut state = CheckpointState {
        fingerprint: fingerprint.clone(),
        ..Default::default()
    };
    if config.resume {
        let dir = config.checkpoint.as_ref().ok_or_else(|| Error::Data {
            path: PathBuf::from("<finetune>"),
            line: 0,
            reason: "--resume needs --checkpoint DIR".into(),
        })?;
        let text =
            std::fs::read_to_string(dir.join("state.json")).map_err(|e| Error::io(dir, e))?;
        state = serde_json::from_str(&text).map_err(|e| Error::Format {
            path: dir.join("state.json"),
            line: 0,
            source: Box::new(e),
        })?;
        if state.fingerprint != fingerprint {
            return Err(Error::Data {
                path: dir.join("state.json"),
                line: 0,
                reason: format!(
                    "checkpoint of another run ({}), not {fingerprint}",
                    state.fingerprint
                ),
            });
        }
        load_vars(&mut enc, &dir.join("last.safetensors"))?;
        progress(&format!("resumed after epoch {}", state.epochs_done));
    }

    let mut order = uses.clone();
    order.sort_by_key(|&i| examples[i].labels.len());
    let batches = length_batches(&order, |i| examples[i].labels.len(), config.batch_pieces);
    let total_steps = (batches.len() * config.epochs).max(1);
    let warmup_steps = ((total_steps as f64 * config.warmup) as usize).max(1);
    let mut opt = nn::AdamW {
        wd: config.weight_decay,
        ..Default::default()
    }
    .build(&enc.top.vs, config.lr)
    .map_err(|e| torch("building the optimiser", e))?;
    let mut step = state.epochs_done * batches.len();
    let mut steps_run = 0usize;
    // The best epoch's weights of this run, copied in memory.
    let mut best_vars: Option<Vec<(String, Tensor)>> = None;
    for epoch in state.epochs_done + 1..=config.epochs {
        tch::manual_seed(config.seed + epoch as i64);
        let perm = Vec::<i64>::try_from(Tensor::randperm(
            batches.len() as i64,
            (Kind::Int64, Device::Cpu),
        ))
        .expect("i64");
        let t = Instant::now();
        let (mut loss_sum, mut n_loss, mut seen) = (0.0, 0usize, 0usize);
        let mut profile = [0.0f64; 4];
        for &bi in &perm {
            let mut lap = Instant::now();
            let mut clock = |part: usize| {
                profile[part] += lap.elapsed().as_secs_f64();
                lap = Instant::now();
            };
            let batch: Vec<&Example> = batches[bi as usize].iter().map(|&i| &examples[i]).collect();
            let (x, mask, labels) = collate(&batch);
            clock(0);
            let logits = enc.top.forward_t(&x, &mask, true);
            let n_tags = enc.tags.len() as i64;
            let loss = logits.view([-1, n_tags]).cross_entropy_loss::<Tensor>(
                &labels.view([-1]),
                None,
                Reduction::Mean,
                IGNORE,
                0.0,
            );
            let f = if step < warmup_steps {
                (step + 1) as f64 / warmup_steps as f64
            } else {
                ((total_steps - step) as f64 / (total_steps - warmup_steps).max(1) as f64).max(0.0)
            };
            opt.set_lr_group(0, config.lr * f);
            opt.set_lr_group(1, config.head_lr * f);
            let loss_value = loss.double_value(&[]);
            clock(1);
            opt.zero_grad();
            loss.backward();
            clock(2);
            opt.clip_grad_norm(1.0);
            opt.step();
            clock(3);
            loss_sum += loss_value;
            n_loss += 1;
            seen += batch.iter().map(|e| e.labels.len()).sum::<usize>();
            step += 1;
            steps_run += 1;
            if steps_run.is_multiple_of(100) {
                progress(&format!(
                    "  step {step}/{total_steps}: loss {:.4}, {:.0} pieces/s",
                    loss_sum / n_loss as f64,
                    seen as f64 / t.elapsed().as_secs_f64()
                ));
            }
            if config.max_steps.is_some_and(|m| steps_run >= m) {
                break;
            }
        }
        let seconds = t.elapsed().as_secs_f64();
        let dev_scores = dev
            .as_ref()
            .map(|(ex, sents)| score(&enc, ex, sents, config.batch_pieces));
        let report = EpochReport {
            epoch,
            loss: loss_sum / n_loss.max(1) as f64,
            dev_f1: dev_scores.as_ref().map(|s| s.micro.f1()),
            seconds,
            pieces_per_second: seen as f64 / seconds.max(1e-9),
            profile,
        };
        progress(&format!(
            "epoch {epoch}: loss {:.4}, dev F1 {}, {:.0} s, {:.0} pieces/s (batching {:.0} s, \
             forward {:.0} s, backward {:.0} s, optimiser {:.0} s)",
            report.loss,
            report.dev_f1.map_or("-".into(), |f| format!("{f:.2}")),
            report.seconds,
            report.pieces_per_second,
            profile[0],
            profile[1],
            profile[2],
            profile[3]
        ));
        let f1 = report.dev_f1.unwrap_or(epoch as f64);
        state.history.push(report);
        state.epochs_done = epoch;
        let better = state.best.is_none_or(|(_, b)| f1 > b);
        if better {
            state.best = Some((epoch, f1));
        }
        if let Some(dir) = &config.checkpoint {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            save_vars(&enc.top.vs, &dir.join("last.safetensors"))?;
            if better {
                save_vars(&enc.top.vs, &dir.join("best.safetensors"))?;
            }
            let json = serde_json::to_string_pretty(&state).expect("state serialises");
            std::fs::write(dir.join("state.json"), json).map_err(|e| Error::io(dir, e))?;
        }
        if better {
            let copy = named_vars(&enc.top.vs)
                .into_iter()
                .map(|(n, t)| (n, t.copy()))
                .collect();
            best_vars = Some(copy);
        }
        if config.max_steps.is_some_and(|m| steps_run >= m) {
            break;
        }
    }
    // A better earlier epoch, or (resuming a finished run) the checkpoint's best: write that.
    if let Some(vars) = &best_vars {
        enc.top.set(vars, &config.output)?;
    } else if let Some(p) = config
        .checkpoint
        .as_ref()
        .map(|d| d.join("best.safetensors"))
        .filter(|p| p.exists())
    {
        load_vars(&mut enc, &p)?;
    }
    let kept_epoch = state.best.map_or(state.epochs_done, |(e, _)| e);
    let dev_scores = dev
        .as_ref()
        .map(|(ex, sents)| score(&enc, ex, sents, config.batch_pieces));
    let model_config = TransformerConfig {
        format: FORMAT,
        encoder: config
            .encoder
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        encoder_crc32: e5.crc32,
        depth: config.depth,
        tags: tag_set().iter().map(|t| t.to_string()).collect(),
        trained: serde_json::json!({
            "train": config.train,
            "dev": config.dev,
            "epochs": config.epochs,
            "kept_epoch": kept_epoch,
            "lr": config.lr,
            "head_lr": config.head_lr,
            "batch_pieces": config.batch_pieces,
            "seed": config.seed,
            "history": state.history,
        }),
    };
    write_model(&config.output, &enc, &model_config)?;
    Ok(FinetuneReport {
        examples: uses.len(),
        pieces,
        cache_seconds,
        epochs: state.history,
        kept_epoch,
        dev: dev_scores,
    })
}
