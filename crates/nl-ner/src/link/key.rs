//! Name keys: the normalised form under which two mentions count as the same name.
//!
//! A key is a slug: the text folded (compatibility decomposition, diacritics dropped, lower
//! case, typographic apostrophes made plain) and cut at every run of characters that are not
//! letters or digits, the pieces joined by `-`. So `Yeşilgöz-Zegerius` and `Yesilgoz-Zegerius`,
//! `Von der Leyen` and `von der Leyen`, `Staten-Generaal` and `Staten Generaal`, and a name
//! broken over two lines all have one key; the key is also the readable part of an id
//! (`per:von-der-leyen`).
//!
//! A person's key leaves out initials and titles (words ending in `.`): `D. Yeşilgöz-Zegerius` →
//! `yesilgoz-zegerius`, `Tjeerd de Groot` → `tjeerd-de-groot`. The surname is the last word and
//! the particles before it (`von der Leyen`); a mention by surname alone is joined to a full name
//! by the linker and the entity table where that is unambiguous.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::doc::Label;

/// Surname particles (folded): the words that belong to a surname before its last word.
const PARTICLES: &[&str] = &[
    "van", "von", "vom", "zu", "zum", "der", "den", "de", "des", "del", "della", "di", "da", "du",
    "dos", "het", "'t", "t", "ten", "ter", "te", "in", "op", "aan", "bij", "uit", "la", "le", "l'",
    "d'",
];

/// The text folded for comparison: diacritics dropped, lower case, one kind of apostrophe.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        // ASCII has no decompositions and no combining marks: the same result as below, without
        // the decomposition (most names, and most of the link stage's cost before).
        return text
            .chars()
            .map(|c| {
                if c == '`' {
                    '\''
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|&c| !is_combining_mark(c)) {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The slug of a text: its folded letters and digits, each run of anything else one `-`. Empty
/// when the text has no letter or digit.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in fold(text).chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// The key of a mention with this label: for a person the slug of the given names and surname,
/// else the whole text's slug. Never empty: a text without letters or digits (`€`) gets `x` and a checksum of
/// its folded form.
pub fn key(label: Label, text: &str) -> String {
    let k = if label == Label::Per {
        let (given, surname) = person(text);
        slug(&format!("{given} {surname}"))
    } else {
        slug(text)
    };
    nonempty(k, text)
}

/// The key of a person's surname alone (`de-groot` for `Tjeerd de Groot`).
pub fn surname_key(name: &str) -> String {
    nonempty(slug(person(name).1), name)
}

/// Whether a person's name has a given name (not only initials or titles) before the surname.
pub fn has_given_name(name: &str) -> bool {
    !person(name).0.is_empty()
}

fn nonempty(key: String, text: &str) -> String {
    if key.is_empty() {
        format!("x{:08x}", crc32fast::hash(fold(text).as_bytes()))
    } else {
        key
    }
}

/// A person's name as given names (initials and titles, the words ending in `.`, left out) and
/// surname (the last word and the particles before it).
fn person(name: &str) -> (String, &str) {
    let words: Vec<(usize, &str)> = name
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - name.as_ptr() as usize, w))
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .collect();
    let Some(&(last, _)) = words.last() else {
        return (String::new(), name);
    };
    let mut start = last;
    for &(at, w) in words.iter().rev().skip(1) {
        if !PARTICLES.contains(&fold(w).as_str()) {
            break;
        }
        start = at;
    }
    let given: Vec<&str> = words
        .iter()
        .filter(|(at, w)| *at < start && !w.ends_with('.'))
        .map(|(_, w)| *w)
        .collect();
    (
        given.join(" "),
        name[start..].trim_end_matches(|c: char| !c.is_alphanumeric()),
    )
}

/// The id prefix of a label: its name in lower case (`per`, `initiative`).
pub fn prefix(label: Label) -> String {
    label.as_str().to_lowercase()
}

/// The id a mention gets from its text alone: `label:key`.
pub fn name_id(label: Label, text: &str) -> String {
    format!("{}:{}", prefix(label), key(label, text))
}

/// The key of a role phrase: its slug after a leading article (`De minister van Defensie` and
/// `minister van defensie` are one role).
pub fn role_key(phrase: &str) -> String {
    let slug = slug(phrase);
    for article in ["de-", "het-", "een-"] {
        if let Some(rest) = slug.strip_prefix(article) {
            return rest.to_string();
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_diacritics_hyphens_and_line_breaks() {
        let same: &[(Label, &[&str], &str)] = &[
            (
                Label::Per,
                &[
                    "Yeşilgöz-Zegerius",
                    "Yesilgoz-Zegerius",
                    "D. Yeşilgöz-Zegerius",
                    "dr. D. Yeşilgöz-Zegerius",
                ],
                "yesilgoz-zegerius",
            ),
            (
                Label::Per,
                &["Von der Leyen", "von der Leyen"],
                "von-der-leyen",
            ),
            (
                Label::Per,
                &["Ursula von der Leyen", "URSULA VON DER LEYEN"],
                "ursula-von-der-leyen",
            ),
            (Label::Per, &["Van Dijk", "J.P. van Dijk"], "van-dijk"),
            (
                Label::Org,
                &[
                    "Tweede Kamer der Staten-Generaal",
                    "Tweede Kamer der\nStaten Generaal",
                ],
                "tweede-kamer-der-staten-generaal",
            ),
            (
                Label::Org,
                &[
                    "Europese Dienst voor extern optreden",
                    "Europese Dienst voor Extern Optreden",
                ],
                "europese-dienst-voor-extern-optreden",
            ),
            (
                Label::Loc,
                &["’s-Gravenhage", "'s-Gravenhage", "s Gravenhage"],
                "s-gravenhage",
            ),
            (Label::Money, &["€ 90 miljoen", "€90 miljoen"], "90-miljoen"),
        ];
        for (label, forms, want) in same {
            for f in *forms {
                assert_eq!(key(*label, f), *want, "{f}");
            }
        }
        assert_ne!(
            key(Label::Org, "NAVO"),
            key(Label::Org, "NATO"),
            "aliases come from lists, not keys"
        );
        for (name, surname, given) in [
            ("Tjeerd de Groot", "de-groot", true),
            ("De Groot", "de-groot", false),
            ("D. Yeşilgöz-Zegerius", "yesilgoz-zegerius", false),
        ] {
            assert_eq!(
                (surname_key(name).as_str(), has_given_name(name)),
                (surname, given),
                "{name}"
            );
        }
    }

    #[test]
    fn ascii_folds_as_the_general_path_does() {
        let every: String = (0u8..128).map(char::from).collect();
        for text in [
            "NAVO",
            "Den Haag",
            "`s-Gravenhage",
            "J.P. van Dijk",
            "EUR 90 mld.",
            &every,
        ] {
            let general: String = text
                .nfkd()
                .filter(|&c| !is_combining_mark(c))
                .flat_map(|c| {
                    if c == '`' {
                        vec!['\'']
                    } else {
                        c.to_lowercase().collect()
                    }
                })
                .collect();
            assert_eq!(fold(text), general, "{text}");
        }
    }

    #[test]
    fn a_text_without_letters_still_has_a_key() {
        let k = key(Label::Misc, "€");
        assert!(k.starts_with('x') && k.len() == 9, "{k}");
        assert_ne!(k, key(Label::Misc, "%"));
        assert_eq!(name_id(Label::Initiative, "PURL"), "initiative:purl");
    }
}
