//! Writing JSONL: the bundled corpus, annotated once by the full pipeline, serialised again and
//! again into memory, in documents and bytes per second.
//!
//! Run with `cargo bench --bench jsonl`; numbers in `docs/performance.md`.

mod common;

use std::hint::black_box;

use common::corpus_paths;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nl_ner::CrfTagger;
use nl_ner::Document;
use nl_ner::DomainLayer;
use nl_ner::{Pipeline, PipelineConfig};
use nl_ner_io::output::jsonl;

fn write_jsonl(c: &mut Criterion) {
    let pipeline = Pipeline::new(
        Box::new(CrfTagger::embedded().expect("model")),
        PipelineConfig::default(),
    )
    .with_domain(DomainLayer::new().expect("gazetteers"));
    let docs: Vec<Document> = corpus_paths()
        .iter()
        .map(|p| {
            let mut doc = Document::new(
                p.display().to_string(),
                std::fs::read_to_string(p).expect("text"),
            );
            pipeline.annotate(&mut doc).expect("annotated");
            doc
        })
        .collect();
    let mut out = Vec::new();
    for d in &docs {
        jsonl::write_document(&mut out, d).expect("written");
    }
    let mut group = c.benchmark_group("jsonl");
    for (name, throughput) in [
        ("documents", Throughput::Elements(docs.len() as u64)),
        ("bytes", Throughput::Bytes(out.len() as u64)),
    ] {
        group.throughput(throughput);
        group.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                for d in &docs {
                    jsonl::write_document(&mut out, black_box(d)).expect("written");
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, write_jsonl);
criterion_main!(benches);
