//! Feature extraction for the CRF: every feature is a 64-bit hash of (template, value).
//!
//! Extraction never builds strings: per document it lower-cases each word once into a reused
//! buffer, hashes the pieces it needs (word, affixes, shape), and combines those hashes per
//! template. Training hands the hashes to `crfs` as hex names; inference looks them up directly.
//!
//! Templates, for word `w0` in its sentence (`w-1`, `w+1` ... are its neighbours, `BOS`/`EOS`
//! past the ends):
//! - identity: bias; lower-cased `w-2..w+2`; exact `w0`; bigrams `w-1|w0`, `w0|w+1`;
//!   lower-cased prefixes and suffixes of 1–4 characters;
//! - form: shape (`Xxxx`, runs capped at 4) and short shape (`Xx`) of `w0`, short shapes of
//!   `w-2..w+2` and the trigram `w-1|w0|w+1`; flags (initial capital, all capitals, mixed case,
//!   digit, hyphen, punctuation, initial like `D.`); length class;
//! - position: capitalised at sentence start vs. capitalised inside a sentence (Dutch writes
//!   common nouns in lower case, so a capital inside a sentence is strong evidence of a name);
//! - cue words: whether `w-2`, `w-1`, `w+1` is a name particle (`van`, `de`...), a title
//!   (`minister`, `heer`...) or a preposition of place (`in`, `uit`...);
//! - lexicon ([`Lexicon`]): common word / proper name / acronym flags and Zipf class of `w0`,
//!   crossed with capitalisation and position; flags of `w-1`, `w+1`;
//! - document: whether the word occurs capitalised inside a sentence elsewhere in the document,
//!   or in lower case elsewhere; where it stands in runs of capitalised words elsewhere; the
//!   run of capitalised words around `w0` (its position and length).
//!
//! Changing any template changes what a trained weight means, so [`FEATURE_CONFIG`] must change
//! with it: a model stores the config's hash and is rejected by code with other templates.

use std::ops::Range;

use super::clusters::{self, Clusters};
use super::heads;
use crate::doc::{Label, Tag};
use crate::lexicon::{HashedMap, LexEntry, Lexicon, fmix64, word_hash};

/// Names the feature templates; bump it whenever a template changes.
pub(crate) const FEATURE_CONFIG: &str = "nl-ner-crf features v3 (word/affix/shape/flags/cue/lexicon+bits/doc/caprun/window/docctx/heads/acronyms/clusters)";

/// The hash stored in model files to check that the model and this code agree on features
/// (the templates and the head-word list they read).
pub(crate) fn feature_config_hash() -> u64 {
    fmix64(
        fmix64(word_hash(FEATURE_CONFIG.as_bytes()) ^ heads::fingerprint())
            ^ clusters::fingerprint(),
    )
}

/// Template ids. Each feature hash mixes one of these in, so equal values under different
/// templates never collide.
mod t {
    pub const BIAS: u64 = 1;
    pub const SEP: u64 = 2;
    pub const W: u64 = 10; // + offset 0..=4 for w-2..w+2
    pub const EXACT: u64 = 20;
    pub const BI_L: u64 = 21;
    pub const BI_R: u64 = 22;
    pub const PREFIX: u64 = 30; // + len-1
    pub const SUFFIX: u64 = 40; // + len-1
    pub const SHAPE: u64 = 50;
    pub const SSHAPE: u64 = 51; // + offset 0..=4
    pub const SHAPE3: u64 = 60;
    pub const FLAG: u64 = 61;
    pub const LEN: u64 = 62;
    pub const CAPPOS: u64 = 63;
    pub const CUE: u64 = 70; // + offset 0..=4
    pub const LEX: u64 = 80;
    pub const ZIPF: u64 = 81;
    pub const LEX_CAP: u64 = 82;
    pub const ZIPF_CAP: u64 = 83;
    pub const LEX_L: u64 = 84;
    pub const LEX_R: u64 = 85;
    pub const DOC: u64 = 90;
    pub const DOC_RUN: u64 = 91;
    pub const RUN: u64 = 92;
    pub const DOC_CTX: u64 = 93; // + side 0 (left) / 1 (right)
    pub const LEXBIT: u64 = 95;

    pub const WIN: u64 = 96; // + side 0 (left) / 1 (right)
    pub const S_SELF: u64 = 100;
    pub const S_TOKMAJ: u64 = 101;
    pub const S_TOKMAJ_NE: u64 = 102;
    pub const S_ENTMAJ: u64 = 103;
    pub const S_NOENT: u64 = 104;

    pub const HEAD: u64 = 110;
    pub const HEAD_R: u64 = 111;
    pub const HEAD_L: u64 = 112;
    pub const ACR: u64 = 113;
    pub const CLUSTER: u64 = 120; // + granularity 0..=2 for w0
    pub const CLUSTER_L: u64 = 123; // + distance 0 (w-1, 256) / 1 (w-2, 64)
    pub const CLUSTER_R: u64 = 125; // + distance 0 (w+1, 256) / 1 (w+2, 64)
}

