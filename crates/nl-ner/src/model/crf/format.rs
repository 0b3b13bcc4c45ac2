//! The CRF model file: a compact, checksummed table of feature weights.
//!
//! Layout (all integers and floats little-endian):
//!
//! | field | type |
//! |---|---|
//! | magic | 8 bytes `NLNERCRF` |
//! | format version | u32 ([`FORMAT_VERSION`]) |
//! | feature config | u64: hash of the feature templates the model was trained with |
//! | lexicon fingerprint | u64: [`crate::lexicon::Lexicon::fingerprint`] of the lexicon used, 0 for none |
//! | number of labels `L` | u32 |
//! | labels | `L` times: u32 byte length, UTF-8 IOB tag (`O`, `B-PER`, ...) |
//! | number of stages `S` | u32: 1, or 2 for a stacked model (see [`super::features`]) |
//! | per stage: number of rows `R` | u32 |
//! | per stage: feature hashes | `R` × u64, strictly increasing, non-zero |
//! | per stage: state weights | `R` × `L` × f32: row `r` holds the weight of feature `r` for each label |
//! | per stage: transition weights | `L` × `L` × f32: `[previous label][label]` |
//! | checksum | u32: CRC-32 of every byte before it |
//!
//! A model is read whole and checked before use: a truncated, corrupt or foreign file is an
//! [`Error::Model`] naming the problem, never a panic.

use std::path::Path;

use crate::doc::Tag;
use crate::error::{Error, Result};

/// The file's first bytes.
pub(crate) const MAGIC: &[u8; 8] = b"NLNERCRF";
/// The layout version this code reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 2;

/// A decoded model file: labels, weights, and what it was trained with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ModelData {
    /// Hash of the feature templates ([`super::features::feature_config_hash`]).
    pub feature_config: u64,
    /// Fingerprint of the lexicon the features read (0: none).
    pub lexicon_fingerprint: u64,
    /// The labels, in the order of the weight columns.
    pub labels: Vec<Tag>,
    /// One CRF, or two for a stacked model (the second reads the first one's tags).
    pub stages: Vec<StageData>,
}

/// The weights of one CRF.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StageData {
    /// Feature hashes, strictly increasing.
    pub keys: Vec<u64>,
    /// `keys.len() × labels.len()` state weights.
    pub state: Vec<f32>,
    /// `labels.len() × labels.len()` transition weights, `[prev][cur]`.
    pub trans: Vec<f32>,
}

impl ModelData {
    /// Serialises the model, checksum included.
    #[cfg_attr(not(any(feature = "train", test)), allow(dead_code))]
    pub fn to_bytes(&self) -> Vec<u8> {
        let l = self.labels.len();
        let size: usize = self
            .stages
            .iter()
            .map(|s| 4 + s.keys.len() * (8 + 4 * l) + 4 * l * l)
            .sum();
        let mut out = Vec::with_capacity(64 + size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.feature_config.to_le_bytes());
        out.extend_from_slice(&self.lexicon_fingerprint.to_le_bytes());
        out.extend_from_slice(&(l as u32).to_le_bytes());
        for tag in &self.labels {
            let s = tag.to_string();
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out.extend_from_slice(&(self.stages.len() as u32).to_le_bytes());
        for stage in &self.stages {
            assert_eq!(stage.state.len(), stage.keys.len() * l);
            assert_eq!(stage.trans.len(), l * l);
            out.extend_from_slice(&(stage.keys.len() as u32).to_le_bytes());
            for k in &stage.keys {
                out.extend_from_slice(&k.to_le_bytes());
            }
            for w in stage.state.iter().chain(&stage.trans) {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Parses and checks a model file's bytes; `path` names the file in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<ModelData> {
        let bad = |reason: String| Error::Model {
            path: path.to_path_buf(),
            reason,
        };
        if bytes.is_empty() {
            return Err(bad("file is empty".into()));
        }
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("not an nl-ner CRF model (wrong magic bytes)".into()));
        }
        let mut r = Reader {
            bytes,
            pos: MAGIC.len(),
        };
        let truncated = || {
            bad(format!(
                "truncated: the file is {} bytes, too short for its header",
                bytes.len()
            ))
        };
        let version = r.u32().ok_or_else(truncated)?;
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "format version {version}, but this build reads version {FORMAT_VERSION}; retrain or use a matching nl-ner"
            )));
        }
        // The checksum covers everything, so check it before trusting any size field.
        if bytes.len() < r.pos + 4 {
            return Err(truncated());
        }
        let (body, tail) = bytes.split_at(bytes.len() - 4);
        let stored = u32::from_le_bytes(tail.try_into().expect("4 bytes"));
        let actual = crc32fast::hash(body);
        if stored != actual {
            return Err(bad(format!(
                "bad checksum (stored {stored:08x}, computed {actual:08x}): the file is truncated or corrupt"
            )));
        }
        let mut r = Reader {
            bytes: body,
            pos: r.pos,
        };
        let feature_config = r.u64().ok_or_else(truncated)?;
        let lexicon_fingerprint = r.u64().ok_or_else(truncated)?;
        let n_labels = r.u32().ok_or_else(truncated)? as usize;
        if n_labels == 0 || n_labels > 256 {
            return Err(bad(format!("implausible number of labels: {n_labels}")));
        }
        let mut labels = Vec::with_capacity(n_labels);
        for _ in 0..n_labels {
            let len = r.u32().ok_or_else(truncated)? as usize;
            let raw = r.take(len).ok_or_else(truncated)?;
            let s = std::str::from_utf8(raw).map_err(|_| bad("a label is not UTF-8".into()))?;
            let tag: Tag = s.parse().map_err(|e| bad(format!("label set: {e}")))?;
            if labels.contains(&tag) {
                return Err(bad(format!("label `{tag}` appears twice")));
            }
            labels.push(tag);
        }
        if !labels.contains(&Tag::O) {
            return Err(bad("label set has no `O`".into()));
        }
        let n_stages = r.u32().ok_or_else(truncated)? as usize;
        if !(1..=2).contains(&n_stages) {
            return Err(bad(format!("{n_stages} stages; a model has 1 or 2")));
        }
        let mut stages = Vec::with_capacity(n_stages);
        for _ in 0..n_stages {
            let n_rows = r.u32().ok_or_else(truncated)? as usize;
            let expected = n_rows
                .checked_mul(8 + 4 * n_labels)
                .and_then(|n| n.checked_add(4 * n_labels * n_labels))
                .ok_or_else(|| bad(format!("implausible number of rows: {n_rows}")))?;
            let rest = body.len() - r.pos;
            if rest < expected {
                return Err(bad(format!(
                    "size mismatch: {n_rows} rows × {n_labels} labels need {expected} bytes of weights, {rest} are left"
                )));
            }
            let mut keys = Vec::with_capacity(n_rows);
            for _ in 0..n_rows {
                let k = r.u64().expect("size checked");
                if k == 0 || keys.last().is_some_and(|&p| p >= k) {
                    return Err(bad("feature table is not strictly increasing".into()));
                }
                keys.push(k);
            }
            let mut floats = |n: usize| -> Result<Vec<f32>> {
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    let w = f32::from_le_bytes(
                        r.take(4)
                            .expect("size checked")
                            .try_into()
                            .expect("4 bytes"),
                    );
                    if !w.is_finite() {
                        return Err(bad("a weight is not a finite number".into()));
                    }
                    v.push(w);
                }
                Ok(v)
            };
            let state = floats(n_rows * n_labels)?;
            let trans = floats(n_labels * n_labels)?;
            stages.push(StageData { keys, state, trans });
        }
        if r.pos != body.len() {
            return Err(bad(format!(
                "size mismatch: {} bytes after the last stage",
                body.len() - r.pos
            )));
        }
        Ok(ModelData {
            feature_config,
            lexicon_fingerprint,
            labels,
            stages,
        })
    }
}

