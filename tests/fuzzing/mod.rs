//! The checks the fuzz targets run (`fuzz/fuzz_targets/*.rs` include this file), shared with the
//! integration tests (`tests/integration/main.rs` includes it too): `fuzz_regressions` replays
//! every input the fuzzer ever found against them, and the property tests use them. Each check
//! takes arbitrary bytes and panics on a broken invariant.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use nl_ner::CrfTagger;
use nl_ner::find_pairs;
use nl_ner::segment::Segmenter;
use nl_ner::{Document, Span};
use nl_ner::{Tagger, Words};
use nl_ner_io::input::{self, Documents, InputFormat};
use nl_ner_io::output::jsonl;

/// A check: panics when an invariant breaks on these bytes.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: the directory names under `fuzz/regressions/`.
pub const TARGETS: [(&str, Check); 10] = [
    ("input", input),
    ("pdf", pdf),
    ("docx", docx),
    ("odt", odt),
    ("html", html),
    ("xml", xml),
    ("segment", segment),
    ("jsonl", jsonl),
    ("acronym", acronym),
    ("model", model),
];

/// The targets of the format readers (`input::formats`): one per reader entry point.
pub const READERS: [&str; 5] = ["pdf", "docx", "odt", "html", "xml"];

/// A small limit, so that the fuzzer reaches the too-large paths with small inputs.
const FUZZ_MAX_DOC_BYTES: u64 = 512;

/// The PDF reader (`pdf-extract`, the layout, the cleaning): see [`read_as`].
pub fn pdf(data: &[u8]) {
    read_as(nl_ner_io::input::formats::Format::Pdf, data);
}

/// The DOCX reader (zip, then the XML of `word/document.xml`): see [`read_as`].
pub fn docx(data: &[u8]) {
    read_as(nl_ner_io::input::formats::Format::Docx, data);
}

/// The ODT reader (zip, then `content.xml`): see [`read_as`].
pub fn odt(data: &[u8]) {
    read_as(nl_ner_io::input::formats::Format::Odt, data);
}

/// The HTML reader (html5ever, main content): see [`read_as`].
pub fn html(data: &[u8]) {
    read_as(nl_ner_io::input::formats::Format::Html, data);
}

/// The XML reader (officiële-publicaties XML, TEI): see [`read_as`].
pub fn xml(data: &[u8]) {
    read_as(nl_ner_io::input::formats::Format::Xml, data);
}

