//! Reading the support files a pipeline loads (models, gazetteers, lexicons) with a bound on size.

use std::io::{self, Read};
use std::path::Path;

/// Reads a whole support file (a model, a gazetteer) that must be a regular file of at most
/// `limit` bytes, checked before reading, so that `/dev/zero`, a FIFO or a stray huge file is an
/// error instead of exhausting memory (the size is checked again while reading, in case the file
/// grows).
pub fn read_regular_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = |len: u64| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("too large ({len} bytes, over the limit of {limit} bytes)"),
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
