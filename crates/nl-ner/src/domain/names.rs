//! Rules for the names of laws, regulations and acronym-named programmes (INITIATIVE).
//!
//! # Laws and regulations
//!
//! - `Wet` followed by lower-case words: `Wet goed verhuurderschap`, `Wet open overheid`,
//!   `Wet op het hoger onderwijs`, `Wet verbod op kolen bij elektriciteitsproductie`, `Wet ter
//!   voorkoming van witwassen en financieren van terrorisme`. The title may open with a
//!   preposition (`op`, `ter`, `tot`, `inzake`, `houdende` …); later a preposition (`op`, `bij`,
//!   `in`, `voor`, `van` …) goes on only before a lower-case word or an article, an article only
//!   right after a preposition, and `en` only before a lower-case word (`Wet werk en
//!   zekerheid`, but `Wet langdurige zorg` in `Wet langdurige zorg en de Zorgverzekeringswet`).
//!   The name ends at punctuation, a capitalised word, a verb, clause word or adverb (`is`,
//!   `geldt`, `dat`, `om`, `ter`, `een`, `uiterlijk` …), after ten words, or at the end of the
//!   sentence; function words at the end are dropped; a year right after is part of the name
//!   (`Wet inburgering 2021`). `Wet` followed by capitals is also a name (`Wet BIG`). A title
//!   the gazetteer knows is taken from the gazetteer, which knows where it ends.
//! - `Besluit` followed by lower-case words, by the same rule (`Besluit servicekosten`).
//! - One capitalised word ending in `wet`, `richtlijn` or `verordening` (`Omgevingswet`,
//!   `Klimaatwet`, `Kwalificatierichtlijn`), with a year right after (`Vreemdelingenwet 2000`).
//! - A law's abbreviation: `W` and one to four lower-case letters that are no word of the word
//!   list or a common English word, no name and not glued to a slash (`Wft`, `Wbp`, `Wta`, `Wwft`, `Wabo`, also in
//!   `Wbp-verzoek`; not `Woo/2023/035`, a file number, nor `Wat`, `Wenen` or `What`). Dutch writes the
//!   abbreviations of laws this way (`Wet op het financieel toezicht` → `Wft`).
//! - `Richtlijn` or `Verordening` (any case), an optional `(EU)`, `(EG)` or `(EEG)`, and a
//!   number `2011/95` with an optional `/EU`: `Richtlijn 2011/95/EU`, `Verordening (EU)
//!   2016/679`.
//!
//! # Named instruments
//!
//! Dutch does not capitalise common nouns, so a run of capitalised words that ends in an
//! instrument noun is a name:
//! - two to six capitalised words ending in an English head noun (`Plan`, `Loan`, `Fund`,
//!   `Facility`, `List`, `Initiative`, `Statement`, `Strategy`, `Agreement`, `Act` …):
//!   `Ukraine Support Loan`, `Defence Investment Plan`, `Joint Vision Statement`; a Dutch
//!   adjective made from a name before them is not part of the name (`het Amerikaanse
//!   Prioritised Ukraine Requirement List`: the word list knows `Amerikaanse` only capitalised);
//! - not at the start of a sentence, capitalised words ending in a compound in `fonds`, `plan`,
//!   `programma`, `regeling`, `faciliteit`, `akkoord`, `agenda`, `strategie`, `pact` or
//!   `verdrag`: `het Kolenfonds`, `het Belastingplan`, `de Europese Veiligheidsstrategie` (at
//!   the start of a sentence such a word may be an ordinary word, and is left to the model).
//!
//! # Acronym compounds
//!
//! The guideline annotates a name inside a hyphen compound on its own (`PURL-initiatief` →
//! `PURL`, `NAVO-missie` → `NAVO`), but the whole compound where it is the programme's name
//! (`NABO-programma`). The rule that tells them apart: an acronym joined to an instrument word
//! (`programma`, `fonds`, `plan`, `regeling`, `maatregel`, `initiatief`, `faciliteit`, `strategie`,
//! `akkoord`, `missie`, `operatie`, `lening`, `richtlijn`, `verordening`, `wet`, `verdrag`) is
//! the name of that instrument, and the whole compound is INITIATIVE, **unless the acronym is
//! known** on its own — a gazetteer form or a short form defined in the document. A known
//! acronym names the thing already (`PURL`, `NAVO`, `EU`), so it is annotated alone by the
//! gazetteer or the acronym step, and the compound's tail is a description.

