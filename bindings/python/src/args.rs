//! Python arguments as the library's types. A wrong type is a `TypeError` and a wrong value a
//! `ValueError`, each naming the argument: a `str` where a list is expected (`gold="a.conll"`)
//! says to pass a list, instead of pyo3's `Can't extract 'str' to 'Vec'` or, worse, reading the
//! string's characters as the items.

use std::io::Write;
use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use nl_ner::Label;
use nl_ner_io::output::Output;

use crate::{Document, NlNerError};

/// The library's error as `NlNerError`, with the message the command line prints.
pub(crate) fn nl_ner_error(e: &dyn std::error::Error) -> PyErr {
    NlNerError::new_err(nl_ner::report(e))
}

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// The items of `arg`, a list (or another iterable) of `what`; a `str`, `bytes`, path, dict or
/// lone `Document`, which are one item rather than a list of them, is refused.
fn items<'py>(arg: &Bound<'py, PyAny>, name: &str, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let single = arg.is_instance_of::<PyString>()
        || arg.is_instance_of::<PyBytes>()
        || arg.is_instance_of::<PyDict>()
        || arg.is_instance_of::<Document>()
        || arg.hasattr("__fspath__")?;
    if single {
        return Err(PyTypeError::new_err(format!(
            "{name}: pass a list of {what}, not a single {} (for one: {name}=[{}])",
            type_name(arg),
            arg.repr()
                .map_or_else(|_| "...".to_string(), |r| r.to_string())
        )));
    }
    let Ok(iter) = arg.try_iter() else {
        return Err(PyTypeError::new_err(format!(
            "{name}: pass a list of {what}, not a {}",
            type_name(arg)
        )));
    };
    iter.collect()
}

/// A list of paths (`str` or `os.PathLike`).
pub(crate) fn paths(arg: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<PathBuf>> {
    items(arg, name, "paths")?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.extract::<PathBuf>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{name}: item {i} is a {}, not a path (str or os.PathLike)",
                    type_name(item)
                ))
            })
        })
        .collect()
}

/// An optional list of paths; `None` is none.
pub(crate) fn optional_paths(arg: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Vec<PathBuf>> {
    arg.filter(|a| !a.is_none())
        .map_or_else(|| Ok(Vec::new()), |a| paths(a, name))
}

/// A list of labels by name, in any case (`["per", "ORG"]`); `None` stays `None`.
pub(crate) fn labels(arg: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Vec<Label>>> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else {
        return Ok(None);
    };
    let names = items(arg, name, "labels")?;
    let mut labels = Vec::with_capacity(names.len());
    for (i, item) in names.iter().enumerate() {
        let Ok(text) = item.extract::<String>() else {
            return Err(PyTypeError::new_err(format!(
                "{name}: item {i} is a {}, not a label name (str)",
                type_name(item)
            )));
        };
        let label = text.trim().to_uppercase().parse().map_err(|_| {
            PyValueError::new_err(format!(
                "{name}: unknown label '{text}'; the labels are {}",
                Label::ALL.map(|l| l.as_str()).join(", ")
            ))
        })?;
        labels.push(label);
    }
    Ok(Some(labels))
}

/// The documents of `docs`, a list of `nl_ner.Document`, each linked (entity ids) as the
/// command line links extract output read back: a document annotated without the domain layer
/// has no ids yet and gets them from the built-in gazetteers.
pub(crate) fn documents(docs: &Bound<'_, PyAny>) -> PyResult<Vec<nl_ner::Document>> {
    let what = "nl_ner.Document (from Pipeline.annotate, annotate_many or nl_ner.read)";
    let mut out = Vec::new();
    for (i, item) in items(docs, "docs", what)?.iter().enumerate() {
        let Ok(doc) = item.cast::<Document>() else {
            return Err(PyTypeError::new_err(format!(
                "docs: item {i} is a {}, not an {what}",
                type_name(item)
            )));
        };
        out.push(doc.get().doc.clone());
    }
    docs.py()
        .detach(|| {
            let segmenter = nl_ner::segment::Segmenter::new();
            out.iter_mut()
                .filter(|d| d.tokens.is_empty())
                .try_for_each(|d| read_back(d, &segmenter))
        })
        .map_err(|e| nl_ner_error(&e))?;
    link(docs.py(), &mut out)?;
    Ok(out)
}

/// Makes `doc` what the command line reads back from its JSON line: a document annotated in
/// Python keeps only what its line holds (its tokens are dropped to save memory), and the
/// exports work on the tokens and sentences that reading the line gives, so the same documents
/// give the same files from Python as from `nl-ner extract` then `nl-ner export`.
fn read_back(
    doc: &mut nl_ner::Document,
    segmenter: &nl_ner::segment::Segmenter,
) -> nl_ner::Result<()> {
    let mut line = Vec::with_capacity(doc.text.len() * 2 + 256);
    nl_ner_io::output::jsonl::write_document(&mut line, doc).map_err(|source| {
        nl_ner::Error::Output {
            path: format!("document {}", doc.id).into(),
            source,
        }
    })?;
    *doc = nl_ner_io::annotated::parse_line(&line, &doc.id, segmenter).map_err(|e| {
        nl_ner::Error::BadInput {
            input: doc.id.clone(),
            reason: e.report(),
        }
    })?;
    Ok(())
}

/// Links the documents that are not linked yet, with the built-in gazetteers (as
/// `nl-ner entities`, `export` and `render` do with extract output written without ids).
pub(crate) fn link(py: Python<'_>, docs: &mut [nl_ner::Document]) -> PyResult<()> {
    if docs.iter().all(nl_ner::Document::is_linked) {
        return Ok(());
    }
    py.detach(|| -> nl_ner::Result<()> {
        let gazetteer = nl_ner::Gazetteer::builtin()
            .map_err(|e| nl_ner::Error::context("loading the built-in gazetteers", e))?;
        let linker = nl_ner::Linker::new(&gazetteer);
        docs.iter_mut()
            .filter(|d| !d.is_linked())
            .for_each(|d| linker.link(d));
        Ok(())
    })
    .map_err(|e| nl_ner_error(&e))
}

/// One of the `options` by its name, or a `ValueError` listing them.
pub(crate) fn choice<T: Copy>(name: &str, value: &str, options: &[(&str, T)]) -> PyResult<T> {
    options
        .iter()
        .find(|(n, _)| *n == value)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("'{n}'")).collect();
            PyValueError::new_err(format!(
                "{name}: '{value}' is not one of {}",
                names.join(", ")
            ))
        })
}

/// Writes `path` atomically (a temporary file renamed into place, as the command line writes
/// its output) with what `write` writes.
pub(crate) fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> nl_ner::Result<()> {
    let mut out = Output::create(path)?;
    write(out.writer()).map_err(|source| nl_ner::Error::Output {
        path: path.to_path_buf(),
        source,
    })?;
    out.finish()
}
