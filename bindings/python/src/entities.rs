//! `nl_ner.entities`: the entity table of annotated documents (`nl-ner entities`).

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use nl_ner_io::export::NAME_LABELS;
use nl_ner_io::export::entity_table::{EntityTablesBuilder, SortKey, TableFormat};

use crate::args::{choice, documents, labels, nl_ner_error, write_file};

const SORT_KEYS: [(&str, SortKey); 5] = [
    ("mentions", SortKey::Mentions),
    ("documents", SortKey::Documents),
    ("id", SortKey::Id),
    ("label", SortKey::Label),
    ("name", SortKey::Name),
];

const FORMATS: [(&str, TableFormat); 3] = [
    ("table", TableFormat::Table),
    ("csv", TableFormat::Csv),
    ("json", TableFormat::Json),
];

/// The entity table of `docs`: without `format` a list of dicts (the objects of `nl-ner
/// entities --format json`), with `format` its text (`table`, `csv`, `json`), written
/// atomically to `path` when one is given (then `None` is returned; without `format` the
/// format is the path's extension: `.csv`, `.json`/`.jsonl`, `.txt`).
#[pyfunction]
#[pyo3(signature = (docs, *, labels=None, sort="mentions", relations=true, format=None, path=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn entities<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = label_arg)] labels: Option<Vec<nl_ner::Label>>,
    sort: &str,
    relations: bool,
    format: Option<&str>,
    path: Option<PathBuf>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let docs = documents(docs)?;
    let labels = labels.unwrap_or_else(|| NAME_LABELS.to_vec());
    let sort = choice("sort", sort, &SORT_KEYS)?;
    let format = match (format, &path) {
        (Some(f), _) => Some(choice("format", f, &FORMATS)?),
        (None, Some(p)) => Some(format_of(p)?),
        (None, None) => None,
    };
    let tables = py.detach(|| {
        let mut builder = EntityTablesBuilder::new(&labels, relations);
        docs.iter().for_each(|d| builder.add(d));
        builder.finish()
    });
    let write =
        |w: &mut dyn std::io::Write| tables.write(w, format.unwrap_or(TableFormat::Json), sort);
    if let Some(path) = &path {
        py.detach(|| write_file(path, write))
            .map_err(|e| nl_ner_error(&e))?;
        return Ok(None);
    }
    let mut text = Vec::new();
    write(&mut text).map_err(|e| nl_ner_error(&e))?;
    let text = String::from_utf8(text).map_err(|e| nl_ner_error(&e))?;
    if format.is_some() {
        return Ok(Some(PyString::new(py, &text).into_any()));
    }
    let json = py.import("json")?;
    let rows = text
        .lines()
        .map(|line| json.call_method1("loads", (line,)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Some(rows.into_pyobject(py)?.into_any()))
}

fn label_arg(arg: &Bound<'_, PyAny>) -> PyResult<Option<Vec<nl_ner::Label>>> {
    labels(Some(arg), "labels")
}

/// The table format a file name asks for.
fn format_of(path: &std::path::Path) -> PyResult<TableFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => Ok(TableFormat::Csv),
        Some("json" | "jsonl") => Ok(TableFormat::Json),
        Some("txt") => Ok(TableFormat::Table),
        _ => Err(PyValueError::new_err(format!(
            "path: cannot tell the format of {} from its extension: give format=\"csv\", \"json\" or \"table\"",
            path.display()
        ))),
    }
}