/// How far a head word may stand from the word it describes (`Prioritised Ukraine Requirement
/// List`: three words).
const HEAD_REACH: usize = 6;

/// Longest expansion read before an acronym in parentheses, in words.
const ACR_REACH: usize = 10;

/// Most other-occurrence contexts emitted per side for one word.
const MAX_DOC_CTX: usize = 6;

/// Per-token flags.
mod f {
    pub const INIT_CAP: u32 = 1;
    pub const ALL_CAPS: u32 = 1 << 1;
    pub const MIXED: u32 = 1 << 2;
    pub const HAS_DIGIT: u32 = 1 << 3;
    pub const ALL_DIGIT: u32 = 1 << 4;
    pub const HYPHEN: u32 = 1 << 5;
    pub const PUNCT: u32 = 1 << 6;
    pub const INITIAL: u32 = 1 << 7; // `D.`, `J.-L.`
    pub const HAS_LOWER: u32 = 1 << 8;
    pub const APOS: u32 = 1 << 9;
    /// Number of flags above (they are emitted one feature each).
    pub const COUNT: u32 = 10;
}

/// A cue-word class of a word: what its presence next to a capitalised word suggests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Cue {
    None = 0,
    Particle = 1,
    Title = 2,
    PlacePrep = 3,
    Article = 4,
}

#[rustfmt::skip]
fn cue_of(lower: &str) -> Cue {
    match lower {
        "van" | "der" | "den" | "ter" | "ten" | "von" | "vander" | "vanden" | "le" | "la" | "du" | "di" | "da"
        | "'t" | "d'" | "'s" => Cue::Particle,
        "minister" | "premier" | "burgemeester" | "heer" | "mevrouw" | "president" | "koning" | "koningin"
        | "prins" | "prinses" | "voorzitter" | "staatssecretaris" | "schepen" | "senator" | "kardinaal" | "paus"
        | "bisschop" | "directeur" | "dr." | "prof." | "mr." | "ir." | "drs." | "mevr." | "dhr." | "sir" | "generaal"
        | "kapitein" | "pater" | "zuster" | "trainer" | "coach" | "ploegmaat" | "kamerlid" | "volksvertegenwoordiger"
        | "gouverneur" | "commissaris" | "woordvoerder" | "eerste-minister" | "vicepremier" | "kanselier" => Cue::Title,
        "in" | "uit" | "naar" | "te" | "vanuit" | "nabij" | "via" | "richting" | "rond" | "buiten" => Cue::PlacePrep,
        "de" | "het" | "een" => Cue::Article,
        _ => Cue::None,
    }
}

/// What extraction knows about one word before it looks at neighbours.
#[derive(Clone, Copy, Debug, Default)]
struct TokInfo {
    lower: u64,
    exact: u64,
    shape: u64,
    sshape: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    flags: u32,
    len: u32,
    cue: u8,
    lex: LexEntry,
    sent_initial: bool,
    /// Position in its sentence's run of capitalised words: 0 none, 1 begin, 2 inside, 3 end, 4 single.
    run_pos: u8,
    run_len: u8,
    /// [`heads::Head::code`] of the word.
    head: u8,
    /// A word that may stand inside a multi-word name (`van`, `voor`, `-`).
    glue: bool,
    /// The word's clusters.
    clusters: Clusters,
}

/// Position code in a run of length `len`: 1 begin, 2 inside, 3 end, 4 single.
fn run_code(len: usize, k: usize) -> u8 {
    match (len, k) {
        (1, _) => 4,
        (_, 0) => 1,
        (_, k) if k + 1 == len => 3,
        _ => 2,
    }
}

/// Per-document counts for one lower-cased word type.
#[derive(Clone, Copy, Debug, Default)]
struct DocStat {
    /// Capitalised occurrences not at a sentence start.
    cap_inner: u16,
    /// All-lower-case occurrences.
    lower: u16,
    /// Occurrences as first, inner and last word of a multi-word capitalised run.
    run_first: u16,
    run_mid: u16,
    run_last: u16,
}

