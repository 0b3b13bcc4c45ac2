//! Tests of the whole layer: real corpus documents, model entities merged with the rules.

use std::path::PathBuf;

use super::*;
use crate::doc::{Label, Source, Span};

fn segmented(text: &str) -> Document {
    let mut doc = Document::new("test", text);
    let seg = Segmenter::new().segment(text);
    doc.tokens = seg.tokens;
    doc.sentences = seg.sentences;
    doc
}

fn found(doc: &Document) -> Vec<(&str, Label, Source)> {
    doc.entities
        .iter()
        .map(|e| (e.span.text(&doc.text), e.label, e.source))
        .collect()
}

fn corpus_files() -> Vec<PathBuf> {
    let root = crate::source_root().join("corpus");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Checks that every entity slices exactly, in bytes and in code points, and that the entities
/// are sorted and do not overlap.
fn check_offsets(doc: &Document) {
    let text = &doc.text;
    // Code-point offset of every byte offset that starts a character.
    let mut char_at = vec![usize::MAX; text.len() + 1];
    for (n, (b, _)) in text.char_indices().enumerate() {
        char_at[b] = n;
    }
    char_at[text.len()] = text.chars().count();
    let mut prev_end = 0;
    for e in &doc.entities {
        let s = e.span;
        assert!(
            s.byte_start < s.byte_end && s.byte_end <= text.len(),
            "{}: bad span {s:?}",
            doc.id
        );
        assert!(
            s.byte_start >= prev_end,
            "{}: overlapping or unsorted at {s:?}",
            doc.id
        );
        prev_end = s.byte_end;
        assert_eq!(
            char_at[s.byte_start],
            s.char_start,
            "{}: char start of {:?}",
            doc.id,
            &text[s.bytes()]
        );
        assert_eq!(
            char_at[s.byte_end],
            s.char_end,
            "{}: char end of {:?}",
            doc.id,
            &text[s.bytes()]
        );
        let surface = &text[s.bytes()];
        assert_eq!(
            surface.trim(),
            surface,
            "{}: span with white space at its edge: {surface:?}",
            doc.id
        );
    }
}

#[test]
fn every_corpus_document_gets_exact_sorted_non_overlapping_entities() {
    let layer = DomainLayer::new().unwrap();
    let files = corpus_files();
    assert!(files.len() > 100, "corpus not found");
    let mut total = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut doc = segmented(&text);
        doc.id = path.display().to_string();
        layer.apply(&mut doc);
        check_offsets(&doc);
        total += doc.entities.len();
    }
    assert!(total > 1000, "only {total} entities in the corpus");
}

