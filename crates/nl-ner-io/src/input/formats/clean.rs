//! Page text to clean text: running headers and footers, page numbers and end-of-line
//! hyphenation removed, wrapped lines rejoined, so that names are whole and entity offsets index
//! the text a reader sees.
//!
//! The rules (docs/input.md has the reasons and the numbers):
//!
//! - A *running line* is a line among the first or last [`EDGE_LINES`] lines of a page whose
//!   shape (lower-cased, digits as `#`, spaces collapsed) is found at the edge of at least half
//!   the pages, and of two pages at least: `Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 2`.
//!   A line that holds a running line's shape (`’s-Gravenhage 2024 Tweede Kamer, vergaderjaar
//!   2023–2024, Aanhangsel 1` on a first page) goes too.
//! - A *page number* is an edge line that is only a number (`3`, `- 3 -`, `3/12`, `Pagina 3 van
//!   12`).
//! - Lines are joined into paragraphs with a space; a blank line, or a line much shorter than
//!   the page's usual line (a heading, a paragraph's last line), ends a paragraph. A paragraph that
//!   goes on over a page break is joined too.
//! - A line ending in `letter-` before a line starting with a letter is hyphenation, joined
//!   without the hyphen (`Ministe-` `rie`), unless the hyphen is real: the next part is
//!   capitalised (`Noord-` `Holland`), the first part is an acronym or number (`EU-` `landen`),
//!   or the lexicon knows the hyphenated word and not the joined one.
//! - A spacing accent after a letter (`Kostic´`, as PDFs draw it) is put on the letter (`Kostić`);
//!   typographic ligatures (`ﬁ`) become their letters.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::{Part, PartKey};

/// How many non-blank lines at the top and at the bottom of a page may be a running header,
/// footer or page number.
pub const EDGE_LINES: usize = 3;

/// A line shorter than this share of the page's full width ([`full_width`]) ends its paragraph.
const SHORT_LINE: f64 = 0.7;

/// Knows which words are words: the hyphenation rule asks it (the embedded lexicon in nl-ner).
pub trait Words {
    /// Whether `lower` (a lower-cased word) is a known word.
    fn knows(&self, lower: &str) -> bool;
}

/// The embedded lexicon, searched in place ([`nl_ner::Lexicon::embedded_entry`]): a document
/// asks about a few words, which costs less than parsing the lexicon's 350,000 lines.
pub struct EmbeddedWords;

impl Words for EmbeddedWords {
    fn knows(&self, lower: &str) -> bool {
        nl_ner::Lexicon::embedded_entry(lower).flags != 0
    }
}

/// No lexicon: every end-of-line hyphen before a lower-case letter is hyphenation.
pub struct NoWords;

impl Words for NoWords {
    fn knows(&self, _: &str) -> bool {
        false
    }
}

/// The clean text of a document's pages, and which range of it each page gave (pages from 1;
/// a page that gave no text has an empty range).
pub fn pages(pages: &[String], words: &dyn Words) -> (String, Vec<Part>) {
    let mut lines: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.lines().map(normalize_line).collect())
        .collect();
    remove_running_lines(&mut lines);
    let mut out = Builder::default();
    let mut parts: Vec<Part> = Vec::with_capacity(lines.len());
    // Whether the last line written ended its paragraph by being short.
    let mut last_short = false;
    for (i, page) in lines.iter().enumerate() {
        let short = (full_width(page) as f64 * SHORT_LINE) as usize;
        // Blank lines at a page's edges (often running lines just removed) end nothing: a
        // paragraph the page break cut goes on.
        let first = page.iter().position(|l| !l.is_empty());
        let last = page.iter().rposition(|l| !l.is_empty());
        let at = PartKey::Page(u32::try_from(i + 1).unwrap_or(u32::MAX));
        let (Some(first), Some(last)) = (first, last) else {
            parts.push(Part {
                at,
                start: out.chars,
                end: out.chars,
            });
            continue;
        };
        if last_short || out.text.ends_with(['.', '?', '!', ':', ';']) {
            out.paragraph_break();
        }
        let mut start = None;
        for j in first..=last {
            let line = &page[j];
            if line.is_empty() {
                out.paragraph_break();
                continue;
            }
            let began = out.line(line, words);
            start.get_or_insert(began);
            // A line that ends in a hyphen goes on, however short.
            last_short = line.chars().count() < short && !line.ends_with(['-', '\u{ad}']);
            if last_short && j < last && !page[j + 1].is_empty() {
                out.paragraph_break();
            }
        }
        let start = start.unwrap_or(out.chars);
        if let Some(prev) = parts.last_mut() {
            // A hyphen at the previous page's end that hyphenation removed.
            prev.end = prev.end.min(start);
        }
        parts.push(Part {
            at,
            start,
            end: out.chars,
        });
    }
    (out.text, parts)
}