/// Reusable buffers for extraction; the features of token `j` are `feats[offs[j]..offs[j+1]]`.
#[derive(Default, Debug)]
pub struct FeatureBuf {
    /// Feature hashes of all tokens, concatenated.
    pub feats: Vec<u64>,
    /// Start of each token's features in `feats`, plus one final end.
    pub offs: Vec<u32>,
    toks: Vec<TokInfo>,
    lower: String,
    /// The index in `distinct` of each distinct word of the document, by its exact hash: most
    /// tokens repeat a word seen before (`de`, `,`, the names), and `TokInfo` depends on the
    /// word alone.
    infos: HashedMap<u32>,
    /// What [`token_info`] found for each distinct word, in order of first occurrence.
    distinct: Vec<TokInfo>,
    /// For each token, its word's index in `distinct`.
    pub word_of: Vec<u32>,
    /// The features that depend on the word alone (identity, affixes, shape, flags, lexicon,
    /// head word), once per distinct word: a tagger sums their weights once per word per
    /// document instead of once per token. Word `d`'s are `wfeats[woffs[d]..woffs[d+1]]`.
    pub wfeats: Vec<u64>,
    /// Start of each distinct word's features in `wfeats`, plus one final end.
    pub woffs: Vec<u32>,
    stats: HashedMap<DocStat>,
    /// (word, side, neighbour) for every capitalised occurrence, sorted and deduplicated.
    ctx: Vec<(u64, u8, u64)>,
    /// Second-stage features (see [`FeatureBuf::extract_stacked`]), laid out like `feats`.
    pub feats2: Vec<u64>,
    /// Start of each token's second-stage features in `feats2`, plus one final end.
    pub offs2: Vec<u32>,
    label_counts: HashedMap<[u16; LABEL_CODES]>,
    entities: Vec<(u64, usize, usize, u8)>,
    ent_of: Vec<usize>,
    /// Acronyms defined in the document (`Woningwet (Ww)`): the acronym's exact hash and what
    /// its expansion's head word says it is (see [`acronym_class`]).
    acronyms: Vec<(u64, u8)>,
}

/// Label codes for stacked features: 0 for `O`, 1 + the index in [`Label::ALL`] otherwise.
const LABEL_CODES: usize = 1 + Label::ALL.len();

fn label_code(tag: Tag) -> u8 {
    match tag.label() {
        None => 0,
        Some(l) => {
            1 + Label::ALL
                .iter()
                .position(|x| *x == l)
                .expect("every label is in ALL") as u8
        }
    }
}

/// The most frequent code (ties to the lower code), or `None` when all counts are zero.
fn majority(counts: &[u16], skip_o: bool) -> Option<u64> {
    let mut best: Option<(usize, u16)> = None;
    for (c, &n) in counts.iter().enumerate().skip(usize::from(skip_o)) {
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((c, n));
        }
    }
    best.map(|(c, _)| c as u64)
}

impl FeatureBuf {
    /// The features of token `j` (document index) that depend on its context; its word's own
    /// features are [`FeatureBuf::word`]`(`[`FeatureBuf::word_of`]`[j])`.
    #[inline]
    pub fn token(&self, j: usize) -> &[u64] {
        &self.feats[self.offs[j] as usize..self.offs[j + 1] as usize]
    }

    /// The features of distinct word `d` that depend on the word alone.
    #[inline]
    pub fn word(&self, d: usize) -> &[u64] {
        &self.wfeats[self.woffs[d] as usize..self.woffs[d + 1] as usize]
    }

    /// Number of distinct words in the document.
    pub fn num_words(&self) -> usize {
        self.woffs.len().saturating_sub(1)
    }

    /// All features of token `j`: its word's, then its context's.
    #[cfg(any(test, feature = "train"))]
    pub fn all(&self, j: usize) -> impl Iterator<Item = &u64> {
        self.word(self.word_of[j] as usize)
            .iter()
            .chain(self.token(j))
    }

    /// The second-stage features of token `j`, after [`FeatureBuf::extract_stacked`].
    #[inline]
    pub fn token2(&self, j: usize) -> &[u64] {
        &self.feats2[self.offs2[j] as usize..self.offs2[j + 1] as usize]
    }

    /// Second-stage features from a first CRF's tags for the whole document (Krishnan & Manning
    /// 2006): the tag itself, the majority label of the same word elsewhere in the document,
    /// and the majority label of the same entity string elsewhere. They let the second CRF make
    /// a name's label consistent across the document (`Swissair` is an ORG in every sentence).
    ///
    /// Call after [`extract_doc`] on the same document; `pred` has one tag per word.
    pub fn extract_stacked(&mut self, sentences: &[Range<usize>], pred: &[Tag]) {
        let FeatureBuf {
            toks,
            feats2,
            offs2,
            label_counts,
            entities,
            ent_of,
            ..
        } = self;
        debug_assert_eq!(pred.len(), toks.len());
        feats2.clear();
        offs2.clear();
        label_counts.clear();
        entities.clear();
        for (tok, &tag) in toks.iter().zip(pred) {
            let c = &mut label_counts.entry(tok.lower).or_insert([0; LABEL_CODES])
                [label_code(tag) as usize];
            *c = c.saturating_add(1);
        }
        // Predicted entities: (string hash, start, end, label code); counted under a salted key.
        for sent in sentences {
            for (span, label) in crate::doc::chunks(&pred[sent.clone()]) {
                let (start, end) = (sent.start + span.start, sent.start + span.end);
                let mut h = 0x5EED_u64;
                for tok in &toks[start..end] {
                    h = fmix64(h ^ tok.lower);
                }
                let code = label_code(Tag::B(label));
                entities.push((h, start, end, code));
                let key = h ^ 0xE27_1717;
                let c = label_counts.entry(key).or_insert([0; LABEL_CODES]);
                c[code as usize] = c[code as usize].saturating_add(1);
            }
        }
        ent_of.clear();
        ent_of.resize(toks.len(), usize::MAX);
        for (e, &(_, start, end, _)) in entities.iter().enumerate() {
            ent_of[start..end].iter_mut().for_each(|x| *x = e);
        }
        for (j, tok) in toks.iter().enumerate() {
            offs2.push(feats2.len() as u32);
            let tag = pred[j];
            let own = label_code(tag) as usize;
            let bio = match tag {
                Tag::O => 0,
                Tag::B(_) => 1,
                Tag::I(_) => 2,
            };
            feats2.push(feat1(t::S_SELF, own as u64 * 3 + bio));
            let mut others = label_counts
                .get(&tok.lower)
                .copied()
                .unwrap_or([0; LABEL_CODES]);
            others[own] = others[own].saturating_sub(1);
            let cap = u64::from(is_cap(tok));
            if let Some(m) = majority(&others, false) {
                feats2.push(feat2(t::S_TOKMAJ, m, cap));
            }
            if let Some(m) = majority(&others, true) {
                feats2.push(feat2(t::S_TOKMAJ_NE, m, cap));
            }
            if ent_of[j] != usize::MAX {
                let (h, start, _, code) = entities[ent_of[j]];
                let mut c = label_counts
                    .get(&(h ^ 0xE27_1717))
                    .copied()
                    .unwrap_or([0; LABEL_CODES]);
                c[code as usize] = c[code as usize].saturating_sub(1);
                let first = u64::from(j == start);
                match majority(&c, true) {
                    Some(m) => feats2.push(feat2(t::S_ENTMAJ, m, first)),
                    None => feats2.push(feat1(t::S_NOENT, first)),
                }
            }
        }
        offs2.push(feats2.len() as u32);
    }
}

