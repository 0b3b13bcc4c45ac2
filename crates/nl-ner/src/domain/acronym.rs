//! Acronym definitions (`Raad van Buitenlandse Zaken (RBZ)`) and their propagation.
//!
//! # Finding definitions
//!
//! A variant of Schwartz and Hearst (2003), "A simple algorithm for identifying abbreviation
//! definitions in biomedical text", over the segmenter's tokens, within one sentence:
//!
//! - `Long Form (ACR)`: a short form in brackets (optionally `ACR’s`, or a compound
//!   `ACR-Word` whose word also ends the long form: `Raad van Buitenlandse Zaken Defensie
//!   (RBZ-Defensie)`) after words without punctuation between them.
//! - `ACR (Long Form)`: a short form with at least two capitals before brackets that hold only
//!   the long form (an article first is dropped).
//!
//! A short form has 2–10 letters or digits, starts with a letter, has a capital, and is no
//! Roman numeral (`(IXB)`, `(VI)`: budget chapters). The letters of the short form are aligned
//! with the words of the long form: the first word gives the first letter; every word gives
//! its initial and, in order, possibly more letters from inside it (`Airforce` → `AF`,
//! `Investeringsbank` → `IB`); articles, prepositions and conjunctions (`van`, `de`, `voor`,
//! `en`, `the`, `of`) may give no letter (`Europees Hof voor de Rechten van de Mens (EHRM)`),
//! and one lower-case content word may give no letter (`Wet ter voorkoming van witwassen en
//! financieren van terrorisme (Wwft)`) or, instead, letters from inside it only (`Defensie
//! Ministeriele bijeenkomst (DMM)`); the last word must give a letter. Dutch and English long forms, any
//! capitalisation (`NAVO enhanced Vigilance Activities (eVA)`) and hyphenated words (each part
//! is a word: `Noord-Atlantische Raad (NAR)`) work alike. A short form with a single capital
//! (`Lbv`, `Wwft`) must be spelled by word initials only. Of the candidates, the shortest long
//! form wins, as in Schwartz–Hearst; a one-word long form must be at least ten characters and
//! three times the short form (`loonkostensubsidie (LKS)`, not `Jansen (JA)`). A long form the
//! model tagged as a person is no definition (`Jansen (VVD)`: a party).
//!
//! # Labels
//!
//! A pair gets one label for both mentions, taken from the first that knows it:
//! 1. the gazetteer, for the short or the long form (`EIB`, `Europese Investeringsbank`);
//! 2. the head words of the long form: the last word, then the first, then the others from
//!    the end: `Raad`, `Commissie`, `Bank`, `Group`, `Team` → ORG; `List`, `programma`,
//!    `Plan`, `Fund`, `Loan`, `Coalition`, `Activities`, `regeling`, `wet` → INITIATIVE;
//!    `Meeting`, `bijeenkomst`, `top`, `conferentie` → MISC; `Zee`, `gebied` → LOC. Dutch
//!    compounds count by their last part (`Investeringsbank`, `Subsidieregeling`). The
//!    expansion's head says what the thing is, so it beats the model, which often tags an
//!    unknown programme ORG (`Programma Aanpak Middengebied (PAM)`);
//! 3. the model's entity over most of the long form, else over the short form.
//!
//! A long form without any capitalised word (`aanvullende inkomensondersteuning ouderen (AIO)`)
//! is a generic description: only an INITIATIVE head counts for it (a benefit scheme with an
//! acronym, per the guideline), and only the short form is emitted. A pair without a label
//! (`Hoge Vertegenwoordiger (HV)`: a role) is still returned by [`find_pairs`] for linking.
//!
//! # Propagation
//!
//! Every mention of a labelled short form in the document, before or after the definition,
//! gets the pair's label with [`Source::Acronym`], including inside hyphen compounds
//! (`PURL-initiatief` → `PURL`, `RBZ-Defensie` → `RBZ`), since the segmenter splits those. So
//! does every repetition of a capitalised long form. When one short form is defined twice, the
//! first labelled definition wins.

