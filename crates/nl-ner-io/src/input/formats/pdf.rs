//! PDF with a text layer, page by page, through the pure-Rust `pdf-extract` (over `lopdf`);
//! the pages' text is cleaned by [`super::clean::pages`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, PlainTextOutput};

use super::{Extracted, Format, FormatError, Options, Source, clean};

/// Reads a PDF's pages and cleans their text.
pub fn extract(bytes: &[u8], _opts: &Options) -> Result<Extracted, FormatError> {
    let pages = pages(bytes)?;
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(FormatError::NoTextLayer(pages.len()));
    }
    let lexicon = nl_ner::Lexicon::embedded().ok();
    let words: &dyn clean::Words = match &lexicon {
        Some(l) => l.as_ref(),
        None => &clean::NoWords,
    };
    let (text, parts) = clean::pages(&pages, words);
    Ok(Extracted {
        text,
        source: Source {
            format: Format::Pdf,
            parts,
        },
    })
}

/// The raw text of each page, in page order.
pub fn pages(bytes: &[u8]) -> Result<Vec<String>, FormatError> {
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
    let mut pages = Vec::with_capacity(numbers.len());
    for n in numbers {
        let mut text = String::new();
        let done = catch_unwind(AssertUnwindSafe(|| {
            let mut out = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut out, n)
        }));
        match done {
            Ok(Ok(())) => pages.push(text),
            Ok(Err(e)) => return Err(corrupt(&format_args!("page {n}: {e}"))),
            Err(p) => return Err(corrupt(&format_args!("page {n}: {}", panic_message(&p)))),
        }
    }
    if pages.is_empty() {
        return Err(corrupt(&"it has no pages"));
    }
    Ok(pages)
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    format!("the PDF reader failed ({msg})")
}