/// The single feature of the separator positions that pad each sentence in training and decoding.
pub(crate) fn sep_feature() -> u64 {
    feat1(t::SEP, 0)
}

#[inline]
fn feat1(template: u64, a: u64) -> u64 {
    fmix64(a ^ template.wrapping_mul(0xA076_1D64_78BD_642F)) | 1
}

#[inline]
fn feat2(template: u64, a: u64, b: u64) -> u64 {
    fmix64(fmix64(a ^ template.wrapping_mul(0xA076_1D64_78BD_642F)) ^ b.rotate_left(23)) | 1
}

#[inline]
fn feat3(template: u64, a: u64, b: u64, c: u64) -> u64 {
    feat2(template, fmix64(a ^ b.rotate_left(41)), c)
}

const BOS: u64 = 0xB05;
const EOS: u64 = 0xE05;

/// Shape class of a character: X upper, x lower, d digit, or the character itself (ASCII) / `o`.
#[inline]
fn shape_char(c: char) -> u8 {
    if c.is_uppercase() {
        b'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        b'x'
    } else if c.is_ascii_digit() || c.is_numeric() {
        b'd'
    } else if c.is_ascii() {
        c as u8
    } else {
        match c {
            '’' | '‘' | '´' | '`' => b'\'',
            '“' | '”' | '„' => b'"',
            '–' | '—' => b'-',
            _ => b'o',
        }
    }
}

/// Fills `info` with everything about `word` that does not depend on its neighbours.
fn token_info(word: &str, lower_buf: &mut String, lex: &Lexicon) -> TokInfo {
    lower_buf.clear();
    for c in word.chars() {
        // `to_lowercase` of one char can yield several; push them all.
        if c.is_ascii() {
            lower_buf.push(c.to_ascii_lowercase());
        } else {
            lower_buf.extend(c.to_lowercase());
        }
    }
    let lower: &str = lower_buf;
    let mut info = TokInfo {
        lower: word_hash(lower.as_bytes()),
        exact: word_hash(word.as_bytes()),
        ..TokInfo::default()
    };

    // Affixes by characters of the lower-cased form.
    let nchars = lower.chars().count();
    info.len = nchars as u32;
    for (k, (idx, _)) in lower.char_indices().skip(1).take(4).enumerate() {
        info.prefix[k] = word_hash(&lower.as_bytes()[..idx]);
    }
    if (1..=4).contains(&nchars) {
        info.prefix[nchars - 1] = info.lower;
    }
    for (k, (idx, _)) in lower.char_indices().rev().take(4).enumerate() {
        info.suffix[k] = word_hash(&lower.as_bytes()[idx..]);
    }

    // Shapes and flags in one pass over the characters.
    let mut shape = [0u8; 24];
    let mut slen = 0usize;
    let mut sshape = [0u8; 24];
    let mut sslen = 0usize;
    let (mut run_char, mut run) = (0u8, 0usize);
    let (mut upper, mut lowerc, mut digit, mut alpha, mut other) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut first_upper = false;
    for (k, c) in word.chars().enumerate() {
        let s = shape_char(c);
        match s {
            b'X' => {
                upper += 1;
                alpha += 1;
                if k == 0 {
                    first_upper = true;
                }
            }
            b'x' => {
                lowerc += 1;
                alpha += 1;
            }
            b'd' => digit += 1,
            b'-' => {
                info.flags |= f::HYPHEN;
                other += 1;
            }
            b'\'' => {
                info.flags |= f::APOS;
                other += 1;
            }
            _ => other += 1,
        }
        if s == run_char {
            run += 1;
        } else {
            run_char = s;
            run = 1;
            if sslen < sshape.len() {
                sshape[sslen] = s;
                sslen += 1;
            }
        }
        if run <= 4 && slen < shape.len() {
            shape[slen] = s;
            slen += 1;
        }
    }
    info.shape = word_hash(&shape[..slen]);
    info.sshape = word_hash(&sshape[..sslen]);
    if first_upper {
        info.flags |= f::INIT_CAP;
    }
    if upper >= 2 && lowerc == 0 {
        info.flags |= f::ALL_CAPS;
    }
    if upper >= 1 && lowerc >= 1 && !(first_upper && upper == 1) {
        info.flags |= f::MIXED;
    }
    if lowerc > 0 {
        info.flags |= f::HAS_LOWER;
    }
    if digit > 0 {
        info.flags |= f::HAS_DIGIT;
        if digit == nchars {
            info.flags |= f::ALL_DIGIT;
        }
    }
    if alpha == 0 && digit == 0 && other > 0 {
        info.flags |= f::PUNCT;
    }
    // Initials: `D.`, `J.-L.`, `A.J.`: only capitals, periods and hyphens, ending with a period.
    if upper >= 1 && lowerc == 0 && digit == 0 && word.ends_with('.') && word.len() <= 6 {
        info.flags |= f::INITIAL;
    }
    info.cue = cue_of(lower) as u8;
    info.lex = lex.get_hashed(info.lower);
    info.head = heads::head_of_hashed(lower, info.lower).code();
    info.glue = heads::is_name_glue(lower);
    info.clusters = clusters::clusters_of(info.lower);
    info
}

