//! The formulaic relations, found by rules over the text around the entities.
//!
//! - **role before a name**: a role word with its `van`/`voor` complement, then the person, with
//!   at most a comma, one line break, initials and titles between: a signature block (`De minister
//!   van Defensie,` ⏎ `D. Yeşilgöz-Zegerius`), a form of address (`minister Van Weel`,
//!   `Eurocommissaris Dombrovskis`, `de Duitse minister van Defensie Pistorius`) or a speaker line
//!   (`Minister Adema:`);
//! - **role after a name** (apposition): `Wopke Hoekstra, minister van Financiën,` or
//!   `Heinen (minister van Financiën)`;
//! - **party in brackets**: `het lid Dijkhoff (VVD)`, `Jansen (SP)`;
//! - **party in a compound or a group**: `VVD-Kamerlid Dijkhoff`, `mevrouw Jansen van de fractie van
//!   D66`, `Jansen van de SP-fractie`.
//!
//! The role words are data (`models/relations/roles.tsv`). Each rule's examples are its tests
//! below: a positive and a negative table each.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::party::is_party;
use super::{Relation, RelationType};
use crate::doc::{Document, Label, Span};

static ROLES_TSV: &str = include_str!("../../../../models/relations/roles.tsv");
static PARTICIPATION_TSV: &str = include_str!("../../../../models/relations/participation.tsv");

/// The participation phrases (`models/relations/participation.tsv`): verbs between an
/// organisation and an initiative (`neemt deel aan`), and nouns with the word that opens the
/// initiative (`deelname`, `aan`).
struct Participation {
    verbs: HashSet<String>,
    nouns: Vec<(String, String)>,
}

static PARTICIPATION: LazyLock<Participation> = LazyLock::new(|| {
    let mut p = Participation {
        verbs: HashSet::new(),
        nouns: Vec::new(),
    };
    for line in PARTICIPATION_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let mut cols = line.split('\t');
        let (phrase, form) = (
            cols.next().unwrap_or("").trim(),
            cols.next().unwrap_or("").trim(),
        );
        match (form, phrase.split_once('|')) {
            ("verb", None) => {
                p.verbs.insert(phrase.to_lowercase());
            }
            ("noun", Some((noun, opener))) => {
                p.nouns.push((noun.to_lowercase(), opener.to_lowercase()))
            }
            _ => {}
        }
    }
    p
});

/// Role words, folded to lower case; multi-word ones with single spaces.
static ROLES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut roles: Vec<String> = ROLES_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or("").trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    // Longest first, so that `minister-president` is tried before `president`.
    roles.sort_by_key(|w| std::cmp::Reverse(w.len()));
    roles
});

/// Every role word at once, for finding them in one pass over a window of text.
static ROLE_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(ROLES.iter()).expect("the role words make a valid automaton")
});

/// The most words a role phrase can span before the name: the longest role word (three words),
/// its complement ([`MAX_COMPLEMENT_WORDS`]) and the word before it that may say the office is a
/// former one (`voormalig`).
const ROLE_PHRASE_WORDS: usize = 3 + MAX_COMPLEMENT_WORDS + 2;

/// Words that open a role's complement.
const COMPLEMENT_OPENERS: &[&str] = &["van", "voor", "der", "bij"];

/// Lower-case words a complement may hold besides capitalised ones (`minister voor Buitenlandse
/// Handel en Ontwikkelingshulp`, `voorzitter van de Europese Commissie`).
const COMPLEMENT_WORDS: &[&str] = &[
    "van",
    "voor",
    "de",
    "het",
    "en",
    "der",
    "den",
    "'t",
    "bij",
    "op",
    "in",
    "&",
    "buitenlandse",
    "binnenlandse",
    "zaken",
    "handel",
    "ontwikkelingshulp",
    "ontwikkelingssamenwerking",
];

/// Most words in a complement; a longer run is prose, not an office.
const MAX_COMPLEMENT_WORDS: usize = 9;

/// Prefixes of a former or future office, which the text does not state as held.
const FORMER: &[&str] = &[
    "oud-",
    "ex-",
    "voormalig ",
    "voormalige ",
    "toekomstige ",
    "beoogd ",
];

