//! Head words: the words that say what kind of thing a name is (`Programma`, `Fonds`, `Wet`,
//! `Initiative`, `Raad`, `Agency`, `Zee`), whichever name it is.
//!
//! A model that knows `Nationaal Groeifonds` only by its words cannot tag `Klimaatfonds`; one that
//! knows that a capitalised run ending in a fund word is a fund can. The list is data
//! (`models/lexicon/heads.tsv`, shared with the domain layer, whose `vocab.rs` parses it): Dutch
//! and English head words, each with the label it suggests and, in its `crf` column, whether the
//! features match it at all and whether also at the end of a Dutch compound (`woningwet`,
//! `gemeenteraad`). The domain's columns do not touch the features.

use std::sync::OnceLock;

use crate::doc::Label;
use crate::domain::vocab::{Match, head_words};
use crate::lexicon::{HashedMap, word_hash};

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
    /// Lower-cased word (by [`word_hash`]) → its class.
    words: HashedMap<HeadClass>,
    /// The same for the words also matched at the end of a compound.
    compound: HashedMap<HeadClass>,
    /// Whether some compound-able head word ends in this byte: most words end in none, and
    /// then no suffix needs hashing.
    last_byte: [bool; 256],
    /// Shortest and longest compound-able head word, in bytes.
    lens: (usize, usize),
}

fn heads() -> &'static Heads {
    static HEADS: OnceLock<Heads> = OnceLock::new();
    HEADS.get_or_init(|| {
        let mut h = Heads {
            words: HashedMap::default(),
            compound: HashedMap::default(),
            last_byte: [false; 256],
            lens: (usize::MAX, 0),
        };
        for row in head_words().iter().filter(|r| r.crf != Match::No) {
            let class = match row.label {
                Label::Initiative => HeadClass::Initiative,
                Label::Org => HeadClass::Org,
                Label::Loc => HeadClass::Loc,
                other => panic!("models/lexicon/heads.tsv: no CRF class {other:?}"),
            };
            let word = row.word;
            let key = word_hash(word.as_bytes());
            h.words.insert(key, class);
            if row.crf == Match::Compound {
                h.compound.insert(key, class);
                h.last_byte[usize::from(*word.as_bytes().last().expect("a word"))] = true;
                h.lens = (h.lens.0.min(word.len()), h.lens.1.max(word.len()));
            }
        }
        h
    })
}

/// The head class of a lower-cased word: the word itself, else its longest compound-able end
/// with at least three letters before it.
#[cfg(test)]
pub fn head_of(lower: &str) -> Head {
    head_of_hashed(lower, word_hash(lower.as_bytes()))
}

/// `head_of` for a word whose [`word_hash`] is known.
pub fn head_of_hashed(lower: &str, hash: u64) -> Head {
    let h = heads();
    let bytes = lower.as_bytes();
    if let Some(&class) = h.words.get(&hash) {
        return Head {
            class,
            compound: false,
        };
    }
    if bytes.last().is_none_or(|&b| !h.last_byte[usize::from(b)]) {
        return Head::NONE;
    }
    for (i, _) in lower.char_indices().skip(3) {
        let len = bytes.len() - i;
        if len > h.lens.1 {
            continue;
        }
        if len < h.lens.0 {
            break;
        }
        if let Some(&class) = h.compound.get(&word_hash(&bytes[i..])) {
            return Head {
                class,
                compound: true,
            };
        }
    }
    Head::NONE
}

/// The CRF's view of the head-word table, one `word<TAB>CLASS<TAB>yes|no` line a word in the
/// table's order: what the features read, without the domain layer's columns.
fn crf_view() -> String {
    let mut out = String::new();
    for row in head_words().iter().filter(|r| r.crf != Match::No) {
        let class = match row.label {
            Label::Initiative => "INITIATIVE",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            other => panic!("models/lexicon/heads.tsv: no CRF class {other:?}"),
        };
        let compound = if row.crf == Match::Compound {
            "yes"
        } else {
            "no"
        };
        out.push_str(&format!("{}\t{class}\t{compound}\n", row.word));
    }
    out
}

/// The hash of [`crf_view`] when the shipped model was trained.
const SHIPPED_VIEW: u64 = 0x6015_0e2a_ce7f_ca94;
/// The fingerprint the shipped model stores: then it hashed the whole file, which had only the
/// CRF's columns. The domain's columns were added later without changing the CRF's view, so that
/// view keeps the old fingerprint and the shipped model keeps loading.
const SHIPPED_FINGERPRINT: u64 = 0xd233_f0f3_d199_fcf8;

/// A hash of the CRF's view of the list, so that a model trained with another list is refused.
pub fn fingerprint() -> u64 {
    match word_hash(crf_view().as_bytes()) {
        SHIPPED_VIEW => SHIPPED_FINGERPRINT,
        other => other,
    }
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
    fn the_crf_view_is_the_one_the_shipped_model_was_trained_on() {
        // A `crf` cell of models/lexicon/heads.tsv changed: retrain the shipped model, then set
        // SHIPPED_VIEW and SHIPPED_FINGERPRINT to the new view's hash.
        assert_eq!(fingerprint(), SHIPPED_FINGERPRINT);
    }

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
