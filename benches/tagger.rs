//! The CRF tagger on the bundled corpus, in tokens per second, through its public interface:
//! `tag` (features, weight lookups, Viterbi and every word's marginal) and `tag_for_entities`
//! (the same, with marginals only for the words inside entities, what the pipeline runs).
//! Feature extraction and decoding alone are internals of the library, no longer timed apart.
//!
//! Run with `cargo bench --bench tagger`; numbers in `docs/performance.md`.

mod common;

use std::hint::black_box;

use common::corpus_texts;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nl_ner::segment::Segmenter;
use nl_ner::{CrfTagger, Tagger, Words};

/// The corpus's documents as the tagger sees them.
fn documents(texts: &[String]) -> Vec<Words<'_>> {
    let segmenter = Segmenter::new();
    texts
        .iter()
        .map(|text| {
            let seg = segmenter.segment(text);
            Words {
                words: seg.tokens.iter().map(|t| t.span.text(text)).collect(),
                sentences: seg.sentences.iter().map(|s| s.tokens.clone()).collect(),
            }
        })
        .collect()
}

fn tagger(c: &mut Criterion) {
    let texts = corpus_texts();
    let docs = documents(&texts);
    let tokens: u64 = docs.iter().map(|d| d.words.len() as u64).sum();
    let tagger = CrfTagger::embedded().expect("embedded model");

    let mut group = c.benchmark_group("tagger");
    group.throughput(Throughput::Elements(tokens));
    group.bench_function("tag", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(tagger.tag(black_box(d)).expect("tags"));
            }
        })
    });
    group.bench_function("tag_for_entities", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(tagger.tag_for_entities(black_box(d)).expect("tags"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, tagger);
criterion_main!(benches);
