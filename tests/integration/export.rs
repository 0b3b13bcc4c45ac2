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

/// The extract output of `corpus/`, made once for all tests (of this module and others).
pub(crate) fn corpus_jsonl() -> &'static Path {
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

/// The solutions of a SPARQL SELECT over `store`, each as its values in `vars` order (literals
/// by their lexical value, IRIs as text, unbound as ""), sorted.
fn sparql(store: &oxigraph::store::Store, query: &str, vars: &[&str]) -> Vec<Vec<String>> {
    use oxigraph::model::Term;
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    let query = format!(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         PREFIX schema: <https://schema.org/>
         PREFIX org: <http://www.w3.org/ns/org#>
         PREFIX owl: <http://www.w3.org/2002/07/owl#>
         PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
         PREFIX prov: <http://www.w3.org/ns/prov#>
         PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
         PREFIX nlner: <https://nl-ner.invalid/ontology#>
         {query}"
    );
    let QueryResults::Solutions(rows) = SparqlEvaluator::new()
        .parse_query(&query)
        .unwrap_or_else(|e| panic!("{e}\n{query}"))
        .on_store(store)
        .execute()
        .unwrap()
    else {
        panic!("a SELECT query");
    };
    let mut out: Vec<Vec<String>> = rows
        .map(|row| {
            let row = row.unwrap();
            vars.iter()
                .map(|v| match row.get(*v) {
                    Some(Term::Literal(l)) => l.value().to_string(),
                    Some(Term::NamedNode(n)) => n.as_str().to_string(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// An in-memory store holding the Turtle file `ttl` (which must parse).
fn rdf_store(ttl: &Path) -> oxigraph::store::Store {
    let store = oxigraph::store::Store::new().unwrap();
    store
        .load_from_slice(oxigraph::io::RdfFormat::Turtle, &fs::read(ttl).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", ttl.display()));
    store
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// The questions of `docs/exports.md`, answered by SPARQL over the corpus's Turtle: who holds
/// which office, which party each member belongs to, who takes part in Arctic Sentry; and every
/// mention's and role phrase's NIF offsets give its text.
#[test]
fn turtle_of_the_corpus_answers_who_holds_which_office_and_who_takes_part() {
    let dir = tempfile::tempdir().unwrap();
    let ttl = dir.path().join("corpus.ttl");
    export("turtle", corpus_jsonl(), &ttl, &[]);
    let store = rdf_store(&ttl);

    let offices = sparql(
        &store,
        "SELECT ?person ?office ?org WHERE {
           ?p org:holds ?post ; skos:prefLabel ?person .
           ?post org:role/skos:prefLabel ?office .
           OPTIONAL { ?post org:postIn/skos:prefLabel ?org }
         }",
        &["person", "office", "org"],
    );
    for want in strings(&[
        &[
            "A.P. Visser",
            "president van de Algemene Rekenkamer",
            "Algemene Rekenkamer",
        ],
        &["Willem-Alexander", "Koning der Nederlanden", ""],
        &[
            "R.H.A. Plasterk",
            "Minister van Binnenlandse Zaken en Koninkrijksrelaties",
            "",
        ],
    ]) {
        assert!(offices.contains(&want), "{want:?} not in {offices:#?}");
    }

    let members = sparql(
        &store,
        "SELECT ?person ?party WHERE {
           ?m a org:Membership ; org:member ?p ; org:organization ?o .
           ?p org:memberOf ?o ; skos:prefLabel ?person . ?o skos:prefLabel ?party
         }",
        &["person", "party"],
    );
    for want in strings(&[&["Aukje de Vries", "VVD"], &["P.H. Omtzigt", "CDA"]]) {
        assert!(members.contains(&want), "{want:?} not in {members:#?}");
    }

    let arctic = sparql(
        &store,
        "SELECT ?who ?doc ?score WHERE {
           ?x nlner:participatesIn ?i ; skos:prefLabel ?who .
           ?i skos:prefLabel|skos:altLabel \"Arctic Sentry\"@nl .
           ?s rdf:subject ?x ; rdf:predicate nlner:participatesIn ; rdf:object ?i ;
              prov:wasDerivedFrom/schema:identifier ?doc ; nlner:score ?score
         }",
        &["who", "doc", "score"],
    );
    assert_eq!(arctic.len(), 1, "{arctic:?}");
    assert_eq!(arctic[0][..2], [String::from("NAVO"), LETTER.to_string()]);

    // Offsets are sacred: every NIF string's anchor is the document's text at its offsets.
    let texts: HashMap<String, String> = documents(corpus_jsonl())
        .into_iter()
        .map(|d| (d.id, d.text))
        .collect();
    let anchors = sparql(
        &store,
        "SELECT ?doc ?b ?e ?anchor WHERE {
           ?m nif:anchorOf ?anchor ; nif:beginIndex ?b ; nif:endIndex ?e ;
              nif:referenceContext/nif:sourceUrl/schema:identifier ?doc
         }",
        &["doc", "b", "e", "anchor"],
    );
    assert!(anchors.len() > 5000, "{}", anchors.len());
    for a in &anchors {
        let (b, e) = (a[1].parse().unwrap(), a[2].parse().unwrap());
        assert_eq!(util::slice_chars(&texts[&a[0]], b, e), a[3], "{a:?}");
    }
}

/// A document to write: id, text, and its names with their labels, in text order.
type Doc<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// Writes `docs` as extract-style JSONL without entity ids (they are linked on reading).
fn jsonl(path: &Path, docs: &[Doc]) {
    let mut out = String::new();
    for (id, text, names) in docs {
        let mut from = 0;
        let entities: Vec<serde_json::Value> = names
            .iter()
            .map(|(name, label)| {
                let at = from + text[from..].find(name).unwrap();
                from = at + name.len();
                let start = text[..at].chars().count();
                serde_json::json!({"start": start, "end": start + name.chars().count(), "label": label})
            })
            .collect();
        out.push_str(
            &serde_json::json!({"id": id, "text": text, "entities": entities}).to_string(),
        );
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// Every entity IRI of a Turtle export: the subjects typed nlner:Entity and those owl:sameAs one.
fn entity_iris(store: &oxigraph::store::Store) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    for r in sparql(store, "SELECT ?e WHERE { ?e a nlner:Entity }", &["e"]) {
        out.insert(r[0].clone(), true);
    }
    for r in sparql(
        store,
        "SELECT ?e WHERE { ?e owl:sameAs ?row . ?row a nlner:Entity }",
        &["e"],
    ) {
        out.entry(r[0].clone()).or_insert(false);
    }
    out
}

/// Issue 22: an export of more documents keeps every entity IRI of an earlier one, as the
/// entity's or as `owl:sameAs` it (Fedorov, then Mychajlo Fedorov; and the corpus in two halves),
/// and its Neo4j files say the same with `SAME_AS`.
#[test]
fn a_later_batch_keeps_every_entity_iri_of_an_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    jsonl(
        &one,
        &[(
            "a",
            "Fedorov sprak met de NAVO.",
            &[("Fedorov", "PER"), ("NAVO", "ORG")],
        )],
    );
    jsonl(
        &two,
        &[(
            "b",
            "Mychajlo Fedorov, minister van Oekraïne.",
            &[("Mychajlo Fedorov", "PER"), ("Oekraïne", "LOC")],
        )],
    );
    let (ttl1, ttl12) = (dir.path().join("1.ttl"), dir.path().join("12.ttl"));
    export("turtle", &one, &ttl1, &[]);
    let mut args = vec![
        "export",
        "--format",
        "turtle",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "-o",
        ttl12.to_str().unwrap(),
    ];
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = |id: &str| format!("https://nl-ner.invalid/entity/{id}");
    let first = entity_iris(&rdf_store(&ttl1));
    assert_eq!(first.get(&e("per:fedorov")), Some(&true));
    let later = entity_iris(&rdf_store(&ttl12));
    assert_eq!(
        later.get(&e("per:mychajlo-fedorov")),
        Some(&true),
        "{later:?}"
    );
    assert_eq!(
        later.get(&e("per:fedorov")),
        Some(&false),
        "sameAs the full name"
    );
    for iri in first.keys() {
        assert!(later.contains_key(iri), "{iri} is gone");
    }

    let neo = dir.path().join("neo");
    args = vec![
        "export",
        "--format",
        "neo4j",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "-o",
        neo.to_str().unwrap(),
    ];
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(neo.join("same_as.csv")).unwrap(),
        ":START_ID(Entity),:END_ID(Entity),:TYPE\nper:fedorov,per:mychajlo-fedorov,SAME_AS\n"
    );

    // The corpus, first half then all of it.
    let all = fs::read_to_string(corpus_jsonl()).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    let half = dir.path().join("half.jsonl");
    fs::write(&half, lines[..lines.len() / 2].join("\n") + "\n").unwrap();
    let (ttl_half, ttl_all) = (dir.path().join("half.ttl"), dir.path().join("all.ttl"));
    export("turtle", &half, &ttl_half, &[]);
    export("turtle", corpus_jsonl(), &ttl_all, &[]);
    let first = entity_iris(&rdf_store(&ttl_half));
    let later = entity_iris(&rdf_store(&ttl_all));
    let gone: Vec<&String> = first.keys().filter(|i| !later.contains_key(*i)).collect();
    assert!(gone.is_empty(), "{gone:?}");
    let renamed = first.iter().filter(|(i, row)| **row && !later[*i]).count();
    assert!(
        renamed > 0,
        "some entity of the first half is sameAs another in the whole"
    );
}

/// Issue 24, item 10: an attendance list of 8,000 names in one sentence gives co-occurrences
/// that grow linearly, not 32 million pairs.
#[test]
fn a_long_list_of_names_keeps_the_co_occurrences_linear() {
    let dir = tempfile::tempdir().unwrap();
    let n = 8000;
    let names: Vec<String> = (0..n).map(|i| format!("Lid{i} Aanwezige")).collect();
    let text = format!("Aanwezig: {}", names.join(", "));
    let mut entities = Vec::new();
    let mut at = "Aanwezig: ".len();
    for name in &names {
        entities.push(serde_json::json!({"start": at, "end": at + name.len(), "label": "PER"}));
        at += name.len() + 2;
    }
    let input = dir.path().join("lijst.jsonl");
    fs::write(
        &input,
        serde_json::json!({"id": "lijst", "text": text, "entities": entities}).to_string() + "\n",
    )
    .unwrap();
    let neo = dir.path().join("neo");
    export("neo4j", &input, &neo, &[]);
    let pairs = fs::read_to_string(neo.join("co_occurs.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let window = nl_ner::CO_OCCURRENCE_WINDOW;
    assert_eq!(pairs, window * (n - window) + window * (window - 1) / 2);
    let size: u64 = fs::read_dir(&neo)
        .unwrap()
        .map(|f| f.unwrap().metadata().unwrap().len())
        .sum();
    assert!(size < 16 << 20, "{size} bytes");
    let ttl = dir.path().join("lijst.ttl");
    export("turtle", &input, &ttl, &[]);
    assert!(fs::metadata(&ttl).unwrap().len() < 64 << 20);
}

/// Issue 24, item 17: `--base` is checked; CSV cells cannot start a formula; a name cannot drive
/// the terminal.
#[test]
fn bases_are_checked_formulas_neutralised_and_control_characters_shown() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    jsonl(
        &input,
        &[(
            "=doc",
            "Brief van =HYPERLINK(\"x\") en Jan\u{1b}[2J Rood aan de NAVO.",
            &[
                ("=HYPERLINK(\"x\")", "ORG"),
                ("Jan\u{1b}[2J Rood", "PER"),
                ("NAVO", "ORG"),
            ],
        )],
    );
    let ttl = dir.path().join("x.ttl");
    for (base, says) in [
        ("http://example.org", "must end with `/` or `#`"),
        ("http://example.org/a b/", "contains ' '"),
        ("http://example.org/<x>/", "contains '<'"),
        ("example.org/", "not an absolute IRI"),
    ] {
        let o = run(&[
            "export",
            "--format",
            "turtle",
            input.to_str().unwrap(),
            "--base",
            base,
            "-o",
            ttl.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{base}");
        assert!(stderr(&o).contains(says), "{base}: {}", stderr(&o));
        assert!(!ttl.exists(), "nothing written");
    }
    export(
        "turtle",
        &input,
        &ttl,
        &["--base", "https://example.org/kg#"],
    );
    let store = rdf_store(&ttl);
    let names = sparql(
        &store,
        "SELECT ?n WHERE { ?e a nlner:Entity ; skos:prefLabel ?n }",
        &["n"],
    );
    assert_eq!(
        names,
        strings(&[&["=HYPERLINK(\"x\")"], &["Jan\u{1b}[2J Rood"], &["NAVO"]])
    );

    let neo = dir.path().join("neo");
    export("neo4j", &input, &neo, &[]);
    let entities = fs::read_to_string(neo.join("entities.csv")).unwrap();
    assert!(
        entities.contains(",\"'=HYPERLINK(\"\"x\"\")\","),
        "{entities}"
    );
    let docs = fs::read_to_string(neo.join("documents.csv")).unwrap();
    assert!(docs.lines().nth(1).unwrap().starts_with("'=doc,"), "{docs}");
    let o = run(&["entities", input.to_str().unwrap(), "--format", "csv"]);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");

    let o = run(&["entities", input.to_str().unwrap()]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(!table.contains('\u{1b}'), "{table:?}");
    assert!(table.contains("Jan\\u{1b}[2J Rood"), "{table}");
}

/// `load.cypher` loads every file, and reads only columns its file has.
#[test]
fn the_neo4j_load_script_reads_every_file_by_its_own_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph");
    export("neo4j", corpus_jsonl(), &out, &[]);
    let script = fs::read_to_string(out.join("load.cypher")).unwrap();
    let headers: HashMap<&str, &[&str]> = nl_ner_io::export::neo4j::FILES.into_iter().collect();
    let mut loaded = BTreeSet::new();
    for block in script.split("LOAD CSV WITH HEADERS FROM 'file:///").skip(1) {
        let file = &block[..block.find('\'').unwrap()];
        let header = headers[file];
        loaded.insert(file);
        let body = &block[..block.find(";\n").unwrap()];
        for col in body.split("row.").skip(1) {
            let name = match col.strip_prefix('`') {
                Some(c) => &c[..c.find('`').unwrap()],
                None => {
                    &col[..col
                        .find(|c: char| !c.is_alphanumeric() && c != '_')
                        .unwrap_or(col.len())]
                }
            };
            assert!(header.contains(&name), "{file}: no column {name}");
        }
    }
    let files: BTreeSet<&str> = headers
        .keys()
        .copied()
        .filter(|f| *f != "former_ids.csv")
        .collect();
    assert_eq!(loaded, files, "former ids are MERGEd from same_as.csv");
}
