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

/// Opens (creating it) and locks `path` for this run's output, so that a second nl-ner run
/// writing the same output fails at once instead of mixing the two runs' files. Every subcommand
/// that writes takes this one lock: `extract`, `import`, `export` and `entities` on their output's
/// partial file ([`partial_path`]), `render` and the directory outputs ([`replace_dir`]) on
/// [`lock_path`] for the whole run. The lock is an advisory `flock`, released when the returned
/// file is closed (also when the process dies).
pub fn lock_output(path: &Path) -> io::Result<fs::File> {
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
            io::ErrorKind::ResourceBusy,
            "another nl-ner run is writing this output",
        )),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// `e`, from creating a file beside an output (its partial or lock file at `beside`), said as
/// the user sees it when the output's directory does not exist: that directory is named, not the
/// internal file.
pub fn missing_dir(beside: &Path, e: io::Error) -> io::Error {
    match beside.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) if e.kind() == io::ErrorKind::NotFound && !d.exists() => io::Error::new(
            e.kind(),
            format!("the directory {} does not exist", d.display()),
        ),
        _ => e,
    }
}

/// The lock file of an output written as several files (a report's pages, a directory):
/// `.<name>.nl-ner-lock` beside it, held by [`OutputLock`] for the whole run.
pub fn lock_path(path: &Path) -> PathBuf {
    let partial = partial_path(path);
    let name = partial.file_name().map_or_else(
        || ".output.nl-ner-lock".into(),
        |n| {
            n.to_string_lossy()
                .replace(".nl-ner-partial", ".nl-ner-lock")
        },
    );
    partial.with_file_name(name)
}

/// The lock on an output of several files, held from the run's start to its end ([`lock_output`]
/// on [`lock_path`]). The lock file is removed when the run is done.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock of the output at `output`; an error when another run holds it.
    pub fn take(output: &Path) -> Result<OutputLock> {
        let path = lock_path(output);
        let file = lock_output(&path).map_err(|e| Error::Output {
            path: output.to_path_buf(),
            source: missing_dir(&path, e),
        })?;
        Ok(OutputLock { path, _file: file })
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked. A run that opened the file just before cannot lock it any
        // more (the try-lock fails) or, after the close, locks a file no one else will open: the
        // one window is a third run starting in that same moment.
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the output `path` is written directly rather than replaced through a partial file
/// and a rename: anything but a regular file (devices, FIFOs, sockets), and every path under `/dev`
/// and `/proc`, since `/dev/stdout` can lead to a regular file the shell opened, which must be
/// written through, not replaced (and renaming over `/dev/full` as root would replace the device).
pub fn is_special(path: &Path) -> bool {
    if cfg!(unix) && (path.starts_with("/dev") || path.starts_with("/proc")) {
        return true;
    }
    fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// The most a data file read whole may hold (gold, training data, an annotation tool's export,
/// a lexicon), and the longest line of extract output read back: 1 GiB, as for models and
/// gazetteers.
pub const MAX_DATA_BYTES: u64 = 1 << 30;

/// Opens a data file named on the command line: a regular file, or a pipe (`<(…)`, `/dev/stdin`
/// in a pipeline), never a device, a directory or a socket, whose reading would not end
/// (`/dev/zero`) or means nothing.
pub fn open_data_file(path: &Path) -> io::Result<fs::File> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() && !is_fifo(&meta) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", kind_of(&meta)),
        ));
    }
    fs::File::open(path)
}

#[cfg(unix)]
fn is_fifo(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &fs::Metadata) -> bool {
    false
}

/// What a file that is not a regular file is, for messages.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Reads a whole data file ([`open_data_file`], [`read_text_stream`]).
pub fn read_data_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_text_stream(open_data_file(path)?, limit)
}

/// Reads a text stream whole, at most `limit` bytes: a longer one is an error as soon as the
/// limit is passed, and so is a NUL byte (binary data, or UTF-16 text; [`nul_reason`]), so that
/// `/dev/zero` in a pipe costs one buffer, not memory until the process is killed.
pub fn read_text_stream(mut reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(at) = chunk[..n].iter().position(|&b| b == 0) {
            let at = bytes.len() + at;
            bytes.extend_from_slice(&chunk[..n]);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                nul_reason(&bytes, at),
            ));
        }
        if (bytes.len() + n) as u64 > limit {
            return Err(too_large(limit));
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("too large (over the limit of {limit} bytes)"),
    )
}

