//! `nl-ner serve` through a real HTTP client: the Label Studio ML backend's endpoints
//! (`/health`, `/setup`, `/predict`, `/webhook`) and `/annotate`, whose answers must be what
//! `nl-ner extract` writes for the same documents; a request over the size limit is answered 413;
//! the data directory is kept across restarts and refused to a second server; SIGTERM stops the
//! server cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{json_lines, root, run_in, slice_chars, stderr};

/// A running `nl-ner serve` and the address it printed.
struct Server {
    child: Child,
    url: String,
    stderr: ChildStderr,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nl-ner"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        assert!(line.starts_with("http://127.0.0.1:"), "printed {line:?}");
        Server {
            child,
            url: line.trim().to_string(),
            stderr,
        }
    }

    fn get(&self, path: &str) -> Value {
        let body = ureq::get(&format!("{}{path}", self.url))
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// Posts `body`; the status and the body as text.
    fn post(&self, path: &str, content_type: &str, body: &str) -> (u16, String) {
        let answer = ureq::post(&format!("{}{path}", self.url))
            .set("Content-Type", content_type)
            .send_string(body);
        let response = match answer {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("POST {path}: {e}"),
        };
        (response.status(), response.into_string().unwrap())
    }

    fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let (status, text) = self.post(path, "application/json", &body.to_string());
        (status, serde_json::from_str(&text).unwrap())
    }

    /// Sends SIGTERM and waits for the process; its exit status and everything it said.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signals the child this test started, which has not been waited for.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut said = String::new();
        self.stderr.read_to_string(&mut said).unwrap();
        (status, said)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed assertion must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first `n` gold documents of `corpus/gold/set-a.jsonl` as extract input (id and text).
fn documents(n: usize) -> Vec<Value> {
    let gold = std::fs::read_to_string(root().join("corpus/gold/set-a.jsonl")).unwrap();
    gold.lines()
        .take(n)
        .map(|l| {
            let doc: Value = serde_json::from_str(l).unwrap();
            json!({"id": doc["id"], "text": doc["text"]})
        })
        .collect()
}