#[test]
fn the_defence_letter_gets_the_domain_entities() {
    let path = crate::source_root().join("corpus/letters/2026-03-04-defensieraad-navo-verslag.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut doc = segmented(&text);
    DomainLayer::new().unwrap().apply(&mut doc);
    let got = found(&doc);
    // The letter has narrow no-break spaces (`€90\u{202f}miljoen`): compare white space loosely.
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |surface: &str, label: Label| {
        got.iter()
            .any(|(s, l, _)| norm(s) == surface && *l == label)
    };
    for (surface, label) in [
        ("Tweede Kamer der Staten-Generaal", Label::Org),
        ("Den Haag", Label::Loc),
        ("4 maart 2026", Label::Date),
        ("Raad van Buitenlandse Zaken", Label::Org),
        ("RBZ", Label::Org),
        ("11 februari jl.", Label::Date),
        ("Ukraine Defence Contact Group", Label::Org),
        ("UDCG", Label::Org),
        ("Europese Commissie", Label::Org),
        ("EUR 90 mld.", Label::Money),
        ("Kamerstuk 36 045, nr. 267", Label::Ref),
        ("Europese Investeringsbank", Label::Org),
        ("EIB", Label::Org),
        ("Noord-Atlantische Raad", Label::Org),
        ("NAR", Label::Org),
        ("EDEO", Label::Org),
        ("VS", Label::Loc),
        ("3,5%", Label::Percent),
        ("Arctisch gebied", Label::Loc),
        ("Cold Response", Label::Initiative),
        ("USD 107 miljoen", Label::Money),
        ("€90 miljoen", Label::Money),
        ("Prioritised Ukraine Requirement List", Label::Initiative),
        ("PURL", Label::Initiative),
        ("Airforce Capability Coalition", Label::Initiative),
        ("AFCC", Label::Initiative),
        ("Verenigd Koninkrijk", Label::Loc),
        ("36 045, nr. 268", Label::Ref),
        ("30 september 2026", Label::Date),
        ("Budget Internationale Veiligheid", Label::Initiative),
        ("BIV", Label::Initiative),
        ("Kamerbrief 2867630806 nr. 442", Label::Ref),
        ("Kamerstuk 28676 nr. 486", Label::Ref),
    ] {
        assert!(has(surface, label), "missing {label} {surface:?}");
    }
    // The role `minister van Defensie` is no entity; `PURL-initiatief` yields `PURL` alone.
    assert!(!got.iter().any(|(s, _, _)| s.contains("initiatief")));
    let defensie = got.iter().filter(|(s, _, _)| *s == "Defensie").count();
    assert!(
        defensie <= 3,
        "Defensie tagged {defensie} times: roles leak"
    );
}

#[test]
fn a_motion_gets_header_numbers_dates_refs_laws_and_its_submitters() {
    let text = "Tweede Kamer der Staten-Generaal\n\n2\n\nVergaderjaar 2022–2023\n\n27 926\n\nHuurbeleid\n\nNr. 372\n\n\
                MOTIE VAN HET LID BECKERMAN\nVoorgesteld 9 februari 2023\nDe Kamer,\ngehoord de beraadslaging,\n\
                constaterende dat de Wet goed verhuurderschap per 1 januari 2024 geldt;\n\
                verzoekt de regering de huren met 20% te verlagen,\nen gaat over tot de orde van de dag.\nBeckerman\n\n\
                kst-27926-372\nISSN 0921 - 7371\n’s-Gravenhage 2023\n\nTweede Kamer, vergaderjaar 2022–2023, 27 926, nr. 372";
    let mut doc = segmented(text);
    DomainLayer::new().unwrap().apply(&mut doc);
    let got: Vec<(&str, Label)> = found(&doc).into_iter().map(|(s, l, _)| (s, l)).collect();
    assert_eq!(
        got,
        [
            ("Tweede Kamer der Staten-Generaal", Label::Org),
            ("2022–2023", Label::Date),
            ("27 926", Label::Ref),
            ("Nr. 372", Label::Ref),
            ("BECKERMAN", Label::Per),
            ("9 februari 2023", Label::Date),
            ("Kamer", Label::Org),
            ("Wet goed verhuurderschap", Label::Initiative),
            ("1 januari 2024", Label::Date),
            ("20%", Label::Percent),
            ("Beckerman", Label::Per),
            ("kst-27926-372", Label::Ref),
            ("’s-Gravenhage", Label::Loc),
            ("2023", Label::Date),
            ("Tweede Kamer", Label::Org),
            ("2022–2023", Label::Date),
            ("27 926, nr. 372", Label::Ref),
        ]
    );
}

#[test]
fn model_entities_are_merged_by_the_policy() {
    let text = "De RBZ-Defensie startte met een bespreking over EU-steun aan Oekraïne. \
                De ministers spraken over de Ukraine Support Loan van EUR 90 mld. met Mychajlo Fedorov.";
    let mut doc = segmented(text);
    let model = |surface: &str, label: Label| {
        let start = text.find(surface).unwrap();
        Entity {
            span: Span::from_bytes(text, start..start + surface.len()),
            label,
            score: 0.7,
            source: Source::Model,
            entity_id: None,
            rule: None,
        }
    };
    doc.entities = vec![
        model("RBZ-Defensie", Label::Org),
        model("EU-steun", Label::Misc),
        model("Oekraïne", Label::Loc),
        model("Ukraine Support Loan", Label::Initiative),
        model("EUR", Label::Org),
        model("Mychajlo Fedorov", Label::Per),
    ];
    DomainLayer::new().unwrap().apply(&mut doc);
    assert_eq!(
        found(&doc),
        [
            ("RBZ", Label::Org, Source::Gazetteer),
            ("EU", Label::Org, Source::Gazetteer),
            ("Oekraïne", Label::Loc, Source::Model),
            ("Ukraine Support Loan", Label::Initiative, Source::Model),
            ("EUR 90 mld.", Label::Money, Source::Pattern),
            ("Mychajlo Fedorov", Label::Per, Source::Model),
        ]
    );
}

#[test]
fn apply_never_panics_on_odd_input() {
    let layer = DomainLayer::new().unwrap();
    for text in [
        "",
        "   \n",
        "(",
        "()",
        "(A)",
        "Wet",
        "kst-",
        "€",
        "EUR 1",
        "1 januari",
        "’",
        "NAVO-",
        "-NAVO",
        "🇳🇱 NAVO (N)",
    ] {
        let mut doc = Document::new("odd", text);
        layer.apply(&mut doc);
        check_offsets(&doc);
        let mut doc = segmented(text);
        layer.apply(&mut doc);
        check_offsets(&doc);
    }
    // Tokens that do not fit the text and model spans out of range.
    let mut doc = Document::new("broken", "De NAVO in Oekraïne");
    doc.tokens = vec![crate::doc::Token {
        span: Span {
            byte_start: 5,
            byte_end: 99,
            char_start: 5,
            char_end: 99,
        },
    }];
    doc.entities = vec![Entity {
        span: Span {
            byte_start: 0,
            byte_end: 200,
            char_start: 0,
            char_end: 200,
        },
        label: Label::Org,
        score: 1.0,
        source: Source::Model,
        entity_id: None,
        rule: None,
    }];
    layer.apply(&mut doc);
    check_offsets(&doc);
    assert_eq!(found(&doc).len(), 2);
}

#[test]
fn pairs_use_the_gazetteer_labels() {
    let layer = DomainLayer::new().unwrap();
    let doc = segmented(
        "De Hoge Vertegenwoordiger (HV) en de Europese Dienst voor Extern Optreden (EDEO).",
    );
    let pairs = layer.pairs(&doc);
    let got: Vec<(&str, &str, Option<Label>)> = pairs
        .iter()
        .map(|p| (p.short.text(&doc.text), p.long.text(&doc.text), p.label))
        .collect();
    assert_eq!(
        got,
        [
            ("HV", "Hoge Vertegenwoordiger", None),
            (
                "EDEO",
                "Europese Dienst voor Extern Optreden",
                Some(Label::Org)
            )
        ]
    );
}

#[test]
fn user_gazetteer_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.tsv");
    std::fs::write(
        &path,
        "# local list, CC0\nWaddenfonds\tINITIATIVE\tinitiative:waddenfonds\tFonds voor de Wadden\n",
    )
    .unwrap();
    let mut layer = DomainLayer::new().unwrap();
    layer.add_gazetteer_file(&path).unwrap();
    let mut doc = segmented("Het Waddenfonds investeert in de Waddenzee.");
    layer.apply(&mut doc);
    assert_eq!(
        found(&doc),
        [
            ("Waddenfonds", Label::Initiative, Source::Gazetteer),
            ("Waddenzee", Label::Loc, Source::Gazetteer)
        ]
    );
}