use std::collections::HashMap;
use std::ops::Range;

use super::gazetteer::Gazetteer;
use super::tokens::{Ctx, is_cap, is_function_word, is_lower_word, is_word, with_lower};
use super::vocab;
use crate::doc::{Document, Entity, Label, Source, Span};

/// The score of an acronym entity.
pub const ACRONYM_SCORE: f32 = 0.9;

/// An acronym definition found in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct AcronymPair {
    /// The short form (`RBZ`).
    pub short: Span,
    /// The long form (`Raad van Buitenlandse Zaken`).
    pub long: Span,
    /// The label both get, if one is known.
    pub label: Option<Label>,
}

/// A pair in token coordinates.
#[derive(Clone, Debug)]
pub(crate) struct Pair {
    /// The short form's first token.
    pub short: usize,
    /// The short form's last token: past `short` for a hyphenated short form (`K-EET`).
    pub short_last: usize,
    pub long: Range<usize>,
    pub label: Option<Label>,
}

impl Pair {
    /// Whether the long form is a name (has a capitalised word), so it may be emitted.
    fn long_is_name(&self, ctx: &Ctx) -> bool {
        self.long
            .clone()
            .any(|k| is_cap(ctx.t(k)) && !is_function_word(ctx.t(k)))
    }

    pub(crate) fn public(&self, ctx: &Ctx) -> AcronymPair {
        AcronymPair {
            short: ctx.span(self.short, self.short_last),
            long: ctx.span(self.long.start, self.long.end - 1),
            label: self.label,
        }
    }
}

