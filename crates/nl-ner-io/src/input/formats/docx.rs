//! DOCX: the paragraphs (`w:p`) of `word/document.xml`, text from `w:t` runs only, so deleted
//! text (`w:delText`) and field codes (`w:instrText`) stay out. Headers, footers (with their page
//! numbers), footnotes and comments live in other parts of the archive and are not read.

use std::io::BufRead;

use quick_xml::events::Event;

use super::xml::{check_doctype, name, reader, text};
use super::{Extracted, Format, FormatError, Paragraphs, PartKey};

/// Reads `word/document.xml`.
pub fn extract(input: impl BufRead) -> Result<Extracted, FormatError> {
    let mut r = reader(input);
    let mut buf = Vec::new();
    let mut out = Paragraphs::default();
    let mut paragraphs = 0u32;
    let mut in_text = false;
    loop {
        let event = r
            .read_event_into(&mut buf)
            .map_err(|e| FormatError::Xml(Box::new(e)))?;
        match &event {
            Event::DocType(d) => check_doctype(d)?,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match name(e).as_str() {
                    "w:p" => {
                        paragraphs += 1;
                        out.start(PartKey::Paragraph(paragraphs));
                        if empty {
                            out.close();
                        }
                    }
                    "w:t" => in_text = !empty,
                    "w:tab" | "w:ptab" => out.push(" "),
                    "w:br" | "w:cr" => out.line_break(),
                    "w:noBreakHyphen" => out.push("-"),
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => out.close(),
                b"w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => out.push(&text(t)?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out.finish(Format::Docx))
}
