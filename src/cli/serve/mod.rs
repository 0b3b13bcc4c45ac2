//! `nl-ner serve`: the pipeline as an HTTP service (docs/serve.md): a Label Studio ML backend
//! (`/health`, `/setup`, `/predict`, `/webhook`) and a JSON annotation endpoint (`/annotate`).
//!
//! The pipeline is built once and shared. Requests are read on a small tokio runtime; annotation
//! is CPU-bound, so it runs on a rayon pool of `--threads` workers through `spawn_blocking`,
//! never on the runtime's threads. Request bodies are bounded (`--max-request-bytes`, 413 beyond
//! it) and so is the number of requests being worked on at once (`--max-concurrent`; the rest
//! wait). SIGINT and SIGTERM stop accepting connections and let the requests in flight finish.

mod config;
mod store;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rayon::prelude::*;
use serde_json::{Value, json};

use config::LabelConfig;
use nl_ner::{Document, InputError, Pipeline, PipelineConfig};
use nl_ner_io::export::labelstudio::{self, Controls};
use nl_ner_io::output::jsonl;

/// Arguments of `nl-ner serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (`0.0.0.0`: every interface).
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    host: IpAddr,
    /// Port to listen on (0: any free port; the address is printed on standard output).
    #[arg(long, default_value_t = 9090, value_name = "PORT")]
    port: u16,
    /// Directory where `/webhook` keeps the annotations Label Studio submits, as gold JSONL
    /// (`annotations.jsonl`); without it they are not kept.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Model to use instead of the built-in CRF (as `extract --model`).
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    #[command(flatten)]
    domain: super::DomainArgs,
    /// Annotation worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Largest request body in bytes; a larger request is answered 413.
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_request_bytes: u64,
    /// Most requests worked on at once; the others wait their turn.
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    max_concurrent: u32,
}

/// What every request shares.
struct App {
    pipeline: Pipeline,
    pool: rayon::ThreadPool,
    model_version: String,
    /// Each project's labelling configuration, as `/setup` gave it (keyed by the project's id).
    projects: Mutex<HashMap<String, LabelConfig>>,
    store: Option<Mutex<store::Store>>,
}

/// Runs the service until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let tagger = super::load_tagger(args.model.as_deref())?;
    let model_version = match tagger.name() {
        "crf" => labelstudio::MODEL_VERSION.to_string(),
        other => format!("{} ({other})", labelstudio::MODEL_VERSION),
    };
    let pipeline = super::build_pipeline(tagger, &args.domain, PipelineConfig::default())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .thread_name(|i| format!("nl-ner-annotate-{i}"))
        .build()
        .context("starting the worker threads")?;
    let store = match &args.data_dir {
        Some(dir) => Some(Mutex::new(store::Store::open(dir)?)),
        None => None,
    };
    let app = Arc::new(App {
        pipeline,
        pool,
        model_version,
        projects: Mutex::new(HashMap::new()),
        store,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("nl-ner-http")
        .enable_all()
        .build()
        .context("starting the HTTP runtime")?;
    runtime.block_on(serve(app, args))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(app: Arc<App>, args: &ServeArgs) -> anyhow::Result<()> {
    let limit = usize::try_from(args.max_request_bytes).unwrap_or(usize::MAX);
    // `/health` and `/setup` answer at once, also while every annotation slot is taken.
    let work = Router::new()
        .route("/predict", post(predict))
        .route("/annotate", post(annotate))
        .route("/webhook", post(webhook))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            args.max_concurrent as usize,
        ));
    let router = Router::new()
        .route("/", get(health))
        .route("/health", get(health))
        .route("/setup", post(setup))
        .merge(work)
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.host, args.port))
        .await
        .with_context(|| format!("listening on {}:{}", args.host, args.port))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    // The address alone on standard output, so that a script (or a test) started with
    // `--port 0` can read where to connect.
    println!("http://{addr}");
    message!(
        "nl-ner: serving {} on http://{addr}{}; Ctrl-C stops",
        app.model_version,
        match &app.store {
            Some(s) => format!(
                ", keeping submitted annotations in {}",
                lock(s).path().display()
            ),
            None => String::new(),
        }
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;
    message!("nl-ner: stopped");
    Ok(())
}

