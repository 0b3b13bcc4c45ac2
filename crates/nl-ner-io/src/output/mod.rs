//! Writing results: the JSONL format, and an output file that appears whole or not at all.
//!
//! A regular output file is written to its *partial file* first ([`partial_path`]: a hidden file
//! with a fixed name in the same directory) and renamed into place when the run is done. A run that
//! dies (killed, out of space, power cut) never leaves a truncated file at the output path; its
//! partial file stays behind, holding whole lines of finished documents (and at most one torn last
//! line), and `nl-ner extract --resume` continues from it ([`Resume`]).

pub mod jsonl;
mod resume;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use nl_ner::files::partial_path;
use nl_ner::{Error, Result};

pub use resume::{Admission, Done, Resume};

/// Where output goes. A regular file (or a path that does not exist yet) is written to its
/// partial file and renamed into place on [`Output::finish`], so a reader never sees a
/// half-written file. Anything else (`/dev/stdout`, a FIFO, a device) is written directly, since
/// renaming over it would replace it.
pub struct Output {
    path: Option<PathBuf>,
    kind: Kind,
}

enum Kind {
    Stdout(BufWriter<io::Stdout>),
    /// A regular file, written to its partial file at `partial` and renamed onto `target` (the
    /// output path, or the file a symbolic link there points to).
    Partial {
        writer: BufWriter<File>,
        partial: PathBuf,
        target: PathBuf,
    },
    Direct(BufWriter<File>),
}

/// Follows the symbolic links at `path` to the file they lead to, which need not exist (a
/// dangling link is replaced through, not by a regular file). At most 40 links, as the kernel.
fn resolve_links(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&at) {
            Ok(next) => {
                at = match at.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            Err(_) => return at,
        }
    }
    at
}

