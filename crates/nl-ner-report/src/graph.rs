//! The co-occurrence view: the most connected entities of a corpus on a circle, joined by the
//! number of sentences that name both. Laid out here, drawn as static SVG by the template, so
//! the report needs no script and looks the same in every browser.
//!
//! Two choices keep it readable (issue 25 item 9: the 24 most connected entities of `corpus/`
//! were all countries, named together in lists, and their 276 lines a hairball):
//! - **Places shared between the labels.** The places go round-robin to the labels, each label's
//!   entities by connections, so that no one kind fills the drawing; the labels sit in arcs of
//!   their own, in label order, so that a line across an arc joins two kinds.
//! - **Only each entity's strongest lines.** A line is drawn when it is one of the
//!   [`LINES_PER_NODE`] heaviest of either of its ends; the rest are counted in the note.

use std::f64::consts::PI;

use nl_ner::EntityTable;

/// Width and height of the circle's square, in SVG user units.
pub const SIZE: f64 = 640.0;
const RADIUS: f64 = 220.0;
/// Room around [`SIZE`] for the names, which run outwards along the radius.
pub const MARGIN: f64 = 200.0;
/// How many of its heaviest lines each entity keeps in the drawing.
pub const LINES_PER_NODE: usize = 3;

/// One entity in the drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Row index in the entity table.
    pub row: usize,
    /// Centre of its circle.
    pub x: f64,
    /// Centre of its circle.
    pub y: f64,
    /// Circle radius, growing with the entity's mentions.
    pub r: f64,
    /// Where its name starts, just outside the circle.
    pub label_x: f64,
    /// See `label_x`.
    pub label_y: f64,
    /// The name's rotation about its start, in degrees: along the radius, so that names side by
    /// side on the circle never overlap, and never upside down.
    pub rotate: f64,
    /// `start` on the right half of the circle, `end` on the left, so names point outwards.
    pub anchor: &'static str,
    /// Sentences it shares with any other entity of the corpus (drawn or not).
    pub degree: usize,
}

/// A line between two drawn entities.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Index into [`Graph::nodes`].
    pub a: usize,
    /// Index into [`Graph::nodes`].
    pub b: usize,
    /// Sentences naming both.
    pub weight: usize,
    /// Stroke width, growing with the weight.
    pub width: f64,
}

/// The laid-out co-occurrence view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// The drawn entities, clockwise from the top: by label, and within a label most connected
    /// first.
    pub nodes: Vec<Node>,
    /// The lines drawn: each node's three heaviest, heaviest last so that they are
    /// drawn on top.
    pub edges: Vec<Edge>,
    /// Pairs of drawn entities that share a sentence, lines drawn or not.
    pub pairs: usize,
}

impl Graph {
    /// At most `max_nodes` entities, shared round-robin between the labels, each label's
    /// entities by co-occurrences (ties: more mentions, then id), and the heaviest lines among
    /// them.
    pub fn new(table: &EntityTable, max_nodes: usize) -> Graph {
        let mut degree = vec![0usize; table.rows.len()];
        for c in &table.co_occurrences {
            degree[c.a] += c.sentences;
            degree[c.b] += c.sentences;
        }
        let mut ranked: Vec<usize> = (0..table.rows.len())
            .filter(|&r| degree[r] > 0 && !is_nationality_adjective(&table.rows[r]))
            .collect();
        ranked.sort_by(|&x, &y| {
            let (rx, ry) = (&table.rows[x], &table.rows[y]);
            rx.label
                .cmp(&ry.label)
                .then(degree[y].cmp(&degree[x]))
                .then(ry.mentions.cmp(&rx.mentions))
                .then(rx.id.cmp(&ry.id))
        });
        let chosen = share_between_labels(table, &ranked, max_nodes);

        let slot = |row: usize| chosen.iter().position(|&c| c == row);
        let pairs: Vec<Edge> = table
            .co_occurrences
            .iter()
            .filter_map(|c| {
                Some(Edge {
                    a: slot(c.a)?,
                    b: slot(c.b)?,
                    weight: c.sentences,
                    width: 0.0,
                })
            })
            .collect();
        let mut edges = strongest(&pairs, chosen.len());
        edges.sort_by_key(|e| (e.weight, e.a, e.b));
        let heaviest = edges.last().map_or(1, |e| e.weight) as f64;
        for e in &mut edges {
            e.width = 0.75 + 4.0 * (e.weight as f64 / heaviest).sqrt();
        }

        let most_mentions = chosen
            .iter()
            .map(|&r| table.rows[r].mentions)
            .max()
            .unwrap_or(1) as f64;
        // One empty place between two labels' arcs.
        let groups = chosen
            .windows(2)
            .filter(|w| table.rows[w[0]].label != table.rows[w[1]].label)
            .count();
        let places = (chosen.len() + groups + usize::from(groups > 0)).max(1) as f64;
        let centre = SIZE / 2.0;
        let mut place = 0;
        let nodes = chosen
            .iter()
            .enumerate()
            .map(|(i, &row)| {
                if i > 0 && table.rows[chosen[i - 1]].label != table.rows[row].label {
                    place += 1;
                }
                let angle = -PI / 2.0 + 2.0 * PI * place as f64 / places;
                place += 1;
                let (sin, cos) = angle.sin_cos();
                let r = 4.0 + 8.0 * (table.rows[row].mentions as f64 / most_mentions).sqrt();
                let out = RADIUS + r + 6.0;
                let right = cos >= -1e-9;
                let degrees = angle.to_degrees();
                Node {
                    row,
                    x: round(centre + RADIUS * cos),
                    y: round(centre + RADIUS * sin),
                    r: round(r),
                    label_x: round(centre + out * cos),
                    label_y: round(centre + out * sin),
                    rotate: round(if right { degrees } else { degrees - 180.0 }),
                    anchor: if right { "start" } else { "end" },
                    degree: degree[row],
                }
            })
            .collect();
        Graph {
            nodes,
            edges,
            pairs: pairs.len(),
        }
    }