/// Words that name a party's members: `VVD-Kamerlid X`, `het SP-lid X`.
const MEMBER_WORDS: &[&str] = &[
    "kamerlid",
    "lid",
    "fractievoorzitter",
    "fractieleider",
    "senator",
    "europarlementariër",
    "europarlementarier",
    "statenlid",
    "raadslid",
    "woordvoerder",
    "partijleider",
    "lijsttrekker",
    "leider",
];

/// Every relation the rules find in `doc`, in no particular order.
pub fn find(doc: &Document) -> Vec<Relation> {
    let mut out = project_headings(doc);
    out.extend(participation(doc));
    for (i, e) in doc.entities.iter().enumerate() {
        if e.label != Label::Per {
            continue;
        }
        if let Some(r) = role_before(doc, i) {
            out.push(r);
        }
        out.extend(role_after(doc, i));
        out.extend(party_after(doc, i));
        out.extend(party_before(doc, i));
    }
    out
}

/// The headings of funded-project lists (DUS-I's `RIF24007 – Stichting Gilde Opleidingen – Gilde
/// Wijkwerk`, `Stichting Pinang ‘Pinang Magazine 2023’`): a line that holds nothing but an
/// organisation and an initiative, joined by a dash or opened quote, after an optional project
/// code, names the organisation that carries the project out (`docs/relations.md`, decided case
/// 15).
fn project_headings(doc: &Document) -> Vec<Relation> {
    let text = &doc.text;
    let mut out = Vec::new();
    for (i, pair) in doc.entities.windows(2).enumerate() {
        let (org, project) = (&pair[0], &pair[1]);
        if !matches!(org.label, Label::Org | Label::Loc) || project.label != Label::Initiative {
            continue;
        }
        let between = &text[org.span.byte_end..project.span.byte_start];
        if !matches!(
            between,
            " – " | " - " | "– " | " —" | " — " | " ‘" | " '" | " “" | " \"" | ": "
        ) {
            continue;
        }
        let line_start = text[..org.span.byte_start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[project.span.byte_end..]
            .find('\n')
            .map_or(text.len(), |i| project.span.byte_end + i);
        let lead = text[line_start..org.span.byte_start].trim();
        let tail = text[project.span.byte_end..line_end].trim();
        let code_only = lead.is_empty() || is_project_code(lead);
        let ends = tail
            .chars()
            .all(|c| matches!(c, '’' | '\'' | '”' | '"' | '.' | ')'));
        if code_only && ends {
            out.push(Relation {
                kind: RelationType::ParticipatesIn,
                head: i,
                tail: Some(i + 1),
                role: None,
                score: 0.9,
            });
        }
    }
    out
}

/// `text` lower case with one space for each run of white space, trimmed.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `s` without a trailing article and opening quote (what may stand before an initiative's name).
fn without_article(s: &str) -> &str {
    let s = s.trim_end_matches(['‘', '\'', '“', '"', ' ']);
    for article in [" de", " het", " een"] {
        if let Some(rest) = s.strip_suffix(article) {
            return rest;
        }
    }
    s
}

/// Participation stated by a phrase (`models/relations/participation.tsv`): `Nederland neemt deel
/// aan Arctic Sentry`, `Nederland en Duitsland nemen deel aan …` (each organisation or country of
/// the coordination), `de deelname van Nederland aan …`; and the owner of an initiative in a
/// `van`-genitive, `de Service Roadmap van SSC-ICT`, `verordening … van het Europees Parlement en
/// de Raad` (decided case 18). Each within one line.
fn participation(doc: &Document) -> Vec<Relation> {
    let text = &doc.text;
    let ents = &doc.entities;
    let is_actor = |e: &crate::doc::Entity| matches!(e.label, Label::Org | Label::Loc);
    let between = |a: usize, b: usize| &text[ents[a].span.byte_end..ents[b].span.byte_start];
    let one_line = |a: usize, b: usize| !between(a, b).contains('\n');
    // The organisations coordinated with entity `i` to its left: `Nederland, Duitsland en`.
    let coordinated = |i: usize| {
        let mut heads = vec![i];
        let mut k = i;
        while k > 0
            && is_actor(&ents[k - 1])
            && one_line(k - 1, k)
            && matches!(normalised(between(k - 1, k)).as_str(), "," | "en" | ", en")
        {
            k -= 1;
            heads.push(k);
        }
        heads
    };
    let mut out = Vec::new();
    let mut push = |heads: Vec<usize>, tail: usize, score: f32| {
        for head in heads {
            out.push(Relation {
                kind: RelationType::ParticipatesIn,
                head,
                tail: Some(tail),
                role: None,
                score,
            });
        }
    };
    for t in 0..ents.len() {
        if ents[t].label != Label::Initiative {
            continue;
        }
        let h = t.saturating_sub(1);
        if t > 0 && is_actor(&ents[h]) && one_line(h, t) {
            let b = normalised(between(h, t));
            let phrase = without_article(&b);
            if PARTICIPATION.verbs.contains(phrase) {
                push(coordinated(h), t, 0.9);
            } else {
                let before = normalised(&text[..ents[h].span.byte_start]);
                let before = without_article(&before);
                let noun = PARTICIPATION.nouns.iter().any(|(noun, opener)| {
                    phrase == opener && before.ends_with(&format!("{noun} van"))
                });
                if noun {
                    push(vec![h], t, 0.9);
                }
            }
        }
        // The owner after the initiative: `de Joint Response van de DRA`.
        if let Some(o) = ents.get(t + 1)
            && is_actor(o)
            && one_line(t, t + 1)
            && matches!(
                normalised(between(t, t + 1)).as_str(),
                "van" | "van de" | "van het"
            )
        {
            let mut heads = vec![t + 1];
            let mut k = t + 1;
            while let Some(next) = ents.get(k + 1)
                && is_actor(next)
                && one_line(k, k + 1)
                && matches!(
                    normalised(between(k, k + 1)).as_str(),
                    "en" | "en de" | "en het" | "," | ", de" | ", het"
                )
            {
                k += 1;
                heads.push(k);
            }
            push(heads, t, 0.85);
        }
    }
    out
}

/// A project code and its dash before a heading's organisation: `RIF24007 –`, `LLO-23-014 -`.
fn is_project_code(lead: &str) -> bool {
    let code = lead.trim_end_matches(['–', '-', '—']).trim();
    !code.is_empty()
        && code.len() <= 16
        && code.chars().any(|c| c.is_ascii_digit())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// `minister van X, NAAM`, `Minister NAAM:` and signature blocks.
fn role_before(doc: &Document, person: usize) -> Option<Relation> {
    let text = &doc.text;
    let start = doc.entities[person].span.byte_start;
    let window_start = text.floor_char_boundary(start.saturating_sub(200));
    let before = &text[window_start..start];
    // What may stand between the office and the name: titles, initials, a comma, one line break.
    let (core, signature) = strip_between(before)?;
    let (role_start, role_end) = role_ending_at(core, signature)?;
    let span = Span::from_bytes(text, window_start + role_start..window_start + role_end);
    Some(role_relation(doc, person, span, 0.97))
}

/// `NAAM, minister van X,` and `NAAM (minister van X)`, each office of a chain
/// (`De Jonge, minister van Volksgezondheid, Welzijn en Sport, viceminister-president`), and the
/// king's title in the promulgation formula (`Willem-Alexander, bij de gratie Gods, Koning der
/// Nederlanden`).
fn role_after(doc: &Document, person: usize) -> Vec<Relation> {
    let text = &doc.text;
    let mut out = Vec::new();
    let mut end = doc.entities[person].span.byte_end;
    loop {
        let rest = &text[end..];
        let mut at = if rest.starts_with(", ") || rest.starts_with(" (") {
            2
        } else {
            return out;
        };
        if out.is_empty() && rest[at..].starts_with("bij de gratie Gods, ") {
            at += "bij de gratie Gods, ".len();
        }
        for article in ["de ", "het "] {
            if rest[at..].starts_with(article) {
                at += article.len();
            }
        }
        let after = &rest[at..];
        let Some((role_len, complement_len)) = role_starting_at(after) else {
            return out;
        };
        let phrase_end = role_len + complement_len;
        // The apposition must end: a comma, a bracket, sentence punctuation or a line end.
        let next = after[phrase_end..].chars().next();
        if !matches!(next, None | Some(',' | ')' | '.' | ';' | ':' | '\n')) {
            return out;
        }
        let span = Span::from_bytes(text, end + at..end + at + phrase_end);
        out.push(role_relation(doc, person, span, 0.93));
        end = end + at + phrase_end;
    }
}

/// A role relation with the ORG or LOC inside the role phrase as its tail.
fn role_relation(doc: &Document, person: usize, role: Span, score: f32) -> Relation {
    let tail = doc.entities.iter().position(|e| {
        matches!(e.label, Label::Org | Label::Loc)
            && e.span.byte_start >= role.byte_start
            && e.span.byte_end <= role.byte_end
    });
    Relation {
        kind: RelationType::Role,
        head: person,
        tail,
        role: Some(role),
        score,
    }
}

/// `before` without what may stand between a role phrase and the name: trailing titles and
/// initials, then a colon (a chair line, `Voorzitter: Bosma`), or a comma and at most one line
/// break or one blank line (a signature block, `De minister van Defensie,` ⏎ ⏎ `D. Brekelmans`).
/// The flag says whether it was a signature block (a comma before a line break), where an office
/// may be written without `van`/`voor` (`Directeur Consulaire Zaken en Visumbeleid`).
fn strip_between(before: &str) -> Option<(&str, bool)> {
    let mut s = before.trim_end_matches([' ', '\t']);
    loop {
        let trimmed = s.trim_end_matches([' ', '\t']);
        let last = trimmed.rsplit([' ', '\t', '\n']).next().unwrap_or("");
        if is_initials_or_title(last) && last.len() < trimmed.len() {
            s = &trimmed[..trimmed.len() - last.len()];
        } else {
            s = trimmed;
            break;
        }
    }
    let mut breaks = 0;
    while let Some(rest) = s.strip_suffix('\n') {
        breaks += 1;
        s = rest.trim_end_matches([' ', '\t', '\r']);
    }
    if breaks > 2 {
        return None;
    }
    if let Some(rest) = s.strip_suffix(',') {
        return Some((rest, breaks > 0));
    }
    if breaks == 2 {
        return None;
    }
    if breaks == 0
        && let Some(rest) = s.strip_suffix(':')
    {
        return Some((rest, false));
    }
    Some((s, false))
}

/// `D.`, `A.B.`, `Th.`, and the titles written before a Dutch name (`mr.`, `drs.`, `dr.`,
/// `prof.`, `ir.`, `ing.`, `de heer`'s `heer` and `mevrouw` are left to the caller).
fn is_initials_or_title(word: &str) -> bool {
    if !word.ends_with('.') || word.len() > 6 {
        return false;
    }
    let lower = word.to_lowercase();
    if matches!(
        lower.as_str(),
        "mr." | "drs." | "dr." | "prof." | "ir." | "ing." | "mw." | "dhr." | "bc."
    ) {
        return true;
    }
    word.split('.')
        .filter(|p| !p.is_empty())
        .all(|p| p.chars().count() <= 2 && p.chars().next().is_some_and(char::is_uppercase))
}

/// The byte range of a role phrase that ends exactly at the end of `s` (a role word and its
/// complement), the rightmost one.
fn role_ending_at(s: &str, signature: bool) -> Option<(usize, usize)> {
    // A role phrase ends where `s` ends and spans at most ROLE_PHRASE_WORDS words: only the tail
    // of `s` can hold its role word.
    let mut tail = 0;
    let (mut words, mut in_space) = (0, false);
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            if !in_space {
                words += 1;
                if words > ROLE_PHRASE_WORDS {
                    tail = i + c.len_utf8();
                    break;
                }
            }
            in_space = true;
        } else {
            in_space = false;
        }
    }
    let lower = s[tail..].to_lowercase();
    if lower.len() != s.len() - tail {
        // Lower-casing changed byte lengths (rare letters): positions would not map back.
        return None;
    }
    let s = &s[tail..];
    let mut best: Option<(usize, usize)> = None;
    for found in ROLE_FINDER.find_overlapping_iter(&lower) {
        let role = &ROLES[found.pattern().as_usize()];
        let at = found.start();
        let word_start = compound_start(&lower, at);
        if !at_word_end(&lower, at + role.len()) {
            continue;
        }
        if FORMER.iter().any(|p| lower[..word_start].ends_with(p))
            || lower[word_start..at].contains("oud-")
            || lower[word_start..at].contains("ex-")
        {
            continue;
        }
        let complement = &s[at + role.len()..];
        let fits = complement.trim().is_empty() && complement.len() <= 1
            || is_complement(complement)
            || signature && is_office_name(complement);
        if fits && best.is_none_or(|(b, _)| word_start > b) {
            best = Some((word_start, s.trim_end().len()));
        }
    }
    let (start, end) = best?;
    (end > start).then_some((tail + start, tail + end))
}

