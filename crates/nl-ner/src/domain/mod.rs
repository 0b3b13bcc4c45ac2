//! The domain layer: rules and lists that know Dutch government text, shared by every model.
//!
//! It runs after the tagger, on a segmented document whose `entities` hold the model's
//! entities, and adds what the model cannot know or gets wrong:
//!
//! - [`patterns`]: MONEY, DATE, PERCENT and REF (`EUR 90 mld.`, `11 februari jl.`, `3,5%`,
//!   `Kamerstuk 36 045, nr. 267`), source `Pattern`;
//! - [`gazetteer`]: known organisations, international bodies, places and policy instruments,
//!   from the lists in `models/gazetteers/` (compiled in) and any `--gazetteer FILE`, source
//!   `Gazetteer`;
//! - [`acronym`]: acronym definitions (`Raad van Buitenlandse Zaken (RBZ)`) and every mention
//!   of a defined acronym (`RBZ-Defensie` → `RBZ`), source `Acronym`;
//! - `motion`: the submitters of a Tweede Kamer motion, from its heading (`MOTIE VAN HET LID
//!   OMTZIGT C.S.`) and its signature block, source `Pattern`;
//! - [`names`]: named laws and regulations (`Wet goed verhuurderschap`, `Omgevingswet`,
//!   `Richtlijn 2011/95/EU`), instruments named in capitals (`Ukraine Support Loan`,
//!   `Kolenfonds`) and acronym-named programmes (`NABO-programma`), source `Pattern`;
//! - [`rules`]: the registry of every rule above and of the repairs, by name, each with its
//!   positive and negative Dutch examples; an entity a rule made carries the rule's name
//!   ([`Entity::rule`](crate::doc::Entity::rule));
//! - [`merge`]: the policy ([`merge::policy`]) that makes one sorted, non-overlapping list of
//!   the model's entities and these candidates. In short: among the layer's own candidates the
//!   longest wins; against the model, the layer wins on MONEY/DATE/PERCENT/REF, on a label conflict over the same
//!   span, on crossing spans and when its span contains the model's; the model wins when it
//!   agrees on the span and label, and when its span contains the layer's and extends the name
//!   with a capitalised word (`Ukraine Support Loan` over `Ukraine`, not `NAVO-top` over `NAVO`).
//!
//! The layer does not know which model ran. Every span it makes runs from the start of one
//! segmenter token to the end of another, so byte and code-point offsets are always exact. It
//! reads the crate's word lexicon ([`crate::lexicon`], loaded once by [`DomainLayer::new`]) for
//! a few decisions: an acronym of the Dutch word list (`AI`, `ICT`) is a topic, not a programme
//! (`AI-strategie`); a capitalised-only adjective (`Amerikaanse`) is not part of an English name
//! after it; a `W…` word it does not hold may be a law's abbreviation (`Wft`); a common word alone
//! in a table cell names nothing. Its word lists are data, in `models/domain/` and
//! `models/lexicon/heads.tsv`, read by one leaf module, `vocab.rs`.
//!
//! ```
//! use nl_ner::DomainLayer;
//! use nl_ner::segment::Segmenter;
//! use nl_ner::{Document, Label};
//!
//! let layer = DomainLayer::new().unwrap();
//! let mut doc = Document::new("brief", "De Ukraine Defence Contact Group (UDCG) sprak op 12 februari jl. over de UDCG-steun.");
//! let seg = Segmenter::new().segment(&doc.text);
//! doc.tokens = seg.tokens;
//! doc.sentences = seg.sentences;
//! layer.apply(&mut doc);
//! let found: Vec<(&str, Label)> = doc.entities.iter().map(|e| (e.span.text(&doc.text), e.label)).collect();
//! assert_eq!(found, [
//!     ("Ukraine Defence Contact Group", Label::Org),
//!     ("UDCG", Label::Org),
//!     ("12 februari jl.", Label::Date),
//!     ("UDCG", Label::Org),
//! ]);
//! ```

pub mod acronym;
pub mod gazetteer;
pub mod merge;
mod motion;
pub mod names;
pub mod patterns;
mod repair;
pub mod rules;
mod tokens;
pub(crate) mod vocab;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

pub use acronym::{AcronymPair, find_pairs};
pub use gazetteer::{Gazetteer, GazetteerEntry, GazetteerMatch};

use crate::doc::{Document, Entity, Label};
use crate::error::Result;
use crate::lexicon::{LexEntry, Lexicon};
use crate::segment::Segmenter;
use tokens::{Ctx, with_ctx};

/// The rules and lists that know Dutch government text.
#[derive(Clone, Debug)]
pub struct DomainLayer {
    gazetteer: Gazetteer,
    segmenter: Segmenter,
    /// The crate's word lexicon, loaded once here so that a lexicon that fails to load is an
    /// error of [`DomainLayer::new`], not rules that silently decide otherwise.
    lexicon: Arc<Lexicon>,
}

