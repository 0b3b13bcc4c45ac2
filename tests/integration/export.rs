//! End-to-end tests of linking, `nl-ner entities` and `nl-ner export` on the corpus.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::util::{self, run, run_in, stderr};
use nl_ner::Document;
use nl_ner::Label;
use nl_ner_io::annotated::AnnotatedReader;

const LETTER: &str = "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt";

/// The extract output of `corpus/`, made once for all tests.
fn corpus_jsonl() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl");
        let out = run(&[
            "extract",
            "corpus/",
            "--quiet",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        (dir, path)
    });
    path
}

fn documents(path: &Path) -> Vec<Document> {
    AnnotatedReader::new(fs::File::open(path).unwrap(), path.display().to_string())
        .map(Result::unwrap)
        .collect()
}

fn letter() -> Document {
    documents(corpus_jsonl())
        .into_iter()
        .find(|d| d.id == LETTER)
        .expect("the letter is in the corpus")
}

/// `(short, long)` texts of the letter's acronym definitions whose forms are both entities, with
/// their entity ids.
fn letter_pairs(doc: &Document) -> Vec<(String, String, String, String)> {
    let id_at = |span: nl_ner::Span| {
        doc.entities
            .iter()
            .position(|e| e.span == span)
            .map(|i| doc.entities[i].entity_id.clone().unwrap())
    };
    nl_ner::find_pairs(doc)
        .into_iter()
        .filter_map(|p| {
            let (short, long) = (id_at(p.short)?, id_at(p.long)?);
            Some((
                p.short.text(&doc.text).to_string(),
                p.long.text(&doc.text).to_string(),
                short,
                long,
            ))
        })
        .collect()
}

fn export(format: &str, input: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "export",
        "--format",
        format,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = run(&args);
    assert!(o.status.success(), "export {format}: {}", stderr(&o));
}

#[test]
fn every_acronym_pair_of_the_letter_shares_one_entity_id() {
    let doc = letter();
    let pairs = letter_pairs(&doc);
    assert!(
        pairs.len() >= 12,
        "the letter defines many acronyms: {pairs:?}"
    );
    for (short, long, a, b) in &pairs {
        assert_eq!(a, b, "{short} / {long}");
    }
    let ids: HashMap<&str, &str> = pairs
        .iter()
        .map(|(s, _, a, _)| (s.as_str(), a.as_str()))
        .collect();
    assert_eq!(ids["PURL"], "initiative:purl");
    assert_eq!(ids["NAR"], "org:nac", "the gazetteer knows the long form");
    // Every mention of a short form has the pair's id, not only the one in the definition.
    for (i, e) in doc.entities.iter().enumerate() {
        if let Some(id) = ids.get(e.span.text(&doc.text)) {
            assert_eq!(
                doc.entities[i].entity_id.as_ref().unwrap(),
                id,
                "{} at {}",
                e.span.text(&doc.text),
                e.span.char_start
            );
        }
    }
}

