//! Rules for amounts of money, dates, percentages and references to parliamentary papers.
//!
//! The rules are hand-written scanners over the segmenter's tokens: a span always runs from
//! the start of one token to the end of another, so its byte and code-point offsets are the
//! segmenter's and stay exact for any text. Each rule lists Dutch positive and negative
//! examples ([`MONEY_EXAMPLES`], [`DATE_EXAMPLES`], [`PERCENT_EXAMPLES`], [`REF_EXAMPLES`]),
//! most of them sentences of `corpus/`; the tests run every one.
//!
//! # MONEY
//! A currency before the amount (`EUR 90 mld.`, `USD 107 miljoen`, `€90 miljoen`,
//! `€ 1,5 miljard`, `US$ 5 mln`) or a currency word after it (`750 miljoen euro`,
//! `25 miljoen dollar`, `3 mld. EUR`). The amount is a number (`1,5`, `4.500`, `1 000 000`) or
//! a Dutch number word (`twee miljard euro`), with up to two scale words (`miljoen`, `miljard`,
//! `mld.`, `mln`). A number with a scale but no currency is no money (`1,2 miljoen mensen`).
//!
//! # DATE
//! - Day, month and optional year, with an optional weekday before and `jl.`, `j.l.`,
//!   `jongstleden`, `a.s.`, `aanstaande` after: `4 maart 2026`, `11 februari jl.`,
//!   `woensdag 4 maart 2026`, `1 januari`, `17 okt. 2023`. English months need the year.
//! - Month and year: `maart 2026`, `mei 2022`.
//! - Year ranges: `2022–2023`, `2022-2023`, `2022/2023`, `2022/23` (the second year later, a
//!   two-digit year at most ten later), with or without spaces around an en dash.
//! - Years 1900–2099 on their own, unless they are a number: after `nr.`, `ISSN`, `artikel`,
//!   `kenmerk`, `pagina`, a currency, inside a larger number or reference (`kst-…`,
//!   `2011/95/EU`), or before a scale, currency or `%`. `’22` counts as a year.
//! - A bare month name (`later dan april`) is left alone.
//!
//! # PERCENT
//! A number or number word followed by `%` (`3,5%`, `15 %`) or `procent`, `procentpunt(en)`.
//!
//! # REF
//! - `Kamerstuk(ken) <dossier>[ en <dossier>]…[,] nr. <n>`: `Kamerstuk 36 045, nr. 267`,
//!   `Kamerstuk 28676 nr. 486`. A citation of one paper filed in several dossiers,
//!   `Kamerstukken 21 501-28 en 28 676, nr. 299`, is **one** span: it names one document.
//!   Without a number the span ends after the dossiers (`Kamerstuk 36 410-V`).
//! - `<dossier>[,] nr. <n>` without the word (`kenmerk 36 045, nr. 268`, the footer
//!   `…, 25 087, nr. 309`), where the dossier has five digits (`36 045` or `36045`), with an
//!   optional sub-number (`21 501-28`, `36 410-V`).
//! - `kst-<dossier>-<n>` identifiers: `kst-29984-1082`, `kst-36410-V-12`.
//! - `Kamerbrief <kenmerk>[ nr. <n>]` where the kenmerk has six or more digits:
//!   `Kamerbrief 2867630806 nr. 442`.
//! - `[Aanhangsel ]Handelingen [I|II] <year>/<yy>[,] [nr.] <n>[, item <n>]`:
//!   `Handelingen II 2022/23, nr. 45`.
//! - The dossier number and paper number of a paper's own header, each on a line of its own or
//!   before a tab, as the gold files annotate them: `25 087`, `36 410 VI`, `21 501-28`,
//!   `Nr. 299`; and a dossier alone in brackets (`(36 281)`). A dossier may carry a budget
//!   chapter after a space (`36 410 VI, nr. 76`).

use super::tokens::{Ctx, Finder, digits_value, grouped_digits, is_number, with_lower, year};
use super::vocab;
use crate::doc::{Entity, Label, Source};

/// The score of every pattern entity: the rules are precise.
pub const PATTERN_SCORE: f32 = 1.0;

