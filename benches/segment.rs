//! Throughput of the segmenter on the bundled corpus (letters and motions), in tokens and bytes
//! per second.
//!
//! Needs `[[bench]] name = "segment" harness = false` in `Cargo.toml`; run with
//! `cargo bench --bench segment`.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nl_ner::segment::Segmenter;

/// Every corpus text, joined by blank lines.
fn corpus() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths = Vec::new();
    for dir in ["letters", "moties"] {
        for entry in fs::read_dir(root.join(dir)).expect("corpus directory") {
            let path = entry.expect("corpus entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths.iter().map(|p| fs::read_to_string(p).expect("corpus text")).collect::<Vec<_>>().join("\n\n")
}

fn segment(c: &mut Criterion) {
    let text = corpus();
    let segmenter = Segmenter::new();
    let tokens = segmenter.segment(&text).tokens.len() as u64;
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Elements(tokens));
    group.bench_function("corpus tokens", |b| b.iter(|| segmenter.segment(black_box(&text))));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("corpus bytes", |b| b.iter(|| segmenter.segment(black_box(&text))));
    group.finish();
}

criterion_group!(benches, segment);
criterion_main!(benches);
