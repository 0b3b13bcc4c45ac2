//! PDF, DOCX, ODT, HTML and XML input through the real binary (issue 26, docs/input.md), on the
//! fixtures in `tests/data/formats/` (made from a real letter by `make.py` there) and one real
//! Aanhangsel PDF: the clean text, exact offsets, the `source` map, and every bad file named with
//! its reason while the rest of the batch is written.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{json_lines, root, run_in, slice_chars, stderr};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/data/formats").join(name)
}

fn expected() -> String {
    fs::read_to_string(fixture("expected.txt")).unwrap()
}

/// Runs `extract` on `args` in the crate root and returns the documents written.
fn extract(args: &[&str]) -> (Vec<Value>, std::process::Output) {
    let mut all = vec!["extract", "-q"];
    all.extend_from_slice(args);
    let out = run_in(&root(), &all, b"");
    (json_lines(&out.stdout), out)
}

/// Every entity's offsets slice its surface from the text, and every source part is a range of
/// the text, in order, not overlapping.
fn check_offsets(doc: &Value) {
    let text = doc["text"].as_str().unwrap();
    let chars = text.chars().count() as u64;
    for e in doc["entities"].as_array().unwrap() {
        let (s, t) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
        assert_eq!(
            slice_chars(text, s as usize, t as usize),
            e["text"].as_str().unwrap()
        );
    }
    let source = &doc["source"];
    let parts = ["pages", "paragraphs", "elements"]
        .iter()
        .find_map(|k| source[k].as_array())
        .expect("a source with its parts");
    let mut last = 0;
    for p in parts {
        let (s, t) = (p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap());
        assert!(last <= s && s <= t && t <= chars, "{source}");
        last = t;
    }
}

