//! Gold annotations in JSONL (`corpus/gold/*.jsonl`): reading them, and turning them into
//! token-level IOB sequences for training.
//!
//! A line holds `text` and `entities`, each `{start, end, label}` in code points (end exclusive)
//! with an optional `text` that must equal the slice; `IGNORE` marks a don't-care region. Other
//! fields (`id`, …) are allowed.

use std::ops::Range;
use std::path::Path;

use nl_ner::FormatError;
use nl_ner::conll::{ConllDoc, ConllSentence};
use nl_ner::segment::Segmenter;
use nl_ner::{Error, Result};
use nl_ner::{Label, Tag};

/// One annotated document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDoc {
    /// The document's id (`file:line` when the line has none).
    pub id: String,
    /// The text all offsets refer to.
    pub text: String,
    /// Labelled spans in code points, in file order.
    pub entities: Vec<(Range<usize>, Label)>,
    /// Don't-care regions in code points.
    pub ignore: Vec<Range<usize>>,
}

/// Reads every line of a JSONL gold file; an error names the file and line.
pub fn read_jsonl(path: &Path) -> Result<Vec<GoldDoc>> {
    let content = nl_ner::files::read_data_file(path, nl_ner::files::MAX_DATA_BYTES)
        .map_err(|e| Error::io(path, e))?;
    let mut docs = Vec::new();
    for (i, line) in content.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("{}:{}", path.display(), i + 1);
        let doc = parse_line(line, &at).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            line: i + 1,
            source: Box::new(e),
        })?;
        docs.push(doc);
    }
    Ok(docs)
}

/// Parses one gold line; `at` is its default id. The document part (`text`, `id`) is read as
/// extraction input is ([`crate::input::parse_line`]), so gold and input agree on what a line is.
pub fn parse_line(line: &[u8], at: &str) -> std::result::Result<GoldDoc, FormatError> {
    #[derive(serde::Deserialize)]
    struct Entity {
        start: usize,
        end: usize,
        label: String,
        text: Option<String>,
    }
    let doc = crate::input::parse_line(line, at).map_err(|e| e.reason)?;
    let raw = doc.extra.get("entities").ok_or("no `entities` field")?;
    let list: Vec<Entity> = serde_json::from_value(raw.clone())
        .map_err(|e| FormatError::parse("`entities` must be a list of {start, end, label}", e))?;
    let chars: Vec<char> = doc.text.chars().collect();
    let (mut entities, mut ignore) = (Vec::new(), Vec::new());
    for e in list {
        if e.start >= e.end || e.end > chars.len() {
            return Err(invalid!(
                "entity [{}, {}) lies outside the text ({} characters)",
                e.start,
                e.end,
                chars.len()
            ));
        }
        if let Some(t) = &e.text {
            let surface: String = chars[e.start..e.end].iter().collect();
            if &surface != t {
                return Err(invalid!(
                    "entity [{}, {}) is `{surface}` in the text but `{t}` in the gold",
                    e.start,
                    e.end
                ));
            }
        }
        if e.label == "IGNORE" {
            ignore.push(e.start..e.end);
        } else {
            let label: Label = e.label.parse().map_err(|err| format!("{err}"))?;
            entities.push((e.start..e.end, label));
        }
    }
    // Overlapping spans (don't-care regions included) are refused, as `nl-ner import` refuses
    // them: a word cannot carry two tags.
    let mut all: Vec<(&Range<usize>, String)> = entities
        .iter()
        .map(|(r, l)| (r, l.to_string()))
        .chain(ignore.iter().map(|r| (r, "IGNORE".to_string())))
        .collect();
    all.sort_by_key(|(r, _)| (r.start, r.end));
    for pair in all.windows(2) {
        let ((a, al), (b, bl)) = (&pair[0], &pair[1]);
        if b.start < a.end {
            return Err(invalid!(
                "entity [{}, {}) {bl} overlaps entity [{}, {}) {al}",
                b.start,
                b.end,
                a.start,
                a.end
            ));
        }
    }
    Ok(GoldDoc {
        id: doc.id,
        text: doc.text,
        entities,
        ignore,
    })
}

/// The labels a statistical model learns from gold: names only (patterns find MONEY, DATE,
/// PERCENT and REF).
pub const MODEL_LABELS: [Label; 5] = [
    Label::Per,
    Label::Org,
    Label::Loc,
    Label::Misc,
    Label::Initiative,
];

/// Reads a training or evaluation file as token sequences: CoNLL as it is, JSONL gold tokenized by
/// the segmenter with [`MODEL_LABELS`] as IOB tags (see [`GoldDoc::to_conll`]).
pub fn read_as_conll(path: &Path) -> Result<Vec<ConllDoc>> {
    if crate::is_jsonl(path) {
        let segmenter = Segmenter::new();
        Ok(read_jsonl(path)?
            .iter()
            .map(|d| d.to_conll(&segmenter, &MODEL_LABELS))
            .collect())
    } else {
        nl_ner::conll::read(path)
    }
}

