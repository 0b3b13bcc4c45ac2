//! The register gazetteers (models/gazetteers/register-*.tsv, issue 23) and the rules for
//! regulation titles and lists of places, through the binary.

use crate::util::{json_lines, root, run, run_in, slice_chars, stderr};

/// (text, label, rule) of every entity `nl-ner extract` finds in `text`.
fn entities(text: &str) -> Vec<(String, String, Option<String>)> {
    let out = run_in(&root(), &["extract", "-", "--quiet"], text.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    let text = doc["text"].as_str().unwrap();
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = slice_chars(
                text,
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(s, e["text"].as_str().unwrap(), "offsets are exact");
            (
                s,
                e["label"].as_str().unwrap().to_string(),
                e["rule"].as_str().map(String::from),
            )
        })
        .collect()
}

fn has(found: &[(String, String, Option<String>)], text: &str, label: &str) -> bool {
    found.iter().any(|(t, l, _)| t == text && l == label)
}

#[test]
fn registered_laws_come_out_whole() {
    // Titles from the BWB register, not in the hand-written list: whole, with the year, and
    // the short form without the year.
    let found = entities(
        "De Politiewet 2012 en het Arbeidsomstandighedenbesluit zijn gewijzigd. Volgens de \
         Politiewet is dat toegestaan.",
    );
    assert!(has(&found, "Politiewet 2012", "INITIATIVE"), "{found:?}");
    assert!(
        has(&found, "Arbeidsomstandighedenbesluit", "INITIATIVE"),
        "{found:?}"
    );
    assert!(has(&found, "Politiewet", "INITIATIVE"), "{found:?}");
}

#[test]
fn unlisted_regulation_titles_come_out_whole_by_shape() {
    let found = entities(
        "Op grond van de Regeling subsidie regionale samenwerking grensgebieden 2019 kunnen \
         aanvragen worden ingediend.",
    );
    // Whole, not `Regeling subsidie` (the model or the `regulation-title` rule; the rule's own
    // examples are run by the registry test, without the model).
    let title = "Regeling subsidie regionale samenwerking grensgebieden 2019";
    assert!(has(&found, title, "INITIATIVE"), "{found:?}");
    assert!(
        found
            .iter()
            .all(|(t, _, _)| t == title || !title.contains(t.as_str())),
        "{found:?}"
    );
    // Lower-case, the same words are no name (docs/annotation.md).
    let found = entities("De regeling jonge boeren wordt volgend jaar opengesteld.");
    assert!(found.iter().all(|(_, l, _)| l != "INITIATIVE"), "{found:?}");
}

#[test]
fn municipalities_are_places_and_ambiguous_ones_are_not_listed() {
    let found = entities(
        "Deelnemende gemeenten:\n• Staphorst\n• Geertruidenberg\n• Meppel\n\nDe gemeente Zeist doet niet mee.",
    );
    for place in ["Staphorst", "Geertruidenberg", "Meppel", "Zeist"] {
        assert!(has(&found, place, "LOC"), "{place}: {found:?}");
    }
    // In a list of places, a municipality that is also a word is a place too (`place-list-item`).
    let found =
        entities("De volgende gemeenten doen mee:\n• Staphorst\n• Best\n• Meppel\n• Zwolle\n");
    assert!(has(&found, "Best", "LOC"), "{found:?}");
    // In a list of places, a municipality that is also a word is a place too (`place-list-item`).
    let found =
        entities("De volgende gemeenten doen mee:\n• Staphorst\n• Best\n• Meppel\n• Zwolle\n");
    assert!(has(&found, "Best", "LOC"), "{found:?}");
    // `Best` and `Beek` are Dutch words and surnames: no list makes them places in a sentence.
    let found = entities("Best is het om te wachten, zei mevrouw Beek.");
    assert!(
        !found
            .iter()
            .any(|(t, l, _)| l == "LOC" && (t == "Best" || t == "Beek")),
        "{found:?}"
    );
}

#[test]
fn a_user_gazetteer_may_carry_a_same_as_column_and_a_bad_one_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.tsv");
    std::fs::write(
        &good,
        "# test\nZorgkantoor Noord\tORG\torg:zk-noord\tZKN\thttp://www.wikidata.org/entity/Q1\n",
    )
    .unwrap();
    let out = run_in(
        &root(),
        &[
            "extract",
            "-",
            "--quiet",
            "--gazetteer",
            good.to_str().unwrap(),
        ],
        b"Het Zorgkantoor Noord betaalt.",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    assert!(
        doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"] == "Zorgkantoor Noord" && e["label"] == "ORG"),
        "{doc}"
    );
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "# test\nX\tORG\torg:x\t\tno iri here\n").unwrap();
    let out = run(&[
        "extract",
        "corpus/letters",
        "--gazetteer",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("bad.tsv:2") && err.contains("same-as"),
        "{err}"
    );
}
