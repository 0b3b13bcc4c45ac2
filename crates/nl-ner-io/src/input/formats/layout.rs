//! A PDF page's glyphs, with their positions and type sizes, to lines, and the lines to body
//! text and text set apart by its type size.
//!
//! A document's **body size** is the type size that covers most of its characters. Body text
//! is set in it; what a publisher sets in another size is something else (docs/input.md):
//!
//! - a line in a *smaller* size is a footnote, a table, a caption or a colophon;
//! - a line in a *larger* size is a *heading* when body text follows it closely on its page
//!   (within [`HEADING_GAP`] body sizes), and is kept; otherwise it is a title block, a
//!   masthead or a running footer (`Tweede Kamer der Staten-Generaal`, `Vergaderjaar
//!   2023–2024` above the first body line of an Aanhangsel);
//! - a glyph in a smaller size raised above its line (a superscript: a note marker such as the
//!   `1` of `regenboogbeleid»?1`) is dropped from the line.
//!
//! Set-apart lines become a blank line in the page text (a paragraph break) and their text goes
//! to the [`Note`]s, page by page, so it is not lost but is not annotated either. Nothing here
//! knows any publisher's wording: only sizes and positions decide.
//!
//! Lines are found as `pdf-extract`'s own plain-text output finds them, so that documents in one
//! type size read exactly as before: a string drawn lower by more than half its size and to the
//! left of where the last one ended starts a line, one drawn more than one and a half sizes lower
//! or higher starts one too (both: after a blank line), and a gap of more than a tenth of the
//! size between strings is a space. One change: the distance is measured from the line's
//! baseline, not from a raised note marker's.

use std::collections::HashMap;

use super::Note;

/// A line in a size within this share of the body size (above or below) is body text.
pub const BODY_TOLERANCE: f64 = 0.05;

/// How far (in body sizes, baseline to baseline) body text may follow a larger line for that
/// line to be a heading. A heading's space below is at most about a line (word processors' heading
/// styles: 0–6 pt), so its baseline is within two body sizes of the first body line's; a title
/// block stands apart from the text.
pub const HEADING_GAP: f64 = 3.0;

/// One glyph a page draws: where, how large, and the text it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// Left edge, in points from the page's left.
    pub x: f64,
    /// Baseline, in points from the page's top.
    pub y: f64,
    /// Where the glyph ends on the right (`x` plus its advance).
    pub end: f64,
    /// Its type size in points, as drawn (text matrix and scaling applied).
    pub size: f64,
    /// The text it stands for (usually one character; a ligature may be more).
    pub text: String,
    /// It is the first glyph of a string the content stream shows (`Tj`, `TJ`): only there can
    /// a line or a space start.
    pub starts_string: bool,
}

/// A line of a page, with its size and position.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its text (superscript note markers dropped, blanks collapsed).
    pub text: String,
    /// Its text with the note markers, where it had any.
    pub with_markers: Option<String>,
    /// The size most of its characters are set in, in tenths of a point.
    pub size: u32,
    /// Its baseline, in points from the page's top.
    pub y: f64,
    /// A blank line comes before it (a paragraph's vertical gap).
    pub blank_before: bool,
}

/// Collects a page's glyphs into lines; [`Layout`] collects the pages.
#[derive(Default)]
pub struct PageLines {
    glyphs: Vec<Glyph>,
}

impl PageLines {
    /// Adds the page's next glyph, in content-stream order.
    pub fn push(&mut self, glyph: Glyph) {
        self.glyphs.push(glyph);
    }

