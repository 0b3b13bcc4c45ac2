//! The annotations Label Studio submits, kept as gold JSONL (`corpus/gold/*.jsonl`'s format,
//! what `nl-ner import` writes and `train` and `eval` read) in `DATA_DIR/annotations.jsonl`.
//!
//! One line per document, in the order the documents were first annotated; a document annotated
//! again (an updated annotation) replaces its line, so the file never holds two versions of one
//! document. Each change rewrites the file atomically (`nl_ner_io::output`: a partial file,
//! renamed over the old one), so a reader or a crash never sees half a line; a lock file keeps a
//! second server off the same directory.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;
use nl_ner_io::import::GoldRecord;
use nl_ner_io::output::Output;

/// The file name in the data directory.
pub const FILE_NAME: &str = "annotations.jsonl";

/// The gold file and what it holds.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    /// Each document's id and line (newline included), in file order.
    lines: Vec<(String, String)>,
    /// Where each id's line is in `lines`.
    index: HashMap<String, usize>,
    /// Held (locked) as long as the store lives.
    _lock: File,
}

/// What [`Store::put`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// A new document.
    Added,
    /// A document that was there, replaced.
    Replaced,
}

impl Store {
    /// Opens (creating it where needed) the data directory and reads the file it holds, checking
    /// every line as gold; fails, naming the line, on one that is not.
    pub fn open(dir: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the data directory {}", dir.display()))?;
        let lock_path = dir.join(".nl-ner-serve.lock");
        let lock = File::create(&lock_path)
            .with_context(|| format!("creating {}", lock_path.display()))?;
        lock.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => anyhow::anyhow!(
                "another nl-ner serve is using the data directory {}",
                dir.display()
            ),
            std::fs::TryLockError::Error(e) => {
                anyhow::Error::new(e).context(format!("locking {}", lock_path.display()))
            }
        })?;
        let path = dir.join(FILE_NAME);
        let mut store = Store {
            path,
            lines: Vec::new(),
            index: HashMap::new(),
            _lock: lock,
        };
        if store.path.exists() {
            let content = std::fs::read_to_string(&store.path)
                .with_context(|| format!("reading {}", store.path.display()))?;
            // Checked as `train` and `eval` will read it; kept as written.
            let docs = nl_ner_io::gold::read_jsonl(&store.path)?;
            let lines = content.lines().filter(|l| !l.trim().is_empty());
            for (doc, line) in docs.into_iter().zip(lines) {
                store.insert(doc.id, format!("{line}\n"));
            }
        }
        Ok(store)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many documents the file holds.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Adds a document, or replaces the one with its id, and rewrites the file.
    pub fn put(&mut self, record: &GoldRecord) -> anyhow::Result<Put> {
        let mut line = Vec::new();
        record.write(&mut line)?;
        let line = String::from_utf8(line).expect("serde_json writes UTF-8");
        let put = self.insert(record.id.clone(), line);
        self.write()?;
        Ok(put)
    }

    fn insert(&mut self, id: String, line: String) -> Put {
        match self.index.get(&id) {
            Some(&i) => {
                self.lines[i].1 = line;
                Put::Replaced
            }
            None => {
                self.index.insert(id.clone(), self.lines.len());
                self.lines.push((id, line));
                Put::Added
            }
        }
    }

    fn write(&self) -> anyhow::Result<()> {
        let mut out = Output::create(&self.path)?;
        for (_, line) in &self.lines {
            out.writer()
                .write_all(line.as_bytes())
                .map_err(|source| nl_ner::Error::Output {
                    path: self.path.clone(),
                    source,
                })?;
        }
        out.finish()?;
        Ok(())
    }
}
