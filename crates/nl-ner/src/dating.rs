//! The date of a document: the day a letter was signed, a motion was proposed, a debate was held
//! or a decree was given, so that what a document states (a role, a party) can be placed in time
//! across documents (`nl-ner entities`, the report).
//!
//! A JSONL input line's `date` field is the document's date when it reads as a date
//! ([`INPUT_FIELD_RULE`]); otherwise the first of the [`RULES`] that matches in the head of the
//! text (its first [`HEAD_LINES`] non-empty lines) gives it. Each rule is a named record with a
//! corpus of real Dutch government phrasing, as the domain layer's rules are
//! (`crate::rules`): positive examples (a text and the date it must give) and negative examples
//! (text that must give none by this rule), run by one test. The rules read the shapes found in
//! `corpus/`: a letter's `Den Haag, 4 maart 2026` or `Datum 12 maart 2025` line, a motion's
//! `Voorgesteld 23 februari 2023` (or a first line that is only a date), a debate's
//! `70e vergadering Donderdag 5 april 2018`, an answer's `(ontvangen 25 maart 2024)` and a
//! decree's `Besluit van 9 maart 2018,`.
//!
//! ```
//! use nl_ner::Document;
//! use nl_ner::dating;
//!
//! let doc = Document::new("brief", "Aan de Voorzitter van de Tweede Kamer\nDen Haag, 4 maart 2026\n\nHierbij ...");
//! let found = dating::find(&doc).unwrap();
//! assert_eq!(found.date.to_string(), "2026-03-04");
//! assert_eq!(found.rule, "place-date-line");
//! assert_eq!(found.span.unwrap().text(&doc.text), "4 maart 2026");
//! ```

use std::fmt;
use std::str::FromStr;

use crate::doc::{Document, Span};
use crate::domain::vocab;

/// How many non-empty lines at the start of a text the rules read: the header of a letter, a
/// motion or a debate. A date further down is a date the text talks about, not its own.
pub const HEAD_LINES: usize = 40;

/// The rule name of a date taken from the JSONL input's `date` field.
pub const INPUT_FIELD_RULE: &str = "input-date";

/// A day of the Gregorian calendar, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The year (1000–2999).
    pub year: u16,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, 1–31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// The date, if `day` exists in that month of that year.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1000..3000).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Reads a date as an input field may give it: ISO (`2025-03-12`, also with a time after
    /// it, `2025-03-12T10:00:00`), day-month-year with `-` or `/` (`12-03-2025`) or Dutch
    /// (`12 maart 2025`, `woensdag 12 maart 2025`).
    pub fn parse_loose(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Ok(d) = s.get(..10).unwrap_or(s).parse::<Date>()
            && s.len() >= 10
            && s[10..].chars().next().is_none_or(|c| c == 'T' || c == ' ')
        {
            return Some(d);
        }
        let numeric: Vec<&str> = s.split(['-', '/']).collect();
        if let [d, m, y] = numeric.as_slice()
            && y.len() == 4
            && (1..=2).contains(&d.len())
            && (1..=2).contains(&m.len())
        {
            return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        let words: Vec<(usize, &str)> = words(s).collect();
        let at = usize::from(words.first().is_some_and(|(_, w)| vocab::is_weekday(w)));
        let (date, end) = dutch_date(&words[at.min(words.len())..])?;
        (end == s.len()).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The error for a date that is not `YYYY-MM-DD` or not a day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date written YYYY-MM-DD")]
pub struct BadDate(pub String);

impl FromStr for Date {
    type Err = BadDate;

    /// Reads `YYYY-MM-DD`, as [`Date`]'s `Display` writes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let digits = |r: std::ops::Range<usize>| s[r].bytes().all(|c| c.is_ascii_digit());
        if !(digits(0..4) && digits(5..7) && digits(8..10)) {
            return Err(bad());
        }
        let (y, m, d) = (
            s[0..4].parse().map_err(|_| bad())?,
            s[5..7].parse().map_err(|_| bad())?,
            s[8..10].parse().map_err(|_| bad())?,
        );
        Date::new(y, m, d).ok_or_else(bad)
    }
}

/// A document's date and where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentDate {
    /// The day.
    pub date: Date,
    /// The rule that found it: a [`DateRule::name`], or [`INPUT_FIELD_RULE`].
    pub rule: &'static str,
    /// The date as written in the text (`4 maart 2026`); `None` when it came from the input's
    /// `date` field.
    pub span: Option<Span>,
}