/// One format reader on the bytes: it gives text within the limit whose source parts are
/// ranges of it, in order, or an error with a reason; never a panic.
fn read_as(format: nl_ner_io::input::formats::Format, data: &[u8]) {
    use nl_ner_io::input::formats::{self, Options};
    let opts = Options {
        max_text_bytes: FUZZ_MAX_DOC_BYTES,
        xml_text: None,
    };
    match formats::extract(format, data, &opts) {
        Ok(out) => {
            assert!(out.text.len() as u64 <= FUZZ_MAX_DOC_BYTES);
            let chars = out.text.chars().count();
            let mut last = 0;
            for p in &out.source.parts {
                assert!(last <= p.start && p.start <= p.end && p.end <= chars);
                last = p.end;
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The decoder and the reader: bytes as a stream (sniffed as JSONL or text) and as a text file.
pub fn input(data: &[u8]) {
    match input::decode_text(data.to_vec()) {
        Ok(text) => {
            let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
            assert_eq!(
                text.as_bytes(),
                body,
                "decoding changes nothing but the BOM"
            );
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    for format in [InputFormat::Auto, InputFormat::Text, InputFormat::Jsonl] {
        let docs = Documents::from_reader("fuzz", Cursor::new(data.to_vec()), format)
            .with_max_doc_bytes(FUZZ_MAX_DOC_BYTES);
        let mut n = 0;
        for doc in docs {
            n += 1;
            match doc {
                Ok(d) => assert!(
                    d.text.len() as u64 <= FUZZ_MAX_DOC_BYTES,
                    "a document over the limit got through"
                ),
                Err(e) => assert!(e.input.starts_with("fuzz") && !e.reason.is_empty()),
            }
        }
        // Every non-blank line (or line over the limit) is one outcome; a text stream is one document.
        let lines = data
            .split(|&b| b == b'\n')
            .filter(|l| {
                l.len() as u64 > FUZZ_MAX_DOC_BYTES || !l.iter().all(u8::is_ascii_whitespace)
            })
            .count();
        assert!(n <= lines.max(1), "{n} outcomes from {lines} lines");
    }
}

/// The segmenter and tokenizer on any text.
pub fn segment(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seg = segmenter().segment(text);
    let tokens: Vec<Span> = seg.tokens.iter().map(|t| t.span).collect();
    check_spans(text, &tokens, "token");
    for t in &tokens {
        assert!(!t.text(text).trim().is_empty(), "blank token {t:?}");
    }
    let sentences: Vec<Span> = seg.sentences.iter().map(|s| s.span).collect();
    check_spans(text, &sentences, "sentence");
    let mut next = 0;
    for s in &seg.sentences {
        assert_eq!(
            s.tokens.start, next,
            "sentences cover every token once, in order"
        );
        assert!(s.tokens.end > s.tokens.start && s.tokens.end <= tokens.len());
        for t in &tokens[s.tokens.clone()] {
            assert!(
                s.span.byte_start <= t.byte_start && t.byte_end <= s.span.byte_end,
                "token outside its sentence"
            );
        }
        next = s.tokens.end;
    }
    assert_eq!(next, tokens.len());
    let plain: Vec<Span> = segmenter().tokens(text).collect();
    assert_eq!(plain, tokens, "tokens() and segment() agree");
}

/// A JSONL input line: parsed, written back, and read again with the same text, id and fields.
pub fn jsonl(data: &[u8]) {
    let doc = match input::parse_line(data, "fuzz:1") {
        Ok(d) => d,
        Err(e) => {
            assert_eq!(e.input, "fuzz:1");
            return;
        }
    };
    let mut out = Vec::new();
    jsonl::write_document(&mut out, &doc).expect("writing to memory");
    assert_eq!(
        out.iter().filter(|&&b| b == b'\n').count(),
        1,
        "one line per document"
    );
    let back = input::parse_line(&out, "fuzz:out").expect("the output is a valid input line");
    assert_eq!(back.text, doc.text);
    assert_eq!(back.id, doc.id);
    for (k, v) in &doc.extra {
        if !["schema", "entities", "sentences"].contains(&k.as_str()) {
            assert_eq!(back.extra.get(k), Some(v), "field {k} carried through");
        }
    }
}

/// The acronym matcher on any text: both forms of a pair lie inside the text, apart.
pub fn acronym(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = Document::new("fuzz", text);
    for pair in find_pairs(&doc) {
        let mut forms = [pair.long, pair.short];
        forms.sort();
        check_spans(text, &forms, "acronym pair");
    }
}

/// The model loader on any bytes made into a candidate model file (see [`model_file`]); a model
/// that loads must tag a sentence.
pub fn model(data: &[u8]) {
    let Ok(tagger) = CrfTagger::from_bytes(&model_file(data), Path::new("fuzz.model")) else {
        return;
    };
    let words = ["De", "NAVO", "vergaderde", "in", "Den", "Haag", "."];
    let tags = tagger
        .tag(&Words {
            words: words.to_vec(),
            sentences: std::iter::once(0..words.len()).collect(),
        })
        .expect("tagging");
    assert_eq!(tags.len(), words.len());
    assert!(
        tags.iter().all(|t| (0.0..=1.0).contains(&t.score)),
        "{tags:?}"
    );
}

/// The fuzzer's bytes as a model file that gets past the checks a random file cannot pass: the
/// feature-template hash and lexicon fingerprint (bytes 12..28) are the shipped model's, so that seeds
/// stay valid when the model is retrained, and the CRC-32 is appended.
pub fn model_file(data: &[u8]) -> Vec<u8> {
    const SHIPPED: &[u8] = include_bytes!("../../models/nl-ner-crf.model");
    let mut bytes = data.to_vec();
    if bytes.len() >= 28 {
        bytes[12..28].copy_from_slice(&SHIPPED[12..28]);
    }
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    bytes
}

fn segmenter() -> &'static Segmenter {
    static S: OnceLock<Segmenter> = OnceLock::new();
    S.get_or_init(Segmenter::new)
}

/// Every span lies inside `text` on character boundaries, its code-point offsets match its byte
/// offsets, and the spans are sorted, non-empty and do not overlap.
pub fn check_spans(text: &str, spans: &[Span], what: &str) {
    let mut last_end = 0;
    for s in spans {
        assert!(
            s.byte_start < s.byte_end && s.byte_end <= text.len(),
            "{what} {s:?} outside the text"
        );
        assert!(
            text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end),
            "{what} {s:?} splits a character"
        );
        assert_eq!(
            *s,
            Span::from_bytes(text, s.bytes()),
            "{what} code-point offsets"
        );
        assert!(
            s.byte_start >= last_end,
            "{what} {s:?} unsorted or overlapping"
        );
        last_end = s.byte_end;
    }
}
