//! `nl-ner render` in a real browser: headless Chromium, driven through ChromeDriver, opens the
//! report of the letter in `corpus/`, with no console errors, the entities visible, and a
//! screenshot taken (`target/tmp/report-screenshot.png`; with `NL_NER_SCREENSHOT=FILE` it is also
//! written there, which is how the README's picture is made); and the report of all of `corpus/`
//! at 1400 and 1920 pixels wide, measured for the layout faults of issue 25 item 9 (a name
//! running into the next column, a table cut at the edge, the index over its numbers, names in
//! the drawing on top of each other).
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

    // The document's heading is below the sticky header, not under it, and above the
    // document's left edge.
    let layout = browser
        .execute(
            r#"const h = document.querySelector('h2.docs-heading').getBoundingClientRect();
               const top = document.querySelector('header').getBoundingClientRect();
               const doc = document.querySelector('article.doc').getBoundingClientRect();
               return { heading: h.top, header: top.bottom, left: h.left, doc: doc.left,
                        text: document.querySelector('h2.docs-heading').textContent };"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(
        layout["heading"].as_f64().unwrap() >= layout["header"].as_f64().unwrap(),
        "{layout}"
    );
    assert_eq!(layout["text"], "Document", "{layout}");
    assert!(
        (layout["left"].as_f64().unwrap() - layout["doc"].as_f64().unwrap()).abs() < 1.0,
        "{layout}"
    );

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

/// The layout faults of the first page, as a list of sentences (empty: none). Measured in the
/// browser: every section inside the page's main column and every table inside its section;
/// everything in a table cell inside that cell; a document name wider than its box cut with an
/// ellipsis and its whole id in the title; the index's entries apart from each other with their
/// number (an element, not a list marker), name and count inside; the drawing's names inside the drawing and apart from each
/// other (their boxes turned as the names are, compared by separating axes).
const LAYOUT_FAULTS: &str = r#"
const faults = [], at = r => `[${Math.round(r.left)}, ${Math.round(r.right)}]`;
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth)
    faults.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
const inside = (el, box, what) => {
    const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.width > 0 && (r.left < b.left - 0.5 || r.right > b.right + 0.5))
        faults.push(`${what} ${JSON.stringify(el.textContent.slice(0, 50))} at ${at(r)} leaves ${at(b)}`);
};
const main = document.querySelector('main');
for (const s of document.querySelectorAll('section.label-section')) {
    inside(s, main, `the ${s.dataset.label} section`);
    const t = s.querySelector('table');
    if (t) inside(t, s, `the ${s.dataset.label} table`);
}
for (const td of document.querySelectorAll('table.top td'))
    for (const el of td.querySelectorAll('*')) inside(el, td, 'in a cell,');
let cut = 0;
for (const a of document.querySelectorAll('td.docs a, .fact a.src, ol.index a')) {
    if (a.scrollWidth <= a.clientWidth) continue;
    cut += 1;
    const s = getComputedStyle(a);
    if (s.textOverflow !== 'ellipsis' || s.overflowX !== 'hidden' || !a.title)
        faults.push(`${JSON.stringify(a.textContent)} is cut without an ellipsis and a title`);
}
const items = [...document.querySelectorAll('ol.index li')];
const boxes = items.map(li => li.getBoundingClientRect());
for (const [i, li] of items.entries()) {
    const number = li.querySelector('.num');
    if (!number || number.textContent !== String(i + 1))
        faults.push(`index entry ${i + 1} has no number of its own (a list marker sits outside its column)`);
    for (const el of li.children) inside(el, li, 'in the index,');
    for (let j = i + 1; j < items.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
            && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5)
            faults.push(`index entries ${i + 1} and ${j + 1} overlap`);
    }
}
const svg = document.querySelector('svg.graph'), frame = svg.getBoundingClientRect();
const quads = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
});
const names = [...svg.querySelectorAll('text')]
    .map(t => [...t.querySelectorAll('tspan')].map(l => l.textContent).join(' '));
const apart = (p, q) => [p, q].some(poly => poly.some((a, k) => {
    const b = poly[(k + 1) % 4], nx = a.y - b.y, ny = b.x - a.x;
    const span = ps => ps.map(v => v.x * nx + v.y * ny);
    const sp = span(p), sq = span(q);
    return Math.max(...sp) <= Math.min(...sq) + 0.5 || Math.max(...sq) <= Math.min(...sp) + 0.5;
}));
for (const [i, p] of quads.entries()) {
    if (p.some(v => v.x < frame.left - 0.5 || v.x > frame.right + 0.5 || v.y < frame.top - 0.5 || v.y > frame.bottom + 0.5))
        faults.push(`the name ${names[i]} leaves the drawing`);
    for (let j = i + 1; j < quads.length; j++)
        if (!apart(p, quads[j])) faults.push(`the names ${names[i]} and ${names[j]} overlap`);
}
const labels = new Set([...svg.querySelectorAll('circle')].map(c => c.dataset.label));
return { faults, cut, width: root.clientWidth, index: items.length, nodes: quads.length,
         lines: svg.querySelectorAll('line').length, labels: [...labels] };
"#;

/// Issue 25 item 9: the report of the whole of `corpus/` at the two widths users had it, with
/// none of the faults [`LAYOUT_FAULTS`] measures. Screenshots of the overview and of the index
/// go to `target/tmp/report-corpus-WIDTH-*.png`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "needs Chromium and ChromeDriver: .ci/setup.d/30-chromium.sh"]
async fn the_corpus_report_fits_its_columns_at_1400_and_1920_pixels() {
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let extracted = dir.path().join("corpus.jsonl");
    let report = dir.path().join("report.html");
    let out = util::run(&[
        "extract",
        "corpus/",
        "-q",
        "-o",
        extracted.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let out = util::run(&[
        "render",
        extracted.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let documents = util::json_lines(&std::fs::read(&extracted).unwrap()).len();

    let driver = Driver::start();
    let browser = open(&driver, &dir.path().join("profile")).await;
    let page = url::Url::from_file_path(&report).unwrap();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for width in [1400u32, 1920] {
        browser.set_window_size(width, 1000).await.unwrap();
        browser.goto(page.as_str()).await.unwrap();
        let seen = browser.execute(LAYOUT_FAULTS, vec![]).await.unwrap();
        let inner = seen["width"].as_u64().unwrap();
        assert!(
            inner + 40 >= u64::from(width) && inner <= u64::from(width),
            "the window is {width} pixels wide: {seen}"
        );
        assert_eq!(seen["faults"], json!([]), "at {width} pixels: {seen}");
        assert_eq!(seen["index"], documents, "{seen}");
        assert!(
            seen["labels"].as_array().unwrap().len() >= 4,
            "the drawing is not one label's: {seen}"
        );
        let (nodes, lines) = (
            seen["nodes"].as_u64().unwrap(),
            seen["lines"].as_u64().unwrap(),
        );
        assert!(nodes >= 20 && lines <= 3 * nodes, "{seen}");
        for (part, selector) in [
            ("overview", "#overview"),
            ("graph", "svg.graph"),
            ("index", "ol.index"),
        ] {
            browser
                .execute(
                    "document.querySelector(arguments[0]).scrollIntoView()",
                    vec![json!(selector)],
                )
                .await
                .unwrap();
            let png = browser.screenshot().await.unwrap();
            std::fs::write(shots.join(format!("report-corpus-{width}-{part}.png")), png).unwrap();
        }
    }
    browser.close().await.unwrap();
}