/// Sentences (most from `corpus/`) and the `(short, long)` pairs expected in them.
pub const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    // The Dutch definition form `(hierna: ACR)`, with a hyphenated short form.
    (
        "Dit gebeurt met de ketenaanpak eetstoornissen (hierna: K-EET) voor jongeren.",
        &[("K-EET", "ketenaanpak eetstoornissen")],
    ),
    (
        "De Vereniging van Nederlandse Gemeenten (hierna VNG) stimuleert onderzoek.",
        &[("VNG", "Vereniging van Nederlandse Gemeenten")],
    ),
    (
        "de directeur van het Shared Service Center DJI (SSC-DJI);",
        &[("SSC-DJI", "Shared Service Center DJI")],
    ),
    (
        "Hierbij ontvangt u het gecombineerde verslag van de Raad van Buitenlandse Zaken (RBZ) Defensie die plaatsvond op 11 februari jl., en de NAVO-ministers van Defensie bijeenkomst (DMM) en de Ukraine Defence Contact Group (UDCG), die plaatsvonden op 12 februari jl.",
        &[
            ("RBZ", "Raad van Buitenlandse Zaken"),
            ("UDCG", "Ukraine Defence Contact Group"),
        ],
    ),
    (
        "Defence Ministers Meeting (DMM)",
        &[("DMM", "Defence Ministers Meeting")],
    ),
    (
        "NAVO Defensie Ministeriele bijeenkomst (DMM)",
        &[("DMM", "Defensie Ministeriele bijeenkomst")],
    ),
    (
        "Nederland kondigde een financiële bijdrage aan van bijna USD 107 miljoen (€90 miljoen) aan het Amerikaanse Prioritised Ukraine Requirement List (PURL)-initiatief.",
        &[("PURL", "Prioritised Ukraine Requirement List")],
    ),
    (
        "De Hoge Vertegenwoordiger (HV) en meerdere lidstaten benadrukten",
        &[("HV", "Hoge Vertegenwoordiger")],
    ),
    (
        "voorstellen doet om de rol van de Europese Investeringsbank (EIB) te versterken",
        &[("EIB", "Europese Investeringsbank")],
    ),
    (
        "Raad van Buitenlandse Zaken Defensie (RBZ-Defensie)",
        &[("RBZ", "Raad van Buitenlandse Zaken")],
    ),
    (
        "De DMM begon met een Noord-Atlantische Raad (NAR) over lastenverdeling",
        &[("NAR", "Noord-Atlantische Raad")],
    ),
    (
        "een informele bijeenkomst in NATO Ukraine Council (NUC)-format met aanwezigheid van de Oekraïense Minister",
        &[("NUC", "NATO Ukraine Council")],
    ),
    (
        "ten behoeve van NAVO enhanced Vigilance Activities (eVA) met zes maanden wordt verlengd",
        &[("eVA", "enhanced Vigilance Activities")],
    ),
    (
        "de Airforce Capability Coalition (AFCC).",
        &[("AFCC", "Airforce Capability Coalition")],
    ),
    (
        "constaterende dat de Wet ter voorkoming van witwassen en financieren\nvan terrorisme (Wwft) leidt tot onvoorziene problemen",
        &[(
            "Wwft",
            "Wet ter voorkoming van witwassen en financieren\nvan terrorisme",
        )],
    ),
    (
        "overwegende dat het Europees Hof voor de Rechten van de Mens (EHRM) al eerder besluiten heeft",
        &[("EHRM", "Europees Hof voor de Rechten van de Mens")],
    ),
    (
        "voor de Landelijke beëindigingsregeling\nveehouderij (Lbv);",
        &[("Lbv", "Landelijke beëindigingsregeling\nveehouderij")],
    ),
    (
        "constaterende dat de aanvullende inkomensondersteuning ouderen (AIO)",
        &[("AIO", "aanvullende inkomensondersteuning ouderen")],
    ),
    (
        "voor loonkostensubsidie (LKS) over gemeenten",
        &[("LKS", "loonkostensubsidie")],
    ),
    (
        "op basis van ervaringen met de regionale mobiliteitsteams (RMT’s), wordt verkend",
        &[("RMT", "regionale mobiliteitsteams")],
    ),
    (
        "De EDEO (Europese Dienst voor Extern Optreden) meldt",
        &[("EDEO", "Europese Dienst voor Extern Optreden")],
    ),
    // Negatives: no definitions.
    (
        "zoals beschreven (zie bijlage) en in het jaarverslag (2026)",
        &[],
    ),
    ("Een motie van het lid Jansen (VVD) over de woningbouw", &[]),
    (
        "Vaststelling van de begrotingsstaat van het Ministerie van Buitenlandse Zaken (V) voor het jaar 2024",
        &[],
    ),
    (
        "Ministerie van Financiën (IXB) en de Nationale Schuld (IXA)",
        &[],
    ),
    ("Koninkrijksrelaties (IV) en het BES-fonds (H)", &[]),
    (
        "de brief van het Oekraïense parlement (Verkhovna Rada) met betrekking tot",
        &[],
    ),
    ("Informatie- en communicatietechnologie (ICT)", &[]),
];

/// The acronym definitions of a segmented (and possibly model-tagged) document, labelled from
/// the model's entities and head words only (the [`super::DomainLayer`] also consults the
/// gazetteers). A document without tokens is segmented first.
pub fn find_pairs(doc: &Document) -> Vec<AcronymPair> {
    super::tokens::with_ctx(doc, None, |ctx| {
        pairs(ctx, &doc.entities, None)
            .iter()
            .map(|p| p.public(ctx))
            .collect()
    })
}

/// The pairs of a document in token coordinates.
pub(crate) fn pairs(ctx: &Ctx, model: &[Entity], gazetteer: Option<&Gazetteer>) -> Vec<Pair> {
    let mut out = Vec::new();
    for i in 0..ctx.len() {
        if ctx.t(i) != "(" {
            continue;
        }
        let found = long_then_short(ctx, i, model).or_else(|| short_then_long(ctx, i));
        if let Some(mut pair) = found {
            pair.label = label_of(ctx, &pair, model, gazetteer);
            out.push(pair);
        }
    }
    out
}

