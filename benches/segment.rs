//! Throughput of the segmenter on the bundled corpus (letters and motions), in tokens and bytes
//! per second.
//!
//! Needs `[[bench]] name = "segment" harness = false` in `Cargo.toml`; run with
//! `cargo bench --bench segment`.

mod common;

use std::hint::black_box;

use common::corpus;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nl_ner::segment::Segmenter;

fn segment(c: &mut Criterion) {
    let text = corpus();
    let segmenter = Segmenter::new();
    let tokens = segmenter.segment(&text).tokens.len() as u64;
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Elements(tokens));
    group.bench_function("corpus tokens", |b| {
        b.iter(|| segmenter.segment(black_box(&text)))
    });
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("corpus bytes", |b| {
        b.iter(|| segmenter.segment(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, segment);
criterion_main!(benches);
