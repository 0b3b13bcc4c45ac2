//! nl-ner: named-entity recognition for Dutch government and parliamentary text.
//!
//! The data flows one way: read → normalise → split → tokenize → tag → domain layer → link → write.

pub mod annotated;
pub mod conll;
pub mod doc;
pub mod domain;
pub mod error;
pub mod eval;
#[cfg(feature = "export")]
pub mod export;
pub mod gold;
pub mod import;
pub mod input;
pub mod lexicon;
pub mod link;
pub mod model;
pub mod output;
pub mod pipeline;
#[cfg(feature = "render")]
pub mod render;
pub mod segment;

pub use doc::{Document, Entity, Label, Sentence, Source, Span, Tag, Token};
pub use error::{Error, Result};
