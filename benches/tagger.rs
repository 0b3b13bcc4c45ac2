//! The CRF tagger's parts on the bundled corpus, in tokens per second: feature extraction alone,
//! decoding alone (Viterbi, forward–backward marginals), and whole tagging (features, weight
//! lookups, decoding), so that the lookups' share is `tag` minus the other two.
//!
//! Run with `cargo bench --bench tagger`; numbers in `docs/performance.md`.

mod common;

use std::hint::black_box;

use common::corpus_texts;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nl_ner::lexicon::Lexicon;
use nl_ner::model::crf::CrfTagger;
use nl_ner::model::crf::decode::{self, DecodeBuf};
use nl_ner::model::crf::features::{self, FeatureBuf};
use nl_ner::model::{Tagger, Words};
use nl_ner::segment::Segmenter;

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

/// A deterministic pseudo-random score in `[-4, 4)`.
fn score(i: usize) -> f32 {
    let h = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((h >> 40) as f32 / (1u64 << 24) as f32) * 8.0 - 4.0
}

fn tagger_parts(c: &mut Criterion) {
    let texts = corpus_texts();
    let docs = documents(&texts);
    let tokens: u64 = docs.iter().map(|d| d.words.len() as u64).sum();
    let lexicon = Lexicon::embedded().expect("embedded lexicon");
    let tagger = CrfTagger::embedded().expect("embedded model");
    let labels = tagger.tags().len();

    let mut group = c.benchmark_group("tagger");
    group.throughput(Throughput::Elements(tokens));
    let mut buf = FeatureBuf::default();
    group.bench_function("features", |b| {
        b.iter(|| {
            for d in &docs {
                features::extract_doc(black_box(&d.words), &d.sentences, &lexicon, &mut buf);
            }
        })
    });

    // Lattices the size of the corpus's sentences (plus the two separator positions), with
    // scores in the range of the real ones; decoding time does not depend on their values.
    let lattices: Vec<Vec<f32>> = docs
        .iter()
        .flat_map(|d| d.sentences.iter())
        .enumerate()
        .map(|(k, s)| {
            (0..(s.len() + 2) * labels)
                .map(|i| score(i + 7919 * k))
                .collect()
        })
        .collect();
    let trans: Vec<f32> = (0..labels * labels).map(|i| score(i + 13)).collect();
    let mut dbuf = DecodeBuf::default();
    let (mut path, mut marg) = (Vec::new(), Vec::new());
    group.bench_function("viterbi", |b| {
        b.iter(|| {
            for lat in &lattices {
                decode::viterbi(black_box(lat), &trans, labels, &mut dbuf, &mut path);
            }
        })
    });
    group.bench_function("marginals", |b| {
        b.iter(|| {
            for lat in &lattices {
                decode::marginals(black_box(lat), &trans, labels, &mut dbuf, &mut marg);
            }
        })
    });
    group.bench_function("tag", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(tagger.tag(black_box(d)).expect("tags"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, tagger_parts);
criterion_main!(benches);
