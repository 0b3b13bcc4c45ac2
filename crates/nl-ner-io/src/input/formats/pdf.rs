//! PDF with a text layer, page by page, through the pure-Rust `pdf-extract` (over `lopdf`): an
//! output device ([`Glyphs`]) keeps each glyph with its position and type size, [`layout`]
//! turns them into body text and notes, and [`clean::pages`] cleans the body text.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, MediaBox, OutputDev, OutputError, Transform};

use super::layout::{Glyph, Layout, PageLines};
use super::{Extracted, Format, FormatError, Options, Source, clean};

/// Reads a PDF's pages, keeps their body text and cleans it.
pub fn extract(bytes: &[u8], _opts: &Options) -> Result<Extracted, FormatError> {
    let layout = layout(bytes)?;
    let (pages, notes) = layout.body_text();
    if layout.body_size().is_none() {
        return Err(FormatError::NoTextLayer(pages.len()));
    }
    let (text, parts) = clean::pages(&pages, &clean::EmbeddedWords);
    Ok(Extracted {
        text,
        source: Source {
            format: Format::Pdf,
            parts,
            notes,
        },
    })
}

/// The lines of each page, with their sizes, in page order.
fn layout(bytes: &[u8]) -> Result<Layout, FormatError> {
    let corrupt = |e: &dyn std::fmt::Display| FormatError::corrupt(Format::Pdf, e);
    // `pdf-extract` and `lopdf` panic on some damaged files instead of returning an error: a
    // panic is one file's error, never the end of the batch.
    let mut doc = catch_unwind(|| Document::load_mem(bytes))
        .map_err(|p| corrupt(&panic_message(&p)))?
        .map_err(|e| corrupt(&e))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        // Only a PDF with an owner password (printing or copying restricted) opens with the
        // empty user password; one with a user password needs it.
        return Err(FormatError::Encrypted("PDF"));
    }
    let numbers: Vec<u32> = doc.get_pages().into_keys().collect();
    if numbers.is_empty() {
        return Err(corrupt(&"it has no pages"));
    }
    let mut layout = Layout::default();
    let mut device = Glyphs::default();
    for n in numbers {
        let done = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut device, n)
        }));
        match done {
            Ok(Ok(())) => layout.push_page(device.lines.finish()),
            Ok(Err(e)) => return Err(corrupt(&format_args!("page {n}: {e}"))),
            Err(p) => return Err(corrupt(&format_args!("page {n}: {}", panic_message(&p)))),
        }
    }
    Ok(layout)
}

/// The output device: hands each glyph `pdf-extract` draws, with its place on the page and its
/// size, to [`PageLines`].
#[derive(Default)]
struct Glyphs {
    /// The page's height: PDF measures from the bottom, [`Glyph`] from the top.
    height: f64,
    starts_string: bool,
    lines: PageLines,
}

impl OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        // What a failed page left behind is not this page's.
        self.lines.finish();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The size as drawn: the side of the square with the area the text matrix makes of a
        // font-size square (as `pdf-extract`'s plain-text output measures it).
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        let size = if size.is_finite() { size } else { 0.0 };
        let x = trm.m31;
        self.lines.push(Glyph {
            x,
            y: self.height - trm.m32,
            end: x + width * size,
            size,
            text: text.to_string(),
            starts_string: std::mem::take(&mut self.starts_string),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.starts_string = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    format!("the PDF reader failed ({msg})")
}
