//! spaCy DocBin export (`.spacy`): the binary training corpus that `spacy train` reads
//! (`--paths.train corpus.spacy`), without Python or spaCy at export time.
//!
//! The file is what spaCy's `DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"],
//! store_user_data=True).to_bytes()` writes: a zlib stream (stored blocks, not compressed) of a
//! MessagePack map with `version` `"0.1"`, `attrs` (the attribute ids), `tokens` (one row of
//! `uint64` values per token, native little-endian), `spaces`, `lengths` (`int32` tokens per
//! document), `strings`, `cats`, `flags`, `span_groups` and `user_data` (`{"id": document id}`).
//! Strings are stored by their StringStore key: the symbol id for a string of spaCy's symbol
//! table (`spacy_symbols`), otherwise the 64-bit MurmurHash2 (`MurmurHash64A`, seed 1)
//! of its UTF-8 bytes. The tokens are those of the JSONL export ([`super::spacy::doc_tokens`]),
//! so every document's text is rebuilt exactly and every entity is a `Doc.ents` span.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::spacy::doc_tokens;
use super::spacy_symbols::SYMBOLS;
use nl_ner::{Document, Tag};

/// spaCy's attribute ids (`spacy.attrs`): ORTH, ENT_IOB, ENT_TYPE, SENT_START.
const ATTRS: [u64; 4] = [65, 77, 78, 80];

/// Collects documents and writes them as one DocBin.
#[derive(Debug, Default)]
pub struct DocBinWriter {
    tokens: Vec<u64>,
    spaces: Vec<u8>,
    lengths: Vec<i32>,
    strings: BTreeSet<String>,
    ids: Vec<String>,
}

impl DocBinWriter {
    /// Adds one document.
    pub fn add(&mut self, doc: &Document) {
        let tokens = doc_tokens(doc);
        for (i, t) in tokens.iter().enumerate() {
            let orth = t.span.text(&doc.text);
            self.strings.insert(orth.to_string());
            let (iob, kind) = match t.tag {
                Tag::O => (2, 0),
                Tag::B(l) => (3, self.key(l.as_str())),
                Tag::I(l) => (1, self.key(l.as_str())),
            };
            // SENT_START: 1 starts a sentence, -1 (as uint64) does not; the first token always does.
            let start = if t.sent_start || i == 0 { 1 } else { u64::MAX };
            self.tokens.extend([string_key(orth), iob, kind, start]);
            self.spaces.push(u8::from(t.ws));
        }
        self.lengths
            .push(i32::try_from(tokens.len()).unwrap_or(i32::MAX));
        self.ids.push(doc.id.clone());
    }

    fn key(&mut self, s: &str) -> u64 {
        self.strings.insert(s.to_string());
        string_key(s)
    }

    /// Writes the DocBin.
    pub fn finish<W: Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        let mut m = Vec::with_capacity(self.tokens.len() * 8 + self.spaces.len() + 1024);
        map(&mut m, 10);
        string(&mut m, "version");
        string(&mut m, "0.1");
        string(&mut m, "attrs");
        array(&mut m, ATTRS.len());
        ATTRS.iter().for_each(|&a| uint(&mut m, a));
        string(&mut m, "tokens");
        let tokens: Vec<u8> = self.tokens.iter().flat_map(|v| v.to_le_bytes()).collect();
        bin(&mut m, &tokens);
        string(&mut m, "spaces");
        bin(&mut m, &self.spaces);
        string(&mut m, "lengths");
        let lengths: Vec<u8> = self.lengths.iter().flat_map(|v| v.to_le_bytes()).collect();
        bin(&mut m, &lengths);
        string(&mut m, "strings");
        array(&mut m, self.strings.len());
        self.strings.iter().for_each(|s| string(&mut m, s));
        let n = self.lengths.len();
        string(&mut m, "cats");
        array(&mut m, n);
        (0..n).for_each(|_| map(&mut m, 0));
        string(&mut m, "flags");
        array(&mut m, n);
        for _ in 0..n {
            map(&mut m, 1);
            string(&mut m, "has_unknown_spaces");
            m.push(0xc2);
        }
        string(&mut m, "span_groups");
        array(&mut m, n);
        (0..n).for_each(|_| bin(&mut m, &[0x90]));
        string(&mut m, "user_data");
        array(&mut m, n);
        for id in &self.ids {
            let mut data = Vec::with_capacity(id.len() + 8);
            map(&mut data, 1);
            string(&mut data, "id");
            string(&mut data, id);
            bin(&mut m, &data);
        }
        write_zlib_stored(w, &m)
    }
}

