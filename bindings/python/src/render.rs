//! `nl_ner.render`: the HTML report of annotated documents (`nl-ner render`).

use std::path::{Path, PathBuf};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use nl_ner::EntityTable;
use nl_ner_io::export::NAME_LABELS;
use nl_ner_report::{RenderConfig, Report};

use crate::args::{documents, nl_ner_error};

/// Writes the report of `docs` with its first page at `path` (the further pages beside it,
/// `NAME-2-GEN.html`, ...) and returns the paths written, the first page first.
#[pyfunction]
#[pyo3(signature = (docs, path, *, title=None, docs_per_page=100, top=10))]
pub(crate) fn render(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    path: PathBuf,
    title: Option<String>,
    docs_per_page: usize,
    top: usize,
) -> PyResult<Vec<PathBuf>> {
    if docs_per_page == 0 {
        return Err(PyValueError::new_err("docs_per_page must be at least 1"));
    }
    let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(PyValueError::new_err(format!(
            "path: {}: the report needs a file name in UTF-8",
            path.display()
        )));
    };
    let docs = documents(docs)?;
    let config = RenderConfig {
        title: title.unwrap_or_else(|| RenderConfig::default().title),
        docs_per_page,
        top_per_label: top,
        ..RenderConfig::default()
    };
    py.detach(|| {
        let table = EntityTable::build(&docs, &NAME_LABELS);
        let report = Report::new(&docs, &table, config, file_name);
        report.write(path.parent().unwrap_or(Path::new("")))
    })
    .map_err(|e| nl_ner_error(&e))
}
