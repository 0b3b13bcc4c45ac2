//! `nl_ner.export`: annotated documents as training data or a knowledge graph (`nl-ner export`).

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use nl_ner::Label;
use nl_ner_io::export::graph::{Graph, Knowledge};
use nl_ner_io::export::training::TrainingExport;
use nl_ner_io::export::turtle::Base;
use nl_ner_io::export::{Format, NAME_LABELS, Order, neo4j, turtle};

use crate::args::{choice, documents, labels, nl_ner_error, write_file};

const FORMATS: [(&str, Format); 7] = [
    ("conll", Format::Conll),
    ("spacy", Format::Spacy),
    ("docbin", Format::Docbin),
    ("doccano", Format::Doccano),
    ("labelstudio", Format::Labelstudio),
    ("neo4j", Format::Neo4j),
    ("turtle", Format::Turtle),
];

const ORDERS: [(&str, Order); 2] = [("input", Order::Input), ("uncertainty", Order::Uncertainty)];

/// Writes `docs` in `format` to `path` (atomically; for `neo4j` a directory of CSV files) and
/// returns `None`, or without `path` returns the export: `bytes` for `docbin`, `str` otherwise.
#[pyfunction]
#[pyo3(signature = (docs, format, path=None, *, labels=None, order="input", base=turtle::DEFAULT_BASE))]
pub(crate) fn export<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyAny>,
    format: &str,
    path: Option<PathBuf>,
    #[pyo3(from_py_with = label_arg)] labels: Option<Vec<Label>>,
    order: &str,
    base: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let format = choice("format", format, &FORMATS)?;
    let order = choice("order", order, &ORDERS)?;
    let base = Base::new(base).map_err(|e| PyValueError::new_err(format!("base: {e}")))?;
    let docs = documents(docs)?;
    let labels = labels.unwrap_or_else(|| {
        if format.is_graph() {
            NAME_LABELS.to_vec()
        } else {
            Label::ALL.to_vec()
        }
    });
    if format == Format::Neo4j {
        let Some(dir) = path else {
            return Err(PyValueError::new_err(
                "format=\"neo4j\" writes a directory of CSV files: give it as path",
            ));
        };
        py.detach(|| neo4j::write(&dir, &Graph::build(&docs, &labels)))
            .map_err(|e| nl_ner_error(&e))?;
        return Ok(None);
    }
    let write = |w: &mut dyn std::io::Write| -> std::io::Result<()> {
        match TrainingExport::new(format, &labels, order) {
            Some(mut export) => {
                for doc in &docs {
                    export.add(doc.clone(), w)?;
                }
                export.finish(w)
            }
            None => {
                let gazetteer = nl_ner::Gazetteer::builtin().map_err(std::io::Error::other)?;
                let graph = Graph::build(&docs, &labels);
                turtle::write(w, &graph, &base, &Knowledge::from_gazetteer(&gazetteer))
            }
        }
    };
    if let Some(path) = &path {
        py.detach(|| write_file(path, write))
            .map_err(|e| nl_ner_error(&e))?;
        return Ok(None);
    }
    let mut out = Vec::new();
    py.detach(|| write(&mut out))
        .map_err(|e| nl_ner_error(&e))?;
    if format == Format::Docbin {
        return Ok(Some(PyBytes::new(py, &out).into_any()));
    }
    let text = String::from_utf8(out).map_err(|e| nl_ner_error(&e))?;
    Ok(Some(PyString::new(py, &text).into_any()))
}

fn label_arg(arg: &Bound<'_, PyAny>) -> PyResult<Option<Vec<Label>>> {
    labels(Some(arg), "labels")
}
