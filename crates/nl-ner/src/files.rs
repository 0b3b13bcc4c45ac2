//! Files read and written whole: the support files a pipeline loads (models, gazetteers,
//! lexicons), read with a bound on size, and outputs that appear whole or not at all: a file
//! through its partial file ([`partial_path`]), a directory of files in one step
//! ([`replace_dir`]: `nl-ner finetune`'s model directories, `nl-ner export --format neo4j`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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

/// The longest file name most file systems allow, in bytes.
const NAME_MAX: usize = 255;

/// The partial file of the output `path`: `.<file name>.nl-ner-partial` beside it. Its name is
/// fixed so that a later `--resume` finds it. For an output name so long that the partial file's
/// name (or its settings record's, 9 bytes longer) would pass 255 bytes, the name is cut and
/// a CRC-32 of the whole name keeps it apart from other long names.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let full = format!(".{name}.nl-ner-partial");
    if full.len() + ".settings".len() <= NAME_MAX {
        return path.with_file_name(full);
    }
    let mut cut = NAME_MAX - ".settings".len() - ".nl-ner-partial".len() - ".~12345678".len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    path.with_file_name(format!(
        ".{}~{:08x}.nl-ner-partial",
        &name[..cut],
        crc32fast::hash(name.as_bytes())
    ))
}

/// Writes a set of files as one: `write` fills a new directory beside `dir` (its partial
/// directory, `.<name>.nl-ner-partial`), which then takes the place of `dir` in one step (an
/// atomic exchange where the system has one), so that `dir` holds either its old set of files or
/// the complete new one, whatever happens to the run. An existing `dir` may hold only files named
/// in `own` (an earlier run's output): anything else would be lost with the old set, so it is an
/// error.
pub fn replace_dir(
    dir: &Path,
    own: &[&str],
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let err = |e: io::Error| Error::Output {
        path: dir.to_path_buf(),
        source: e,
    };
    let exists = match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "not a directory",
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(err(e)),
    };
    if exists {
        for entry in fs::read_dir(dir).map_err(err)? {
            let name = entry.map_err(err)?.file_name();
            if !own.iter().any(|o| name == *o) {
                return Err(err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "holds {}, which nl-ner did not write; give a new or empty directory",
                        name.to_string_lossy()
                    ),
                )));
            }
        }
    }
    let staging = partial_path(dir);
    // A partial directory is left only by a run that died; it holds nothing anyone needs.
    match fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(e)),
        _ => {}
    }
    fs::create_dir(&staging).map_err(err)?;
    write(&staging)?;
    if !exists {
        return fs::rename(&staging, dir).map_err(err);
    }
    if !exchange(&staging, dir).map_err(err)? {
        // No atomic exchange here: the old set moves aside for the moment of the swap.
        let old = dir.with_file_name(format!(
            ".{}.nl-ner-old",
            dir.file_name()
                .map_or_else(|| "output".into(), |n| n.to_string_lossy())
        ));
        let _ = fs::remove_dir_all(&old);
        fs::rename(dir, &old).map_err(err)?;
        fs::rename(&staging, dir).map_err(err)?;
        return fs::remove_dir_all(&old).map_err(err);
    }
    fs::remove_dir_all(&staging).map_err(err)
}

/// Swaps two paths in one step; `false` where the system cannot.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}
