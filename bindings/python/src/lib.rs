//! `nl_ner._nl_ner`: the native part of the `nl_ner` Python package (docs/python.md).
//!
//! A thin layer over the `nl-ner` library: [`Pipeline`] builds the same pipeline as `nl-ner
//! extract` (the library's [`nl_ner::load_tagger`] and
//! [`nl_ner::DomainLayer::with_gazetteers`]), annotates with the GIL released, and
//! [`Document::to_json`] is the library's JSONL writer, so a document's JSON is byte for byte the
//! line the command line writes. Errors are `nl_ner.NlNerError` with the command line's message.

mod args;
mod entities;
mod eval;
mod export;
mod extract;
mod read;
mod render;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyString};
use rayon::prelude::*;

use nl_ner::InputError;
use nl_ner_io::input::parse_line;
use nl_ner_io::output::jsonl;

create_exception!(
    nl_ner,
    NlNerError,
    PyException,
    "An nl-ner error, with the message the command line prints after `nl-ner: error: `."
);

/// The library's error as a Python exception, with the command line's message.
fn py_err(e: &nl_ner::Error) -> PyErr {
    NlNerError::new_err(e.report())
}

/// The tagger `model` names, as `--model` does: `None` the built-in CRF, a CRF model file,
/// `transformer` or a directory `nl-ner finetune` wrote. The package has no transformer (it
/// would need libtorch in the wheel): asked for one, it says how to use it from Python, rather
/// than the command line's advice to rebuild with a cargo feature.
fn load_tagger(model: Option<&Path>) -> PyResult<Box<dyn nl_ner::Tagger>> {
    if let Some(dir) = model.and_then(nl_ner::transformer::transformer_dir) {
        return Err(NlNerError::new_err(format!(
            "model {}: a transformer model, and the nl_ner Python package has no transformer \
             (it would need libtorch in the wheel); annotate with the command line built with it \
             (`. scripts/transformer/setup.sh`, `cargo build --release --features transformer`, \
             then `nl-ner extract --model transformer FILES -o out.jsonl`) and read its output \
             with nl_ner.read([\"out.jsonl\"]): entities, export and render work on those \
             documents (docs/python.md, \"The transformer\")",
            dir.display()
        )));
    }
    nl_ner::load_tagger(model).map_err(|e| py_err(&e))
}

/// What a [`Pipeline`] and its running `annotate_many` iterators share.
pub(crate) struct Shared {
    pipeline: nl_ner::Pipeline,
    /// The worker thread count asked for (0: one per core), for a pool started again.
    threads: usize,
    /// The worker pool and the process that started it (see [`Shared::pool`]).
    pool: Mutex<(u32, Arc<rayon::ThreadPool>)>,
}

/// A pool of `threads` workers (0: one per core).
fn start_pool(threads: usize) -> PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("nl-ner-{i}"))
        .build()
        .map_err(|e| NlNerError::new_err(format!("starting the worker threads: {e}")))
}

impl Shared {
    /// The worker pool of this process. A forked child (spaCy's `nlp.pipe(n_process=2)`,
    /// `multiprocessing`, gunicorn and Spark workers) inherits the pool but not its threads, so
    /// work sent to it would wait forever: the child starts a pool of its own the first time it
    /// needs one. Called with the GIL held, so no other thread holds the lock when Python forks.
    pub(crate) fn pool(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        let mut pool = self.pool.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if pool.0 != pid {
            let inherited =
                std::mem::replace(&mut *pool, (pid, Arc::new(start_pool(self.threads)?)));
            // Dropping it would signal threads that exist only in the parent, through locks
            // they may have held at the fork: it is left alone.
            std::mem::forget(inherited);
        }
        Ok(Arc::clone(&pool.1))
    }

    /// Annotates one document; an error is named after the document, as `nl-ner extract`
    /// reports a skipped input.
    fn annotate(&self, mut doc: nl_ner::Document) -> Result<nl_ner::Document, InputError> {
        match self.pipeline.annotate(&mut doc) {
            Ok(()) => {
                // Not part of the output; a document keeps only what its JSON line holds.
                doc.tokens = Vec::new();
                Ok(doc)
            }
            Err(e) => Err(InputError {
                input: doc.id,
                reason: e.report(),
            }),
        }
    }
}

