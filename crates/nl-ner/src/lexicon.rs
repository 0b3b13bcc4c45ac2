//! A Dutch word lexicon: which words are common words, which are listed as proper names or
//! acronyms, and how frequent they are.
//!
//! The CRF reads it as features, so that a name it never saw in training (`Yeşilgöz`, `Zwolle`)
//! still looks like a name, and a capitalised sentence-initial common word (`Morgen`) does not.
//! The data is `models/lexicon/nl-lexicon.tsv`, built by `scripts/build-lexicon.sh` from the
//! OpenTaal word list (CC-BY 3.0 / BSD), wordfreq's Dutch frequencies (CC-BY-SA 4.0) and
//! filenthropist's Dutch name and place lists (MIT); it is compiled into the binary, see
//! [`Lexicon::embedded`].
//!
//! File format: `#` lines are comments; every other line is
//! `word<TAB>flags<TAB>zipf` with the word lower-cased, `flags` letters from `c` (common word),
//! `p` (proper name), `a` (acronym), `f` (first name), `s` (surname), `l` (place) or `-`, and
//! `zipf` the rounded-down Zipf frequency (0 = rare).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};

/// The lexicon shipped with the crate (`models/lexicon/nl-lexicon.tsv`).
const EMBEDDED: &[u8] = include_bytes!("../../../models/lexicon/nl-lexicon.tsv");

/// What the lexicon knows about one lower-cased word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LexEntry {
    /// Bit set of [`LexEntry::COMMON`], [`LexEntry::PROPER`], [`LexEntry::ACRONYM`],
    /// [`LexEntry::FIRST_NAME`], [`LexEntry::SURNAME`], [`LexEntry::PLACE`].
    pub flags: u8,
    /// Zipf frequency class, 0 (rare or unknown) to 8 (`de`, `het`).
    pub zipf: u8,
}

impl LexEntry {
    /// The lower-case form is a word of the word list.
    pub const COMMON: u8 = 1;
    /// A capitalised form is in the word list: a first name, surname or place.
    pub const PROPER: u8 = 2;
    /// An all-capitals form is in the word list.
    pub const ACRONYM: u8 = 4;
    /// A first name.
    pub const FIRST_NAME: u8 = 8;
    /// A surname.
    pub const SURNAME: u8 = 16;
    /// A place: town, municipality, province or country.
    pub const PLACE: u8 = 32;
}

/// A hasher for keys that are already 64-bit hashes: it passes them through.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are expected; fold anything else in so the hasher stays correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A `HashMap` keyed by precomputed 64-bit hashes.
pub(crate) type HashedMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// The word lexicon, keyed by a 64-bit hash of the lower-cased word (see `word_hash`).
#[derive(Clone, Debug)]
pub struct Lexicon {
    entries: HashedMap<LexEntry>,
    fingerprint: u64,
}

/// A stable 64-bit hash of a byte string (the same on every platform and build).
///
/// The lexicon and the CRF's feature extractor share it, so that a word is looked up with the
/// hash the extractor already computed.
pub fn word_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ v).wrapping_mul(K).rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(buf))
            .wrapping_mul(K)
            .rotate_left(31);
    }
    fmix64(h)
}

/// MurmurHash3's finaliser: spreads every input bit over the whole output.
#[inline]
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One line of the lexicon file: the word and its entry.
fn parse_line(line: &str) -> std::result::Result<(&str, LexEntry), String> {
    let mut cols = line.split('\t');
    let (Some(word), Some(flags), Some(zipf), None) =
        (cols.next(), cols.next(), cols.next(), cols.next())
    else {
        return Err("expected `word<TAB>flags<TAB>zipf`".into());
    };
    let mut entry = LexEntry::default();
    for f in flags.bytes() {
        entry.flags |= match f {
            b'c' => LexEntry::COMMON,
            b'p' => LexEntry::PROPER,
            b'a' => LexEntry::ACRONYM,
            b'f' => LexEntry::FIRST_NAME,
            b's' => LexEntry::SURNAME,
            b'l' => LexEntry::PLACE,
            b'-' => 0,
            _ => return Err(format!("unknown flag `{}`", f as char)),
        };
    }
    entry.zipf = zipf
        .parse()
        .ok()
        .filter(|z| *z <= 9)
        .ok_or_else(|| format!("bad zipf class `{zipf}`"))?;
    Ok((word, entry))
}

