//! The merge policy: how the model's entities and the domain layer's candidates become one
//! sorted list of entities that do not overlap.
//!
//! # Policy
//!
//! 1. **Domain candidates among themselves** (patterns, gazetteer, acronyms, name rules): the
//!    longest span wins; on equal length a MONEY/DATE/PERCENT/REF pattern beats a gazetteer
//!    match, which beats an acronym entity, which beats a name rule (each rule's `priority` in
//!    the registry, [`super::rules`]). So `Natura 2000` (gazetteer)
//!    beats the year `2000`, `Handelingen II 2022/23, nr. 45` (REF) beats the years in it, and
//!    `Vreemdelingenwet 2000` (rule) beats `2000`.
//! 2. **Model against domain**: a model entity is compared with every domain entity it overlaps.
//!    - Same span: the model entity stays if the labels agree (it keeps its score and source),
//!      otherwise the domain entity wins (`Defensie` tagged LOC by the model becomes ORG).
//!    - The domain span strictly contains the model span: the domain entity wins (`Europese`
//!      MISC inside `Europese Commissie` ORG; `Buitenlandse Zaken` inside `Raad van Buitenlandse
//!      Zaken`).
//!    - The model span strictly contains the domain span: the model entity wins only if it
//!      *extends the name* — the part outside the domain span holds a capitalised word that is
//!      not an article or preposition, or a number right after it (`Raad van Buitenlandse Zaken
//!      Defensie` over `Raad van Buitenlandse Zaken`; `Ukraine Support Loan` over `Ukraine`;
//!      `Natura 2000` over `2000`; `Voorjaarsnota 2024` over `Voorjaarsnota`): the guideline's
//!      outermost name, whatever the labels. A hyphen compound does not extend a name (guideline
//!      rule 3: `NAVO-top` → `NAVO`, `PURL-initiatief` → `PURL`, `RBZ-Defensie` → `RBZ`), nor do
//!      articles (`De Kamer` → `Kamer`), lower-case words or punctuation.
//!    - The spans cross: the domain entity wins (its boundaries come from exact lists and rules).
//!    - A person found by the document's structure (a motion's heading or signature block) always
//!      wins: `OMTZIGT` over a model's `OMTZIGT C.S.` ORG, `Dassen` over a model's LOC. So does a
//!      project title found by the repairs (among the model's entities) over the names inside
//!      it (`LLO` in `LLO, de kracht van partnerschappen`). Both are the rules the registry marks
//!      `structural` ([`super::rules`]); the policy reads each entity's rule name, not its source.
//!
//!    A model entity survives if it wins against every domain entity it overlaps; those are then
//!    dropped. Otherwise it is dropped and they stay.
//! 3. The result is sorted by start. Entities with spans that do not fit the text are dropped,
//!    and a last pass guarantees that no two entities overlap. Every entity keeps its `source`.

use std::collections::BTreeMap;

use super::rules;
use super::tokens::is_function_word;
use crate::doc::{Entity, Source, Span};

/// The merge policy, the one function that decides overlaps (spaCy's `ents_filter`): merges the
/// model's entities (after the repairs) with the domain candidates by the rules above, reading
/// each entity's rule ([`super::rules`]) for its priority and whether the document's structure
/// found it.
pub fn policy(text: &str, model: Vec<Entity>, candidates: Vec<Entity>) -> Vec<Entity> {
    let model: Vec<Entity> = model.into_iter().filter(|e| fits(text, &e.span)).collect();
    let domain = resolve_domain(
        candidates
            .into_iter()
            .filter(|e| fits(text, &e.span))
            .collect(),
    );

    // Which domain entities each model entity overlaps, and whether it beats all of them.
    let mut domain_alive = vec![true; domain.len()];
    let mut out: Vec<Entity> = Vec::with_capacity(model.len() + domain.len());
    for m in model {
        let overlapping = overlapping(&domain, &m.span);
        if overlapping
            .iter()
            .all(|&di| model_wins(text, &m, &domain[di]))
        {
            for di in overlapping {
                domain_alive[di] = false;
            }
            out.push(m);
        }
    }
    out.extend(
        domain
            .into_iter()
            .zip(domain_alive)
            .filter(|(_, alive)| *alive)
            .map(|(e, _)| e),
    );
    out.sort_by_key(|e| (e.span.byte_start, e.span.byte_end));
    // Guarantee: sorted and non-overlapping.
    let mut result: Vec<Entity> = Vec::with_capacity(out.len());
    for e in out {
        if result
            .last()
            .is_none_or(|p| p.span.byte_end <= e.span.byte_start)
        {
            result.push(e);
        }
    }
    result
}