/// What `nl-ner extract` writes for `docs`.
fn extracted(dir: &Path, docs: &[Value]) -> String {
    let input: String = docs.iter().map(|d| format!("{d}\n")).collect();
    let out = run_in(dir, &["extract", "-", "--quiet"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

const CONFIG: &str = r#"<View>
  <Labels name="ner" toName="doc"><Label value="PER"/><Label value="ORG"/><Label value="LOC"/></Labels>
  <Text name="doc" value="$content"/>
</View>"#;

#[test]
fn annotate_answers_what_extract_writes() {
    let dir = tempfile::tempdir().unwrap();
    let docs = documents(6);
    let expected = extracted(dir.path(), &docs);
    let server = Server::start(&["--threads", "2"]);
    assert_eq!(server.get("/health")["status"], "UP");

    let jsonl: String = docs.iter().map(|d| format!("{d}\n")).collect();
    let (status, body) = server.post("/annotate", "application/x-ndjson", &jsonl);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, expected, "JSON Lines in, extract's bytes out");

    let (status, list) = server.post_json("/annotate", &Value::Array(docs.clone()));
    assert_eq!(status, 200);
    assert_eq!(list, Value::Array(json_lines(expected.as_bytes())));

    let (status, one) = server.post_json("/annotate", &docs[0]);
    assert_eq!(status, 200);
    assert_eq!(one, json_lines(expected.as_bytes())[0]);

    // A bad document in a list is an error object in its place; alone it is the answer's error.
    let (status, mixed) = server.post_json("/annotate", &json!(["De NAVO.", {"id": 3}, 7]));
    assert_eq!(status, 200);
    assert_eq!(mixed[0]["entities"][0]["text"], "NAVO");
    assert_eq!(mixed[1]["input"], "request[1]");
    assert!(
        mixed[1]["error"]
            .as_str()
            .unwrap()
            .contains("no `text` field"),
        "{mixed}"
    );
    assert!(mixed[2]["error"].as_str().unwrap().contains("got 7"));
    let (status, err) = server.post_json("/annotate", &json!({"id": "x"}));
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"], "no `text` field");
    let (status, err) = server.post("/annotate", "application/json", "{not json");
    assert_eq!(status, 400);
    assert!(err.contains("not JSON"), "{err}");

    let (status, said) = server.stop();
    assert!(status.success(), "{said}");
    assert!(said.contains("nl-ner: stopped"), "{said}");
}

#[test]
fn predicts_label_studio_regions_for_the_project_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let docs = documents(4);
    let expected = json_lines(extracted(dir.path(), &docs).as_bytes());
    let server = Server::start(&[]);
    let (status, setup) = server.post_json(
        "/setup",
        &json!({"project": "3.1712345678", "schema": CONFIG, "hostname": "http://localhost:8080"}),
    );
    assert_eq!(status, 200, "{setup}");
    assert_eq!(setup["model_version"], "nl-ner 0.1.0");

    let tasks: Vec<Value> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"id": i + 1, "data": {"content": d["text"]}}))
        .collect();
    // Without `label_config`, the project's configuration from `/setup` decides.
    let (status, answer) = server.post_json(
        "/predict",
        &json!({"tasks": tasks, "project": "3.1712345678", "params": {"context": null}}),
    );
    assert_eq!(status, 200, "{answer}");
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), docs.len());
    let mut regions = 0;
    for (result, doc) in results.iter().zip(&expected) {
        let text = doc["text"].as_str().unwrap();
        let want: Vec<(u64, u64, String)> = doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| ["PER", "ORG", "LOC"].contains(&e["label"].as_str().unwrap()))
            .map(|e| {
                let (s, e, l) = (&e["start"], &e["end"], &e["label"]);
                (s.as_u64().unwrap(), e.as_u64().unwrap(), l.to_string())
            })
            .collect();
        let got: Vec<(u64, u64, String)> = result["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_eq!(
                    (&r["from_name"], &r["to_name"]),
                    (&json!("ner"), &json!("doc"))
                );
                let v = &r["value"];
                let (s, e) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
                assert_eq!(v["text"], slice_chars(text, s as usize, e as usize));
                (s, e, v["labels"][0].to_string())
            })
            .collect();
        assert_eq!(got, want, "the project's labels, at extract's offsets");
        regions += got.len();
    }
    assert!(regions > 10, "{regions} regions");

    // A request's own configuration wins; the default one takes every label.
    let (_, answer) = server.post_json(
        "/predict",
        &json!({"tasks": [{"id": 9, "data": {"text": docs[0]["text"]}}],
                "label_config": "<View><Labels name='label' toName='text'/><Text name='text' value='$text'/></View>"}),
    );
    assert_eq!(
        answer["results"][0]["result"].as_array().unwrap().len(),
        0,
        "no labels offered"
    );
    let (_, answer) = server.post_json(
        "/predict",
        &json!({"tasks": [{"id": 9, "data": {"text": docs[0]["text"]}}]}),
    );
    assert_eq!(
        answer["results"][0]["result"].as_array().unwrap().len(),
        expected[0]["entities"].as_array().unwrap().len()
    );
    // A task without its text gets an empty prediction, scored 0; the others are predicted.
    let (status, answer) = server.post_json(
        "/predict",
        &json!({"tasks": [{"id": 1, "data": {"body": "De NAVO."}}, {"id": 2, "data": {"text": "De NAVO."}}]}),
    );
    assert_eq!(status, 200);
    assert_eq!(answer["results"][0]["score"], 0.0);
    assert_eq!(answer["results"][0]["result"], json!([]));
    assert_eq!(answer["results"][1]["result"][0]["value"]["text"], "NAVO");
    let (status, err) = server.post_json(
        "/predict",
        &json!({"tasks": [], "label_config": "<View><Image name='i' value='$image'/></View>"}),
    );
    assert_eq!(status, 400);
    assert!(
        err["error"]
            .as_str()
            .unwrap()
            .contains("no <Labels> control"),
        "{err}"
    );
}

/// A Label Studio webhook for an annotation of `text` with `regions` (start, end, label).
fn webhook(action: &str, task: u64, text: &str, regions: &[(usize, usize, &str)]) -> Value {
    let result: Vec<Value> = regions
        .iter()
        .enumerate()
        .map(|(i, (s, e, l))| {
            json!({"id": format!("r{i}"), "from_name": "ner", "to_name": "doc", "type": "labels",
                   "value": {"start": s, "end": e, "text": slice_chars(text, *s, *e), "labels": [l]}})
        })
        .collect();
    json!({"action": action,
           "task": {"id": task, "data": {"content": text}},
           "annotation": {"id": task * 10, "result": result, "was_cancelled": false},
           "project": {"id": 3, "label_config": CONFIG}})
}

