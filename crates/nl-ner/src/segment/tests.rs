//! Tests of the segmenter as a whole: token tables, sentences on real corpus lines, and
//! properties over arbitrary text.

use proptest::prelude::*;

use super::*;

/// Token strings of `text`, after checking that byte and char offsets agree.
fn tokens(text: &str) -> Vec<&str> {
    let segmentation = Segmenter::new().segment(text);
    check_invariants(text, &segmentation);
    segmentation
        .tokens
        .iter()
        .map(|t| &text[t.span.bytes()])
        .collect()
}

/// Sentences of `text`, each as its text from first to last token.
fn sentences(text: &str) -> Vec<&str> {
    let segmentation = Segmenter::new().segment(text);
    check_invariants(text, &segmentation);
    segmentation
        .sentences
        .iter()
        .map(|s| &text[s.span.bytes()])
        .collect()
}

/// Everything that must hold for any text; panics with the offending text otherwise.
fn check_invariants(text: &str, segmentation: &Segmentation) {
    // Messages quote the start of the text only.
    let shown: String = text.chars().take(80).collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // Code-point offset of each byte offset that starts a character, and of the end.
    let char_of = |byte: usize| -> usize {
        if byte == text.len() {
            chars.len()
        } else {
            chars
                .binary_search_by_key(&byte, |&(b, _)| b)
                .expect("span on a char boundary")
        }
    };
    let mut prev_end = 0;
    for token in &segmentation.tokens {
        let span = token.span;
        assert!(span.byte_start < span.byte_end, "empty token in {shown:?}");
        assert!(
            span.byte_start >= prev_end,
            "tokens overlap or go back in {shown:?}"
        );
        prev_end = span.byte_end;
        let slice = text.get(span.bytes()).expect("token on char boundaries");
        // White space only as a thousands separator between digits (`36 045`).
        let inner: Vec<char> = slice.chars().collect();
        for (i, c) in inner.iter().enumerate() {
            let grouping = matches!(c, ' ' | '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}')
                && i > 0
                && inner[i - 1].is_ascii_digit()
                && inner.get(i + 1).is_some_and(char::is_ascii_digit);
            assert!(
                !c.is_whitespace() || grouping,
                "white space in {slice:?} of {shown:?}"
            );
        }
        assert_eq!(
            span.char_start,
            char_of(span.byte_start),
            "char start of {slice:?} in {shown:?}"
        );
        assert_eq!(
            span.char_end,
            char_of(span.byte_end),
            "char end of {slice:?} in {shown:?}"
        );
    }
    let mut next = 0;
    for sentence in &segmentation.sentences {
        assert_eq!(
            sentence.tokens.start, next,
            "sentences leave a gap in {shown:?}"
        );
        assert!(
            sentence.tokens.end > sentence.tokens.start,
            "empty sentence in {shown:?}"
        );
        let first = segmentation.tokens[sentence.tokens.start].span;
        let last = segmentation.tokens[sentence.tokens.end - 1].span;
        assert_eq!(
            sentence.span,
            first.cover(&last),
            "sentence span in {shown:?}"
        );
        next = sentence.tokens.end;
    }
    assert_eq!(
        next,
        segmentation.tokens.len(),
        "sentences miss tokens in {shown:?}"
    );
}