#[test]
fn the_letter_reads_back_the_same_from_pdf_docx_and_odt() {
    let want = expected();
    for (file, format) in [
        ("brief.pdf", "pdf"),
        ("brief.docx", "docx"),
        ("brief.odt", "odt"),
    ] {
        let path = fixture(file);
        let (docs, out) = extract(&[path.to_str().unwrap()]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        let doc = &docs[0];
        assert_eq!(doc["source"]["format"], format);
        let text = doc["text"].as_str().unwrap();
        // DOCX and ODT have a heading the PDF has not; their running header, page number,
        // footnote, deleted text and field codes are not text.
        let body = text
            .strip_prefix("Brief van de minister van Defensie\n\n")
            .unwrap_or(text);
        assert_eq!(body, want, "{file}");
        check_offsets(doc);
        let names: Vec<&str> = doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        // Names the PDF's line ends hyphenated or cut come out whole.
        for name in [
            "Ukraine Defence Contact Group",
            "Europese Commissie",
            "Oekraïne",
        ] {
            assert!(names.contains(&name), "{file}: {name} in {names:?}");
        }
    }
}

#[test]
fn pdf_pages_map_to_text_ranges_without_running_lines() {
    let (docs, out) = extract(&[fixture("brief.pdf").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &docs[0];
    let text = doc["text"].as_str().unwrap();
    assert!(!text.contains("vergaderjaar"), "running header left in");
    let pages = doc["source"]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["page"], 1);
    assert_eq!(pages[0]["start"], 0);
    // Page 2 starts where page 1's last line went on: `... Nederland en veel` / `andere`.
    let p2 = pages[1]["start"].as_u64().unwrap() as usize;
    assert!(
        slice_chars(text, p2, p2 + 6) == "andere",
        "{}",
        slice_chars(text, p2, p2 + 20)
    );
    assert_eq!(
        pages[1]["end"].as_u64().unwrap() as usize,
        text.chars().count()
    );
}

#[test]
fn a_real_aanhangsel_pdf_keeps_body_names_whole_and_sets_the_rest_apart() {
    let (docs, out) = extract(&[fixture("kamervragen-ll-001.pdf").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &docs[0];
    let text = doc["text"].as_str().unwrap();
    // The body text starts with the questions' heading paragraph: the title block (18, 10, 9.1
    // and 12.8 pt above the 8.5 pt body) is not text, nor the colophon and footnotes (5.9 and
    // 6.9 pt), the table (6.9 pt) or the note markers (5.5 pt, raised).
    assert!(
        text.starts_with("Vragen van de leden Mutluer (GroenLinks-PvdA) en Kostić (PvdD) aan de"),
        "{text}"
    );
    for apart in [
        "Staten-Generaal",
        "Vergaderjaar",
        "Handelingen",
        "1314",
        "ISSN",
        "NOS",
        "https://",
        "kenniscentrum discriminatie",
        "regenboogbeleid»?1",
    ] {
        assert!(!text.contains(apart), "{apart} in {text}");
    }
    assert!(text.contains("tegen actief regenboogbeleid»?\n\nAntwoord 1\n\nJa."));
    // Names whole: `regen-` `boogprovincie` at a line end; `Kostic´` as the PDF draws it.
    assert!(text.contains("zich regenboogprovincie te mogen noemen"));
    assert!(text.contains("van de lhbti-gemeenschap"));
    // The running footer of page 2 and page 1's variant of it.
    assert!(!text.contains("Aanhangsel 2") && !text.contains("’s-Gravenhage 2024"));
    check_offsets(doc);
    let labelled: Vec<(&str, &str)> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["text"].as_str().unwrap(), e["label"].as_str().unwrap()))
        .collect();
    for name in [
        ("Mutluer", "PER"),
        ("Kostić", "PER"),
        ("Dijkgraaf", "PER"),
        ("Movisie", "ORG"),
        ("Tumba", "ORG"),
    ] {
        assert!(labelled.contains(&name), "{name:?} in {labelled:?}");
    }
    assert!(
        !labelled.iter().any(|(t, _)| t.contains("Tweede Kamer")),
        "{labelled:?}"
    );
    // Page 2 starts with its first body line; the pages cover the text.
    let pages = doc["source"]["pages"].as_array().unwrap();
    assert_eq!(
        (pages[0]["page"].as_u64(), pages[0]["start"].as_u64()),
        (Some(1), Some(0))
    );
    let p2 = pages[1]["start"].as_u64().unwrap() as usize;
    assert!(slice_chars(text, p2, p2 + 48) == "Deelt u de mening dat regenboogprovincies in het");
    assert_eq!(
        pages[1]["end"].as_u64().unwrap() as usize,
        text.chars().count()
    );
    // What was set apart is kept beside the text, with its page and size.
    let notes = doc["source"]["notes"].as_array().unwrap();
    let note = |page: u64, start: &str| {
        notes.iter().find(|n| {
            n["page"].as_u64() == Some(page) && n["text"].as_str().unwrap().starts_with(start)
        })
    };
    let title = note(1, "Tweede Kamer der Staten-Generaal").expect("the title block");
    assert_eq!(title["size"], 18.1);
    let footnote = note(1, "1 NOS, d.d. 1 maart 2024").expect("footnote 1, with its marker");
    assert_eq!(footnote["size"], 6.9);
    assert!(
        footnote["text"]
            .as_str()
            .unwrap()
            .contains("\nhttps://nos.nl/artikel/2510977")
    );
    assert!(note(1, "ah-tk-20232024-1314\nISSN 0921 - 7398").is_some());
    assert!(note(2, "2 Movisie, d.d. maart 2022").is_some());
}

#[test]
fn html_gives_the_main_content_only() {
    let (docs, out) = extract(&[fixture("page.html").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = docs[0]["text"].as_str().unwrap();
    assert!(text.starts_with("Verslag Defensieraad en NAVO-ministeriële\n\nHierbij ontvangt u"));
    for boilerplate in [
        "Financiën",
        "Onderwerpen",
        "Algemene Zaken",
        "Justitie",
        "Privacy",
        "Documenten",
        "color",
    ] {
        assert!(!text.contains(boilerplate), "{boilerplate} in {text}");
    }
    assert_eq!(docs[0]["source"]["format"], "html");
    check_offsets(&docs[0]);
}

#[test]
fn html_in_windows_1252_is_read_by_its_meta_charset() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = b"<!DOCTYPE html><html><head><meta charset=\"windows-1252\"></head><body>\
        <p>Minister Brekelmans sprak in Brussel over Oekra"
        .to_vec();
    page.extend(b"\xefne.</p></body></html>");
    fs::write(dir.path().join("pagina.html"), &page).unwrap();
    fs::write(dir.path().join("kapot.html"), b"<p>Oekra\xefne</p>").unwrap();
    let out = run_in(
        dir.path(),
        &["extract", "-q", "pagina.html", "kapot.html"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let docs = json_lines(&out.stdout);
    assert_eq!(
        docs[0]["text"],
        "Minister Brekelmans sprak in Brussel over Oekraïne."
    );
    check_offsets(&docs[0]);
    assert!(
        stderr(&out).contains("skipped kapot.html: not a readable html file: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn xml_reads_officiele_publicaties_tei_and_a_chosen_path() {
    let (docs, out) = extract(&[
        fixture("kamervragen.xml").to_str().unwrap(),
        fixture("tei.xml").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let op = docs[0]["text"].as_str().unwrap();
    assert!(op.starts_with("Vragen van de leden Mutluer"), "{op}");
    assert!(op.ends_with("kennisinstituut Movisie."), "{op}");
    // Metadata and the footnote are not prose.
    assert!(
        !op.contains("DC.title") && !op.contains("NOS, 1 maart"),
        "{op}"
    );
    let tei = docs[1]["text"].as_str().unwrap();
    assert!(
        tei.starts_with("Raad van Buitenlandse Zaken Defensie\n\nHierbij"),
        "{tei}"
    );
    assert!(!tei.contains("vergaderjaar") && !tei.contains("Ministerie van Defensie"));
    let elements = docs[1]["source"]["elements"].as_array().unwrap();
    assert_eq!(elements[1]["path"], "/TEI[1]/text[1]/body[1]/p[1]");
    for d in &docs {
        check_offsets(d);
    }

    let (docs, out) = extract(&[
        "--xml-text",
        "//antwoord/al",
        fixture("kamervragen.xml").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        docs[0]["text"],
        "Ja. Daarom heb ik een bijdrage geleverd aan kennisinstituut Movisie."
    );
    let (_, out) = extract(&[
        "--xml-text",
        "antwoord[1]",
        fixture("kamervragen.xml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad --xml-text path `antwoord[1]`"),
        "{}",
        stderr(&out)
    );
}

/// Copies fixtures into `dir` under new names, so a walk meets them in this order.
fn copy(dir: &Path, files: &[(&str, &str)]) {
    for (from, to) in files {
        fs::copy(fixture(from), dir.join(to)).unwrap();
    }
}

#[test]
fn bad_files_are_named_with_their_reason_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy(
        d,
        &[
            ("brief.pdf", "a_good.pdf"),
            ("encrypted.pdf", "b_encrypted.pdf"),
            ("corrupt.pdf", "c_corrupt.pdf"),
            ("truncated.pdf", "d_truncated.pdf"),
            ("empty.pdf", "e_empty.pdf"),
            ("scanned.pdf", "f_scanned.pdf"),
            ("brief.docx", "g_good.docx"),
            ("truncated.docx", "h_truncated.docx"),
            ("empty.docx", "i_empty.docx"),
            ("encrypted.docx", "j_encrypted.docx"),
            ("bomb.docx", "k_bomb.docx"),
            ("bomb.xml", "l_bomb.xml"),
            ("xxe.xml", "m_xxe.xml"),
            ("brief.odt", "n_good.odt"),
        ],
    );
    fs::write(
        d.join("o_good.txt"),
        "Minister Brekelmans sprak in Brussel.",
    )
    .unwrap();
    // Other files a walk leaves alone.
    fs::write(d.join("p_notes.tsv"), "x").unwrap();
    // --max-doc-bytes 1 MB: the bomb's 64 MiB of markup is over 16 times that.
    let out = run_in(
        d,
        &["extract", "-q", ".", "--max-doc-bytes", "1000000"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for (file, reason) in [
        (
            "b_encrypted.pdf",
            "the PDF file is encrypted (password-protected); decrypt it first",
        ),
        ("c_corrupt.pdf", "not a readable pdf file:"),
        ("d_truncated.pdf", "not a readable pdf file:"),
        ("e_empty.pdf", "empty file (0 bytes), not a PDF file"),
        (
            "f_scanned.pdf",
            "the PDF has no text layer (2 pages of images",
        ),
        ("h_truncated.docx", "a damaged or truncated zip archive"),
        ("i_empty.docx", "empty file (0 bytes), not a DOCX file"),
        ("j_encrypted.docx", "a password-protected document"),
        (
            "k_bomb.docx",
            "it decompresses to more than 16000000 bytes (a zip bomb?)",
        ),
        (
            "l_bomb.xml",
            "the XML declares entities in a DTD (internal entities); nl-ner never expands",
        ),
        ("m_xxe.xml", "(external entities)"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not reported: {err}"));
        assert!(
            line.starts_with(&format!("nl-ner: skipped ./{file}: ")) && line.contains(reason),
            "{line}"
        );
    }
    let ids: Vec<String> = json_lines(&out.stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "./a_good.pdf",
            "./g_good.docx",
            "./n_good.odt",
            "./o_good.txt"
        ]
    );

    // Same input, same bytes, whatever the thread count.
    let one = run_in(
        d,
        &[
            "extract",
            "-q",
            ".",
            "--max-doc-bytes",
            "1000000",
            "--threads",
            "1",
        ],
        b"",
    );
    let two = run_in(
        d,
        &[
            "extract",
            "-q",
            ".",
            "--max-doc-bytes",
            "1000000",
            "--threads",
            "2",
        ],
        b"",
    );
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, out.stdout);
}

#[test]
fn a_pdf_over_the_size_limit_is_skipped_unread() {
    // brief.pdf is 4186 bytes: over 4 times a 1000-byte document limit.
    let (docs, out) = extract(&[
        "--max-doc-bytes",
        "1000",
        fixture("brief.pdf").to_str().unwrap(),
    ]);
    assert!(docs.is_empty());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("PDF file too large (over the limit of 4000 bytes, 4 times --max-doc-bytes)"),
        "{}",
        stderr(&out)
    );
    // Within the file limit but its text is over the document limit.
    let (_, out) = extract(&[
        "--max-doc-bytes",
        "1100",
        fixture("brief.pdf").to_str().unwrap(),
    ]);
    assert!(
        stderr(&out).contains("its text is too large"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn jsonl_lines_may_name_files_and_a_bad_path_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    fs::create_dir(&files).unwrap();
    for f in ["brief.pdf", "brief.docx", "corrupt.pdf"] {
        fs::copy(fixture(f), files.join(f)).unwrap();
    }
    let list = dir.path().join("list.jsonl");
    fs::write(
        &list,
        concat!(
            "{\"path\": \"files/brief.pdf\", \"title\": \"Brief\"}\n",
            "{\"id\": \"b\", \"path\": \"files/brief.docx\", \"date\": \"2026-03-04\"}\n",
            "{\"path\": \"files/missing.pdf\"}\n",
            "{\"path\": \"files/corrupt.pdf\"}\n",
            "{\"path\": \"list.jsonl\"}\n",
            "{\"id\": \"c\", \"text\": \"De NAVO.\", \"path\": \"not read\"}\n",
        ),
    )
    .unwrap();
    // Run elsewhere than the list's directory: paths are relative to the list, not the caller.
    let (docs, out) = extract(&[list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let pdf = files.join("brief.pdf").display().to_string();
    assert_eq!(
        ids,
        [pdf.as_str(), "b", "c"],
        "the file's path when the line has no id"
    );
    assert_eq!(docs[0]["text"].as_str().unwrap(), expected());
    assert_eq!(
        (
            &docs[0]["title"],
            &docs[0]["path"],
            &docs[0]["source"]["format"]
        ),
        (
            &Value::from("Brief"),
            &Value::from("files/brief.pdf"),
            &Value::from("pdf")
        ),
        "the line's fields are kept"
    );
    assert_eq!(docs[1]["source"]["format"], "docx");
    assert_eq!(docs[1]["date"], "2026-03-04");
    check_offsets(&docs[0]);
    check_offsets(&docs[1]);
    assert_eq!(
        docs[2]["text"], "De NAVO.",
        "with `text`, `path` is only a field"
    );
    let err = stderr(&out);
    let at = |line: usize| format!("{}:{line}: `path` ", list.display());
    for (line, says) in [
        (3, "\"files/missing.pdf\": "),
        (4, "\"files/corrupt.pdf\": "),
        (5, "\"list.jsonl\": a JSONL file"),
    ] {
        assert!(
            err.contains(&format!("{}{says}", at(line))),
            "line {line}: {err}"
        );
    }
    assert!(
        err.contains("missing.pdf: no such file or directory"),
        "{err}"
    );
    assert!(err.contains("not a readable pdf file"), "{err}");
}
