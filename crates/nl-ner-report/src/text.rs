//! A document's text cut into the runs a document view shows: plain text and entity mentions.

use nl_ner::{Document, Entity};

/// One run of a document's text: plain, or one entity mention.
#[derive(Clone, Debug, PartialEq)]
pub struct Run<'a> {
    /// The text of the run, exactly as in the document.
    pub text: &'a str,
    /// The mention this run is, with its index in `doc.entities`; `None` for plain text.
    pub entity: Option<(usize, &'a Entity)>,
}

/// Cuts `doc.text` into runs that, joined, give the text back: one run per entity, plain runs
/// between them. Entities are used by their byte offsets (the document's own); one that
/// overlaps an earlier one or lies outside the text is shown as plain text rather than
/// breaking the view, since the report must open whatever file it is given.
pub fn runs(doc: &Document) -> Vec<Run<'_>> {
    let text = doc.text.as_str();
    let mut out = Vec::with_capacity(2 * doc.entities.len() + 1);
    let mut at = 0;
    for (i, e) in doc.entities.iter().enumerate() {
        let (start, end) = (e.span.byte_start, e.span.byte_end);
        let fits = at <= start
            && start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !fits {
            continue;
        }
        if at < start {
            out.push(Run {
                text: &text[at..start],
                entity: None,
            });
        }
        out.push(Run {
            text: &text[start..end],
            entity: Some((i, e)),
        });
        at = end;
    }
    if at < text.len() {
        out.push(Run {
            text: &text[at..],
            entity: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::{Label, Source, Span};

    fn entity(text: &str, at: std::ops::Range<usize>) -> Entity {
        Entity::new(Span::from_bytes(text, at), Label::Org, 1.0, Source::Model)
    }

    #[test]
    fn runs_join_to_the_text_and_mark_each_entity_once() {
        let text = "De NAVO en de € 5 mln voor Oekraïne.";
        let mut doc = Document::new("d", text);
        let navo = text.find("NAVO").unwrap();
        let oek = text.find("Oekraïne").unwrap();
        doc.entities = vec![
            entity(text, navo..navo + 4),
            entity(text, oek..oek + "Oekraïne".len()),
        ];
        let runs = runs(&doc);
        assert_eq!(runs.iter().map(|r| r.text).collect::<String>(), text);
        let marked: Vec<&str> = runs
            .iter()
            .filter(|r| r.entity.is_some())
            .map(|r| r.text)
            .collect();
        assert_eq!(marked, ["NAVO", "Oekraïne"]);
    }

    #[test]
    fn an_overlapping_or_out_of_range_entity_is_shown_as_text() {
        let text = "Tweede Kamer";
        let mut doc = Document::new("d", text);
        doc.entities = vec![entity(text, 0..12), entity(text, 7..12)];
        doc.entities.push(Entity {
            span: Span {
                byte_start: 10,
                byte_end: 99,
                char_start: 10,
                char_end: 99,
            },
            ..doc.entities[0].clone()
        });
        let runs = runs(&doc);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].entity.map(|(i, _)| i), Some(0));
    }
}