/// A page's full line width in characters: the 75th percentile of its line lengths, so that a
/// long URL or a table row does not make every body line look short.
fn full_width(page: &[String]) -> usize {
    let mut widths: Vec<usize> = page
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().count())
        .collect();
    if widths.is_empty() {
        return 0;
    }
    widths.sort_unstable();
    widths[(widths.len() * 3 / 4).min(widths.len() - 1)]
}

/// Builds the text, counting code points as it goes.
#[derive(Default)]
struct Builder {
    text: String,
    chars: usize,
    /// A paragraph is open: the next line joins it.
    open: bool,
    /// A paragraph break is owed before the next line.
    broken: bool,
}

impl Builder {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }

    fn paragraph_break(&mut self) {
        if self.open {
            self.broken = true;
            self.open = false;
        }
    }

    /// Adds a line, after a paragraph break, a space or nothing (hyphenation); returns the code
    /// point where the line's own text starts.
    fn line(&mut self, line: &str, words: &dyn Words) -> usize {
        if self.broken {
            self.push("\n\n");
            self.broken = false;
        } else if self.open {
            if let Some(keep_hyphen) = hyphenation(&self.text, line, words) {
                if !keep_hyphen {
                    self.text.pop();
                    self.chars -= 1;
                }
            } else if !self.text.is_empty() {
                self.push(" ");
            }
        }
        let at = self.chars;
        self.push(line);
        self.open = true;
        at
    }
}

/// When `before` ends in `letter-` and `line` starts with a letter: `Some(true)` if the hyphen
/// is real and stays, `Some(false)` if it is hyphenation and goes. `None` otherwise.
fn hyphenation(before: &str, line: &str, words: &dyn Words) -> Option<bool> {
    let head = before.strip_suffix(['-', '\u{ad}'])?;
    let left: String = {
        let mut w: Vec<char> = head
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        w.reverse();
        w.into_iter().collect()
    };
    let first = left.chars().next()?;
    let next = line.chars().next()?;
    if !first.is_alphanumeric() || !next.is_alphabetic() {
        return None;
    }
    if before.ends_with('\u{ad}') {
        // A soft hyphen is hyphenation by definition.
        return Some(false);
    }
    let right: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
    let acronym =
        left.chars().count() >= 2 && left.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
    if next.is_uppercase() || acronym || left.chars().any(|c| c.is_ascii_digit()) {
        return Some(true);
    }
    let hyphened = format!("{left}-{right}").to_lowercase();
    let joined = format!("{left}{right}").to_lowercase();
    Some(words.knows(&hyphened) && !words.knows(&joined))
}

