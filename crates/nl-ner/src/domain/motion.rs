//! Persons named by the structure of a Tweede Kamer motion, whatever their spelling.
//!
//! Every motion names its submitters twice in fixed places: in the heading
//! (`MOTIE VAN HET LID OMTZIGT C.S.`, `GEWIJZIGDE MOTIE VAN DE LEDEN MINHAS EN VAN DER GRAAF`), in
//! capitals, and in the signature block after the closing formula `en gaat over tot de orde van de
//! dag.`, one name per line (`Van der Lee`). A model trained on news sees neither form: a name in
//! capitals or alone on a line looks like a place or a heading. These positions are certain, so
//! the names found here are PER with source `Pattern`, and the merge policy lets them win.

use super::tokens::Ctx;
use super::vocab;
use crate::doc::{Entity, Label, Source};

/// Confidence of a name found by document structure.
const SCORE: f32 = 0.97;

fn is_name_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '.' | '\u{0300}'..='\u{036f}'))
}

/// The persons in motion headings and signature blocks of the document.
pub(crate) fn find(ctx: &Ctx) -> Vec<Entity> {
    let lines = lines(ctx);
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.clone().map(|i| ctx.t(i)).collect();
        if let Some(names_at) = heading_names_start(&words) {
            heading_names(ctx, line.start + names_at, line.end, &mut out);
        }
        if ends_with_closing_formula(&words) {
            signatures(ctx, &lines[li + 1..], &mut out);
        }
    }
    out
}

/// Token ranges of the document's lines.
fn lines(ctx: &Ctx) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..ctx.len() {
        if ctx.line_break_after(i) || i + 1 == ctx.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

/// Where the names start in a heading line (`[GEWIJZIGDE] MOTIE VAN HET LID` / `VAN DE LEDEN`).
fn heading_names_start(words: &[&str]) -> Option<usize> {
    let mut i = 0;
    while i < words.len() && vocab::is_motion_heading_word(words[i]) {
        i += 1;
    }
    if words.get(i) != Some(&"MOTIE") || words.get(i + 1) != Some(&"VAN") {
        return None;
    }
    match (words.get(i + 2), words.get(i + 3)) {
        (Some(&"HET"), Some(&"LID")) | (Some(&"DE"), Some(&"LEDEN")) => Some(i + 4),
        _ => None,
    }
}

/// The names of `[from, to)`: separated by `,` and `EN`, without a closing `C.S.`.
fn heading_names(ctx: &Ctx, from: usize, to: usize, out: &mut Vec<Entity>) {
    let mut start = from;
    for i in from..=to {
        let w = if i < to { ctx.t(i) } else { "" };
        let boundary = i == to || w == "," || w == "EN" || w.eq_ignore_ascii_case("c.s.");
        if boundary {
            push_name(ctx, start, i, "motion-heading", out);
            start = i + 1;
        }
        if w.eq_ignore_ascii_case("c.s.") {
            break;
        }
    }
}

/// The one-name lines after the closing formula, up to the first line that is not a name.
fn signatures(ctx: &Ctx, lines: &[std::ops::Range<usize>], out: &mut Vec<Entity>) {
    for line in lines {
        let words: Vec<&str> = line.clone().map(|i| ctx.t(i)).collect();
        let looks_like_name = words.len() <= 6
            && words.first().is_some_and(|w| is_name_word(w))
            && words
                .iter()
                .all(|w| is_name_word(w) || vocab::is_signature_particle(w) || *w == "-");
        if !looks_like_name {
            break;
        }
        push_name(ctx, line.start, line.end, "motion-signature", out);
        if ctx.blank_line_after(line.end - 1) {
            break;
        }
    }
}

/// A PER over tokens `[a, b)` if they hold a name (a capitalised word that is not a particle).
fn push_name(ctx: &Ctx, a: usize, b: usize, rule: &'static str, out: &mut Vec<Entity>) {
    if a >= b || !(a..b).any(|i| is_name_word(ctx.t(i)) && !vocab::is_signature_particle(ctx.t(i)))
    {
        return;
    }
    out.push(Entity {
        span: ctx.span(a, b - 1),
        label: Label::Per,
        score: SCORE,
        source: Source::Pattern,
        entity_id: None,
        rule: Some(rule),
    });
}

fn ends_with_closing_formula(words: &[&str]) -> bool {
    const FORMULA: [&str; 9] = [
        "en", "gaat", "over", "tot", "de", "orde", "van", "de", "dag",
    ];
    let words: Vec<&str> = words.iter().copied().filter(|w| *w != ".").collect();
    words.len() >= FORMULA.len() && words[words.len() - FORMULA.len()..] == FORMULA
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    fn persons(text: &str) -> Vec<String> {
        let seg = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &seg.tokens, &seg.sentences);
        find(&ctx)
            .iter()
            .map(|e| e.span.text(text).to_string())
            .collect()
    }

    #[test]
    fn names_in_headings() {
        assert_eq!(
            persons("Nr. 309\n\nMOTIE VAN HET LID OMTZIGT C.S.\nVoorgesteld 23 februari 2023\n"),
            ["OMTZIGT"]
        );
        assert_eq!(
            persons(
                "GEWIJZIGDE MOTIE VAN DE LEDEN MINHAS EN VAN DER GRAAF\nTer vervanging van die gedrukt onder nr. 12\n"
            ),
            ["MINHAS", "VAN DER GRAAF"]
        );
        assert_eq!(
            persons("MOTIE VAN DE LEDEN KRÖGER, BOSWIJK EN GRINWIS-ZWAAN\n"),
            ["KRÖGER", "BOSWIJK", "GRINWIS-ZWAAN"]
        );
        assert!(persons("De motie van het lid Omtzigt is aangenomen.").is_empty());
    }

    #[test]
    fn signature_block_after_the_closing_formula() {
        // From motion 00c5c4d7 (kst-25087-309).
        let text = "verzoekt de regering alsnog de aanbeveling van de commissie-Ter Haar\nuit te voeren conform de afspraak in het regeerakkoord,\nen gaat over tot de orde van de dag.\nOmtzigt\nDassen\nVan der Lee\nGündoğan\nDen Haan\n\nkst-25087-309\nISSN 0921 - 7371\n’s-Gravenhage 2023\n";
        assert_eq!(
            persons(text),
            ["Omtzigt", "Dassen", "Van der Lee", "Gündoğan", "Den Haan"]
        );
    }

    #[test]
    fn the_block_stops_at_the_first_line_that_is_no_name() {
        let text = "en gaat over tot de orde van de dag.\nVan Baarle\nTweede Kamer, vergaderjaar 2022–2023, 32 637, nr. 548\nKathmann\n";
        assert_eq!(persons(text), ["Van Baarle"]);
        assert!(persons("en gaat over tot de orde van de dag.\n\nkst-32637-548\n").is_empty());
    }
}
