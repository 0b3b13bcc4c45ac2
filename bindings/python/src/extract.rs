//! `nl_ner.extract`: files annotated into a JSON Lines file, as `nl-ner extract FILES -o OUT`.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use nl_ner_io::input::{self, Documents, InputFormat, InputSpec};
use nl_ner_io::output::{Output, jsonl};

use crate::Pipeline;
use crate::args::{choice, nl_ner_error, paths};

const INPUT_FORMATS: [(&str, InputFormat); 3] = [
    ("auto", InputFormat::Auto),
    ("text", InputFormat::Text),
    ("jsonl", InputFormat::Jsonl),
];

/// What an extraction did.
#[derive(Default)]
struct Summary {
    documents: usize,
    entities: usize,
    /// `(input, reason)` of each input skipped.
    skipped: Vec<(String, String)>,
}

/// Annotates the files and directories of `inputs` (as `nl-ner extract` reads them: `.jsonl`
/// one document per line, PDF, DOCX, ODT, HTML, XML and text files, directories walked) with
/// `pipeline` (default: `Pipeline()`) and writes the JSON Lines to `output` atomically, the
/// bytes `nl-ner extract INPUTS -o OUTPUT` writes. An input that cannot be read is skipped and
/// listed in the summary returned: `{"documents", "entities", "skipped": [{"input",
/// "reason"}], "output"}`; when every input is skipped nothing is written (an existing
/// `output` is kept).
#[pyfunction]
#[pyo3(signature = (inputs, output, *, pipeline=None, input_format="auto", max_doc_bytes=input::DEFAULT_MAX_DOC_BYTES, xml_text=None))]
pub(crate) fn extract<'py>(
    py: Python<'py>,
    inputs: &Bound<'py, PyAny>,
    output: PathBuf,
    pipeline: Option<Py<Pipeline>>,
    input_format: &str,
    max_doc_bytes: u64,
    xml_text: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let specs: Vec<InputSpec> = paths(inputs, "inputs")?
        .into_iter()
        .map(InputSpec::Path)
        .collect();
    let format = choice("input_format", input_format, &INPUT_FORMATS)?;
    if max_doc_bytes == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "max_doc_bytes must be at least 1",
        ));
    }
    let pipeline = match pipeline {
        Some(p) => p,
        None => Py::new(py, Pipeline::new(py, None, None, true, None, true)?)?,
    };
    let shared = std::sync::Arc::clone(&pipeline.get().shared);
    let pool = shared.pool()?;
    let summary = py
        .detach(|| -> nl_ner::Result<Summary> {
            let sources = input::discover(&specs);
            let named = sources.iter().filter_map(|s| match s {
                Ok(input::InputSource {
                    spec: InputSpec::Path(p),
                    ..
                }) => Some(p.as_path()),
                _ => None,
            });
            nl_ner_io::output::check_not_an_input(&output, named)?;
            let documents = Documents::new(sources, format)
                .with_max_doc_bytes(max_doc_bytes)
                .with_xml_text(xml_text);
            let mut out = Output::create(&output)?;
            let mut summary = Summary::default();
            pool.install(|| {
                shared
                    .pipeline
                    .run(documents, |batch| -> nl_ner::Result<()> {
                        for outcome in batch {
                            match outcome {
                                Ok(doc) => {
                                    jsonl::write_document(out.writer(), &doc).map_err(
                                        |source| nl_ner::Error::Output {
                                            path: output.clone(),
                                            source,
                                        },
                                    )?;
                                    summary.documents += 1;
                                    summary.entities += doc.entities.len();
                                }
                                Err(e) => summary.skipped.push((e.input, e.reason)),
                            }
                        }
                        Ok(())
                    })
            })?;
            // As the command line: a run where every input failed keeps an existing output.
            if summary.documents == 0 && !summary.skipped.is_empty() {
                out.abandon()?;
            } else {
                out.finish()?;
            }
            Ok(summary)
        })
        .map_err(|e| nl_ner_error(&e))?;
    let result = PyDict::new(py);
    result.set_item("documents", summary.documents)?;
    result.set_item("entities", summary.entities)?;
    let skipped = summary
        .skipped
        .into_iter()
        .map(|(input, reason)| {
            let d = PyDict::new(py);
            d.set_item("input", input)?;
            d.set_item("reason", reason)?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    result.set_item("skipped", skipped)?;
    result.set_item("output", output)?;
    Ok(result)
}