/// The nl-ner pipeline: the model, then (unless `domain=False`) the patterns, gazetteers and
/// acronyms, then linking, then (unless `relations=False`) the relations, as `nl-ner extract`
/// runs it.
#[pyclass(module = "nl_ner", frozen)]
pub(crate) struct Pipeline {
    pub(crate) shared: Arc<Shared>,
}

#[pymethods]
impl Pipeline {
    #[new]
    #[pyo3(signature = (model=None, gazetteers=None, domain=true, threads=None, relations=true))]
    pub(crate) fn new(
        py: Python<'_>,
        model: Option<PathBuf>,
        gazetteers: Option<&Bound<'_, PyAny>>,
        domain: bool,
        threads: Option<usize>,
        relations: bool,
    ) -> PyResult<Self> {
        let gazetteers = args::optional_paths(gazetteers, "gazetteers")?;
        if !domain && !gazetteers.is_empty() {
            return Err(PyValueError::new_err(
                "gazetteers cannot be used with domain=False (the domain layer reads them)",
            ));
        }
        let tagger = py.detach(|| load_tagger(model.as_deref()))?;
        let built = py.detach(|| -> nl_ner::Result<nl_ner::Pipeline> {
            let mut pipeline = nl_ner::Pipeline::new(tagger, Default::default());
            if domain {
                pipeline = pipeline.with_domain(nl_ner::DomainLayer::with_gazetteers(&gazetteers)?);
            }
            if relations {
                pipeline = pipeline.with_relations(nl_ner::relate::Relater::new()?);
            }
            Ok(pipeline)
        });
        let pipeline = built.map_err(|e| py_err(&e))?;
        let threads = threads.unwrap_or(0);
        let pool = start_pool(threads)?;
        Ok(Pipeline {
            shared: Arc::new(Shared {
                pipeline,
                threads,
                pool: Mutex::new((std::process::id(), Arc::new(pool))),
            }),
        })
    }

    /// Annotates one text; `id` is the document's `id` in its JSON.
    #[pyo3(signature = (text, id=String::new()))]
    fn annotate(&self, py: Python<'_>, text: String, id: String) -> PyResult<Document> {
        let shared = &self.shared;
        py.detach(|| shared.annotate(nl_ner::Document::new(id, text)))
            .map(Document::from)
            .map_err(|e| NlNerError::new_err(e.to_string()))
    }

    /// Annotates the texts (or `{"text": ..., "id": ...}` dicts) of `documents` in parallel
    /// batches of `batch_size`, with the GIL released, and yields them in input order.
    #[pyo3(signature = (documents, batch_size=256))]
    fn annotate_many(
        &self,
        documents: &Bound<'_, PyAny>,
        batch_size: usize,
    ) -> PyResult<AnnotateMany> {
        if batch_size == 0 {
            return Err(PyValueError::new_err("batch_size must be at least 1"));
        }
        if documents.is_instance_of::<PyString>() || documents.is_instance_of::<PyDict>() {
            return Err(PyTypeError::new_err(format!(
                "documents: pass a list of texts or dicts, not a single {} (for one text: \
                 annotate(text), or annotate_many([text]))",
                documents.get_type().name()?
            )));
        }
        Ok(AnnotateMany {
            shared: Arc::clone(&self.shared),
            source: Some(documents.try_iter()?.unbind()),
            batch_size,
            position: 0,
            pending: None,
            ready: VecDeque::new(),
            failed: None,
        })
    }

    /// Worker threads used by `annotate_many`.
    #[getter]
    fn threads(&self) -> PyResult<usize> {
        Ok(self.shared.pool()?.current_num_threads())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "Pipeline(model={:?}, threads={})",
            self.shared.pipeline.tagger().name(),
            self.threads()?
        ))
    }
}

/// An annotated batch: each document or the error of its input, or why the batch failed.
type Batch = Result<Vec<Result<nl_ner::Document, String>>, String>;