/// The features of a word that depend on nothing else: bias, identity, affixes, shapes,
/// flags, length, lexicon entry and head word.
fn word_features(tok: &TokInfo, out: &mut Vec<u64>) {
    out.push(feat1(t::BIAS, 0));
    out.push(feat1(t::W + 2, tok.lower));
    out.push(feat1(t::SSHAPE + 2, tok.sshape));
    out.push(feat1(t::EXACT, tok.exact));
    for a in 0..4 {
        if tok.prefix[a] != 0 {
            out.push(feat1(t::PREFIX + a as u64, tok.prefix[a]));
        }
        if tok.suffix[a] != 0 && (a as u32) < tok.len {
            out.push(feat1(t::SUFFIX + a as u64, tok.suffix[a]));
        }
    }
    out.push(feat1(t::SHAPE, tok.shape));
    for b in 0..f::COUNT {
        if tok.flags & (1 << b) != 0 {
            out.push(feat1(t::FLAG, u64::from(b)));
        }
    }
    out.push(feat1(t::LEN, u64::from(tok.len.min(12))));
    out.push(feat1(t::LEX, u64::from(tok.lex.flags)));
    out.push(feat1(t::ZIPF, u64::from(tok.lex.zipf)));
    if tok.head != 0 {
        out.push(feat2(t::HEAD, u64::from(tok.head), u64::from(is_cap(tok))));
    }
    for (g, &c) in tok.clusters.0.iter().enumerate() {
        out.push(feat2(
            t::CLUSTER + g as u64,
            u64::from(c),
            u64::from(is_cap(tok)),
        ));
    }
}

/// Whether a word may continue a name while looking for its head word: capitalised, a glue
/// word, or a number (`Wet inkomstenbelasting 2001`).
#[inline]
fn name_like(info: &TokInfo) -> bool {
    is_cap(info) || info.glue || info.flags & f::ALL_DIGIT != 0
}

/// The class an acronym's expansion gives it: the head class (1–3) of the word nearest before
/// the parenthesis that has one, or 4 when the expansion has none.
fn acronym_class(
    toks: &[TokInfo],
    words: &[&str],
    open: usize,
    from: usize,
    acronym: &str,
) -> Option<u8> {
    let first = acronym.chars().next()?.to_lowercase().next()?;
    let mut class = None;
    let mut initial_seen = false;
    for i in (from.max(open.saturating_sub(ACR_REACH))..open).rev() {
        let tok = &toks[i];
        if i + 1 != open && !name_like(tok) {
            break;
        }
        if words[i]
            .chars()
            .next()
            .and_then(|c| c.to_lowercase().next())
            == Some(first)
        {
            initial_seen = true;
        }
        if class.is_none() && tok.head != 0 {
            class = Some(1 + (tok.head - 1) % 3);
        }
    }
    initial_seen.then_some(class.unwrap_or(4))
}

/// Whether a token starts a name-like capitalised run: a capital letter first, or all capitals.
#[inline]
fn is_cap(info: &TokInfo) -> bool {
    info.flags & (f::INIT_CAP | f::ALL_CAPS) != 0
}

