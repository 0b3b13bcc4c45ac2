//! The relation stage through the binary (issue 22, docs/relations.md).

use crate::util::{json_lines, root, run_in, slice_chars, stderr};

/// The surface of entity `i` of an extract output line.
fn surface(doc: &serde_json::Value, i: &serde_json::Value) -> String {
    let e = &doc["entities"][i.as_u64().unwrap() as usize];
    slice_chars(
        doc["text"].as_str().unwrap(),
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    )
}

#[test]
fn an_attendance_list_gives_no_member_of_to_a_name_that_is_no_party() {
    // A debate's list of members present, where the model tags one surname ORG: every name
    // around it stood next to an "organisation", and the classifier made them its members.
    let path = root().join("tests/data/relations/attendance-tk2018-001.txt");
    let out = run_in(
        &root(),
        &["extract", path.to_str().unwrap(), "--quiet"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &json_lines(&out.stdout)[0];
    let relations = doc["relations"].as_array().unwrap();
    for r in relations.iter().filter(|r| r["type"] == "member_of") {
        let tail = &doc["entities"][r["tail"].as_u64().unwrap() as usize];
        assert!(
            tail["entity_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("org:party-")),
            "{} member_of {} ({})",
            surface(doc, &r["head"]),
            surface(doc, &r["tail"]),
            tail["entity_id"]
        );
    }
    // The stage ran: the offices after the list are there.
    let roles: Vec<(String, &str)> = relations
        .iter()
        .filter(|r| r["type"] == "role")
        .map(|r| (surface(doc, &r["head"]), r["role"].as_str().unwrap()))
        .collect();
    assert!(
        roles.contains(&(
            "De Jonge".to_string(),
            "minister van Volksgezondheid, Welzijn en Sport"
        )),
        "{roles:?}"
    );
}

/// The `participates_in` facts of a one-document extract run, as (head, tail) surfaces.
fn participations(out: &std::process::Output) -> Vec<(String, String)> {
    assert!(out.status.success(), "{}", stderr(out));
    let doc = &json_lines(&out.stdout)[0];
    doc["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "participates_in")
        .map(|r| (surface(doc, &r["head"]), surface(doc, &r["tail"])))
        .collect()
}

#[test]
fn a_project_heading_gives_its_applicant_title_and_relation_without_the_model() {
    // dusi-011 (a DUS-I list of funded projects, training side) with no model at all
    // (`--no-model`): a paragraph that is nothing but `Name ‘Title’` is a heading whether or not
    // a model knew the name; the sentence ending in a quote around it is none.
    let text = "Onderwijsgroep Tilburg ‘Brabant Leert Learning Factory’\n\nAchtergrond en aanleiding\n\nDe Brabant Leert Learning Factory is een belangrijke onderwijsvernieuwende aanpak.\n\nAlfa-college ‘Versnelling DNA Next’\n\nDe kernpunten noemen we ‘Samen Leren’\n";
    let out = run_in(
        &root(),
        &["extract", "-", "--quiet", "--no-model"],
        text.as_bytes(),
    );
    let facts = participations(&out);
    assert_eq!(
        facts,
        [
            (
                "Onderwijsgroep Tilburg".to_string(),
                "Brabant Leert Learning Factory".to_string()
            ),
            (
                "Alfa-college".to_string(),
                "Versnelling DNA Next".to_string()
            ),
        ]
    );
}

#[test]
fn a_project_heading_the_model_cut_gives_its_applicant_and_title() {
    // dusi-013 (a DUS-I list of funded projects): the model finds `Universiteit Eindhoven` and a
    // MISC cut at `TU/e`; the heading gives the whole applicant, the title, and the relation.
    let text = "De volgende aanvragen zijn toegekend.\n\nTechnische Universiteit Eindhoven ‘Naar een One-Stop-Shop voor TU/e’\n\nAchtergrond en aanleiding\n\nEen integrale en gedifferentieerde LLO-aanpak voor de Brainport regio.\n";
    let out = run_in(&root(), &["extract", "-", "--quiet"], text.as_bytes());
    let facts = participations(&out);
    assert_eq!(
        facts,
        [(
            "Technische Universiteit Eindhoven".to_string(),
            "Naar een One-Stop-Shop voor TU/e".to_string()
        )]
    );
}