#[test]
fn webhook_keeps_submitted_annotations_as_gold() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let server = Server::start(&["--data-dir", data_arg]);
    let text = "Minister De Jonge sprak met de NAVO.";
    let hook = |action, task, regions: &[(usize, usize, &str)]| {
        server.post_json("/webhook", &webhook(action, task, text, regions))
    };
    let (status, kept) = hook("ANNOTATION_CREATED", 1, &[(9, 17, "PER")]);
    assert_eq!((status, &kept["status"]), (201, &json!("added")), "{kept}");
    let (status, kept) = hook("ANNOTATION_CREATED", 2, &[(31, 35, "ORG")]);
    assert_eq!((status, &kept["documents"]), (201, &json!(2)));
    // An update replaces the task's document.
    let (status, kept) = hook("ANNOTATION_UPDATED", 1, &[(9, 17, "PER"), (31, 35, "ORG")]);
    assert_eq!((status, &kept["status"]), (201, &json!("replaced")));
    // A region whose text is not the text at its offsets is refused with the reason.
    let mut bad = webhook("ANNOTATION_CREATED", 4, text, &[(9, 17, "PER")]);
    bad["annotation"]["result"][0]["value"]["text"] = json!("Rutte");
    let (status, err) = server.post_json("/webhook", &bad);
    assert_eq!(status, 422);
    assert!(err["error"].as_str().unwrap().contains("Rutte"), "{err}");
    let (status, ignored) = server.post_json("/webhook", &json!({"action": "PROJECT_UPDATED"}));
    assert_eq!((status, &ignored["status"]), (200, &json!("ignored")));

    // A second server is kept off the same data directory.
    let second = run_in(
        dir.path(),
        &["serve", "--port", "0", "--data-dir", data_arg],
        b"",
    );
    assert_eq!(second.status.code(), Some(2));
    assert!(stderr(&second).contains("another nl-ner serve is using the data directory"));

    let (status, said) = server.stop();
    assert!(status.success(), "{said}");
    let gold = data.join("annotations.jsonl");
    let lines: Vec<Value> = json_lines(&std::fs::read(&gold).unwrap());
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        json!({"id": "1", "text": text, "entities": [
            {"start": 9, "end": 17, "text": "De Jonge", "label": "PER"},
            {"start": 31, "end": 35, "text": "NAVO", "label": "ORG"}]})
    );
    // `eval` reads the file as gold.
    let out = run_in(&root(), &["eval", gold.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));

    // A restarted server goes on with what the file holds.
    let server = Server::start(&["--data-dir", data_arg]);
    let (status, kept) = server.post_json(
        "/webhook",
        &webhook("ANNOTATION_CREATED", 5, "Den Haag.", &[(0, 8, "LOC")]),
    );
    assert_eq!((status, &kept["documents"]), (201, &json!(3)));
    drop(server);
}

#[test]
fn refuses_a_request_over_the_size_limit() {
    let server = Server::start(&["--max-request-bytes", "1000"]);
    // Headers alone: the limit is checked on the declared length before any body is read.
    let addr = server.url.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(addr).unwrap();
    write!(
        tcp,
        "POST /annotate HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
    )
    .unwrap();
    let mut status = String::new();
    BufReader::new(&tcp).read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    // A body under the limit is served.
    let (code, _) = server.post_json("/annotate", &json!({"text": "De NAVO."}));
    assert_eq!(code, 200);
    let (status, _) = server.stop();
    assert!(status.success());
}

/// A Python with label-studio-sdk: `$NL_NER_LS_PYTHON`, else the environment of
/// `.ci/setup.d/72-label-studio-sdk.sh`.
fn label_studio_python() -> Option<std::path::PathBuf> {
    let venv = std::env::var_os("HOME")
        .map(|h| std::path::PathBuf::from(h).join(".cache/nl-ner/ls-venv/bin/python"));
    std::env::var_os("NL_NER_LS_PYTHON")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(venv)
        .find(|p| {
            Command::new(p)
                .args(["-c", "import label_studio_sdk"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
#[ignore = "needs label-studio-sdk: .ci/setup.d/72-label-studio-sdk.sh"]
fn label_studio_sdk_validates_the_predictions_against_the_project() {
    let python = label_studio_python().unwrap_or_else(|| {
        crate::util::missing(
            "a Python with label-studio-sdk",
            "bash .ci/setup.d/72-label-studio-sdk.sh installs it",
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&[]);
    let tasks: Vec<Value> = documents(8)
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"id": i + 1, "data": {"content": d["text"], "text": d["text"]}}))
        .collect();
    // With the project's configuration, and (the check must be able to fail) without: then the
    // regions name the default `label` control and offer labels the project lacks.
    let (_, fitted) =
        server.post_json("/predict", &json!({"tasks": tasks, "label_config": CONFIG}));
    let (_, unfitted) = server.post_json("/predict", &json!({"tasks": tasks}));
    let file = dir.path().join("predictions.json");
    std::fs::write(
        &file,
        json!({"config": CONFIG, "fitted": fitted["results"], "unfitted": unfitted["results"]})
            .to_string(),
    )
    .unwrap();
    let script = r#"
import json, sys
from label_studio_sdk.label_interface import LabelInterface
given = json.load(open(sys.argv[1]))
project = LabelInterface(given["config"])
errors = lambda key: [project.validate_prediction(p, return_errors=True) for p in given[key]]
print(json.dumps({"fitted": errors("fitted"), "unfitted": errors("unfitted"),
                  "regions": sum(len(p["result"]) for p in given["fitted"])}))
"#;
    let out = Command::new(&python)
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let checked: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fitted = checked["fitted"].as_array().unwrap();
    assert_eq!(fitted.len(), 8);
    assert!(
        fitted.iter().all(|e| e.as_array().unwrap().is_empty()),
        "the SDK refused predictions made for the project: {checked}"
    );
    assert!(checked["regions"].as_u64().unwrap() > 20, "{checked}");
    assert!(
        checked["unfitted"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| !e.as_array().unwrap().is_empty()),
        "the SDK accepts anything: {checked}"
    );
}