    /// The page's lines, in content-stream order.
    pub fn finish(&mut self) -> Vec<Line> {
        let glyphs = std::mem::take(&mut self.glyphs);
        let mut lines = Vec::new();
        let mut current: Vec<(Glyph, bool)> = Vec::new();
        let mut blank_before = false;
        // The baseline to measure from: the last glyph's, unless it was smaller than the line's
        // largest (a raised note marker must not make the next line look far away).
        let (mut last_y, mut last_end, mut largest) = (0.0_f64, f64::INFINITY, 0.0_f64);
        for g in glyphs {
            let mut space = false;
            if g.starts_string && !current.is_empty() {
                let dy = (g.y - last_y).abs();
                let far = dy > g.size * 1.5;
                let back = g.x < last_end && dy > g.size * 0.5;
                if far || back {
                    lines.extend(line(&current, blank_before));
                    current.clear();
                    blank_before = far && back;
                    largest = 0.0;
                } else {
                    space = g.x > last_end + g.size * 0.1;
                }
            }
            if g.size >= largest * (1.0 - BODY_TOLERANCE) {
                last_y = g.y;
            }
            largest = largest.max(g.size);
            last_end = g.end;
            current.push((g, space));
        }
        lines.extend(line(&current, blank_before));
        lines
    }
}

/// A size in tenths of a point, the unit sizes are compared in.
fn tenths(size: f64) -> u32 {
    if size.is_finite() && size > 0.0 {
        (size * 10.0).round().min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// The glyphs of a line (each with whether a space goes before it) as a [`Line`]; `None` for a
/// line with no text.
fn line(glyphs: &[(Glyph, bool)], blank_before: bool) -> Option<Line> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (g, _) in glyphs {
        if !g.text.trim().is_empty() {
            *counts.entry(tenths(g.size)).or_default() += g.text.chars().count();
        }
    }
    let size = most_common(&counts)?;
    let line_size = f64::from(size) / 10.0;
    let baseline = glyphs
        .iter()
        .find(|(g, _)| tenths(g.size) == size)
        .map_or(0.0, |(g, _)| g.y);
    // The line as set, and as read: without superscripts in a smaller size, which are note
    // markers, not part of the sentence (a note itself keeps its marker).
    let mut all = String::new();
    let mut text = String::new();
    for (g, space) in glyphs {
        let marker = g.size < line_size * (1.0 - BODY_TOLERANCE)
            && g.y < baseline - line_size * 0.15
            && !g.text.trim().is_empty();
        push_glyph(&mut all, &g.text, *space);
        if !marker {
            push_glyph(&mut text, &g.text, *space);
        }
    }
    let text = text.trim_end().to_string();
    let all = all.trim_end();
    let with_markers = (all != text).then(|| all.to_string());
    Some(Line {
        text,
        with_markers,
        size,
        y: baseline,
        blank_before,
    })
}

/// Appends a glyph's text to a line, after a space if one goes before it; blanks collapse and
/// a line never starts with one.
fn push_glyph(line: &mut String, glyph: &str, space: bool) {
    if space && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    for c in glyph.chars() {
        let blank = c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
        if blank && (line.is_empty() || line.ends_with(' ')) {
            continue;
        }
        line.push(if blank { ' ' } else { c });
    }
}

/// The key with the largest count; a tie goes to the smaller key, so the choice never depends
/// on the map's order.
fn most_common(counts: &HashMap<u32, usize>) -> Option<u32> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| *k)
}

/// What a line is, by its size against the body size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Body,
    Smaller,
    Larger,
}

/// A document's pages as lines, and how many characters each type size covers.
#[derive(Default)]
pub struct Layout {
    pages: Vec<Vec<Line>>,
    sizes: HashMap<u32, usize>,
}

impl Layout {
    /// Adds the document's next page.
    pub fn push_page(&mut self, lines: Vec<Line>) {
        for l in &lines {
            *self.sizes.entry(l.size).or_default() += l.text.chars().filter(|c| *c != ' ').count();
        }
        self.pages.push(lines);
    }

    /// The body size, in tenths of a point: the size of most characters (`None` without text).
    pub fn body_size(&self) -> Option<u32> {
        most_common(&self.sizes)
    }

