//! The domain layer's vocabulary: the word lists its rules read, as data.
//!
//! Each list is a file of `models/domain/` (one vocabulary a file, its header saying what it is
//! for and where it comes from) or the head-word table `models/lexicon/heads.tsv`, which the
//! CRF's features share ([`crate::model::crf::heads`]). The files are compiled in and parsed once,
//! on first use. This module is the leaf of the domain layer: it imports nothing from it, so no
//! rule module needs another for a word list.
//!
//! A file is UTF-8 text of tab-separated columns; lines starting with `#` and blank lines are
//! skipped. A malformed line is a bug in the shipped data, caught by this module's tests.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::doc::Label;

/// The head-word table, shared with the CRF.
static HEADS_TSV: &str = include_str!("../../../../models/lexicon/heads.tsv");

macro_rules! domain_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../../models/domain/", $name)),
        )
    };
}

/// The rows of a data file: its non-comment lines split at tabs.
fn rows(file: (&'static str, &'static str)) -> impl Iterator<Item = Vec<&'static str>> {
    file.1
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// The words of a one-column file.
fn words(file: (&'static str, &'static str)) -> HashSet<&'static str> {
    rows(file).map(|r| r[0]).collect()
}

/// The words of a `word<TAB>kind` file that have `kind`.
fn kind(file: (&'static str, &'static str), kind: &str) -> HashSet<&'static str> {
    rows(file)
        .filter(|r| r.get(1) == Some(&kind))
        .map(|r| r[0])
        .collect()
}

/// How a head word matches a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// Not at all.
    No,
    /// The word itself.
    Whole,
    /// The word itself, or the end of a compound.
    Compound,
}

impl Match {
    fn parse(s: &str) -> Match {
        match s {
            "whole" => Match::Whole,
            "compound" => Match::Compound,
            "-" => Match::No,
            other => panic!("models/lexicon/heads.tsv: unknown match {other:?}"),
        }
    }
}

/// One row of the head-word table.
#[derive(Clone, Debug)]
pub(crate) struct HeadWord {
    /// The word, lower case.
    pub word: &'static str,
    /// The kind of name it heads.
    pub label: Label,
    /// How the CRF's feature matches it.
    pub crf: Match,
    /// How the domain layer's head label matches it.
    pub domain: Match,
    /// What the name rules use it for (`english`, `end`, `acronym`, `numbered`, `law-end`).
    pub names: Vec<&'static str>,
}

/// The rows of the head-word table, in its order.
pub(crate) fn head_words() -> &'static [HeadWord] {
    static HEADS: LazyLock<Vec<HeadWord>> = LazyLock::new(|| {
        rows(("heads.tsv", HEADS_TSV))
            .map(|r| {
                let [word, class, crf, domain, names] = r[..] else {
                    panic!("models/lexicon/heads.tsv: bad line {r:?}");
                };
                let label = match class {
                    "INITIATIVE" => Label::Initiative,
                    "ORG" => Label::Org,
                    "LOC" => Label::Loc,
                    "MISC" => Label::Misc,
                    other => panic!("models/lexicon/heads.tsv: unknown class {other:?}"),
                };
                HeadWord {
                    word,
                    label,
                    crf: Match::parse(crf),
                    domain: Match::parse(domain),
                    names: names.split(',').filter(|n| *n != "-").collect(),
                }
            })
            .collect()
    });
    &HEADS
}