#[test]
fn token_table() {
    let cases: &[(&str, &[&str])] = &[
        // Abbreviations keep their period.
        (
            "op 11 februari jl., en",
            &["op", "11", "februari", "jl.", ",", "en"],
        ),
        (
            "EUR 90 mld. aan leningen",
            &["EUR", "90", "mld.", "aan", "leningen"],
        ),
        (
            "2 mln. nr. 5 dd. 9 d.d. 17",
            &["2", "mln.", "nr.", "5", "dd.", "9", "d.d.", "17"],
        ),
        (
            "Omtzigt c.s. o.a. t.a.v. de",
            &["Omtzigt", "c.s.", "o.a.", "t.a.v.", "de"],
        ),
        (
            "m.b.t. i.v.m. bijv. blz. art. 3",
            &["m.b.t.", "i.v.m.", "bijv.", "blz.", "art.", "3"],
        ),
        (
            "e.a. e.d. etc. z.g.a.n. enz.",
            &["e.a.", "e.d.", "etc.", "z.g.a.n.", "enz."],
        ),
        (
            "dhr. mr. dr. prof. ir. drs. mw.",
            &["dhr.", "mr.", "dr.", "prof.", "ir.", "drs.", "mw."],
        ),
        ("prof.dr. Jansen", &["prof.", "dr.", "Jansen"]),
        (
            "MOTIE VAN HET LID OMTZIGT C.S.",
            &["MOTIE", "VAN", "HET", "LID", "OMTZIGT", "C.S."],
        ),
        ("Nr. 299", &["Nr.", "299"]),
        // Initials.
        ("D. Yeşilgöz-Zegerius", &["D.", "Yeşilgöz", "-", "Zegerius"]),
        ("J.A.M. de Vries", &["J.A.M.", "de", "Vries"]),
        ("J.van Dijk", &["J.", "van", "Dijk"]),
        // Apostrophes.
        ("’s-Gravenhage 2023", &["’s-Gravenhage", "2023"]),
        ("'s-Hertogenbosch", &["'s-Hertogenbosch"]),
        ("’S-GRAVENHAGE", &["’S-GRAVENHAGE"]),
        ("’s avonds en ’t is", &["’s", "avonds", "en", "’t", "is"]),
        (
            "twee MQ-9’s in Roemenië",
            &["twee", "MQ-9", "’s", "in", "Roemenië"],
        ),
        ("auto's, thema’s", &["auto", "'s", ",", "thema", "’s"]),
        ("Nederland’s belang", &["Nederland", "’s", "belang"]),
        ("O'Neill zo'n", &["O'Neill", "zo'n"]),
        ("'Ja', zei hij", &["'", "Ja", "'", ",", "zei", "hij"]),
        ("versies 2021 en ’22", &["versies", "2021", "en", "’22"]),
        ("Kees' fiets", &["Kees", "'", "fiets"]),
        // Numbers.
        (
            "Kamerstuk 36 045, nr. 267",
            &["Kamerstuk", "36 045", ",", "nr.", "267"],
        ),
        (
            "21 501-28\tDefensieraad",
            &["21 501", "-", "28", "Defensieraad"],
        ),
        (
            "36\u{A0}045 en 36\u{202F}045",
            &["36\u{A0}045", "en", "36\u{202F}045"],
        ),
        ("1 000 000 euro", &["1 000 000", "euro"]),
        ("36 410 VI", &["36 410", "VI"]),
        ("in 2025 100 drones", &["in", "2025", "100", "drones"]),
        ("3 100e keer", &["3", "100e", "keer"]),
        ("3,5% van", &["3,5", "%", "van"]),
        ("25,8%;", &["25,8", "%", ";"]),
        (
            "1.000.000 en 12.30 uur",
            &["1.000.000", "en", "12.30", "uur"],
        ),
        ("2022–2023", &["2022", "–", "2023"]),
        ("2022-2023", &["2022", "-", "2023"]),
        ("ISSN 0921 - 7371", &["ISSN", "0921", "-", "7371"]),
        (
            "€750 miljoen (€90\u{202F}miljoen)",
            &["€", "750", "miljoen", "(", "€", "90", "miljoen", ")"],
        ),
        ("in 2023.", &["in", "2023", "."]),
        // Hyphens and compounds.
        ("NAVO-top", &["NAVO", "-", "top"]),
        ("EIB-financiering", &["EIB", "-", "financiering"]),
        ("Staten-Generaal", &["Staten", "-", "Generaal"]),
        (
            "artillerie\u{2011}munitie",
            &["artillerie", "\u{2011}", "munitie"],
        ),
        ("kst-29984-1082", &["kst", "-", "29984", "-", "1082"]),
        (
            "F-35 COVID-19-pandemie",
            &["F-35", "COVID-19", "-", "pandemie"],
        ),
        (
            "NAVO-2%-norm, MQ\u{2011}9",
            &["NAVO", "-", "2", "%", "-", "norm", ",", "MQ\u{2011}9"],
        ),
        ("‘s-Gravenhage", &["‘s-Gravenhage"]),
        ("‘sorry’", &["‘", "sorry", "’"]),
        (
            "CO2-voetafdruk 1e termijn",
            &["CO2", "-", "voetafdruk", "1e", "termijn"],
        ),
        ("(NUC)-format", &["(", "NUC", ")", "-", "format"]),
        (
            "Onderwijs-, Onderzoek- en",
            &["Onderwijs", "-", ",", "Onderzoek", "-", "en"],
        ),
        ("en/of", &["en", "/", "of"]),
        ("R&D", &["R&D"]),
        // Punctuation.
        ("(RBZ)", &["(", "RBZ", ")"]),
        ("Defensie,", &["Defensie", ","]),
        ("(verdrags)beleid", &["(", "verdrags", ")", "beleid"]),
        (
            "2027.[footnoteRef:1] Fedorov",
            &["2027", ".", "[", "footnoteRef", ":", "1", "]", "Fedorov"],
        ),
        ("[1:  Kamerstuk", &["[", "1", ":", "Kamerstuk"]),
        ("Wat nu?! Echt...", &["Wat", "nu", "?!", "Echt", "..."]),
        ("«witgewassen»", &["«", "witgewassen", "»"]),
        ("“Ja.”", &["“", "Ja", ".", "”"]),
        // Addresses.
        (
            "zie https://www.rijksoverheid.nl/a_b?x=1.",
            &["zie", "https://www.rijksoverheid.nl/a_b?x=1", "."],
        ),
        ("(www.tweedekamer.nl)", &["(", "www.tweedekamer.nl", ")"]),
        (
            "https://nl.wikipedia.org/wiki/A_(B)",
            &["https://nl.wikipedia.org/wiki/A_(B)"],
        ),
        (
            "mail j.jansen@mindef.nl.",
            &["mail", "j.jansen@mindef.nl", "."],
        ),
        (
            "rijksoverheid.nl of rapport.pdf",
            &["rijksoverheid.nl", "of", "rapport.pdf"],
        ),
        ("a@b geen adres", &["a", "@", "b", "geen", "adres"]),
        ("a@b.nl, c@d.nl", &["a@b.nl", ",", "c@d.nl"]),
        // White space of every kind.
        (
            "a\tb\u{A0}c\u{202F}d\u{2009}e\u{200B}f",
            &["a", "b", "c", "d", "e", "f"],
        ),
        ("regel\r\nvolgende\r\n", &["regel", "volgende"]),
        ("\u{FEFF}Tekst", &["Tekst"]),
        ("", &[]),
        (" \r\n\t\u{A0}\u{200B} ", &[]),
        // Marks and symbols.
        ("Gu\u{0308}ndog\u{0306}an", &["Gu\u{0308}ndog\u{0306}an"]),
        ("ok 👍🏽 👨‍👩‍👧 🇳🇱!", &["ok", "👍🏽", "👨‍👩‍👧", "🇳🇱", "!"]),
        ("Мychajlo Fedorov", &["Мychajlo", "Fedorov"]),
    ];
    for (input, expected) in cases {
        assert_eq!(tokens(input), *expected, "input {input:?}");
    }
}