    /// Each page's body text (lines separated by `\n`, a blank line where a paragraph's gap or
    /// a set-apart line was), and the text set apart, page by page.
    pub fn body_text(&self) -> (Vec<String>, Vec<Note>) {
        let Some(body) = self.body_size() else {
            return (vec![String::new(); self.pages.len()], Vec::new());
        };
        let body_pt = f64::from(body) / 10.0;
        let kind = |size: u32| {
            let s = f64::from(size) / 10.0;
            if s < body_pt * (1.0 - BODY_TOLERANCE) {
                Kind::Smaller
            } else if s > body_pt * (1.0 + BODY_TOLERANCE) {
                Kind::Larger
            } else {
                Kind::Body
            }
        };
        let mut texts = Vec::with_capacity(self.pages.len());
        let mut notes: Vec<Note> = Vec::new();
        for (i, lines) in self.pages.iter().enumerate() {
            let page = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let kept = kept_lines(lines, &kind, body_pt);
            let mut text = String::new();
            let mut open_note = false;
            for (line, keep) in lines.iter().zip(kept) {
                if keep {
                    if !text.is_empty() {
                        text.push('\n');
                        if line.blank_before {
                            text.push('\n');
                        }
                    }
                    text.push_str(&line.text);
                    open_note = false;
                    continue;
                }
                // A set-apart line ends the paragraph it interrupts.
                if !text.is_empty() && !text.ends_with("\n\n") {
                    text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
                }
                let set = line.with_markers.as_deref().unwrap_or(&line.text);
                match notes.last_mut() {
                    Some(n) if open_note && n.size == line.size && !line.blank_before => {
                        n.text.push('\n');
                        n.text.push_str(set);
                    }
                    _ => notes.push(Note {
                        page,
                        size: line.size,
                        text: set.to_string(),
                    }),
                }
                open_note = true;
            }
            text.truncate(text.trim_end_matches('\n').len());
            texts.push(text);
        }
        (texts, notes)
    }
}