/// A cursor over a byte slice whose reads return `None` past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Label;

    pub(crate) fn sample() -> ModelData {
        let labels = vec![Tag::O, Tag::B(Label::Per), Tag::I(Label::Per)];
        ModelData {
            feature_config: 42,
            lexicon_fingerprint: 7,
            labels,
            stages: vec![
                StageData {
                    keys: vec![3, 10, 99],
                    state: (0..9).map(|i| i as f32 * 0.5 - 2.0).collect(),
                    trans: (0..9).map(|i| i as f32 * -0.25).collect(),
                },
                StageData {
                    keys: vec![5],
                    state: vec![1.0, 2.0, 3.0],
                    trans: vec![0.5; 9],
                },
            ],
        }
    }

    fn reason(bytes: &[u8]) -> String {
        match ModelData::from_bytes(bytes, Path::new("m")) {
            Err(Error::Model { reason, .. }) => reason,
            other => panic!("expected a model error, got {other:?}"),
        }
    }

    #[test]
    fn round_trips() {
        let m = sample();
        assert_eq!(
            ModelData::from_bytes(&m.to_bytes(), Path::new("m")).unwrap(),
            m
        );
    }

    #[test]
    fn corrupt_files_are_errors_not_panics() {
        let good = sample().to_bytes();
        assert!(reason(&[]).contains("empty"));
        assert!(reason(b"lCRF\0\0\0\0\0\0\0\0\0\0\0\0").contains("magic"));
        for n in [1, 8, 10, 12, 20, good.len() / 2, good.len() - 1] {
            let r = reason(&good[..n]);
            assert!(
                r.contains("truncated") || r.contains("magic") || r.contains("checksum"),
                "{n}: {r}"
            );
        }
        for i in 12..good.len() {
            let mut b = good.clone();
            b[i] ^= 0x10;
            assert!(reason(&b).contains("checksum"), "byte {i}");
        }
        let mut v2 = good.clone();
        v2[8..12].copy_from_slice(&1u32.to_le_bytes());
        assert!(reason(&v2).contains("version 1"));
        // A file whose checksum is right but whose content is inconsistent.
        let mut m = sample();
        m.stages[0].keys = vec![10, 3, 99];
        assert!(reason(&m.to_bytes()).contains("increasing"));
        let mut m = sample();
        m.stages[1].state[1] = f32::NAN;
        assert!(reason(&m.to_bytes()).contains("finite"));
        let mut bytes = sample().to_bytes();
        bytes.truncate(bytes.len() - 4 - 8);
        let crc = crc32fast::hash(&bytes);
        bytes.extend_from_slice(&crc.to_le_bytes());
        assert!(reason(&bytes).contains("size mismatch"));
    }

    #[test]
    fn unknown_labels_are_rejected() {
        let good = sample().to_bytes();
        let needle = b"B-PER";
        let at = good.windows(5).position(|w| w == needle).unwrap();
        let mut b = good[..good.len() - 4].to_vec();
        b[at + 2..at + 5].copy_from_slice(b"XYZ");
        let crc = crc32fast::hash(&b);
        b.extend_from_slice(&crc.to_le_bytes());
        assert!(reason(&b).contains("B-XYZ"));
    }
}