/// A role word at the start of `s` and the length of the complement after it.
fn role_starting_at(s: &str) -> Option<(usize, usize)> {
    let lower = s.to_lowercase();
    if lower.len() != s.len() {
        return None;
    }
    let role = ROLES
        .iter()
        .find(|r| lower.starts_with(r.as_str()) && at_word_end(&lower, r.len()))?;
    let rest = &s[role.len()..];
    // The longest complement that ends before a comma, bracket, sentence punctuation or line
    // end (`minister van Volksgezondheid, Welzijn en Sport` holds commas).
    let mut best = 0;
    for (stop, _) in rest
        .char_indices()
        .filter(|(_, c)| matches!(c, ',' | ')' | '.' | ';' | ':' | '\n'))
        .chain([(rest.len(), ' ')])
    {
        let candidate = &rest[..stop];
        if candidate.contains('\n') {
            break;
        }
        if is_complement(candidate) {
            best = candidate.trim_end().len();
        }
    }
    Some((role.len(), best))
}

/// Where the word holding `at` starts, for a role word written as the end of a compound
/// (`Eurocommissaris`, `vice-premier`).
fn compound_start(lower: &str, at: usize) -> usize {
    let head = &lower[..at];
    head.rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\'' | ',' | ';'))
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        })
}

fn at_word_end(lower: &str, end: usize) -> bool {
    lower[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric() && c != '-')
}

