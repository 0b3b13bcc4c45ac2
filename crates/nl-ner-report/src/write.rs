//! Writing a report's pages beside its first page, so that a reader sees the old report or the
//! new one, never a mix (`nl-ner render`, `nl_ner.render` in Python).

use std::path::{Path, PathBuf};

use nl_ner::files::{OutputLock, is_special};
use nl_ner::{Error, Result};
use nl_ner_io::output::Output;

use crate::Report;

impl Report<'_> {
    /// Writes every page into `dir` (each atomically) and removes the further pages an earlier
    /// report of the same name left there; returns the paths written, the first page first.
    ///
    /// The further pages are written first, each under a name of this report's generation, and
    /// the first page last: until it is renamed into place the old first page links to the old
    /// pages, which are still there.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let first = dir.join(self.page_name(0));
        if is_special(&first) {
            return Err(Error::Context {
                context: format!(
                    "{}: a report is a set of files beside its first page; give a file name in a directory",
                    first.display()
                ),
                source: "not a regular file".into(),
            });
        }
        // Held until the stale pages are gone: another run writing or cleaning the same report
        // would remove this one's pages as "another generation".
        let _lock = OutputLock::take(&first)?;
        let mut written = Vec::with_capacity(self.page_count());
        for page in (1..self.page_count()).chain([0]) {
            let path = dir.join(self.page_name(page));
            let mut out = Output::create(&path)?;
            out.writer()
                .write_all(self.render_page(page).as_bytes())
                .map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
            out.finish()?;
            written.push(path);
        }
        written.rotate_right(1);
        self.remove_stale_pages(dir);
        Ok(written)
    }

    /// Removes the further pages an earlier report of the same name left beside this one
    /// (another generation), so that no link leads to a page of another corpus; only files
    /// nl-ner wrote (by their generator tag).
    fn remove_stale_pages(&self, dir: &Path) {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = std::fs::read_dir(listing) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !self.is_other_generation(name) {
                continue;
            }
            let path = dir.join(name);
            if written_by_nl_ner(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Whether `path` is a page nl-ner wrote: a regular file (never a link, which would lead
/// elsewhere, nor a FIFO or device, whose reading may never end) whose head carries nl-ner's
/// generator tag. Only the head is read (the tag is on the sixth line), so a huge file costs
/// nothing.
fn written_by_nl_ner(path: &Path) -> bool {
    use std::io::Read;
    const TAG: &[u8] = b"<meta name=\"generator\" content=\"nl-ner\">";
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()) {
        return false;
    }
    let Ok(file) = open_no_follow(path) else {
        return false;
    };
    // The file was checked above, but may have been replaced since: the open does not follow a
    // link, and the opened file is checked again.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(1024);
    if file.take(1024).read_to_end(&mut head).is_err() {
        return false;
    }
    head.windows(TAG.len()).any(|w| w == TAG)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}