/// Sentences with the MONEY spans the rules must find in them, exactly.
pub const MONEY_EXAMPLES: &[(&str, &[&str])] = &[
    (
        "De Ukraine Support Loan betreft een set aan wetgevende voorstellen voor een financieel steunpakket van EUR 90 mld. aan leningen voor Oekraïne voor 2026 en 2027.",
        &["EUR 90 mld."],
    ),
    (
        "Nederland kondigde een financiële bijdrage aan van bijna USD 107 miljoen (€90 miljoen) aan het Amerikaanse Prioritised Ukraine Requirement List (PURL)-initiatief.",
        &["USD 107 miljoen", "€90 miljoen"],
    ),
    (
        "Dit is het resterende bedrag van de reeds in 2025 toegezegde €750 miljoen voor PURL.",
        &["€750 miljoen"],
    ),
    (
        "bedrijven met een omzet van meer dan\n750 miljoen euro vanaf 2024 onder de minimumbelasting",
        &["750 miljoen euro"],
    ),
    (
        "gestegen van 4.500 miljard euro naar 4.700 miljard euro, waardoor",
        &["4.500 miljard euro", "4.700 miljard euro"],
    ),
    (
        "is tot en met 2030 van 5,1 miljard euro;",
        &["5,1 miljard euro"],
    ),
    (
        "spreekt uit dat 200 miljoen euro voor een bewustmakingsfonds waanzin is",
        &["200 miljoen euro"],
    ),
    (
        "een investering van € 1,5 miljard in de krijgsmacht",
        &["€ 1,5 miljard"],
    ),
    (
        "de VS leverden voor ruim 25 miljoen dollar aan munitie",
        &["25 miljoen dollar"],
    ),
    (
        "een lening van 3 mld. EUR en US$ 5 mln aan garanties",
        &["3 mld. EUR", "US$ 5 mln"],
    ),
    (
        "het kabinet trekt twee miljard euro uit",
        &["twee miljard euro"],
    ),
    // Negatives: amounts of other things, plural amounts, words that only look like a currency.
    (
        "constaterende dat 1,2 miljoen mensen een afstand hebben tot de arbeidsmarkt",
        &[],
    ),
    ("de 6 miljoen slachtoffers van de Holocaust", &[]),
    (
        "constaterende dat er op dit moment ruim 3 miljoen vierkante meter leegstaat",
        &[],
    ),
    ("opdraaien voor miljarden richting Europese fondsen", &[]),
    ("de Europese Unie en de EU-industrie", &[]),
];

/// Sentences with the DATE spans the rules must find in them, exactly.
pub const DATE_EXAMPLES: &[(&str, &[&str])] = &[
    ("Den Haag, 4 maart 2026", &["4 maart 2026"]),
    (
        "de Raad van Buitenlandse Zaken (RBZ) Defensie die plaatsvond op 11 februari jl., en de NAVO-ministers",
        &["11 februari jl."],
    ),
    (
        "met zes maanden wordt verlengd (tot 30 september 2026).",
        &["30 september 2026"],
    ),
    (
        "MOTIE VAN HET LID OMTZIGT C.S.\nVoorgesteld 23 februari 2023",
        &["23 februari 2023"],
    ),
    (
        "overwegende dat sinds 1 januari 2022 de verdeling van het macrobudget",
        &["1 januari 2022"],
    ),
    (
        "overwegende dat dit fonds vanaf 1 juni waarschijnlijk",
        &["1 juni"],
    ),
    (
        "het nieuwsbericht dateert van mei 2022 en dus",
        &["mei 2022"],
    ),
    ("Vergaderjaar 2022–2023", &["2022–2023"]),
    (
        "Tweede Kamer, vergaderjaar 2022-2023, 25 087, nr. 309",
        &["2022-2023"],
    ),
    (
        "doelend op de afspraak om de defensie-uitgaven uiterlijk in 2035 te verhogen",
        &["2035"],
    ),
    (
        "voor Oekraïne voor 2026 en 2027.[footnoteRef:1]",
        &["2026", "2027"],
    ),
    (
        "Kamerbrief 2867630806 nr. 442 d.d. 17 oktober 2023 en",
        &["17 oktober 2023"],
    ),
    (
        "in de periode 1 januari 2022 - 20 juni 2022, die kan oplopen",
        &["1 januari 2022", "20 juni 2022"],
    ),
    ("in 2021 en ’22 heeft geleid", &["2021", "’22"]),
    (
        "op woensdag 4 maart 2026 en op 1 jan. 2024",
        &["woensdag 4 maart 2026", "1 jan. 2024"],
    ),
    (
        "de doorgifte in de periode 2021–2025 en 2022/23",
        &["2021–2025", "2022/23"],
    ),
    // Negatives: numbers that look like years, a bare month, paper numbers.
    ("kst-25087-309\nISSN 0921 - 7371", &[]),
    ("Nr. 2001", &[]),
    (
        "basis van de Kwalificatierichtlijn (Richtlijn 2011/95/EU);",
        &[],
    ),
    (
        "indien de keuzemogelijkheden later dan april klaarstaan",
        &[],
    ),
    ("een bijdrage van 2000 euro per huishouden", &[]),
];

