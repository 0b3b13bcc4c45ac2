use super::*;
use nl_ner::EntityTable;
use nl_ner::{Entity, Source, Span};
use nl_ner_io::export::NAME_LABELS;

fn doc(id: &str, text: &str, names: &[(&str, Label)]) -> Document {
    let mut d = Document::new(id, text);
    for (name, label) in names {
        let at = text.find(name).unwrap();
        d.entities.push(Entity::new(
            Span::from_bytes(text, at..at + name.len()),
            *label,
            0.5,
            Source::Model,
        ));
    }
    d.entities.sort_by_key(|e| e.span);
    d
}

fn page(docs: &[Document], config: RenderConfig, n: usize) -> String {
    let table = EntityTable::build(docs, &NAME_LABELS);
    Report::new(docs, &table, config, "report.html").render_page(n)
}

#[test]
fn text_and_names_with_markup_characters_render_as_text() {
    let text = "<script>alert(1)</script> & \"Bureau <A&B>\" en 'O'Brien'";
    let docs = [doc(
        "id<\"&'>",
        text,
        &[("Bureau <A&B>", Label::Org), ("O'Brien", Label::Per)],
    )];
    let html = page(&docs, RenderConfig::default(), 0);
    assert!(
        !html.contains("<script>alert"),
        "document text became markup"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;"),
        "{html}"
    );
    assert!(!html.contains("Bureau <A&B>"));
    assert!(!html.contains("id<\""));
    // The title attribute of a mention and the entity table quote the name safely too.
    assert!(!html.contains("O'Brien"));
    assert_eq!(html.matches("<mark class=\"ent\"").count(), 2);
}

#[test]
fn every_entity_is_one_mark_with_its_label_and_the_text_survives_with_line_breaks() {
    let text =
        "Minister Brekelmans schreef de Tweede Kamer.\r\n\r\nDe NAVO en Oekraïne 🇺🇦 werken samen.";
    let docs = [doc(
        "brief",
        text,
        &[
            ("Brekelmans", Label::Per),
            ("Tweede Kamer", Label::Org),
            ("NAVO", Label::Org),
            ("Oekraïne", Label::Loc),
        ],
    )];
    let html = page(&docs, RenderConfig::default(), 0);
    for (name, label) in [
        ("Brekelmans", "PER"),
        ("Tweede Kamer", "ORG"),
        ("NAVO", "ORG"),
        ("Oekraïne", "LOC"),
    ] {
        let needle = format!("data-label=\"{label}\" data-source=\"model\" data-score=\"0.5000\"");
        let at = html
            .find(&format!(">{name}</mark>"))
            .unwrap_or_else(|| panic!("{name} not marked"));
        let open = html[..at].rfind("<mark").unwrap();
        assert!(
            html[open..at].contains(&needle),
            "{name}: {}",
            &html[open..at]
        );
    }
    assert!(
        html.contains("</mark>.\r\n\r\nDe <mark"),
        "line breaks kept"
    );
    assert!(html.contains("🇺🇦"));
}

#[test]
fn a_large_corpus_is_split_into_pages_that_link_to_each_other() {
    let docs: Vec<Document> = (0..25)
        .map(|i| {
            doc(
                &format!("doc{i}"),
                &format!("Rutte en de NAVO, nummer {i}."),
                &[("Rutte", Label::Per), ("NAVO", Label::Org)],
            )
        })
        .collect();
    let config = RenderConfig {
        docs_per_page: 10,
        ..RenderConfig::default()
    };
    let table = EntityTable::build(&docs, &NAME_LABELS);
    let report = Report::new(&docs, &table, config, "out.html");
    assert_eq!(report.page_count(), 3);
    let (second, third) = (report.page_name(1), report.page_name(2));
    assert_eq!(report.page_name(0), "out.html");
    assert!(
        third.starts_with("out-3-") && third.len() == "out-3-12345678.html".len(),
        "{third}"
    );
    // Further pages of another generation (or the older unversioned names) are stale.
    assert!(!report.is_other_generation(&third) && !report.is_other_generation("out.html"));
    assert!(
        report.is_other_generation("out-3.html")
            && report.is_other_generation("out-3-0000abcd.html")
    );
    assert!(
        !report.is_other_generation("out-notes.html")
            && !report.is_other_generation("outline-2.html")
    );
    let first = report.render_page(0);
    let last = report.render_page(2);
    assert!(first.contains("id=\"overview\""));
    assert!(!last.contains("id=\"overview\""));
    assert_eq!(first.matches("<article").count(), 10);
    assert_eq!(last.matches("<article").count(), 5);
    // The index on the first page links every document to its page.
    assert!(first.contains(&format!("href=\"{third}#d25\"")));
    assert!(first.contains(&format!("href=\"{second}#d11\"")));
    assert!(last.contains("href=\"out.html\""));
    assert!(last.contains("id=\"d21\""));
}

#[test]
fn the_overview_ranks_entities_with_aliases_and_draws_what_shares_a_sentence() {
    let docs = [
        doc(
            "a",
            "De NAVO en Rutte.",
            &[("NAVO", Label::Org), ("Rutte", Label::Per)],
        ),
        doc(
            "b",
            "Rutte sprak de NAVO toe.",
            &[("Rutte", Label::Per), ("NAVO", Label::Org)],
        ),
    ];
    let mut docs = docs.to_vec();
    for d in &mut docs {
        let seg = nl_ner::segment::Segmenter::new().segment(&d.text);
        d.sentences = seg.sentences;
    }
    let html = page(&docs, RenderConfig::default(), 0);
    assert!(html.contains("<svg class=\"graph\""));
    assert_eq!(html.matches("<circle").count(), 2);
    assert!(html.contains("<line"));
    assert!(html.contains(">Rutte</span>"), "Rutte listed under PER");
}

/// Issue 14: a one-document report opens on the document and lists no documents column; the
/// drawing leaves nationality adjectives out and shows long names whole.
#[test]
fn a_one_document_report_shows_the_text_first_and_draws_whole_names_without_adjectives() {
    let text =
        "De Nederlandse regering steunt de Prioritised Ukraine Requirement List met de NAVO.";
    let mut d = doc(
        "corpus/letters/brief.txt",
        text,
        &[
            ("Nederlandse", Label::Misc),
            ("Prioritised Ukraine Requirement List", Label::Initiative),
            ("NAVO", Label::Org),
        ],
    );
    d.sentences = nl_ner::segment::Segmenter::new().segment(&d.text).sentences;
    for (e, id) in d
        .entities
        .iter_mut()
        .zip(["misc:nederlandse", "initiative:purl", "org:navo"])
    {
        e.entity_id = Some(id.into());
    }
    let html = page(&[d], RenderConfig::default(), 0);
    assert!(
        html.contains("<main class=\"one-doc\">"),
        "the document before the overview"
    );
    assert!(html.contains(">Document</h2>") && !html.contains("Documents 1–1"));
    assert!(!html.contains("<th>Documents</th>") && !html.contains("td class=\"docs\""));
    assert_eq!(
        html.matches("<circle").count(),
        2,
        "no node for `Nederlandse`"
    );
    assert!(
        html.contains(">Prioritised Ukraine</tspan>") && html.contains(">Requirement List</tspan>"),
        "{html}"
    );
}