/// Whether `s` (the text after a role word) is that role's complement: ` van|voor …` in
/// capitalised or office words, commas only before a capital.
fn is_complement(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_COMPLEMENT_WORDS || !s.starts_with(' ') {
        return false;
    }
    if !COMPLEMENT_OPENERS.contains(&words[0]) {
        return false;
    }
    let mut saw_name = false;
    let mut after_comma = false;
    for w in &words[1..] {
        let bare = w.trim_end_matches(',');
        // A portfolio goes on after a comma with bare names (`Volksgezondheid, Welzijn en
        // Sport`); a second `van` there opens another title (`…, Prins van Oranje`).
        if after_comma && COMPLEMENT_OPENERS.contains(&bare) {
            return false;
        }
        after_comma |= w.ends_with(',');
        let capital = bare
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric());
        if capital {
            saw_name = true;
        } else if !COMPLEMENT_WORDS.contains(&bare.to_lowercase().as_str()) || w.ends_with(',') {
            // A small word is never the last before a comma: commas only part portfolio names.
            return false;
        }
    }
    saw_name && !s.trim_end().ends_with(',')
}

/// Whether `s` names an office's unit without `van`/`voor`, as signature blocks write it
/// (`Directeur Consulaire Zaken en Visumbeleid`, `Algemeen directeur` has none): capitalised
/// words and the complement's small words, on one line.
fn is_office_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= MAX_COMPLEMENT_WORDS
        && s.starts_with(' ')
        && !s.contains('\n')
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || COMPLEMENT_WORDS.contains(&w.to_lowercase().as_str())
        })
}