/// Every word list of the domain layer, parsed.
struct Vocab {
    function_words: HashSet<&'static str>,
    articles: HashSet<&'static str>,
    minister_roles: HashSet<&'static str>,
    staff_roles: HashSet<&'static str>,
    staff_role_ends: Vec<&'static str>,
    office_roles: HashSet<&'static str>,
    title_stops: HashSet<&'static str>,
    title_openers: HashSet<&'static str>,
    regulation_heads: HashSet<&'static str>,
    title_inner: HashSet<&'static str>,
    title_articles: HashSet<&'static str>,
    english_w_words: HashSet<&'static str>,
    eu_law_marks: HashSet<&'static str>,
    signature_particles: HashSet<&'static str>,
    role_name_particles: HashSet<&'static str>,
    motion_heading_words: HashSet<&'static str>,
    currencies_before: HashSet<&'static str>,
    currencies_after: HashSet<&'static str>,
    scales: HashSet<&'static str>,
    number_words: HashSet<&'static str>,
    percent_units: HashSet<&'static str>,
    dutch_months: HashMap<&'static str, u8>,
    english_months: HashMap<&'static str, u8>,
    weekdays: HashSet<&'static str>,
    date_suffixes: HashSet<&'static str>,
    number_context: HashSet<&'static str>,
    paper_numbers: HashSet<&'static str>,
    /// `Capitalised` English instrument heads (`Loan`).
    english_heads: HashSet<String>,
    instrument_ends: Vec<&'static str>,
    acronym_instruments: HashSet<&'static str>,
    numbered_heads: HashSet<&'static str>,
    law_ends: Vec<&'static str>,
    /// The domain's head words, in the table's order.
    domain_heads: Vec<(&'static str, Label, bool)>,
}

fn vocab() -> &'static Vocab {
    static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
        let roles = domain_file!("roles.tsv");
        let titles = domain_file!("law-titles.tsv");
        let particles = domain_file!("surname-particles.tsv");
        let currencies = domain_file!("currencies.tsv");
        let months = |lang: &str| {
            rows(domain_file!("months.tsv"))
                .filter(|r| r[2] == lang)
                .map(|r| {
                    (
                        r[0],
                        r[1].parse().expect("models/domain/months.tsv: a month"),
                    )
                })
                .collect()
        };
        let heads = head_words();
        let named = |flag: &'static str| heads.iter().filter(move |h| h.names.contains(&flag));
        Vocab {
            function_words: words(domain_file!("function-words.tsv")),
            articles: words(domain_file!("articles.tsv")),
            minister_roles: kind(roles, "minister"),
            staff_roles: kind(roles, "staff"),
            staff_role_ends: kind(roles, "staff-end").into_iter().collect(),
            office_roles: kind(roles, "office"),
            title_stops: kind(titles, "stop"),
            title_openers: kind(titles, "opens"),
            regulation_heads: kind(titles, "head"),
            title_inner: kind(titles, "inner"),
            title_articles: kind(titles, "article"),
            english_w_words: words(domain_file!("english-w-words.tsv")),
            eu_law_marks: words(domain_file!("eu-law-marks.tsv")),
            signature_particles: kind(particles, "signature"),
            role_name_particles: kind(particles, "role-name"),
            motion_heading_words: words(domain_file!("motion-headings.tsv")),
            currencies_before: kind(currencies, "before"),
            currencies_after: kind(currencies, "after"),
            scales: words(domain_file!("scales.tsv")),
            number_words: words(domain_file!("number-words.tsv")),
            percent_units: words(domain_file!("percent-units.tsv")),
            dutch_months: months("nl"),
            english_months: months("en"),
            weekdays: words(domain_file!("weekdays.tsv")),
            date_suffixes: words(domain_file!("date-suffixes.tsv")),
            number_context: words(domain_file!("number-context.tsv")),
            paper_numbers: words(domain_file!("paper-numbers.tsv")),
            english_heads: named("english").map(|h| capitalised(h.word)).collect(),
            instrument_ends: named("end").map(|h| h.word).collect(),
            acronym_instruments: named("acronym").map(|h| h.word).collect(),
            numbered_heads: named("numbered").map(|h| h.word).collect(),
            law_ends: named("law-end").map(|h| h.word).collect(),
            domain_heads: heads
                .iter()
                .filter(|h| h.domain != Match::No)
                .map(|h| (h.word, h.label, h.domain == Match::Compound))
                .collect(),
        }
    });
    &VOCAB
}