/// Sentences with the PERCENT spans the rules must find in them, exactly.
pub const PERCENT_EXAMPLES: &[(&str, &[&str])] = &[
    (
        "de defensie-uitgaven uiterlijk in 2035 te verhogen naar 3,5% van het BBP en 1,5% van het BBP",
        &["3,5%", "1,5%"],
    ),
    ("onder de minimumbelasting van 15% gaan\nvallen;", &["15%"]),
    (
        "in plaats van het statutaire Vpb-tarief van 25,8%;",
        &["25,8%"],
    ),
    (
        "gezien hoog bereik (90%) van de inwoners met een laag inkomen;",
        &["90%"],
    ),
    (
        "een stijging van 25,8 procent en 2 procentpunten",
        &["25,8 procent", "2 procentpunten"],
    ),
    (
        "een daling van 15 % en tien procent",
        &["15 %", "tien procent"],
    ),
    // Negatives: percentages need a number.
    ("een hoger percentage van de uitgaven", &[]),
    ("het procent en de promille", &[]),
];

/// Sentences with the REF spans the rules must find in them, exactly.
pub const REF_EXAMPLES: &[(&str, &[&str])] = &[
    (
        "[1:  Kamerstuk 36 045, nr. 267. ]",
        &["Kamerstuk 36 045, nr. 267"],
    ),
    (
        "Kamerstukken 21 501-28 en 28 676, nr. 299",
        &["Kamerstukken 21 501-28 en 28 676, nr. 299"],
    ),
    ("kst-29984-1082", &["kst-29984-1082"]),
    ("kst-25087-309\nISSN 0921 - 7371", &["kst-25087-309"]),
    (
        "Over het doel en de missie bent u met Kamerbrief 2867630806 nr. 442 d.d. 17 oktober 2023 en Kamerstuk 28676 nr. 486 d.d. 21 februari 2025 geïnformeerd.",
        &["Kamerbrief 2867630806 nr. 442", "Kamerstuk 28676 nr. 486"],
    ),
    (
        "zie Handelingen II 2022/23, nr. 45, item 12 en Aanhangsel Handelingen II 2023/24, nr. 1234",
        &[
            "Handelingen II 2022/23, nr. 45, item 12",
            "Aanhangsel Handelingen II 2023/24, nr. 1234",
        ],
    ),
    (
        "(kenmerk 36 045, nr. 268, dd. 9 februari jl.)",
        &["36 045, nr. 268"],
    ),
    (
        "Tweede Kamer, vergaderjaar 2022–2023, 25 087, nr. 309",
        &["25 087, nr. 309"],
    ),
    (
        "kst-36410-V-12 en Kamerstuk 36 410-V",
        &["kst-36410-V-12", "Kamerstuk 36 410-V"],
    ),
    (
        "21 501-28\tDefensieraad\n28 676\t\tNAVO\nNr. 299\t\tBrief van de minister van Defensie",
        &["21 501-28", "28 676", "Nr. 299"],
    ),
    (
        "Vergaderjaar 2023–2024\n\n36 410 VI\n\nVaststelling van de begrotingsstaten\n\nNr. 76\n\nMOTIE",
        &["36 410 VI", "Nr. 76"],
    ),
    (
        "Tweede Kamer, vergaderjaar 2023–2024, 36 410 VI, nr. 76",
        &["36 410 VI, nr. 76"],
    ),
    ("het wetsvoorstel (36 281) en", &["36 281"]),
    // Negatives: numbers inside a line, a letter without a kenmerk, a year and a number.
    ("er wonen 25 087 mensen en Nr. 12 is leeg", &[]),
    (
        "U vindt het non-paper als bijlage bij deze Kamerbrief.",
        &[],
    ),
    ("in 2023, nr. 4 van de lijst", &[]),
];