/// The ORG in brackets right after a person: `het lid Dijkhoff (VVD)`.
fn party_after(doc: &Document, person: usize) -> Option<Relation> {
    let p = &doc.entities[person];
    let next = doc.entities.get(person + 1)?;
    if !is_party(next, next.span.text(&doc.text)) {
        return None;
    }
    let between = &doc.text[p.span.byte_end..next.span.byte_start];
    let after = doc.text[next.span.byte_end..].chars().next();
    if between.trim() == "(" && after == Some(')') {
        return Some(member(person, person + 1, 0.96));
    }
    // `mevrouw Jansen van de fractie van D66`, `Jansen van de SP-fractie` (below).
    let b = between.to_lowercase();
    if matches!(
        b.as_str(),
        " van de fractie van " | " namens de fractie van " | " (fractie " | ", fractie "
    ) {
        return Some(member(person, person + 1, 0.94));
    }
    if b == " van de " || b == " namens de " {
        let rest = doc.text[next.span.byte_end..].to_lowercase();
        if rest.starts_with("-fractie") || rest.starts_with("fractie") {
            return Some(member(person, person + 1, 0.94));
        }
    }
    None
}

/// `VVD-Kamerlid Dijkhoff`, `SP-fractievoorzitter Jansen`.
fn party_before(doc: &Document, person: usize) -> Option<Relation> {
    if person == 0 {
        return None;
    }
    let prev = &doc.entities[person - 1];
    if !is_party(prev, prev.span.text(&doc.text)) {
        return None;
    }
    let between = &doc.text[prev.span.byte_end..doc.entities[person].span.byte_start];
    let b = between.to_lowercase();
    let word = b.strip_prefix('-')?.trim_end();
    static WORDS: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| MEMBER_WORDS.iter().copied().collect());
    WORDS
        .contains(word)
        .then(|| member(person, person - 1, 0.95))
}