/// Where a rule looks for the date in a line of the head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// The line starts with one of these words (as written), and the first date on the line is
    /// the document's (`Datum`, `Voorgesteld`).
    LineStart(&'static [&'static str]),
    /// The line holds one of these words (as written), and the date follows right after it
    /// (`(ontvangen 25 maart 2024)`).
    Before(&'static [&'static str]),
    /// The line is a place and a date: one to three words, a comma, the date and nothing else
    /// (`Den Haag, 4 maart 2026`).
    Place,
    /// The line is a date and nothing else, perhaps after a weekday (`15 februari 2024`).
    Alone,
    /// The line starts with an ordinal meeting number and `vergadering`, then (perhaps after
    /// a weekday) the date (`70e vergadering Donderdag 5 april 2018`).
    Meeting,
}

/// A named rule for a document's date, with its corpus.
#[derive(Clone, Copy, Debug)]
pub struct DateRule {
    /// The rule's name, written in the output's `document_date.rule`.
    pub name: &'static str,
    /// Where it looks.
    pub lead: Lead,
    /// How many non-empty lines at the start of the text it reads (at most [`HEAD_LINES`]).
    pub within: usize,
    /// What it finds, in one line.
    pub about: &'static str,
    /// Texts and the date (`YYYY-MM-DD`) each must give by this rule.
    pub positive: &'static [(&'static str, &'static str)],
    /// Texts that must give no date by this rule.
    pub negative: &'static [&'static str],
}

/// Every rule, in the order they are tried: the first that matches gives the date.
pub static RULES: &[DateRule] = &[
    DateRule {
        name: "datum-line",
        lead: Lead::LineStart(&["Datum", "Datum:", "Date", "Date:"]),
        within: HEAD_LINES,
        about: "a letter's or decision's header line `Datum 12 maart 2025`",
        positive: &[
            (
                "Ministerie van Infrastructuur en Waterstaat\nDatum: 22 februari 2023\nBetreft: Besluit op uw Woo-verzoek",
                "2023-02-22",
            ),
            (
                "Aan de Voorzitter van de Tweede Kamer\nDatum 12 maart 2025\nBetreft Voortgang",
                "2025-03-12",
            ),
        ],
        negative: &[
            "Datum van inwerkingtreding: nader te bepalen",
            "De datum van 12 maart 2025 is genoemd in de brief.",
        ],
    },
    DateRule {
        name: "place-date-line",
        lead: Lead::Place,
        within: HEAD_LINES,
        about: "a letter's place and date line `Den Haag, 4 maart 2026`",
        positive: &[
            (
                "Brief van de minister van Defensie\nAan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 4 maart 2026\n\nHierbij ontvangt u",
                "2026-03-04",
            ),
            (
                "’s-Gravenhage, 3 juni 2024\n\nGeachte voorzitter,",
                "2024-06-03",
            ),
        ],
        negative: &[
            "Den Haag, 4 maart 2026 is de dag waarop de Raad vergaderde.",
            "In Den Haag, Utrecht en Amsterdam, 4 maart 2026",
            "’s-Gravenhage 2023",
        ],
    },
    DateRule {
        name: "motion-proposed",
        lead: Lead::LineStart(&["Voorgesteld"]),
        within: HEAD_LINES,
        about: "a motion's `Voorgesteld 23 februari 2023` or `Voorgesteld tijdens het Wetgevingsoverleg van 12 februari 2024`",
        positive: &[
            (
                "MOTIE VAN HET LID OMTZIGT C.S.\nVoorgesteld 23 februari 2023\nDe Kamer,",
                "2023-02-23",
            ),
            (
                "Nr. 12\nVoorgesteld tijdens het Wetgevingsoverleg van 12 februari 2024\nDe Kamer,",
                "2024-02-12",
            ),
        ],
        negative: &[
            "Voorgesteld tijdens het Wetgevingsoverleg\nDe Kamer,",
            "De Kamer heeft voorgesteld op 3 maart 2024 te stemmen.",
        ],
    },
    DateRule {
        name: "meeting-date",
        lead: Lead::Meeting,
        within: HEAD_LINES,
        about: "a debate's `70e vergadering Donderdag 5 april 2018`",
        positive: &[(
            "70e vergadering Donderdag 5 april 2018 Aanvang 10:15 uur\n\nVoorzitter: Martin Bosma",
            "2018-04-05",
        )],
        negative: &[
            "De vergadering van 5 april 2018 is verplaatst.",
            "70e vergadering\nVoorzitter: Martin Bosma",
        ],
    },
    DateRule {
        name: "answer-received",
        lead: Lead::Before(&["(ontvangen"]),
        within: HEAD_LINES,
        about: "written questions' answer line `(ontvangen 25 maart 2024)`",
        positive: &[(
            "Vragen van de leden Mutluer en Kostić\n\nAntwoord van Minister Dijkgraaf (Onderwijs, Cultuur en Wetenschap) (ontvangen 25 maart 2024).",
            "2024-03-25",
        )],
        negative: &["De brief is ontvangen op 25 maart 2024."],
    },
    DateRule {
        name: "decree-date",
        lead: Lead::LineStart(&["Besluit van", "Regeling van", "Wet van"]),
        within: HEAD_LINES,
        about: "a decree's or law's title `Besluit van 9 maart 2018, houdende ...`",
        positive: &[
            (
                "Staatsblad van het Koninkrijk der Nederlanden\n\nBesluit van 9 maart 2018, houdende vaststelling van de bestanddelen",
                "2018-03-09",
            ),
            (
                "Besluit van de Minister van Buitenlandse Zaken van 2 februari 2015, met nr. DCV/RL-0037/2015",
                "2015-02-02",
            ),
        ],
        negative: &["Het besluit van de minister treedt in werking op 1 juli 2025."],
    },
    DateRule {
        name: "date-line",
        lead: Lead::Alone,
        // The first lines only: a date alone further down heads a section (a meeting's
        // agenda of an earlier date), not the document.
        within: 3,
        about: "a line that is only a date, as motions from the Kamer's site start (`15 februari 2024`)",
        positive: &[(
            "15 februari 2024\n\n31016-367\nZiekenhuiszorg\n\nMOTIE VAN DE LEDEN DIEDERIK VAN DIJK EN BIKKER",
            "2024-02-15",
        )],
        negative: &[
            "Vanaf 15 februari 2024 geldt de regeling.",
            "februari 2024",
            "Besluitenlijst\nEurogroep\nAgenda\n\n28 september 2016",
        ],
    },
];