impl DomainLayer {
    /// Built-in gazetteers (compiled into the binary from `models/gazetteers/` via
    /// `include_str!`), rules and the embedded word lexicon (`models/lexicon/nl-lexicon.tsv`).
    pub fn new() -> Result<Self> {
        Ok(DomainLayer {
            gazetteer: Gazetteer::builtin()?,
            segmenter: Segmenter::new(),
            lexicon: Lexicon::embedded()?,
        })
    }

    /// The built-in gazetteers and then each of `files` (later ones win), as `nl-ner extract
    /// --gazetteer FILE...` loads them, with the command line's error messages.
    pub fn with_gazetteers<P: AsRef<Path>>(files: &[P]) -> Result<Self> {
        let mut layer =
            Self::new().map_err(|e| crate::Error::context("loading the built-in gazetteers", e))?;
        for path in files {
            layer.add_gazetteer_file(path.as_ref())?;
        }
        Ok(layer)
    }

    /// Adds a user gazetteer file in the same format (for `--gazetteer FILE`, repeatable). Its
    /// forms win over built-in forms of the same tokens.
    pub fn add_gazetteer_file(&mut self, path: &Path) -> Result<()> {
        self.gazetteer.add_file(path)
    }

    /// The compiled gazetteers (for the linking step: canonical ids and aliases).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Adds pattern, gazetteer and acronym entities to a segmented, model-tagged document and
    /// resolves overlaps by the merge policy (`merge::policy`, docs/rules.md). Never panics; keeps every offset
    /// exact. A document without tokens is segmented first (and keeps those tokens); model
    /// entities whose spans do not fit the text are dropped.
    pub fn apply(&self, doc: &mut Document) {
        if doc.tokens.is_empty() && !doc.text.trim().is_empty() {
            let seg = self.segmenter.segment(&doc.text);
            doc.tokens = seg.tokens;
            doc.sentences = seg.sentences;
        }
        let model = std::mem::take(&mut doc.entities);
        doc.entities = with_ctx(doc, Some(&self.segmenter), |ctx| self.merged(ctx, model));
    }

    /// The acronym definitions of a segmented document, labelled with the gazetteers' help.
    pub fn pairs(&self, doc: &Document) -> Vec<AcronymPair> {
        with_ctx(doc, Some(&self.segmenter), |ctx| {
            acronym::pairs(ctx, &doc.entities, Some(&self.gazetteer))
                .iter()
                .map(|p| p.public(ctx))
                .collect()
        })
    }

    /// Every domain candidate of the document, before merging (overlaps included).
    fn candidates(&self, ctx: &Ctx, model: &[Entity]) -> Vec<Entity> {
        let mut out = patterns::find(ctx);
        out.extend(motion::find(ctx));
        let listed: Vec<Entity> = self
            .gazetteer
            .find(ctx)
            .into_iter()
            .map(|m| m.entity)
            .collect();
        let pairs = acronym::pairs(ctx, model, Some(&self.gazetteer));
        // A short form the document defines keeps the definition's label where a list gives the
        // same abbreviation another (`werkkostenregeling (WKR)`, not a register's `WKR` body).
        let defined: HashMap<&str, Label> = pairs
            .iter()
            .filter(|p| p.short_last == p.short)
            .filter_map(|p| Some((ctx.t(p.short), p.label?)))
            .collect();
        let listed: Vec<Entity> = listed
            .into_iter()
            .filter(|e| {
                defined
                    .get(&ctx.text[e.span.bytes()])
                    .is_none_or(|&l| l == e.label)
            })
            .collect();
        out.extend(acronym::propagate(ctx, &pairs));
        // An acronym names something on its own if a list or the document defines it, or if it
        // is an acronym of the Dutch word list (`AI`, `ICT`, `CO2`: topics, not programmes).
        let shorts: HashSet<&str> = pairs
            .iter()
            .filter(|p| p.short_last == p.short)
            .map(|p| ctx.t(p.short))
            .collect();
        let known = |w: &str| {
            self.gazetteer.knows(w)
                || shorts.contains(w)
                || self.lexicon.get(w).flags & (LexEntry::ACRONYM | LexEntry::COMMON) != 0
        };
        // A title the gazetteer knows ends where the gazetteer says (`Wet goed verhuurderschap`,
        // not `… verhuurderschap voor woningcorporaties`).
        let rules = names::find(ctx, &self.lexicon, &known)
            .into_iter()
            .filter(|r| {
                !listed
                    .iter()
                    .any(|g| g.span.byte_start == r.span.byte_start && g.span.overlaps(&r.span))
            });
        out.extend(rules);
        out.extend(listed);
        out
    }

    fn merged(&self, ctx: &Ctx, model: Vec<Entity>) -> Vec<Entity> {
        let model = repair::repair(ctx, &self.lexicon, model);
        let candidates = repair::split_at_cells(ctx, &self.lexicon, self.candidates(ctx, &model));
        let merged = merge::policy(ctx.text, model, candidates);
        let listed = repair::place_lists(ctx.text, &self.lexicon, merged);
        let voted = repair::one_label_per_name(ctx.text, listed);
        repair::heading_mentions(ctx, voted)
    }
}

#[cfg(test)]
mod tests;
