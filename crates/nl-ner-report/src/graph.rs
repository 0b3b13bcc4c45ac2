//! The co-occurrence view: the most connected entities of a corpus on a circle, joined by the
//! number of sentences that name both. Laid out here, drawn as static SVG by the template, so
//! the report needs no script and looks the same in every browser.

use std::f64::consts::PI;

use nl_ner::EntityTable;

/// Width and height of the drawing, in SVG user units.
pub const SIZE: f64 = 640.0;
const RADIUS: f64 = 220.0;

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
    /// Where its name starts, just outside the circle, and which way the name runs.
    pub label_x: f64,
    /// See `label_x`.
    pub label_y: f64,
    /// `start` on the right half of the circle, `end` on the left, so names point outwards.
    pub anchor: &'static str,
    /// Sum of the weights of its edges in the drawing.
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
    /// The drawn entities, most connected first (clockwise from the top).
    pub nodes: Vec<Node>,
    /// The co-occurrences among them, heaviest last so they are drawn on top.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// The `max_nodes` entities with the most co-occurrences (ties: more mentions, then id),
    /// and the co-occurrences among them.
    pub fn new(table: &EntityTable, max_nodes: usize) -> Graph {
        let mut degree = vec![0usize; table.rows.len()];
        for c in &table.co_occurrences {
            degree[c.a] += c.sentences;
            degree[c.b] += c.sentences;
        }
        let mut chosen: Vec<usize> = (0..table.rows.len())
            .filter(|&r| degree[r] > 0 && !is_nationality_adjective(&table.rows[r]))
            .collect();
        chosen.sort_by(|&x, &y| {
            let (rx, ry) = (&table.rows[x], &table.rows[y]);
            degree[y]
                .cmp(&degree[x])
                .then(ry.mentions.cmp(&rx.mentions))
                .then(rx.id.cmp(&ry.id))
        });
        chosen.truncate(max_nodes);

        let slot = |row: usize| chosen.iter().position(|&c| c == row);
        let mut edges: Vec<Edge> = table
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
        let n = chosen.len().max(1) as f64;
        let centre = SIZE / 2.0;
        let nodes = chosen
            .iter()
            .enumerate()
            .map(|(i, &row)| {
                let angle = -PI / 2.0 + 2.0 * PI * i as f64 / n;
                let (sin, cos) = angle.sin_cos();
                let r = 4.0 + 8.0 * (table.rows[row].mentions as f64 / most_mentions).sqrt();
                let out = RADIUS + r + 6.0;
                Node {
                    row,
                    x: round(centre + RADIUS * cos),
                    y: round(centre + RADIUS * sin),
                    r: round(r),
                    label_x: round(centre + out * cos),
                    label_y: round(centre + out * sin + 4.0),
                    anchor: if cos >= -1e-9 { "start" } else { "end" },
                    degree: degree[row],
                }
            })
            .collect();
        Graph { nodes, edges }
    }

    /// Whether there is nothing to draw (no two entities share a sentence).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Coordinates with two decimals: enough for the eye, and stable text in the output.
/// A nationality or regional adjective tagged MISC (`Nederlandse`, `Oekraïense`, `Russische`):
/// named beside everything, it would take the drawing's places from the entities it is about.
fn is_nationality_adjective(row: &nl_ner::EntityRow) -> bool {
    let name = row.canonical.as_str();
    row.label == nl_ner::Label::Misc
        && !name.contains(char::is_whitespace)
        && name.starts_with(char::is_uppercase)
        && (name.ends_with("se") || name.ends_with("sche"))
}

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
            g.nodes[2].degree, 2,
            "Rutte shares one sentence with each of the others"
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
}