/// Extracts the features of every word of a document into `buf`.
///
/// `sentences` are ranges of `words` that cover it in order (as in [`crate::Words`]).
pub fn extract_doc(
    words: &[&str],
    sentences: &[Range<usize>],
    lex: &Lexicon,
    buf: &mut FeatureBuf,
) {
    let FeatureBuf {
        feats,
        offs,
        toks,
        lower,
        infos,
        distinct,
        word_of,
        wfeats,
        woffs,
        stats,
        ctx,
        acronyms,
        ..
    } = buf;
    feats.clear();
    offs.clear();
    toks.clear();
    infos.clear();
    distinct.clear();
    word_of.clear();
    wfeats.clear();
    woffs.clear();
    stats.clear();
    ctx.clear();
    acronyms.clear();

    // Pass 1: per-token info and the sentence-level runs of capitalised words.
    for sent in sentences {
        let start = toks.len();
        for (k, w) in words[sent.clone()].iter().enumerate() {
            let d = *infos.entry(word_hash(w.as_bytes())).or_insert_with(|| {
                distinct.push(token_info(w, lower, lex));
                (distinct.len() - 1) as u32
            });
            word_of.push(d);
            let mut info = distinct[d as usize];
            // Sentence-initial: the first word, or the first after an opening quote or dash.
            info.sent_initial =
                k == 0 || (k <= 2 && toks[start..].iter().all(|p| p.flags & f::PUNCT != 0));
            toks.push(info);
        }
        let sent_toks = &mut toks[start..];
        let mut i = 0;
        while i < sent_toks.len() {
            if !is_cap(&sent_toks[i]) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < sent_toks.len() && is_cap(&sent_toks[j]) {
                j += 1;
            }
            let len = j - i;
            for (k, tok) in sent_toks[i..j].iter_mut().enumerate() {
                tok.run_len = len.min(255) as u8;
                tok.run_pos = run_code(len, k);
            }
            i = j;
        }
    }

    // Pass 2: document statistics per word type, and the neighbours of capitalised words.
    for sent in sentences {
        for j in sent.clone() {
            let tok = &toks[j];
            if !is_cap(tok) {
                continue;
            }
            let left = if j > sent.start {
                toks[j - 1].lower
            } else {
                BOS
            };
            let right = if j + 1 < sent.end {
                toks[j + 1].lower
            } else {
                EOS
            };
            ctx.push((tok.lower, 0, left));
            ctx.push((tok.lower, 1, right));
        }
    }
    ctx.sort_unstable();
    ctx.dedup();
    // Acronyms defined in parentheses: `Nationaal Groeifonds ( NGF )`.
    for sent in sentences {
        for j in sent.start + 1..sent.end.saturating_sub(1) {
            let tok = &toks[j];
            if words[j - 1] == "("
                && words[j + 1] == ")"
                && is_cap(tok)
                && (2..=10).contains(&tok.len)
                && let Some(class) = acronym_class(toks, words, j - 1, sent.start, words[j])
                && !acronyms.iter().any(|a| a.0 == tok.exact)
            {
                acronyms.push((tok.exact, class));
            }
        }
    }
    for tok in toks.iter() {
        let s = stats.entry(tok.lower).or_default();
        if is_cap(tok) && !tok.sent_initial {
            s.cap_inner = s.cap_inner.saturating_add(1);
        }
        if tok.flags & (f::INIT_CAP | f::ALL_CAPS | f::MIXED) == 0 && tok.flags & f::HAS_LOWER != 0
        {
            s.lower = s.lower.saturating_add(1);
        }
        match tok.run_pos {
            1 => s.run_first = s.run_first.saturating_add(1),
            2 => s.run_mid = s.run_mid.saturating_add(1),
            3 => s.run_last = s.run_last.saturating_add(1),
            _ => {}
        }
    }

    // The features of each distinct word that depend on the word alone.
    for tok in distinct.iter() {
        woffs.push(wfeats.len() as u32);
        word_features(tok, wfeats);
    }
    woffs.push(wfeats.len() as u32);

    // Pass 3: the features that depend on the context.
    for sent in sentences {
        let n = sent.len();
        for k in 0..n {
            offs.push(feats.len() as u32);
            let j = sent.start + k;
            let tok = &toks[j];
            let at = |d: isize| -> Option<&TokInfo> {
                let p = k as isize + d;
                (p >= 0 && (p as usize) < n).then(|| &toks[sent.start + p as usize])
            };
            let lower_at = |d: isize| at(d).map_or(if d < 0 { BOS } else { EOS }, |x| x.lower);
            let sshape_at = |d: isize| at(d).map_or(if d < 0 { BOS } else { EOS }, |x| x.sshape);
            let cue_at = |d: isize| at(d).map_or(if d < 0 { 5 } else { 6 }, |x| u64::from(x.cue));

            for d in [-2isize, -1, 1, 2] {
                feats.push(feat1(t::W + (d + 2) as u64, lower_at(d)));
                feats.push(feat1(t::SSHAPE + (d + 2) as u64, sshape_at(d)));
            }
            feats.push(feat2(t::BI_L, lower_at(-1), tok.lower));
            feats.push(feat2(t::BI_R, tok.lower, lower_at(1)));
            feats.push(feat3(t::SHAPE3, sshape_at(-1), tok.sshape, sshape_at(1)));
            let cap = is_cap(tok);
            let capbits = u64::from(cap)
                | u64::from(tok.sent_initial) << 1
                | u64::from(tok.flags & f::ALL_CAPS != 0) << 2;
            feats.push(feat1(t::CAPPOS, capbits));
            for (idx, d) in [-2isize, -1, 1].into_iter().enumerate() {
                let c = cue_at(d);
                if c != 0 {
                    feats.push(feat2(t::CUE + idx as u64, c, u64::from(cap)));
                }
            }

            // Lexicon, crossed with the position.
            let lexbits = u64::from(tok.lex.flags);
            feats.push(feat2(t::LEX_CAP, lexbits, capbits));
            feats.push(feat2(t::ZIPF_CAP, u64::from(tok.lex.zipf), capbits));
            feats.push(feat2(
                t::LEX_L,
                at(-1).map_or(99, |x| u64::from(x.lex.flags)),
                u64::from(cap),
            ));
            feats.push(feat2(
                t::LEX_R,
                at(1).map_or(99, |x| u64::from(x.lex.flags)),
                u64::from(cap),
            ));

            // Document.
            let s = stats.get(&tok.lower).copied().unwrap_or_default();
            let self_inner = u16::from(cap && !tok.sent_initial);
            let cap_else = s.cap_inner > self_inner;
            let self_lower = u16::from(
                tok.flags & (f::INIT_CAP | f::ALL_CAPS | f::MIXED) == 0
                    && tok.flags & f::HAS_LOWER != 0,
            );
            let lower_else = s.lower > self_lower;
            let docbits = u64::from(cap_else) | u64::from(lower_else) << 1;
            feats.push(feat2(t::DOC, docbits, capbits));
            let (mut rf, mut rm, mut rl) = (s.run_first, s.run_mid, s.run_last);
            match tok.run_pos {
                1 => rf -= 1,
                2 => rm -= 1,
                3 => rl -= 1,
                _ => {}
            }
            let runbits = u64::from(rf > 0) | u64::from(rm > 0) << 1 | u64::from(rl > 0) << 2;
            if runbits != 0 {
                feats.push(feat2(t::DOC_RUN, runbits, u64::from(tok.run_pos)));
            }
            feats.push(feat2(
                t::RUN,
                u64::from(tok.run_pos),
                u64::from(tok.run_len.min(4)),
            ));

            // Each lexicon flag on its own, crossed with capitalisation.
            for b in 0..8 {
                if tok.lex.flags & (1 << b) != 0 {
                    feats.push(feat2(t::LEXBIT, b, capbits));
                }
            }
            // A wider window, as bags of words: w-4, w-3 and w+3, w+4.
            for d in [-4isize, -3] {
                if let Some(x) = at(d) {
                    feats.push(feat1(t::WIN, x.lower));
                }
            }
            for d in [3isize, 4] {
                if let Some(x) = at(d) {
                    feats.push(feat1(t::WIN + 1, x.lower));
                }
            }
            // What kind of name: the nearest head word to its right and to its left within a run
            // of name-like words, and an acronym's expansion.
            for d in 1..=HEAD_REACH as isize {
                let Some(x) = at(d) else { break };
                if x.head != 0 {
                    feats.push(feat3(
                        t::HEAD_R,
                        u64::from(x.head),
                        d.min(4) as u64,
                        u64::from(is_cap(x)),
                    ));
                    break;
                }
                if !name_like(x) {
                    break;
                }
            }
            for d in 1..=4isize {
                let Some(x) = at(-d) else { break };
                if x.head != 0 {
                    feats.push(feat3(
                        t::HEAD_L,
                        u64::from(x.head),
                        d as u64,
                        u64::from(is_cap(x)),
                    ));
                    break;
                }
                if !name_like(x) {
                    break;
                }
            }
            // The neighbours' clusters: what kind of word stands next to this one.
            let cl = |d: isize, g: usize| {
                at(d).map_or(u64::from(u16::MAX - 1), |x| u64::from(x.clusters.0[g]))
            };
            feats.push(feat1(t::CLUSTER_L, cl(-1, 1)));
            feats.push(feat1(t::CLUSTER_L + 1, cl(-2, 0)));
            feats.push(feat1(t::CLUSTER_R, cl(1, 1)));
            feats.push(feat1(t::CLUSTER_R + 1, cl(2, 0)));
            if cap && let Some(&(_, class)) = acronyms.iter().find(|a| a.0 == tok.exact) {
                feats.push(feat1(t::ACR, u64::from(class)));
            }
            // What surrounds the same capitalised word elsewhere in the document.
            if cap {
                let here = [lower_at(-1), lower_at(1)];
                let from = ctx.partition_point(|e| e.0 < tok.lower);
                let mut counts = [0usize; 2];
                for &(w, side, nb) in &ctx[from..] {
                    if w != tok.lower {
                        break;
                    }
                    let side = side as usize;
                    if nb != here[side] && counts[side] < MAX_DOC_CTX {
                        counts[side] += 1;
                        feats.push(feat1(t::DOC_CTX + side as u64, nb));
                    }
                }
            }
        }
    }
    offs.push(feats.len() as u32);
}

