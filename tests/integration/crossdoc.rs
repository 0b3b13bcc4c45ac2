//! Relations across documents (issue 22): each document's date in the extract output, and
//! `nl-ner entities` giving a person's roles and parties and an initiative's participants with
//! the documents and dates they come from. Real text from `corpus/`, through the binary.

use crate::util::{json_lines, run, run_in, slice_chars, stderr};
use serde_json::Value;

/// Extracts `files` (paths under the crate root) in the crate root, as JSONL.
fn extract(files: &[&str]) -> Vec<u8> {
    let mut args = vec!["extract", "-q"];
    args.extend(files);
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    out.stdout
}

#[test]
fn each_document_gets_its_date_as_written() {
    let out = extract(&[
        "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt",
        "corpus/moties/00c5c4d7-c14f-496b-816a-3800c4a0261c.txt",
        "corpus/moties/0a24c346-5c39-444e-8353-7c3b021beb15.txt",
        "corpus/govtexts/texts/handelingen-tk2018-001.txt",
        "corpus/govtexts/texts/kamervragen-ll-001.txt",
        "corpus/govtexts/texts/bekendmaking-ws-001.txt",
        "corpus/govtexts/texts/woobesluit-ws-001.txt",
        "corpus/govtexts/texts/troonrede-001.txt",
    ]);
    let docs = json_lines(&out);
    let got: Vec<(Option<&str>, Option<&str>)> = docs
        .iter()
        .map(|d| {
            let date = &d["document_date"];
            (date["date"].as_str(), date["rule"].as_str())
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("2026-03-04"), Some("place-date-line")),
            (Some("2023-02-23"), Some("motion-proposed")),
            (Some("2024-02-15"), Some("date-line")),
            (Some("2018-04-05"), Some("meeting-date")),
            (Some("2024-03-25"), Some("answer-received")),
            // The decree is signed `’s-Gravenhage, 9 maart 2018`, the day of its title.
            (Some("2018-03-09"), Some("place-date-line")),
            (Some("2023-02-22"), Some("datum-line")),
            // A speech with no date in its text has none.
            (None, None),
        ]
    );
    for d in docs.iter().filter(|d| d.get("document_date").is_some()) {
        let date = &d["document_date"];
        let (start, end) = (
            date["start"].as_u64().unwrap() as usize,
            date["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            slice_chars(d["text"].as_str().unwrap(), start, end),
            date["text"].as_str().unwrap(),
            "offsets are code points into the text"
        );
    }
    // The member stands before the text, after the input's fields.
    let line = std::str::from_utf8(&out).unwrap().lines().next().unwrap();
    assert!(
        line.starts_with(
            r#"{"schema":1,"id":"corpus/letters/2026-03-04-defensieraad-navo-verslag.txt","document_date":{"date":"2026-03-04","rule":"place-date-line","start":"#
        ),
        "{}",
        &line[..200]
    );
}

#[test]
fn a_jsonl_date_field_is_the_documents_date_and_is_carried_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(
        r#"{"id":"a","date":"12-03-2025","text":"Den Haag, 4 maart 2026\n\nDe NAVO vergaderde."}"#,
        "\n",
        r#"{"id":"b","date":"onbekend","text":"Den Haag, 4 maart 2026\n\nDe NAVO vergaderde."}"#,
        "\n",
        r#"{"id":"c","document_date":"x","text":"De NAVO vergaderde."}"#,
        "\n",
    );
    let out = run_in(dir.path(), &["extract", "-q", "-"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&out.stdout);
    assert_eq!(docs[0]["date"], "12-03-2025", "the input's field as it was");
    assert_eq!(
        docs[0]["document_date"],
        serde_json::json!({"date": "2025-03-12", "rule": "input-date"})
    );
    // A field that is no date leaves the text's date.
    assert_eq!(docs[1]["date"], "onbekend");
    assert_eq!(docs[1]["document_date"]["rule"], "place-date-line");
    // An input field of that name is the output's own: dropped, and no date found.
    assert!(docs[2].get("document_date").is_none(), "{}", docs[2]);
}

/// The letters of one person in two offices, a year apart, and a motion, as JSONL.
pub const LETTERS: &str = concat!(
    r#"{"id":"brief-2024","text":"Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 3 juni 2024\n\nHierbij informeer ik uw Kamer over de voortgang van het Nationaal Groeifonds.\n\nDe staatssecretaris van Financiën,\n\nA.B. Jansen\n"}"#,
    "\n",
    r#"{"id":"brief-2025","text":"Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 12 maart 2025\n\nNederland kondigde een financiële bijdrage aan van bijna USD 107 miljoen (€90 miljoen) aan het Amerikaanse Prioritised Ukraine Requirement List (PURL)-initiatief.\n\nDe minister van Financiën,\n\nA.B. Jansen\n"}"#,
    "\n",
    r#"{"id":"vragen","date":"2025-04-01","text":"Vragen van het lid Jansen (VVD) aan de minister van Financiën over de begroting.\n"}"#,
    "\n",
);