#[test]
fn e_mail_far_into_the_text() {
    let text = format!(
        "{}mail info@minbuza.nl of pers@mindef.nl.",
        "Een zin. ".repeat(50)
    );
    let got = tokens(&text);
    assert!(
        got.ends_with(&["mail", "info@minbuza.nl", "of", "pers@mindef.nl", "."]),
        "{got:?}"
    );
}

#[test]
fn char_offsets_count_code_points() {
    let text = "’s-Gravenhage — Oekraïne\u{202F}€ 36\u{A0}045";
    let segmentation = Segmenter::new().segment(text);
    let chars: Vec<char> = text.chars().collect();
    for token in &segmentation.tokens {
        let by_chars: String = chars[token.span.chars()].iter().collect();
        assert_eq!(by_chars, &text[token.span.bytes()]);
    }
    assert_eq!(segmentation.tokens[0].span.chars(), 0..13);
}

#[test]
fn sentence_punctuation() {
    assert_eq!(
        sentences("Nederland sprak steun uit. Daarnaast informeerde Nederland bondgenoten."),
        [
            "Nederland sprak steun uit.",
            "Daarnaast informeerde Nederland bondgenoten."
        ]
    );
    assert_eq!(
        sentences("Wat nu? Dit! En dat… Zo."),
        ["Wat nu?", "Dit!", "En dat…", "Zo."]
    );
    assert_eq!(
        sentences("Hij zei: “Ja.” Daarna ging hij."),
        ["Hij zei: “Ja.”", "Daarna ging hij."]
    );
    assert_eq!(
        sentences("Een (zie bijlage.) Twee"),
        ["Een (zie bijlage.)", "Twee"]
    );
    assert_eq!(
        sentences("dat is 3.5 en niet 4. ok"),
        ["dat is 3.5 en niet 4. ok"]
    );
    assert_eq!(sentences("in 2023. 12 landen"), ["in 2023.", "12 landen"]);
    assert_eq!(
        sentences("5. MOTIE OVER SANCTIES"),
        ["5. MOTIE OVER SANCTIES"]
    );
}