/// Resolves at the first SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    message!("nl-ner: stopping: finishing the requests in flight");
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic in one request must not take the others down.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An error answer: a status and a JSON body `{"error": "..."}`.
struct ApiError(StatusCode, String);

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, message.into())
    }

    fn internal(err: &anyhow::Error) -> Self {
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            nl_ner::report(err.as_ref()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        message!("nl-ner: answered {}: {}", self.0.as_u16(), self.1);
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

/// The request body as JSON.
fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not JSON: {e}")))
}

fn json_response(body: Vec<u8>, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

impl App {
    /// Annotates documents on the worker pool, in order; runs on a blocking thread.
    fn annotate_all(
        &self,
        docs: Vec<Result<Document, InputError>>,
    ) -> Vec<Result<Document, InputError>> {
        self.pool.install(|| {
            docs.into_par_iter()
                .map(|item| {
                    let mut doc = item?;
                    match self.pipeline.annotate(&mut doc) {
                        Ok(()) => Ok(doc),
                        Err(e) => Err(InputError {
                            input: doc.id,
                            reason: e.report(),
                        }),
                    }
                })
                .collect()
        })
    }

    /// The labelling configuration for a request: its own `label_config`, else the one `/setup`
    /// gave for its project, else the default one.
    fn label_config(&self, request: &Value) -> Result<LabelConfig, ApiError> {
        if let Some(xml) = request.get("label_config").and_then(Value::as_str) {
            return LabelConfig::parse(xml).map_err(|e| ApiError::bad_request(format!("{e:#}")));
        }
        let project = request.get("project").map(project_key);
        Ok(project
            .and_then(|p| lock(&self.projects).get(&p).cloned())
            .unwrap_or_default())
    }
}

/// Runs `f` on a blocking thread (annotation is CPU-bound; the runtime's threads only do I/O).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(&anyhow::anyhow!("the annotation worker failed: {e}")))
}

/// A project as Label Studio names it: `"7.1712345678"` (id and a timestamp) in `/setup` and
/// `/predict`, `{"id": 7, ...}` in a webhook; the id is the key.
fn project_key(project: &Value) -> String {
    match project {
        Value::String(s) => s.split('.').next().unwrap_or(s).to_string(),
        Value::Object(o) => o.get("id").map_or_else(String::new, |v| v.to_string()),
        other => other.to_string(),
    }
}

/// `GET /health` (and `/`): the model is loaded and requests are answered.
async fn health(State(app): State<Arc<App>>) -> Response {
    axum::Json(json!({
        "status": "UP",
        "model_class": "nl-ner",
        "model_version": app.model_version,
    }))
    .into_response()
}

/// `POST /setup`: Label Studio connects a project; its labelling configuration (`schema`) says
/// where regions go. Answers the model version.
async fn setup(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let request = parse_json(&body)?;
    if let Some(xml) = request.get("schema").and_then(Value::as_str) {
        let config =
            LabelConfig::parse(xml).map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
        let project = request.get("project").map(project_key).unwrap_or_default();
        lock(&app.projects).insert(project, config);
    }
    Ok(axum::Json(json!({ "model_version": app.model_version })).into_response())
}

/// `POST /predict`: `{"tasks": [...], "label_config": "...", "project": "..."}` in,
/// `{"results": [prediction, ...], "model_version": ...}` out, one prediction per task in task
/// order. A task without text gets an empty prediction (and a message), not a failed batch.
async fn predict(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let request = parse_json(&body)?;
    let Some(tasks) = request.get("tasks").and_then(Value::as_array) else {
        return Err(ApiError::bad_request("no `tasks` list"));
    };
    let config = app.label_config(&request)?;
    let docs: Vec<Result<Document, InputError>> = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let id = task
                .get("id")
                .map_or_else(|| format!("task {}", i + 1), |v| format!("task {v}"));
            match task
                .get("data")
                .and_then(|d| d.get(&config.data_key))
                .and_then(Value::as_str)
            {
                Some(text) => Ok(Document::new(id, text)),
                None => Err(InputError {
                    input: id,
                    reason: format!("no string `data.{}`", config.data_key),
                }),
            }
        })
        .collect();
    let worker = app.clone();
    let annotated = blocking(move || worker.annotate_all(docs)).await?;
    let controls = Controls {
        from_name: &config.from_name,
        to_name: &config.to_name,
    };
    let empty = Document::default();
    let results: Vec<labelstudio::Prediction> = annotated
        .iter()
        .map(|outcome| {
            match outcome {
                Ok(doc) => {
                    labelstudio::prediction(doc, controls, &app.model_version, |l| config.keeps(l))
                }
                Err(e) => {
                    message!("nl-ner: /predict: {e}");
                    // Score 0, not an empty document's 1: the least sure sort puts it first.
                    labelstudio::Prediction {
                        score: 0.0,
                        ..labelstudio::prediction(&empty, controls, &app.model_version, |_| true)
                    }
                }
            }
        })
        .collect();
    let body = serde_json::to_vec(&json!({
        "results": results,
        "model_version": app.model_version,
    }))
    .map_err(|e| ApiError::internal(&e.into()))?;
    Ok(json_response(body, "application/json"))
}

