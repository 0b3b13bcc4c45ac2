//! `nl-ner render` in a real browser: headless Chromium, driven through ChromeDriver, opens the
//! report of the letter in `corpus/`, with no console errors, the entities visible, and a
//! screenshot taken (`target/tmp/report-screenshot.png`; with `NL_NER_SCREENSHOT=FILE` it is also
//! written there, which is how the README's picture is made).
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (`.ci/setup.d/30-chromium.sh`).
//! Ignored in a plain `cargo test`; run with `--include-ignored`, it fails without them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::util;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// ChromeDriver on a free local port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// ChromeDriver's command for the browser's console log (not part of the W3C protocol).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// Fails the test without Chromium and ChromeDriver.
fn require_browser() {
    for path in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(path).exists() {
            util::missing(
                path,
                "apt-get install chromium chromium-driver, or bash .ci/setup.d/30-chromium.sh",
            );
        }
    }
}

async fn open(driver: &Driver, profile: &Path) -> Client {
    // The flags keep a headless Chromium off the network it has no access to here, and out of
    // any profile of the user's.
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs Chromium and ChromeDriver: .ci/setup.d/30-chromium.sh"]
async fn the_report_opens_in_chromium_without_errors_and_shows_the_entities() {
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let (docs, _) = util::render_letter(dir.path());
    let entities = docs[0]["entities"].as_array().unwrap().len();

    let driver = Driver::start();
    let browser = open(&driver, &dir.path().join("profile")).await;
    let page = url::Url::from_file_path(dir.path().join("report.html")).unwrap();
    // A one-document report opens on its document (issue 14), no anchor needed.
    browser.goto(page.as_str()).await.unwrap();

    let state = browser
        .execute("return document.readyState", vec![])
        .await
        .unwrap();
    assert_eq!(state, "complete");
    // Every mention is laid out with a size and its label's colour; the ones in view are seen.
    let seen = browser
        .execute(
            r#"const marks = [...document.querySelectorAll('article.doc mark.ent')];
               const shown = marks.filter(m => {
                   const r = m.getBoundingClientRect(), s = getComputedStyle(m);
                   return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none'
                       && s.backgroundColor !== 'rgba(0, 0, 0, 0)';
               });
               const inView = shown.filter(m => { const r = m.getBoundingClientRect();
                   return r.bottom > 0 && r.top < innerHeight; });
               const tags = new Set(marks.map(m => getComputedStyle(m, '::after').content));
               return { marks: marks.length, shown: shown.length, inView: inView.length, tags: [...tags] };"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(seen["marks"], entities, "{seen}");
    assert_eq!(seen["shown"], entities, "every mention is visible: {seen}");
    assert!(
        seen["inView"].as_u64().unwrap() > 5,
        "mentions in the first screen: {seen}"
    );
    assert!(
        seen["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "\"PER\""),
        "label tags drawn: {seen}"
    );

    // The document's heading is below the sticky header, not under it.
    let layout = browser
        .execute(
            r#"const h = document.querySelector('h2.docs-heading').getBoundingClientRect();
               const top = document.querySelector('header').getBoundingClientRect();
               return { heading: h.top, header: top.bottom, text: document.querySelector('h2.docs-heading').textContent };"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(
        layout["heading"].as_f64().unwrap() >= layout["header"].as_f64().unwrap(),
        "{layout}"
    );
    assert_eq!(layout["text"], "Document", "{layout}");

    let png = browser.screenshot().await.unwrap();
    assert!(
        png.len() > 10_000 && png.starts_with(b"\x89PNG"),
        "a real screenshot"
    );
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    std::fs::write(&shot, &png).unwrap();
    if let Some(path) = std::env::var_os("NL_NER_SCREENSHOT") {
        std::fs::write(path, &png).unwrap();
    }

    let log = browser.issue_cmd(BrowserLog).await.unwrap();
    let problems: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["level"] == "SEVERE" || m["level"] == "WARNING")
        .collect();
    assert!(problems.is_empty(), "console errors: {problems:?}");
    browser.close().await.unwrap();
}
