//! The HTML report of an annotated corpus (`nl-ner render`): each document's text with its
//! entities highlighted in place, and an overview of the corpus (counts by label, the top
//! entities of each label with their names and documents, and a co-occurrence drawing).
//!
//! Every page is one self-contained file: CSS inline, no script, nothing fetched. A corpus is
//! split into pages of [`RenderConfig::docs_per_page`] documents so that a corpus of thousands
//! of documents never makes one page slow: the first page (`report.html`) holds the overview,
//! the index of all documents and the first documents; page *k* is `report-k-GEN.html`, `GEN` a
//! CRC-32 of the report's contents, so that a new report never overwrites the further pages an
//! older first page links to (`nl-ner render` writes them first and the first page last). Text goes
//! through askama's HTML escaping, so `<`, `&` and quotes in a document show as text.

#![deny(missing_docs)]

mod fragment;
mod graph;
mod text;
mod write;

use askama::Template;

pub use fragment::document_html;
pub use graph::Graph;
pub use text::{Run, runs};

use nl_ner::EntityTable;
use nl_ner::Stats;
use nl_ner::{Document, Label};
use nl_ner_io::export::NAME_LABELS;

/// A CRC-32 of what a report shows: the version, the layout and every document's id, text and
/// entities.
fn generation(docs: &[Document], config: &RenderConfig) -> String {
    let mut h = crc32fast::Hasher::new();
    let layout = format!("{} {config:?}", env!("CARGO_PKG_VERSION"));
    h.update(layout.as_bytes());
    for d in docs {
        for part in [d.id.as_bytes(), &[0], d.text.as_bytes(), &[0]] {
            h.update(part);
        }
        let linked = d.is_linked();
        for (e, id) in d
            .entities
            .iter()
            .filter_map(|e| Some((e, e.entity_id.as_ref().filter(|_| linked)?)))
        {
            h.update(
                format!(
                    "{}:{}:{}:{id}\0",
                    e.span.byte_start, e.span.byte_end, e.label
                )
                .as_bytes(),
            );
        }
    }
    format!("{:08x}", h.finalize())
}

/// How the report is laid out.
#[derive(Clone, Debug)]
pub struct RenderConfig {
    /// The page title.
    pub title: String,
    /// Documents per page.
    pub docs_per_page: usize,
    /// Entities listed per label in the overview.
    pub top_per_label: usize,
    /// Documents listed per entity in the overview (the rest are counted).
    pub docs_per_entity: usize,
    /// Entities in the co-occurrence drawing.
    pub graph_nodes: usize,
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            title: "nl-ner report".into(),
            docs_per_page: 100,
            top_per_label: 10,
            docs_per_entity: 8,
            graph_nodes: 24,
        }
    }
}

/// A report over a corpus, rendered one page at a time.
pub struct Report<'a> {
    docs: &'a [Document],
    table: &'a EntityTable,
    config: RenderConfig,
    stem: String,
    /// The further pages' generation: a CRC-32 of everything the pages show (hex).
    generation: String,
    /// Mentions per label over the whole corpus: the legend and header of every page.
    counts: Stats,
}

impl<'a> Report<'a> {
    /// A report of `docs` (linked, as `nl-ner extract` writes them) and their entity table
    /// (built over [`NAME_LABELS`]: the patterns' labels are highlighted but not ranked), whose first page is named `file_name` and whose
    /// other pages are named after it (`report.html`, `report-2.html`, ...).
    pub fn new(
        docs: &'a [Document],
        table: &'a EntityTable,
        config: RenderConfig,
        file_name: &str,
    ) -> Self {
        let stem = file_name
            .strip_suffix(".html")
            .or_else(|| file_name.strip_suffix(".htm"))
            .unwrap_or(file_name);
        let config = RenderConfig {
            docs_per_page: config.docs_per_page.max(1),
            ..config
        };
        let mut counts = Stats::default();
        for d in docs {
            counts.add(d);
        }
        let generation = generation(docs, &config);
        Report {
            docs,
            table,
            config,
            stem: stem.to_string(),
            generation,
            counts,
        }
    }

    /// Number of pages (at least one, even for an empty corpus).
    pub fn page_count(&self) -> usize {
        self.docs.len().div_ceil(self.config.docs_per_page).max(1)
    }

    /// The file name of page `page` (from 0).
    pub fn page_name(&self, page: usize) -> String {
        match page {
            0 => format!("{}.html", self.stem),
            k => format!("{}-{}-{}.html", self.stem, k + 1, self.generation),
        }
    }

