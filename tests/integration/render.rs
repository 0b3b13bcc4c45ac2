//! `nl-ner render` on the letter in `corpus/`, checked structurally with an HTML parser.

use crate::util::{render_letter, run_in, stderr};
use scraper::{Html, Selector};

#[test]
fn every_entity_of_the_letter_is_one_highlighted_element_with_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, html) = render_letter(dir.path());
    assert_eq!(docs.len(), 1);
    let entities = docs[0]["entities"].as_array().unwrap();
    assert!(entities.len() > 50, "the letter has many entities");

    let page = Html::parse_document(&html);
    let marks: Vec<_> = page
        .select(&Selector::parse("article.doc mark.ent").unwrap())
        .collect();
    assert_eq!(
        marks.len(),
        entities.len(),
        "one highlighted element per entity"
    );
    for (mark, e) in marks.iter().zip(entities) {
        let text: String = mark.text().collect();
        assert_eq!(text, e["text"].as_str().unwrap());
        let attr = |name| mark.value().attr(name).unwrap_or_default();
        assert_eq!(attr("data-label"), e["label"].as_str().unwrap(), "{text}");
        assert_eq!(attr("data-source"), e["source"].as_str().unwrap(), "{text}");
        assert_eq!(attr("data-id"), e["entity_id"].as_str().unwrap(), "{text}");
        assert!(
            attr("title").starts_with(e["label"].as_str().unwrap()),
            "hover names the label"
        );
    }

    // The document text, line breaks included, is the page's text of the document view.
    let view = page
        .select(&Selector::parse("article.doc div.text").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        view.text().collect::<String>(),
        docs[0]["text"].as_str().unwrap()
    );

    // The overview lists the letter's initiatives and draws what is named together.
    let names: Vec<String> = page
        .select(&Selector::parse("section.label-section[data-label=INITIATIVE] .name").unwrap())
        .map(|n| n.text().collect())
        .collect();
    assert!(!names.is_empty(), "initiatives listed");
    assert!(
        page.select(&Selector::parse("svg.graph circle").unwrap())
            .count()
            >= 2
    );
    for link in page.select(&Selector::parse("a[href]").unwrap()) {
        let href = link.value().attr("href").unwrap();
        assert!(
            href.starts_with('#') || href.starts_with("report.html#"),
            "no link leaves the report: {href}"
        );
    }
    for tag in ["script", "link", "img", "iframe"] {
        assert_eq!(
            page.select(&Selector::parse(tag).unwrap()).count(),
            0,
            "self-contained: no <{tag}>"
        );
    }
}

#[test]
fn a_bad_line_is_reported_and_the_rest_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let input = b"{\"id\":\"a\",\"text\":\"De NAVO.\",\"entities\":[{\"start\":3,\"end\":7,\"text\":\"NAVO\",\"label\":\"ORG\"}]}\nnot json\n";
    let out = run_in(dir.path(), &["render", "-", "-o", "r.html"], input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("<stdin>:2"), "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert_eq!(html.matches("<mark class=\"ent\"").count(), 1);
}

/// `render --help` names the further pages as `render` writes them (issue 25 item 10: the help
/// said `NAME-2.html` after the pages were named by generation).
#[test]
fn the_help_names_the_pages_as_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let input: String = ["a", "b", "c"]
        .iter()
        .map(|id| format!("{{\"id\":\"{id}\",\"text\":\"De NAVO.\",\"entities\":[]}}\n"))
        .collect();
    let args = ["render", "-", "-o", "r.html", "--docs-per-page", "1"];
    let out = run_in(dir.path(), &args, input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(written.len(), 3, "{written:?}");
    assert_eq!(written[2], "r.html");
    let help = crate::util::run(&["render", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for (k, name) in written[..2].iter().enumerate() {
        // `r-2-1a2b3c4d.html` is what the help calls `NAME-2-GEN.html`.
        let page = k + 2;
        let generation = name
            .strip_prefix(&format!("r-{page}-"))
            .and_then(|g| g.strip_suffix(".html"))
            .unwrap_or_default();
        assert!(
            generation.len() == 8 && generation.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
        let named = format!("`NAME-{page}-GEN.html`");
        assert!(help.contains(&named), "{named} in: {help}");
    }
    assert!(help.contains("`GEN`: 8 hex digits"), "{help}");
}

/// A fact as the report shows it under an entity: relation, name, and each document link's text
/// and tooltip (the document's id).
type Fact = (String, String, Vec<(String, String)>);

#[test]
fn a_persons_roles_and_an_initiatives_participants_are_on_their_rows_with_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["extract", "-q", "-", "-o", "out.jsonl"],
        crate::crossdoc::LETTERS.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(dir.path(), &["render", "out.jsonl", "-o", "r.html"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let page = Html::parse_document(&html);
    let sel = |s: &str| Selector::parse(s).unwrap();
    // Each document's anchor, by id.
    let anchors: Vec<(String, String)> = page
        .select(&sel("article.doc"))
        .map(|a| {
            let id = a.value().attr("id").unwrap().to_string();
            let h: String = a.select(&sel("h3")).next().unwrap().text().collect();
            (id, h)
        })
        .collect();
    let facts = |row: &str| -> Vec<Fact> {
        let row = page
            .select(&sel("table.top tr"))
            .find(|tr| {
                tr.select(&sel("code"))
                    .any(|c| c.text().collect::<String>() == row)
            })
            .unwrap_or_else(|| panic!("no row {row}"));
        row.select(&sel("div.fact"))
            .map(|f| {
                let text =
                    |s: &str| -> String { f.select(&sel(s)).next().unwrap().text().collect() };
                let docs = f
                    .select(&sel("a.src"))
                    .map(|a| {
                        let href = a.value().attr("href").unwrap();
                        let anchor = href.split_once('#').unwrap().1;
                        // The link goes to the document it names.
                        let (_, h) = anchors.iter().find(|(id, _)| id == anchor).unwrap();
                        assert!(h.contains(a.value().attr("title").unwrap()), "{h}");
                        (
                            a.text().collect(),
                            a.value().attr("title").unwrap().to_string(),
                        )
                    })
                    .collect();
                (text(".rel"), text(".other"), docs)
            })
            .collect()
    };
    let s = String::from;
    assert_eq!(
        facts("per:jansen"),
        [
            (
                s("role"),
                s("staatssecretaris van Financiën"),
                vec![(s("2024-06-03 brief-2024"), s("brief-2024"))]
            ),
            (
                s("role"),
                s("minister van Financiën"),
                vec![(s("2025-03-12 brief-2025"), s("brief-2025"))]
            ),
            (
                s("party"),
                s("VVD"),
                vec![(s("2025-04-01 vragen"), s("vragen"))]
            ),
        ]
    );
    assert_eq!(
        facts("initiative:purl"),
        [(
            s("participant"),
            s("Nederland"),
            vec![(s("2025-03-12 brief-2025"), s("brief-2025"))]
        )]
    );
    // The party is listed too: its name links to its row.
    let vvd = page
        .select(&sel("div.fact[data-relation=party] a.other"))
        .next()
        .expect("a link to the party's row");
    let target = vvd.value().attr("href").unwrap().trim_start_matches('#');
    assert!(
        page.select(&sel(&format!("tr[id={target}]")))
            .next()
            .is_some(),
        "{target}"
    );
}
