//! nl-ner: named-entity recognition for Dutch government and parliamentary text.
//!
//! The data flows one way: read → normalise → split → tokenize → tag → domain layer → link → write
//! (the layers: `docs/architecture.md`).
//!
//! # Annotating a text
//!
//! A [`pipeline::Pipeline`] holds a [`model::Tagger`] (the shipped statistical model,
//! [`model::crf::CrfTagger::embedded`]) and, optionally, the [`domain::DomainLayer`] (patterns,
//! gazetteers, acronyms). [`pipeline::Pipeline::annotate`] fills a [`Document`] in place: its
//! tokens, sentences and [`Entity`]s, each with its [`Span`] (byte and code-point offsets), its
//! [`Label`], a score, the part of the pipeline that proposed it ([`Source`]) and, after linking,
//! the canonical id of what it names ([`Entity::entity_id`]), shared by every mention of it.
//!
//! ```
//! use nl_ner::domain::DomainLayer;
//! use nl_ner::model::crf::CrfTagger;
//! use nl_ner::pipeline::{Pipeline, PipelineConfig};
//! use nl_ner::{Document, Label};
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
//! [`pipeline::Pipeline::run`] annotates many documents in parallel and keeps their order;
//! [`output`] writes the JSON Lines format the command line writes.
//!
//! # From Python
//!
//! The `nl_ner` Python package (`bindings/python/`, a crate of its own in this workspace, so the
//! library has no Python in it; `docs/python.md`) wraps this pipeline with PyO3: it builds it with
//! [`model::load_tagger`] and [`domain::DomainLayer::with_gazetteers`], as the command line does,
//! and writes JSON with [`output::jsonl::write_document`], so both give the same bytes.
//!
//! # Features
//!
//! All on by default. Without them (`default-features = false`) the library reads, segments,
//! tags, links and writes JSONL, and builds none of the command line's crates.
//!
//! - `cli`: the `nl-ner` binary (clap, indicatif; turns on `render` and `export`);
//! - `render`: `render`, the HTML report;
//! - `export`: `export`, training data and knowledge-graph formats;
//! - `tokenizers`: `segment::DutchPreTokenizer`, the segmenter as a Hugging Face pre-tokenizer.

#![warn(missing_docs)]

pub mod conll;
pub mod doc;
pub mod domain;
pub mod error;
pub mod files;
pub mod lexicon;
pub mod link;
pub mod model;
pub mod pipeline;
pub mod relate;
pub mod score;
pub mod segment;
pub mod sync;

pub use doc::{Document, Entity, Label, Sentence, Source, Span, Tag, Token};
pub use error::{Error, Result};
pub use pipeline::{InputError, Outcome};

/// The root of the source tree this library was built from (the workspace's root), where the
/// shipped models and the corpus live.
pub(crate) fn source_root() -> &'static std::path::Path {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(|p| p.parent())
        .unwrap_or(manifest)
}