/// A line with its trailing blanks removed, spacing accents put on their letters and ligatures
/// spelt out.
fn normalize_line(line: &str) -> String {
    let line = line.trim_end();
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\u{b4}' | '\u{a8}' | '\u{2c7}' | '\u{60}' | '\u{2c6}' => {
                let mark = match c {
                    '\u{b4}' => '\u{301}',
                    '\u{a8}' => '\u{308}',
                    '\u{2c7}' => '\u{30c}',
                    '\u{60}' => '\u{300}',
                    _ => '\u{302}',
                };
                let composed = out
                    .chars()
                    .next_back()
                    .filter(|b| b.is_alphabetic())
                    .and_then(|b| {
                        let pair: String = [b, mark].iter().collect();
                        let mut s = pair.nfc();
                        let one = s.next()?;
                        s.next().is_none().then_some(one)
                    });
                match composed {
                    Some(one) => {
                        out.pop();
                        out.push(one);
                    }
                    None => out.push(c),
                }
            }
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            _ => out.push(c),
        }
    }
    out
}

/// The shape of a line for running-line matching: lower case, every digit `#`, blanks
/// collapsed.
fn shape(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    let mut blank = false;
    for c in line.trim().chars() {
        if c.is_whitespace() {
            blank = true;
            continue;
        }
        if blank && !s.is_empty() {
            s.push(' ');
        }
        blank = false;
        if c.is_ascii_digit() {
            s.push('#');
        } else {
            s.extend(c.to_lowercase());
        }
    }
    s
}

/// The indices of a page's first and last `EDGE_LINES` non-blank lines.
fn edge_lines(page: &[String]) -> Vec<usize> {
    let non_blank: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].trim().is_empty())
        .collect();
    let mut edge: Vec<usize> = non_blank.iter().take(EDGE_LINES).copied().collect();
    edge.extend(non_blank.iter().rev().take(EDGE_LINES).copied());
    edge.sort_unstable();
    edge.dedup();
    edge
}

/// Whether an edge line is a page number.
fn is_page_number(line: &str) -> bool {
    let s = shape(line);
    let s = s.trim_matches(|c: char| c == '-' || c == '–' || c == ' ');
    let s = s
        .strip_prefix("pagina ")
        .or_else(|| s.strip_prefix("page "))
        .or_else(|| s.strip_prefix("blz. "))
        .unwrap_or(s);
    let number = |t: &str| !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c == '#');
    if number(s) {
        return true;
    }
    for sep in ["/", " van ", " of "] {
        if let Some((a, b)) = s.split_once(sep) {
            return number(a.trim()) && number(b.trim());
        }
    }
    false
}

/// Blanks out running headers, footers and page numbers (an emptied line is a paragraph break,
/// like a blank one).
fn remove_running_lines(pages: &mut [Vec<String>]) {
    let edges: Vec<Vec<usize>> = pages.iter().map(|p| edge_lines(p)).collect();
    let running = running_shapes(pages, &edges);
    for (page, edge) in pages.iter_mut().zip(&edges) {
        for &i in edge {
            let s = shape(&page[i]);
            if is_page_number(&page[i]) || running.iter().any(|r| s.contains(r.as_str())) {
                page[i].clear();
            }
        }
    }
}