fn member(person: usize, party: usize, score: f32) -> Relation {
    Relation {
        kind: RelationType::MemberOf,
        head: person,
        tail: Some(party),
        role: None,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relate::testing::doc;

    /// `(type, head, role phrase or tail)` of what the rules find.
    fn found(d: &Document) -> Vec<(String, String, String)> {
        let mut out: Vec<_> = find(d)
            .into_iter()
            .map(|r| {
                let head = d.entities[r.head].span.text(&d.text).to_string();
                let other = match (r.role, r.tail) {
                    (Some(role), _) => role.text(&d.text).to_string(),
                    (None, Some(t)) => d.entities[t].span.text(&d.text).to_string(),
                    (None, None) => String::new(),
                };
                (r.kind.as_str().to_string(), head, other)
            })
            .collect();
        out.sort();
        out
    }

    use Label::{Initiative, Loc, Org, Per};

    /// Each rule's positive examples: real phrasing of Kamerbrieven, Handelingen and motions.
    #[test]
    fn positive_examples() {
        /// A text, its entities, and the relations the rules must find there.
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, Label)],
            &'a [(&'a str, &'a str, &'a str)],
        );
        let cases: &[Case] = &[
            (
                "De minister van Defensie,\nD. Yeşilgöz-Zegerius",
                &[("Yeşilgöz-Zegerius", Per)],
                &[("role", "Yeşilgöz-Zegerius", "minister van Defensie")],
            ),
            (
                "Minister Adema:\nDank u wel, voorzitter.",
                &[("Adema", Per)],
                &[("role", "Adema", "Minister")],
            ),
            (
                "Eurocommissaris Dombrovskis presenteerde het plan.",
                &[("Dombrovskis", Per)],
                &[("role", "Dombrovskis", "Eurocommissaris")],
            ),
            (
                "Ik sprak met de Duitse minister van Defensie Pistorius.",
                &[("Pistorius", Per)],
                &[("role", "Pistorius", "minister van Defensie")],
            ),
            (
                "de voorzitter van de Europese Commissie Von der Leyen",
                &[("Europese Commissie", Org), ("Von der Leyen", Per)],
                &[(
                    "role",
                    "Von der Leyen",
                    "voorzitter van de Europese Commissie",
                )],
            ),
            (
                "De Staatssecretaris van Financiën,\nmr. A.B. Jansen",
                &[("Jansen", Per)],
                &[("role", "Jansen", "Staatssecretaris van Financiën")],
            ),
            (
                "Wopke Hoekstra, minister van Financiën, heeft geantwoord.",
                &[("Wopke Hoekstra", Per)],
                &[("role", "Wopke Hoekstra", "minister van Financiën")],
            ),
            (
                "De minister voor Buitenlandse Handel en Ontwikkelingshulp,\nR.J. Klever",
                &[("Klever", Per)],
                &[(
                    "role",
                    "Klever",
                    "minister voor Buitenlandse Handel en Ontwikkelingshulp",
                )],
            ),
            (
                "De Staatssecretaris van Financiën,\n\nM. Snel",
                &[("M. Snel", Per)],
                &[("role", "M. Snel", "Staatssecretaris van Financiën")],
            ),
            (
                "Voorzitter: Martin Bosma\n\nAanwezig zijn 144 leden",
                &[("Martin Bosma", Per)],
                &[("role", "Martin Bosma", "Voorzitter")],
            ),
            (
                "Wij Willem-Alexander, bij de gratie Gods, Koning der Nederlanden, Prins van Oranje",
                &[("Willem-Alexander", Per)],
                &[("role", "Willem-Alexander", "Koning der Nederlanden")],
            ),
            (
                "de heer De Jonge, minister van Volksgezondheid, Welzijn en Sport, viceminister-president, mevrouw",
                &[("De Jonge", Per)],
                &[
                    (
                        "role",
                        "De Jonge",
                        "minister van Volksgezondheid, Welzijn en Sport",
                    ),
                    ("role", "De Jonge", "viceminister-president"),
                ],
            ),
            (
                "De Minister van Buitenlandse Zaken,\nnamens deze,\nDirecteur Consulaire Zaken en Visumbeleid,\nW.A. van Ee",
                &[("W.A. van Ee", Per)],
                &[(
                    "role",
                    "W.A. van Ee",
                    "Directeur Consulaire Zaken en Visumbeleid",
                )],
            ),
            (
                "RIF24007 – Stichting Gilde Opleidingen – Gilde Wijkwerk\n\nAchtergrond",
                &[
                    ("Stichting Gilde Opleidingen", Org),
                    ("Gilde Wijkwerk", Initiative),
                ],
                &[(
                    "participates_in",
                    "Stichting Gilde Opleidingen",
                    "Gilde Wijkwerk",
                )],
            ),
            (
                "Stichting Pinang ‘Pinang Magazine 2023’\nHet magazine",
                &[
                    ("Stichting Pinang", Org),
                    ("Pinang Magazine 2023", Initiative),
                ],
                &[(
                    "participates_in",
                    "Stichting Pinang",
                    "Pinang Magazine 2023",
                )],
            ),
            (
                "Nederland en Duitsland nemen deel aan Arctic Sentry.",
                &[
                    ("Nederland", Loc),
                    ("Duitsland", Loc),
                    ("Arctic Sentry", Initiative),
                ],
                &[
                    ("participates_in", "Duitsland", "Arctic Sentry"),
                    ("participates_in", "Nederland", "Arctic Sentry"),
                ],
            ),
            (
                "Ook Canada sluit zich aan bij de Prioritised Ukraine Requirement List.",
                &[
                    ("Canada", Loc),
                    ("Prioritised Ukraine Requirement List", Initiative),
                ],
                &[(
                    "participates_in",
                    "Canada",
                    "Prioritised Ukraine Requirement List",
                )],
            ),
            (
                "De deelname van Nederland aan de Coalition of the Willing is bevestigd.",
                &[("Nederland", Loc), ("Coalition of the Willing", Initiative)],
                &[("participates_in", "Nederland", "Coalition of the Willing")],
            ),
            (
                "De bijdrage aan de Joint Response van de DRA voor Jemen bedraagt 5 miljoen euro.",
                &[("Joint Response", Initiative), ("DRA", Org), ("Jemen", Loc)],
                &[("participates_in", "DRA", "Joint Response")],
            ),
            (
                "Gelet op artikel 123 van verordening (EU) nr. 1303/2013 van het Europees Parlement en de Raad van 17 december 2013",
                &[
                    ("verordening (EU) nr. 1303/2013", Initiative),
                    ("Europees Parlement", Org),
                    ("Raad", Org),
                ],
                &[
                    (
                        "participates_in",
                        "Europees Parlement",
                        "verordening (EU) nr. 1303/2013",
                    ),
                    ("participates_in", "Raad", "verordening (EU) nr. 1303/2013"),
                ],
            ),
            (
                "Voorgesteld door het lid Dijkhoff (VVD).",
                &[("Dijkhoff", Per), ("VVD", Org)],
                &[("member_of", "Dijkhoff", "VVD")],
            ),
            (
                "Dat vroeg VVD-Kamerlid Dijkhoff gisteren.",
                &[("VVD", Org), ("Dijkhoff", Per)],
                &[("member_of", "Dijkhoff", "VVD")],
            ),
            (
                "mevrouw Jansen van de fractie van D66 vroeg het woord",
                &[("Jansen", Per), ("D66", Org)],
                &[("member_of", "Jansen", "D66")],
            ),
        ];
        for (text, names, want) in cases {
            let d = doc(text, names);
            let want: Vec<(String, String, String)> = want
                .iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                .collect();
            assert_eq!(found(&d), want, "{text:?}");
        }
    }

    /// What the rules must leave alone.
    #[test]
    fn negative_examples() {
        let cases: &[(&str, &[(&str, Label)])] = &[
            // A former office is not held.
            ("oud-minister Hoekstra sprak", &[("Hoekstra", Per)]),
            // A blank line separates a sentence from the name: no signature block.
            (
                "Dat zei de minister.\n\nBrekelmans opende",
                &[("Brekelmans", Per)],
            ),
            // Two blank lines: the name does not sign under the office.
            (
                "De minister van Defensie,\n\n\nD. Brekelmans",
                &[("Brekelmans", Per)],
            ),
            // `lid` and `Kamerlid` are no role.
            ("het lid Jansen diende een motie in", &[("Jansen", Per)]),
            // A motion header states no party.
            (
                "MOTIE VAN DE LEDEN JANSEN EN DE VRIES",
                &[("JANSEN", Per), ("DE VRIES", Per)],
            ),
            // Prose after the role word is no complement.
            ("de minister heeft met Jansen gesproken", &[("Jansen", Per)]),
            // A portfolio in brackets is no party (it is no ORG entity).
            ("Minister Heinen (Financiën) antwoordde", &[("Heinen", Per)]),
            // An organisation and an initiative in running prose are for the classifier.
            (
                "Het Kadaster en het Programma BRO werken samen",
                &[("Kadaster", Org), ("Programma BRO", Initiative)],
            ),
            // Advocacy is no taking part; a nationality adjective is no entity.
            (
                "Nederland pleit voor deelname aan Arctic Sentry.",
                &[("Nederland", Loc), ("Arctic Sentry", Initiative)],
            ),
            ("de Nederlandse bijdrage aan PURL", &[("PURL", Initiative)]),
            // A fund is no organisation; a place where an initiative runs takes no part.
            (
                "Het Groeifonds bekostigt het project.",
                &[("Groeifonds", Initiative)],
            ),
            (
                "Proeftuinen in Emmen en Assen binnen het Programma Aardgasvrije Wijken.",
                &[
                    ("Emmen", Loc),
                    ("Assen", Loc),
                    ("Programma Aardgasvrije Wijken", Initiative),
                ],
            ),
            // Mere linkage (decided case 19).
            (
                "De aansluiting van Nuffic bij het Holland Alumni Network wordt onderzocht.",
                &[("Nuffic", Org), ("Holland Alumni Network", Initiative)],
            ),
            // A person in brackets after an organisation is not its member.
            (
                "de NAVO (Rutte) vergaderde",
                &[("NAVO", Org), ("Rutte", Per)],
            ),
            // An organisation in brackets that is no party (decided case 14).
            (
                "volgens Van Dissel (RIVM) daalt het aantal",
                &[("Van Dissel", Per), ("RIVM", Org)],
            ),
        ];
        for (text, names) in cases {
            let d = doc(text, names);
            let got = found(&d);
            let roles_or_members: Vec<_> = got
                .iter()
                .filter(|(_, head, _)| {
                    *text != "Minister Heinen (Financiën) antwoordde" || head != "Heinen"
                })
                .collect();
            assert!(roles_or_members.is_empty(), "{text:?}: {got:?}");
        }
    }

    #[test]
    fn the_minister_keeps_her_role_when_her_portfolio_is_in_brackets() {
        let d = doc("Minister Heinen (Financiën) antwoordde", &[("Heinen", Per)]);
        assert_eq!(
            found(&d),
            [(
                "role".to_string(),
                "Heinen".to_string(),
                "Minister".to_string()
            )]
        );
    }
}
