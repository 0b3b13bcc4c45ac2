//! The pipeline: segment, tag, decode, apply the domain layer and link each document, in parallel
//! batches, in input order.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::doc::{Document, Label};
use crate::domain::DomainLayer;
use crate::error::Result;
use crate::input::InputError;
use crate::link::Linker;
use crate::model::{decode_entities, Tagger, Words};
use crate::segment::Segmenter;

/// How documents are batched. Batches bound memory: at most one batch is in flight.
#[derive(Clone, Debug)]
pub struct PipelineConfig {
    /// Most documents in one batch.
    pub batch_docs: usize,
    /// Most bytes of text in one batch (a batch always holds at least one document).
    pub batch_bytes: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig { batch_docs: 256, batch_bytes: 8 << 20 }
    }
}

/// Annotates documents: the shared part of every model's path from text to entities.
pub struct Pipeline {
    segmenter: Segmenter,
    tagger: Box<dyn Tagger>,
    domain: Option<DomainLayer>,
    linker: Linker,
    config: PipelineConfig,
}

/// What happened to one input: an annotated document, or why it was skipped.
pub type Outcome = std::result::Result<Document, InputError>;

impl Pipeline {
    /// A pipeline around `tagger` alone: the model's entities, no domain layer.
    pub fn new(tagger: Box<dyn Tagger>, config: PipelineConfig) -> Self {
        Pipeline { segmenter: Segmenter::new(), tagger, domain: None, linker: Linker::default(), config }
    }

    /// Adds the domain layer (patterns, gazetteers, acronyms) after the model.
    pub fn with_domain(mut self, domain: DomainLayer) -> Self {
        self.linker = Linker::new(domain.gazetteer());
        self.domain = Some(domain);
        self
    }

    /// The model in use.
    pub fn tagger(&self) -> &dyn Tagger {
        self.tagger.as_ref()
    }

    /// Segments, tags, decodes, (with a domain layer) completes and links one document in place.
    pub fn annotate(&self, doc: &mut Document) -> Result<()> {
        let seg = self.segmenter.segment(&doc.text);
        doc.tokens = seg.tokens;
        doc.sentences = seg.sentences;
        let words = Words {
            words: doc.tokens.iter().map(|t| t.span.text(&doc.text)).collect(),
            sentences: doc.sentences.iter().map(|s| s.tokens.clone()).collect(),
        };
        let tags = self.tagger.tag(&words)?;
        let spans: Vec<_> = doc.tokens.iter().map(|t| t.span).collect();
        doc.entities = decode_entities(&spans, &tags);
        if let Some(domain) = &self.domain {
            domain.apply(doc);
        }
        self.linker.link(doc);
        Ok(())
    }

    /// Runs every input through the pipeline on the current rayon pool and hands each batch of
    /// outcomes, in input order, to `sink`. Stops at the first error `sink` returns.
    pub fn run<I, F, E>(&self, inputs: I, mut sink: F) -> std::result::Result<(), E>
    where
        I: Iterator<Item = Outcome>,
        F: FnMut(Vec<Outcome>) -> std::result::Result<(), E>,
    {
        let mut inputs = inputs.peekable();
        while inputs.peek().is_some() {
            let mut batch = Vec::new();
            let mut bytes = 0;
            while batch.len() < self.config.batch_docs && (batch.is_empty() || bytes < self.config.batch_bytes) {
                let Some(item) = inputs.next() else { break };
                bytes += item.as_ref().map_or(0, |d| d.text.len());
                batch.push(item);
            }
            let done: Vec<Outcome> = batch
                .into_par_iter()
                .map(|item| {
                    let mut doc = item?;
                    match self.annotate(&mut doc) {
                        Ok(()) => Ok(doc),
                        Err(e) => Err(InputError { input: doc.id, reason: e.report() }),
                    }
                })
                .collect();
            sink(done)?;
        }
        Ok(())
    }
}

/// Running totals for the end-of-run summary.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Documents written.
    pub documents: usize,
    /// Tokens in the documents written.
    pub tokens: usize,
    /// Entities written, by label.
    pub entities: BTreeMap<Label, usize>,
    /// Inputs that failed.
    pub failed: usize,
}

impl Stats {
    /// Counts one written document.
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        self.tokens += doc.tokens.len();
        for e in &doc.entities {
            *self.entities.entry(e.label).or_default() += 1;
        }
    }

    /// Entities of every label together.
    pub fn total_entities(&self) -> usize {
        self.entities.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Tag;
    use crate::model::TokenTag;

    /// Tags every capitalised word as a one-word ORG: enough to see entities move through.
    struct CapitalsTagger;

    impl Tagger for CapitalsTagger {
        fn name(&self) -> &str {
            "capitals"
        }

        fn labels(&self) -> &[Label] {
            &[Label::Org]
        }

        fn tag(&self, doc: &Words<'_>) -> Result<Vec<TokenTag>> {
            Ok(doc
                .words
                .iter()
                .map(|w| {
                    let tag = if w.starts_with(char::is_uppercase) { Tag::B(Label::Org) } else { Tag::O };
                    TokenTag { tag, score: 0.5 }
                })
                .collect())
        }
    }

    fn pipeline(batch_docs: usize) -> Pipeline {
        Pipeline::new(Box::new(CapitalsTagger), PipelineConfig { batch_docs, batch_bytes: 1 << 20 })
    }

    #[test]
    fn batched_run_equals_one_by_one_and_keeps_input_order() {
        let texts: Vec<String> = (0..23).map(|i| format!("Document {i} noemt de NAVO en Den Haag.")).collect();
        let inputs = || {
            texts.iter().enumerate().map(|(i, t)| {
                if i == 5 {
                    Err(InputError { input: "bad".into(), reason: "unreadable".into() })
                } else {
                    Ok(Document::new(format!("d{i}"), t.clone()))
                }
            })
        };
        let mut batched = Vec::new();
        let mut batches = 0;
        pipeline(4)
            .run(inputs(), |b| {
                batches += 1;
                batched.extend(b);
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(batches, 6);
        let single = pipeline(1);
        for (i, (out, input)) in batched.iter().zip(inputs()).enumerate() {
            match (out, input) {
                (Ok(got), Ok(mut want)) => {
                    single.annotate(&mut want).unwrap();
                    assert_eq!(got.id, format!("d{i}"));
                    assert_eq!(got.entities, want.entities);
                    assert_eq!(got.sentences, want.sentences);
                }
                (Err(e), Err(_)) => assert_eq!(i, 5, "{e}"),
                _ => panic!("outcome {i} changed kind"),
            }
        }
        let first = batched[0].as_ref().unwrap();
        let names: Vec<&str> = first.entities.iter().map(|e| e.span.text(&first.text)).collect();
        assert_eq!(names, vec!["Document", "NAVO", "Den", "Haag"]);
    }
}