/// Every pattern entity of the document, of all four types (they may overlap each other; the
/// merge keeps the longest).
pub(crate) fn find(ctx: &Ctx) -> Vec<Entity> {
    let mut out = money(ctx);
    out.extend(percent(ctx));
    out.extend(references(ctx));
    out.extend(dates(ctx));
    out
}

fn entity(ctx: &Ctx, first: usize, last: usize, label: Label, rule: &'static str) -> Entity {
    Entity {
        span: ctx.span(first, last),
        label,
        score: PATTERN_SCORE,
        source: Source::Pattern,
        entity_id: None,
        rule: Some(rule),
    }
}

// ---------------------------------------------------------------------------------------------
// MONEY and PERCENT

/// A currency written before the amount, starting at token `i`: returns its last token.
fn currency_before(ctx: &Ctx, i: usize) -> Option<usize> {
    let w = ctx.t(i);
    if w == "US" && ctx.glued(i) && ctx.t(i + 1) == "$" {
        return Some(i + 1);
    }
    vocab::is_currency_before(w).then_some(i)
}

/// The scale words after the amount at `i`: returns the last token of amount and scales.
fn scales_after(ctx: &Ctx, i: usize) -> usize {
    let mut k = i;
    while k < i + 2 && vocab::is_scale(ctx.t(k + 1)) {
        k += 1;
    }
    k
}

fn money(ctx: &Ctx) -> Vec<Entity> {
    let amount = |i: usize| {
        if let Some(c) = currency_before(ctx, i)
            && is_number(ctx.t(c + 1))
        {
            return Some(scales_after(ctx, c + 1));
        }
        let w = ctx.t(i);
        if is_number(w) || vocab::is_number_word(w) {
            let last = scales_after(ctx, i);
            // A number word needs a scale or an unambiguous currency (`een euro`, not `een €`).
            if vocab::is_currency_after(ctx.t(last + 1)) {
                return Some(last + 1);
            }
        }
        None
    };
    ctx.scan(amount)
        .into_iter()
        .map(|(i, last)| entity(ctx, i, last, Label::Money, "money"))
        .collect()
}