#[test]
fn the_entity_table_lists_each_programme_once_with_its_aliases() {
    let out = run(&[
        "entities",
        corpus_jsonl().to_str().unwrap(),
        "--format",
        "csv",
        "--sort",
        "id",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut csv = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "label",
            "mentions",
            "documents",
            "name",
            "aliases",
            "ids",
            // The relations (issue 22, docs/relations.md "Across documents").
            "roles",
            "parties",
            "initiatives",
            "participants"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let names = |r: &csv::StringRecord| -> BTreeSet<String> {
        std::iter::once(r[4].to_string())
            .chain(
                r[5].split(" | ")
                    .filter(|a| !a.is_empty())
                    .map(String::from),
            )
            .collect()
    };
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "one row per id, sorted"
    );
    let doc = letter();
    let programmes: Vec<_> = letter_pairs(&doc)
        .into_iter()
        .filter(|(s, ..)| {
            doc.entities
                .iter()
                .any(|e| e.label == Label::Initiative && e.span.text(&doc.text) == s)
        })
        .collect();
    assert!(programmes.len() >= 5, "{programmes:?}");
    for (short, long, id, _) in &programmes {
        let long = long.split_whitespace().collect::<Vec<_>>().join(" ");
        let holding: Vec<&csv::StringRecord> = rows
            .iter()
            .filter(|r| names(r).contains(short) || names(r).contains(&long))
            .collect();
        assert_eq!(holding.len(), 1, "{short} / {long} in one row: {holding:?}");
        let row = holding[0];
        assert_eq!((&row[0], &row[1]), (id.as_str(), "INITIATIVE"));
        assert_eq!(row[4], long, "the long form is the canonical name");
        assert!(names(row).contains(short), "{short} is an alias: {row:?}");
    }
    // Two members of the Tweede Kamer share a surname and stay two people.
    for id in ["per:tjeerd-de-groot", "per:peter-de-groot"] {
        assert!(ids.contains(&id), "{id}");
    }
    // The table view is the same rows, aligned.
    let out = run(&[
        "entities",
        corpus_jsonl().to_str().unwrap(),
        "--labels",
        "INITIATIVE",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().next().unwrap().starts_with("id "), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("initiative:purl ") && l.contains("PURL")),
        "{table}"
    );
}

#[test]
fn conll_export_scores_perfectly_against_itself_and_reads_back_into_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let conll = dir.path().join("corpus.conll");
    export("conll", corpus_jsonl(), &conll, &[]);
    let c = conll.to_str().unwrap();
    let out = run(&["eval", c, "--system", c, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scores: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &scores["micro"];
    let entities: usize = documents(corpus_jsonl())
        .iter()
        .map(|d| d.entities.len())
        .sum();
    assert_eq!(
        (m["tp"].as_u64(), m["fp"].as_u64(), m["fn"].as_u64()),
        (Some(entities as u64), Some(0), Some(0)),
        "{scores}"
    );
    assert_eq!(scores["token_accuracy"].as_f64(), Some(100.0));
    // A system file whose words differ is refused, not scored.
    let other = dir.path().join("other.conll");
    fs::write(
        &other,
        fs::read_to_string(&conll)
            .unwrap()
            .replacen("NAVO ", "NATO ", 1),
    )
    .unwrap();
    let out = run(&["eval", c, "--system", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has other words than in"),
        "{}",
        stderr(&out)
    );

    // Back to spans: the words are the text's tokens in order, so aligning them gives offsets.
    let docs: Vec<Document> = documents(corpus_jsonl())
        .into_iter()
        .filter(|d| !d.tokens.is_empty())
        .collect();
    let read = nl_ner::conll::read(&conll).unwrap();
    assert_eq!(read.len(), docs.len());
    for (doc, cd) in docs.iter().zip(&read) {
        let mut at = 0;
        let mut spans = Vec::new();
        for s in &cd.sentences {
            let mut open: Option<(usize, Label)> = None;
            for (w, tag) in s.words.iter().zip(&s.tags) {
                let start = at
                    + doc.text[at..]
                        .find(w.as_str())
                        .expect("words in text order");
                if let Some((b, l)) = open.take() {
                    if matches!(tag, nl_ner::Tag::I(_)) {
                        open = Some((b, l));
                    } else {
                        spans.push((b, at, l));
                    }
                }
                if let nl_ner::Tag::B(l) = tag {
                    open = Some((start, *l));
                }
                at = start + w.len();
            }
            if let Some((b, l)) = open {
                spans.push((b, at, l));
            }
        }
        let want: Vec<_> = doc
            .entities
            .iter()
            .map(|e| (e.span.byte_start, e.span.byte_end, e.label))
            .collect();
        assert_eq!(spans, want, "{}", doc.id);
    }
}

#[test]
fn jsonl_exports_read_back_into_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let docs = documents(corpus_jsonl());
    let want: Vec<Vec<(u64, u64, String)>> = docs
        .iter()
        .map(|d| {
            d.entities
                .iter()
                .map(|e| {
                    (
                        e.span.char_start as u64,
                        e.span.char_end as u64,
                        e.label.to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let lines = |format: &str| -> Vec<serde_json::Value> {
        let path = dir.path().join(format);
        export(format, corpus_jsonl(), &path, &[]);
        fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let spacy = lines("spacy");
    let doccano = lines("doccano");
    assert_eq!((spacy.len(), doccano.len()), (docs.len(), docs.len()));
    for ((s, d), (doc, want)) in spacy.iter().zip(&doccano).zip(docs.iter().zip(&want)) {
        assert_eq!(s["text"], doc.text.as_str());
        let tokens = s["tokens"].as_array().unwrap();
        // As spaCy's `Doc(vocab, words, spaces)` rebuilds it: each token, and one space after it when `ws`.
        let rebuilt: String = tokens
            .iter()
            .map(|t| {
                format!(
                    "{}{}",
                    t["text"].as_str().unwrap(),
                    if t["ws"] == true { " " } else { "" }
                )
            })
            .collect();
        assert_eq!(rebuilt, doc.text, "spaCy tokens rebuild {}", doc.id);
        assert_eq!(
            s["meta"]["score"].as_f64().unwrap(),
            (f64::from(nl_ner_io::export::document_score(doc)) * 1e4).round() / 1e4
        );
        let got: Vec<_> = s["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let (ts, te) = (
                    x["token_start"].as_u64().unwrap() as usize,
                    x["token_end"].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    (tokens[ts]["start"].clone(), tokens[te]["end"].clone()),
                    (x["start"].clone(), x["end"].clone())
                );
                (
                    x["start"].as_u64().unwrap(),
                    x["end"].as_u64().unwrap(),
                    x["label"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(&got, want, "spaCy {}", doc.id);
        let got: Vec<_> = d["label"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x[0].as_u64().unwrap(),
                    x[1].as_u64().unwrap(),
                    x[2].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(&got, want, "doccano {}", doc.id);
        assert_eq!(d["id"], doc.id.as_str());
    }

    let ls = dir.path().join("ls.json");
    export("labelstudio", corpus_jsonl(), &ls, &[]);
    let tasks: Vec<serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(&ls).unwrap()).unwrap();
    assert_eq!(tasks.len(), docs.len());
    for (t, want) in tasks.iter().zip(&want) {
        let got: Vec<_> = t["predictions"][0]["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_eq!(
                    (&r["from_name"], &r["to_name"], &r["type"]),
                    (&"label".into(), &"text".into(), &"labels".into())
                );
                let v = &r["value"];
                (
                    v["start"].as_u64().unwrap(),
                    v["end"].as_u64().unwrap(),
                    v["labels"][0].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(&got, want);
    }
}

/// Checks a header against the format `neo4j-admin database import` documents: each field is
/// `name:type`, `name` (a string), `:LABEL`, `:TYPE`, `[name]:ID(group)`, `:START_ID(group)` or
/// `:END_ID(group)`, with `type` one of the tool's property types, optionally an array (`[]`).
/// Returns the `(column, kind, group)` of the id fields.
fn check_neo4j_header(file: &str, header: &csv::StringRecord) -> Vec<(usize, String, String)> {
    const TYPES: [&str; 16] = [
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "byte",
        "short",
        "char",
        "string",
        "point",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
    ];
    let mut ids = Vec::new();
    for (col, field) in header.iter().enumerate() {
        let (name, kind) = field.split_once(':').unwrap_or((field, "string"));
        let group = |k: &str| {
            kind.strip_prefix(k)
                .and_then(|g| g.strip_prefix('(')?.strip_suffix(')'))
                .filter(|g| !g.is_empty())
        };
        if let Some(k) = ["ID", "START_ID", "END_ID"]
            .into_iter()
            .find(|k| group(k).is_some())
        {
            assert!(
                k == "ID" || name.is_empty(),
                "{file}: `{field}`: START_ID/END_ID take no name"
            );
            ids.push((col, k.to_string(), group(k).unwrap().to_string()));
        } else if kind == "LABEL" || kind == "TYPE" {
            assert!(name.is_empty(), "{file}: `{field}`");
        } else {
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'),
                "{file}: bad name in `{field}`"
            );
            assert!(
                TYPES.contains(&kind.trim_end_matches("[]")),
                "{file}: unknown type in `{field}`"
            );
        }
    }
    ids
}

#[test]
fn neo4j_files_have_valid_headers_and_every_relationship_ends_at_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph");
    export("neo4j", corpus_jsonl(), &out, &[]);
    let mut nodes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ends: Vec<(String, String, String)> = Vec::new();
    for (file, header) in nl_ner_io::export::neo4j::FILES {
        let mut csv = csv::Reader::from_path(out.join(file)).unwrap();
        let got = csv.headers().unwrap().clone();
        assert_eq!(got.iter().collect::<Vec<_>>(), header, "{file}");
        let ids = check_neo4j_header(file, &got);
        let has_label = got.iter().any(|f| f == ":LABEL");
        let has_type = got.iter().any(|f| f == ":TYPE");
        assert!(has_label != has_type, "{file} holds nodes or relationships");
        let mut count = 0;
        for row in csv.records() {
            let row = row.unwrap();
            assert_eq!(row.len(), got.len(), "{file}");
            for (col, kind, group) in &ids {
                if kind == "ID" {
                    assert!(
                        nodes
                            .entry(group.clone())
                            .or_default()
                            .insert(row[*col].to_string()),
                        "{file}: duplicate id {}",
                        &row[*col]
                    );
                } else {
                    ends.push((file.to_string(), group.clone(), row[*col].to_string()));
                }
            }
            for (field, value) in got.iter().zip(row.iter()) {
                if field.ends_with(":int") {
                    value
                        .parse::<i64>()
                        .unwrap_or_else(|_| panic!("{file}: {field} = {value}"));
                }
                if field.ends_with(":int[]") {
                    assert!(
                        value.split(';').all(|v| v.parse::<i64>().is_ok()),
                        "{file}: {field} = {value}"
                    );
                }
            }
            count += 1;
        }
        assert!(count > 0, "{file} is empty");
    }
    for (file, group, id) in &ends {
        assert!(nodes[group].contains(id), "{file}: no {group} node `{id}`");
    }
    assert!(nodes["Entity"].contains("initiative:purl"));
    let mentions = fs::read_to_string(out.join("mentions.csv")).unwrap();
    assert!(
        mentions
            .lines()
            .any(|l| l.starts_with(&format!("{LETTER},initiative:purl,MENTIONS,4,"))),
        "PURL 4 times in the letter"
    );
}

#[test]
fn turtle_loads_into_an_rdf_store_that_says_which_documents_mention_purl() {
    use oxigraph::io::RdfFormat;
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    let dir = tempfile::tempdir().unwrap();
    let ttl = dir.path().join("corpus.ttl");
    export("turtle", corpus_jsonl(), &ttl, &[]);
    let store = Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::Turtle, &fs::read(&ttl).unwrap())
        .unwrap();
    let query = "PREFIX schema: <https://schema.org/>
                 PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                 SELECT ?id ?name WHERE {
                   ?doc schema:mentions <https://nl-ner.invalid/entity/initiative:purl> ; schema:identifier ?id .
                   <https://nl-ner.invalid/entity/initiative:purl> skos:prefLabel ?name
                 } ORDER BY ?id";
    let QueryResults::Solutions(rows) = SparqlEvaluator::new()
        .parse_query(query)
        .unwrap()
        .on_store(&store)
        .execute()
        .unwrap()
    else {
        panic!("a SELECT query");
    };
    let found: Vec<(String, String)> = rows
        .map(|r| {
            let r = r.unwrap();
            let lit = |v: &str| match r.get(v) {
                Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
                other => panic!("{v}: {other:?}"),
            };
            (lit("id"), lit("name"))
        })
        .collect();
    // The documents whose extract output names PURL, by the table's own reckoning.
    let table =
        nl_ner::EntityTable::build(&documents(corpus_jsonl()), &nl_ner_io::export::NAME_LABELS);
    let purl = table.row("initiative:purl").unwrap();
    let want: Vec<(String, String)> = purl
        .documents
        .iter()
        .map(|&d| (table.documents[d].id.clone(), purl.canonical.clone()))
        .collect();
    assert!(want.iter().any(|(id, _)| id == LETTER));
    assert_eq!(found, want);
}

#[test]
fn export_reads_standard_input_and_reports_bad_lines() {
    let good = fs::read_to_string(corpus_jsonl()).unwrap();
    let first = good.lines().next().unwrap();
    let input = format!("{first}\nnot json\n");
    let out = run_in(
        &util::root(),
        &["export", "--format", "doccano"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("<stdin>:2: not an nl-ner document"),
        "{}",
        stderr(&out)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let out = run(&[
        "export",
        "--format",
        "neo4j",
        corpus_jsonl().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-o DIR"), "{}", stderr(&out));
}