/// Whether a span lies inside the text, on character boundaries, with a char length that
/// matches its text.
fn fits(text: &str, s: &Span) -> bool {
    s.byte_start < s.byte_end
        && s.byte_end <= text.len()
        && text.is_char_boundary(s.byte_start)
        && text.is_char_boundary(s.byte_end)
        && s.char_end >= s.char_start
        && text[s.bytes()].chars().count() == s.char_end - s.char_start
}

/// Tie-break among domain candidates of equal length: lower wins. A rule's entity has its
/// rule's priority (MONEY/DATE/PERCENT/REF 0, acronyms 2, name rules 3); the gazetteer's 1 and
/// the model's 4.
fn priority(e: &Entity) -> u8 {
    match e.rule.and_then(rules::rule) {
        Some(r) => r.priority,
        None if e.source == Source::Gazetteer => rules::GAZETTEER_PRIORITY,
        None => rules::MODEL_PRIORITY,
    }
}

/// Whether an entity was found by the document's structure (a motion's heading or signatures,
/// a project list's title).
fn structural(e: &Entity) -> bool {
    e.rule.and_then(rules::rule).is_some_and(|r| r.structural)
}

/// Rule 1: the longest candidates first, non-overlapping, sorted by start.
fn resolve_domain(mut cands: Vec<Entity>) -> Vec<Entity> {
    cands.sort_by(|a, b| {
        b.span
            .len_bytes()
            .cmp(&a.span.len_bytes())
            .then(priority(a).cmp(&priority(b)))
            .then(a.span.byte_start.cmp(&b.span.byte_start))
    });
    // Accepted spans by start, to test overlap in O(log n).
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for e in cands {
        let s = e.span;
        let before = taken.range(..s.byte_end).next_back();
        if before.is_some_and(|(_, &end)| end > s.byte_start) {
            continue;
        }
        taken.insert(s.byte_start, s.byte_end);
        out.push(e);
    }
    out.sort_by_key(|e| e.span.byte_start);
    out
}

/// Indices of the (sorted, non-overlapping) entities that overlap `span`.
fn overlapping(sorted: &[Entity], span: &Span) -> Vec<usize> {
    let first = sorted.partition_point(|e| e.span.byte_end <= span.byte_start);
    (first..sorted.len())
        .take_while(|&i| sorted[i].span.byte_start < span.byte_end)
        .collect()
}

/// Rule 2 for one model entity `m` against one domain entity `d` that overlaps it.
fn model_wins(text: &str, m: &Entity, d: &Entity) -> bool {
    if structural(d) {
        // A person found by the document's structure (a motion's heading or signatures).
        return false;
    }
    if structural(m) && ms_contains(m, d) {
        // A project title the repairs found by the document's structure, over names inside it.
        return true;
    }
    let (ms, ds) = (m.span, d.span);
    if ms.byte_start == ds.byte_start && ms.byte_end == ds.byte_end {
        return m.label == d.label;
    }
    let m_contains = ms.byte_start <= ds.byte_start && ds.byte_end <= ms.byte_end;
    m_contains && extends_name(text, &ms, &ds)
}

/// Whether `m`'s span contains `d`'s.
fn ms_contains(m: &Entity, d: &Entity) -> bool {
    m.span.byte_start <= d.span.byte_start && d.span.byte_end <= m.span.byte_end
}