/// The shapes of the running lines: edge-line shapes of at least 16 characters (shorter ones, `antwoord #`, are headings as often) found (held in an
/// edge line) on at least half the pages, and at least two.
fn running_shapes(pages: &[Vec<String>], edges: &[Vec<usize>]) -> Vec<String> {
    if pages.len() < 2 {
        return Vec::new();
    }
    let shapes: Vec<Vec<String>> = pages
        .iter()
        .zip(edges)
        .map(|(p, e)| e.iter().map(|&i| shape(&p[i])).collect())
        .collect();
    let need = pages.len().div_ceil(2).max(2);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for page in &shapes {
        let mut on_page: Vec<&str> = page
            .iter()
            .map(String::as_str)
            .filter(|s| s.chars().count() >= 16)
            .collect();
        on_page.sort_unstable();
        on_page.dedup();
        for s in on_page {
            seen.entry(s).or_default();
        }
    }
    let mut running: Vec<String> = seen
        .into_keys()
        .filter(|cand| {
            shapes
                .iter()
                .filter(|page| page.iter().any(|s| s.contains(cand)))
                .count()
                >= need
        })
        .map(str::to_string)
        .collect();
    running.sort_unstable();
    running
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known(&'static [&'static str]);
    impl Words for Known {
        fn knows(&self, lower: &str) -> bool {
            self.0.contains(&lower)
        }
    }

    fn page(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn removes_running_footers_and_page_numbers_and_joins_lines() {
        let pages = [
            page(&[
                "Tweede Kamer der Staten-Generaal",
                "",
                "Vraag 1",
                "Heeft u kennisgenomen van het bericht van het Ministe-",
                "rie van Onderwijs over de provincie Noord-",
                "Holland en de EU-",
                "landen en de lhbti-gemeenschap?",
                "",
                "’s-Gravenhage 2024 Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1",
            ]),
            page(&[
                "Antwoord 1",
                "Ja, de minister van Binnenlandse Zaken heeft het bericht gelezen en",
                "het ook besproken met de staatssecretaris. Zij komt er in een brief op",
                "",
                "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 2",
            ]),
            page(&[
                "  3  ",
                "terug. Meer is er niet.",
                "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 3",
            ]),
        ];
        let words = Known(&["lhbti-gemeenschap", "ministerie"]);
        let (text, parts) = self::pages(&pages, &words);
        assert_eq!(
            text,
            "Tweede Kamer der Staten-Generaal\n\nVraag 1\n\nHeeft u kennisgenomen van het \
             bericht van het Ministerie van Onderwijs over de provincie Noord-Holland en de \
             EU-landen en de lhbti-gemeenschap?\n\nAntwoord 1\n\nJa, de minister van \
             Binnenlandse Zaken heeft het bericht gelezen en het ook besproken met de \
             staatssecretaris. Zij komt er in een brief op terug. Meer is er niet."
        );
        let chars: Vec<char> = text.chars().collect();
        let slice = |p: &Part| chars[p.start..p.end].iter().collect::<String>();
        assert!(slice(&parts[0]).starts_with("Tweede Kamer der"));
        assert!(slice(&parts[0]).ends_with("gemeenschap?"));
        assert!(slice(&parts[1]).starts_with("Antwoord 1"));
        assert!(slice(&parts[1]).ends_with("brief op"));
        assert_eq!(slice(&parts[2]), "terug. Meer is er niet.");
        assert_eq!(parts[2].at, PartKey::Page(3));
    }

    #[test]
    fn hyphenation_rule() {
        let none = NoWords;
        let known = Known(&["lhbti-gemeenschap"]);
        for (before, line, words, want) in [
            ("het Ministe-", "rie", &none as &dyn Words, Some(false)),
            ("Noord-", "Holland", &none, Some(true)),
            ("de EU-", "landen", &none, Some(true)),
            ("COVID-19-", "maatregelen", &none, Some(true)),
            ("de lhbti-", "gemeenschap", &known, Some(true)),
            ("regen-", "boogprovincie", &known, Some(false)),
            ("zo -", "niet", &none, None),
            ("Ministe\u{ad}", "rie", &none, Some(false)),
            ("tot en met 12-", "15", &none, None),
        ] {
            assert_eq!(hyphenation(before, line, words), want, "{before}|{line}");
        }
    }

    #[test]
    fn accents_and_ligatures() {
        assert_eq!(normalize_line("Kostic\u{b4} (PvdD)  "), "Kostić (PvdD)");
        assert_eq!(normalize_line("de \u{fb01}nanciën"), "de financiën");
        assert_eq!(normalize_line("x \u{b4} y"), "x \u{b4} y");
    }

    #[test]
    fn page_numbers() {
        for (line, want) in [
            ("3", true),
            ("- 12 -", true),
            ("Pagina 2 van 5", true),
            ("2/5", true),
            ("2024", true),
            ("Vraag 3", false),
            ("1314 Tweede Kamer", false),
        ] {
            assert_eq!(is_page_number(line), want, "{line}");
        }
    }
}