fn capitalised(w: &str) -> String {
    let mut cs = w.chars();
    cs.next()
        .map(|c| c.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// Dutch and English function words: articles, prepositions, conjunctions
/// (`function-words.tsv`). They may sit in a long form without giving a letter to its acronym,
/// and never start or end a name.
pub(crate) fn is_function_word(w: &str) -> bool {
    with_lower(w, |l| vocab().function_words.contains(l))
}

/// An article that may open an acronym's long form (`articles.tsv`), any case.
pub(crate) fn is_article(w: &str) -> bool {
    with_lower(w, |l| vocab().articles.contains(l))
}

/// A role held by a member of government: the portfolio after it is no organisation
/// (`roles.tsv`, `minister`).
pub(crate) fn is_ministerial_role(w: &str) -> bool {
    with_lower(w, |l| vocab().minister_roles.contains(l))
}

/// A role held by staff of a body, which names no unit on its own (`roles.tsv`, `staff` and
/// `staff-end`).
pub(crate) fn is_staff_role(w: &str) -> bool {
    with_lower(w, |l| {
        let v = vocab();
        v.staff_roles.contains(l) || v.staff_role_ends.iter().any(|m| l.ends_with(m))
    })
}

/// A role held in a ministry or body (`minister van Defensie`, `secretaris-generaal van ...`):
/// `roles.tsv`, `minister` and `office`.
pub(crate) fn is_role_word(w: &str) -> bool {
    is_ministerial_role(w) || with_lower(w, |l| vocab().office_roles.contains(l))
}

/// A word that ends a law's title (`law-titles.tsv`, `stop`), as written.
pub(crate) fn ends_title(w: &str) -> bool {
    vocab().title_stops.contains(w)
}

/// A word a law's title may open with (`law-titles.tsv`, `opens`), as written.
pub(crate) fn opens_title(w: &str) -> bool {
    vocab().title_openers.contains(w)
}

/// A regulation's head word that a citation title follows (`law-titles.tsv`, `head`), as
/// written (`Regeling`, `Subsidieregeling`; lower-case after `Tijdelijke`).
pub(crate) fn is_regulation_head(w: &str) -> bool {
    vocab().regulation_heads.contains(w)
}

/// A preposition inside a law's title (`law-titles.tsv`, `inner`), as written.
pub(crate) fn inner_preposition(w: &str) -> bool {
    vocab().title_inner.contains(w)
}

/// An article inside a law's title (`law-titles.tsv`, `article`), as written.
pub(crate) fn title_article(w: &str) -> bool {
    vocab().title_articles.contains(w)
}

/// An English word in `W` that is no law abbreviation (`english-w-words.tsv`), any case.
pub(crate) fn is_english_w_word(w: &str) -> bool {
    with_lower(w, |l| vocab().english_w_words.contains(l))
}

/// A mark of European law (`EU`, `EG`; `eu-law-marks.tsv`), as written.
pub(crate) fn is_eu_law_mark(w: &str) -> bool {
    vocab().eu_law_marks.contains(w)
}

/// A particle inside a surname in a motion (`surname-particles.tsv`, `signature`), any case.
pub(crate) fn is_signature_particle(w: &str) -> bool {
    with_lower(w, |l| vocab().signature_particles.contains(l))
}

/// A particle inside a minister's name (`surname-particles.tsv`, `role-name`), as written.
pub(crate) fn is_role_name_particle(w: &str) -> bool {
    vocab().role_name_particles.contains(w)
}

/// A word before `MOTIE VAN ...` in a motion's heading (`motion-headings.tsv`), as written.
pub(crate) fn is_motion_heading_word(w: &str) -> bool {
    vocab().motion_heading_words.contains(w)
}

/// A currency written before the amount (`currencies.tsv`, `before`), as written.
pub(crate) fn is_currency_before(w: &str) -> bool {
    vocab().currencies_before.contains(w)
}

/// A currency written after the amount (`currencies.tsv`, `after`), as written.
pub(crate) fn is_currency_after(w: &str) -> bool {
    vocab().currencies_after.contains(w)
}

/// A scale word (`miljoen`, `mld.`; `scales.tsv`), any case.
pub(crate) fn is_scale(w: &str) -> bool {
    with_lower(w, |l| vocab().scales.contains(l))
}

/// A number word (`twee`, `anderhalf`; `number-words.tsv`), any case.
pub(crate) fn is_number_word(w: &str) -> bool {
    with_lower(w, |l| vocab().number_words.contains(l))
}

/// A word for per cent (`procent`; `percent-units.tsv`), given lower case.
pub(crate) fn is_percent_unit(lower: &str) -> bool {
    vocab().percent_units.contains(lower)
}

/// The month (1–12) a Dutch name or abbreviation names, given lower case without a final dot
/// (`months.tsv`, `nl`).
pub(crate) fn dutch_month(bare: &str) -> Option<u8> {
    vocab().dutch_months.get(bare).copied()
}

/// The month (1–12) an English name names, given lower case (`months.tsv`, `en`).
pub(crate) fn english_month(lower: &str) -> Option<u8> {
    vocab().english_months.get(lower).copied()
}

/// A Dutch weekday (`weekdays.tsv`), any case.
pub(crate) fn is_weekday(w: &str) -> bool {
    with_lower(w, |l| vocab().weekdays.contains(l))
}

/// A word that closes a date (`jl.`, `a.s.`; `date-suffixes.tsv`), as written.
pub(crate) fn is_date_suffix(w: &str) -> bool {
    vocab().date_suffixes.contains(w)
}

/// A word after which a four-digit number is no year (`number-context.tsv`), any case.
pub(crate) fn is_number_context(w: &str) -> bool {
    with_lower(w, |l| vocab().number_context.contains(l))
}

/// The word for a paper's number (`nr.`; `paper-numbers.tsv`), as written.
pub(crate) fn is_paper_number(w: &str) -> bool {
    vocab().paper_numbers.contains(w)
}

/// A capitalised English instrument head (`Loan`, `Plan`; heads.tsv `english`), as written.
pub(crate) fn is_english_head(w: &str) -> bool {
    vocab().english_heads.contains(w)
}

/// Whether a lower-case word is a Dutch compound ending in an instrument (`kolenfonds`), with
/// at least four letters before the end (heads.tsv `end`).
pub(crate) fn ends_in_instrument(lower: &str) -> bool {
    vocab()
        .instrument_ends
        .iter()
        .any(|e| lower.len() >= e.len() + 4 && lower.ends_with(e))
}

/// An instrument word after `ACRONYM-` (`programma`; heads.tsv `acronym`), as written.
pub(crate) fn is_acronym_instrument(w: &str) -> bool {
    vocab().acronym_instruments.contains(w)
}

/// A numbered regulation's head (`richtlijn`; heads.tsv `numbered`), given lower case.
pub(crate) fn is_numbered_head(lower: &str) -> bool {
    vocab().numbered_heads.contains(lower)
}

/// Whether a lower-case word is a compound law's name (`omgevingswet`), with at least three
/// letters before the end (heads.tsv `law-end`).
pub(crate) fn ends_in_law(lower: &str) -> bool {
    vocab()
        .law_ends
        .iter()
        .any(|e| lower.len() >= e.len() + 3 && lower.ends_with(e))
}

/// The label the head words of a long form suggest: the last word, then the first, then the
/// others from the end (heads.tsv `domain`).
pub(crate) fn head_label(words: &[&str]) -> Option<Label> {
    let n = words.len();
    if n == 0 {
        return None;
    }
    let mut order = vec![n - 1];
    if n > 1 {
        order.push(0);
    }
    order.extend((1..n.saturating_sub(1)).rev());
    order.into_iter().find_map(|k| word_head(words[k]))
}

fn word_head(word: &str) -> Option<Label> {
    let heads = &vocab().domain_heads;
    let w = word.to_lowercase();
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(&w);
    let matches = |w: &str, &(head, _, compound): &(&str, Label, bool)| {
        w == head || (compound && w.len() >= head.len() + 3 && w.ends_with(head))
    };
    if let Some(&(_, label, _)) = heads.iter().find(|h| matches(w, h)) {
        return Some(label);
    }
    // Plurals of Dutch heads: `mobiliteitsteams`, `programma's`.
    let singular = w.strip_suffix('s').filter(|s| s.len() >= 3)?;
    heads
        .iter()
        .find(|h| matches(singular, h))
        .map(|&(_, l, _)| l)
}

/// Calls `f` with `w` lower-cased exactly as [`str::to_lowercase`] does, without allocating
/// when `w` is ASCII of up to 32 bytes (nearly every token): the rules compare a lower-cased
/// form of most tokens with fixed lists, and a `String` per comparison was the largest cost of
/// the domain layer.
pub(crate) fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    const MAX: usize = 32;
    if !w.is_ascii() || w.len() > MAX {
        return f(&w.to_lowercase());
    }
    if !w.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(w);
    }
    let mut buf = [0u8; MAX];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    // ASCII stays ASCII when lower-cased, so this never fails.
    f(std::str::from_utf8(lower).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_every_list_is_filled() {
        let v = vocab();
        for (name, n) in [
            ("function words", v.function_words.len()),
            ("articles", v.articles.len()),
            ("minister roles", v.minister_roles.len()),
            ("staff roles", v.staff_roles.len()),
            ("staff role ends", v.staff_role_ends.len()),
            ("office roles", v.office_roles.len()),
            ("title stops", v.title_stops.len()),
            ("title openers", v.title_openers.len()),
            ("regulation heads", v.regulation_heads.len()),
            ("title inner", v.title_inner.len()),
            ("title articles", v.title_articles.len()),
            ("english w words", v.english_w_words.len()),
            ("eu law marks", v.eu_law_marks.len()),
            ("signature particles", v.signature_particles.len()),
            ("role-name particles", v.role_name_particles.len()),
            ("motion headings", v.motion_heading_words.len()),
            ("currencies before", v.currencies_before.len()),
            ("currencies after", v.currencies_after.len()),
            ("scales", v.scales.len()),
            ("number words", v.number_words.len()),
            ("percent units", v.percent_units.len()),
            ("dutch months", v.dutch_months.len()),
            ("english months", v.english_months.len()),
            ("weekdays", v.weekdays.len()),
            ("date suffixes", v.date_suffixes.len()),
            ("number context", v.number_context.len()),
            ("paper numbers", v.paper_numbers.len()),
            ("english heads", v.english_heads.len()),
            ("instrument ends", v.instrument_ends.len()),
            ("acronym instruments", v.acronym_instruments.len()),
            ("numbered heads", v.numbered_heads.len()),
            ("law ends", v.law_ends.len()),
            ("domain heads", v.domain_heads.len()),
        ] {
            assert!(n > 0, "{name} is empty");
        }
        assert_eq!(dutch_month("sept"), Some(9));
        assert_eq!(english_month("may"), Some(5));
    }

    #[test]
    fn head_labels() {
        assert_eq!(head_label(&["Raad", "van", "State"]), Some(Label::Org));
        assert_eq!(head_label(&["Klimaatfonds"]), Some(Label::Initiative));
        assert_eq!(head_label(&["programma's"]), Some(Label::Initiative));
        assert_eq!(head_label(&["Veiligheidsregio"]), Some(Label::Org));
        assert_eq!(head_label(&["Metropoolregio"]), Some(Label::Loc));
        assert_eq!(head_label(&["Postcode"]), None);
        assert!(is_english_head("Pledge") && !is_english_head("pledge"));
        assert!(ends_in_instrument("kolenfonds") && !ends_in_instrument("fonds"));
    }
}
