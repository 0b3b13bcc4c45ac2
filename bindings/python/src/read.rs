//! `nl_ner.read`: extract output read back, as `nl-ner entities`, `export` and `render` read it.

use std::path::Path;

use pyo3::prelude::*;

use crate::Document;
use crate::args::{link, nl_ner_error, paths};

/// The documents of extract output files (JSONL), in order, linked as the command line links
/// them. A line that is not a document raises `NlNerError` (`out.jsonl:3: ...`), or with
/// `skip_bad_lines=True` is left out with a `RuntimeWarning` (the command line's `skipped`
/// message), the other documents kept; a file that cannot be read always raises.
#[pyfunction]
#[pyo3(signature = (paths, *, skip_bad_lines=false))]
pub(crate) fn read(
    py: Python<'_>,
    #[pyo3(from_py_with = read_paths)] paths: Vec<std::path::PathBuf>,
    skip_bad_lines: bool,
) -> PyResult<Vec<Document>> {
    let (mut docs, skipped) = py
        .detach(|| read_files(&paths, skip_bad_lines))
        .map_err(|e| nl_ner_error(&e))?;
    for message in skipped {
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyRuntimeWarning>(),
            &std::ffi::CString::new(format!("nl-ner: skipped {message}"))?,
            1,
        )?;
    }
    link(py, &mut docs)?;
    Ok(docs.into_iter().map(Document::from).collect())
}

fn read_paths(arg: &Bound<'_, PyAny>) -> PyResult<Vec<std::path::PathBuf>> {
    paths(arg, "paths")
}

/// The documents of `paths` and the messages of the lines skipped.
fn read_files(
    paths: &[std::path::PathBuf],
    skip_bad_lines: bool,
) -> nl_ner::Result<(Vec<nl_ner::Document>, Vec<String>)> {
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        for item in nl_ner_io::annotated::open(Path::new(path))? {
            match item {
                Ok(doc) => docs.push(doc),
                Err(e @ nl_ner::Error::BadInput { .. }) if skip_bad_lines => {
                    skipped.push(e.report());
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok((docs, skipped))
}