#[test]
fn abbreviations_and_initials_hold_sentences() {
    assert_eq!(
        sentences("De minister, dhr. Jansen, en mw. De Vries spraken o.a. over art. 3."),
        ["De minister, dhr. Jansen, en mw. De Vries spraken o.a. over art. 3."]
    );
    assert_eq!(
        sentences("Brief van D. Yeşilgöz-Zegerius en J.A.M. de Vries."),
        ["Brief van D. Yeşilgöz-Zegerius en J.A.M. de Vries."]
    );
    assert_eq!(
        sentences("EUR 90 mld. aan leningen voor 2026."),
        ["EUR 90 mld. aan leningen voor 2026."]
    );
    assert_eq!(
        sentences("Kamerbrief nr. 442 d.d. 17 oktober 2023."),
        ["Kamerbrief nr. 442 d.d. 17 oktober 2023."]
    );
    assert_eq!(
        sentences("3 mld. EUR en 1 jan. 2024"),
        ["3 mld. EUR en 1 jan. 2024"]
    );
}

#[test]
fn trailing_abbreviations_can_end_sentences() {
    // Letter, line 10: `jl.` ends the first sentence.
    let text = "die plaatsvonden op 12 februari jl. Tevens informeer ik de Kamer.";
    assert_eq!(
        sentences(text),
        [
            "die plaatsvonden op 12 februari jl.",
            "Tevens informeer ik de Kamer."
        ]
    );
    assert_eq!(
        sentences("MOTIE VAN HET LID OMTZIGT C.S.\nVoorgesteld 23 februari 2023"),
        [
            "MOTIE VAN HET LID OMTZIGT C.S.",
            "Voorgesteld 23 februari 2023"
        ]
    );
    assert_eq!(
        sentences("het steunpakket van EUR 90 mld."),
        ["het steunpakket van EUR 90 mld."]
    );
    assert_eq!(
        sentences("(kenmerk 36 045, nr. 268, dd. 9 februari jl.). Defensie blijft"),
        [
            "(kenmerk 36 045, nr. 268, dd. 9 februari jl.).",
            "Defensie blijft"
        ]
    );
}

#[test]
fn blank_lines_always_end_sentences() {
    assert_eq!(
        sentences("Tweede Kamer der Staten-Generaal\n\n2\r\n \r\nVergaderjaar 2022–2023"),
        [
            "Tweede Kamer der Staten-Generaal",
            "2",
            "Vergaderjaar 2022–2023"
        ]
    );
    assert_eq!(sentences("dhr.\n\nJansen"), ["dhr.", "Jansen"]);
}

/// Real lines from `corpus/moties/00c5c4d7-c14f-496b-816a-3800c4a0261c.txt` (kst-25087-309).
#[test]
fn motion_lines() {
    let text = "MOTIE VAN HET LID OMTZIGT C.S.\n\
        Voorgesteld 23 februari 2023\n\
        De Kamer,\n\
        gehoord de beraadslaging,\n\
        overwegende dat in het coalitieakkoord is afgesproken dat de aanvullende\n\
        CFC-maatregel wordt aangescherpt conform de aanbeveling van de\n\
        commissie-Ter Haar I;\n\
        verzoekt de regering alsnog de aanbeveling van de commissie-Ter Haar\n\
        uit te voeren conform de afspraak in het regeerakkoord,\n\
        en gaat over tot de orde van de dag.\n\
        Omtzigt\n\
        Dassen\n\
        Stoffer\n\
        Van der Lee\n\
        Gu\u{308}ndog\u{306}an\n\
        Den Haan\n\
        \n\
        kst-25087-309\n\
        ISSN 0921 - 7371\n\
        ’s-Gravenhage 2023\n";
    assert_eq!(
        sentences(text),
        [
            "MOTIE VAN HET LID OMTZIGT C.S.",
            "Voorgesteld 23 februari 2023",
            "De Kamer,",
            "gehoord de beraadslaging,",
            "overwegende dat in het coalitieakkoord is afgesproken dat de aanvullende\n\
         CFC-maatregel wordt aangescherpt conform de aanbeveling van de\n\
         commissie-Ter Haar I;",
            "verzoekt de regering alsnog de aanbeveling van de commissie-Ter Haar\n\
         uit te voeren conform de afspraak in het regeerakkoord,",
            "en gaat over tot de orde van de dag.",
            "Omtzigt",
            "Dassen",
            "Stoffer",
            "Van der Lee",
            "Gu\u{308}ndog\u{306}an",
            "Den Haan",
            "kst-25087-309",
            "ISSN 0921 - 7371",
            "’s-Gravenhage 2023",
        ]
    );
}