#[cfg(test)]
// A document of one sentence is a list holding one range, not a range to collect.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn extract(words: &[&str], sentences: &[Range<usize>]) -> FeatureBuf {
        let mut buf = FeatureBuf::default();
        extract_doc(words, sentences, &Lexicon::empty(), &mut buf);
        buf
    }

    #[test]
    fn each_word_gets_features_and_identical_contexts_agree() {
        let words = [
            "Minister",
            "Verhofstadt",
            "bezocht",
            "Gent",
            ".",
            "Hij",
            "bezocht",
            "Gent",
            ".",
        ];
        let buf = extract(&words, &[0..5, 5..9]);
        assert_eq!(buf.offs.len(), words.len() + 1);
        for j in 0..words.len() {
            let fs: Vec<u64> = buf.all(j).copied().collect();
            assert!(fs.len() > 20, "word {j} has {} features", fs.len());
            assert!(fs.iter().all(|&h| h != 0));
        }
        // "Gent" after "bezocht" and before "." in both sentences: the local window is the same,
        // but w-2 differs, so the two sets overlap without being equal.
        let a: std::collections::HashSet<u64> = buf.all(3).copied().collect();
        let b: std::collections::HashSet<u64> = buf.all(7).copied().collect();
        assert!(a.intersection(&b).count() > 15);
        assert_ne!(a, b);
    }

    #[test]
    fn flags_and_runs() {
        let mut lower = String::new();
        let lex = Lexicon::empty();
        let d = token_info("D.", &mut lower, &lex);
        assert!(d.flags & f::INITIAL != 0 && d.flags & f::INIT_CAP != 0);
        let navo = token_info("NAVO", &mut lower, &lex);
        assert!(navo.flags & f::ALL_CAPS != 0 && navo.flags & f::MIXED == 0);
        let ipod = token_info("iPod", &mut lower, &lex);
        assert!(ipod.flags & f::MIXED != 0 && ipod.flags & f::INIT_CAP == 0);
        let punct = token_info("„", &mut lower, &lex);
        assert!(punct.flags & f::PUNCT != 0);
        assert_eq!(
            token_info("Ëlla", &mut lower, &lex).lower,
            word_hash("ëlla".as_bytes())
        );

        let words = ["De", "heer", "Jan", "Peeters", "zei", "dat", "."];
        let mut buf = FeatureBuf::default();
        extract_doc(&words, &[0..7], &lex, &mut buf);
        let runs: Vec<(u8, u8)> = buf.toks.iter().map(|t| (t.run_pos, t.run_len)).collect();
        assert_eq!(
            runs,
            vec![(4, 1), (0, 0), (1, 2), (3, 2), (0, 0), (0, 0), (0, 0)]
        );
        assert!(buf.toks[0].sent_initial && !buf.toks[2].sent_initial);
    }

    #[test]
    fn stacked_features_see_the_other_occurrences() {
        let words = ["Swissair", "groeit", ".", "Ook", "Swissair", "groeit", "."];
        let sentences = [0..3, 3..7];
        let mut buf = FeatureBuf::default();
        extract_doc(&words, &sentences, &Lexicon::empty(), &mut buf);
        let org = Tag::B(Label::Org);
        let pred = [
            org,
            Tag::O,
            Tag::O,
            Tag::O,
            Tag::B(Label::Per),
            Tag::O,
            Tag::O,
        ];
        buf.extract_stacked(&sentences, &pred);
        assert_eq!(buf.offs2.len(), words.len() + 1);
        // The second "Swissair" is told that the other one is an ORG, and the first one that
        // the other is a PER.
        let code = |l: Label| u64::from(label_code(Tag::B(l)));
        assert!(
            buf.token2(4)
                .contains(&feat2(t::S_TOKMAJ_NE, code(Label::Org), 1))
        );
        assert!(
            buf.token2(0)
                .contains(&feat2(t::S_TOKMAJ_NE, code(Label::Per), 1))
        );
        assert!(
            buf.token2(4)
                .contains(&feat2(t::S_ENTMAJ, code(Label::Org), 1))
        );
        // "groeit" is O in both places.
        assert!(buf.token2(1).contains(&feat2(t::S_TOKMAJ, 0, 0)));
    }

    #[test]
    fn extraction_is_deterministic_and_reuses_buffers() {
        let words = ["In", "Antwerpen", "sprak", "Bart", "De", "Wever", "."];
        let mut buf = FeatureBuf::default();
        extract_doc(&words, &[0..7], &Lexicon::empty(), &mut buf);
        let first = (buf.feats.clone(), buf.wfeats.clone(), buf.word_of.clone());
        extract_doc(&words, &[0..7], &Lexicon::empty(), &mut buf);
        assert_eq!(
            first,
            (buf.feats.clone(), buf.wfeats.clone(), buf.word_of.clone())
        );
    }
}
