//! The network: the encoder's embeddings and its first layers (rust-bert's `BertLayer`), the
//! lower ones frozen as pretrained, the upper ones fine-tuned, and a linear tag head.
//!
//! Frozen and trained parts live in two variable stores, so that training caches the frozen
//! part's output once per sentence and the optimiser and the model file see only what is
//! trained.

use std::sync::Arc;

use rust_bert::Activation;
use rust_bert::bert::{BertConfig, BertLayer};
use tch::{Device, Kind, Tensor, nn};

use super::e5::E5File;
use crate::error::{Error, Result};

/// Additive attention mask value of a padding position (as rust-bert's BERT uses).
const MASKED: f64 = -10_000.0;

/// Which layers of the encoder the tagger uses and which of them it trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Depth {
    /// Layers used, from the bottom (the encoder has 12; the upper ones were tuned for sentence
    /// embeddings, the middle ones carry most token-level information).
    pub layers: usize,
    /// How many of them, from the bottom, stay as pretrained.
    pub frozen: usize,
}

/// A batch of piece sequences, padded to one length.
pub struct Padded {
    /// Piece ids, `batch × len`, padding with the pad id.
    pub ids: Vec<u32>,
    /// Number of sequences.
    pub batch: usize,
    /// Padded length.
    pub len: usize,
    /// Additive attention mask, `batch × 1 × 1 × len`.
    pub mask: Tensor,
}

impl Padded {
    /// Pads sequences of piece ids.
    pub fn new(seqs: &[&[u32]], pad: u32) -> Padded {
        let len = seqs.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(seqs.len() * len);
        for s in seqs {
            ids.extend_from_slice(s);
            ids.extend(std::iter::repeat_n(pad, len - s.len()));
        }
        let lens: Vec<usize> = seqs.iter().map(|s| s.len()).collect();
        Padded {
            ids,
            batch: seqs.len(),
            len,
            mask: Self::mask_for(&lens, len),
        }
    }

    /// The mask for sequences of these lengths padded to `len`.
    pub fn mask_for(lens: &[usize], len: usize) -> Tensor {
        let mut mask = Vec::with_capacity(lens.len() * len);
        for &n in lens {
            mask.extend(std::iter::repeat_n(0f32, n));
            mask.extend(std::iter::repeat_n(MASKED as f32, len - n));
        }
        Tensor::from_slice(&mask).view([lens.len() as i64, 1, 1, len as i64])
    }
}

/// The encoder's lower, frozen part: embeddings and the first `frozen` layers.
pub struct Frozen {
    e5: Arc<E5File>,
    _vs: nn::VarStore,
    positions: Tensor,
    token_type: Tensor,
    norm: nn::LayerNorm,
    layers: Vec<BertLayer>,
}

/// The trained upper part: the remaining layers and the tag head.
pub struct Top {
    /// Its variables: what training updates and the model file holds.
    pub vs: nn::VarStore,
    layers: Vec<BertLayer>,
    dropout: f64,
    head: nn::Linear,
}

/// rust-bert's configuration of the encoder's layers.
pub fn bert_config(e5: &E5File) -> BertConfig {
    let d = e5.dims;
    BertConfig {
        hidden_act: Activation::gelu,
        attention_probs_dropout_prob: 0.1,
        hidden_dropout_prob: 0.1,
        hidden_size: d.hidden as i64,
        initializer_range: 0.02,
        intermediate_size: d.intermediate as i64,
        max_position_embeddings: d.max_positions as i64,
        num_attention_heads: d.heads as i64,
        num_hidden_layers: d.layers as i64,
        type_vocab_size: 2,
        vocab_size: d.vocab_rows as i64,
        output_attentions: Some(false),
        output_hidden_states: Some(false),
        is_decoder: Some(false),
        id2label: None,
        label2id: None,
    }
}

/// The e5 tensor that fills a variable of layer `layer` named as rust-bert names it.
fn e5_name(layer: usize, var: &str) -> Option<String> {
    let (part, kind) = var.rsplit_once('.')?;
    let short = match part {
        "attention.self.query" => "q",
        "attention.self.key" => "k",
        "attention.self.value" => "v",
        "attention.output.dense" => "ao",
        "attention.output.LayerNorm" => "aln",
        "intermediate.dense" => "fi",
        "output.dense" => "fo",
        "output.LayerNorm" => "oln",
        _ => return None,
    };
    let kind = match kind {
        "weight" => "w",
        "bias" => "b",
        _ => return None,
    };
    Some(format!("l{layer}.{short}.{kind}"))
}

/// Fills the variables under `layer.{i}` of a store with encoder layer `first + i`.
fn load_layers(vs: &nn::VarStore, e5: &E5File, first: usize) -> Result<()> {
    for (name, mut var) in vs.variables() {
        let Some(rest) = name.strip_prefix("layer.") else {
            continue;
        };
        let (i, var_name) = rest.split_once('.').expect("layer.{i}.{name}");
        let i: usize = i.parse().expect("layer index");
        let source = e5_name(first + i, var_name).ok_or_else(|| Error::Model {
            path: e5.path.clone(),
            reason: format!("no encoder tensor for {name}"),
        })?;
        let values = e5.tensor(&source)?;
        if values.len() as i64 != var.numel() as i64 {
            return Err(Error::Model {
                path: e5.path.clone(),
                reason: format!(
                    "{source} has {} values, {name} wants {}",
                    values.len(),
                    var.numel()
                ),
            });
        }
        let t = Tensor::from_slice(&values).view(var.size().as_slice());
        tch::no_grad(|| var.copy_(&t));
    }
    Ok(())
}