/// Hard-wrapped lines whose next line starts with a capital stay in one sentence
/// (`corpus/moties`: 0751ced3, 3b42a1a8, 6a17fce6, a name split as `Van der\nPlas`).
#[test]
fn hard_wrapped_lines_stay_together() {
    let cases = [
        "overwegende dat er al jaren RIVM-onderzoeken Veehouderij en\n\
         Gezondheid Omwonenden worden uitgevoerd;",
        "Vaststelling van de begrotingsstaten van het\n\
         Ministerie van Justitie en Veiligheid (VI) voor het\n\
         jaar 2024",
        "verzoekt de regering om samen met VNO-NCW, MKB-Nederland en\n\
         Ondernemend Nederland te onderzoeken;",
        "Motie van de leden Azarkan, Dassen, Sylvana Simons en Van der\n\
         Plas over Recht doen waar recht",
        "Wijziging van de Klimaatwet (implementatie\n\
         Europese klimaatwet)",
        "bedrijven in Nederland een van de redenen is om te overwegen\nNederland te verlaten;",
        "verzoekt de regering in overleg te treden met de leden\nVan der Graaf en Omtzigt;",
        "verzoekt de regering om in overleg met onder anderen de leden\nVan der Graaf en Omtzigt te bezien;",
    ];
    for text in cases {
        assert_eq!(sentences(text), [text], "{text:?}");
    }
}

/// The heading and paragraphs of `corpus/letters/2026-03-04-defensieraad-navo-verslag.txt`.
#[test]
fn letter_layout() {
    let text = "\r\n\r\n21 501-28\tDefensieraad\r\n28 676\t\tNAVO\r\n\
        Nr. 299\t\tBrief van de minister van Defensie\r\n\
        Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\r\n\
        Den Haag, 4 maart 2026\r\n\r\n\
        Raad van Buitenlandse Zaken Defensie (RBZ-Defensie)\r\n\
        De RBZ-Defensie startte met een bespreking over EU-steun aan Oekraïne. De Oekraïense \
        minister van Defensie, Mychajlo Fedorov, sloot daarom aan.\r\n\
        Overig \r\n\
        Verlenging inzet Nederlandse MQ-9’s in Roemenië\r\n\
        Het kabinet informeert uw Kamer.\r\n\r\n\
        De minister van Defensie,\r\n\
        D. Yeşilgöz-Zegerius \r\n\r\n";
    assert_eq!(
        sentences(text),
        [
            "21 501-28\tDefensieraad",
            "28 676\t\tNAVO",
            "Nr. 299\t\tBrief van de minister van Defensie",
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
            "Den Haag, 4 maart 2026",
            "Raad van Buitenlandse Zaken Defensie (RBZ-Defensie)",
            "De RBZ-Defensie startte met een bespreking over EU-steun aan Oekraïne.",
            "De Oekraïense minister van Defensie, Mychajlo Fedorov, sloot daarom aan.",
            "Overig",
            "Verlenging inzet Nederlandse MQ-9’s in Roemenië",
            "Het kabinet informeert uw Kamer.",
            "De minister van Defensie,",
            "D. Yeşilgöz-Zegerius",
        ]
    );
}

#[test]
fn footnote_stays_with_its_sentence() {
    let text = "voor Oekraïne voor 2026 en 2027.[footnoteRef:1] Fedorov onderstreepte het belang. \
                [1:  Kamerstuk 36 045, nr. 267. ] ";
    assert_eq!(
        sentences(text),
        [
            "voor Oekraïne voor 2026 en 2027.[footnoteRef:1]",
            "Fedorov onderstreepte het belang.",
            "[1:  Kamerstuk 36 045, nr. 267. ]",
        ]
    );
}