    /// Whether `name` is a further page of a report named like this one but of another
    /// generation (or of the unversioned naming of earlier releases, `report-2.html`).
    pub fn is_other_generation(&self, name: &str) -> bool {
        let Some(rest) = name
            .strip_prefix(&self.stem)
            .and_then(|r| r.strip_prefix('-'))
        else {
            return false;
        };
        let Some(rest) = rest.strip_suffix(".html") else {
            return false;
        };
        let (page, generation) = rest.split_once('-').unwrap_or((rest, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let hex = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit());
        digits(page) && (generation.is_empty() || hex(generation)) && generation != self.generation
    }

    /// Page `page`'s file name as a relative URL: percent-encoded, so that a report named
    /// `a #1?.html` links to its pages, not to an anchor or a query.
    fn page_href(&self, page: usize) -> String {
        use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
        /// Everything but the unreserved characters of RFC 3986.
        const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        utf8_percent_encode(&self.page_name(page), SEGMENT).to_string()
    }

    /// Where document `n` (from 0) is shown: its page's URL and anchor.
    fn doc_href(&self, n: usize) -> String {
        format!(
            "{}#d{}",
            self.page_href(n / self.config.docs_per_page),
            n + 1
        )
    }

    /// The page links of page `page`: the overview, the first and last pages, and the pages
    /// within [`PAGE_WINDOW`] of this one, with a gap for the rest. Listing every page on every
    /// page made a report's size quadratic in its pages (3,000 pages: 352 MB); this keeps each
    /// page's list under 2 × [`PAGE_WINDOW`] + 5 entries, and every page still reachable.
    fn page_links(&self, page: usize) -> Vec<PageLink> {
        let last = self.page_count() - 1;
        let shown = |p: usize| p == 0 || p == 1 || p == last || p.abs_diff(page) <= PAGE_WINDOW;
        let mut links = Vec::new();
        for p in 0..=last {
            if !shown(p) {
                if links.last().is_some_and(|l: &PageLink| !l.gap) {
                    links.push(PageLink {
                        href: String::new(),
                        text: "…".to_string(),
                        current: false,
                        gap: true,
                    });
                }
                continue;
            }
            links.push(PageLink {
                href: self.page_href(p),
                text: if p == 0 {
                    "Overview".to_string()
                } else {
                    (p + 1).to_string()
                },
                current: p == page,
                gap: false,
            });
        }
        links
    }

    /// The HTML of page `page` (from 0).
    pub fn render_page(&self, page: usize) -> String {
        let per = self.config.docs_per_page;
        let range = (page * per).min(self.docs.len())..((page + 1) * per).min(self.docs.len());
        let pages = self.page_links(page);
        let docs = range.clone().map(|n| self.doc_view(n)).collect();
        let tpl = PageTemplate {
            title: &self.config.title,
            subtitle: format!(
                "{} · {} · {} · page {} of {}",
                count(self.docs.len(), "document"),
                count(self.table.rows.len(), "entity"),
                count(self.counts.total_entities(), "mention"),
                page + 1,
                self.page_count()
            ),
            legend: self.legend(),
            pages,
            overview: (page == 0).then(|| self.overview()),
            first_doc: range.start + 1,
            last_doc: range.end,
            docs,
            one_doc: self.docs.len() == 1,
        };
        tpl.render().expect("rendering to a String does not fail")
    }

    fn legend(&self) -> Vec<LegendItem> {
        Label::ALL
            .iter()
            .map(|&l| LegendItem {
                label: l.as_str(),
                count: self.counts.entities.get(&l).copied().unwrap_or(0),
            })
            .collect()
    }

    fn overview(&self) -> Overview {
        let t = self.table;
        let tops: Vec<(Label, usize, usize, Vec<usize>)> = NAME_LABELS
            .iter()
            .map(|&label| {
                let mut rows: Vec<usize> = (0..t.rows.len())
                    .filter(|&r| t.rows[r].label == label)
                    .collect();
                let entities = rows.len();
                let mentions = rows.iter().map(|&r| t.rows[r].mentions).sum();
                rows.sort_by(|&a, &b| {
                    let (ra, rb) = (&t.rows[a], &t.rows[b]);
                    rb.documents
                        .len()
                        .cmp(&ra.documents.len())
                        .then(rb.mentions.cmp(&ra.mentions))
                        .then(ra.id.cmp(&rb.id))
                });
                rows.truncate(self.config.top_per_label);
                (label, entities, mentions, rows)
            })
            .collect();
        // A fact links to the other entity's row where the lists have one.
        let listed: Vec<usize> = tops.iter().flat_map(|t| t.3.iter().copied()).collect();
        let sections: Vec<LabelSection> = tops
            .into_iter()
            .map(|(label, entities, mentions, rows)| LabelSection {
                label: label.as_str(),
                entities,
                mentions,
                top: rows
                    .into_iter()
                    .map(|r| self.top_entity(r, &listed))
                    .collect(),
            })
            .collect();
        // A drawn entity links to its row in the lists above where it has one, else to the
        // first document that names it.
        let g = Graph::new(t, self.config.graph_nodes);
        let nodes = g
            .nodes
            .iter()
            .map(|n| {
                let row = &t.rows[n.row];
                let href = if listed.contains(&n.row) {
                    format!("#e-{}", n.row)
                } else {
                    row.documents
                        .first()
                        .map_or_else(String::new, |&d| self.doc_href(d))
                };
                let lines = name_lines(&row.canonical, 28, 3);
                NodeView {
                    // The lines centred on the radius the name runs along.
                    first_dy: format!("{:.3}em", -0.575 * (lines.len().max(1) - 1) as f64),
                    x: n.x,
                    y: n.y,
                    r: n.r,
                    label_x: n.label_x,
                    label_y: n.label_y,
                    rotate: n.rotate,
                    anchor: n.anchor,
                    label: row.label.as_str(),
                    lines,
                    title: format!(
                        "{} ({}) · {} mentions · {} shared sentences",
                        row.canonical, row.id, row.mentions, n.degree
                    ),
                    href,
                }
            })
            .collect();
        let edges = g
            .edges
            .iter()
            .map(|e| {
                let (a, b) = (&g.nodes[e.a], &g.nodes[e.b]);
                EdgeView {
                    x1: a.x,
                    y1: a.y,
                    x2: b.x,
                    y2: b.y,
                    width: (e.width * 100.0).round() / 100.0,
                    title: format!(
                        "{} – {}: {} sentences",
                        t.rows[a.row].canonical, t.rows[b.row].canonical, e.weight
                    ),
                }
            })
            .collect();
        let index = (0..self.docs.len())
            .map(|n| IndexEntry {
                href: self.doc_href(n),
                id: self.docs[n].id.clone(),
                entities: self.docs[n].entities.len(),
            })
            .collect();
        Overview {
            sections,
            nodes,
            edges,
            pairs: g.pairs,
            lines_per_node: graph::LINES_PER_NODE,
            view_box: {
                let (m, side) = (graph::MARGIN, graph::SIZE + 2.0 * graph::MARGIN);
                format!("{} {} {side} {side}", -m, -m)
            },
            index,
        }
    }

    /// Row `r` as listed in the overview; `listed` are the rows the overview lists.
    fn top_entity(&self, r: usize, listed: &[usize]) -> TopEntity {
        let row = &self.table.rows[r];
        let documents = row
            .documents
            .iter()
            .take(self.config.docs_per_entity)
            .map(|&d| DocLink {
                href: self.doc_href(d),
                name: short_name(&self.docs[d].id),
                id: self.docs[d].id.clone(),
            })
            .collect();
        let facts = self
            .table
            .row_facts(r)
            .into_iter()
            .filter_map(|f| {
                let name = f.name(self.table)?;
                let documents = f
                    .fact
                    .documents
                    .iter()
                    .take(self.config.docs_per_entity)
                    .map(|&d| DatedDocLink {
                        date: self.table.documents[d]
                            .date
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        link: DocLink {
                            href: self.doc_href(d),
                            name: short_name(&self.docs[d].id),
                            id: self.docs[d].id.clone(),
                        },
                    })
                    .collect();
                Some(FactView {
                    relation: f.side.as_str(),
                    name,
                    // The other entity's row in the lists, where it has one.
                    other: f
                        .other
                        .filter(|o| listed.contains(o))
                        .map(|o| format!("e-{o}"))
                        .unwrap_or_default(),
                    documents,
                    more_documents: f
                        .fact
                        .documents
                        .len()
                        .saturating_sub(self.config.docs_per_entity),
                })
            })
            .collect();
        TopEntity {
            facts,
            anchor: format!("e-{r}"),
            id: row.id.clone(),
            canonical: row.canonical.clone(),
            aliases: row.aliases.join(" · "),
            mentions: row.mentions,
            documents,
            more_documents: row
                .documents
                .len()
                .saturating_sub(self.config.docs_per_entity),
        }
    }

    fn doc_view(&self, n: usize) -> DocView {
        let doc = &self.docs[n];
        DocView {
            anchor: format!("d{}", n + 1),
            number: n + 1,
            id: doc.id.clone(),
            entities: doc.entities.len(),
            runs: run_views(doc),
        }
    }
}

/// A document's text as the views of its runs ([`runs`]): plain text, and each mention with
/// its label, source, score, id and the title a pointer shows.
fn run_views(doc: &Document) -> Vec<RunView> {
    let linked = doc.is_linked();
    runs(doc)
        .into_iter()
        .map(|run| RunView {
            text: run.text.to_string(),
            entity: run.entity.map(|(_, e)| {
                let id = match &e.entity_id {
                    Some(id) if linked => id.clone(),
                    _ => String::new(),
                };
                let mut title =
                    format!("{} · {} · score {:.2}", e.label, e.source.as_str(), e.score);
                if !id.is_empty() {
                    title.push_str(" · ");
                    title.push_str(&id);
                }
                EntityView {
                    label: e.label.as_str(),
                    source: e.source.as_str(),
                    score: format!("{:.4}", e.score),
                    id,
                    title,
                }
            }),
        })
        .collect()
}

/// `n` and `noun`, in the plural unless `n` is one (`entity` → `entities`).
pub fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// A document id as a link shows it: its last path component (ids are often paths), at most
/// 40 characters.
fn short_name(id: &str) -> String {
    let last = id
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(id);
    shorten(last, 40)
}

/// A name in at most `most` lines of about `width` characters, broken between words, so that
/// the drawing shows it whole where it fits (the rest of a longer one is cut with an ellipsis;
/// the node's tooltip has it all).
fn name_lines(name: &str, width: usize, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

#[derive(Template)]
#[template(path = "page.html")]
struct PageTemplate<'a> {
    title: &'a str,
    subtitle: String,
    legend: Vec<LegendItem>,
    pages: Vec<PageLink>,
    overview: Option<Overview>,
    first_doc: usize,
    last_doc: usize,
    docs: Vec<DocView>,
    /// A report of one document: its text comes first and the overview after it, and the
    /// lists leave out the documents column (it would name that one file on every row).
    one_doc: bool,
}

impl PageTemplate<'_> {
    /// `count` for the template: `1 mention`, `2 mentions`.
    fn count(&self, n: &usize, noun: &str) -> String {
        count(*n, noun)
    }
}