/// The document's date: from its input `date` field when that reads as a date, else by the
/// first rule of [`RULES`] that matches in the head of its text; `None` when neither gives one.
pub fn find(doc: &Document) -> Option<DocumentDate> {
    if let Some(date) = doc
        .extra
        .get("date")
        .and_then(|v| v.as_str())
        .and_then(Date::parse_loose)
    {
        return Some(DocumentDate {
            date,
            rule: INPUT_FIELD_RULE,
            span: None,
        });
    }
    find_in_text(&doc.text)
}

/// The date the first matching rule finds in the head of `text`.
pub fn find_in_text(text: &str) -> Option<DocumentDate> {
    let head = head_lines(text);
    RULES.iter().find_map(|rule| {
        head.iter().take(rule.within).find_map(|&(at, line)| {
            let (date, bytes) = rule.lead.find(line)?;
            Some(DocumentDate {
                date,
                rule: rule.name,
                span: Some(Span::from_bytes(text, at + bytes.start..at + bytes.end)),
            })
        })
    })
}

/// The first [`HEAD_LINES`] non-empty lines of `text`, each with its byte offset, trimmed.
fn head_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        if !trimmed.is_empty() {
            out.push((at + lead, trimmed));
            if out.len() == HEAD_LINES {
                break;
            }
        }
        at += raw.len();
    }
    out
}

/// The words of `s` with their byte offsets, split at white space.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// A Dutch date `D month YYYY` at the start of `words`: the date and the byte offset where it
/// ends (a comma, dot or bracket after the year is not part of it).
fn dutch_date(words: &[(usize, &str)]) -> Option<(Date, usize)> {
    let [(_, day), (_, month), (year_at, year), ..] = words else {
        return None;
    };
    if !(1..=2).contains(&day.len()) || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = vocab::dutch_month(&month.trim_end_matches('.').to_lowercase())?;
    let digits = year.trim_end_matches([',', '.', ')', ';', ':']);
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = Date::new(digits.parse().ok()?, month, day.parse().ok()?)?;
    Some((date, year_at + digits.len()))
}

/// The first Dutch date among `words`, with its byte range in the line.
fn first_date(words: &[(usize, &str)]) -> Option<(Date, std::ops::Range<usize>)> {
    (0..words.len()).find_map(|i| {
        let (date, end) = dutch_date(&words[i..])?;
        Some((date, words[i].0..end))
    })
}