use super::tokens::{
    Ctx, Finder, digits_value, is_all_caps, is_cap, is_function_word, is_lower_word, is_word,
    with_lower,
};
use super::vocab;
use crate::doc::{Entity, Label, Source};
use crate::lexicon::{LexEntry, Lexicon};

/// The score of an entity found by these rules.
pub const RULE_SCORE: f32 = 0.85;

/// Sentences (most from `corpus/`) and the INITIATIVE names the rules must find in them.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "Regels ter verbetering van de kwaliteit van verhuurders (Wet goed verhuurderschap)",
        &["Wet goed verhuurderschap"],
    ),
    (
        "overwegende dat zelfs waar instellingen die de instroom zelf willen\nbeheersen, zij dat niet kunnen door beperkingen in de Wet op het hoger\nonderwijs;",
        &["Wet op het hoger\nonderwijs"],
    ),
    (
        "constaterende dat de Wet ter voorkoming van witwassen en financieren\nvan terrorisme (Wwft) leidt tot onvoorziene problemen",
        &[
            "Wet ter voorkoming van witwassen en financieren\nvan terrorisme",
            "Wwft",
        ],
    ),
    (
        "de Wet open overheid is sinds 2022 van kracht en de Wet BIG ook",
        &["Wet open overheid", "Wet BIG"],
    ),
    (
        "de Wet langdurige zorg en de Zorgverzekeringswet",
        &["Wet langdurige zorg", "Zorgverzekeringswet"],
    ),
    (
        "Wijziging van de Wet verbod op kolen bij elektriciteitsproductie en de Wet van 7 juli 2021",
        &["Wet verbod op kolen bij elektriciteitsproductie"],
    ),
    (
        "Wijziging van de Wet belastingen op milieugrondslag ter implementatie",
        &["Wet belastingen op milieugrondslag"],
    ),
    (
        "de Wet werk en zekerheid en de Wet arbeidsmarkt in balans.",
        &["Wet werk en zekerheid", "Wet arbeidsmarkt in balans"],
    ),
    (
        "overwegende dat de Wet natuurbescherming\nde mogelijkheid biedt",
        &["Wet natuurbescherming"],
    ),
    (
        "tot wijziging van de Wet verbod op kolen bij elektriciteitsproductie in verband met beperking van de CO2-emissie",
        &["Wet verbod op kolen bij elektriciteitsproductie"],
    ),
    (
        "Wijziging van de Klimaatwet (implementatie Europese klimaatwet)",
        &["Klimaatwet"],
    ),
    (
        "het Besluit servicekosten wordt aangepast",
        &["Besluit servicekosten"],
    ),
    (
        "de Vreemdelingenwet 2000 en de Wet inburgering 2021",
        &["Vreemdelingenwet 2000", "Wet inburgering 2021"],
    ),
    (
        "op basis van de Kwalificatierichtlijn (Richtlijn 2011/95/EU);",
        &["Kwalificatierichtlijn", "Richtlijn 2011/95/EU"],
    ),
    (
        "conform Verordening (EU) 2016/679",
        &["Verordening (EU) 2016/679"],
    ),
    (
        "het NABO-programma en de aanvullende\nCFC-maatregel",
        &["NABO-programma", "CFC-maatregel"],
    ),
    (
        "De door Commissievoorzitter Von der Leyen aangekondigde Europese Veiligheidsstrategie in de eerste helft",
        &["Europese Veiligheidsstrategie"],
    ),
    (
        "een bijdrage uit het Kolenfonds en het Belastingplan 2024",
        &["Kolenfonds", "Belastingplan"],
    ),
    (
        "De Ukraine Support Loan betreft een set aan wetgevende voorstellen en het naleven van het Defence Investment Plan.",
        &["Ukraine Support Loan", "Defence Investment Plan"],
    ),
    (
        "En marge van de DMM is een Joint Vision Statement tussen Nederland en Canada getekend.",
        &["Joint Vision Statement"],
    ),
    (
        "een informatieverzoek op grond van artikel 1:72 Wft, de Wwft en de Wta; een Wbp-verzoek",
        &["Wft", "Wwft", "Wta", "Wbp"],
    ),
    // Negatives: known acronyms in compounds, generic words, `Wet` without a name.
    (
        "Wat nu? What about the deadlines? Kenmerk Woo/2023/035, Wenen.",
        &[],
    ),
    (
        "Pensioenfonds en verzekeraar spraken af; een pensioenfonds ook.",
        &[],
    ),
    ("Plan van aanpak. Het Plan werd besproken.", &[]),
    (
        "aan het Amerikaanse Prioritised Ukraine Requirement List (PURL)-initiatief",
        &["Prioritised Ukraine Requirement List"],
    ),
    ("het PURL-initiatief, de NAVO-missie en het EU-fonds", &[]),
    ("Wet- en regelgeving", &[]),
    ("Wet en regelgeving moeten eenvoudiger", &[]),
    ("de klimaatwet en de wet", &[]),
    ("Besluit: de Kamer stemt in", &[]),
];