impl GoldDoc {
    /// The document as the segmenter tokenizes it, with IOB2 tags for the entities whose label is
    /// in `labels` (others, and don't-care regions, are `O`): training data for a tagger that
    /// sees exactly the tokens it will see at run time. A token overlapping an entity is inside
    /// it; the first such token begins it.
    pub fn to_conll(&self, segmenter: &Segmenter, labels: &[Label]) -> ConllDoc {
        let seg = segmenter.segment(&self.text);
        let mut spans: Vec<&(Range<usize>, Label)> = self
            .entities
            .iter()
            .filter(|(_, l)| labels.contains(l))
            .collect();
        spans.sort_by_key(|(r, _)| r.start);
        let mut sentences = Vec::with_capacity(seg.sentences.len());
        let mut next = 0;
        for s in &seg.sentences {
            let mut out = ConllSentence::default();
            for tok in &seg.tokens[s.tokens.clone()] {
                let r = tok.span.chars();
                while next < spans.len() && spans[next].0.end <= r.start {
                    next += 1;
                }
                let tag = match spans.get(next) {
                    Some((e, l)) if e.start < r.end => {
                        let first = out.tags.last().is_none_or(|t: &Tag| t.label() != Some(*l))
                            || r.start <= e.start;
                        if first { Tag::B(*l) } else { Tag::I(*l) }
                    }
                    _ => Tag::O,
                };
                out.words.push(tok.span.text(&self.text).to_string());
                out.tags.push(tag);
            }
            sentences.push(out);
        }
        ConllDoc { sentences }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_iob_over_segmenter_tokens() {
        let text = "De NAVO-top in ’s-Gravenhage met D. Yeşilgöz-Zegerius.";
        let chars: Vec<char> = text.chars().collect();
        let find = |s: &str| {
            let n: Vec<char> = s.chars().collect();
            let start = (0..chars.len())
                .find(|&i| chars[i..].starts_with(&n))
                .unwrap();
            (start, start + n.len())
        };
        let (a, b) = find("NAVO");
        let (c, d) = find("’s-Gravenhage");
        let (e, f) = find("D. Yeşilgöz-Zegerius");
        let line = format!(
            r#"{{"id":"x","text":{},"entities":[{{"start":{a},"end":{b},"label":"ORG","text":"NAVO"}},{{"start":{c},"end":{d},"label":"LOC"}},{{"start":{e},"end":{f},"label":"PER"}}]}}"#,
            serde_json::to_string(text).unwrap()
        );
        let gold = parse_line(line.as_bytes(), "f:1").unwrap();
        let doc = gold.to_conll(&Segmenter::new(), &[Label::Per, Label::Org, Label::Loc]);
        let got: Vec<String> = doc.sentences[0]
            .words
            .iter()
            .zip(&doc.sentences[0].tags)
            .map(|(w, t)| format!("{w}/{t}"))
            .collect();
        assert_eq!(
            got,
            [
                "De/O",
                "NAVO/B-ORG",
                "-/O",
                "top/O",
                "in/O",
                "’s-Gravenhage/B-LOC",
                "met/O",
                "D./B-PER",
                "Yeşilgöz/I-PER",
                "-/I-PER",
                "Zegerius/I-PER",
                "./O"
            ]
        );
        let only_org = gold.to_conll(&Segmenter::new(), &[Label::Org]);
        assert!(
            only_org.sentences[0]
                .tags
                .iter()
                .filter(|t| **t != Tag::O)
                .count()
                == 1
        );
    }

    #[test]
    fn rejects_offsets_that_do_not_match_the_text() {
        let e = parse_line(
            br#"{"text":"NAVO","entities":[{"start":0,"end":3,"label":"ORG","text":"NAVO"}]}"#,
            "f:1",
        );
        assert!(e.unwrap_err().report().contains("`NAV` in the text"));
        let e = parse_line(
            br#"{"text":"NAVO","entities":[{"start":0,"end":9,"label":"ORG"}]}"#,
            "f:1",
        );
        assert!(e.unwrap_err().report().contains("outside the text"));
        let e = parse_line(
            br#"{"text":"NAVO","entities":[{"start":0,"end":4,"label":"BODY"}]}"#,
            "f:1",
        );
        assert!(e.unwrap_err().report().contains("BODY"));
    }

    #[test]
    fn the_shipped_gold_files_are_valid() {
        let dir = crate::source_root().join("corpus/gold");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if crate::is_jsonl(&path) {
                let docs = read_jsonl(&path).unwrap();
                let raw = std::fs::read_to_string(&path).unwrap();
                for (d, line) in docs
                    .iter()
                    .zip(raw.lines().filter(|l| !l.trim().is_empty()))
                {
                    // A document part (`file.txt#3`) is the stretch of its file at `offset`.
                    let (file, offset) = match d.id.split_once('#') {
                        Some((file, _)) => {
                            let v: serde_json::Value = serde_json::from_str(line).unwrap();
                            (
                                file,
                                v["offset"].as_u64().expect("a part has an offset") as usize,
                            )
                        }
                        None => (d.id.as_str(), 0),
                    };
                    let full = std::fs::read_to_string(crate::source_root().join(file)).unwrap();
                    let text: String = full
                        .chars()
                        .skip(offset)
                        .take(d.text.chars().count())
                        .collect();
                    assert_eq!(text, d.text, "{} matches its file", d.id);
                    if offset == 0 && !d.id.contains('#') {
                        assert_eq!(full, d.text, "{} is its whole file", d.id);
                    }
                }
                n += docs.len();
            }
        }
        assert_eq!(n, 76 + 211 + 94 + 161 + 41);
    }
}
