//! The pipeline: segment, tag, decode, apply the domain layer and link each document, in parallel
//! batches, in input order.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use rayon::prelude::*;

use crate::doc::Words;
use crate::doc::{Document, Label};
use crate::domain::DomainLayer;
use crate::error::{InputError, Outcome, Result};
use crate::link::Linker;
use crate::model::{Tagger, decode_entities};
use crate::relate::Relater;
use crate::segment::Segmenter;

/// The longest run of words the tagger sees as one sentence. The CRF's lattices take about
/// 800 bytes per word of a sentence, so text without sentence ends (a table, a list, a repeated
/// phrase) of 12 MB would take 3 GB as one sentence; longer sentences are tagged in pieces of
/// this many words. The longest sentence of `corpus/` has about 1,000 words.
pub const MAX_TAGGED_SENTENCE: usize = 4096;

/// A sentence's words as the tagger sees them: in pieces of at most [`MAX_TAGGED_SENTENCE`].
fn tagged_pieces(words: std::ops::Range<usize>) -> impl Iterator<Item = std::ops::Range<usize>> {
    (words.start..words.end)
        .step_by(MAX_TAGGED_SENTENCE)
        .map(move |start| start..(start + MAX_TAGGED_SENTENCE).min(words.end))
}

/// The most words the tagger sees at once. The CRF keeps about 500 bytes of features per word of
/// what it tags (its document-level features look at the whole), so a document of millions of
/// short words (12 MB of `PURL (PURL) ` is 4 million) is tagged in runs of whole sentences of at
/// most this many words: 131,072 words is about 1 MB of prose, several times any document in
/// `corpus/`, and takes about 100 MB to tag.
pub const MAX_TAGGED_WORDS: usize = 1 << 17;

/// Groups sentences (already cut to [`MAX_TAGGED_SENTENCE`]) into consecutive runs of at most
/// [`MAX_TAGGED_WORDS`] words.
fn tagged_chunks(
    sentences: impl Iterator<Item = std::ops::Range<usize>>,
) -> Vec<Vec<std::ops::Range<usize>>> {
    let mut chunks: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new()];
    let mut words = 0;
    for s in sentences {
        if words + s.len() > MAX_TAGGED_WORDS && words > 0 {
            chunks.push(Vec::new());
            words = 0;
        }
        words += s.len();
        chunks.last_mut().expect("never empty").push(s);
    }
    chunks
}

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
        PipelineConfig {
            batch_docs: 256,
            batch_bytes: 8 << 20,
        }
    }
}

/// Annotates documents: the shared part of every model's path from text to entities.
pub struct Pipeline {
    segmenter: Segmenter,
    tagger: Box<dyn Tagger>,
    domain: Option<DomainLayer>,
    linker: Linker,
    relater: Option<Relater>,
    config: PipelineConfig,
}

impl Pipeline {
    /// A pipeline around `tagger` alone: the model's entities, no domain layer.
    pub fn new(tagger: Box<dyn Tagger>, config: PipelineConfig) -> Self {
        Pipeline {
            segmenter: Segmenter::new(),
            tagger,
            domain: None,
            linker: Linker::default(),
            relater: None,
            config,
        }
    }

    /// Adds the domain layer (patterns, gazetteers, acronyms) after the model.
    pub fn with_domain(mut self, domain: DomainLayer) -> Self {
        self.linker = Linker::new(domain.gazetteer());
        self.domain = Some(domain);
        self
    }

    /// Adds the relation stage after linking.
    pub fn with_relations(mut self, relater: Relater) -> Self {
        self.relater = Some(relater);
        self
    }

    /// The model in use.
    pub fn tagger(&self) -> &dyn Tagger {
        self.tagger.as_ref()
    }