/// `Long Form (ACR)` with `(` at token `open`.
fn long_then_short(ctx: &Ctx, open: usize, model: &[Entity]) -> Option<Pair> {
    let sentence = ctx.sentence(open);
    // The Dutch definition form `(hierna: ACR)`, `(hierna ACR)`.
    let mut short = open + 1;
    if with_lower(ctx.t(short), |l| l == "hierna") {
        short += if ctx.t(short + 1) == ":" { 2 } else { 1 };
    }
    // A hyphenated short form of capitals, `(hierna: K-EET)`, is one short form.
    let hyphenated = ctx.t(short + 1) == "-"
        && ctx.glued(short)
        && ctx.glued(short + 1)
        && ctx.t(short + 3) == ")"
        && [ctx.t(short), ctx.t(short + 2)]
            .iter()
            .all(|w| w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()));
    let short_last = if hyphenated { short + 2 } else { short };
    let joined;
    let sf = if hyphenated {
        joined = format!("{}{}", ctx.t(short), ctx.t(short + 2));
        joined.as_str()
    } else {
        ctx.t(short)
    };
    if !short_form_ok(sf) {
        return None;
    }
    // The closing bracket: `(ACR)`, `(ACR’s)`, `(ACR-Word)`.
    let mut compound_tail = None;
    let close = match ctx.t(short_last + 1) {
        _ if hyphenated => short_last + 1,
        ")" => short + 1,
        "’s" | "'s" if ctx.t(short + 2) == ")" => short + 2,
        "-" if ctx.glued(short) && is_word(ctx.t(short + 2)) && ctx.t(short + 3) == ")" => {
            compound_tail = Some(ctx.t(short + 2));
            short + 3
        }
        _ => return None,
    };
    if close >= sentence.end {
        return None;
    }
    // The words before the bracket, nearest first, with their token indices.
    let letters = letters_of(sf);
    let max_words = letters.len() + 8;
    let mut words: Vec<usize> = Vec::new();
    let mut k = open;
    while k > sentence.start && words.len() < max_words {
        let t = ctx.t(k - 1);
        if is_word(t) {
            words.push(k - 1);
        } else if !(t == "-" && ctx.glued(k - 1) && k >= 2 && ctx.glued(k - 2)) {
            break;
        }
        k -= 1;
    }
    words.reverse();
    if let Some(tail) = compound_tail
        && words.last().is_some_and(|&w| ctx.t(w) == tail)
    {
        words.pop();
    }
    let strict = sf.chars().filter(|c| c.is_uppercase()).count() == 1;
    for start in (0..words.len()).rev() {
        let cand = &words[start..];
        let first = ctx.t(cand[0]);
        if is_function_word(first)
            || first.chars().next().and_then(|c| c.to_lowercase().next()) != Some(letters[0])
        {
            continue;
        }
        let content = cand
            .iter()
            .filter(|&&w| !is_function_word(ctx.t(w)))
            .count();
        if content > letters.len() + 2 {
            break;
        }
        if cand.len() == 1 {
            let n = first.chars().count();
            if n < 10 || n < 3 * letters.len() {
                continue;
            }
        }
        let texts: Vec<&str> = cand.iter().map(|&w| ctx.t(w)).collect();
        if align(&texts, &letters, strict) {
            let long = cand[0]..cand[cand.len() - 1] + 1;
            if model_label_over(ctx, &long, model) == Some(Label::Per) {
                return None;
            }
            return Some(Pair {
                short,
                short_last,
                long,
                label: None,
            });
        }
    }
    None
}