/// Prints the layer's entities over the corpus, for reviewing the rules by eye:
/// `cargo test --lib domain::tests::dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let layer = DomainLayer::new().unwrap();
    for path in corpus_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut doc = segmented(&text);
        layer.apply(&mut doc);
        for (s, l, src) in found(&doc) {
            println!(
                "{}\t{l}\t{src:?}\t{}",
                path.file_name().unwrap().to_string_lossy(),
                s.replace('\n', "⏎")
            );
        }
    }
}

#[test]
fn acronym_compounds_follow_the_guideline() {
    let layer = DomainLayer::new().unwrap();
    let mut doc = segmented(
        "Het NABO-programma, het PURL-initiatief, de NAVO-missie en de AI-strategie. \
         De Prioritised Ukraine Requirement List (PURL) en het BIV (Budget Internationale Veiligheid).",
    );
    layer.apply(&mut doc);
    let got: Vec<(&str, Label)> = found(&doc).into_iter().map(|(s, l, _)| (s, l)).collect();
    assert_eq!(
        got,
        [
            ("NABO-programma", Label::Initiative),
            ("PURL", Label::Initiative),
            ("NAVO", Label::Org),
            ("Prioritised Ukraine Requirement List", Label::Initiative),
            ("PURL", Label::Initiative),
            ("BIV", Label::Initiative),
            ("Budget Internationale Veiligheid", Label::Initiative),
        ]
    );
}

