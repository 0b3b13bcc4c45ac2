//! nl-ner: named-entity recognition for Dutch government and parliamentary text.
//!
//! The data flows one way: read → normalise → split → tokenize → tag → domain layer → link →
//! relate → write (the layers: `docs/architecture.md`).
//!
//! # Annotating a text
//!
//! A [`Pipeline`] holds a [`Tagger`] (the shipped statistical model, [`CrfTagger::embedded`])
//! and, optionally, the [`DomainLayer`] (patterns, gazetteers, acronyms). [`Pipeline::annotate`]
//! fills a [`Document`] in place: its tokens, sentences and [`Entity`]s, each with its [`Span`]
//! (byte and code-point offsets), its [`Label`], a score, the part of the pipeline that proposed
//! it ([`Source`]) and, after linking, the canonical id of what it names
//! ([`Entity::entity_id`]), shared by every mention of it.
//!
//! ```
//! use nl_ner::{CrfTagger, Document, DomainLayer, Label, Pipeline, PipelineConfig};
//!
//! let tagger = CrfTagger::embedded()?;
//! let pipeline = Pipeline::new(Box::new(tagger), PipelineConfig::default())
//!     .with_domain(DomainLayer::new()?);
//!
//! let text = "Minister Brekelmans sprak in Brussel met de NAVO over het Nationaal Groeifonds.";
//! let mut doc = Document::new("brief-1", text);
//! pipeline.annotate(&mut doc)?;
//!
//! let found: Vec<(&str, Label, &str)> = doc
//!     .entities
//!     .iter()
//!     .map(|e| (e.span.text(&doc.text), e.label, e.entity_id.as_deref().unwrap_or("")))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("Brekelmans", Label::Per, "per:brekelmans"),
//!         ("Brussel", Label::Loc, "loc:brussels"),
//!         ("NAVO", Label::Org, "org:navo"),
//!         ("Nationaal Groeifonds", Label::Initiative, "initiative:groeifonds"),
//!     ]
//! );
//! // Offsets in code points, as in the JSON output (`text[start..end]` in Python).
//! let navo = &doc.entities[2];
//! assert_eq!(navo.span.chars(), 44..48);
//! # Ok::<(), nl_ner::Error>(())
//! ```
//!
//! [`Pipeline::with_relations`] adds the relation stage ([`relate`]): who holds which office, who
//! belongs to which party, who takes part in which initiative, in [`Document::relations`].
//!
//! [`Pipeline::run`] annotates many documents in parallel and keeps their order; the `nl-ner-io`
//! crate reads and writes files (the JSON Lines format the command line writes), reads gold
//! files and scores against them.
//!
//! # The API
//!
//! Everything a user names is at the crate root, each item at one path: the document model
//! ([`Document`] and its parts), the [`Pipeline`] and its stages ([`Tagger`] with [`CrfTagger`]
//! and [`NullTagger`], [`DomainLayer`] with its [`Gazetteer`], [`Linker`]), the corpus's
//! [`EntityTable`], entity-level scoring ([`Evaluator`]) and the [`Error`] with its [`report`].
//! The modules hold what only some users need: the [`relate`] stage, each document's date
//! ([`dating`]), the domain layer's
//! [`rules`], [`conll`] files, [`files`] written whole, the [`segment`]er's parts, the CRF's trainer ([`train`], feature `train`) and the accurate model
//! ([`transformer`], feature `transformer`).
//!
//! # From Python
//!
//! The `nl_ner` Python package (`bindings/python/`, a crate of its own in this workspace, so the
//! library has no Python in it; `docs/python.md`) wraps this pipeline with PyO3: it builds it with
//! [`load_tagger`] and [`DomainLayer::with_gazetteers`], as the command line does, and writes JSON
//! with `nl_ner_io`'s writer, so both give the same bytes.
//!
//! # Features
//!
//! Without them (`default-features = false`) the library segments, tags, links and scores.
//!
//! - `train` (default): [`train`], training the CRF;
//! - `tokenizers` (default): [`segment::DutchPreTokenizer`], the segmenter as a Hugging Face
//!   pre-tokenizer;
//! - `transformer`: the accurate model ([`transformer`]); needs libtorch.

#![deny(missing_docs)]

pub mod conll;
pub mod dating;
mod doc;
// The rules' `EXAMPLES` tables are read by the domain layer's tests only.
#[cfg_attr(not(test), allow(dead_code))]
mod domain;
mod error;
pub mod files;
mod lexicon;
mod link;
mod model;
mod pipeline;
pub mod relate;
mod score;
pub mod segment;
mod sync;

pub use doc::{
    BadTag, Document, Entity, Label, LabelledSpan, Sentence, Source, Span, Tag, Token,
    UnknownLabel, Words, chunks,
};
pub use domain::{AcronymPair, DomainLayer, Gazetteer, GazetteerEntry, GazetteerMatch, find_pairs};
pub use error::{Error, FormatError, InputError, Outcome, Result, report};
/// The Dutch word lexicon (models/lexicon), for readers that need to know what a word is (the
/// PDF reader asks it whether an end-of-line hyphen is real).
pub use lexicon::{LexEntry, Lexicon};
pub use link::key::slug;
pub use link::{
    CO_OCCURRENCE_WINDOW, CoOccurrence, DocumentEntry, EntityRow, EntityTable, EntityTableBuilder,
    FactSide, Linker, Mentions, RelationFact, RowFact,
};
pub use model::crf::CrfTagger;
pub use model::null::NullTagger;
pub use model::{Tagger, TokenTag, load_tagger};
pub use pipeline::{Pipeline, PipelineConfig, Stats};
pub use score::{Counts, Evaluator, Scores, SeenNames};

/// The domain layer's rule registry: every rule with its name (the `rule` of the entities it
/// makes), label, priority and Dutch examples (`docs/rules.md`).
pub mod rules {
    pub use crate::domain::rules::{Effect, RULES, Rule};
}

/// Training the CRF on CoNLL or JSONL gold files (feature `train`).
#[cfg(feature = "train")]
pub mod train {
    pub use crate::model::crf::train::{ReadDocs, TrainConfig, TrainReport, train};
    pub use crate::model::crf::warm::{ContinueConfig, continue_training};
}

/// The accurate model, a fine-tuned multilingual transformer: where its model directories are
/// (always), and with the feature `transformer` the tagger and its fine-tuning.
pub mod transformer {
    #[cfg(feature = "transformer")]
    pub use crate::model::transformer::finetune::{
        EpochReport, FinetuneConfig, FinetuneReport, finetune,
    };
    #[cfg(feature = "transformer")]
    pub use crate::model::transformer::{Depth, TransformerTagger, default_encoder_path};
    pub use crate::model::{TRANSFORMER, shipped_transformer_dir, transformer_dir};
}

/// The root of the source tree this library was built from (the workspace's root), where the
/// shipped models and the corpus live.
pub(crate) fn source_root() -> &'static std::path::Path {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(|p| p.parent())
        .unwrap_or(manifest)
}