/// `ACR (Long Form)` with `(` at token `open`.
fn short_then_long(ctx: &Ctx, open: usize) -> Option<Pair> {
    if open == 0 {
        return None;
    }
    let short = open - 1;
    let sf = ctx.t(short);
    if !short_form_ok(sf) || sf.chars().filter(|c| c.is_uppercase()).count() < 2 {
        return None;
    }
    let sentence = ctx.sentence(open);
    let mut words = Vec::new();
    let mut k = open + 1;
    loop {
        if k >= sentence.end || k > open + 14 {
            return None;
        }
        let t = ctx.t(k);
        if t == ")" {
            break;
        }
        if is_word(t) {
            words.push(k);
        } else if !(t == "-" && ctx.glued(k - 1) && ctx.glued(k)) {
            return None;
        }
        k += 1;
    }
    if words.first().is_some_and(|&w| vocab::is_article(ctx.t(w))) {
        words.remove(0);
    }
    if words.len() < 2 {
        return None;
    }
    let letters = letters_of(sf);
    let texts: Vec<&str> = words.iter().map(|&w| ctx.t(w)).collect();
    let first_ok = texts[0]
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next())
        == Some(letters[0]);
    (first_ok && align(&texts, &letters, false)).then(|| Pair {
        short,
        short_last: short,
        long: words[0]..words[words.len() - 1] + 1,
        label: None,
    })
}

/// Whether `s` can be a short form.
fn short_form_ok(s: &str) -> bool {
    let n = s.chars().count();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let alnum = s.chars().filter(|c| c.is_alphanumeric()).count();
    let caps = s.chars().filter(|c| c.is_uppercase()).count();
    (2..=10).contains(&n)
        && alnum >= 2
        && letters >= 1
        && caps >= 1
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().all(|c| c.is_alphanumeric() || c == '&')
        && !(caps == 1 && (n < 3 || !s.starts_with(char::is_uppercase)))
        && !is_roman(s)
}

