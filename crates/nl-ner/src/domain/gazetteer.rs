//! Gazetteers: lists of known names (organisations, international bodies, places, policy
//! instruments) matched over the document's tokens.
//!
//! # File format
//!
//! UTF-8 text. Lines starting with `#` are comments: every file opens with a header naming the
//! source of its knowledge and its licence. Blank lines are skipped. Every other line is
//!
//! ```text
//! name<TAB>LABEL<TAB>canonical-id<TAB>aliases separated by |<TAB>same-as IRI
//! ```
//!
//! `LABEL` is a name label (`PER`, `ORG`, `LOC`, `MISC`, `INITIATIVE`); `canonical-id` (for
//! example `org:navo`) identifies the entity for the linking step, and every alias shares it.
//! The aliases column may be empty or missing; so may the fifth column, the entity's IRI in a
//! knowledge base or register (Wikidata, TOOI, wetten.overheid.nl), which
//! [`Gazetteer::same_as`] gives for a canonical id. The built-in lists live in `models/gazetteers/`
//! and are compiled into the binary; `--gazetteer FILE` adds more ([`Gazetteer::add_file`]),
//! and a user entry wins over a built-in one with the same form.
//!
//! # Matching
//!
//! Names are split into tokens by the same segmenter as the documents, so `Staten-Generaal`
//! is `Staten` `-` `Generaal` in both, and a name inside a hyphen compound is found on its own
//! (`EU-steun` → `EU`, `NAVO-top` → `NAVO`). At each token the longest form that matches wins,
//! then matching goes on after it. Matching is case-sensitive; white space between tokens may
//! be any white space (a line break inside a name does not split it, a blank line does) but
//! must be there where the name has it and absent where it does not. In text written in
//! capitals only (`EUROPESE RAAD`), forms of two or more tokens also match in capitals (single
//! words do not: signatures in capitals are surnames, `ASSEN` for `Dassen`).
//!
//! The forms of a ministry (ids starting with `org:min-`) without the word `ministerie`
//! (`Defensie`, `Buitenlandse Zaken`, `JenV`) are skipped where they name a role rather than
//! the ministry acting: after `minister van`, `staatssecretaris van`, `Secretaris-Generaal
//! voor … en` (`minister van Defensie` is no entity), as the tail of a hyphen compound
//! (`RBZ-Defensie`), and after an acronym or a capitalised word on the same line, where they
//! name a formation (`RBZ Defensie`, `NAVO Defensie Ministeriele bijeenkomst`, `Raad van
//! Buitenlandse Zaken Defensie`).
//!
//! A one-word place followed, after a space, by a capitalised word is a modifier inside a
//! longer name and is skipped (`Ukraine Support Loan`, `Arctic Sentry`).
//!
//! The forms are compiled once into a map from first token to the forms starting with it,
//! longest first, so building is linear in the size of the lists and matching is one hash
//! look-up per token.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::tokens::{Ctx, is_all_caps, is_cap};
use super::vocab;
use crate::doc::{Entity, Label, Source};
use crate::error::{Error, Result};
use crate::segment::Segmenter;

/// The largest gazetteer file read (a million entries take about 100 MiB).
pub const MAX_GAZETTEER_BYTES: u64 = 1 << 30;

/// The score of a gazetteer entity.
pub const GAZETTEER_SCORE: f32 = 0.9;

/// The built-in gazetteers: file name and contents. The lists generated from the official
/// registers (`scripts/gazetteers/build.py`, `models/gazetteers/README.md`) come first, so that
/// the hand-written lists, added after them, win where both have a form.
const BUILTIN: &[(&str, &str)] = &[
    (
        "register-politicians.tsv",
        include_str!("../../../../models/gazetteers/register-politicians.tsv"),
    ),
    (
        "register-organisations-local.tsv",
        include_str!("../../../../models/gazetteers/register-organisations-local.tsv"),
    ),
    (
        "register-organisations.tsv",
        include_str!("../../../../models/gazetteers/register-organisations.tsv"),
    ),
    (
        "register-places.tsv",
        include_str!("../../../../models/gazetteers/register-places.tsv"),
    ),
    (
        "register-parties.tsv",
        include_str!("../../../../models/gazetteers/register-parties.tsv"),
    ),
    (
        "register-eu-programmes.tsv",
        include_str!("../../../../models/gazetteers/register-eu-programmes.tsv"),
    ),
    (
        "register-laws.tsv",
        include_str!("../../../../models/gazetteers/register-laws.tsv"),
    ),
    (
        "organisations.tsv",
        include_str!("../../../../models/gazetteers/organisations.tsv"),
    ),
    (
        "international.tsv",
        include_str!("../../../../models/gazetteers/international.tsv"),
    ),
    (
        "places.tsv",
        include_str!("../../../../models/gazetteers/places.tsv"),
    ),
    (
        "initiatives.tsv",
        include_str!("../../../../models/gazetteers/initiatives.tsv"),
    ),
];

