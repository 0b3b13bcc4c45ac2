//! Exact corrections of the model's entities, for cases the guideline decides by form alone.
//!
//! - A ministry named inside a role is no entity (`minister van Buitenlandse Zaken`,
//!   `staatssecretaris van Onderwijs, Cultuur en Wetenschap`, `Minister Dijkgraaf (Onderwijs,
//!   Cultuur en Wetenschap)`): a model ORG there is dropped. Only minister-like roles count: an
//!   organisation in other role titles stays (`secretaris-generaal van de NAVO` keeps `NAVO`).
//! - A double-barrelled surname is one person: two PER entities joined by a hyphen with no
//!   space (`Dik` `-` `Faber`) become `Dik-Faber`.
//! - A model ORG or MISC whose leftmost head word names an instrument is an INITIATIVE (`Nationaal
//!   Programma Onderwijs`, `Stabiliteit- en Groeipact`, `Instellingsbesluit Inspectie Leefomgeving
//!   en Transport`, `Fair Practice Code`), one whose leftmost head names a place is a LOC
//!   (`Metropoolregio Amsterdam`, `Schipholtunnel`), by the head-word table's `domain` column
//!   (`models/lexicon/heads.tsv`); a body's head further left keeps ORG (`Commissie Toekomst
//!   Arbeidsongeschiktheidsstelsel`).
//!   Funds are left alone (funds acting as bodies are ORG: `Waarborgfonds Sociale Woningbouw`),
//!   and so are `-verlening` words (`Vergunningverlening` is a unit, not a loan).
//! - No name crosses a cell break: a tab, or two spaces within a line, separates the cells of a
//!   table (`Malta\tValletta`, `Archiefwet\tSNR`, `Doorlopend Toezicht  Klantbelang centraal`),
//!   so an entity is cut into its cells ([`split_at_cells`]); each cell keeps the label, and the
//!   merge lets a gazetteer's label win where the cell is a known name.

use super::names::RULE_SCORE;
use super::tokens::{Ctx, is_cap, with_lower};
use super::vocab::{self, is_ministerial_role, is_staff_role};
use crate::doc::{Entity, Label, Source, Span};
use crate::lexicon::{LexEntry, Lexicon};

/// Applies the corrections to the model's entities (sorted by start, not overlapping).
pub(crate) fn repair(ctx: &Ctx, lex: &Lexicon, model: Vec<Entity>) -> Vec<Entity> {
    let kept: Vec<Entity> = split_at_cells(ctx, lex, model)
        .into_iter()
        .map(|mut e| {
            if matches!(e.label, Label::Org | Label::Misc)
                && let Some(label) = head_of_non_body(ctx, &e)
            {
                e.label = label;
                e.rule = Some("instrument-head");
            }
            e
        })
        .filter(|e| {
            e.label != Label::Org
                || !first_token(ctx, e).is_some_and(|i| {
                    in_ministerial_role(ctx, i)
                        || is_staff_role(ctx.t(i))
                        || is_ministerial_role(ctx.t(i))
                })
        })
        .collect();
    project_titles(ctx, join_double_surnames(ctx.text, kept))
}

/// The items of a list or table a name stands alone in (rules `place-list` and
/// `place-list-item`): an item (a line, after a bullet, or a table cell) with at least two
/// places among the nearest items around it (two before, two after; blank lines skipped), each
/// filling its item, is a place too: a column of municipality names (`Staphorst`, `Best`,
/// `Meppel`) is a list of places, not of people. A PER the model found filling the item becomes
/// LOC (`place-list`); an item nothing was found in that is one capitalised word the word
/// lexicon knows as a place becomes LOC (`place-list-item`: the municipalities the register
/// lists leave out because they are also words or surnames, `Best`, `Beek`, `Epe`). Runs after
/// the merge, on its result (sorted by start, not overlapping).
pub(crate) fn place_lists(text: &str, lex: &Lexicon, mut entities: Vec<Entity>) -> Vec<Entity> {
    if entities.iter().filter(|e| e.label == Label::Loc).count() < 2 {
        return entities;
    }
    // Every item (a line, or a cell where the line has tabs): its trimmed byte range.
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let bullet = |c: char| c.is_whitespace() || matches!(c, '•' | '-' | '–' | '*' | '·' | '▪');
    // Line feeds and tabs are ASCII, so their byte positions are character boundaries.
    for (k, c) in text
        .bytes()
        .enumerate()
        .chain(std::iter::once((text.len(), b'\n')))
    {
        if c == b'\n' || c == b'\t' {
            let raw = &text[start..k];
            let lead = raw.len() - raw.trim_start_matches(bullet).len();
            let body = raw[lead..].trim_end();
            if !body.is_empty() {
                items.push((start + lead, start + lead + body.len()));
            }
            start = k + 1;
        }
    }
    // The entity that fills each item, if any.
    let filling: Vec<Option<usize>> = items
        .iter()
        .map(|&(a, b)| {
            entities
                .binary_search_by_key(&a, |e| e.span.byte_start)
                .ok()
                .filter(|&x| entities[x].span.byte_end == b)
        })
        .collect();
    let among_places = |n: usize| {
        filling[n.saturating_sub(2)..n]
            .iter()
            .chain(filling.iter().skip(n + 1).take(2))
            .filter(|f| f.is_some_and(|y| entities[y].label == Label::Loc))
            .count()
            >= 2
    };
    let mut relabel = Vec::new();
    let mut added = Vec::new();
    for (n, f) in filling.iter().enumerate() {
        match *f {
            Some(x) if entities[x].label == Label::Per && among_places(n) => relabel.push(x),
            None => {
                let (a, b) = items[n];
                let word = &text[a..b];
                let one_word = is_cap(word)
                    && !word.chars().all(|c| c.is_uppercase())
                    && word
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
                if one_word
                    && lex.is_place(word)
                    && among_places(n)
                    && !entities
                        .iter()
                        .any(|e| e.span.byte_start < b && a < e.span.byte_end)
                {
                    let mut e = Entity::new(
                        crate::doc::Span::from_bytes(text, a..b),
                        Label::Loc,
                        RULE_SCORE,
                        Source::Pattern,
                    );
                    e.rule = Some("place-list-item");
                    added.push(e);
                }
            }
            _ => {}
        }
    }
    for x in relabel {
        entities[x].label = Label::Loc;
        entities[x].rule = Some("place-list");
    }
    if !added.is_empty() {
        entities.extend(added);
        entities.sort_by_key(|e| e.span.byte_start);
    }
    entities
}