/// Roman numerals, with an optional letter: budget chapters `V`, `VI`, `IXA`, `XVI`.
fn is_roman(s: &str) -> bool {
    let body = s
        .strip_suffix(['A', 'B'])
        .filter(|b| !b.is_empty())
        .unwrap_or(s);
    body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// The lower-cased letters and digits of a short form.
fn letters_of(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the short-form `letters` align with `words` (see the module docs). The first word
/// must give the first letter and the last word a letter.
fn align(words: &[&str], letters: &[char], strict: bool) -> bool {
    let lowered: Vec<Vec<char>> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    let mut memo = HashMap::new();
    rec(&lowered, words, letters, 0, 0, 1, strict, &mut memo)
}

#[allow(clippy::too_many_arguments)]
fn rec(
    lw: &[Vec<char>],
    words: &[&str],
    letters: &[char],
    i: usize,
    j: usize,
    skips: u8,
    strict: bool,
    memo: &mut HashMap<(usize, usize, u8), bool>,
) -> bool {
    if i == lw.len() {
        return j == letters.len();
    }
    if let Some(&r) = memo.get(&(i, j, skips)) {
        return r;
    }
    let n = lw.len();
    let w = &lw[i];
    let mut ok = false;
    // Give no letter: function words anywhere but first and last; one lower-case content word.
    if i != 0 && i != n - 1 {
        if is_function_word(words[i]) {
            ok = rec(lw, words, letters, i + 1, j, skips, strict, memo);
        } else if skips > 0 && is_lower_word(words[i]) {
            ok = rec(lw, words, letters, i + 1, j, skips - 1, strict, memo);
        }
    }
    // Give the initial, then possibly more letters from inside the word, in order.
    if !ok && j < letters.len() && w.first() == Some(&letters[j]) {
        let mut pos = 1;
        let mut next = j + 1;
        ok = rec(lw, words, letters, i + 1, next, skips, strict, memo);
        while !ok && !strict && next < letters.len() {
            match w[pos..].iter().position(|&c| c == letters[next]) {
                Some(p) => {
                    pos += p + 1;
                    next += 1;
                    ok = rec(lw, words, letters, i + 1, next, skips, strict, memo);
                }
                None => break,
            }
        }
    }
    // A lower-case content word may instead give letters from inside it only, once:
    // `Defensie Ministeriele bijeenkomst (DMM)`, where `bijeenkomst` gives its `m`.
    if !ok
        && !strict
        && skips > 0
        && i != 0
        && is_lower_word(words[i])
        && !is_function_word(words[i])
    {
        let mut pos = 1;
        let mut next = j;
        while !ok && next < letters.len() {
            match w
                .get(pos..)
                .and_then(|rest| rest.iter().position(|&c| c == letters[next]))
            {
                Some(p) => {
                    pos += p + 1;
                    next += 1;
                    ok = rec(lw, words, letters, i + 1, next, skips - 1, strict, memo);
                }
                None => break,
            }
        }
    }
    memo.insert((i, j, skips), ok);
    ok
}

/// The label of the model's entity covering most of the token range `long` (at least half).
fn model_label_over(ctx: &Ctx, long: &Range<usize>, model: &[Entity]) -> Option<Label> {
    let span = ctx.span(long.start, long.end - 1);
    let len = span.len_bytes();
    model
        .iter()
        .filter_map(|e| {
            let overlap = e
                .span
                .byte_end
                .min(span.byte_end)
                .saturating_sub(e.span.byte_start.max(span.byte_start));
            (overlap * 2 >= len && overlap > 0).then_some((overlap, e.label))
        })
        .max_by_key(|&(o, _)| o)
        .map(|(_, l)| l)
}

/// The label of a pair: gazetteer, then head words, then model.
fn label_of(
    ctx: &Ctx,
    pair: &Pair,
    model: &[Entity],
    gazetteer: Option<&Gazetteer>,
) -> Option<Label> {
    let long_span = ctx.span(pair.long.start, pair.long.end - 1);
    let long_text = &ctx.text[long_span.bytes()];
    let named = pair.long_is_name(ctx);
    let words: Vec<&str> = pair
        .long
        .clone()
        .map(|k| ctx.t(k))
        .filter(|w| is_word(w))
        .collect();
    let head = vocab::head_label(&words).filter(|&l| named || l == Label::Initiative);
    if let Some(g) = gazetteer {
        if let Some(e) = g.lookup(long_text) {
            return Some(e.label);
        }
        // A listed abbreviation names the listed body unless the document spells it out in
        // lower case as a scheme: `werkkostenregeling (WKR)` is the scheme, not the
        // Wetenschappelijke Klimaatraad a register abbreviates the same way. (A capitalised
        // long form keeps the list's label: its head word is less sure than the list,
        // `directie Maatschappelijke Ondersteuning (DMO)`.)
        if let Some(e) = g.lookup(&ctx.text[ctx.span(pair.short, pair.short_last).bytes()])
            && (named || head.is_none_or(|h| h == e.label))
        {
            return Some(e.label);
        }
    }
    // A staff role and its acronym name nothing (`Directeur-Generaal Volksgezondheid (DGV)`).
    if vocab::is_staff_role(ctx.t(pair.long.start)) {
        return None;
    }
    if let Some(l) = head {
        return Some(l);
    }
    let from_model = model_label_over(ctx, &pair.long, model).or_else(|| {
        let s = ctx.span(pair.short, pair.short_last);
        model.iter().find(|e| e.span == s).map(|e| e.label)
    });
    from_model.filter(|&l| l.is_name() && l != Label::Per)
}

/// The acronym entities of a document: for each labelled pair, every mention of its short
/// form and every repetition of its (capitalised) long form, labelled alike.
pub(crate) fn propagate(ctx: &Ctx, pairs: &[Pair]) -> Vec<Entity> {
    let mut shorts: HashMap<&str, Label> = HashMap::new();
    let mut longs: Vec<(Vec<&str>, Vec<bool>, Label)> = Vec::new();
    for p in pairs {
        let Some(label) = p.label else { continue };
        if p.short_last == p.short {
            shorts.entry(ctx.t(p.short)).or_insert(label);
        } else {
            // A hyphenated short form is matched like a long form, its parts glued.
            let words: Vec<&str> = (p.short..=p.short_last).map(|k| ctx.t(k)).collect();
            if !longs.iter().any(|(w, _, _)| *w == words) {
                longs.push((words, vec![false; p.short_last - p.short], label));
            }
        }
        if p.long_is_name(ctx) {
            let words: Vec<&str> = p.long.clone().map(|k| ctx.t(k)).collect();
            let spaced = (p.long.start..p.long.end - 1)
                .map(|k| !ctx.glued(k))
                .collect();
            if !longs.iter().any(|(w, _, _)| *w == words) {
                longs.push((words, spaced, label));
            }
        }
    }
    // Longest long forms first.
    longs.sort_by_key(|(w, _, _)| std::cmp::Reverse(w.len()));
    let mut out = Vec::new();
    let mut i = 0;
    'tokens: while i < ctx.len() {
        for (words, spaced, label) in &longs {
            if let Some(last) = ctx.match_words(i, words, spaced, false) {
                out.push(entity(ctx, i, last, *label));
                i = last + 1;
                continue 'tokens;
            }
        }
        if let Some(&label) = shorts.get(ctx.t(i)) {
            out.push(entity(ctx, i, i, label));
        }
        i += 1;
    }
    out
}

fn entity(ctx: &Ctx, first: usize, last: usize, label: Label) -> Entity {
    Entity {
        span: ctx.span(first, last),
        label,
        score: ACRONYM_SCORE,
        source: Source::Acronym,
        entity_id: None,
        rule: Some("acronym"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    fn pairs_of(text: &str, model: &[Entity]) -> Vec<(String, String, Option<Label>)> {
        let s = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        pairs(&ctx, model, None)
            .into_iter()
            .map(|p| {
                let p = p.public(&ctx);
                (
                    text[p.short.bytes()].to_string(),
                    text[p.long.bytes()].to_string(),
                    p.label,
                )
            })
            .collect()
    }

    #[test]
    fn acronym_examples() {
        let mut failures = Vec::new();
        for (text, expected) in EXAMPLES {
            let got = pairs_of(text, &[]);
            let got_pairs: Vec<(&str, &str)> = got
                .iter()
                .map(|(s, l, _)| (s.as_str(), l.as_str()))
                .collect();
            if got_pairs != *expected {
                failures.push(format!("{text:?}: expected {expected:?}, found {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn labels_come_from_head_words() {
        let cases = [
            (
                "de Raad van Buitenlandse Zaken (RBZ) vergaderde",
                Some(Label::Org),
            ),
            (
                "de Prioritised Ukraine Requirement List (PURL) groeit",
                Some(Label::Initiative),
            ),
            (
                "de Ukraine Defence Contact Group (UDCG) kwam bijeen",
                Some(Label::Org),
            ),
            ("De Hoge Vertegenwoordiger (HV) sprak", None),
            ("de Europese Investeringsbank (EIB) leent", Some(Label::Org)),
            (
                "de Defence Ministers Meeting (DMM) begon",
                Some(Label::Misc),
            ),
            (
                "de Airforce Capability Coalition (AFCC) levert",
                Some(Label::Initiative),
            ),
            (
                "de aanvullende inkomensondersteuning ouderen (AIO) stijgt",
                Some(Label::Initiative),
            ),
            ("de regionale mobiliteitsteams (RMT’s) helpen", None),
            (
                "de Landelijke beëindigingsregeling veehouderij (Lbv) sluit",
                Some(Label::Initiative),
            ),
            // A compound head (`-aanpak`, `-regio`) and `arrangement` name the thing too.
            (
                "gemeenten en het landelijk transitie arrangement (LTA) doen onderzoek",
                Some(Label::Initiative),
            ),
            (
                "In de metropoolregio Amsterdam (MRA) vormen zij belangrijke partners",
                Some(Label::Loc),
            ),
            (
                "de ketenaanpak eetstoornissen (hierna: K-EET) voor jongeren",
                Some(Label::Initiative),
            ),
            // A staff role's acronym names nothing.
            ("c. de Directeur-Generaal Volksgezondheid (DGV);", None),
        ];
        for (text, label) in cases {
            let got = pairs_of(text, &[]);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].2, label, "{text}: {got:?}");
        }
    }

    #[test]
    fn model_label_beats_head_words_and_person_blocks() {
        let text = "het onderzoek Industrie en Gezondheid Omwonenden (IGO) loopt";
        let s = Segmenter::new().segment(text);
        let start = text.find("Industrie").unwrap();
        let end = text.find(" (").unwrap();
        let model = [Entity::new(
            Span::from_bytes(text, start..end),
            Label::Initiative,
            0.8,
            Source::Model,
        )];
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        let p = pairs(&ctx, &model, None);
        assert_eq!(p[0].label, Some(Label::Initiative));

        let text = "de motie van Van Vliet Dijkstra (VVD) werd aangenomen";
        let start = text.find("Van Vliet").unwrap();
        let end = text.find(" (").unwrap();
        let model = [Entity::new(
            Span::from_bytes(text, start..end),
            Label::Per,
            0.8,
            Source::Model,
        )];
        assert!(pairs_of(text, &model).is_empty());
    }

    #[test]
    fn gazetteer_label_wins() {
        let g = Gazetteer::builtin().unwrap();
        let text = "het Europees Hof voor de Rechten van de Mens (EHRM) oordeelde";
        let s = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        let model = [Entity::new(
            Span::from_bytes(text, 4..12),
            Label::Misc,
            0.5,
            Source::Model,
        )];
        assert_eq!(pairs(&ctx, &model, Some(&g))[0].label, Some(Label::Org));
    }

    #[test]
    fn propagation_reaches_compounds_and_earlier_mentions() {
        let text = "Het PURL-pakket groeit. Nederland steunt de Prioritised Ukraine Requirement List (PURL). \
                    Het PURL-initiatief en de RBZ-Defensie. De Prioritised Ukraine Requirement List blijft.";
        let s = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        let ps = pairs(&ctx, &[], None);
        let got: Vec<(&str, Label, Source)> = propagate(&ctx, &ps)
            .into_iter()
            .map(|e| (&text[e.span.bytes()], e.label, e.source))
            .collect();
        let i = Label::Initiative;
        let a = Source::Acronym;
        assert_eq!(
            got,
            [
                ("PURL", i, a),
                ("Prioritised Ukraine Requirement List", i, a),
                ("PURL", i, a),
                ("PURL", i, a),
                ("Prioritised Ukraine Requirement List", i, a),
            ]
        );
    }

    #[test]
    fn find_pairs_segments_an_unsegmented_document() {
        let doc = Document::new(
            "d",
            "De Europese Investeringsbank (EIB) en de EIB-financiering.",
        );
        let pairs = find_pairs(&doc);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].short.text(&doc.text), "EIB");
        assert_eq!(pairs[0].long.text(&doc.text), "Europese Investeringsbank");
        assert_eq!(pairs[0].label, Some(Label::Org));
    }

    #[test]
    fn roman_numerals_and_odd_short_forms_are_rejected() {
        for s in [
            "V", "VI", "IXA", "IXB", "XVI", "VIII", "IV", "2026", "zie", "A", "Raad",
        ] {
            assert!(!short_form_ok(s) || s == "Raad", "{s}");
        }
        for s in ["RBZ", "PURL", "eVA", "Lbv", "Wwft", "EHRM", "D66", "R&D"] {
            assert!(short_form_ok(s), "{s}");
        }
    }
}
