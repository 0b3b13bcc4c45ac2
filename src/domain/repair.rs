//! Exact corrections of the model's entities, for cases the guideline decides by form alone.
//!
//! - A ministry named inside a role is no entity (`minister van Buitenlandse Zaken`,
//!   `staatssecretaris van Onderwijs, Cultuur en Wetenschap`, `Minister Dijkgraaf (Onderwijs,
//!   Cultuur en Wetenschap)`): a model ORG there is dropped. Only minister-like roles count: an
//!   organisation in other role titles stays (`secretaris-generaal van de NAVO` keeps `NAVO`).
//! - A double-barrelled surname is one person: two PER entities joined by a hyphen with no
//!   space (`Dik` `-` `Faber`) become `Dik-Faber`.

use super::tokens::{Ctx, is_cap, with_lower};
use crate::doc::{Entity, Label};

/// Applies both corrections to the model's entities (sorted by start, not overlapping).
pub(crate) fn repair(ctx: &Ctx, model: Vec<Entity>) -> Vec<Entity> {
    let kept: Vec<Entity> = model
        .into_iter()
        .filter(|e| {
            e.label != Label::Org
                || !first_token(ctx, e).is_some_and(|i| in_ministerial_role(ctx, i))
        })
        .collect();
    join_double_surnames(ctx.text, kept)
}

/// The index of the token an entity starts with, if a token starts there.
fn first_token(ctx: &Ctx, e: &Entity) -> Option<usize> {
    let at = ctx
        .tokens
        .partition_point(|t| t.span.byte_start < e.span.byte_start);
    (at < ctx.len() && ctx.tokens[at].span.byte_start == e.span.byte_start).then_some(at)
}

/// Roles held by a member of government: the portfolio after them is no organisation.
pub(super) fn is_ministerial_role(w: &str) -> bool {
    with_lower(w, |l| {
        matches!(
            l,
            "minister"
                | "ministers"
                | "staatssecretaris"
                | "staatssecretarissen"
                | "minister-president"
                | "viceminister"
                | "vicepremier"
                | "bewindspersoon"
                | "bewindspersonen"
                | "bewindslieden"
        )
    })
}

/// Whether token `i` starts a portfolio inside a ministerial role: `minister van [i]`, also
/// further down a list (`minister van Onderwijs, [Cultuur] en Wetenschap`), or in parentheses
/// after a minister's name (`Minister Dijkgraaf ([Onderwijs] ...)`).
fn in_ministerial_role(ctx: &Ctx, i: usize) -> bool {
    let Some(k) = ctx.name_list_start(i) else {
        return false;
    };
    match ctx.t(k - 1) {
        "van" | "voor" => k >= 2 && is_ministerial_role(ctx.t(k - 2)),
        "(" => {
            // `Minister Dijkgraaf (`, `Staatssecretaris Gräper-van Koolwijk (`: a name of
            // capitalised words and particles right after the role.
            let mut j = k - 1;
            let (mut name, mut steps) = (0, 0);
            while j >= 1 && steps < 6 && !is_ministerial_role(ctx.t(j - 1)) {
                let w = ctx.t(j - 1);
                if is_cap(w) {
                    name += 1;
                } else if !matches!(w, "van" | "de" | "der" | "den" | "ter" | "ten" | "te" | "-") {
                    break;
                }
                j -= 1;
                steps += 1;
            }
            name > 0 && j >= 1 && is_ministerial_role(ctx.t(j - 1))
        }
        _ => false,
    }
}

/// Joins `PER` `-` `PER` written without spaces into one person.
fn join_double_surnames(text: &str, entities: Vec<Entity>) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for e in entities {
        if let Some(prev) = out.last_mut()
            && prev.label == Label::Per
            && e.label == Label::Per
            && matches!(
                text.get(prev.span.byte_end..e.span.byte_start),
                Some("-" | "\u{2010}" | "\u{2011}")
            )
        {
            prev.span = prev.span.cover(&e.span);
            prev.score = prev.score.min(e.score);
            continue;
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Source, Span};
    use crate::segment::Segmenter;

    fn entity(text: &str, surface: &str, label: Label) -> Entity {
        let b = text.find(surface).unwrap();
        Entity {
            span: Span::from_bytes(text, b..b + surface.len()),
            label,
            score: 0.9,
            source: Source::Model,
            entity_id: None,
        }
    }

    fn repaired(text: &str, model: Vec<Entity>) -> Vec<String> {
        let seg = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &seg.tokens, &seg.sentences);
        repair(&ctx, model)
            .iter()
            .map(|e| format!("{}:{}", e.label.as_str(), e.span.text(text)))
            .collect()
    }

    #[test]
    fn portfolios_in_ministerial_roles_are_dropped() {
        let t = "De minister van Buitenlandse Zaken sprak met de NAVO.";
        let got = repaired(
            t,
            vec![
                entity(t, "Buitenlandse Zaken", Label::Org),
                entity(t, "NAVO", Label::Org),
            ],
        );
        assert_eq!(got, ["ORG:NAVO"]);
        let t = "De staatssecretaris van Onderwijs, Cultuur en Wetenschap schrijft.";
        assert!(repaired(t, vec![entity(t, "Cultuur en Wetenschap", Label::Org)]).is_empty());
        let t = "Antwoord van Minister Dijkgraaf (Onderwijs, Cultuur en Wetenschap).";
        let got = repaired(
            t,
            vec![
                entity(t, "Dijkgraaf", Label::Per),
                entity(t, "Onderwijs, Cultuur en Wetenschap", Label::Org),
            ],
        );
        assert_eq!(got, ["PER:Dijkgraaf"]);
        let t = "Staatssecretaris Gräper-van Koolwijk (Onderwijs, Cultuur en Wetenschap).";
        assert!(
            repaired(
                t,
                vec![entity(t, "Onderwijs, Cultuur en Wetenschap", Label::Org)]
            )
            .is_empty()
        );
    }

    #[test]
    fn organisations_outside_ministerial_roles_stay() {
        let t = "De secretaris-generaal van de NAVO en het ministerie van Defensie.";
        let got = repaired(
            t,
            vec![
                entity(t, "NAVO", Label::Org),
                entity(t, "ministerie van Defensie", Label::Org),
            ],
        );
        assert_eq!(got, ["ORG:NAVO", "ORG:ministerie van Defensie"]);
        let t = "Mevrouw Bikker (ChristenUnie) vraagt het woord.";
        assert_eq!(
            repaired(t, vec![entity(t, "ChristenUnie", Label::Org)]),
            ["ORG:ChristenUnie"]
        );
    }

    #[test]
    fn double_barrelled_surnames_are_one_person() {
        let t = "Het lid Dik-Faber en Jan - Piet.";
        let got = repaired(
            t,
            vec![
                entity(t, "Dik", Label::Per),
                entity(t, "Faber", Label::Per),
                entity(t, "Jan", Label::Per),
                entity(t, "Piet", Label::Per),
            ],
        );
        assert_eq!(got, ["PER:Dik-Faber", "PER:Jan", "PER:Piet"]);
    }
}