/// One line of a gazetteer file: a name, its label, its canonical id and its aliases.
#[derive(Clone, Debug, PartialEq)]
pub struct GazetteerEntry {
    /// The preferred name.
    pub name: String,
    /// The label every form gets.
    pub label: Label,
    /// The canonical id shared by the name and its aliases (`org:navo`).
    pub id: String,
    /// Other forms of the same entity (`NATO`, `Noord-Atlantische Verdragsorganisatie`).
    pub aliases: Vec<String>,
    /// The entity in a knowledge base or register, as an IRI (the optional fifth column): a
    /// Wikidata entity (`http://www.wikidata.org/entity/Q1037511`), else the register's own
    /// (a TOOI or `wetten.overheid.nl` URI). [`Gazetteer::same_as`] finds it by canonical id.
    pub same_as: Option<String>,
}

/// One matchable form (the name or an alias) of an entry, as tokens.
#[derive(Clone, Debug)]
struct Form {
    entry: usize,
    words: Vec<String>,
    /// `spaced[k]`: white space between `words[k]` and `words[k + 1]`.
    spaced: Vec<bool>,
    /// A ministry's short form, not matched in a role.
    role_sensitive: bool,
    /// Also matched in capitals-only text.
    caps_variant: bool,
}

/// A match of a gazetteer form in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct GazetteerMatch {
    /// The entity found (source [`Source::Gazetteer`]).
    pub entity: Entity,
    /// The canonical id of the entry matched.
    pub id: String,
}

/// Compiled gazetteers.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    forms: Vec<Form>,
    /// First token → forms starting with it, longest first, later-added first among equals.
    by_first: HashMap<String, Vec<usize>>,
    /// Upper-cased first token → forms that may also match in capitals.
    by_first_caps: HashMap<String, Vec<usize>>,
    /// Exact surface form → entry.
    by_surface: HashMap<String, usize>,
    /// Canonical id → same-as IRI (the first entry of that id that has one).
    same_as: HashMap<String, String>,
}

impl Gazetteer {
    /// No entries.
    pub fn empty() -> Self {
        Gazetteer::default()
    }

    /// The built-in lists of `models/gazetteers/`.
    pub fn builtin() -> Result<Self> {
        let mut g = Gazetteer::empty();
        let seg = Segmenter::new();
        for (file, source) in BUILTIN {
            let entries = parse(source, Path::new("models/gazetteers").join(file))?;
            g.add_entries(entries, &seg);
        }
        Ok(g)
    }