/// One name, one label in a document (rule `one-label-per-name`): where the model gave one
/// name (the same text, white space runs counted as one space) different labels in one
/// document, its mentions take the label most of them have, counting a gazetteer's, an acronym
/// definition's or a rule's mention twice (they know the name, the model guesses from the
/// context). Only the model's mentions are relabelled, and only on a strict majority: a
/// tie leaves the document as it is. Runs last, on the merged entities.
pub(crate) fn one_label_per_name(text: &str, mut entities: Vec<Entity>) -> Vec<Entity> {
    use std::collections::HashMap;
    let key = |e: &Entity| {
        e.span
            .text(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut votes: HashMap<String, Vec<(Label, u32)>> = HashMap::new();
    for e in entities.iter().filter(|e| e.label.is_name()) {
        let weight = if e.source == Source::Model && e.rule.is_none() {
            1
        } else {
            2
        };
        let tally = votes.entry(key(e)).or_default();
        match tally.iter_mut().find(|(l, _)| *l == e.label) {
            Some((_, n)) => *n += weight,
            None => tally.push((e.label, weight)),
        }
    }
    let winners: HashMap<String, Label> = votes
        .into_iter()
        .filter(|(_, tally)| tally.len() > 1)
        .filter_map(|(k, mut tally)| {
            tally.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
            (tally[0].1 > tally[1].1).then_some((k, tally[0].0))
        })
        .collect();
    if winners.is_empty() {
        return entities;
    }
    for e in entities
        .iter_mut()
        .filter(|e| e.label.is_name() && e.source == Source::Model && e.rule.is_none())
    {
        if let Some(&label) = winners.get(&key(e))
            && label != e.label
        {
            e.label = label;
            e.rule = Some("one-label-per-name");
        }
    }
    entities
}

/// Most tokens of a heading's applicant (`Stichting Interconfessioneel Beroepsonderwijs en
/// Volwasseneneducatie regio Utrecht` has 7).
const MAX_APPLICANT_TOKENS: usize = 10;

/// A heading line of a funded-project list, `Organisation ‘Title’`: the quoted rest of a line
/// that starts with a name is the project's title, an INITIATIVE without the quotes (`Fontys
/// Hogeschool ‘LLO, de kracht van partnerschappen’`), also where the closing quote is missing;
/// the names the model found inside it go (rule `project-title`). The name before the quote is
/// the applicant, an organisation (rule `project-applicant`): the whole stretch from the line's
/// start when the model found only part of it (`Technische Universiteit Eindhoven`, `SVO
/// vakopleiding food`), then with a closing quote ending the line, and ORG where the model said
/// PER (`Firda ‘Ontwikkeling microcredential datascience in waterbeheer’`).
fn project_titles(ctx: &Ctx, mut entities: Vec<Entity>) -> Vec<Entity> {
    let is_name_word = |k: usize| heading_name_part(ctx, k);
    let paragraphs = ctx.paragraph_starts();
    entities = coded_headings(ctx, &paragraphs, entities);
    let (unfound, crossing) = unfound_applicants(ctx, &paragraphs, &entities);
    if !unfound.is_empty() || !crossing.is_empty() {
        entities.retain(|e| !crossing.contains(&e.span));
        entities.extend(unfound);
        entities.sort_by_key(|e| e.span.byte_start);
    }
    let mut made: Vec<Entity> = Vec::new();
    for e in &entities {
        let Some(first) = first_token(ctx, e) else {
            continue;
        };
        if !matches!(e.label, Label::Org | Label::Per | Label::Loc) {
            continue;
        }
        let mut line_start = first;
        while line_start > 0 && !ctx.line_break_after(line_start - 1) {
            line_start -= 1;
        }
        // A name starts after its article (`De Hanze` gives `Hanze`), as the guideline writes it.
        while line_start < first && vocab::is_article(ctx.t(line_start)) {
            line_start += 1;
        }
        let last =
            first + ctx.tokens[first..].partition_point(|t| t.span.byte_end < e.span.byte_end);
        // An entity that ends inside a token, or past the last one (odd input), is no name here.
        if ctx
            .tokens
            .get(last)
            .is_none_or(|t| t.span.byte_end != e.span.byte_end)
        {
            continue;
        }
        // The opening quote: right after the name, or after words that go on with it.
        let mut open = last + 1;
        while open < ctx.len()
            && !is_open(ctx.t(open))
            && is_name_word(open)
            && !ctx.line_break_after(open - 1)
        {
            open += 1;
        }
        let whole = line_start == first && open == last + 1;
        if open - line_start > MAX_APPLICANT_TOKENS
            || !is_cap(ctx.t(line_start))
            || !(line_start..open).all(is_name_word)
        {
            continue;
        }
        if open >= ctx.len()
            || !is_open(ctx.t(open))
            || ctx.glued(open - 1)
            || ctx.line_break_after(open - 1)
        {
            continue;
        }
        let Some(mut end) = title_line_end(ctx, open) else {
            continue;
        };
        let q = open + 1;
        // A name the model cut is only widened on a line that is nothing but the heading.
        if !whole && !is_close(ctx.t(end)) {
            continue;
        }
        if is_close(ctx.t(end)) {
            end -= 1;
        }
        if end < q || is_close(ctx.t(end)) || made.iter().any(|m| m.span == ctx.span(q, end)) {
            continue;
        }
        made.push(Entity {
            span: ctx.span(q, end),
            label: Label::Initiative,
            score: e.score,
            source: crate::doc::Source::Pattern,
            entity_id: None,
            rule: Some("project-title"),
        });
        if !whole || e.label == Label::Per {
            made.push(Entity {
                span: ctx.span(line_start, open - 1),
                label: Label::Org,
                score: e.score,
                source: crate::doc::Source::Model,
                entity_id: None,
                rule: Some("project-applicant"),
            });
        }
    }
    if made.is_empty() {
        return entities;
    }
    let mut out: Vec<Entity> = entities
        .into_iter()
        .filter(|e| !made.iter().any(|t| t.span.overlaps(&e.span)))
        .collect();
    out.extend(made);
    out.sort_by_key(|e| e.span.byte_start);
    out
}

/// The other mentions of a name a project heading gave (rule `project-mention`): the text
/// says what the heading's title or applicant is once, in the heading, and names it again in
/// the paragraphs below (`Onderwijsgroep Tilburg ‘Brabant Leert Learning Factory’` … `De Brabant
/// Leert Learning Factory is een …`). Each later occurrence of the same words (two or more
/// tokens, same case) that no entity touches gets the heading's label. Runs on the merged
/// entities (sorted by start, not overlapping).
pub(crate) fn heading_mentions(ctx: &Ctx, entities: Vec<Entity>) -> Vec<Entity> {
    let names: Vec<(Vec<&str>, Label, f32)> = entities
        .iter()
        .filter(|e| {
            matches!(
                e.rule,
                Some("project-title" | "project-heading" | "project-code-heading")
            )
        })
        .filter_map(|e| {
            let first = first_token(ctx, e)?;
            let n = ctx.tokens[first..].partition_point(|t| t.span.byte_end <= e.span.byte_end);
            let words: Vec<&str> = (first..first + n).map(|k| ctx.t(k)).collect();
            // A title that ends in punctuation is a slogan (`Kom verder bij de HvA!`), said
            // again as a sentence, not as a name.
            let ends_in_word = words
                .last()
                .is_some_and(|w| w.chars().any(char::is_alphanumeric));
            (words.len() >= 2 && ends_in_word).then_some((words, e.label, e.score))
        })
        .collect();
    if names.is_empty() {
        return entities;
    }
    let mut out = entities;
    let mut made = Vec::new();
    for (words, label, score) in &names {
        let n = words.len();
        let mut k = 0;
        while k + n <= ctx.len() {
            if !(0..n).all(|j| ctx.t(k + j) == words[j]) {
                k += 1;
                continue;
            }
            // A longer name that starts with these words is another name (`‘Overbrugging van de
            // digitale kloof voor een duurzame energie toekomst’`).
            let goes_on = k + n < ctx.len()
                && !ctx.line_break_after(k + n - 1)
                && (vocab::is_function_word(ctx.t(k + n))
                    || (k > 0 && is_open(ctx.t(k - 1)) && !is_close(ctx.t(k + n))));
            if goes_on {
                k += 1;
                continue;
            }
            let span = ctx.span(k, k + n - 1);
            // Names inside the words give way (`Tilburg` in `Onderwijsgroep Tilburg`); one
            // that crosses their edge, or is the same span, keeps its place.
            let inside = |e: &Entity| {
                e.span.byte_start >= span.byte_start && e.span.byte_end <= span.byte_end
            };
            let blocked = out
                .iter()
                .chain(&made)
                .any(|e: &Entity| e.span.overlaps(&span) && (!inside(e) || e.span == span));
            if !blocked {
                out.retain(|e| !(e.span.overlaps(&span) && inside(e)));
                made.push(Entity {
                    span,
                    label: *label,
                    score: *score,
                    source: Source::Pattern,
                    entity_id: None,
                    rule: Some("project-mention"),
                });
            }
            k += n;
        }
    }
    if made.is_empty() {
        return out;
    }
    out.extend(made);
    out.sort_by_key(|e| e.span.byte_start);
    out
}

/// Whether `w` is a funded project's file number: two or more capitals, then three or more
/// digits (`RIF24007`).
fn is_project_code(w: &str) -> bool {
    let letters = w.chars().take_while(char::is_ascii_uppercase).count();
    let digits = w.len() - letters;
    letters >= 2 && digits >= 3 && w[letters..].chars().all(|c| c.is_ascii_digit())
}

/// Headings of a funded-project list that open with the project's file number (rule
/// `project-code-heading`): a paragraph `CODE – Title` or `CODE – Applicant – Title`
/// (`RIF24002 – OASIS`, `RIF24008 – Stichting Landstede – SMART`) gives the title as an
/// INITIATIVE and the applicant as an ORG (without a leading article), in place of whatever the
/// model found across the line (`[Stichting Landstede – SMART]`). Each part must start with a
/// capital, the line may not end in punctuation, and the parts are at most
/// `MAX_APPLICANT_TOKENS` tokens.
fn coded_headings(ctx: &Ctx, paragraphs: &[usize], entities: Vec<Entity>) -> Vec<Entity> {
    let is_dash = |w: &str| matches!(w, "–" | "-" | "—");
    let mut made: Vec<Entity> = Vec::new();
    let mut lines: Vec<Span> = Vec::new();
    for &start in paragraphs {
        if !is_project_code(ctx.t(start)) {
            continue;
        }
        let end = ctx.line_last(start);
        if !ctx.ends_paragraph(end) || end < start + 2 || !is_dash(ctx.t(start + 1)) {
            continue;
        }
        // The parts between spaced dashes.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut from = start + 2;
        for k in start + 2..=end {
            if is_dash(ctx.t(k)) && !ctx.glued(k - 1) && !ctx.glued(k) {
                parts.push((from, k.saturating_sub(1)));
                from = k + 1;
            }
        }
        parts.push((from, end));
        let good =
            |&(a, b): &(usize, usize)| a <= b && b - a < MAX_APPLICANT_TOKENS && is_cap(ctx.t(a));
        let last_is_word = ctx.t(end).chars().any(char::is_alphanumeric);
        if parts.len() > 2 || !parts.iter().all(good) || !last_is_word {
            continue;
        }
        let labels: &[(Label, &str)] = if parts.len() == 2 {
            &[
                (Label::Org, "project-code-heading"),
                (Label::Initiative, "project-code-heading"),
            ]
        } else {
            &[(Label::Initiative, "project-code-heading")]
        };
        for (&(mut a, b), &(label, rule)) in parts.iter().zip(labels) {
            // An applicant without its article (rule 7); a title keeps it, as the guideline's
            // funded-project lists do (`De Kindprofessional mbo`).
            if label == Label::Org && a < b && vocab::is_article(ctx.t(a)) {
                a += 1;
            }
            made.push(Entity {
                span: ctx.span(a, b),
                label,
                score: RULE_SCORE,
                source: Source::Pattern,
                entity_id: None,
                rule: Some(rule),
            });
        }
        lines.push(ctx.span(start, end));
    }
    if made.is_empty() {
        return entities;
    }
    let mut out: Vec<Entity> = entities
        .into_iter()
        .filter(|e| !lines.iter().any(|l| l.overlaps(&e.span)))
        .collect();
    out.extend(made);
    out.sort_by_key(|e| e.span.byte_start);
    out
}

/// The last token of the line whose quoted title opens at token `open`, when the title starts
/// right after the quote, on the same line, with a capital or a digit (`‘Versnelling …`,
/// `‘4e poot …`).
fn title_line_end(ctx: &Ctx, open: usize) -> Option<usize> {
    let q = open + 1;
    if q >= ctx.len()
        || ctx.line_break_after(open)
        || !ctx
            .t(q)
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    Some(ctx.line_last(q))
}

/// Whether token `k` can be part of a heading's name: a word, `&`, or a hyphen that touches
/// both its neighbours and so joins the parts of a name (`Alfa-college`).
fn heading_name_part(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.t(k);
    w == "&"
        || w.chars().any(char::is_alphanumeric)
        || (w == "-" && k > 0 && ctx.glued(k - 1) && ctx.glued(k))
}

fn is_open(w: &str) -> bool {
    matches!(w, "‘" | "'" | "“" | "\"")
}

/// The tokens that close a quoted title.
const CLOSING_QUOTES: [&str; 4] = ["’", "'", "”", "\""];

fn is_close(w: &str) -> bool {
    CLOSING_QUOTES.contains(&w)
}

/// The applicants of funded-project headings that nothing found (rule `project-heading`, read
/// on by [`project_titles`], which makes the title): a paragraph that is nothing but `Name ‘Title’`, with the
/// closing quote ending it, is a heading of a project list whether or not the model knew the
/// name (`Onderwijsgroep Tilburg ‘Brabant Leert Learning Factory’`, `Alfa-college ‘Versnelling
/// DNA Next’`). The name must look like one: a capitalised first word that is no function word,
/// then capitalised words, glue words (`van`, `voor`, `&`) or organisation heads (`college`,
/// `hogeschool`); so a sentence that ends in a quote (`Dit noemen we ‘Samen Sterk’`) is none.
/// A leading article is left out (`De Hanze` gives `Hanze`). An entity that runs across the
/// opening quote (`[Hogeschool Leiden ‘Organisatie LLO proof]’`, a model that did not know the
/// list) is no name: it is returned, second, to be dropped, and the heading read as if nothing
/// had found it.
fn unfound_applicants(
    ctx: &Ctx,
    paragraphs: &[usize],
    entities: &[Entity],
) -> (Vec<Entity>, Vec<Span>) {
    // Words must look like a name's too: capitalised, glue or an organisation's head.
    let name_word = |k: usize| {
        let w = ctx.t(k);
        heading_name_part(ctx, k)
            && (!w.chars().any(char::is_alphanumeric)
                || is_cap(w)
                || vocab::is_function_word(w)
                || vocab::head_label(&[w]) == Some(Label::Org))
    };
    let mut out = Vec::new();
    let mut crossing = Vec::new();
    for &start in paragraphs {
        // Cheap tests first, on the line's text: most paragraphs are sentences that end in a
        // full stop, not in a closing quote.
        let line = ctx.text[ctx.tokens[start].span.byte_start..]
            .split('\n')
            .next()
            .unwrap_or_default();
        let line = line.trim_end();
        if !is_cap(ctx.t(start)) || !CLOSING_QUOTES.iter().any(|q| line.ends_with(q)) {
            continue;
        }
        let mut first = start;
        while first + 1 < ctx.len() && vocab::is_article(ctx.t(first)) && !ctx.glued(first) {
            first += 1;
        }
        let w = ctx.t(first);
        if !is_cap(w) || vocab::is_function_word(w) {
            continue;
        }
        let Some(open) = (first..ctx.len().min(first + MAX_APPLICANT_TOKENS + 1))
            .take_while(|&k| k == first || !ctx.line_break_after(k - 1))
            .find(|&k| is_open(ctx.t(k)))
        else {
            continue;
        };
        if open == first || ctx.glued(open - 1) || !(first..open).all(name_word) {
            continue;
        }
        let Some(end) = title_line_end(ctx, open) else {
            continue;
        };
        if end == open + 1 || !is_close(ctx.t(end)) || !ctx.ends_paragraph(end) {
            continue;
        }
        let quote = ctx.span(open, open);
        let name = ctx.span(start, open - 1);
        let crosses =
            |e: &Entity| e.span.byte_start < quote.byte_start && e.span.byte_end > quote.byte_start;
        crossing.extend(entities.iter().filter(|e| crosses(e)).map(|e| e.span));
        if entities
            .iter()
            .any(|e| e.span.overlaps(&name) && !crosses(e))
        {
            continue;
        }
        out.push(Entity {
            span: ctx.span(first, open - 1),
            label: Label::Org,
            score: RULE_SCORE,
            source: Source::Pattern,
            entity_id: None,
            rule: Some("project-heading"),
        });
    }
    (out, crossing)
}

/// Cuts every entity whose span holds a cell break (a tab, or two spaces within a line) between
/// two of its tokens into the pieces between the breaks (table cells), in order. Two spaces
/// break only where the entity also has words one space apart (columns of names, not words
/// spaced out letter by letter: `GOD  ZIJ  MET  ONS`). Entities without a break, or whose ends
/// are not token boundaries, are kept as they are.
pub(crate) fn split_at_cells(ctx: &Ctx, lex: &Lexicon, entities: Vec<Entity>) -> Vec<Entity> {
    if !ctx.has_cells() {
        return entities;
    }
    let mut out = Vec::with_capacity(entities.len());
    for e in entities {
        let within = &ctx.text[e.span.bytes()];
        let tabs = within.contains('\t');
        let columns = within.contains("  ") && single_spaced(within);
        let Some(first) = first_token(ctx, &e).filter(|_| tabs || columns) else {
            out.push(e);
            continue;
        };
        let tab = |k: usize| ctx.gap_after(k).contains('\t');
        let spaced = |k: usize| columns && !tab(k) && ctx.cell_break_after(k);
        let mut pieces = Vec::new();
        let mut start = first;
        let mut i = first;
        while i < ctx.len() && ctx.tokens[i].span.byte_end <= e.span.byte_end {
            let last_of_entity = ctx.tokens[i].span.byte_end == e.span.byte_end;
            if last_of_entity || tab(i) || spaced(i) {
                // A generic cell is dropped only where tabs bound it: between spaced columns
                // a unit's name may be common words (`Doorlopend Toezicht  Klantbelang centraal`).
                let generic = (start == first || !spaced(start - 1))
                    && !spaced(i)
                    && (start..=i).all(|k| generic_word(lex, ctx.t(k)));
                if !generic {
                    pieces.push(Entity {
                        span: ctx.span(start, i),
                        ..e.clone()
                    });
                }
                start = i + 1;
            }
            if last_of_entity {
                break;
            }
            i += 1;
        }
        if start > i {
            out.extend(pieces);
        } else {
            out.push(e);
        }
    }
    out
}

/// Whether a text has two words one space apart.
fn single_spaced(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[1] == b' ' && !w[0].is_ascii_whitespace() && !w[2].is_ascii_whitespace())
}

/// The label of an entity's leftmost head word where it is an instrument's (programme, law,
/// pact, code, decree ...) or a place's (`Metropoolregio`, `Coentunnel`), not a body's. The
/// model calls such names ORG or MISC (`Fair Practice Code`, `Schipholtunnel`).
fn head_of_non_body(ctx: &Ctx, e: &Entity) -> Option<Label> {
    let first = first_token(ctx, e)?;
    for i in first..ctx.len() {
        if ctx.tokens[i].span.byte_end > e.span.byte_end {
            break;
        }
        let w = ctx.t(i);
        if with_lower(w, |l| {
            l.contains("fonds") || l.starts_with("fund") || l.contains("verlening")
        }) {
            return None;
        }
        match vocab::head_label(&[w]) {
            Some(Label::Initiative) => return Some(Label::Initiative),
            // A place's head first is the place (`Metropoolregio Amsterdam`, `Coentunnel`); after
            // an acronym or other words an organisation may be named after it (`ROM Utrecht
            // Region`), which the model's MISC is not (`Tweede Coentunnel`).
            Some(Label::Loc) if i == first || e.label == Label::Misc => return Some(Label::Loc),
            Some(_) => return None,
            None => {}
        }
    }
    None
}

/// A word that names nothing on its own in a table cell: a common word of the Dutch word list
/// that is no name or acronym there and no head word (`Ambassade`, `Honorair` `Consulaat`, but
/// not `Archiefwet`), or punctuation.
fn generic_word(lex: &Lexicon, w: &str) -> bool {
    if !w.chars().any(char::is_alphanumeric) {
        return true;
    }
    if vocab::head_label(&[w]).is_some() {
        return false;
    }
    let flags = lex.get(w).flags;
    flags & LexEntry::COMMON != 0 && flags & (LexEntry::PROPER | LexEntry::ACRONYM) == 0
}

/// The index of the token an entity starts with, if a token starts there.
fn first_token(ctx: &Ctx, e: &Entity) -> Option<usize> {
    let at = ctx
        .tokens
        .partition_point(|t| t.span.byte_start < e.span.byte_start);
    (at < ctx.len() && ctx.tokens[at].span.byte_start == e.span.byte_start).then_some(at)
}

/// Whether token `i` starts a portfolio inside a ministerial role: `minister van [i]`, also
/// further down a list (`minister van Onderwijs, [Cultuur] en Wetenschap`), or in parentheses
/// after a minister's name (`Minister Dijkgraaf ([Onderwijs] ...)`).
pub(super) fn in_ministerial_role(ctx: &Ctx, i: usize) -> bool {
    let Some(k) = ctx.name_list_start(i) else {
        return false;
    };
    match ctx.t(k - 1) {
        // A list of portfolios, each with its `van`: `de ministers van Economische Zaken, van
        // Binnenlandse Zaken en Koninkrijksrelaties, van ...`.
        "van" | "voor" if k >= 3 && matches!(ctx.t(k - 2), "," | "en") => {
            k - 2 < i && in_ministerial_role(ctx, k - 2)
        }
        "van" | "voor" => k >= 2 && is_ministerial_role(ctx.t(k - 2)),
        "(" => {
            // `Minister Dijkgraaf (`, `Staatssecretaris Gräper-van Koolwijk (`: a name of
            // capitalised words and particles right after the role.
            let mut j = k - 1;
            let (mut name, mut steps) = (0, 0);
            while j >= 1 && steps < 6 && !is_ministerial_role(ctx.t(j - 1)) {
                let w = ctx.t(j - 1);
                if is_cap(w) {
                    name += 1;
                } else if !vocab::is_role_name_particle(w) {
                    break;
                }
                j -= 1;
                steps += 1;
            }
            name > 0 && j >= 1 && is_ministerial_role(ctx.t(j - 1))
        }
        _ => false,
    }
}

/// Joins `PER` `-` `PER` written without spaces into one person.
fn join_double_surnames(text: &str, entities: Vec<Entity>) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for e in entities {
        if let Some(prev) = out.last_mut()
            && prev.label == Label::Per
            && e.label == Label::Per
            && matches!(
                text.get(prev.span.byte_end..e.span.byte_start),
                Some("-" | "\u{2010}" | "\u{2011}")
            )
        {
            prev.span = prev.span.cover(&e.span);
            prev.score = prev.score.min(e.score);
            prev.rule = Some("double-surname");
            continue;
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Source, Span};
    use crate::segment::Segmenter;

    fn entity(text: &str, surface: &str, label: Label) -> Entity {
        let b = text.find(surface).unwrap();
        Entity {
            span: Span::from_bytes(text, b..b + surface.len()),
            label,
            score: 0.9,
            source: Source::Model,
            entity_id: None,
            rule: None,
        }
    }

    fn repaired(text: &str, model: Vec<Entity>) -> Vec<String> {
        let seg = Segmenter::new().segment(text);
        let ctx = Ctx::new(text, &seg.tokens, &seg.sentences);
        repair(&ctx, &Lexicon::embedded().unwrap(), model)
            .iter()
            .map(|e| format!("{}:{}", e.label.as_str(), e.span.text(text)))
            .collect()
    }

    #[test]
    fn portfolios_in_ministerial_roles_are_dropped() {
        let t = "De minister van Buitenlandse Zaken sprak met de NAVO.";
        let got = repaired(
            t,
            vec![
                entity(t, "Buitenlandse Zaken", Label::Org),
                entity(t, "NAVO", Label::Org),
            ],
        );
        assert_eq!(got, ["ORG:NAVO"]);
        let t = "De staatssecretaris van Onderwijs, Cultuur en Wetenschap schrijft.";
        assert!(repaired(t, vec![entity(t, "Cultuur en Wetenschap", Label::Org)]).is_empty());
        let t = "Antwoord van Minister Dijkgraaf (Onderwijs, Cultuur en Wetenschap).";
        let got = repaired(
            t,
            vec![
                entity(t, "Dijkgraaf", Label::Per),
                entity(t, "Onderwijs, Cultuur en Wetenschap", Label::Org),
            ],
        );
        assert_eq!(got, ["PER:Dijkgraaf"]);
        let t = "Staatssecretaris Gräper-van Koolwijk (Onderwijs, Cultuur en Wetenschap).";
        assert!(
            repaired(
                t,
                vec![entity(t, "Onderwijs, Cultuur en Wetenschap", Label::Org)]
            )
            .is_empty()
        );
    }

    #[test]
    fn portfolio_lists_and_role_headed_organisations_are_dropped() {
        check_cases(&[
            (
                "gelet op het besluit van de ministers van Economische Zaken, van Binnenlandse Zaken \
                 en Koninkrijksrelaties, van Infrastructuur en Milieu en van Defensie;",
                &[
                    ("Binnenlandse Zaken en Koninkrijksrelaties", Label::Org),
                    ("Infrastructuur en Milieu", Label::Org),
                ],
                &[],
            ),
            (
                "Vragen van het lid Patijn aan de Ministers van Sociale Zaken en Werkgelegenheid.",
                &[("Ministers van Sociale Zaken en Werkgelegenheid", Label::Org)],
                &[],
            ),
        ]);
    }

    #[test]
    fn organisations_outside_ministerial_roles_stay() {
        let t = "De secretaris-generaal van de NAVO en het ministerie van Defensie.";
        let got = repaired(
            t,
            vec![
                entity(t, "NAVO", Label::Org),
                entity(t, "ministerie van Defensie", Label::Org),
            ],
        );
        assert_eq!(got, ["ORG:NAVO", "ORG:ministerie van Defensie"]);
        let t = "Mevrouw Bikker (ChristenUnie) vraagt het woord.";
        assert_eq!(
            repaired(t, vec![entity(t, "ChristenUnie", Label::Org)]),
            ["ORG:ChristenUnie"]
        );
    }

    /// A text, its model entities `(surface, label)` and the repaired `LABEL:surface` list.
    type Case<'a> = (&'a str, &'a [(&'a str, Label)], &'a [&'a str]);

    /// Repairs each case's model entities and checks what comes out.
    fn check_cases(cases: &[Case]) {
        for &(t, model, expected) in cases {
            let model = model.iter().map(|&(s, l)| entity(t, s, l)).collect();
            assert_eq!(repaired(t, model), expected, "{t}");
        }
    }

    #[test]
    fn quoted_titles_after_an_organisation_are_projects() {
        check_cases(&[
            (
                "toegekend.\n\nFontys Hogeschool ‘LLO, de kracht van partnerschappen’\n\nAchtergrond",
                &[("Fontys Hogeschool", Label::Org), ("LLO", Label::Org)],
                &[
                    "ORG:Fontys Hogeschool",
                    "INITIATIVE:LLO, de kracht van partnerschappen",
                ],
            ),
            // No closing quote: the title runs to the end of the line.
            (
                "Stichting Hogeschool van Amsterdam ‘Kom verder bij de HvA!\n\nAchtergrond",
                &[
                    ("Stichting Hogeschool van Amsterdam", Label::Org),
                    ("HvA", Label::Org),
                ],
                &[
                    "ORG:Stichting Hogeschool van Amsterdam",
                    "INITIATIVE:Kom verder bij de HvA!",
                ],
            ),
            // A model that did not know the list ran the applicant into the title.
            (
                "Achtergrond\n\nHogeschool Leiden ‘Organisatie LLO proof’\n\nDoelstelling",
                &[("Hogeschool Leiden ‘Organisatie LLO proof", Label::Org)],
                &["ORG:Hogeschool Leiden", "INITIATIVE:Organisatie LLO proof"],
            ),
            // A quote inside running text is no heading.
            (
                "Vanuit het bedrijfsprincipe ‘structure follows strategy’ vinden we, met de HvA ‘Samen’.",
                &[("HvA", Label::Org)],
                &["ORG:HvA"],
            ),
        ]);
    }

    #[test]
    fn units_glued_to_staff_roles_are_dropped() {
        check_cases(&[
            (
                "1. de Afdelingsmanager Registratie Voertuigen;\n2. de Manager Beoordeling en \
                 Toezicht van de Dienst Wegverkeer;",
                &[
                    ("Afdelingsmanager Registratie Voertuigen", Label::Org),
                    ("Manager Beoordeling en Toezicht", Label::Org),
                    ("Dienst Wegverkeer", Label::Org),
                ],
                &["ORG:Dienst Wegverkeer"],
            ),
            (
                "Onder de Directeur-Generaal Curatieve Zorg ressorteert het Directoraat-Generaal.",
                &[("Directeur-Generaal Curatieve Zorg", Label::Org)],
                &[],
            ),
        ]);
    }

    #[test]
    fn double_barrelled_surnames_are_one_person() {
        let t = "Het lid Dik-Faber en Jan - Piet.";
        let got = repaired(
            t,
            vec![
                entity(t, "Dik", Label::Per),
                entity(t, "Faber", Label::Per),
                entity(t, "Jan", Label::Per),
                entity(t, "Piet", Label::Per),
            ],
        );
        assert_eq!(got, ["PER:Dik-Faber", "PER:Jan", "PER:Piet"]);
    }

    #[test]
    fn no_name_crosses_a_cell_break() {
        // A list of posts abroad: country, city and post type in cells.
        let t = "Malta\tValletta\tAmbassade\t\tPolen\tWarschau\n";
        let got = repaired(
            t,
            vec![
                entity(t, "Malta\tValletta", Label::Loc),
                entity(t, "Ambassade\t\tPolen", Label::Loc),
            ],
        );
        assert_eq!(got, ["LOC:Malta", "LOC:Valletta", "LOC:Polen"]);
        let t = "47. Besluiten inzake de Archiefwet\tSNR\n";
        let got = repaired(t, vec![entity(t, "Archiefwet\tSNR", Label::Initiative)]);
        assert_eq!(got, ["INITIATIVE:Archiefwet", "INITIATIVE:SNR"]);
        // Columns laid out with spaces: units of a supervisor's table, common words included.
        let t = "Kredieten\tDoorlopend Toezicht  Klantbelang centraal  Toezicht Service Centrum\n";
        let got = repaired(
            t,
            vec![entity(
                t,
                "Doorlopend Toezicht  Klantbelang centraal  Toezicht Service Centrum",
                Label::Org,
            )],
        );
        assert_eq!(
            got,
            [
                "ORG:Doorlopend Toezicht",
                "ORG:Klantbelang centraal",
                "ORG:Toezicht Service Centrum"
            ]
        );
        // Words spaced out one by one are no columns.
        let t = "draagt het randschrift «GOD  ZIJ  MET  ONS».";
        let got = repaired(t, vec![entity(t, "GOD  ZIJ  MET  ONS", Label::Misc)]);
        assert_eq!(got, ["MISC:GOD  ZIJ  MET  ONS"]);
    }

    #[test]
    fn organisations_named_as_instruments_are_initiatives() {
        let t = "zoals ingezet bij het Nationaal Programma Onderwijs en de Onafhankelijke Commissie \
                 Toekomst Arbeidsongeschiktheidsstelsel, met het Waarborgfonds Sociale Woningbouw.";
        let got = repaired(
            t,
            vec![
                entity(t, "Nationaal Programma Onderwijs", Label::Org),
                entity(
                    t,
                    "Onafhankelijke Commissie Toekomst Arbeidsongeschiktheidsstelsel",
                    Label::Org,
                ),
                entity(t, "Waarborgfonds Sociale Woningbouw", Label::Org),
            ],
        );
        assert_eq!(
            got,
            [
                "INITIATIVE:Nationaal Programma Onderwijs",
                "ORG:Onafhankelijke Commissie Toekomst Arbeidsongeschiktheidsstelsel",
                "ORG:Waarborgfonds Sociale Woningbouw",
            ]
        );
        // Codes of conduct; places by their head (regions and tunnels, also where the model says
        // MISC), but a safety region and an organisation named after a region are bodies.
        check_cases(&[
            (
                "De Fair Practice Code en de Tweede Coentunnel; ROM Utrecht Region en Stedin.",
                &[
                    ("Fair Practice Code", Label::Misc),
                    ("Tweede Coentunnel", Label::Misc),
                    ("ROM Utrecht Region", Label::Org),
                ],
                &[
                    "INITIATIVE:Fair Practice Code",
                    "LOC:Tweede Coentunnel",
                    "ORG:ROM Utrecht Region",
                ],
            ),
            (
                "Nee, voor de Coentunnel klopt dat niet; de Metropoolregio Amsterdam en de \
                 Veiligheidsregio Kennemerland overleggen.",
                &[
                    ("Coentunnel", Label::Org),
                    ("Metropoolregio Amsterdam", Label::Org),
                    ("Veiligheidsregio Kennemerland", Label::Org),
                ],
                &[
                    "LOC:Coentunnel",
                    "LOC:Metropoolregio Amsterdam",
                    "ORG:Veiligheidsregio Kennemerland",
                ],
            ),
        ]);
        let t = "We benaderen een modernisering van het Stabiliteit- en Groeipact constructief.";
        let got = repaired(t, vec![entity(t, "Stabiliteit- en Groeipact", Label::Org)]);
        assert_eq!(got, ["INITIATIVE:Stabiliteit- en Groeipact"]);
    }
}
