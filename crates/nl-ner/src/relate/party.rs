//! What a party is: the tail a `member_of` needs (`docs/relations.md`, decided case 14: only a
//! political party or parliamentary group). An organisation is a party when the party register
//! knows it (the linker gave it an id `org:party-…`, from `register-parties.tsv` or the party rows
//! of `organisations.tsv`) or when its name has a party's shape (`models/relations/party-shapes.tsv`:
//! `… Partij`, `…-fractie`, `Groep …`). A person's surname the entity model tagged ORG, a ministry
//! or an agency is none, so no rule and no classifier score can make a member of it.

use std::sync::LazyLock;

use crate::doc::{Entity, Label};

static SHAPES_TSV: &str = include_str!("../../../../models/relations/party-shapes.tsv");

/// The id prefix the gazetteers give parties.
const PARTY_ID: &str = "org:party-";

/// Where a shape word stands in a party's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The last part of any word (`Volkspartij`, `SP-fractie`).
    Part,
    /// The first word (`Groep Van Haga`).
    First,
}

/// The shape words, lower case, with their place.
static SHAPES: LazyLock<Vec<(String, Place)>> = LazyLock::new(|| {
    SHAPES_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let word = cols.next()?.trim().to_lowercase();
            let place = match cols.next()?.trim() {
                "part" => Place::Part,
                "first" => Place::First,
                _ => return None,
            };
            (!word.is_empty()).then_some((word, place))
        })
        .collect()
});

/// Whether `entity` (with its surface `text`) is a political party or parliamentary group.
pub fn is_party(entity: &Entity, text: &str) -> bool {
    if entity.label != Label::Org {
        return false;
    }
    if entity
        .entity_id
        .as_deref()
        .is_some_and(|id| id.starts_with(PARTY_ID))
    {
        return true;
    }
    has_party_shape(text)
}

/// Whether a name is built as a party's (`party-shapes.tsv`). A first-word shape needs a name
/// after it (`Groep Van Haga`, not `Groep van Twintig`).
fn has_party_shape(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let named = words
        .get(1)
        .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    SHAPES.iter().any(|(shape, place)| match place {
        Place::First => named && first.to_lowercase() == *shape,
        Place::Part => words.iter().any(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .ends_with(shape.as_str())
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relate::testing::doc;

    /// Whether `name`, tagged `label` in `text` and linked as the pipeline links, is a party.
    fn party(text: &str, name: &str, label: Label) -> bool {
        is_party(&doc(text, &[(name, label)]).entities[0], name)
    }

    #[test]
    fn the_register_and_the_shapes_know_parties() {
        for (text, name) in [
            ("het lid Dijkhoff (VVD)", "VVD"),
            (
                "mevrouw Teunissen (Partij voor de Dieren)",
                "Partij voor de Dieren",
            ),
            ("het lid Klaver (GL-PvdA)", "GL-PvdA"),
            ("de heer Van Haga (Groep Van Haga)", "Groep Van Haga"),
            ("namens de SP-fractie", "SP-fractie"),
            (
                "de Onafhankelijke Senaatsfractie",
                "Onafhankelijke Senaatsfractie",
            ),
            ("de Piratenpartij", "Piratenpartij"),
        ] {
            assert!(party(text, name, Label::Org), "{name:?} in {text:?}");
        }
    }

    #[test]
    fn a_surname_an_agency_or_a_person_is_no_party() {
        for (text, name, label) in [
            // An attendance list's surname the model tagged ORG.
            (
                "Nijboer, Nijkerken-de Haan, Omtzigt",
                "Nijkerken-de Haan",
                Label::Org,
            ),
            ("Van Dissel (RIVM)", "RIVM", Label::Org),
            ("de minister van Defensie", "Defensie", Label::Org),
            ("de Groep van Twintig", "Groep van Twintig", Label::Org),
            ("de VVD", "VVD", Label::Per),
        ] {
            assert!(!party(text, name, label), "{name:?} in {text:?}");
        }
    }
}