#[test]
fn entities_gives_a_persons_roles_in_time_and_an_initiatives_participants() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["extract", "-q", "-", "-o", "out.jsonl"],
        LETTERS.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // JSON: structured, with each document's date.
    let out = run_in(
        dir.path(),
        &[
            "entities",
            "out.jsonl",
            "--format",
            "json",
            "--labels",
            "PER,INITIATIVE",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out.stdout);
    let row = |id: &str| -> &Value {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no row {id}: {rows:?}"))
    };
    let jansen = row("per:jansen");
    let roles: Vec<(&str, Vec<(&str, &str)>)> = jansen["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap(),
                r["documents"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| (d["id"].as_str().unwrap(), d["date"].as_str().unwrap()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (
                "staatssecretaris van Financiën",
                vec![("brief-2024", "2024-06-03")]
            ),
            ("minister van Financiën", vec![("brief-2025", "2025-03-12")]),
        ],
        "in order of date"
    );
    // The party is found although ORG is not listed.
    let parties = jansen["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 1, "{parties:?}");
    assert_eq!(
        (&parties[0]["id"], &parties[0]["name"]),
        (&Value::from("org:party-vvd"), &Value::from("VVD"))
    );
    assert_eq!(
        parties[0]["documents"],
        serde_json::json!([{"id": "vragen", "date": "2025-04-01"}])
    );
    assert_eq!(
        jansen["documents"],
        serde_json::json!([
            {"id": "brief-2024", "date": "2024-06-03"},
            {"id": "brief-2025", "date": "2025-03-12"},
            {"id": "vragen", "date": "2025-04-01"},
        ])
    );
    let purl = row("initiative:purl");
    let participants: Vec<&str> = purl["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(participants, ["loc:nederland"]);

    // The table: a line under the row for each relation, with dates and documents.
    let out = run_in(
        dir.path(),
        &["entities", "out.jsonl", "--labels", "PER"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    let at = table.find("\nper:jansen ").expect("Jansen's row");
    let under: Vec<&str> = table[at + 1..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(
        under,
        [
            "    role: staatssecretaris van Financiën (2024-06-03 brief-2024)",
            "    role: minister van Financiën (2025-03-12 brief-2025)",
            "    party: VVD (2025-04-01 vragen)",
        ],
        "{table}"
    );
    // Without relations, the table as before: no line under a row.
    let out = run_in(
        dir.path(),
        &["entities", "out.jsonl", "--labels", "PER", "--no-relations"],
        b"",
    );
    let plain = String::from_utf8(out.stdout).unwrap();
    let rows_only: String = table
        .lines()
        .filter(|l| !l.starts_with("    "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(plain, rows_only);

    // CSV: one column per kind of relation, after the ids.
    let out = run_in(
        dir.path(),
        &[
            "entities",
            "out.jsonl",
            "--format",
            "csv",
            "--labels",
            "PER,INITIATIVE",
        ],
        b"",
    );
    let mut csv = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[6..],
        ["ids", "roles", "parties", "initiatives", "participants"]
    );
    let jansen = csv
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "per:jansen")
        .unwrap();
    assert_eq!(
        &jansen[7],
        "staatssecretaris van Financiën (2024-06-03 brief-2024) | minister van Financiën (2025-03-12 brief-2025)"
    );
    assert_eq!(&jansen[8], "VVD (2025-04-01 vragen)");
}

#[test]
fn entities_on_the_corpus_places_a_ministers_offices_in_time() {
    // De Jonge in a debate of 2018 and in answers to written questions of 2024.
    let dir = tempfile::tempdir().unwrap();
    let jsonl = extract(&[
        "corpus/govtexts/texts/handelingen-tk2018-001.txt",
        "corpus/govtexts/texts/kamervragen-ll-006.txt",
    ]);
    std::fs::write(dir.path().join("out.jsonl"), jsonl).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "entities",
            "out.jsonl",
            "--format",
            "json",
            "--labels",
            "PER",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out.stdout);
    let de_jonge = rows.iter().find(|r| r["id"] == "per:de-jonge").unwrap();
    let roles: Vec<(&str, &str)> = de_jonge["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap(),
                r["documents"][0]["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        roles.contains(&(
            "minister van Volksgezondheid, Welzijn en Sport",
            "2018-04-05"
        )),
        "{roles:?}"
    );
    assert!(roles.contains(&("Minister", "2024-02-20")), "{roles:?}");
    let dates: Vec<&str> = roles.iter().map(|r| r.1).collect();
    assert!(dates.is_sorted(), "roles in order of date: {roles:?}");
    // Every party named in the debate is an ORG row of the corpus, with its documents.
    for row in &rows {
        for p in row["parties"].as_array().unwrap() {
            assert!(p["id"].as_str().unwrap().starts_with("org:"), "{p}");
            assert!(!p["documents"].as_array().unwrap().is_empty());
        }
    }
    assert!(
        rows.iter()
            .any(|r| !r["parties"].as_array().unwrap().is_empty()),
        "the debate's speakers have parties"
    );
}