/// Refuses an output file that is one of the inputs (also through links, or under another
/// name), which writing would replace before or while it is read.
pub fn check_not_an_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<()> {
    let Ok(out) = fs::metadata(output) else {
        return Ok(());
    };
    if !out.is_file() {
        return Ok(());
    }
    for input in inputs {
        if fs::metadata(input).is_ok_and(|m| same_file(&out, &m)) {
            let reason = if input == output {
                "it is also an input; choose another output file".to_string()
            } else {
                format!(
                    "it is the input {}; choose another output file",
                    input.display()
                )
            };
            return Err(Error::Output {
                path: output.to_path_buf(),
                source: io::Error::new(io::ErrorKind::InvalidInput, reason),
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// Where the settings of the run writing `partial` are recorded.
fn settings_path(partial: &Path) -> PathBuf {
    let mut name = partial.as_os_str().to_owned();
    name.push(".settings");
    PathBuf::from(name)
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Self {
        Output {
            path: None,
            kind: Kind::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
        }
    }

    /// The file at `path`, written atomically when it is (or will be) a regular file. A partial
    /// file left by an earlier run is discarded.
    pub fn create(path: &Path) -> Result<Self> {
        Ok(Self::open(path, None, false)?.0)
    }

    /// Like [`Output::create`], and records `settings` (everything besides the inputs that the
    /// output depends on: version, model, options) beside the partial file, so that a later
    /// [`Output::resume`] can tell whether it would write the same bytes.
    pub fn create_resumable(path: &Path, settings: &str) -> Result<Self> {
        Ok(Self::open(path, Some(settings), false)?.0)
    }

    /// Like [`Output::create_resumable`], but continues the partial file an interrupted run left
    /// (if any): its torn last line is cut off, and the documents it holds are returned, to be
    /// skipped. Fails when the interrupted run recorded other `settings`, and when `path` is not
    /// a regular file, since only those have a partial file.
    pub fn resume(path: &Path, settings: &str) -> Result<(Self, Resume)> {
        let (out, resume) = Self::open(path, Some(settings), true)?;
        resume.map(|r| (out, r)).ok_or_else(|| Error::Output {
            path: path.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::InvalidInput,
                "only a regular file can be resumed",
            ),
        })
    }

    fn open(path: &Path, settings: Option<&str>, resume: bool) -> Result<(Self, Option<Resume>)> {
        let err = |e| Error::Output {
            path: path.to_path_buf(),
            source: e,
        };
        if nl_ner::files::is_special(path) {
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(path)
                .map_err(err)?;
            let out = Output {
                path: Some(path.to_path_buf()),
                kind: Kind::Direct(BufWriter::with_capacity(1 << 16, file)),
            };
            return Ok((out, None));
        }
        // A symbolic link stays a link: the file it points to (even one that does not exist yet)
        // is the one replaced.
        let target = resolve_links(path);
        let partial = partial_path(&target);
        // Named after the output the user asked for, with the partial file in the reason; a
        // missing directory is named itself (the partial file is an internal name).
        let perr = |e: io::Error| {
            let e = nl_ner::files::missing_dir(&partial, e);
            let reason = if e.kind() == io::ErrorKind::NotFound {
                e.to_string()
            } else {
                format!("partial file {}: {e}", partial.display())
            };
            Error::Output {
                path: path.to_path_buf(),
                source: io::Error::new(e.kind(), reason),
            }
        };
        // Two runs writing one output would interleave their lines.
        let mut file = nl_ner::files::lock_output(&partial).map_err(perr)?;
        if let Some(perms) = output_permissions(path) {
            // Best effort: a file system without Unix permissions still gets the output.
            let _ = file.set_permissions(perms);
        }
        let record = settings_path(&partial);
        let done = if resume {
            let done = Resume::read(&mut file, &partial)?;
            if !done.done().is_empty() {
                let recorded =
                    fs::read_to_string(&record).unwrap_or_else(|_| "(none recorded)".into());
                if Some(recorded.as_str()) != settings {
                    return Err(Error::Resume {
                        partial,
                        reason: format!(
                            "the interrupted run had other settings: {recorded}; this run has {}",
                            settings.unwrap_or("none")
                        ),
                    });
                }
            }
            Some(done)
        } else {
            file.set_len(0).map_err(perr)?;
            None
        };
        match settings {
            Some(s) => fs::write(&record, s).map_err(perr)?,
            None => drop(fs::remove_file(&record)),
        }
        let writer = BufWriter::with_capacity(1 << 16, file);
        Ok((
            Output {
                path: Some(path.to_path_buf()),
                kind: Kind::Partial {
                    writer,
                    partial,
                    target,
                },
            },
            done,
        ))
    }

    /// The name to use in messages.
    pub fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<stdout>".to_string(), |p| p.display().to_string())
    }

    /// Where an unfinished run's output stays, if it is kept anywhere.
    pub fn partial(&self) -> Option<&Path> {
        match &self.kind {
            Kind::Partial { partial, .. } => Some(partial),
            _ => None,
        }
    }

    /// The writer to write to.
    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.kind {
            Kind::Stdout(w) => w,
            Kind::Partial { writer, .. } => writer,
            Kind::Direct(w) => w,
        }
    }

    /// Flushes everything written so far to the destination (for streaming use, and so that a
    /// partial file holds every finished batch).
    pub fn flush(&mut self) -> Result<()> {
        let name = self.name();
        self.writer().flush().map_err(|e| Error::Output {
            path: name.into(),
            source: e,
        })
    }

    /// Ends a run that produced nothing (every input failed): the partial file and its settings
    /// are removed and the file at the output path is left as it was (or not created), so that a
    /// failed rerun never replaces good output with an empty file. Returns whether there was such
    /// a file to keep; standard output and special files are only flushed.
    pub fn abandon(self) -> Result<bool> {
        match self.kind {
            Kind::Partial {
                writer,
                partial,
                target,
            } => {
                drop(writer);
                let _ = fs::remove_file(settings_path(&partial));
                fs::remove_file(&partial).map_err(|e| Error::Output {
                    path: partial.clone(),
                    source: e,
                })?;
                Ok(fs::symlink_metadata(&target).is_ok())
            }
            other => {
                Output {
                    path: self.path,
                    kind: other,
                }
                .finish()?;
                Ok(false)
            }
        }
    }

    /// Flushes, syncs and (for a regular file) renames the output into place.
    pub fn finish(self) -> Result<()> {
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("<stdout>"));
        let err = |e: io::Error| Error::Output {
            path: path.clone(),
            source: e,
        };
        match self.kind {
            Kind::Stdout(mut w) => w.flush().map_err(err),
            Kind::Direct(w) => {
                let f = w.into_inner().map_err(|e| err(e.into_error()))?;
                f.sync_all().or_else(ignore_unsupported).map_err(err)
            }
            Kind::Partial {
                writer,
                partial,
                target,
            } => {
                let file = writer.into_inner().map_err(|e| err(e.into_error()))?;
                file.sync_all().map_err(err)?;
                fs::rename(&partial, &target).map_err(err)?;
                // Only a partial file needs its settings; a stale record is harmless, so no error.
                let _ = fs::remove_file(settings_path(&partial));
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
    if e.kind() == io::ErrorKind::InvalidInput || e.raw_os_error() == Some(22) {
        Ok(())
    } else {
        Err(e)
    }
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
        assert_eq!(
            fs::read(partial_path(&path)).unwrap(),
            b"{}\n",
            "flushed lines reach the partial file"
        );
        out.finish().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no partial file left behind"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644
            );
        }
    }

    #[test]
    fn an_unfinished_output_leaves_the_old_file_and_a_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, "old").unwrap();
        {
            let mut out = Output::create(&path).unwrap();
            out.writer().write_all(b"new\n").unwrap();
            out.flush().unwrap();
            assert!(
                Output::create(&path).is_err(),
                "a second writer is locked out"
            );
        }
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(
            fs::read(dir.path().join(".out.jsonl.nl-ner-partial")).unwrap(),
            b"new\n"
        );
        let out = Output::create(&path).unwrap();
        assert_eq!(
            fs::read(partial_path(&path)).unwrap(),
            b"",
            "a fresh run starts the partial file over"
        );
        out.finish().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn resuming_needs_the_settings_of_the_interrupted_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        {
            let mut out = Output::create_resumable(&path, "model=a").unwrap();
            out.writer()
                .write_all(b"{\"id\":\"1\",\"text\":\"x\"}\n")
                .unwrap();
            out.flush().unwrap();
        }
        let e = Output::resume(&path, "model=b").err().unwrap();
        assert!(
            e.to_string()
                .contains("other settings: model=a; this run has model=b"),
            "{e}"
        );
        let (out, resume) = Output::resume(&path, "model=a").unwrap();
        assert_eq!(resume.done().len(), 1);
        out.finish().unwrap();
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "partial file and settings gone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("real.jsonl"), "old").unwrap();
        let link = dir.path().join("out.jsonl");
        std::os::unix::fs::symlink("real.jsonl", &link).unwrap();
        let mut out = Output::create(&link).unwrap();
        out.writer().write_all(b"new\n").unwrap();
        out.finish().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(dir.path().join("real.jsonl")).unwrap(), b"new\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_directly_and_their_errors_reported() {
        let mut out = Output::create(Path::new("/dev/null")).unwrap();
        out.writer().write_all(b"x\n").unwrap();
        out.finish().unwrap();
        assert!(Path::new("/dev/null").exists());
        assert!(Output::resume(Path::new("/dev/null"), "").is_err());

        // Standard output redirected to a regular file: written through, /dev/stdout untouched.
        assert!(nl_ner::files::is_special(Path::new("/dev/stdout")));

        let mut out = Output::create(Path::new("/dev/full")).unwrap();
        let e = out
            .writer()
            .write_all(&[b'x'; 1 << 17])
            .and_then(|()| out.writer().flush())
            .unwrap_err();
        assert_eq!(e.raw_os_error(), Some(28), "ENOSPC: {e}");
    }
}
