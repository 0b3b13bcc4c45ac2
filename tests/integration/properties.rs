//! Properties of the whole pipeline over arbitrary text: every script, combining marks, emoji,
//! control characters, and bytes that are not UTF-8 at all (docs/reliability.md).
//!
//! Case counts are chosen so that the file runs in a few seconds in CI; raise them with
//! `PROPTEST_CASES=10000 cargo test --release --test integration properties::` for a longer search.

use crate::fuzzing;

use std::io::Cursor;
use std::sync::OnceLock;

use nl_ner::CrfTagger;
use nl_ner::DomainLayer;
use nl_ner::{Document, Span};
use nl_ner::{Pipeline, PipelineConfig};
use nl_ner_io::input::{Documents, InputFormat, decode_text};
use nl_ner_io::output::jsonl::write_document;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// `n` cases, or `PROPTEST_CASES` when set.
fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        cases: n,
        // Past failures are replayed from `properties.proptest-regressions` beside this file. The
        // default place would be `tests/proptest-regressions/properties.txt`: proptest puts it
        // beside the directory that holds a `main.rs`, here `tests/integration/`.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let config = PipelineConfig {
            batch_docs: 3,
            ..PipelineConfig::default()
        };
        Pipeline::new(Box::new(CrfTagger::embedded().unwrap()), config)
            .with_domain(DomainLayer::new().unwrap())
    })
}

/// Pieces that real and hostile text is made of, so that the generator finds names, acronym
/// definitions, amounts and sentence ends, not only noise.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "De", "Tweede Kamer", "minister", "Brekelmans", "NAVO", "Den Haag", "’s-Gravenhage", "Raad van State",
            "(RvS)", "Centraal Planbureau (CPB)", "€ 1,5 mld.", "12%", "1 januari 2026", "Kamerstuk 36 045, nr. 2",
            "dhr.", "art. 3", "i.v.m.", "Oekraïne", "Curaçao", "U.S.A.", "e-mail", "https://x.nl/a?b=1", "-",
        ]).prop_map(str::to_string),
        3 => prop::sample::select(vec![" ", " ", ". ", ", ", "\n", "\n\n", "\r\n", "\t", "(", ")", "\"", "„", "”", "'", ":", ";", "!", "?", "…"])
            .prop_map(str::to_string),
        2 => any::<char>().prop_map(String::from),
        1 => "[\\u{300}-\\u{36f}\\u{1ab0}-\\u{1aff}\\u{20d0}-\\u{20ff}]{1,4}",
        1 => prop::sample::select(vec!["😀", "👩‍👩‍👧", "🇳🇱", "👍🏽", "#️⃣", "\u{fe0f}", "\u{200d}"]).prop_map(str::to_string),
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{2028}\\u{2029}\\u{200b}\\u{feff}\\u{a0}]",
        1 => "[\\p{Han}\\p{Arabic}\\p{Hebrew}\\p{Cyrillic}\\p{Greek}\\p{Devanagari}\\p{Thai}\\p{Hangul}]{1,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

/// `text[start:end]` in code points, as a reader of the output slices.
fn slice_chars(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

fn check_document(doc: &Document) {
    let tokens: Vec<Span> = doc.tokens.iter().map(|t| t.span).collect();
    fuzzing::check_spans(&doc.text, &tokens, "token");
    let sentences: Vec<Span> = doc.sentences.iter().map(|s| s.span).collect();
    fuzzing::check_spans(&doc.text, &sentences, "sentence");
    let entities: Vec<Span> = doc.entities.iter().map(|e| e.span).collect();
    fuzzing::check_spans(&doc.text, &entities, "entity");
    for e in &doc.entities {
        assert!((0.0..=1.0).contains(&e.score), "{e:?}");
    }
    // What a reader of the JSONL sees: code-point offsets that slice out each entity's text.
    let mut line = Vec::new();
    write_document(&mut line, doc).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&line).unwrap();
    assert_eq!(v["text"].as_str(), Some(doc.text.as_str()));
    for e in v["entities"].as_array().unwrap() {
        let (s, t) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
        assert_eq!(slice_chars(&doc.text, s, t), e["text"].as_str().unwrap());
    }
}

fn annotate_all(texts: &[String], threads: usize) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    // The pipeline's reader thread owns its inputs.
    let docs: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Ok(Document::new(format!("d{i}"), t.clone())))
        .collect();
    let mut out = Vec::new();
    pool.install(|| {
        pipeline().run(docs.into_iter(), |batch| {
            for doc in batch {
                write_document(&mut out, &doc.unwrap())?;
            }
            std::io::Result::Ok(())
        })
    })
    .unwrap();
    out
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn every_span_lies_inside_the_text_and_slices_exactly(text in text()) {
        let mut doc = Document::new("p", text);
        pipeline().annotate(&mut doc).unwrap();
        check_document(&doc);
        fuzzing::segment(doc.text.as_bytes());
        fuzzing::acronym(doc.text.as_bytes());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_rejected_never_mangled(
        text in text(),
        junk in prop::collection::vec((any::<prop::sample::Index>(), prop_oneof![0x80u8..=0xff, Just(0u8), Just(0xed)]), 0..4),
    ) {
        let mut bytes = text.into_bytes();
        for (at, b) in junk {
            let i = at.index(bytes.len() + 1);
            bytes.insert(i, b);
        }
        let valid = std::str::from_utf8(&bytes).is_ok() && !bytes.contains(&0);
        match decode_text(bytes.clone()) {
            Ok(t) => prop_assert!(valid && t.as_bytes() == bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)),
            Err(_) => prop_assert!(!valid),
        }
        fuzzing::input(&bytes);
        for mut doc in Documents::from_reader("p", Cursor::new(bytes), InputFormat::Text).flatten() {
            pipeline().annotate(&mut doc).unwrap();
            check_document(&doc);
        }
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn output_is_the_same_for_one_and_many_threads(texts in prop::collection::vec(text(), 1..12)) {
        let one = annotate_all(&texts, 1);
        prop_assert!(one == annotate_all(&texts, 4), "output depends on the thread count");
    }
}