impl Frozen {
    /// The embeddings and the first `depth.frozen` layers, as pretrained.
    pub fn new(e5: Arc<E5File>, depth: Depth) -> Result<Frozen> {
        let config = bert_config(&e5);
        let mut vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let layers: Vec<BertLayer> = (0..depth.frozen)
            .map(|i| BertLayer::new(&root / "layer" / i, &config))
            .collect();
        let ln = nn::LayerNormConfig {
            eps: e5.dims.eps,
            ..Default::default()
        };
        let h = e5.dims.hidden as i64;
        let norm = nn::layer_norm(&root / "embeddings" / "LayerNorm", vec![h], ln);
        load_layers(&vs, &e5, 0)?;
        let t = |name: &str| -> Result<Tensor> { Ok(Tensor::from_slice(&e5.tensor(name)?)) };
        tch::no_grad(|| -> Result<()> {
            let mut w = norm.ws.as_ref().expect("affine").shallow_clone();
            w.copy_(&t("emb.ln.w")?);
            let mut b = norm.bs.as_ref().expect("affine").shallow_clone();
            b.copy_(&t("emb.ln.b")?);
            Ok(())
        })?;
        let positions = t("emb.pos")?.view([-1, h]);
        let token_type = t("emb.type")?.view([-1, h]).get(0);
        vs.freeze();
        Ok(Frozen {
            e5,
            _vs: vs,
            positions,
            token_type,
            norm,
            layers,
        })
    }

    /// The encoder file.
    pub fn e5(&self) -> &E5File {
        &self.e5
    }

    /// Embeds a padded batch and runs it through the frozen layers: `batch × len × hidden`.
    pub fn forward(&self, batch: &Padded) -> Tensor {
        tch::no_grad(|| {
            let h = self.e5.dims.hidden as i64;
            let mut rows = Vec::new();
            self.e5.word_rows(&batch.ids, &mut rows);
            let words = Tensor::from_slice(&rows).view([batch.batch as i64, batch.len as i64, h]);
            let pos = self.positions.narrow(0, 0, batch.len as i64);
            let mut x = (words + pos + &self.token_type).apply(&self.norm);
            for layer in &self.layers {
                x = layer
                    .forward_t(&x, Some(&batch.mask), None, None, false)
                    .hidden_state;
            }
            x
        })
    }
}

impl Top {
    /// The upper layers, initialised from the encoder (layers `frozen..layers`), and a fresh
    /// head for `tags` tags.
    pub fn new(e5: &E5File, depth: Depth, tags: usize) -> Result<Top> {
        let config = bert_config(e5);
        let vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let layers: Vec<BertLayer> = (0..depth.layers - depth.frozen)
            .map(|i| BertLayer::new(&root / "layer" / i, &config))
            .collect();
        let h = e5.dims.hidden as i64;
        // Group 1: the head has its own learning rate.
        let head = nn::linear(
            root.set_group(1) / "head",
            h,
            tags as i64,
            Default::default(),
        );
        load_layers(&vs, e5, depth.frozen)?;
        Ok(Top {
            vs,
            layers,
            dropout: config.hidden_dropout_prob,
            head,
        })
    }

    /// Tag scores (logits) for the frozen part's output: `batch × len × tags`.
    pub fn forward_t(&self, x: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let mut x = x.shallow_clone();
        for layer in &self.layers {
            x = layer
                .forward_t(&x, Some(mask), None, None, train)
                .hidden_state;
        }
        x.dropout(self.dropout, train).apply(&self.head)
    }

    /// The variables in half precision, by name (what a model file stores).
    pub fn half_tensors(&self) -> Vec<(String, Tensor)> {
        let mut vars: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .map(|(n, t)| (n, t.detach().to_kind(Kind::Half)))
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        vars
    }

    /// Sets the variables from named tensors (any float kind); every variable must be given.
    pub fn set(&mut self, named: &[(String, Tensor)], what: &std::path::Path) -> Result<()> {
        let mut vars = self.vs.variables();
        if named.len() != vars.len() {
            return Err(Error::Model {
                path: what.to_path_buf(),
                reason: format!("{} tensors, the model has {}", named.len(), vars.len()),
            });
        }
        for (name, t) in named {
            let Some(var) = vars.get_mut(name) else {
                return Err(Error::Model {
                    path: what.to_path_buf(),
                    reason: format!("unknown tensor {name}"),
                });
            };
            if var.size() != t.size() {
                return Err(Error::Model {
                    path: what.to_path_buf(),
                    reason: format!(
                        "tensor {name} has shape {:?}, wants {:?}",
                        t.size(),
                        var.size()
                    ),
                });
            }
            tch::no_grad(|| var.copy_(&t.to_kind(Kind::Float)));
        }
        Ok(())
    }
}