struct LegendItem {
    label: &'static str,
    count: usize,
}

struct PageLink {
    href: String,
    text: String,
    current: bool,
    /// Pages left out of the list (`…`).
    gap: bool,
}

/// How many pages before and after the current one its page list links to.
const PAGE_WINDOW: usize = 5;

struct Overview {
    sections: Vec<LabelSection>,
    nodes: Vec<NodeView>,
    edges: Vec<EdgeView>,
    /// Pairs of drawn entities that share a sentence; `edges` are the strongest of them.
    pairs: usize,
    lines_per_node: usize,
    /// The drawing's `viewBox`: the circle with room for the names around it.
    view_box: String,
    index: Vec<IndexEntry>,
}

struct LabelSection {
    label: &'static str,
    entities: usize,
    mentions: usize,
    top: Vec<TopEntity>,
}

struct TopEntity {
    /// Its roles and parties (a person), the initiatives it takes part in, its participants
    /// (an initiative), each with the documents that state it.
    facts: Vec<FactView>,
    anchor: String,
    id: String,
    canonical: String,
    aliases: String,
    mentions: usize,
    documents: Vec<DocLink>,
    more_documents: usize,
}

struct FactView {
    /// How it stands to the entity (`role`, `party`, `takes part in`, `participant`).
    relation: &'static str,
    /// The office, or the other entity's name.
    name: String,
    /// The anchor of the other entity's row (`e-12`), empty for a role without one.
    other: String,
    documents: Vec<DatedDocLink>,
    more_documents: usize,
}

struct DatedDocLink {
    /// `YYYY-MM-DD`, empty for an undated document.
    date: String,
    link: DocLink,
}

struct DocLink {
    href: String,
    /// The id's last path component, shortened: what the link shows.
    name: String,
    /// The whole id: the link's tooltip.
    id: String,
}

struct NodeView {
    x: f64,
    y: f64,
    r: f64,
    label_x: f64,
    label_y: f64,
    rotate: f64,
    anchor: &'static str,
    label: &'static str,
    /// The canonical name, whole, in lines.
    lines: Vec<String>,
    /// The first line's shift, so that the lines are centred on the name's radius.
    first_dy: String,
    title: String,
    href: String,
}

struct EdgeView {
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    width: f64,
    title: String,
}

struct IndexEntry {
    href: String,
    id: String,
    entities: usize,
}

struct DocView {
    anchor: String,
    number: usize,
    id: String,
    entities: usize,
    runs: Vec<RunView>,
}

struct RunView {
    text: String,
    entity: Option<EntityView>,
}

struct EntityView {
    label: &'static str,
    source: &'static str,
    score: String,
    id: String,
    title: String,
}

#[cfg(test)]
mod tests;