/// The StringStore key of a string: its symbol id, or its 64-bit hash.
pub fn string_key(s: &str) -> u64 {
    match SYMBOLS.binary_search_by(|(name, _)| name.as_bytes().cmp(s.as_bytes())) {
        Ok(i) => SYMBOLS[i].1,
        Err(_) => murmurhash64a(s.as_bytes(), 1),
    }
}

/// MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit version), as spaCy's `hash_string`.
pub fn murmurhash64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut k = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

fn map(m: &mut Vec<u8>, n: usize) {
    if n < 16 {
        m.push(0x80 | n as u8);
    } else {
        m.push(0xde);
        m.extend((n as u16).to_be_bytes());
    }
}

fn array(m: &mut Vec<u8>, n: usize) {
    if n < 16 {
        m.push(0x90 | n as u8);
    } else if let Ok(n) = u16::try_from(n) {
        m.push(0xdc);
        m.extend(n.to_be_bytes());
    } else {
        m.push(0xdd);
        m.extend((n as u32).to_be_bytes());
    }
}

fn string(m: &mut Vec<u8>, s: &str) {
    let n = s.len();
    if n < 32 {
        m.push(0xa0 | n as u8);
    } else if n < 256 {
        m.extend([0xd9, n as u8]);
    } else if let Ok(n) = u16::try_from(n) {
        m.push(0xda);
        m.extend(n.to_be_bytes());
    } else {
        m.push(0xdb);
        m.extend((n as u32).to_be_bytes());
    }
    m.extend_from_slice(s.as_bytes());
}

fn bin(m: &mut Vec<u8>, b: &[u8]) {
    let n = b.len();
    if n < 256 {
        m.extend([0xc4, n as u8]);
    } else if let Ok(n) = u16::try_from(n) {
        m.push(0xc5);
        m.extend(n.to_be_bytes());
    } else {
        m.push(0xc6);
        m.extend((n as u32).to_be_bytes());
    }
    m.extend_from_slice(b);
}

fn uint(m: &mut Vec<u8>, v: u64) {
    if v < 128 {
        m.push(v as u8);
    } else if let Ok(v) = u8::try_from(v) {
        m.extend([0xcc, v]);
    } else if let Ok(v) = u16::try_from(v) {
        m.push(0xcd);
        m.extend(v.to_be_bytes());
    } else {
        m.push(0xcf);
        m.extend(v.to_be_bytes());
    }
}

/// Writes `data` as a zlib stream of stored (uncompressed) deflate blocks (RFC 1950, 1951).
fn write_zlib_stored<W: Write + ?Sized>(w: &mut W, data: &[u8]) -> io::Result<()> {
    w.write_all(&[0x78, 0x01])?;
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        w.write_all(&[0x01, 0x00, 0x00, 0xff, 0xff])?;
    }
    while let Some(block) = blocks.next() {
        let last = u8::from(blocks.peek().is_none());
        let len = block.len() as u16;
        w.write_all(&[last])?;
        w.write_all(&len.to_le_bytes())?;
        w.write_all(&(!len).to_le_bytes())?;
        w.write_all(block)?;
    }
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    w.write_all(&((b << 16) | a).to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_spacy_s() {
        // Values printed by spaCy 3.8: `spacy.strings.hash_string(s)`, `vocab.strings["ORG"]`.
        assert_eq!(string_key("NAVO"), 16212738371409583385);
        assert_eq!(string_key("’s-Gravenhage"), 6285622217505195142);
        assert_eq!(string_key("De"), 9709023768673339208);
        assert_eq!(string_key("ORG"), 383);
        assert_eq!(string_key("X"), 101);
        assert_eq!(string_key(""), 0);
    }
}