/// The iterator `Pipeline.annotate_many` returns.
#[pyclass(module = "nl_ner")]
struct AnnotateMany {
    shared: Arc<Shared>,
    /// The input; `None` once it is exhausted.
    source: Option<Py<PyIterator>>,
    batch_size: usize,
    /// How many inputs have been read (the default id of the next one).
    position: usize,
    /// The batch being annotated on the pool.
    /// (In a mutex only because a pyclass must be `Sync`; this iterator is used by one thread.)
    pending: Option<std::sync::Mutex<std::sync::mpsc::Receiver<Batch>>>,
    /// Annotated documents (or the error of one) not yet yielded, in input order.
    ready: VecDeque<Result<nl_ner::Document, String>>,
    /// An exception the input raised, raised after the documents read before it.
    failed: Option<PyErr>,
}

/// One item of `annotate_many`'s input as a document: a `str` is its text (its id is its
/// position), a dict is read as a JSONL line is read by `nl-ner extract`.
fn to_document(
    item: &Bound<'_, PyAny>,
    position: usize,
) -> PyResult<Result<nl_ner::Document, String>> {
    if item.cast::<PyString>().is_ok() {
        return Ok(Ok(nl_ner::Document::new(
            position.to_string(),
            item.extract::<String>()?,
        )));
    }
    if item.cast::<PyDict>().is_ok() {
        let json = item
            .py()
            .import("json")?
            .call_method1("dumps", (item,))?
            .extract::<String>()?;
        return Ok(
            parse_line(json.as_bytes(), &position.to_string()).map_err(|e| format!("item {e}"))
        );
    }
    Err(PyTypeError::new_err(format!(
        "annotate_many: item {position} is a {}, not a str or a dict",
        item.get_type().name()?
    )))
}

#[pymethods]
impl AnnotateMany {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Document>> {
        if self.ready.is_empty() {
            self.fill(py)?;
        }
        match self.ready.pop_front() {
            Some(Ok(doc)) => Ok(Some(Document::from(doc))),
            Some(Err(message)) => Err(NlNerError::new_err(message)),
            None => match self.failed.take() {
                Some(e) => Err(e),
                None => Ok(None),
            },
        }
    }
}

impl AnnotateMany {
    /// Makes `ready` hold the next documents, if any are left: waits (GIL released) for the
    /// batch being annotated, and starts the next one before handing these out, so that the pool
    /// annotates while Python takes the documents of the batch before.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.pending.is_none() {
            self.start(py)?;
        }
        let Some(batch) = self.pending.take() else {
            return Ok(());
        };
        let done = py
            .detach(move || batch.into_inner().unwrap_or_else(|e| e.into_inner()).recv())
            .map_err(|_| NlNerError::new_err("the worker threads stopped"))?
            .map_err(NlNerError::new_err)?;
        self.start(py)?;
        self.ready.extend(done);
        Ok(())
    }

    /// Reads up to one batch from the input (with the GIL) and starts annotating it on the pool.
    /// An exception of the input, or an item of another type, ends the input: it is raised
    /// after the documents read before it.
    fn start(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(source) = &self.source else {
            return Ok(());
        };
        let mut source = source.bind(py).clone();
        let mut batch = Vec::with_capacity(self.batch_size);
        while batch.len() < self.batch_size {
            let item = match source.next() {
                None => Ok(None),
                Some(item) => item.and_then(|i| to_document(&i, self.position).map(Some)),
            };
            match item {
                Ok(Some(doc)) => {
                    batch.push(doc);
                    self.position += 1;
                }
                Ok(None) => {
                    self.source = None;
                    break;
                }
                Err(e) => {
                    self.failed = Some(e);
                    self.source = None;
                    break;
                }
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let shared = Arc::clone(&self.shared);
        self.shared.pool()?.spawn(move || {
            // A panic must not end the process (rayon aborts on a panic in `spawn`).
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                batch
                    .into_par_iter()
                    .map(|item| shared.annotate(item?).map_err(|e| e.to_string()))
                    .collect::<Vec<_>>()
            }))
            .map_err(|_| "annotating a batch panicked (a bug in nl-ner)".to_string());
            // The receiver is gone when the iterator was dropped: nobody wants the batch.
            let _ = tx.send(done);
        });
        self.pending = Some(std::sync::Mutex::new(rx));
        Ok(())
    }
}