    /// Segments, finds the document's date ([`crate::dating`]), tags, decodes, (with a domain
    /// layer) completes, links and (with the relation stage) relates one document in place.
    pub fn annotate(&self, doc: &mut Document) -> Result<()> {
        let seg = self.segmenter.segment(&doc.text);
        doc.tokens = seg.tokens;
        doc.sentences = seg.sentences;
        doc.date = crate::dating::find(doc);
        let words: Vec<&str> = doc.tokens.iter().map(|t| t.span.text(&doc.text)).collect();
        let sentences = doc
            .sentences
            .iter()
            .flat_map(|s| tagged_pieces(s.tokens.clone()));
        let mut tags = Vec::with_capacity(words.len());
        for chunk in tagged_chunks(sentences) {
            let at = chunk.first().map_or(0, |s| s.start);
            let end = chunk.last().map_or(at, |s| s.end);
            let part = Words {
                words: words[at..end].to_vec(),
                sentences: chunk.iter().map(|s| s.start - at..s.end - at).collect(),
            };
            tags.extend(self.tagger.tag_for_entities(&part)?);
        }
        let spans: Vec<_> = doc.tokens.iter().map(|t| t.span).collect();
        doc.entities = decode_entities(&spans, &tags);
        if let Some(domain) = &self.domain {
            domain.apply(doc);
        }
        self.linker.link(doc);
        if let Some(relater) = &self.relater {
            relater.relate(doc);
        }
        Ok(())
    }

    /// Runs every input through the pipeline on the current rayon pool and hands each batch of
    /// outcomes, in input order, to `sink`. Stops at the first error `sink` returns.
    ///
    /// Three stages overlap: a reader thread pulls `inputs` into a queue, the pool annotates one
    /// batch at a time, and a writer thread runs `sink` on the batch before. A batch is whatever
    /// the queue holds when the pool is free, up to [`PipelineConfig::batch_docs`] documents and
    /// [`PipelineConfig::batch_bytes`] bytes: the pool never waits for a batch to fill, so a
    /// document that arrives on a quiet pipe is annotated and handed to `sink` at once, and a
    /// fast reader still gives full batches. Memory is bounded by about three batches (the
    /// queue, the batch being annotated, the batch being written).
    ///
    /// The reader thread is not waited for when `sink` fails: if it is blocked in a read
    /// (standard input that is still open), it ends at that read's return instead of holding up
    /// the error. A panic while reading is passed on, never taken for the end of the input.
    pub fn run<I, F, E>(&self, inputs: I, sink: F) -> std::result::Result<(), E>
    where
        I: Iterator<Item = Outcome> + Send + 'static,
        F: FnMut(Vec<Outcome>) -> std::result::Result<(), E> + Send,
        E: Send,
    {
        self.run_with_progress(inputs, |_| {}, sink)
    }