    /// Adds the entries of a gazetteer file (same format as the built-in ones). Its forms win
    /// over forms of the same tokens added before.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let bytes = crate::files::read_regular_file(path, MAX_GAZETTEER_BYTES)
            .map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..valid];
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            Error::Data {
                path: path.to_path_buf(),
                line: before.iter().filter(|&&b| b == b'\n').count() + 1,
                reason: format!(
                    "not valid UTF-8 (invalid byte sequence at byte {} of the line)",
                    valid - line_start + 1
                ),
            }
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let entries = parse(text, path.to_path_buf())?;
        self.add_entries(entries, &Segmenter::new());
        Ok(())
    }

    /// Adds entries; their forms win over earlier forms of the same tokens. Each form is appended
    /// to its first token's list, and the lists touched are sorted once at the end, so that
    /// adding is linear in the number of forms (up to the sort), however many share a first token.
    pub fn add_entries(&mut self, entries: Vec<GazetteerEntry>, seg: &Segmenter) {
        let mut touched: Vec<String> = Vec::new();
        let mut touched_caps: Vec<String> = Vec::new();
        for entry in entries {
            let index = self.entries.len();
            if let Some(iri) = &entry.same_as {
                self.same_as
                    .entry(entry.id.clone())
                    .or_insert_with(|| iri.clone());
            }
            let ministry = entry.id.starts_with("org:min-");
            for surface in std::iter::once(&entry.name).chain(&entry.aliases) {
                let spans: Vec<_> = seg.tokens(surface).collect();
                if spans.is_empty() {
                    continue;
                }
                let words: Vec<String> = spans
                    .iter()
                    .map(|s| surface[s.bytes()].to_string())
                    .collect();
                let spaced = spans
                    .windows(2)
                    .map(|w| w[0].byte_end != w[1].byte_start)
                    .collect();
                let form = Form {
                    entry: index,
                    role_sensitive: ministry && !surface.to_lowercase().contains("ministerie"),
                    caps_variant: !is_all_caps(surface) && words.len() >= 2,
                    words,
                    spaced,
                };
                let f = self.forms.len();
                self.by_surface.insert(surface.clone(), index);
                push_form(&mut self.by_first, &form.words[0], f, &mut touched);
                if form.caps_variant {
                    let key = form.words[0].to_uppercase();
                    push_form(&mut self.by_first_caps, &key, f, &mut touched_caps);
                }
                self.forms.push(form);
            }
            self.entries.push(entry);
        }
        sort_lists(&mut self.by_first, touched, &self.forms);
        sort_lists(&mut self.by_first_caps, touched_caps, &self.forms);
    }

    /// Every entry, in the order added.
    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    /// The entry one of whose forms is exactly `surface` (white space runs count as one space).
    pub fn lookup(&self, surface: &str) -> Option<&GazetteerEntry> {
        if let Some(&e) = self.by_surface.get(surface) {
            return self.entries.get(e);
        }
        let normal = surface.split_whitespace().collect::<Vec<_>>().join(" ");
        self.by_surface
            .get(&normal)
            .and_then(|&e| self.entries.get(e))
    }

    /// The knowledge-base IRI of the entity with canonical id `id` (`org:min-fin` →
    /// `http://www.wikidata.org/entity/Q1037511`), where a gazetteer gives one: what an
    /// `owl:sameAs` of a linked entity points to.
    pub fn same_as(&self, id: &str) -> Option<&str> {
        self.same_as.get(id).map(String::as_str)
    }

    /// Whether `word` is a one-token form of some entry.
    pub fn knows(&self, word: &str) -> bool {
        self.by_surface.contains_key(word)
    }

    /// The gazetteer matches of a document, with their canonical ids (for the linking step).
    /// A document without valid tokens is segmented first.
    pub fn matches(&self, doc: &crate::doc::Document) -> Vec<GazetteerMatch> {
        super::tokens::with_ctx(doc, None, |ctx| self.find(ctx))
    }

    /// The entities the gazetteer finds in a segmented text.
    pub(crate) fn find(&self, ctx: &Ctx) -> Vec<GazetteerMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ctx.len() {
            match self.longest_at(ctx, i) {
                Some((f, last)) => {
                    let form = &self.forms[f];
                    let entry = &self.entries[form.entry];
                    if (form.role_sensitive && in_role(ctx, i))
                        || (entry.label == Label::Loc && inside_longer_name(ctx, i, last))
                        || (entry.label == Label::Org && i == last && compound_tail(ctx, i))
                    {
                        i += 1;
                        continue;
                    }
                    out.push(GazetteerMatch {
                        entity: Entity::new(
                            ctx.span(i, last),
                            entry.label,
                            GAZETTEER_SCORE,
                            Source::Gazetteer,
                        ),
                        id: entry.id.clone(),
                    });
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The longest form matching at token `i`: its index and last token.
    fn longest_at(&self, ctx: &Ctx, i: usize) -> Option<(usize, usize)> {
        let w = ctx.t(i);
        let mut best: Option<(usize, usize)> = None;
        if let Some(cands) = self.by_first.get(w) {
            for &f in cands {
                let form = &self.forms[f];
                if let Some(last) = ctx.match_words(i, &form.words, &form.spaced, false) {
                    best = Some((f, last));
                    break;
                }
            }
        }
        if is_all_caps(w)
            && let Some(cands) = self.by_first_caps.get(w)
        {
            for &f in cands {
                let form = &self.forms[f];
                if best.is_some_and(|(_, l)| l + 1 >= i + form.words.len()) {
                    break;
                }
                if let Some(last) = ctx.match_words(i, &form.words, &form.spaced, true) {
                    best = Some((f, last));
                    break;
                }
            }
        }
        best
    }
}

/// Appends form `f` to the list under `key`, noting the key when the list then needs sorting.
fn push_form(
    map: &mut HashMap<String, Vec<usize>>,
    key: &str,
    f: usize,
    touched: &mut Vec<String>,
) {
    match map.get_mut(key) {
        Some(list) => {
            list.push(f);
            if touched.last().is_none_or(|t| t != key) {
                touched.push(key.to_string());
            }
        }
        None => {
            map.insert(key.to_string(), vec![f]);
        }
    }
}

/// Orders each list under `keys` longest form first and, among forms of one length, the latest
/// added first (forms are numbered in the order added).
fn sort_lists(map: &mut HashMap<String, Vec<usize>>, mut keys: Vec<String>, forms: &[Form]) {
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        if let Some(list) = map.get_mut(&key) {
            list.sort_unstable_by_key(|&g| {
                (
                    std::cmp::Reverse(forms[g].words.len()),
                    std::cmp::Reverse(g),
                )
            });
        }
    }
}

/// Whether the ministry form starting at token `i` sits in a role (`minister van Defensie`,
/// `Secretaris-Generaal voor Vrede, Veiligheid en Defensie`) or a compound tail (`RBZ-Defensie`).
fn in_role(ctx: &Ctx, i: usize) -> bool {
    if i >= 1 && ctx.t(i - 1) == "-" && ctx.glued(i - 1) {
        return true;
    }
    // A formation or sector of a body named by an acronym: `RBZ Defensie`, `NAVO Defensie`,
    // `Raad van Buitenlandse Zaken (RBZ) Defensie`.
    let acronym =
        |w: &str| w.chars().count() >= 2 && is_all_caps(w) && w.chars().all(char::is_alphanumeric);
    if i >= 1
        && (acronym(ctx.t(i - 1))
            || (ctx.t(i - 1) == ")" && i >= 3 && acronym(ctx.t(i - 2)) && ctx.t(i - 3) == "("))
    {
        return true;
    }
    // The tail of a longer name on the same line: `Raad van Buitenlandse Zaken Defensie`.
    if i >= 1 && ctx.sentence(i).start < i && !ctx.line_break_after(i - 1) {
        let p = ctx.t(i - 1);
        if is_cap(p) && !super::tokens::is_function_word(p) && p.chars().all(char::is_alphabetic) {
            return true;
        }
    }
    ctx.name_list_start(i).is_some_and(|k| {
        matches!(ctx.t(k - 1), "van" | "voor") && k >= 2 && vocab::is_role_word(ctx.t(k - 2))
    }) || super::repair::in_ministerial_role(ctx, i)
}

/// Whether the one-word name at `i` is the tail of a hyphen compound after a capitalised word
/// or acronym (`EP-Nuffic`, `RBZ-Defensie`): the compound is the name (annotation guideline:
/// the outermost name), not the body the tail names on its own.
fn compound_tail(ctx: &Ctx, i: usize) -> bool {
    i >= 2 && ctx.t(i - 1) == "-" && ctx.glued(i - 1) && ctx.glued(i - 2) && is_cap(ctx.t(i - 2))
}

/// Whether a one-token place at `i..=last` is a modifier inside a longer name: the next token,
/// after a space on the same line and in the same table cell, is a capitalised word that is not an article or preposition
/// (`Ukraine Support Loan`, `Arctic Sentry`, but not `Oekraïne en`, `Nederland, Den Haag`).
fn inside_longer_name(ctx: &Ctx, i: usize, last: usize) -> bool {
    let sentence = ctx.sentence(i);
    let next = ctx.t(last + 1);
    i == last
        && last + 1 < sentence.end
        && !ctx.glued(last)
        && !ctx.line_break_after(last)
        && !ctx.cell_break_after(last)
        && is_cap(next)
        && !is_all_caps(next)
        && next.chars().all(char::is_alphabetic)
        && !super::tokens::is_function_word(next)
}

/// Parses a gazetteer file's text; `path` names it in errors.
pub fn parse(text: &str, path: impl Into<PathBuf>) -> Result<Vec<GazetteerEntry>> {
    let path = path.into();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: String| Error::Data {
            path: path.clone(),
            line: n + 1,
            reason,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        if !(3..=5).contains(&fields.len()) {
            return Err(bad(format!(
                "expected name<TAB>LABEL<TAB>canonical-id<TAB>aliases<TAB>same-as, found {} field(s)",
                fields.len()
            )));
        }
        let name = fields[0].trim();
        if name.is_empty() {
            return Err(bad("empty name".into()));
        }
        let label: Label = fields[1]
            .trim()
            .parse()
            .map_err(|e: crate::doc::UnknownLabel| bad(e.to_string()))?;
        if !label.is_name() {
            return Err(bad(format!("{label} is a pattern label, not a name label")));
        }
        let id = fields[2].trim();
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(bad(format!("bad canonical id `{id}`")));
        }
        let aliases = fields
            .get(3)
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let same_as = match fields.get(4).map(|f| f.trim()) {
            None | Some("") => None,
            Some(iri) if iri.contains(char::is_whitespace) || !iri.contains(':') => {
                return Err(bad(format!("bad same-as IRI `{iri}`")));
            }
            Some(iri) => Some(iri.to_string()),
        };
        out.push(GazetteerEntry {
            name: name.to_string(),
            label,
            id: id.to_string(),
            aliases,
            same_as,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(g: &Gazetteer, text: &str) -> Vec<(String, Label)> {
        let s = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &s.tokens, &s.sentences);
        g.find(&ctx)
            .into_iter()
            .map(|m| (text[m.entity.span.bytes()].to_string(), m.entity.label))
            .collect()
    }

    fn strs(v: &[(String, Label)]) -> Vec<&str> {
        v.iter().map(|(s, _)| s.as_str()).collect()
    }

    /// Sentences (most from `corpus/`) with the gazetteer matches expected in them.
    const EXAMPLES: &[(&str, &[&str])] = &[
        (
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 4 maart 2026",
            &["Tweede Kamer der Staten-Generaal", "Den Haag"],
        ),
        (
            "De RBZ-Defensie startte met een bespreking over EU-steun aan Oekraïne.",
            &["RBZ", "EU", "Oekraïne"],
        ),
        (
            "De Oekraïense minister van Defensie, Mychajlo Fedorov, sloot daarom aan bij het eerste deel van de bijeenkomst.",
            &[],
        ),
        (
            "Defensie blijft de afweging tussen de acute Oekraïense noden en de effecten op de eigen gereedheid continu maken",
            &["Defensie"],
        ),
        (
            "plaatsvervangend  Secretaris-Generaal voor Vrede, Veiligheid en Defensie Charles Fries vanuit de Europese Dienst voor extern optreden (EDEO).",
            &["Europese Dienst voor extern optreden", "EDEO"],
        ),
        (
            "De VS verwees daarbij naar de NAVO-top in 2025",
            &["VS", "NAVO"],
        ),
        (
            "Samen met het Verenigd Koninkrijk, Noorwegen en Zweden",
            &["Verenigd Koninkrijk", "Noorwegen", "Zweden"],
        ),
        (
            "kst-25087-309\nISSN 0921 - 7371\n’s-Gravenhage 2023",
            &["’s-Gravenhage"],
        ),
        (
            "constaterende dat het Ministerie van Infrastructuur en Waterstaat door\nmiddel van de Subsidieregeling",
            &["Ministerie van Infrastructuur en Waterstaat"],
        ),
        (
            "overwegende dat op dit moment de stikstofdepositie in Natura 2000-gebieden",
            &["Natura 2000"],
        ),
        (
            "Koninkrijksrelaties (IV) en het BES-fonds (H)",
            &["BES-fonds"],
        ),
        ("EUROPESE RAAD", &["EUROPESE RAAD"]),
        // A table of posts abroad: a place before the next cell is no modifier of a longer name.
        (
            "Land\tPlaats\tType\n\nAlgerije\tAlgiers\tAmbassade\n\nNoorwegen\tOslo\tAmbassade",
            &["Algerije", "Algiers", "Noorwegen", "Oslo"],
        ),
        // Negatives: a role, lower-case words, a name that only starts like one.
        (
            "de minister van Buitenlandse Zaken en de staatssecretaris van Financiën",
            &[],
        ),
        ("de europese unie en de nederlandse kamer", &[]),
        // A portfolio in brackets after a member of government is part of the role.
        (
            "Antwoord van Minister Heinen (Financiën) (ontvangen 29 augustus 2024)",
            &[],
        ),
        ("MOTIE VAN HET LID VAN DER PLAS", &[]),
    ];

    #[test]
    fn gazetteer_examples() {
        let g = Gazetteer::builtin().unwrap();
        let mut failures = Vec::new();
        for (text, expected) in EXAMPLES {
            let got = found(&g, text);
            if strs(&got) != *expected {
                failures.push(format!("{text:?}: expected {expected:?}, found {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn longest_match_wins() {
        let g = Gazetteer::builtin().unwrap();
        let got = found(
            &g,
            "de Raad van de Europese Unie en de Europese Unie en de Raad van Europa",
        );
        assert_eq!(
            strs(&got),
            [
                "Raad van de Europese Unie",
                "Europese Unie",
                "Raad van Europa"
            ]
        );
        assert!(got.iter().all(|(_, l)| *l == Label::Org));
        let got = found(&g, "de Tweede Kamer en de Kamer");
        assert_eq!(strs(&got), ["Tweede Kamer", "Kamer"]);
    }

    #[test]
    fn line_break_inside_a_name_still_matches() {
        let g = Gazetteer::builtin().unwrap();
        let got = found(&g, "voor de Europese\nCommissie en de Verenigde\r\nStaten");
        assert_eq!(strs(&got), ["Europese\nCommissie", "Verenigde\r\nStaten"]);
    }

    #[test]
    fn builtin_lists_are_well_formed_and_fast() {
        let start = std::time::Instant::now();
        let g = Gazetteer::builtin().unwrap();
        let took = start.elapsed();
        assert!(g.entries().len() > 900, "{}", g.entries().len());
        // Generous bound for unoptimised test builds; release builds take a few milliseconds.
        assert!(took.as_millis() < 1000, "building took {took:?}");
        for label in [Label::Org, Label::Loc, Label::Initiative] {
            assert!(g.entries().iter().any(|e| e.label == label));
        }
        assert_eq!(g.lookup("NATO").unwrap().id, "org:navo");
        assert_eq!(g.lookup("VS").unwrap().id, "loc:usa");
        assert_eq!(g.lookup("Europese\n Commissie").unwrap().id, "org:ec");
        let doc = crate::doc::Document::new("d", "De NATO en de NAVO-top.");
        let ids: Vec<String> = g.matches(&doc).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["org:navo", "org:navo"]);
    }

    #[test]
    fn user_file_adds_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.tsv");
        std::fs::write(
            &path,
            "# test list\nNABO\tINITIATIVE\tinitiative:nabo\tNABO-programma\nKamer\tMISC\tmisc:kamer\n",
        )
        .unwrap();
        let mut g = Gazetteer::builtin().unwrap();
        g.add_file(&path).unwrap();
        let got = found(&g, "het NABO-programma en de Kamer");
        assert_eq!(
            got,
            [
                ("NABO-programma".to_string(), Label::Initiative),
                ("Kamer".to_string(), Label::Misc)
            ]
        );
    }

    #[test]
    fn register_lists_carry_same_as_iris_and_yield_to_the_hand_lists() {
        let g = Gazetteer::builtin().unwrap();
        // The register's ministry shares the hand list's id and brings its Wikidata entity.
        assert_eq!(g.lookup("Financiën").unwrap().id, "org:min-fin");
        assert_eq!(
            g.same_as("org:min-fin"),
            Some("http://www.wikidata.org/entity/Q1037511")
        );
        // A municipality the hand list lacks, a law title and its form without the year.
        assert_eq!(g.lookup("Staphorst").unwrap().label, Label::Loc);
        let law = g.lookup("Politiewet 2012").unwrap();
        assert_eq!(law.label, Label::Initiative);
        assert_eq!(g.lookup("Politiewet").unwrap().id, law.id);
        assert!(
            g.same_as(&law.id)
                .unwrap()
                .starts_with("https://wetten.overheid.nl/BWBR")
        );
        // Ambiguous one-word places are left out (`Best`, `Beek`): no list turns them into places.
        let got = found(&g, "Best is de burgemeester van Beek.");
        assert!(got.is_empty(), "{got:?}");
        let entries = parse(
            "X\tORG\torg:x\t\thttp://www.wikidata.org/entity/Q1\nY\tORG\torg:y\n",
            "x.tsv",
        )
        .unwrap();
        assert_eq!(
            entries[0].same_as.as_deref(),
            Some("http://www.wikidata.org/entity/Q1")
        );
        assert_eq!(entries[1].same_as, None);
        let err = parse("X\tORG\torg:x\t\tnot an iri\n", "x.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.tsv:1") && err.contains("same-as"), "{err}");
    }

    #[test]
    fn malformed_files_name_the_line() {
        let err = parse("# x\nNAVO\tORG\n", "x.tsv").unwrap_err().to_string();
        assert!(err.contains("x.tsv:2"), "{err}");
        let err = parse("NAVO\tFOO\torg:navo\t\n", "x.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown entity label"), "{err}");
        let err = parse("NAVO\tDATE\torg:navo\n", "x.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("pattern label"), "{err}");
        assert!(
            Gazetteer::empty()
                .add_file(Path::new("/nonexistent/x.tsv"))
                .is_err()
        );
    }
}
