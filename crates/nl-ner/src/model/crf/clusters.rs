//! Word clusters learned from unlabelled Dutch text (`models/lexicon/clusters.tsv`, built by
//! `scripts/build-clusters.sh`): words that stand in the same contexts share a cluster at three
//! granularities (64, 256 and 1,024 clusters), so the model generalises from the names and cue
//! words it was trained on to others in the same cluster.

use std::sync::OnceLock;

use crate::lexicon::{HashedMap, word_hash};

/// The cluster file compiled into the binary.
static CLUSTERS_TSV: &str = include_str!("../../../../../models/lexicon/clusters.tsv");

/// A word's clusters at the three granularities; [`Clusters::UNKNOWN`] for a word not in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clusters(pub [u16; 3]);

impl Clusters {
    /// The clusters of a word the file does not hold.
    pub const UNKNOWN: Clusters = Clusters([u16::MAX; 3]);
}

fn table() -> &'static HashedMap<Clusters> {
    static TABLE: OnceLock<HashedMap<Clusters>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashedMap::default();
        for line in CLUSTERS_TSV.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or_default();
            let mut ids = [u16::MAX; 3];
            for id in &mut ids {
                *id = cols.next().and_then(|c| c.parse().ok()).unwrap_or(u16::MAX);
            }
            map.insert(word_hash(word.as_bytes()), Clusters(ids));
        }
        map
    })
}

/// The clusters of a word, by the hash of its lower-cased form.
pub fn clusters_of(lower_hash: u64) -> Clusters {
    table()
        .get(&lower_hash)
        .copied()
        .unwrap_or(Clusters::UNKNOWN)
}

/// A hash of the file, so that a model trained with other clusters is refused.
pub fn fingerprint() -> u64 {
    word_hash(CLUSTERS_TSV.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_share_clusters_more_than_unrelated_words() {
        let c = |w: &str| clusters_of(word_hash(w.as_bytes())).0;
        assert_ne!(c("de"), Clusters::UNKNOWN.0);
        assert_eq!(c("geen-woord-xyzzy"), Clusters::UNKNOWN.0);
        // Two large Dutch cities fall together, apart from `de`.
        assert_eq!(c("amsterdam")[1], c("rotterdam")[1]);
        assert_ne!(c("amsterdam")[1], c("de")[1]);
    }
}