#[test]
fn whole_corpus_files_segment_cleanly() {
    let texts = [
        include_str!("../../../../corpus/letters/2026-03-04-defensieraad-navo-verslag.txt"),
        include_str!("../../../../corpus/moties/00c5c4d7-c14f-496b-816a-3800c4a0261c.txt"),
        include_str!("../../../../corpus/moties/04e4c5eb-e158-4399-a7bf-7b2f8cd779bb.txt"),
    ];
    for text in texts {
        let segmentation = Segmenter::new().segment(text);
        check_invariants(text, &segmentation);
        for sentence in &segmentation.sentences {
            let s = &text[sentence.span.bytes()];
            // No sentence runs over a blank line.
            assert!(!s.replace('\r', "").contains("\n\n"), "{s:?}");
        }
    }
}

#[test]
fn signatories_of_a_real_motion_are_one_per_sentence() {
    let text = include_str!("../../../../corpus/moties/04e4c5eb-e158-4399-a7bf-7b2f8cd779bb.txt");
    let got = sentences(text);
    for name in ["Van Campen", "Grinwis", "Boswijk", "Bisschop"] {
        assert!(got.contains(&name), "{name} in {got:#?}");
    }
    assert!(got.contains(&"en gaat over tot de orde van de dag."));
}

/// This thread's CPU time in seconds: unlike the wall clock, it does not run on while the thread
/// waits for a core on a busy machine.
#[cfg(target_os = "linux")]
fn thread_cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    assert_eq!(
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) },
        0
    );
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// The wall clock where there is no thread CPU clock.
#[cfg(not(target_os = "linux"))]
fn thread_cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// Inputs that would take quadratic time if a rule rescanned what it had already rejected: each
/// is segmented at `n` and `2n` repeats, and twice the text takes about twice the time, where a
/// quadratic rule takes four times as long. Measured in this thread's CPU time, which waiting for
/// a busy machine's cores does not add to, the fastest of five runs each, interleaved, with a
/// bound of three. Small sizes: larger ones can leave the CPU's caches between `n` and `2n`.
#[test]
fn pathological_inputs_stay_linear() {
    let n = 10_000;
    let inputs: [fn(usize) -> String; 13] = [
        |n| "a-".repeat(n),
        |n| "x.".repeat(n),
        |n| "ab.".repeat(n),
        |n| "a.b-".repeat(n),
        |n| "1 000".repeat(n),
        |n| "12 ".repeat(n),
        |n| "’s-".repeat(n),
        |n| "a@".repeat(n),
        |n| "(".repeat(n),
        |n| format!("https://{}", "a(".repeat(n)),
        |n| "\u{200D}\u{0306}".repeat(n),
        |n| "jl. ".repeat(n),
        |n| "\n".repeat(n),
    ];
    let fastest = |t: Vec<f64>| t.into_iter().fold(f64::INFINITY, f64::min);
    for make in inputs {
        let (text, double) = (make(n), make(2 * n));
        let time = |text: &str| {
            let started = thread_cpu_seconds();
            let segmentation = Segmenter::new().segment(text);
            let seconds = thread_cpu_seconds() - started;
            check_invariants(text, &segmentation);
            seconds
        };
        let (mut once, mut twice) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            once.push(time(&text));
            twice.push(time(&double));
        }
        let (t1, t2) = (fastest(once), fastest(twice));
        let start: String = text.chars().take(8).collect();
        assert!(
            t2 / t1 < 3.0,
            "{start:?}...: {t1:.6} s, twice as long: {t2:.6} s ({:.1} times)",
            t2 / t1
        );
    }
}

proptest! {
    #[test]
    fn any_text_segments_cleanly(text in any::<String>()) {
        let segmentation = Segmenter::new().segment(&text);
        check_invariants(&text, &segmentation);
    }

    #[test]
    fn dutch_like_text_segments_cleanly(
        text in "([a-zA-Z0-9éëïöüçşğ’'.,;:!?()\\[\\]@/&%€\\-\u{2011}\u{2013}\u{0306} \t\n\r\u{A0}\u{202F}\u{200B}]|jl\\.|'s-|www\\.|\n\n){0,60}"
    ) {
        let segmentation = Segmenter::new().segment(&text);
        check_invariants(&text, &segmentation);
        let spans: Vec<Span> = Segmenter::new().tokens(&text).collect();
        let from_segment: Vec<Span> = segmentation.tokens.iter().map(|t| t.span).collect();
        prop_assert_eq!(spans, from_segment);
    }
}