/// An annotated document: the fields of its JSON line.
#[pyclass(module = "nl_ner", frozen)]
pub(crate) struct Document {
    pub(crate) doc: nl_ner::Document,
}

impl From<nl_ner::Document> for Document {
    fn from(doc: nl_ner::Document) -> Self {
        Document { doc }
    }
}

impl Document {
    /// The entity at index `i` of the document, as Python sees it.
    fn entity(&self, i: usize) -> Entity {
        let e = &self.doc.entities[i];
        Entity {
            start: e.span.char_start,
            end: e.span.char_end,
            text: e.span.text(&self.doc.text).to_owned(),
            label: e.label.as_str(),
            score: jsonl::round4(e.score),
            source: e.source.as_str(),
            rule: e.rule,
            entity_id: if self.doc.is_linked() {
                e.entity_id.clone()
            } else {
                None
            },
        }
    }
}

#[pymethods]
impl Document {
    /// The document's id.
    #[getter]
    fn id(&self) -> &str {
        &self.doc.id
    }

    /// The text; every offset is a `str` index into it.
    #[getter]
    fn text(&self) -> &str {
        &self.doc.text
    }

    /// The entities, sorted by start, never overlapping.
    #[getter]
    fn entities(&self) -> Vec<Entity> {
        (0..self.doc.entities.len())
            .map(|i| self.entity(i))
            .collect()
    }

    /// The relations between the entities (docs/relations.md), in the order of the JSON line;
    /// `None` when the pipeline ran without the relation stage (`relations=False`).
    #[getter]
    fn relations(&self) -> Option<Vec<Relation>> {
        let text = &self.doc.text;
        let relations = self.doc.relations.as_ref()?;
        Some(
            relations
                .iter()
                .map(|r| Relation {
                    kind: r.kind.as_str(),
                    head: self.entity(r.head),
                    tail: r.tail.map(|t| self.entity(t)),
                    head_index: r.head,
                    tail_index: r.tail,
                    role: r.role.map(|s| s.text(text).to_owned()),
                    role_start: r.role.map(|s| s.char_start),
                    role_end: r.role.map(|s| s.char_end),
                    score: jsonl::round4(r.score),
                })
                .collect(),
        )
    }

    /// The document's date as `YYYY-MM-DD` (the JSON's `document_date.date`: a letter's date
    /// line, a motion's, a debate's, or the input's `date` field), `None` when none was found.
    #[getter]
    fn date(&self) -> Option<String> {
        self.doc.date.as_ref().map(|d| d.date.to_string())
    }

    /// The sentences as `(start, end)` pairs.
    #[getter]
    fn sentences(&self) -> Vec<(usize, usize)> {
        self.doc
            .sentences
            .iter()
            .map(|s| (s.span.char_start, s.span.char_end))
            .collect()
    }

    /// The JSON line `nl-ner extract` writes for this document, without its newline.
    fn to_json(&self) -> PyResult<String> {
        let mut out = Vec::with_capacity(self.doc.text.len() * 2 + 256);
        jsonl::write_document(&mut out, &self.doc)
            .map_err(|e| NlNerError::new_err(e.to_string()))?;
        out.pop(); // the newline
        String::from_utf8(out).map_err(|e| NlNerError::new_err(e.to_string()))
    }

    /// The JSON line as a dict (`json.loads(self.to_json())`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json()?,))
    }

    fn __len__(&self) -> usize {
        self.doc.entities.len()
    }

    /// The document highlighted as the report shows it, for Jupyter: a self-contained HTML
    /// fragment (inline styles, no script), each mention marked with its offsets.
    fn _repr_html_(&self) -> String {
        nl_ner_report::document_html(&self.doc)
    }

    fn __repr__(&self) -> String {
        format!(
            "Document(id={:?}, chars={}, entities={})",
            self.doc.id,
            self.doc.text.chars().count(),
            self.doc.entities.len()
        )
    }
}