/// Writes the layer's entities (no model) for the gold documents as JSON lines to the file
/// named by `NL_NER_DOMAIN_DUMP`, for comparing with `corpus/gold/` by eye or script:
/// `NL_NER_DOMAIN_DUMP=/tmp/pred.jsonl cargo test --lib domain::tests::dump_gold -- --ignored`.
#[test]
#[ignore]
fn dump_gold() {
    let Ok(out) = std::env::var("NL_NER_DOMAIN_DUMP") else {
        return;
    };
    let layer = DomainLayer::new().unwrap();
    let mut lines = Vec::new();
    let gold = crate::source_root().join("corpus/gold");
    for entry in std::fs::read_dir(gold).unwrap() {
        let path = entry.unwrap().path();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let mut doc = segmented(v["text"].as_str().unwrap());
            layer.apply(&mut doc);
            let ents: Vec<serde_json::Value> = doc
                .entities
                .iter()
                .map(|e| serde_json::json!({"start": e.span.char_start, "end": e.span.char_end, "label": e.label.as_str(), "source": format!("{:?}", e.source)}))
                .collect();
            lines.push(serde_json::json!({"file": path.file_name().unwrap().to_string_lossy(), "id": v["id"], "entities": ents}).to_string());
        }
    }
    std::fs::write(out, lines.join("\n")).unwrap();
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of Dutch government text that trigger the rules, with odd characters between.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("NAVO".to_string()),
            Just("(RBZ)".to_string()),
            Just("Raad van Buitenlandse Zaken".to_string()),
            Just("EUR 90 mld.".to_string()),
            Just("€90\u{202f}miljoen".to_string()),
            Just("4 maart 2026".to_string()),
            Just("2022–2023".to_string()),
            Just("kst-29984-1082".to_string()),
            Just("Kamerstuk 36 045, nr. 267".to_string()),
            Just("Wet goed verhuurderschap".to_string()),
            Just("PURL-initiatief".to_string()),
            Just("’s-Gravenhage".to_string()),
            Just("Oekraïne".to_string()),
            Just("3,5%".to_string()),
            Just("minister van Defensie".to_string()),
            "[ \\n\\t(),.;:\\-–/’'a-zA-ZëïéÖ0-9€%\u{a0}\u{202f}\u{200b}🇳🇱]{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn any_text_gets_exact_sorted_non_overlapping_entities(pieces in proptest::collection::vec(piece(), 0..12)) {
            static LAYER: std::sync::OnceLock<DomainLayer> = std::sync::OnceLock::new();
            let layer = LAYER.get_or_init(|| DomainLayer::new().unwrap());
            let text: String = pieces.concat();
            let mut doc = segmented(&text);
            layer.apply(&mut doc);
            check_offsets(&doc);
            // Applying twice changes nothing: the layer's own entities survive the merge.
            let first = doc.entities.clone();
            layer.apply(&mut doc);
            prop_assert_eq!(first, doc.entities);
        }
    }
}

#[test]
fn the_layer_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<DomainLayer>();
}