/// Why text with a NUL byte at `at` is refused: UTF-16 (by its byte-order mark, or by every
/// other byte of its start being NUL, as ASCII is in UTF-16) or binary data.
pub fn nul_reason(bytes: &[u8], at: usize) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return "UTF-16 text, not UTF-8 (a UTF-16 byte-order mark at byte 0); convert it to UTF-8"
            .to_string();
    }
    let head = &bytes[..bytes.len().min(64)];
    let nuls = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let pairs = head.len() / 2;
    let utf16 = |a, b| nuls(a) == pairs && nuls(b) == 0;
    if pairs >= 4 && (utf16(0, 1) || utf16(1, 0)) {
        return "UTF-16 text, not UTF-8 (every other byte is NUL); convert it to UTF-8".to_string();
    }
    format!("binary file (NUL byte at byte {at})")
}

/// Reads one line (to `\n`, kept) into `buf` from a buffered stream, at most `limit` bytes:
/// `Ok(false)` at the end of the stream; a longer line, or a NUL byte ([`nul_reason`]), is an
/// error as soon as it is seen, so an endless line costs one buffer.
pub fn read_line_bounded(
    reader: &mut impl io::BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> io::Result<bool> {
    let start = buf.len();
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(buf.len() > start);
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if let Some(at) = chunk[..take].iter().position(|&b| b == 0) {
            let mut seen = buf[start..].to_vec();
            seen.extend_from_slice(&chunk[..take]);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                nul_reason(&seen, buf.len() - start + at),
            ));
        }
        if (buf.len() - start + take) as u64 > limit.saturating_add(1) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a line over the limit of {limit} bytes"),
            ));
        }
        buf.extend_from_slice(&chunk[..take]);
        reader.consume(take);
        if done {
            return Ok(true);
        }
    }
}

/// `bytes` without a leading UTF-8 byte-order mark. Every reader drops it the same way: at the
/// start of a file, and at the start of each JSONL line (where concatenated files put it), so that
/// offsets count from the first character of the text, never from the mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
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
    // Two runs on one directory would mix their files in the partial directory.
    let _lock = OutputLock::take(dir)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_streams_are_bounded_and_end_at_a_nul_byte() {
        assert_eq!(read_text_stream(&b"abc"[..], 3).unwrap(), b"abc");
        let e = read_text_stream(&b"abcd"[..], 3).unwrap_err();
        assert_eq!(e.to_string(), "too large (over the limit of 3 bytes)");
        let e = read_text_stream(io::repeat(0), 1 << 30).unwrap_err();
        assert_eq!(e.to_string(), "binary file (NUL byte at byte 0)");
        let utf16: Vec<u8> = "De NAVO"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let e = read_text_stream(&utf16[..], 100).unwrap_err();
        assert!(e.to_string().starts_with("UTF-16 text"), "{e}");
    }

    #[test]
    fn lines_are_bounded_and_kept_whole() {
        let mut r = io::BufReader::with_capacity(4, &b"abcde\nxy\nz"[..]);
        let mut lines = Vec::new();
        loop {
            let mut buf = Vec::new();
            if !read_line_bounded(&mut r, &mut buf, 5).unwrap() {
                break;
            }
            lines.push(String::from_utf8(buf).unwrap());
        }
        assert_eq!(lines, ["abcde\n", "xy\n", "z"]);
        let mut r = io::BufReader::new(&b"abcdefg\n"[..]);
        assert!(read_line_bounded(&mut r, &mut Vec::new(), 5).is_err());
        let mut r = io::BufReader::new(io::repeat(0));
        let e = read_line_bounded(&mut r, &mut Vec::new(), 1 << 30).unwrap_err();
        assert!(e.to_string().contains("NUL byte at byte 0"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn data_files_are_regular_files_or_pipes() {
        let e = read_data_file(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a character device)");
        let dir = tempfile::tempdir().unwrap();
        let e = read_data_file(dir.path(), 10).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a directory)");
    }

    #[test]
    fn a_second_lock_on_one_output_fails() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.html");
        let lock = OutputLock::take(&out).unwrap();
        let e = OutputLock::take(&out).unwrap_err();
        assert!(
            crate::report(&e).contains("another nl-ner run is writing this output"),
            "{}",
            crate::report(&e)
        );
        drop(lock);
        assert!(!lock_path(&out).exists(), "removed at the end");
        assert_eq!(lock_path(&out).file_name().unwrap(), ".r.html.nl-ner-lock");
        let missing = dir.path().join("no/r.html");
        let e = OutputLock::take(&missing).unwrap_err();
        assert!(
            crate::report(&e).contains("the directory"),
            "{}",
            crate::report(&e)
        );
    }
}