/// Which lines of a page are kept: body lines, and larger lines that head body text (a
/// heading of several lines counts as one, line by line from its last).
fn kept_lines(lines: &[Line], kind: &dyn Fn(u32) -> Kind, body_pt: f64) -> Vec<bool> {
    let mut kept = vec![false; lines.len()];
    for i in (0..lines.len()).rev() {
        kept[i] = match kind(lines[i].size) {
            Kind::Body => true,
            Kind::Smaller => false,
            Kind::Larger => lines.get(i + 1).is_some_and(|next| {
                let dy = next.y - lines[i].y;
                let size = f64::from(lines[i].size) / 10.0;
                match kind(next.size) {
                    Kind::Body => dy > 0.0 && dy <= HEADING_GAP * body_pt,
                    Kind::Larger => {
                        kept[i + 1] && next.size == lines[i].size && dy > 0.0 && dy <= 2.0 * size
                    }
                    Kind::Smaller => false,
                }
            }),
        };
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The glyphs of `text` drawn as one string from `x` on baseline `y` at `size`, each
    /// character half the size wide.
    fn string(x: f64, y: f64, size: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let at = x + i as f64 * size * 0.5;
                Glyph {
                    x: at,
                    y,
                    end: at + size * 0.5,
                    size,
                    text: c.to_string(),
                    starts_string: i == 0,
                }
            })
            .collect()
    }

    fn page(strings: &[(f64, f64, f64, &str)]) -> Vec<Line> {
        let mut p = PageLines::default();
        for &(x, y, size, text) in strings {
            for g in string(x, y, size, text) {
                p.push(g);
            }
        }
        p.finish()
    }

    #[test]
    fn lines_spaces_and_paragraph_gaps_from_positions() {
        let lines = page(&[
            (72.0, 100.0, 10.0, "Hierbij ontvangt"),
            // After a gap on the same baseline: a space.
            (155.0, 100.0, 10.0, "u"),
            (72.0, 112.0, 10.0, "het verslag."),
            // Two lines lower: a paragraph.
            (72.0, 136.0, 10.0, "Nieuwe alinea."),
        ]);
        let got: Vec<(&str, bool)> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.blank_before))
            .collect();
        assert_eq!(
            got,
            [
                ("Hierbij ontvangt u", false),
                ("het verslag.", false),
                ("Nieuwe alinea.", true)
            ]
        );
        assert!(lines.iter().all(|l| l.size == 100));
    }

    #[test]
    fn the_body_size_covers_most_characters() {
        let mut doc = Layout::default();
        doc.push_page(page(&[
            (50.0, 50.0, 18.0, "Tweede Kamer der Staten-Generaal"),
            (
                200.0,
                200.0,
                8.5,
                "Vragen van de leden Mutluer en Kostić aan de Minister.",
            ),
            (200.0, 210.0, 8.5, "Antwoord van Minister Dijkgraaf."),
            (
                200.0,
                700.0,
                6.9,
                "1 NOS, d.d. 1 maart 2024, https://nos.nl/artikel/2510977",
            ),
        ]));
        assert_eq!(doc.body_size(), Some(85));
        assert_eq!(Layout::default().body_size(), None);
    }

    #[test]
    fn footnotes_and_the_title_block_are_set_apart_headings_kept() {
        let mut doc = Layout::default();
        doc.push_page(page(&[
            // A title block: larger, far above the body.
            (50.0, 50.0, 18.0, "Tweede Kamer der Staten-Generaal"),
            (50.0, 80.0, 9.6, "Vergaderjaar 2023–2024"),
            // A heading just above its body text.
            (200.0, 180.0, 12.0, "Kritiek op besluit"),
            (
                200.0,
                200.0,
                8.5,
                "Heeft u kennisgenomen van het artikel over",
            ),
            (200.0, 210.0, 8.5, "de provincie Friesland?"),
            // A superscript note marker, smaller and raised.
            (298.0, 207.0, 5.5, "1"),
            (
                200.0,
                220.0,
                8.5,
                "Ja, de Minister van OCW heeft het gelezen.",
            ),
            // A two-line footnote at the page's foot.
            // (its marker raised and smaller, and kept in the note).
            (200.0, 698.0, 4.5, "1"),
            (
                204.0,
                700.0,
                6.9,
                "NOS, d.d. 1 maart 2024, «Kritiek op besluit",
            ),
            (206.0, 708.0, 6.9, "Friesland», https://nos.nl/2510977"),
        ]));
        doc.push_page(page(&[(200.0, 60.0, 8.5, "Kent u de Inventarisatie?")]));
        let (texts, notes) = doc.body_text();
        assert_eq!(
            texts,
            [
                "Kritiek op besluit\n\nHeeft u kennisgenomen van het artikel over\n\
                 de provincie Friesland?\nJa, de Minister van OCW heeft het gelezen.",
                "Kent u de Inventarisatie?"
            ]
        );
        let notes: Vec<(u32, u32, &str)> = notes
            .iter()
            .map(|n| (n.page, n.size, n.text.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (1, 180, "Tweede Kamer der Staten-Generaal"),
                (1, 96, "Vergaderjaar 2023–2024"),
                (
                    1,
                    69,
                    "1 NOS, d.d. 1 maart 2024, «Kritiek op besluit\n\
                     Friesland», https://nos.nl/2510977"
                ),
            ]
        );
    }

    #[test]
    fn a_document_in_one_size_keeps_every_line() {
        let mut doc = Layout::default();
        doc.push_page(page(&[
            (72.0, 42.0, 10.0, "Tweede Kamer, vergaderjaar 2025–2026"),
            (72.0, 82.0, 10.0, "Hierbij ontvangt u het verslag."),
            (290.0, 802.0, 10.0, "1"),
        ]));
        let (texts, notes) = doc.body_text();
        assert_eq!(
            texts,
            ["Tweede Kamer, vergaderjaar 2025–2026\n\nHierbij ontvangt u het verslag.\n1"]
        );
        assert!(notes.is_empty());
    }
}