/// The INITIATIVE names these rules find. `known` tells the acronyms that name something on
/// their own (gazetteer forms and the document's defined short forms).
pub(crate) fn find(ctx: &Ctx, lex: &Lexicon, known: &dyn Fn(&str) -> bool) -> Vec<Entity> {
    // In order: the first rule that matches at a token gives the name.
    let rules: [(&'static str, &Finder); 7] = [
        ("law-title", &|i| titled_law(ctx, i)),
        ("regulation-title", &|i| titled_regulation(ctx, i)),
        ("numbered-regulation", &|i| numbered_regulation(ctx, i)),
        ("compound-law", &|i| compound_law(ctx, i)),
        ("law-abbreviation", &|i| law_abbreviation(ctx, lex, i)),
        ("named-instrument", &|i| named_instrument(ctx, lex, i)),
        ("acronym-programme", &|i| acronym_compound(ctx, i, known)),
    ];
    ctx.scan_rules(&rules)
        .into_iter()
        .map(|(i, last, rule)| Entity {
            span: ctx.span(i, last),
            label: Label::Initiative,
            score: RULE_SCORE,
            source: Source::Pattern,
            entity_id: None,
            rule: Some(rule),
        })
        .collect()
}

/// Function words that may sit inside a title but not end it.
fn inner_only(w: &str) -> bool {
    vocab::inner_preposition(w) || vocab::opens_title(w) || vocab::title_article(w) || w == "en"
}

/// A lower-case content word that can go on a title.
fn title_word(w: &str) -> bool {
    is_lower_word(w) && is_word(w) && !vocab::ends_title(w) && !inner_only(w)
}

fn year_token(w: &str) -> bool {
    super::tokens::year(w).is_some()
}

/// `Wet …` or `Besluit …` at `i`: returns the title's last token.
fn titled_law(ctx: &Ctx, i: usize) -> Option<usize> {
    let head = ctx.t(i);
    if head != "Wet" && head != "Besluit" {
        return None;
    }
    let sentence = ctx.sentence(i);
    let next = ctx.t(i + 1);
    if i + 1 >= sentence.end || ctx.glued(i) {
        return None;
    }
    if head == "Wet" && is_all_caps(next) && is_word(next) && next.chars().count() >= 2 {
        return Some(i + 1);
    }
    title_after(ctx, i, i)
}

/// `Regeling subsidie regionale samenwerking grensgebieden 2019`, `Beleidsregel …`,
/// `Tijdelijke subsidieregeling …` at `i`: a regulation's head word (`law-titles.tsv`, `head`,
/// after an optional `Tijdelijke`) and the lower-case words of its citation title, with its
/// year. Returns the title's last token.
fn titled_regulation(ctx: &Ctx, i: usize) -> Option<usize> {
    let mut head = i;
    if ctx.t(i) == "Tijdelijke" && !ctx.glued(i) {
        head = i + 1;
        if !vocab::is_regulation_head(&ctx.t(head).to_lowercase()) {
            return None;
        }
    } else if !(is_cap(ctx.t(i)) && vocab::is_regulation_head(ctx.t(i))) {
        return None;
    }
    let sentence = ctx.sentence(i);
    if head + 1 >= sentence.end || ctx.glued(head) {
        return None;
    }
    title_after(ctx, i, head)
}

/// The lower-case words of a title whose head runs from `i` to `head`: returns the title's
/// last token, or `None` where no title word follows.
///
/// The title takes lower-case content words; a preposition (after the first word) only
/// before a content word or an article; an article only right after a preposition; `en` only
/// before a content word. It stops at anything else, at ten words, or at the sentence's end.
fn title_after(ctx: &Ctx, i: usize, head: usize) -> Option<usize> {
    let sentence = ctx.sentence(i);
    let next = ctx.t(head + 1);
    if !(title_word(next) || vocab::opens_title(next)) {
        return None;
    }
    let mut last = head;
    let mut k = head + 1;
    while k < sentence.end && k <= head + 10 {
        let w = ctx.t(k);
        let after = if k + 1 < sentence.end {
            ctx.t(k + 1)
        } else {
            ""
        };
        let prev = ctx.t(k - 1);
        let ok = if k == head + 1 || title_word(w) {
            true
        } else if vocab::inner_preposition(w) {
            title_word(after) || vocab::title_article(after)
        } else if vocab::title_article(w) {
            vocab::inner_preposition(prev) || vocab::opens_title(prev)
        } else if w == "en" {
            title_word(after)
        } else {
            false
        };
        if !ok {
            break;
        }
        last = k;
        k += 1;
    }
    while last > head && inner_only(ctx.t(last)) {
        last -= 1;
    }
    if last == head {
        return None;
    }
    if last + 1 < sentence.end && year_token(ctx.t(last + 1)) {
        last += 1;
    }
    Some(last)
}

/// `Richtlijn 2011/95/EU`, `Verordening (EU) 2016/679` at `i`.
fn numbered_regulation(ctx: &Ctx, i: usize) -> Option<usize> {
    if !with_lower(ctx.t(i), vocab::is_numbered_head) {
        return None;
    }
    let mut k = i + 1;
    if ctx.t(k) == "(" && vocab::is_eu_law_mark(ctx.t(k + 1)) && ctx.t(k + 2) == ")" {
        k += 3;
    }
    let a = ctx.t(k);
    if !(digits_value(a).is_some()
        && ctx.glued(k)
        && ctx.t(k + 1) == "/"
        && ctx.glued(k + 1)
        && digits_value(ctx.t(k + 2)).is_some())
    {
        return None;
    }
    let mut last = k + 2;
    if ctx.glued(last)
        && ctx.t(last + 1) == "/"
        && ctx.glued(last + 1)
        && vocab::is_eu_law_mark(ctx.t(last + 2))
    {
        last += 2;
    }
    Some(last)
}

/// `Omgevingswet`, `Kwalificatierichtlijn`, `Vreemdelingenwet 2000` at `i`.
fn compound_law(ctx: &Ctx, i: usize) -> Option<usize> {
    let w = ctx.t(i);
    if !is_cap(w) || is_all_caps(w) || !is_word(w) {
        return None;
    }
    let law = with_lower(w, vocab::ends_in_law);
    if !law {
        return None;
    }
    let sentence = ctx.sentence(i);
    if i + 1 < sentence.end && year_token(ctx.t(i + 1)) && !ctx.glued(i) {
        return Some(i + 1);
    }
    Some(i)
}

/// `Wft`, `Wbp`, `Wwft` at `i`: a law's abbreviation.
fn law_abbreviation(ctx: &Ctx, lex: &Lexicon, i: usize) -> Option<usize> {
    let w = ctx.t(i);
    let rest = w.strip_prefix('W')?;
    if !(1..=4).contains(&rest.len()) || !rest.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if ctx.glued(i) && ctx.t(i + 1) == "/" || i > 0 && ctx.glued(i - 1) && ctx.t(i - 1) == "/" {
        return None;
    }
    // English words the Dutch word list does not hold (`What about the deadlines?`).
    let english = vocab::is_english_w_word(w);
    if english {
        return None;
    }
    let unknown = lex.get(w).flags == 0;
    unknown.then_some(i)
}

/// A Dutch adjective made from a name (`Amerikaanse`, `Europese`): the word list has it only
/// capitalised, and it ends in the inflection `-e`.
fn dutch_proper_adjective(lex: &Lexicon, w: &str) -> bool {
    w.ends_with('e') && {
        let flags = lex.get(w).flags;
        flags & LexEntry::PROPER != 0 && flags & (LexEntry::COMMON | LexEntry::ACRONYM) == 0
    }
}

/// A run of capitalised words ending in an instrument: two or more ending in an English head
/// noun (`Ukraine Support Loan`, `Defence Investment Plan`), or, not at the start of a
/// sentence, a Dutch compound ending in one (`Kolenfonds`, `Europese Veiligheidsstrategie`).
fn named_instrument(ctx: &Ctx, lex: &Lexicon, i: usize) -> Option<usize> {
    let sentence = ctx.sentence(i);
    let capitalised = |w: &str| is_cap(w) && !is_all_caps(w) && is_word(w) && !is_function_word(w);
    if !capitalised(ctx.t(i)) {
        return None;
    }
    // A run starts after a non-capitalised token, or after a Dutch proper adjective, which does
    // not belong to an English name (`het Amerikaanse Prioritised Ukraine Requirement List`).
    let prev = if i > sentence.start { ctx.t(i - 1) } else { "" };
    if capitalised(prev) && !ctx.glued(i - 1) && !dutch_proper_adjective(lex, prev) {
        return None;
    }
    let mut last = i;
    while last + 1 < sentence.end
        && last < i + 5
        && !ctx.glued(last)
        && !ctx.line_break_after(last)
        && capitalised(ctx.t(last + 1))
    {
        last += 1;
    }
    // Not the head of a hyphen compound: `Klimaatfonds-gelden`.
    if ctx.glued(last) && ctx.t(last + 1) == "-" {
        return None;
    }
    let head = ctx.t(last);
    if vocab::is_english_head(head) {
        return (last > i && !dutch_proper_adjective(lex, ctx.t(i))).then_some(last);
    }
    let dutch = with_lower(head, vocab::ends_in_instrument);
    (dutch && i > sentence.start).then_some(last)
}

/// `NABO-programma` at `i` (an unknown acronym joined to an instrument word).
fn acronym_compound(ctx: &Ctx, i: usize, known: &dyn Fn(&str) -> bool) -> Option<usize> {
    let acr = ctx.t(i);
    let letters = acr.chars().filter(|c| c.is_alphabetic()).count();
    if !(is_all_caps(acr) && is_word(acr) && (2..=6).contains(&letters)) || known(acr) {
        return None;
    }
    if i >= 1 && ctx.glued(i - 1) && ctx.t(i - 1) == "-" {
        return None;
    }
    let joined = ctx.glued(i) && ctx.t(i + 1) == "-" && ctx.glued(i + 1);
    let tail = ctx.t(i + 2);
    // The compound must end there: `NABO-programma`, not `NABO-programmagelden`.
    (joined && vocab::is_acronym_instrument(tail) && !(ctx.glued(i + 2) && ctx.t(i + 3) == "-"))
        .then_some(i + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    #[test]
    fn name_rule_examples() {
        let known = |w: &str| ["PURL", "NAVO", "EU"].contains(&w);
        let seg = Segmenter::new();
        let mut failures = Vec::new();
        for (text, expected) in EXAMPLES {
            let s = seg.segment(text);
            let ctx = Ctx::new(text, &s.tokens, &s.sentences);
            let got: Vec<&str> = find(&ctx, &Lexicon::embedded().unwrap(), &known)
                .into_iter()
                .map(|e| &text[e.span.bytes()])
                .collect();
            if got != *expected {
                failures.push(format!("{text:?}: expected {expected:?}, found {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
