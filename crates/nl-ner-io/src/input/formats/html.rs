//! HTML: the main content, as a reader sees it. The root is `<main>` (or `role="main"`), else the
//! first `<article>`, else `<body>`; navigation, page header and footer, asides, forms, scripts
//! and styles are left out; block elements (`p`, `h1`–`h6`, `li`, `td`, ...) are paragraphs, numbered
//! in output order.

use ego_tree::NodeRef;
use scraper::{Html, Node, Selector};

use super::{Extracted, Format, FormatError, Paragraphs, PartKey};

/// Elements whose content is boilerplate or not text.
const SKIPPED: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form",
    "button", "select", "svg", "iframe", "object", "head", "menu", "dialog",
];

/// Elements that are paragraphs of their own.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "figcaption",
    "blockquote",
    "pre",
    "address",
    "div",
    "section",
    "article",
    "main",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "details",
    "summary",
    "hr",
];

/// Reads an HTML document's main content.
pub fn extract(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let source = decode(bytes)?;
    let html = Html::parse_document(&source);
    let root = ["main", "[role=main]", "article", "body"]
        .iter()
        .find_map(|s| {
            let sel = Selector::parse(s).expect("a valid selector");
            html.select(&sel).next()
        })
        .map(|e| *e)
        .unwrap_or_else(|| html.tree.root());
    let mut out = Paragraphs::default();
    out.start(PartKey::Paragraph(0));
    walk(root, &mut out);
    Ok(out.finish(Format::Html))
}

/// How many bytes from the start a `<meta charset>` is looked for in (the HTML standard's
/// prescan looks at 1024).
const PRESCAN_BYTES: usize = 1024;

/// The page's text: UTF-8 (a BOM dropped), or the encoding a `<meta charset=...>` or `<meta
/// http-equiv="Content-Type" content="...; charset=...">` in its first bytes declares
/// (windows-1252 for `iso-8859-1` and `us-ascii` too, as browsers read them).
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, FormatError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declared = meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)])
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        // A page that says UTF-16 in its own bytes cannot be UTF-16 (the standard reads it as
        // UTF-8).
        .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
        .filter(|e| *e != encoding_rs::UTF_8);
    if let Some(encoding) = declared {
        return encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| {
                FormatError::corrupt(
                    Format::Html,
                    format!("not valid {} (as its <meta charset> says)", encoding.name()),
                )
            });
    }
    std::str::from_utf8(bytes)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|e| {
            FormatError::corrupt(
                Format::Html,
                format!(
                    "not valid UTF-8 (invalid byte sequence at byte {}) and no <meta charset> \
                     names another encoding; convert it to UTF-8 first",
                    e.valid_up_to()
                ),
            )
        })
}

/// The charset label a `<meta>` tag in `head` declares, lower-cased.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let rest = rest
                .strip_prefix(b"\"")
                .or(rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let label: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(|b| {
                    !matches!(b, b'"' | b'\'' | b';' | b'/') && !b.is_ascii_whitespace()
                })
                .collect();
            return String::from_utf8(label).ok().filter(|l| !l.is_empty());
        }
        from = tag_end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn walk(node: NodeRef<'_, Node>, out: &mut Paragraphs) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name)
                    || e.attr("hidden").is_some()
                    || e.attr("aria-hidden") == Some("true")
                {
                    continue;
                }
                if name == "br" {
                    out.line_break();
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.start(PartKey::Paragraph(0));
                }
                walk(child, out);
                if block {
                    // Text after a block inside its parent is a paragraph of its own.
                    out.start(PartKey::Paragraph(0));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_windows_1252_page_is_decoded() {
        let mut page = b"<html><head><meta charset=windows-1252></head><body><p>Oekra".to_vec();
        page.extend(b"\xefne en Belgi\xeb \x80 5</p></body></html>");
        assert_eq!(extract(&page).unwrap().text, "Oekraïne en België € 5");
        let equiv = b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">\
                      <p>Belgi\xeb</p>";
        assert_eq!(extract(equiv).unwrap().text, "België");
    }

    #[test]
    fn utf8_stays_utf8_and_bad_bytes_are_named() {
        let page = "<meta charset=\"utf-8\"><p>Oekraïne</p>";
        assert_eq!(extract(page.as_bytes()).unwrap().text, "Oekraïne");
        let err = extract(b"<p>Belgi\xeb</p>").unwrap_err().to_string();
        assert!(
            err.contains("not valid UTF-8") && err.contains("no <meta charset>"),
            "{err}"
        );
    }
}