    /// Whether there is nothing to draw (no two entities share a sentence).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Up to `max` of `ranked` (sorted by label, then rank): one of each label in turn, so that
/// every label with candidates gets its share and a label with few leaves its places to the
/// others. In label order, then rank.
fn share_between_labels(table: &EntityTable, ranked: &[usize], max: usize) -> Vec<usize> {
    let mut groups: Vec<&[usize]> = ranked
        .chunk_by(|&x, &y| table.rows[x].label == table.rows[y].label)
        .collect();
    let mut taken = vec![0usize; groups.len()];
    let mut left = max.min(ranked.len());
    while left > 0 {
        for (g, group) in groups.iter().enumerate() {
            if left > 0 && taken[g] < group.len() {
                taken[g] += 1;
                left -= 1;
            }
        }
    }
    for (group, &n) in groups.iter_mut().zip(&taken) {
        *group = &group[..n];
    }
    groups.concat()
}

/// The pairs that are among the [`LINES_PER_NODE`] heaviest of either end (ties: the pair
/// met first, in row order), out of `nodes` nodes.
fn strongest(pairs: &[Edge], nodes: usize) -> Vec<Edge> {
    let mut keep = vec![false; pairs.len()];
    for n in 0..nodes {
        let mut own: Vec<usize> = (0..pairs.len())
            .filter(|&i| pairs[i].a == n || pairs[i].b == n)
            .collect();
        own.sort_by_key(|&i| std::cmp::Reverse(pairs[i].weight));
        for &i in own.iter().take(LINES_PER_NODE) {
            keep[i] = true;
        }
    }
    pairs
        .iter()
        .zip(keep)
        .filter(|&(_, k)| k)
        .map(|(e, _)| e.clone())
        .collect()
}

/// A nationality or regional adjective tagged MISC (`Nederlandse`, `Oekraïense`, `Russische`):
/// named beside everything, it would take the drawing's places from the entities it is about.
fn is_nationality_adjective(row: &nl_ner::EntityRow) -> bool {
    let name = row.canonical.as_str();
    row.label == nl_ner::Label::Misc
        && !name.contains(char::is_whitespace)
        && name.starts_with(char::is_uppercase)
        && (name.ends_with("se") || name.ends_with("sche"))
}

/// Coordinates with two decimals: enough for the eye, and stable text in the output.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_ner::{Document, Entity, Label, Sentence, Source, Span};

    fn doc(text: &str, names: &[(&str, Label)]) -> Document {
        let mut d = Document::new("d", text);
        for (name, label) in names {
            let at = text.find(name).unwrap();
            d.entities.push(Entity::new(
                Span::from_bytes(text, at..at + name.len()),
                *label,
                1.0,
                Source::Model,
            ));
        }
        d.entities.sort_by_key(|e| e.span);
        d.sentences.push(Sentence {
            span: Span::from_bytes(text, 0..text.len()),
            tokens: 0..0,
        });
        d
    }

