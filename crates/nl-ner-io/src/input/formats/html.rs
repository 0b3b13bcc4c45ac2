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
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let source = std::str::from_utf8(bytes).map_err(|e| {
        FormatError::corrupt(
            Format::Html,
            format!(
                "not valid UTF-8 (invalid byte sequence at byte {}); convert it to UTF-8 first",
                e.valid_up_to()
            ),
        )
    })?;
    let html = Html::parse_document(source);
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
