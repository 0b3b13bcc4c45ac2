//! ODT: the paragraphs and headings (`text:p`, `text:h`) of `content.xml`. Notes
//! (`text:note`), annotations and tracked deletions are left out; headers and footers live in
//! `styles.xml` and are not read.

use std::io::BufRead;

use quick_xml::events::Event;

use super::xml::{check_doctype, name, reader, text};
use super::{Extracted, Format, FormatError, Paragraphs, PartKey};

/// Elements whose text is not the document's prose.
const SKIPPED: &[&str] = &[
    "text:note",
    "office:annotation",
    "text:tracked-changes",
    "text:table-of-content",
];

/// Reads `content.xml`.
pub fn extract(input: impl BufRead) -> Result<Extracted, FormatError> {
    let mut r = reader(input);
    let mut buf = Vec::new();
    let mut out = Paragraphs::default();
    let mut paragraphs = 0u32;
    // How deep in paragraphs (a frame's text box puts one inside another), and the depth of a
    // skipped element.
    let mut depth = 0usize;
    let mut open = 0usize;
    let mut skipping: Option<usize> = None;
    loop {
        let event = r
            .read_event_into(&mut buf)
            .map_err(|e| FormatError::Xml(Box::new(e)))?;
        match &event {
            Event::DocType(d) => check_doctype(d)?,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let n = name(e);
                if !empty {
                    depth += 1;
                }
                if skipping.is_some() {
                } else if SKIPPED.contains(&n.as_str()) {
                    if !empty {
                        skipping = Some(depth);
                    }
                } else {
                    match n.as_str() {
                        "text:p" | "text:h" => {
                            paragraphs += 1;
                            if open == 0 {
                                out.start(PartKey::Paragraph(paragraphs));
                            }
                            if !empty {
                                open += 1;
                            }
                        }
                        "text:s" => {
                            let count = e
                                .try_get_attribute("text:c")
                                .ok()
                                .flatten()
                                .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
                                .unwrap_or(1usize);
                            out.push(&" ".repeat(count.min(1)));
                        }
                        "text:tab" => out.push(" "),
                        "text:line-break" => out.line_break(),
                        _ => {}
                    }
                }
            }
            Event::End(e) => {
                if skipping == Some(depth) {
                    skipping = None;
                } else if skipping.is_none() && matches!(e.name().as_ref(), b"text:p" | b"text:h") {
                    open = open.saturating_sub(1);
                    if open == 0 {
                        out.close();
                    } else {
                        out.push(" ");
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if open > 0 && skipping.is_none() => out.push(&text(t)?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out.finish(Format::Odt))
}
