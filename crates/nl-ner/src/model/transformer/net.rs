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
    vs: nn::VarStore,
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
            vs,
            positions,
            token_type,
            norm,
            layers,
        })
    }

    /// Frees the frozen layers' weights (the embeddings stay): for a network that only
    /// tags through [`Infer`], which holds its own copies.
    pub fn release_layers(&mut self) {
        self.layers.clear();
        self.vs = nn::VarStore::new(Device::Cpu);
    }

    /// The encoder file.
    pub fn e5(&self) -> &E5File {
        &self.e5
    }

    /// The embeddings of a padded batch: `batch × len × hidden`.
    pub fn embed(&self, batch: &Padded) -> Tensor {
        tch::no_grad(|| {
            let h = self.e5.dims.hidden as i64;
            let mut rows = Vec::new();
            self.e5.word_rows(&batch.ids, &mut rows);
            let words = Tensor::from_slice(&rows).view([batch.batch as i64, batch.len as i64, h]);
            let pos = self.positions.narrow(0, 0, batch.len as i64);
            (words + pos + &self.token_type).apply(&self.norm)
        })
    }

    /// Embeds a padded batch and runs it through the frozen layers: `batch × len × hidden`.
    pub fn forward(&self, batch: &Padded) -> Tensor {
        tch::no_grad(|| {
            let mut x = self.embed(batch);
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

    /// Frees the layers' and the head's weights: for a network that only tags through
    /// [`Infer`], which holds its own copies.
    pub fn release(&mut self) {
        self.layers.clear();
        self.vs = nn::VarStore::new(Device::Cpu);
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

/// How the inference network multiplies in its linear layers (attention, layer norm, softmax,
/// the residual stream and the tag head stay in `f32` whatever the choice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// `f32` throughout (what training runs).
    F32,
    /// bfloat16 weights and inputs of the linear layers, accumulated in `f32` (oneDNN's
    /// `avx512_core_bf16` kernels); the GELU between the two feed-forward products runs in
    /// bfloat16 too.
    Bf16,
}

impl Precision {
    /// bfloat16 where the CPU multiplies it natively (`avx512_bf16`), else `f32`: without it
    /// oneDNN emulates bfloat16, which is slower than `f32`. `NL_NER_TRANSFORMER_PRECISION`
    /// (`f32` or `bf16`) overrides the choice.
    pub fn for_this_cpu() -> std::result::Result<Precision, String> {
        if let Some(p) = std::env::var_os("NL_NER_TRANSFORMER_PRECISION") {
            return match p.to_str() {
                Some("f32") => Ok(Precision::F32),
                Some("bf16") => Ok(Precision::Bf16),
                _ => Err(format!(
                    "NL_NER_TRANSFORMER_PRECISION={} (f32 or bf16)",
                    p.to_string_lossy()
                )),
            };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512bf16") {
            return Ok(Precision::Bf16);
        }
        Ok(Precision::F32)
    }
}

/// A linear layer prepared for inference: its weight and bias in `f32` or bfloat16.
struct Lin {
    w: Tensor,
    b: Tensor,
}

impl Lin {
    fn new(w: &Tensor, b: &Tensor, precision: Precision) -> Lin {
        let kind = match precision {
            Precision::F32 => Kind::Float,
            Precision::Bf16 => Kind::BFloat16,
        };
        Lin {
            w: w.detach().to_kind(kind).contiguous(),
            b: b.detach().to_kind(kind).contiguous(),
        }
    }

    /// The product, in the layer's own kind, of an input of any float kind.
    fn forward(&self, x: &Tensor) -> Tensor {
        x.to_kind(self.w.kind()).linear(&self.w, Some(&self.b))
    }
}

/// One encoder layer prepared for inference: query, key and value in one product, and
/// libtorch's fused attention and GELU instead of rust-bert's operator-by-operator ones.
struct InferLayer {
    qkv: Lin,
    out: Lin,
    out_norm: (Tensor, Tensor),
    inter: Lin,
    ffn_out: Lin,
    ffn_norm: (Tensor, Tensor),
}

/// The whole network prepared for inference only (no autograd, no dropout): embeddings,
/// every layer (frozen and trained alike) and the head.
pub struct Infer {
    layers: Vec<InferLayer>,
    heads: i64,
    hidden: i64,
    eps: f64,
    head: (Tensor, Tensor),
}

impl Infer {
    /// The layers of `frozen` then those of `top`, in `precision`.
    pub fn new(frozen: &Frozen, top: &Top, precision: Precision) -> Infer {
        tch::no_grad(|| {
            let mut layers = Vec::new();
            // Each store names its own layers from `layer.0` (`Frozen::new`, `Top::new`).
            for (vs, count) in [
                (&frozen.vs, frozen.layers.len()),
                (&top.vs, top.layers.len()),
            ] {
                let vars = vs.variables();
                for i in 0..count {
                    let v = |name: &str| -> Tensor {
                        vars[&format!("layer.{i}.{name}")]
                            .detach()
                            .to_kind(Kind::Float)
                            .contiguous()
                    };
                    let qkv_w = Tensor::cat(
                        &[
                            v("attention.self.query.weight"),
                            v("attention.self.key.weight"),
                            v("attention.self.value.weight"),
                        ],
                        0,
                    );
                    let qkv_b = Tensor::cat(
                        &[
                            v("attention.self.query.bias"),
                            v("attention.self.key.bias"),
                            v("attention.self.value.bias"),
                        ],
                        0,
                    );
                    layers.push(InferLayer {
                        qkv: Lin::new(&qkv_w, &qkv_b, precision),
                        out: Lin::new(
                            &v("attention.output.dense.weight"),
                            &v("attention.output.dense.bias"),
                            precision,
                        ),
                        out_norm: (
                            v("attention.output.LayerNorm.weight"),
                            v("attention.output.LayerNorm.bias"),
                        ),
                        inter: Lin::new(
                            &v("intermediate.dense.weight"),
                            &v("intermediate.dense.bias"),
                            precision,
                        ),
                        ffn_out: Lin::new(
                            &v("output.dense.weight"),
                            &v("output.dense.bias"),
                            precision,
                        ),
                        ffn_norm: (v("output.LayerNorm.weight"), v("output.LayerNorm.bias")),
                    });
                }
            }
            let vars = top.vs.variables();
            let head = (
                vars["head.weight"].detach().contiguous(),
                vars["head.bias"].detach().contiguous(),
            );
            let d = frozen.e5.dims;
            Infer {
                layers,
                heads: d.heads as i64,
                hidden: d.hidden as i64,
                eps: d.eps,
                head,
            }
        })
    }

    /// Tag logits of a padded batch: `batch × len × tags`.
    pub fn forward(&self, frozen: &Frozen, batch: &Padded) -> Tensor {
        tch::no_grad(|| {
            let h = self.hidden;
            let (b, len) = (batch.batch as i64, batch.len as i64);
            let mut x = frozen.embed(batch);
            let dh = h / self.heads;
            let norm = |x: &Tensor, (w, bias): &(Tensor, Tensor)| {
                x.layer_norm([h].as_slice(), Some(w), Some(bias), self.eps, false)
            };
            for l in &self.layers {
                let qkv = l
                    .qkv
                    .forward(&x)
                    .to_kind(Kind::Float)
                    .view([b, len, 3, self.heads, dh])
                    .permute([2, 0, 3, 1, 4]);
                let ctx = Tensor::scaled_dot_product_attention(
                    &qkv.get(0),
                    &qkv.get(1),
                    &qkv.get(2),
                    Some(&batch.mask),
                    0.0,
                    false,
                    None,
                );
                let ctx = ctx.transpose(1, 2).contiguous().view([b, len, h]);
                let a = norm(
                    &(l.out.forward(&ctx).to_kind(Kind::Float) + &x),
                    &l.out_norm,
                );
                // GELU in the kind of the product (bf16 stays bf16 into the next product).
                let i = l.inter.forward(&a).gelu("none");
                x = norm(
                    &(l.ffn_out.forward(&i).to_kind(Kind::Float) + &a),
                    &l.ffn_norm,
                );
            }
            x.linear(&self.head.0, Some(&self.head.1))
        })
    }
}
