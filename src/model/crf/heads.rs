//! Head words: the words that say what kind of thing a name is (`Programma`, `Fonds`, `Wet`,
//! `Initiative`, `Raad`, `Agency`, `Zee`), whichever name it is.
//!
//! A model that knows `Nationaal Groeifonds` only by its words cannot tag `Klimaatfonds`; one that
//! knows that a capitalised run ending in a fund word is a fund can. The list is data
//! (`models/lexicon/heads.tsv`): Dutch and English head words, each with the label it suggests and
//! whether it is also matched at the end of a Dutch compound (`woningwet`, `gemeenteraad`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The head-word list compiled into the binary.
static HEADS_TSV: &str = include_str!("../../../models/lexicon/heads.tsv");

/// What kind of name a head word suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum HeadClass {
    /// Not a head word.
    None = 0,
    /// A programme, plan, fund, law, mission, agreement ...
    Initiative = 1,
    /// A body: council, agency, bank, party ...
    Org = 2,
    /// A kind of place: sea, region, island ...
    Loc = 3,
}

/// A word's head class, and whether it matched as the end of a compound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The class.
    pub class: HeadClass,
    /// True when only the end of the word matched (`groeifonds`).
    pub compound: bool,
}

impl Head {
    /// No head word.
    pub const NONE: Head = Head {
        class: HeadClass::None,
        compound: false,
    };

    /// A small code for feature values: 0 none, 1–3 whole word, 4–6 compound.
    pub fn code(self) -> u8 {
        self.class as u8
            + if self.compound && self.class != HeadClass::None {
                3
            } else {
                0
            }
    }
}

struct Heads {
    /// Lower-cased word → (class, also matched at the end of a compound).
    words: HashMap<&'static str, (HeadClass, bool)>,
}

fn heads() -> &'static Heads {
    static HEADS: OnceLock<Heads> = OnceLock::new();
    HEADS.get_or_init(|| {
        let mut words = HashMap::new();
        for line in HEADS_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(word), Some(class), Some(compound)) = (cols.next(), cols.next(), cols.next())
            else {
                panic!("models/lexicon/heads.tsv: bad line {line:?}");
            };
            let class = match class {
                "INITIATIVE" => HeadClass::Initiative,
                "ORG" => HeadClass::Org,
                "LOC" => HeadClass::Loc,
                other => panic!("models/lexicon/heads.tsv: unknown class {other:?}"),
            };
            words.insert(word, (class, compound == "yes"));
        }
        Heads { words }
    })
}

/// The head class of a lower-cased word: the word itself, else its longest compound-able end
/// with at least three letters before it.
pub fn head_of(lower: &str) -> Head {
    let h = heads();
    if let Some(&(class, _)) = h.words.get(lower) {
        return Head {
            class,
            compound: false,
        };
    }
    for (i, _) in lower.char_indices().skip(3) {
        if let Some(&(class, true)) = h.words.get(&lower[i..]) {
            return Head {
                class,
                compound: true,
            };
        }
    }
    Head::NONE
}

/// A hash of the list, so that a model trained with another list is refused.
pub fn fingerprint() -> u64 {
    crate::lexicon::word_hash(HEADS_TSV.as_bytes())
}

/// Words that may stand inside a multi-word name between capitalised words (`Wet op de ...`,
/// `Coalitie voor ...`, `Savings and Investment Union`).
pub fn is_name_glue(lower: &str) -> bool {
    matches!(
        lower,
        "van"
            | "voor"
            | "de"
            | "het"
            | "der"
            | "den"
            | "en"
            | "op"
            | "in"
            | "of"
            | "for"
            | "the"
            | "and"
            | "on"
            | "to"
            | "tot"
            | "te"
            | "ter"
            | "met"
            | "aan"
            | "bij"
            | "tegen"
            | "over"
            | "-"
            | "&"
            | "'s"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_compounds() {
        assert_eq!(
            head_of("programma"),
            Head {
                class: HeadClass::Initiative,
                compound: false
            }
        );
        assert_eq!(
            head_of("groeifonds"),
            Head {
                class: HeadClass::Initiative,
                compound: true
            }
        );
        assert_eq!(
            head_of("woningwet"),
            Head {
                class: HeadClass::Initiative,
                compound: true
            }
        );
        assert_eq!(head_of("gemeenteraad").class, HeadClass::Org);
        assert_eq!(head_of("noordzee").class, HeadClass::Loc);
        assert_eq!(head_of("initiative").class, HeadClass::Initiative);
        // English words are not compounded: `react` is no act.
        assert_eq!(head_of("react"), Head::NONE);
        // Too little before the end to be a compound.
        assert_eq!(head_of("wet").code(), 1);
        assert_eq!(head_of("kwet"), Head::NONE);
        assert_eq!(head_of("de"), Head::NONE);
    }
}