    /// [`Pipeline::run`], calling `on_done` on a worker thread as each input is done (annotated,
    /// or failed), in the order they finish, before its batch reaches `sink`: a progress bar fed
    /// from it moves per document, not per batch (a batch of the transformer can take minutes).
    pub fn run_with_progress<I, P, F, E>(
        &self,
        inputs: I,
        on_done: P,
        mut sink: F,
    ) -> std::result::Result<(), E>
    where
        I: Iterator<Item = Outcome> + Send + 'static,
        P: Fn(&Outcome) + Sync,
        F: FnMut(Vec<Outcome>) -> std::result::Result<(), E> + Send,
        E: Send,
    {
        let queue = Queue::new(self.config.batch_docs, self.config.batch_bytes);
        let feeder = queue.clone();
        let reader = std::thread::spawn(move || {
            // Closed however the reader ends, a panic included, so the pool never waits forever.
            let _close = CloseOnDrop(&feeder);
            for item in inputs {
                if !feeder.push(item) {
                    break;
                }
            }
        });
        // Whatever happens below, the reader must not wait for room that will never come.
        let _close = CloseOnDrop(&queue);
        let mut all_read = false;
        let result = std::thread::scope(|scope| {
            // Rendezvous: a finished batch waits here until the writer has written the one before.
            let (done_tx, done_rx) = mpsc::sync_channel::<Vec<Outcome>>(0);
            let writer = scope.spawn(move || done_rx.into_iter().try_for_each(&mut sink));
            loop {
                let Some(batch) = queue.pop_batch() else {
                    all_read = true;
                    break;
                };
                let done: Vec<Outcome> = batch
                    .into_par_iter()
                    .map(|item| {
                        let done = item.and_then(|mut doc| match self.annotate(&mut doc) {
                            Ok(()) => Ok(doc),
                            Err(e) => Err(InputError {
                                input: doc.id,
                                reason: e.report(),
                            }),
                        });
                        on_done(&done);
                        done
                    })
                    .collect();
                if done_tx.send(done).is_err() {
                    break; // the writer stopped on an error, which join returns
                }
            }
            drop(done_tx);
            writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        // The queue was closed by the reader, which has ended: if by a panic, that is not the
        // end of the input, and must not pass for it.
        if all_read && let Err(panic) = reader.join() {
            std::panic::resume_unwind(panic);
        }
        result
    }
}

/// The bounded queue between the reader thread and the pool: at most `max_docs` documents and
/// `max_bytes` bytes of text (always room for one document, however large).
#[derive(Clone)]
struct Queue {
    shared: Arc<(Mutex<QueueState>, Condvar)>,
    max_docs: usize,
    max_bytes: usize,
}

#[derive(Default)]
struct QueueState {
    items: VecDeque<Outcome>,
    bytes: usize,
    /// No more pushes: the reader is done, or the consumer has gone.
    closed: bool,
}

fn outcome_bytes(item: &Outcome) -> usize {
    item.as_ref().map_or(0, |d| d.text.len())
}

impl Queue {
    fn new(max_docs: usize, max_bytes: usize) -> Self {
        Queue {
            shared: Arc::default(),
            max_docs: max_docs.max(1),
            max_bytes,
        }
    }

    /// Adds an item, waiting for room; false when the consumer has gone.
    fn push(&self, item: Outcome) -> bool {
        let (lock, cond) = &*self.shared;
        let n = outcome_bytes(&item);
        let mut st = crate::sync::lock(lock);
        while !st.closed
            && !st.items.is_empty()
            && (st.items.len() >= self.max_docs || st.bytes + n > self.max_bytes)
        {
            st = crate::sync::wait(cond, st);
        }
        if st.closed {
            return false;
        }
        st.bytes += n;
        st.items.push_back(item);
        cond.notify_all();
        true
    }

    /// Ends the queue: the consumer takes what is left, the producer stops.
    fn close(&self) {
        let (lock, cond) = &*self.shared;
        crate::sync::lock(lock).closed = true;
        cond.notify_all();
    }

    /// Waits for at least one item, then takes every queued item up to one batch's limits;
    /// `None` once the queue is closed and empty.
    fn pop_batch(&self) -> Option<Vec<Outcome>> {
        let (lock, cond) = &*self.shared;
        let mut st = crate::sync::lock(lock);
        while st.items.is_empty() && !st.closed {
            st = crate::sync::wait(cond, st);
        }
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < self.max_docs && (batch.is_empty() || bytes < self.max_bytes) {
            let Some(item) = st.items.pop_front() else {
                break;
            };
            let n = outcome_bytes(&item);
            st.bytes -= n;
            bytes += n;
            batch.push(item);
        }
        cond.notify_all();
        (!batch.is_empty()).then_some(batch)
    }
}

/// Closes the queue when the consumer leaves, normally or by an error or panic.
struct CloseOnDrop<'a>(&'a Queue);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
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
                    let tag = if w.starts_with(char::is_uppercase) {
                        Tag::B(Label::Org)
                    } else {
                        Tag::O
                    };
                    TokenTag { tag, score: 0.5 }
                })
                .collect())
        }
    }

    fn pipeline(batch_docs: usize) -> Pipeline {
        Pipeline::new(
            Box::new(CapitalsTagger),
            PipelineConfig {
                batch_docs,
                batch_bytes: 1 << 20,
            },
        )
    }

    #[test]
    fn progress_counts_each_input_before_its_batch_is_handed_on() {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let inputs = (0..23).map(|i| {
            if i == 5 {
                Err(InputError {
                    input: "bad".into(),
                    reason: "unreadable".into(),
                })
            } else {
                Ok(Document::new(format!("d{i}"), "De NAVO."))
            }
        });
        let mut handed = 0;
        pipeline(100)
            .run_with_progress(
                inputs,
                |_| {
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                },
                |batch| {
                    handed += batch.len();
                    // Every input of the batch was counted, one by one, before it got here.
                    assert!(done.load(std::sync::atomic::Ordering::SeqCst) >= handed);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
        assert_eq!((done.into_inner(), handed), (23, 23));
    }

    #[test]
    fn batched_run_equals_one_by_one_and_keeps_input_order() {
        let texts: Vec<String> = (0..23)
            .map(|i| format!("Document {i} noemt de NAVO en Den Haag."))
            .collect();
        let inputs = || {
            texts.clone().into_iter().enumerate().map(|(i, t)| {
                if i == 5 {
                    Err(InputError {
                        input: "bad".into(),
                        reason: "unreadable".into(),
                    })
                } else {
                    Ok(Document::new(format!("d{i}"), t))
                }
            })
        };
        let mut batched = Vec::new();
        pipeline(4)
            .run(inputs(), |b| {
                assert!(!b.is_empty() && b.len() <= 4, "batch of {}", b.len());
                batched.extend(b);
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(batched.len(), 23);
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
        let names: Vec<&str> = first
            .entities
            .iter()
            .map(|e| e.span.text(&first.text))
            .collect();
        assert_eq!(names, vec!["Document", "NAVO", "Den", "Haag"]);
    }

    /// A document that arrives on a quiet input is written before the next one arrives: the
    /// pipeline does not wait for a batch to fill (what a pipe to Spark or a shell needs).
    #[test]
    fn a_document_is_handed_on_before_more_input_arrives() {
        use std::sync::mpsc;
        use std::time::Duration;

        let (input_tx, input_rx) = mpsc::channel::<Outcome>();
        let (seen_tx, seen_rx) = mpsc::channel::<String>();
        let feeder = std::thread::spawn(move || {
            for i in 0..3 {
                input_tx
                    .send(Ok(Document::new(format!("d{i}"), "De NAVO vergadert.")))
                    .unwrap();
                // The next document is sent only once this one has come out.
                let id = seen_rx
                    .recv_timeout(Duration::from_secs(20))
                    .expect("a lone document is written at once");
                assert_eq!(id, format!("d{i}"));
            }
        });
        pipeline(256)
            .run(input_rx.into_iter(), |batch| {
                for doc in batch {
                    seen_tx.send(doc.unwrap().id).map_err(|_| ())?;
                }
                Ok::<_, ()>(())
            })
            .unwrap();
        feeder.join().unwrap();
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let inputs = (0..1000).map(|i| Ok(Document::new(format!("d{i}"), "Den Haag.")));
        let mut calls = 0;
        let got = pipeline(2).run(inputs, |_| {
            calls += 1;
            if calls == 3 { Err("disk full") } else { Ok(()) }
        });
        assert_eq!(got, Err("disk full"));
        assert_eq!(calls, 3);
    }

    #[test]
    #[should_panic(expected = "reader broke")]
    fn a_panic_while_reading_is_not_taken_for_the_end_of_the_input() {
        let inputs = (0..10).map(|i| {
            assert!(i < 3, "reader broke");
            Ok(Document::new(format!("d{i}"), "Den Haag."))
        });
        let _ = pipeline(2).run(inputs, |_| Ok::<_, ()>(()));
    }
}
