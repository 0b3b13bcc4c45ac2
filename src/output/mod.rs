//! Writing results: the JSONL format, and an output file that appears whole or not at all.

pub mod jsonl;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where output goes. A regular file (or a path that does not exist yet) is written to a temporary
/// file in the same directory and renamed into place on [`Output::finish`], so a reader never
/// sees a half-written file and a failed run leaves none. Anything else (`/dev/stdout`, a FIFO, a
/// device) is written directly, since renaming over it would replace it.
pub struct Output {
    path: Option<PathBuf>,
    kind: Kind,
}

enum Kind {
    Stdout(BufWriter<io::Stdout>),
    Temp(BufWriter<tempfile::NamedTempFile>),
    Direct(BufWriter<File>),
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Self {
        Output { path: None, kind: Kind::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())) }
    }

    /// The file at `path`, written atomically when it is (or will be) a regular file.
    pub fn create(path: &Path) -> Result<Self> {
        let err = |e| Error::Output { path: path.to_path_buf(), source: e };
        let special = fs::metadata(path).map(|m| !m.is_file()).unwrap_or(false);
        let kind = if special {
            Kind::Direct(BufWriter::with_capacity(1 << 16, File::create(path).map_err(err)?))
        } else {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let mut builder = tempfile::Builder::new();
            builder.prefix(".nl-ner-").suffix(".partial");
            if let Some(perms) = output_permissions(path) {
                builder.permissions(perms);
            }
            let tmp = builder.tempfile_in(dir).map_err(err)?;
            Kind::Temp(BufWriter::with_capacity(1 << 16, tmp))
        };
        Ok(Output { path: Some(path.to_path_buf()), kind })
    }

    /// The name to use in messages.
    pub fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| "<stdout>".to_string(), |p| p.display().to_string())
    }

    /// The writer to write to.
    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.kind {
            Kind::Stdout(w) => w,
            Kind::Temp(w) => w,
            Kind::Direct(w) => w,
        }
    }

    /// Flushes everything written so far to the destination (for streaming use).
    pub fn flush(&mut self) -> Result<()> {
        let name = self.name();
        self.writer().flush().map_err(|e| Error::Output { path: name.into(), source: e })
    }

    /// Flushes, syncs and (for a regular file) renames the output into place.
    pub fn finish(self) -> Result<()> {
        let path = self.path.clone().unwrap_or_else(|| PathBuf::from("<stdout>"));
        let err = |e: io::Error| Error::Output { path: path.clone(), source: e };
        match self.kind {
            Kind::Stdout(mut w) => w.flush().map_err(err),
            Kind::Direct(w) => {
                let f = w.into_inner().map_err(|e| err(e.into_error()))?;
                f.sync_all().or_else(ignore_unsupported).map_err(err)
            }
            Kind::Temp(w) => {
                let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
                tmp.as_file().sync_all().map_err(err)?;
                tmp.persist(&path).map_err(|e| err(e.error))?;
                Ok(())
            }
        }
    }
}

/// The replaced file's permissions, or `rw-r--r--` for a new file (a temporary file would
/// otherwise leave the output readable by its owner only).
fn output_permissions(path: &Path) -> Option<fs::Permissions> {
    match fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    }
}

#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

/// Devices and pipes may not support fsync; that is no reason to fail a run.
fn ignore_unsupported(e: io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::InvalidInput || e.raw_os_error() == Some(22) { Ok(()) } else { Err(e) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_appears_only_on_finish() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut out = Output::create(&path).unwrap();
        out.writer().write_all(b"{}\n").unwrap();
        out.flush().unwrap();
        assert!(!path.exists());
        out.finish().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        }
    }

    #[test]
    fn dropped_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, "old").unwrap();
        {
            let mut out = Output::create(&path).unwrap();
            out.writer().write_all(b"new").unwrap();
        }
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