    #[test]
    fn only_entities_that_share_a_sentence_are_drawn_most_connected_first() {
        let docs = [
            doc(
                "Rutte sprak met de NAVO over Oekraïne.",
                &[
                    ("Rutte", Label::Per),
                    ("NAVO", Label::Org),
                    ("Oekraïne", Label::Loc),
                ],
            ),
            doc(
                "De NAVO en Oekraïne.",
                &[("NAVO", Label::Org), ("Oekraïne", Label::Loc)],
            ),
            doc("Alleen Brussel.", &[("Brussel", Label::Loc)]),
        ];
        let table = EntityTable::build(&docs, &Label::ALL);
        let g = Graph::new(&table, 10);
        let ids: Vec<&str> = g
            .nodes
            .iter()
            .map(|n| table.rows[n.row].id.as_str())
            .collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert!(!ids.iter().any(|id| id.contains("brussel")));
        assert_eq!(
            g.nodes[0].degree, 2,
            "Rutte (PER, first label) shares one sentence with each of the others"
        );
        let heaviest = g.edges.last().unwrap();
        assert_eq!(heaviest.weight, 2);
        assert!(
            g.edges
                .iter()
                .all(|e| e.width > 0.0 && e.width <= heaviest.width)
        );
        assert!(
            g.nodes
                .iter()
                .all(|n| n.x >= 0.0 && n.x <= SIZE && n.y >= 0.0 && n.y <= SIZE)
        );
    }

    #[test]
    fn the_number_of_nodes_is_bounded() {
        let docs = [doc(
            "Rutte sprak met de NAVO over Oekraïne.",
            &[
                ("Rutte", Label::Per),
                ("NAVO", Label::Org),
                ("Oekraïne", Label::Loc),
            ],
        )];
        let table = EntityTable::build(&docs, &Label::ALL);
        let g = Graph::new(&table, 2);
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.edges.len(), 1);
    }

    /// Issue 25 item 9: twelve countries named together in every sentence took all the places
    /// and drew every pair; now the places are shared with the other labels and each entity
    /// keeps its strongest lines only.
    #[test]
    fn a_list_of_countries_shares_the_places_and_draws_only_the_strongest_lines() {
        let countries = [
            "Duitsland",
            "Frankrijk",
            "Polen",
            "Italië",
            "Spanje",
            "Zweden",
            "Finland",
            "Denemarken",
            "Noorwegen",
            "Estland",
            "Letland",
            "Litouwen",
        ];
        let list = countries.join(", ");
        let mut docs: Vec<Document> = (0..3)
            .map(|_| {
                let names: Vec<(&str, Label)> =
                    countries.iter().map(|c| (*c, Label::Loc)).collect();
                doc(&format!("Steun van {list}."), &names)
            })
            .collect();
        docs.push(doc(
            "Rutte sprak met de NAVO over Duitsland.",
            &[
                ("Rutte", Label::Per),
                ("NAVO", Label::Org),
                ("Duitsland", Label::Loc),
            ],
        ));
        let table = EntityTable::build(&docs, &Label::ALL);
        let g = Graph::new(&table, 8);
        let labels: Vec<Label> = g.nodes.iter().map(|n| table.rows[n.row].label).collect();
        assert_eq!(
            labels,
            [
                Label::Per,
                Label::Org,
                Label::Loc,
                Label::Loc,
                Label::Loc,
                Label::Loc,
                Label::Loc,
                Label::Loc
            ],
            "one place each for PER and ORG, the rest to LOC, in label order"
        );
        assert_eq!(
            g.pairs,
            6 * 5 / 2 + 3,
            "the drawn countries in pairs; Rutte, NAVO and Duitsland"
        );
        assert!(g.edges.len() < g.pairs, "{} of {}", g.edges.len(), g.pairs);
        for (i, _) in g.nodes.iter().enumerate() {
            let lines = g.edges.iter().filter(|e| e.a == i || e.b == i).count();
            assert!(lines >= 1, "node {i} has a line");
        }
        assert!(
            g.edges.last().unwrap().weight == 3,
            "the heaviest pairs (two countries in three lists) drawn: {:?}",
            g.edges.last()
        );
        // Arcs per label: an empty place between PER and ORG and between ORG and LOC.
        let gap = |a: &Node, b: &Node| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        assert!(gap(&g.nodes[0], &g.nodes[1]) > 1.5 * gap(&g.nodes[2], &g.nodes[3]));
    }
}