impl Lead {
    /// The date this lead finds in one (trimmed) line, with its byte range in the line.
    fn find(self, line: &str) -> Option<(Date, std::ops::Range<usize>)> {
        let ws: Vec<(usize, &str)> = words(line).collect();
        match self {
            Lead::LineStart(leads) => {
                let lead = leads.iter().find(|l| {
                    line.strip_prefix(**l)
                        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
                })?;
                let from = ws.partition_point(|(at, _)| *at < lead.len());
                let (date, range) = first_date(&ws[from..])?;
                Some((date, range))
            }
            Lead::Before(leads) => ws.iter().enumerate().find_map(|(i, (_, w))| {
                if !leads.contains(w) {
                    return None;
                }
                let (date, end) = dutch_date(&ws[i + 1..])?;
                Some((date, ws[i + 1].0..end))
            }),
            Lead::Place => {
                let comma = ws.iter().position(|(_, w)| w.ends_with(','))?;
                let place = &ws[..=comma];
                let capitalised = |w: &str| {
                    w.trim_start_matches(['’', '\''])
                        .trim_start_matches("s-")
                        .starts_with(char::is_uppercase)
                };
                if place.len() > 3 || !place.iter().any(|(_, w)| capitalised(w)) {
                    return None;
                }
                let (date, end) = dutch_date(&ws[comma + 1..])?;
                let rest = line[end..].trim_end_matches('.');
                rest.is_empty().then(|| (date, ws[comma + 1].0..end))
            }
            Lead::Alone => {
                let at = usize::from(ws.first().is_some_and(|(_, w)| vocab::is_weekday(w)));
                let (date, end) = dutch_date(ws.get(at..)?)?;
                (end == line.len()).then(|| (date, ws[at].0..end))
            }
            Lead::Meeting => {
                let [(_, nth), (_, word), ..] = ws.as_slice() else {
                    return None;
                };
                let ordinal = nth
                    .strip_suffix('e')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                if !ordinal || !word.eq_ignore_ascii_case("vergadering") {
                    return None;
                }
                let at = 2 + usize::from(ws.get(2).is_some_and(|(_, w)| vocab::is_weekday(w)));
                let (date, end) = dutch_date(ws.get(at..)?)?;
                Some((date, ws[at].0..end))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule's corpus: each positive example gives its date by that rule, each negative
    /// example gives none by it.
    #[test]
    fn every_rule_gives_its_examples() {
        for rule in RULES {
            assert!(
                !rule.positive.is_empty() && !rule.negative.is_empty(),
                "rule {} needs positive and negative examples",
                rule.name
            );
            for (text, want) in rule.positive {
                let got = find_in_text(text)
                    .unwrap_or_else(|| panic!("{}: no date in {text:?}", rule.name));
                assert_eq!(
                    (got.rule, got.date.to_string().as_str()),
                    (rule.name, *want),
                    "{text:?}"
                );
                let span = got.span.expect("from the text");
                assert_eq!(
                    Date::parse_loose(span.text(text)),
                    Some(got.date),
                    "the span is the date as written: {:?}",
                    span.text(text)
                );
            }
            for text in rule.negative {
                let got = head_lines(text)
                    .iter()
                    .take(rule.within)
                    .find_map(|(_, line)| rule.lead.find(line));
                assert_eq!(got, None, "{}: {text:?}", rule.name);
            }
        }
    }

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.push(INPUT_FIELD_RULE);
        for n in &names {
            assert!(
                n.split('-')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase())),
                "{n}"
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len() + 1);
    }

    #[test]
    fn the_input_field_wins_and_reads_loosely() {
        let mut doc = Document::new("d", "Den Haag, 4 maart 2026\n");
        assert_eq!(find(&doc).unwrap().date.to_string(), "2026-03-04");
        for (field, want) in [
            ("2025-03-12", Some("2025-03-12")),
            ("2025-03-12T10:00:00Z", Some("2025-03-12")),
            ("12-03-2025", Some("2025-03-12")),
            ("12/3/2025", Some("2025-03-12")),
            ("woensdag 12 maart 2025", Some("2025-03-12")),
            ("2025-02-30", None),
            ("maart 2025", None),
            ("2025-03-123", None),
        ] {
            doc.extra.insert("date".into(), serde_json::json!(field));
            let got = find(&doc).unwrap();
            match want {
                Some(w) => assert_eq!(
                    (got.date.to_string().as_str(), got.rule, got.span),
                    (w, INPUT_FIELD_RULE, None),
                    "{field}"
                ),
                // A field that is no date leaves the text's date.
                None => assert_eq!(got.rule, "place-date-line", "{field}"),
            }
        }
    }

    #[test]
    fn dates_check_the_calendar() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2024, 13, 1).is_none());
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        assert!("2024-2-29".parse::<Date>().is_err());
        assert!("2024-02-3x".parse::<Date>().is_err());
        assert!(find_in_text("31 februari 2024\n").is_none());
    }

    #[test]
    fn a_date_below_the_head_is_not_the_documents() {
        let mut text = "Inleiding\n".repeat(HEAD_LINES);
        text.push_str("Den Haag, 4 maart 2026\n");
        assert_eq!(find_in_text(&text), None);
        // Blank lines do not count.
        let text = format!("{}Den Haag, 4 maart 2026\n", "\n".repeat(100));
        assert!(find_in_text(&text).is_some());
    }

    #[test]
    fn offsets_count_code_points() {
        let text = "Ünïcödé\n’s-Gravenhage, 3 juni 2024\n";
        let got = find_in_text(text).unwrap();
        let span = got.span.unwrap();
        let chars: String = text
            .chars()
            .skip(span.char_start)
            .take(span.char_end - span.char_start)
            .collect();
        assert_eq!(chars, "3 juni 2024");
    }
}