/// `POST /annotate`: documents in, the objects `nl-ner extract` writes out (docs/serve.md).
///
/// JSON (`application/json`): one document (`{"text": ..., "id": ...}`, other fields carried
/// through) gives one object; a list of documents or strings gives a list, a document that cannot
/// be annotated an error object in its place (as `extract --error-records` writes). JSON Lines
/// (`application/x-ndjson` or `application/jsonl`): extract's input, line for line extract's
/// output with `--error-records`.
async fn annotate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let lines = content_type.contains("ndjson") || content_type.contains("jsonl");
    let (docs, single) = if lines {
        let docs = body
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
            .map(|(i, line)| nl_ner_io::input::parse_line(line, &format!("request:{}", i + 1)))
            .collect();
        (docs, false)
    } else {
        match parse_json(&body)? {
            Value::Array(items) => (
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| document(item, &format!("request[{i}]")))
                    .collect(),
                false,
            ),
            item => {
                let doc =
                    document(&item, "request").map_err(|e| ApiError::bad_request(e.reason))?;
                (vec![Ok(doc)], true)
            }
        }
    };
    let worker = app.clone();
    let annotated = blocking(move || worker.annotate_all(docs)).await?;
    let mut body = Vec::new();
    let write = |body: &mut Vec<u8>, outcome: &Result<Document, InputError>| match outcome {
        Ok(doc) => jsonl::write_document(body, doc),
        Err(e) => jsonl::write_error(body, &e.input, &e.reason),
    };
    if lines {
        for outcome in &annotated {
            write(&mut body, outcome).map_err(|e| ApiError::internal(&e.into()))?;
        }
        return Ok(json_response(body, "application/x-ndjson"));
    }
    if single {
        match &annotated[0] {
            Ok(doc) => jsonl::write_document(&mut body, doc),
            Err(e) => return Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
        }
        .map_err(|e| ApiError::internal(&e.into()))?;
        return Ok(json_response(body, "application/json"));
    }
    // A JSON array of the lines (each written by the JSONL writer, newline and all).
    body.push(b'[');
    for (i, outcome) in annotated.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        write(&mut body, outcome).map_err(|e| ApiError::internal(&e.into()))?;
    }
    body.push(b']');
    body.push(b'\n');
    Ok(json_response(body, "application/json"))
}

/// One document of an `/annotate` JSON request: a string (its text) or an object read as a JSONL
/// input line.
fn document(item: &Value, at: &str) -> Result<Document, InputError> {
    match item {
        Value::String(text) => Ok(Document::new(at, text.as_str())),
        Value::Object(_) => nl_ner_io::input::parse_line(item.to_string().as_bytes(), at),
        other => Err(InputError {
            input: at.to_string(),
            reason: format!("expected a document object or a string, got {other}"),
        }),
    }
}

/// `POST /webhook`: Label Studio's events. A created or updated annotation
/// (`ANNOTATION_CREATED`, `ANNOTATION_UPDATED`, with its `task`) is read as `nl-ner import`
/// reads a Label Studio export and kept in `--data-dir` (answer 201); one it cannot read is
/// answered 422 with the reason. Other events are acknowledged and left alone.
async fn webhook(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let request = parse_json(&body)?;
    let action = request
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("no `action`"))?;
    if !matches!(action, "ANNOTATION_CREATED" | "ANNOTATION_UPDATED") {
        return Ok(axum::Json(json!({ "status": "ignored", "action": action })).into_response());
    }
    let Some(store) = &app.store else {
        return Ok(axum::Json(json!({
            "status": "not kept",
            "reason": "nl-ner serve was started without --data-dir",
        }))
        .into_response());
    };
    let (Some(task), Some(annotation)) = (request.get("task"), request.get("annotation")) else {
        return Err(ApiError::bad_request(format!(
            "{action} without `task` and `annotation`"
        )));
    };
    let config = match request
        .get("project")
        .and_then(|p| p.get("label_config"))
        .and_then(Value::as_str)
    {
        Some(xml) => {
            LabelConfig::parse(xml).map_err(|e| ApiError::bad_request(format!("{e:#}")))?
        }
        None => {
            let project = request.get("project").map(project_key);
            project
                .and_then(|p| lock(&app.projects).get(&p).cloned())
                .unwrap_or_default()
        }
    };
    // The task as a Label Studio export holds it, with the text under `data.text`.
    let data = task.get("data").cloned().unwrap_or(Value::Null);
    let mut export_data = serde_json::Map::new();
    if let Some(text) = data.get(&config.data_key) {
        export_data.insert("text".into(), text.clone());
    }
    if let Some(id) = data.get("doc_id") {
        export_data.insert("doc_id".into(), id.clone());
    }
    let export = json!([{
        "id": task.get("id"),
        "data": export_data,
        "annotations": [annotation],
    }]);
    let from_name = config.from_name.clone();
    let worker = app.clone();
    let outcome = blocking(move || -> anyhow::Result<Result<store::Put, String>> {
        let mut imported = nl_ner_io::import::labelstudio::read(
            export.to_string().as_bytes(),
            "webhook",
            Some(&from_name),
        )
        .map_err(|e| anyhow::anyhow!(e.report()))?;
        match imported.pop() {
            Some(Ok(record)) => {
                let store = worker.store.as_ref().expect("checked above");
                Ok(Ok(lock(store).put(&record)?))
            }
            Some(Err(rejected)) => Ok(Err(rejected.to_string())),
            None => Ok(Err("no task".into())),
        }
    })
    .await?
    .map_err(|e| ApiError::internal(&e))?;
    match outcome {
        Ok(put) => {
            let kept = lock(store).len();
            Ok((
                StatusCode::CREATED,
                axum::Json(json!({
                    "status": if put == store::Put::Added { "added" } else { "replaced" },
                    "documents": kept,
                })),
            )
                .into_response())
        }
        Err(reason) => Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, reason)),
    }
}