/// One entity: where it is (code-point offsets, end exclusive), what it is, how sure, from
/// which part of the pipeline (and the domain rule that made it, if one did), and the id of what
/// it names.
#[pyclass(module = "nl_ner", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
struct Entity {
    start: usize,
    end: usize,
    text: String,
    label: &'static str,
    score: f64,
    source: &'static str,
    rule: Option<&'static str>,
    entity_id: Option<String>,
}

#[pymethods]
impl Entity {
    /// The entity as its JSON object in the output.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("text", &self.text)?;
        d.set_item("label", self.label)?;
        d.set_item("score", self.score)?;
        d.set_item("source", self.source)?;
        if let Some(rule) = self.rule {
            d.set_item("rule", rule)?;
        }
        if let Some(id) = &self.entity_id {
            d.set_item("entity_id", id)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let id = self
            .entity_id
            .as_ref()
            .map_or_else(|| "None".to_string(), |id| format!("{id:?}"));
        format!(
            "Entity(start={}, end={}, text={:?}, label={:?}, score={:?}, source={:?}, entity_id={id})",
            self.start, self.end, self.text, self.label, self.score, self.source
        )
    }
}

/// One relation between two entities of a document (docs/relations.md): who holds which office
/// (`role`), who belongs to which party (`member_of`), which organisation or country takes part
/// in which initiative (`participates_in`).
#[pyclass(module = "nl_ner", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
struct Relation {
    /// `role`, `member_of` or `participates_in` (the JSON's `type`).
    #[pyo3(name = "type")]
    kind: &'static str,
    /// The person (role, member_of) or the organisation or place (participates_in).
    head: Entity,
    /// The party, the initiative, or the organisation or place a role names; `None` for a
    /// role that names none.
    tail: Option<Entity>,
    /// The head's index in `Document.entities` (the JSON's `head`).
    head_index: usize,
    /// The tail's index in `Document.entities` (the JSON's `tail`).
    tail_index: Option<usize>,
    /// The office as written (role only): `text[role_start:role_end]`.
    role: Option<String>,
    /// Code-point offset of the role phrase.
    role_start: Option<usize>,
    /// Code-point offset one past the role phrase.
    role_end: Option<usize>,
    /// Confidence in [0, 1], rounded to 4 decimals as in the JSON.
    score: f64,
}

#[pymethods]
impl Relation {
    /// The relation as its JSON object in the output (entities by index).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("type", self.kind)?;
        d.set_item("head", self.head_index)?;
        if let Some(tail) = self.tail_index {
            d.set_item("tail", tail)?;
        }
        if let (Some(role), Some(start), Some(end)) = (&self.role, self.role_start, self.role_end) {
            d.set_item("role", role)?;
            d.set_item("role_start", start)?;
            d.set_item("role_end", end)?;
        }
        d.set_item("score", self.score)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let tail = self
            .tail
            .as_ref()
            .map_or_else(|| "None".to_string(), |t| format!("{:?}", t.text));
        let role = self
            .role
            .as_ref()
            .map_or_else(|| "None".to_string(), |r| format!("{r:?}"));
        format!(
            "Relation(type={:?}, head={:?}, tail={tail}, role={role}, score={:?})",
            self.kind, self.head.text, self.score
        )
    }
}

/// The native module, re-exported by `nl_ner/__init__.py`.
#[pymodule]
fn _nl_ner(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_class::<Document>()?;
    m.add_class::<Entity>()?;
    m.add_class::<Relation>()?;
    m.add_class::<AnnotateMany>()?;
    m.add("NlNerError", m.py().get_type::<NlNerError>())?;
    m.add_function(wrap_pyfunction!(read::read, m)?)?;
    m.add_function(wrap_pyfunction!(extract::extract, m)?)?;
    m.add_function(wrap_pyfunction!(entities::entities, m)?)?;
    m.add_function(wrap_pyfunction!(export::export, m)?)?;
    m.add_function(wrap_pyfunction!(eval::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(eval::evaluate_relations, m)?)?;
    m.add_function(wrap_pyfunction!(render::render, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