/// Whether the part of `outer` outside `inner` makes a longer name (see the module docs).
fn extends_name(text: &str, outer: &Span, inner: &Span) -> bool {
    let left = &text[outer.byte_start..inner.byte_start];
    let right = &text[inner.byte_end..outer.byte_end];
    let is_hyphen = |c: char| matches!(c, '-' | '\u{2010}' | '\u{2011}');
    // A hyphen glued to the inner name makes the next chunk a compound part: skip it.
    let left = if left.ends_with(is_hyphen) {
        left.rfind(char::is_whitespace).map_or("", |p| &left[..p])
    } else {
        left
    };
    let right_rest = if right.starts_with(is_hyphen) {
        right.find(char::is_whitespace).map_or("", |p| &right[p..])
    } else {
        right
    };
    let capitalised = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .any(|w| w.chars().next().is_some_and(char::is_uppercase) && !is_function_word(w))
    };
    // A number right after the name, separated by white space only: `Voorjaarsnota 2024`.
    let number_after = right_rest.starts_with(char::is_whitespace)
        && right_rest
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
    capitalised(left) || capitalised(right_rest) || number_after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(text: &str, surface: &str, nth: usize, label: Label, source: Source) -> Entity {
        let start = text
            .match_indices(surface)
            .nth(nth)
            .unwrap_or_else(|| panic!("{surface} in {text}"))
            .0;
        Entity {
            span: Span::from_bytes(text, start..start + surface.len()),
            label,
            score: 0.5,
            source,
            entity_id: None,
            rule: match (source, label) {
                (Source::Pattern, Money) => Some("money"),
                (Source::Pattern, Date) => Some("date"),
                (Source::Pattern, Percent) => Some("percent"),
                (Source::Pattern, Ref) => Some("handelingen"),
                (Source::Pattern, Per) => Some("motion-signature"),
                (Source::Pattern, _) => Some("law-title"),
                (Source::Acronym, _) => Some("acronym"),
                _ => None,
            },
        }
    }

    fn show(text: &str, es: &[Entity]) -> Vec<(String, Label, Source)> {
        es.iter()
            .map(|e| (text[e.span.bytes()].to_string(), e.label, e.source))
            .collect()
    }

    use crate::doc::Label::{self, *};
    use Source::{Acronym as A, Gazetteer as G, Model as M, Pattern as P};

    #[test]
    fn patterns_beat_overlapping_model_spans() {
        let t = "een financieel steunpakket van EUR 90 mld. aan leningen voor Oekraïne";
        let model = vec![ent(t, "EUR", 0, Org, M), ent(t, "Oekraïne", 0, Loc, M)];
        let cands = vec![ent(t, "EUR 90 mld.", 0, Money, P)];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [
                ("EUR 90 mld.".into(), Money, P),
                ("Oekraïne".into(), Loc, M)
            ]
        );
    }

    #[test]
    fn same_span_keeps_the_model_if_labels_agree_else_the_domain() {
        let t = "De VS verwees daarbij naar de NAVO-top in 2025";
        let model = vec![ent(t, "VS", 0, Loc, M), ent(t, "NAVO", 0, Misc, M)];
        let cands = vec![
            ent(t, "VS", 0, Loc, G),
            ent(t, "NAVO", 0, Org, G),
            ent(t, "2025", 0, Date, P),
        ];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [
                ("VS".into(), Loc, M),
                ("NAVO".into(), Org, G),
                ("2025".into(), Date, P)
            ]
        );
    }

    #[test]
    fn domain_span_containing_the_model_span_wins() {
        let t = "ter beïnvloeding van de Europese Commissie.";
        let model = vec![ent(t, "Europese", 0, Misc, M)];
        let cands = vec![ent(t, "Europese Commissie", 0, Org, G)];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [("Europese Commissie".into(), Org, G)]
        );
    }

    #[test]
    fn hyphen_compounds_and_articles_do_not_extend_a_name() {
        let t = "De RBZ-Defensie startte met een bespreking over EU-steun. De Kamer stemt in.";
        let model = vec![
            ent(t, "RBZ-Defensie", 0, Org, M),
            ent(t, "EU-steun", 0, Misc, M),
            ent(t, "De Kamer", 0, Org, M),
        ];
        let cands = vec![
            ent(t, "RBZ", 0, Org, A),
            ent(t, "EU", 0, Org, G),
            ent(t, "Kamer", 0, Org, G),
        ];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [
                ("RBZ".into(), Org, A),
                ("EU".into(), Org, G),
                ("Kamer".into(), Org, G)
            ]
        );
    }

    #[test]
    fn a_longer_model_name_wins_whatever_the_labels() {
        let t = "Raad van Buitenlandse Zaken Defensie (RBZ-Defensie)\nDe ministers spraken over de Ukraine Support Loan.";
        let model = vec![
            ent(t, "Raad van Buitenlandse Zaken Defensie", 0, Org, M),
            ent(t, "Ukraine Support Loan", 0, Initiative, M),
        ];
        let cands = vec![
            ent(t, "Raad van Buitenlandse Zaken", 0, Org, A),
            ent(t, "RBZ", 0, Org, A),
            ent(t, "Ukraine", 0, Loc, G),
        ];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [
                ("Raad van Buitenlandse Zaken Defensie".into(), Org, M),
                ("RBZ".into(), Org, A),
                ("Ukraine Support Loan".into(), Initiative, M),
            ]
        );
    }

    #[test]
    fn outermost_name_beats_a_year_inside_it_but_not_a_bare_phrase() {
        let t = "de stikstofdepositie in Natura 2000-gebieden en de NAVO-top in 2025";
        let model = vec![
            ent(t, "Natura 2000", 0, Loc, M),
            ent(t, "NAVO-top in 2025", 0, Misc, M),
        ];
        let cands = vec![
            ent(t, "2000", 0, Date, P),
            ent(t, "NAVO", 0, Org, G),
            ent(t, "2025", 0, Date, P),
        ];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [
                ("Natura 2000".into(), Loc, M),
                ("NAVO".into(), Org, G),
                ("2025".into(), Date, P)
            ]
        );
    }

    #[test]
    fn crossing_spans_go_to_the_domain() {
        let t = "de Raad van Buitenlandse Zaken Defensie";
        let model = vec![ent(t, "Zaken Defensie", 0, Org, M)];
        let cands = vec![ent(t, "Raad van Buitenlandse Zaken", 0, Org, G)];
        assert_eq!(
            show(t, &policy(t, model, cands)),
            [("Raad van Buitenlandse Zaken".into(), Org, G)]
        );
    }

    #[test]
    fn longest_domain_candidate_wins_and_ties_prefer_patterns_then_gazetteer() {
        let t = "Handelingen II 2022/23, nr. 45 en de EIB";
        let cands = vec![
            ent(t, "2022/23", 0, Date, P),
            ent(t, "Handelingen II 2022/23, nr. 45", 0, Ref, P),
            ent(t, "EIB", 0, Org, A),
            ent(t, "EIB", 0, Org, G),
        ];
        assert_eq!(
            show(t, &policy(t, vec![], cands)),
            [
                ("Handelingen II 2022/23, nr. 45".into(), Ref, P),
                ("EIB".into(), Org, G)
            ]
        );
    }

    #[test]
    fn spans_outside_the_text_are_dropped_not_panicked_on() {
        let t = "Oekraïne";
        let bad = Entity {
            span: Span {
                byte_start: 3,
                byte_end: 40,
                char_start: 3,
                char_end: 40,
            },
            label: Loc,
            score: 1.0,
            source: M,
            entity_id: None,
            rule: None,
        };
        let split = Entity {
            span: Span {
                byte_start: 0,
                byte_end: 6,
                char_start: 0,
                char_end: 6,
            },
            label: Loc,
            score: 1.0,
            source: M,
            entity_id: None,
            rule: None,
        };
        assert!(policy(t, vec![bad, split], vec![]).is_empty());
    }
}