fn percent(ctx: &Ctx) -> Vec<Entity> {
    let mut out = Vec::new();
    for i in 0..ctx.len() {
        let w = ctx.t(i);
        if !(is_number(w) || vocab::is_number_word(w)) {
            continue;
        }
        let next = ctx.t(i + 1);
        let unit = next == "%" || with_lower(next, vocab::is_percent_unit);
        if unit && (is_number(w) || next != "%") {
            out.push(entity(ctx, i, i + 1, Label::Percent, "percent"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// DATE

/// The month a token names, and whether the name is English only.
fn month(w: &str) -> Option<(u8, bool)> {
    with_lower(w, |lower| month_lower(w, lower))
}

/// [`month`] of `w`, given its lower-cased form.
fn month_lower(w: &str, lower: &str) -> Option<(u8, bool)> {
    let bare = lower.strip_suffix('.').unwrap_or(lower);
    if let Some(m) = vocab::dutch_month(bare) {
        return Some((m, false));
    }
    // English names are written with a capital; `may` and `march` are English words too.
    if super::tokens::is_cap(w)
        && let Some(m) = vocab::english_month(lower)
    {
        return Some((m, true));
    }
    None
}

fn day(w: &str) -> bool {
    w.len() <= 2 && digits_value(w).is_some_and(|d| (1..=31).contains(&d))
}

fn number_context(w: &str) -> bool {
    vocab::is_number_context(w) || vocab::is_currency_before(w)
}

fn dates(ctx: &Ctx) -> Vec<Entity> {
    let rules: [(&'static str, &Finder); 3] = [
        ("date", &|i| full_date(ctx, i)),
        ("year-range", &|i| year_range(ctx, i)),
        ("year", &|i| bare_year(ctx, i).then_some(i)),
    ];
    ctx.scan_rules(&rules)
        .into_iter()
        .map(|(i, last, rule)| entity(ctx, i, last, Label::Date, rule))
        .collect()
}

/// `[weekday] day month [year] [jl.]` or `month year` starting at `i`.
fn full_date(ctx: &Ctx, i: usize) -> Option<usize> {
    let k = if vocab::is_weekday(ctx.t(i)) {
        i + 1
    } else {
        i
    };
    if day(ctx.t(k))
        && let Some((_, english)) = month(ctx.t(k + 1))
    {
        let mut last = k + 1;
        if year(ctx.t(k + 2)).is_some() {
            last = k + 2;
        } else if english {
            return None;
        }
        if vocab::is_date_suffix(ctx.t(last + 1)) {
            last += 1;
        }
        return Some(last);
    }
    // The year first: it is the cheaper test, and most tokens fail it.
    if k == i
        && year(ctx.t(i + 1)).is_some()
        && month(ctx.t(i)).is_some()
        && !glued_number_after(ctx, i + 1)
    {
        return Some(i + 1);
    }
    None
}

/// Whether token `i` continues into a larger number: `2011/95`, `2000-1`, `2025.3`.
fn glued_number_after(ctx: &Ctx, i: usize) -> bool {
    ctx.glued(i)
        && matches!(ctx.t(i + 1), "/" | "-" | "–" | "." | ",")
        && ctx.glued(i + 1)
        && ctx.t(i + 2).starts_with(|c: char| c.is_ascii_digit())
}

/// Whether token `i` continues a larger number or identifier before it: `kst-2025`, `11/2025`.
fn glued_number_before(ctx: &Ctx, i: usize) -> bool {
    i >= 1
        && ctx.glued(i - 1)
        && matches!(ctx.t(i - 1), "/" | "-" | "–" | "." | ",")
        && i >= 2
        && ctx.glued(i - 2)
}

/// `2022–2023`, `2022 – 2023`, `2022-2023`, `2022/23` starting at `i`.
fn year_range(ctx: &Ctx, i: usize) -> Option<usize> {
    let y1 = year(ctx.t(i))?;
    if glued_number_before(ctx, i) || (i >= 1 && number_context(ctx.t(i - 1))) {
        return None;
    }
    let dash = ctx.t(i + 1);
    let glued = ctx.glued(i) && ctx.glued(i + 1);
    let spaced_ok = matches!(dash, "–" | "—") || glued;
    if !matches!(dash, "–" | "—" | "-" | "/") || !spaced_ok {
        return None;
    }
    let second = ctx.t(i + 2);
    let y2 = if let Some(y2) = year(second) {
        (y2 > y1 && y2 - y1 <= 100).then_some(y2)?
    } else if second.len() == 2 && glued {
        let yy = digits_value(second)?;
        let y2 = y1 - y1 % 100 + yy;
        (y2 > y1 && y2 - y1 <= 10).then_some(y2)?
    } else {
        return None;
    };
    let _ = y2;
    if glued_number_after(ctx, i + 2) {
        return None;
    }
    Some(i + 2)
}

/// A year on its own at `i` (or `’22`).
fn bare_year(ctx: &Ctx, i: usize) -> bool {
    let w = ctx.t(i);
    let short = {
        let mut cs = w.chars();
        matches!(cs.next(), Some('’' | '\''))
            && cs.clone().count() == 2
            && cs.all(|c| c.is_ascii_digit())
    };
    if short {
        return true;
    }
    if year(w).is_none() {
        return false;
    }
    if i >= 1 && number_context(ctx.t(i - 1)) {
        return false;
    }
    if glued_number_before(ctx, i) || glued_number_after(ctx, i) {
        return false;
    }
    // A year joined to a range or number that did not parse: `2011/95/EU`.
    if ctx.glued(i) && matches!(ctx.t(i + 1), "/" | "–") {
        return false;
    }
    let next = ctx.t(i + 1);
    !(vocab::is_scale(next)
        || vocab::is_currency_after(next)
        || next == "%"
        || next.eq_ignore_ascii_case("procent"))
}

// ---------------------------------------------------------------------------------------------
// REF

/// A five-digit dossier number at `i` (`36 045`, `28676`) with an optional glued sub-number
/// (`21 501-28`, `36 410-V`): returns its last token.
fn dossier(ctx: &Ctx, i: usize) -> Option<usize> {
    let digits = grouped_digits(ctx.t(i))?;
    if digits.len() != 5 {
        return None;
    }
    let mut last = i;
    if ctx.t(i + 1) == "-" && ctx.glued(i) && ctx.glued(i + 1) && is_sub_number(ctx.t(i + 2)) {
        last = i + 2;
    } else if !ctx.glued(i) && !ctx.line_break_after(i) && is_roman_chapter(ctx.t(i + 1)) {
        // A budget chapter after a space: `36 410 VI`, `36 200 IXB`.
        last = i + 1;
    }
    Some(last)
}

/// A budget chapter in Roman numerals, with an optional letter: `V`, `VI`, `IXB`, `XVI`.
fn is_roman_chapter(w: &str) -> bool {
    let body = w
        .strip_suffix(['A', 'B'])
        .filter(|b| !b.is_empty())
        .unwrap_or(w);
    !body.is_empty() && body.len() <= 5 && body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// Whether token `i` starts a line (or the text).
fn line_start(ctx: &Ctx, i: usize) -> bool {
    i == 0 || ctx.line_break_after(i - 1)
}

/// Whether token `i` ends a line, the text, or a column (a tab follows).
fn line_end(ctx: &Ctx, i: usize) -> bool {
    i + 1 >= ctx.len() || ctx.line_break_after(i) || ctx.gap_after(i).contains('\t')
}

/// A sub-number of a dossier or kst id: digits, capitals (`V`, `IXB`), or a type code (`V-12`).
fn is_sub_number(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 8
        && w.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '-')
        && w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// `[,] nr. <n>` at `i`: returns the number's token.
fn paper_number(ctx: &Ctx, i: usize) -> Option<usize> {
    let k = if ctx.t(i) == "," { i + 1 } else { i };
    (vocab::is_paper_number(ctx.t(k)) && digits_value(ctx.t(k + 1)).is_some()).then_some(k + 1)
}

fn references(ctx: &Ctx) -> Vec<Entity> {
    let rules: [(&'static str, &Finder); 6] = [
        ("kamerstuk", &|i| kamerstuk(ctx, i)),
        ("paper-number", &|i| bare_paper(ctx, i)),
        ("paper-header", &|i| header_number(ctx, i)),
        ("kst-id", &|i| kst_id(ctx, i)),
        ("kamerbrief", &|i| kamerbrief(ctx, i)),
        ("handelingen", &|i| handelingen(ctx, i)),
    ];
    ctx.scan_rules(&rules)
        .into_iter()
        .map(|(i, last, rule)| entity(ctx, i, last, Label::Ref, rule))
        .collect()
}

fn kamerstuk(ctx: &Ctx, i: usize) -> Option<usize> {
    if !with_lower(ctx.t(i), |w| w == "kamerstuk" || w == "kamerstukken") {
        return None;
    }
    let mut k = i + 1;
    if matches!(ctx.t(k), "I" | "II") {
        k += 1;
    }
    let mut last = dossier(ctx, k)?;
    while matches!(ctx.t(last + 1), "en" | ",") {
        match dossier(ctx, last + 2) {
            Some(l) => last = l,
            None => break,
        }
    }
    Some(paper_number(ctx, last + 1).unwrap_or(last))
}

fn bare_paper(ctx: &Ctx, i: usize) -> Option<usize> {
    if i >= 1 && ctx.glued(i - 1) && ctx.t(i - 1) == "-" {
        return None;
    }
    let last = dossier(ctx, i)?;
    paper_number(ctx, last + 1)
}

/// The dossier number and paper number in a paper's own header, each on a line of its own
/// (or before a tab): `25 087`, `36 410 VI`, `21 501-28\tDefensieraad`, `Nr. 309`.
fn header_number(ctx: &Ctx, i: usize) -> Option<usize> {
    // A dossier alone in brackets: `(36 281)`.
    if i >= 1 && ctx.t(i - 1) == "(" {
        let last = dossier(ctx, i)?;
        return (ctx.t(last + 1) == ")").then_some(last);
    }
    if !line_start(ctx, i) {
        return None;
    }
    let last = if matches!(ctx.t(i), "Nr." | "Nr") && digits_value(ctx.t(i + 1)).is_some() {
        i + 1
    } else {
        dossier(ctx, i)?
    };
    line_end(ctx, last).then_some(last)
}

fn kst_id(ctx: &Ctx, i: usize) -> Option<usize> {
    if !ctx.t(i).eq_ignore_ascii_case("kst")
        || !ctx.glued(i)
        || ctx.t(i + 1) != "-"
        || !ctx.glued(i + 1)
    {
        return None;
    }
    let digits = grouped_digits(ctx.t(i + 2))?;
    if !(4..=6).contains(&digits.len()) {
        return None;
    }
    let mut last = i + 2;
    while ctx.glued(last)
        && ctx.t(last + 1) == "-"
        && ctx.glued(last + 1)
        && is_sub_number(ctx.t(last + 2))
    {
        last += 2;
    }
    (last > i + 2).then_some(last)
}

fn kamerbrief(ctx: &Ctx, i: usize) -> Option<usize> {
    if !ctx.t(i).eq_ignore_ascii_case("kamerbrief") {
        return None;
    }
    let kenmerk = ctx.t(i + 1);
    let digits = kenmerk.chars().filter(char::is_ascii_digit).count();
    if digits < 6 || !kenmerk.chars().all(char::is_alphanumeric) {
        return None;
    }
    Some(paper_number(ctx, i + 2).unwrap_or(i + 1))
}

fn handelingen(ctx: &Ctx, i: usize) -> Option<usize> {
    let mut k = i;
    if ctx.t(k) == "Aanhangsel" {
        k += 1;
        if ctx.t(k) == "van" && ctx.t(k + 1) == "de" {
            k += 2;
        }
    }
    if ctx.t(k) != "Handelingen" {
        return None;
    }
    k += 1;
    if matches!(ctx.t(k), "I" | "II") {
        k += 1;
    }
    year(ctx.t(k))?;
    if !(ctx.glued(k)
        && ctx.t(k + 1) == "/"
        && ctx.glued(k + 1)
        && digits_value(ctx.t(k + 2)).is_some())
    {
        return None;
    }
    k += 3;
    if ctx.t(k) == "," {
        k += 1;
    }
    if vocab::is_paper_number(ctx.t(k)) {
        k += 1;
    }
    digits_value(ctx.t(k))?;
    let mut last = k;
    if ctx.t(last + 1) == ","
        && ctx.t(last + 2) == "item"
        && digits_value(ctx.t(last + 3)).is_some()
    {
        last += 3;
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    fn run(examples: &[(&str, &[&str])], rule: fn(&Ctx) -> Vec<Entity>, label: Label) {
        let seg = Segmenter::new();
        let mut failures = Vec::new();
        for (text, expected) in examples {
            let s = seg.segment(text);
            let ctx = Ctx::new(text, &s.tokens, &s.sentences);
            let found: Vec<&str> = rule(&ctx)
                .into_iter()
                .inspect(|e| assert_eq!(e.label, label))
                .map(|e| &text[e.span.bytes()])
                .collect();
            if found != *expected {
                failures.push(format!("{text:?}: expected {expected:?}, found {found:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{label} examples failed:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn money_examples() {
        run(MONEY_EXAMPLES, money, Label::Money);
    }

    #[test]
    fn date_examples() {
        run(DATE_EXAMPLES, dates, Label::Date);
    }

    #[test]
    fn percent_examples() {
        run(PERCENT_EXAMPLES, percent, Label::Percent);
    }

    #[test]
    fn ref_examples() {
        run(REF_EXAMPLES, references, Label::Ref);
    }

    #[test]
    fn offsets_are_exact_after_non_ascii_text() {
        let text = "Oekraïne ontving op 4 maart 2026 €90 miljoen (3,5%), zie kst-29984-1082.";
        let s = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        let chars: Vec<char> = text.chars().collect();
        let found = find(&ctx);
        assert_eq!(found.len(), 4);
        for e in found {
            let by_chars: String = chars[e.span.chars()].iter().collect();
            assert_eq!(by_chars, &text[e.span.bytes()]);
        }
    }
}