impl Lexicon {
    /// The lexicon compiled into the binary, parsed once and shared.
    pub fn embedded() -> Result<Arc<Lexicon>> {
        static CELL: OnceLock<std::result::Result<Arc<Lexicon>, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            Lexicon::from_bytes(EMBEDDED, Path::new("<embedded nl-lexicon.tsv>"))
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|reason| Error::Model {
            path: "<embedded nl-lexicon.tsv>".into(),
            reason,
        })
    }

    /// The embedded lexicon's entry for a word (any case), found by binary search in the file
    /// as compiled in (its words are sorted, byte by byte), without parsing it: for a caller
    /// that asks about a few words and should not pay for [`Lexicon::embedded`]'s parse (the PDF
    /// reader's hyphenation rule). Gives what [`Lexicon::get`] on the embedded lexicon gives.
    pub fn embedded_entry(word: &str) -> LexEntry {
        let lower = word.to_lowercase();
        // The comment lines come first.
        let body_start = if EMBEDDED.starts_with(b"#") {
            EMBEDDED
                .windows(2)
                .position(|w| w[0] == b'\n' && w[1] != b'#')
                .map_or(EMBEDDED.len(), |i| i + 1)
        } else {
            0
        };
        let body = &EMBEDDED[body_start..];
        // Binary search over byte positions: each probe reads the line it falls in.
        let (mut lo, mut hi) = (0, body.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = body[..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = body[mid..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(body.len(), |i| mid + i);
            let line = &body[start..end];
            let key = line.split(|&b| b == b'\t').next().unwrap_or_default();
            match key.cmp(lower.as_bytes()) {
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
                std::cmp::Ordering::Equal => {
                    return std::str::from_utf8(line)
                        .ok()
                        .and_then(|l| parse_line(l).ok())
                        .map(|(_, e)| e)
                        .unwrap_or_default();
                }
            }
        }
        LexEntry::default()
    }

    /// An empty lexicon: every lookup misses. Its fingerprint is 0.
    pub fn empty() -> Lexicon {
        Lexicon {
            entries: HashedMap::default(),
            fingerprint: 0,
        }
    }

    /// Reads a lexicon file.
    pub fn load(path: &Path) -> Result<Lexicon> {
        let bytes = crate::files::read_data_file(path, crate::files::MAX_DATA_BYTES)
            .map_err(|e| Error::io(path, e))?;
        Lexicon::from_bytes(&bytes, path)
    }

    /// Parses lexicon text; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Lexicon> {
        let data_err = |line: usize, reason: String| Error::Data {
            path: origin.to_path_buf(),
            line,
            reason,
        };
        let text =
            std::str::from_utf8(bytes).map_err(|e| data_err(0, format!("not UTF-8: {e}")))?;
        let mut entries = HashedMap::default();
        entries.reserve(text.len() / 14);
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, entry) = parse_line(line).map_err(|reason| data_err(i + 1, reason))?;
            entries.insert(word_hash(word.as_bytes()), entry);
        }
        // The fingerprint is over the bytes, so a model can tell whether it was trained with this file.
        let fingerprint = word_hash(bytes) | 1;
        Ok(Lexicon {
            entries,
            fingerprint,
        })
    }

    /// A fingerprint of the lexicon's content (0 for the empty lexicon).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lexicon has no words.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for a word given the `word_hash` of its lower-cased form.
    #[inline]
    pub fn get_hashed(&self, lower_hash: u64) -> LexEntry {
        self.entries.get(&lower_hash).copied().unwrap_or_default()
    }

    /// The entry for a word (any case).
    pub fn get(&self, word: &str) -> LexEntry {
        self.get_hashed(word_hash(word.to_lowercase().as_bytes()))
    }

    /// Whether the lower-cased word is a common Dutch word (in the word list in lower case).
    pub fn is_common_word(&self, word: &str) -> bool {
        self.get(word).flags & LexEntry::COMMON != 0
    }

    /// Whether the word list has a capitalised form of the word (a first name, surname or place).
    pub fn is_proper_name(&self, word: &str) -> bool {
        self.get(word).flags & LexEntry::PROPER != 0
    }

    /// Whether the word is a known first name or surname.
    pub fn is_person_name(&self, word: &str) -> bool {
        self.get(word).flags & (LexEntry::FIRST_NAME | LexEntry::SURNAME) != 0
    }

    /// Whether the word is a known place (town, municipality, province, country).
    pub fn is_place(&self, word: &str) -> bool {
        self.get(word).flags & LexEntry::PLACE != 0
    }

    /// The Zipf frequency class of the lower-cased word: 0 (rare or unknown) to 8.
    pub fn freq_class(&self, word: &str) -> u8 {
        self.get(word).zipf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_looks_up_case_insensitively() {
        let text = "# comment\ngent\tcp\t4\nnavo\ta\t4\nde\tc\t7\nzwolle\tp\t0\n";
        let lex = Lexicon::from_bytes(text.as_bytes(), Path::new("t")).unwrap();
        assert_eq!(lex.len(), 4);
        assert!(lex.is_proper_name("Gent") && lex.is_common_word("gent"));
        assert!(!lex.is_common_word("NAVO") && lex.get("NAVO").flags & LexEntry::ACRONYM != 0);
        assert_eq!(lex.freq_class("De"), 7);
        assert_eq!(lex.freq_class("onbekendwoord"), 0);
        assert_ne!(lex.fingerprint(), 0);
    }

    #[test]
    fn rejects_malformed_lines() {
        for bad in ["gent\tcp\n", "gent\tx\t4\n", "gent\tc\t99\n"] {
            let err = Lexicon::from_bytes(bad.as_bytes(), Path::new("t")).unwrap_err();
            assert!(matches!(err, Error::Data { line: 1, .. }), "{err}");
        }
    }

    #[test]
    fn the_embedded_file_is_sorted_and_its_search_agrees_with_the_parse() {
        let text = std::str::from_utf8(EMBEDDED).unwrap();
        let words: Vec<&str> = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert!(words.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        let lex = Lexicon::embedded().unwrap();
        let probes = words
            .iter()
            .step_by(997)
            .chain(words.first())
            .chain(words.last())
            .map(|w| w.to_string())
            .chain(["Minister", "regenboog-provincie", "", "zzzzzz", "0"].map(String::from));
        for w in probes {
            assert_eq!(Lexicon::embedded_entry(&w), lex.get(&w), "{w}");
        }
    }

    #[test]
    fn embedded_lexicon_knows_dutch() {
        let lex = Lexicon::embedded().unwrap();
        assert!(lex.len() > 100_000);
        assert!(lex.is_common_word("minister"));
        assert!(lex.is_proper_name("Antwerpen"));
        assert!(lex.freq_class("het") >= 7);
    }

    #[test]
    fn word_hash_is_stable() {
        // A model file stores these hashes, so they must never change between builds.
        assert_eq!(word_hash(b""), word_hash(b""));
        assert_ne!(word_hash(b"a"), word_hash(b"b"));
        assert_ne!(word_hash(b"abcdefgh"), word_hash(b"abcdefgh\0"));
        // Values computed independently (a Python transcription of the function).
        assert_eq!(word_hash(b"gent"), 0x1a1b_fcd4_6e58_a992);
        assert_eq!(word_hash(b""), 0x7acd_bb98_b134_4213);
        assert_eq!(word_hash(b"abcdefghij"), 0x7527_0160_0927_9c66);
    }
}
