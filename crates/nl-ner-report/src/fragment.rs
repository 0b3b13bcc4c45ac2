//! One document highlighted as an HTML fragment: what a Jupyter notebook shows for a Python
//! `nl_ner.Document` (`_repr_html_`), in the report's colours.
//!
//! Notebooks, VS Code and nbviewer show an output's HTML inside their own page and some drop
//! `<style>` elements, so everything is styled inline and nothing is fetched. Each mention is a
//! `<mark>` carrying its label, source, score, entity id and code-point offsets (`data-start`,
//! `data-end`), followed inside it by a small label badge (`<span class="nl-ner-label">`); the
//! text outside the badges is the document's text, escaped.

use askama::Template;
use nl_ner::{Document, Label};

use crate::{RunView, count, run_views};

/// The report's stylesheet, where each label's colour is set (`[data-label="PER"] { --c: ...`).
const STYLE: &str = include_str!("templates/style.css");

/// The background the report gives a mention of `label`; grey for a label the stylesheet
/// leaves out (a test checks that none is).
fn label_colour(label: Label) -> &'static str {
    let rule = format!("[data-label=\"{}\"] {{ --c: ", label.as_str());
    STYLE
        .split_once(rule.as_str())
        .and_then(|(_, rest)| rest.split_once(';'))
        .map_or("#eee", |(colour, _)| colour.trim())
}

/// A run of the fragment with its code-point offsets and, for a mention, its colour.
struct FragmentRun {
    run: RunView,
    start: usize,
    end: usize,
    colour: &'static str,
}

#[derive(Template)]
#[template(path = "document.html")]
struct FragmentTemplate {
    id: String,
    summary: String,
    runs: Vec<FragmentRun>,
}

/// `doc` as a self-contained HTML fragment (no script, no stylesheet, nothing fetched): a line
/// with its id, mention count and date, then its text with each mention highlighted.
pub fn document_html(doc: &Document) -> String {
    let mut at = 0;
    let runs = run_views(doc)
        .into_iter()
        .map(|run| {
            let start = at;
            at += run.text.chars().count();
            let colour = run
                .entity
                .as_ref()
                .and_then(|e| e.label.parse().ok())
                .map_or("#eee", label_colour);
            FragmentRun {
                run,
                start,
                end: at,
                colour,
            }
        })
        .collect();
    let mut summary = count(doc.entities.len(), "mention");
    if let Some(date) = &doc.date {
        summary.push_str(&format!(" · {}", date.date));
    }
    FragmentTemplate {
        id: doc.id.clone(),
        summary,
        runs,
    }
    .render()
    .expect("rendering to a String does not fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::{Entity, Source, Span};

    #[test]
    fn every_label_has_the_reports_colour() {
        for label in Label::ALL {
            let colour = label_colour(label);
            assert!(
                colour.starts_with('#') && colour != "#eee",
                "{label}: {colour}"
            );
        }
        assert_eq!(label_colour(Label::Per), "#cdb4fe");
    }

    #[test]
    fn the_fragment_escapes_the_text_and_marks_each_mention_at_its_offsets() {
        let text = "De <NAVO> & Oekraïne.";
        let mut doc = Document::new("a&b", text);
        let at = |s: &str| {
            let b = text.find(s).unwrap();
            Span::from_bytes(text, b..b + s.len())
        };
        doc.entities = vec![
            Entity::new(at("NAVO"), Label::Org, 0.99, Source::Model),
            Entity::new(at("Oekraïne"), Label::Loc, 1.0, Source::Gazetteer),
        ];
        let html = document_html(&doc);
        assert!(
            html.contains("a&#38;b") || html.contains("a&amp;b"),
            "{html}"
        );
        assert!(
            html.contains("De &#60;") || html.contains("De &lt;"),
            "{html}"
        );
        assert!(!html.contains("<NAVO"), "{html}");
        assert!(
            !html.contains("<style") && !html.contains("<script"),
            "{html}"
        );
        assert!(
            html.contains(r#"data-label="ORG" data-source="model""#),
            "{html}"
        );
        assert!(html.contains(r#"data-start="4" data-end="8""#), "{html}");
        assert!(html.contains(r#"data-start="12" data-end="20""#), "{html}");
        assert!(html.contains("background:#ffc199"), "{html}");
        assert!(html.contains("2 mentions"), "{html}");
    }
}
