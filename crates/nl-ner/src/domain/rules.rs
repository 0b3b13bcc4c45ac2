//! The rule registry: every domain rule as a named record with its corpus.
//!
//! Each rule that makes an entity, decides its label or drops one of the model's is a [`Rule`]
//! in [`RULES`]: its name (written in the JSON output as `"rule"` beside `"source"`, counted by
//! `nl-ner eval --by-rule`), the label it gives, its merge priority and a corpus of real Dutch
//! government phrasing: positive examples (a text and the entity it must give) and negative
//! examples (text that must give nothing by this rule). One test runs every example of every
//! rule through [`super::DomainLayer::apply`] and fails on a rule without both kinds
//! (`docs/rules.md` says how to add one).
//!
//! An example's text may mark the entities the model found with `[text|LABEL]` (`[Fontys
//! Hogeschool|ORG] ‘LLO, de kracht van partnerschappen’`): the repairs act on those.

use crate::doc::{Label, Source};

/// What a rule does to the document's entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// It makes an entity (a candidate of the domain layer, or a repair that makes one).
    Makes,
    /// It drops a model entity: a positive example names the entity that must be gone, a
    /// negative example holds a marked model entity that must stay.
    Drops,
}

/// A named domain rule with its corpus.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The rule's name, as in the JSON output (`law-title`).
    pub name: &'static str,
    /// The label it gives; `None` where each entity's label is decided on its own (an acronym
    /// takes its long form's label).
    pub label: Option<Label>,
    /// The source its entities carry.
    pub source: Source,
    /// What it does.
    pub effect: Effect,
    /// Tie-break among domain candidates of equal length (lower wins; the gazetteer is 1 and the
    /// model 4): see `merge::policy` (docs/rules.md).
    pub priority: u8,
    /// Found by the document's structure (a motion's heading, a project list's quoted title):
    /// its entity wins against the other side's overlapping entities (see
    /// `merge::policy`).
    pub structural: bool,
    /// Where it lives and what it finds, in one line.
    pub about: &'static str,
    /// Texts and the entity (its exact text) each must give by this rule.
    pub positive: &'static [(&'static str, &'static str)],
    /// Texts that must give nothing by this rule.
    pub negative: &'static [&'static str],
}

/// The priority of MONEY, DATE, PERCENT and REF patterns: they beat everything of equal length.
const VALUE: u8 = 0;
/// The priority of the gazetteer's matches.
pub const GAZETTEER_PRIORITY: u8 = 1;
/// The priority of acronym entities.
const ACRONYM: u8 = 2;
/// The priority of name rules.
const NAME: u8 = 3;
/// The priority of the model's entities.
pub const MODEL_PRIORITY: u8 = 4;

/// Every domain rule.
pub static RULES: &[Rule] = &[
    Rule {
        name: "money",
        label: Some(Label::Money),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: an amount with a currency before or after it and scale words",
        positive: &[
            (
                "een financieel steunpakket van EUR 90 mld. aan leningen voor Oekraïne",
                "EUR 90 mld.",
            ),
            (
                "Dit is het resterende bedrag van de reeds in 2025 toegezegde €750 miljoen voor PURL.",
                "€750 miljoen",
            ),
            (
                "bedrijven met een omzet van meer dan 750 miljoen euro onder de minimumbelasting",
                "750 miljoen euro",
            ),
        ],
        negative: &[
            "De Kamer ontvangt twee brieven over de uitvoering.",
            "het kabinet trekt een miljoen extra uren uit voor de inspectie",
        ],
    },
    Rule {
        name: "percent",
        label: Some(Label::Percent),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: a number with `%`, `procent` or `procentpunt`",
        positive: &[
            (
                "De inflatie daalde naar 3,5% in het vierde kwartaal.",
                "3,5%",
            ),
            (
                "een stijging van twee procent ten opzichte van 2024",
                "twee procent",
            ),
        ],
        negative: &[
            "Het percentage gemeenten met een tekort is gestegen.",
            "De berekening gaat uit van procenten, niet van bedragen.",
        ],
    },
    Rule {
        name: "date",
        label: Some(Label::Date),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: [weekday] day month [year] [jl.], or month and year (months.tsv, weekdays.tsv, date-suffixes.tsv)",
        positive: &[
            ("Den Haag, 4 maart 2026", "4 maart 2026"),
            (
                "de Raad van Buitenlandse Zaken Defensie die plaatsvond op 11 februari jl., en de NAVO-ministers",
                "11 februari jl.",
            ),
            ("het nieuwsbericht dateert van mei 2022 en dus", "mei 2022"),
            (
                "op woensdag 4 maart 2026 en op 1 jan. 2024",
                "woensdag 4 maart 2026",
            ),
        ],
        negative: &[
            "indien de keuzemogelijkheden later dan april klaarstaan",
            "The meeting may march on.",
        ],
    },
    Rule {
        name: "year-range",
        label: Some(Label::Date),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: two years joined by a dash or slash (`2022–2023`, `2022/23`)",
        positive: &[
            (
                "Tweede Kamer, vergaderjaar 2022-2023, 25 087, nr. 309",
                "2022-2023",
            ),
            ("de doorgifte in de periode 2021–2025 en 2022/23", "2022/23"),
        ],
        negative: &[
            "basis van de Kwalificatierichtlijn (Richtlijn 2011/95/EU);",
            "de aantallen van 2023 - 2021 zijn niet te vergelijken",
        ],
    },
    Rule {
        name: "year",
        label: Some(Label::Date),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: a year on its own (`2035`, `’22`), not after a number word (number-context.tsv) nor before an amount or unit",
        positive: &[
            (
                "doelend op de afspraak om de defensie-uitgaven uiterlijk in 2035 te verhogen",
                "2035",
            ),
            ("in 2021 en ’22 heeft geleid", "’22"),
        ],
        negative: &[
            "Nr. 2001",
            "een bijdrage van 2000 euro per huishouden",
            "Postbus 20018, 2500 EA Den Haag",
        ],
    },
    Rule {
        name: "kamerstuk",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: `Kamerstuk(ken)` with dossier numbers and an optional paper number (paper-numbers.tsv)",
        positive: &[
            (
                "zie ook Kamerstuk 36 045, nr. 267.",
                "Kamerstuk 36 045, nr. 267",
            ),
            (
                "Kamerstukken 21 501-28 en 28 676, nr. 299",
                "Kamerstukken 21 501-28 en 28 676, nr. 299",
            ),
        ],
        negative: &[
            "De Kamerstukken zijn openbaar.",
            "het Kamerstuk over de begroting",
        ],
    },
    Rule {
        name: "paper-number",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: a dossier number and a paper number without `Kamerstuk` (`36 410 VI, nr. 76`)",
        positive: &[
            (
                "Tweede Kamer, vergaderjaar 2023–2024, 36 410 VI, nr. 76",
                "36 410 VI, nr. 76",
            ),
            (
                "(kenmerk 36 045, nr. 268, dd. 9 februari jl.)",
                "36 045, nr. 268",
            ),
        ],
        negative: &[
            "er wonen 25 087 mensen in de gemeente",
            "in 2023, nr. 4 van de lijst",
        ],
    },
    Rule {
        name: "paper-header",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: a dossier or paper number alone on a line of a paper's header, or a dossier alone in brackets",
        positive: &[
            (
                "Vergaderjaar 2023–2024\n\n36 410 VI\n\nVaststelling van de begrotingsstaten\n\nNr. 76\n\nMOTIE",
                "Nr. 76",
            ),
            ("het wetsvoorstel (36 281) en", "36 281"),
        ],
        negative: &["er wonen 25 087 mensen en Nr. 12 is leeg"],
    },
    Rule {
        name: "kst-id",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: an official publication id (`kst-29984-1082`, `kst-36410-V-12`)",
        positive: &[
            ("kst-29984-1082", "kst-29984-1082"),
            ("kst-25087-309\nISSN 0921 - 7371", "kst-25087-309"),
        ],
        negative: &["de kst-reeks wordt aangevuld", "kst-12 is geen nummer"],
    },
    Rule {
        name: "kamerbrief",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: `Kamerbrief` with its kenmerk and an optional paper number",
        positive: &[(
            "Over het doel bent u met Kamerbrief 2867630806 nr. 442 d.d. 17 oktober 2023 geïnformeerd.",
            "Kamerbrief 2867630806 nr. 442",
        )],
        negative: &["U vindt het non-paper als bijlage bij deze Kamerbrief."],
    },
    Rule {
        name: "handelingen",
        label: Some(Label::Ref),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: VALUE,
        structural: false,
        about: "patterns.rs: `[Aanhangsel] Handelingen [I|II] 2022/23, nr. 45[, item 12]`",
        positive: &[
            (
                "zie Handelingen II 2022/23, nr. 45, item 12",
                "Handelingen II 2022/23, nr. 45, item 12",
            ),
            (
                "en Aanhangsel Handelingen II 2023/24, nr. 1234",
                "Aanhangsel Handelingen II 2023/24, nr. 1234",
            ),
        ],
        negative: &["De Handelingen worden na de vergadering gepubliceerd."],
    },
    Rule {
        name: "law-title",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: `Wet` or `Besluit` and the lower-case words of its title (law-titles.tsv)",
        positive: &[
            (
                "Wijziging van de Wet belastingen op milieugrondslag ter implementatie",
                "Wet belastingen op milieugrondslag",
            ),
            (
                "Wijziging van de Wet verbod op kolen bij elektriciteitsproductie ter implementatie",
                "Wet verbod op kolen bij elektriciteitsproductie",
            ),
            (
                "het voorstel van Wet kwaliteitsborging voor het bouwen is aangenomen",
                "Wet kwaliteitsborging voor het bouwen",
            ),
        ],
        negative: &[
            "Besluit: de Kamer stemt in met het voorstel.",
            "de wet wordt volgend jaar geëvalueerd",
        ],
    },
    Rule {
        name: "regulation-title",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: a regulation's head word (`Regeling`, `Beleidsregel`, `Tijdelijke subsidieregeling`; law-titles.tsv `head`) and the lower-case words of its citation title with its year",
        positive: &[
            (
                "Op grond van de Regeling subsidie regionale samenwerking grensgebieden 2019 kunnen aanvragen worden ingediend.",
                "Regeling subsidie regionale samenwerking grensgebieden 2019",
            ),
            (
                "De Tijdelijke subsidieregeling ondersteuning vaccinatie dieren 2024 is gepubliceerd.",
                "Tijdelijke subsidieregeling ondersteuning vaccinatie dieren 2024",
            ),
            (
                "Deze Beleidsregel tegemoetkoming schade bij rampen geldt vanaf 1 januari.",
                "Beleidsregel tegemoetkoming schade bij rampen",
            ),
        ],
        negative: &[
            "De regeling jonge boeren wordt volgend jaar opengesteld.",
            "Regeling is gewijzigd per 1 januari.",
            "Tijdelijke huisvesting wordt geregeld door de gemeente.",
        ],
    },
    Rule {
        name: "numbered-regulation",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: a directive or regulation with its number (`Richtlijn 2011/95/EU`)",
        positive: &[
            (
                "ter implementatie van Richtlijn 2011/95/EU van het Europees Parlement",
                "Richtlijn 2011/95/EU",
            ),
            (
                "de Algemene verordening gegevensbescherming, Verordening (EU) 2016/679,",
                "Verordening (EU) 2016/679",
            ),
        ],
        negative: &[
            "de richtlijn wordt in 2026 in nationaal recht omgezet",
            "Verordening van de gemeenteraad over de parkeerbelasting",
        ],
    },
    Rule {
        name: "compound-law",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: a capitalised compound ending in a law's word (heads.tsv `law-end`), with a year after it",
        positive: &[
            (
                "de omzetting van de Kwalificatierichtlijn in nationaal recht",
                "Kwalificatierichtlijn",
            ),
            (
                "de wijziging van de Cyberbeveiligingswet 2025 ter versterking van de regie",
                "Cyberbeveiligingswet 2025",
            ),
        ],
        negative: &[
            "de wet treedt in werking op een bij koninklijk besluit te bepalen tijdstip",
            "een nieuwe verordening is niet nodig",
        ],
    },
    Rule {
        name: "law-abbreviation",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: `W` and one to four lower-case letters the word list does not hold (`Wft`, `Wwft`)",
        positive: &[
            (
                "de verwerking van persoonsgegevens onder de Wbp door gemeenten",
                "Wbp",
            ),
            ("toezicht op grond van de Wft door de AFM", "Wft"),
        ],
        negative: &["What about the deadlines?", "Wel is de termijn verlengd."],
    },
    Rule {
        name: "named-instrument",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: capitalised words ending in an English instrument head (heads.tsv `english`) or a Dutch compound ending in one (`end`)",
        positive: &[
            (
                "De Ukraine Support Loan betreft een set aan wetgevende voorstellen.",
                "Ukraine Support Loan",
            ),
            (
                "De middelen uit het Kolenfonds worden in 2026 verdeeld.",
                "Kolenfonds",
            ),
        ],
        negative: &[
            "Het plan wordt na de zomer aan de Kamer gestuurd.",
            "Fondsen worden jaarlijks verdeeld.",
        ],
    },
    Rule {
        name: "acronym-programme",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "names.rs: an unknown acronym joined to an instrument word (heads.tsv `acronym`: `NABO-programma`)",
        positive: &[(
            "Het kabinet stelt middelen beschikbaar voor het NABO-programma in 2026.",
            "NABO-programma",
        )],
        negative: &[
            "De NAVO-top vond plaats in Den Haag.",
            "de AI-strategie van het kabinet",
        ],
    },
    Rule {
        name: "acronym",
        label: None,
        source: Source::Acronym,
        effect: Effect::Makes,
        priority: ACRONYM,
        structural: false,
        about: "acronym.rs: an acronym defined in the text (`Long Form (LF)`), its long form and every later mention, labelled by a list, its head words or the model",
        positive: &[
            (
                "het Programma Aanpak Meervoudige Problematiek (PAMP) loopt door; het PAMP wordt in 2026 geëvalueerd",
                "PAMP",
            ),
            (
                "Hierbij ontvangt u het verslag van de Defence Ministers Meeting (DMM).",
                "Defence Ministers Meeting",
            ),
            // The document's own definition beats a register's body with that abbreviation
            // (the Wetenschappelijke Klimaatraad, `WKR`).
            (
                "Deze vrijstelling is onderdeel van de werkkostenregeling (WKR). De vrije ruimte van de WKR blijft.",
                "WKR",
            ),
        ],
        negative: &[
            "Vaststelling van de begrotingsstaat van het Ministerie van Buitenlandse Zaken (V) voor het jaar 2024",
            "Informatie- en communicatietechnologie (ICT)",
        ],
    },
    Rule {
        name: "motion-heading",
        label: Some(Label::Per),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: true,
        about: "motion.rs: the submitters in a motion's heading (`MOTIE VAN HET LID OMTZIGT C.S.`, motion-headings.tsv)",
        positive: &[
            (
                "MOTIE VAN HET LID OMTZIGT C.S.\nVoorgesteld 12 maart 2024",
                "OMTZIGT",
            ),
            (
                "GEWIJZIGDE MOTIE VAN DE LEDEN DASSEN EN KATHMANN\nVoorgesteld 4 april 2024",
                "KATHMANN",
            ),
        ],
        negative: &[
            "De motie van het lid Omtzigt is aangenomen.",
            "MOTIE\nDe Kamer, gehoord de beraadslaging,",
        ],
    },
    Rule {
        name: "motion-signature",
        label: Some(Label::Per),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: true,
        about: "motion.rs: the one-name lines of a motion's signature block after `en gaat over tot de orde van de dag.`",
        positive: &[
            (
                "verzoekt de regering de aanbeveling uit te voeren,\nen gaat over tot de orde van de dag.\nOmtzigt\nVan der Lee\n\nkst-25087-309\n",
                "Van der Lee",
            ),
            ("en gaat over tot de orde van de dag.\nDassen\n", "Dassen"),
        ],
        negative: &[
            "en gaat over tot de orde van de dag.\n\nkst-32637-548\n",
            "De Kamer gaat over tot de orde van de dag.",
        ],
    },
    Rule {
        name: "project-title",
        label: Some(Label::Initiative),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: true,
        about: "repair.rs: the quoted rest of a project list's line after an organisation the model found",
        positive: &[(
            "[Fontys Hogeschool|ORG] ‘LLO, de kracht van partnerschappen’\n",
            "LLO, de kracht van partnerschappen",
        )],
        negative: &[
            "Volgens [Fontys Hogeschool|ORG] ‘werkt het goed’ in de regio.\n",
            "[Fontys Hogeschool|ORG] werkt samen met de gemeente.\n",
        ],
    },
    Rule {
        name: "project-applicant",
        label: Some(Label::Org),
        source: Source::Model,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: true,
        about: "repair.rs: the applicant before a project list's quoted title, from the line's start where the model cut it, ORG where it said PER",
        positive: &[
            (
                "Technische [Universiteit Eindhoven|ORG] ‘Naar een One-Stop-Shop voor TU/e’\n",
                "Technische Universiteit Eindhoven",
            ),
            (
                "[SVO|ORG] vakopleiding food ‘De nieuwe vakschool’\n",
                "SVO vakopleiding food",
            ),
            (
                "[Firda|PER] ‘Ontwikkeling microcredential datascience in waterbeheer’\n",
                "Firda",
            ),
            (
                "De Christelijke [Hogeschool Ede|ORG] ‘HRM-praktijken in transities moet je leren’\n",
                "Christelijke Hogeschool Ede",
            ),
        ],
        negative: &[
            "Volgens [Fontys Hogeschool|ORG] ‘Het werkt goed’.\n",
            "Het voorstel van [Fontys Hogeschool|ORG] ‘Kom verder’ stelt ons in staat om te groeien.\n",
        ],
    },
    Rule {
        name: "project-code-heading",
        label: None,
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: true,
        about: "repair.rs: a project list's heading that opens with the file number, `CODE – Title` or `CODE – Applicant – Title`",
        positive: &[
            ("toegekend.\n\nRIF24002 – OASIS\n\nAchtergrond", "OASIS"),
            (
                "\n\nRIF24008 – [Stichting Landstede – SMART|ORG]\n\nAchtergrond",
                "Stichting Landstede",
            ),
            (
                "\n\nRIF24008 – [Stichting Landstede – SMART|ORG]\n\nAchtergrond",
                "SMART",
            ),
            (
                "\n\nRIF24009 – ROC van Amsterdam-Flevoland – De Kindprofessional mbo\n\nAchtergrond",
                "De Kindprofessional mbo",
            ),
        ],
        negative: &[
            "\n\nRIF24002 – zie de bijlage.\n\nAchtergrond",
            "Het nummer RIF24002 – OASIS – staat in de lijst.\n\nVerder",
            "\n\nCO2 – Uitstoot\n\n",
        ],
    },
    Rule {
        name: "project-heading",
        label: Some(Label::Org),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: true,
        about: "repair.rs: the applicant of a paragraph that is nothing but `Name ‘Title’` (a project list's heading) where nothing found the name",
        positive: &[
            (
                "toegekend.\n\nOnderwijsgroep Tilburg ‘Brabant Leert Learning Factory’\n\nAchtergrond",
                "Onderwijsgroep Tilburg",
            ),
            (
                "Achtergrond\n\nAlfa-college ‘Versnelling DNA Next’\n\nDoelstelling",
                "Alfa-college",
            ),
            ("\n\nDe Hanze ‘Professionalisering Fastswitch’\n\n", "Hanze"),
        ],
        negative: &[
            "Het motto luidt:\n\nDit noemen we ‘Samen Sterk’\n\nVerder.",
            "Volgens Onderwijsgroep Tilburg ‘werkt het’.\n\nVerder.",
            "Onderwijsgroep Tilburg ‘Brabant Leert’ is een netwerk.\n\nVerder.",
        ],
    },
    Rule {
        name: "project-mention",
        label: None,
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: true,
        about: "repair.rs: a later mention of a project heading's title or applicant (two or more words, same case) that nothing found",
        positive: &[
            (
                "Onderwijsgroep Tilburg ‘Brabant Leert Learning Factory’\n\nAchtergrond\n\nDe Brabant Leert Learning Factory is een aanpak.",
                "Brabant Leert Learning Factory",
            ),
            (
                "Onderwijsgroep Tilburg ‘Brabant Leert Learning Factory’\n\nAchtergrond\n\nOnderwijsgroep Tilburg leidt het.",
                "Onderwijsgroep Tilburg",
            ),
        ],
        negative: &[
            "Alfa-college ‘Versnelling DNA Next’\n\nDe versnelling DNA next is een aanpak.",
            "Volgens Onderwijsgroep Tilburg ‘werkt het’.\n\nDe Brabant Leert Learning Factory is een aanpak.",
        ],
    },
    Rule {
        name: "place-list",
        label: Some(Label::Loc),
        source: Source::Model,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: a person the model found alone in a list item or table cell between places is a place",
        positive: &[
            (
                "De volgende gemeenten doen mee:\n• Staphorst\n• [Best|PER]\n• Meppel\n• Zwolle\n",
                "Best",
            ),
            (
                "Provincie\tGemeente\nDrenthe\tMeppel\nNoord-Brabant\t[Beek|PER]\n",
                "Beek",
            ),
        ],
        negative: &[
            "Aanwezig:\n• [Jan de Vries|PER]\n• [Piet Klaassen|PER]\n• Meppel\n",
            "De burgemeester van Meppel, [Best|PER], opende de vergadering in Zwolle.\n",
        ],
    },
    Rule {
        name: "place-list-item",
        label: Some(Label::Loc),
        source: Source::Pattern,
        effect: Effect::Makes,
        priority: NAME,
        structural: false,
        about: "repair.rs: one capitalised word the lexicon knows as a place, alone in a list item or table cell between places",
        positive: &[
            (
                "De volgende gemeenten doen mee:\n• Staphorst\n• Best\n• Meppel\n• Zwolle\n",
                "Best",
            ),
            (
                "Gemeente\tInwoners\nMeppel\t34.000\nBeek\t15.000\nZwolle\t130.000\n",
                "Beek",
            ),
        ],
        negative: &[
            "Best is het om te wachten.\nMeppel en Zwolle doen mee.\n",
            "Aanwezig:\n• Best\n• Jan\n",
        ],
    },
    Rule {
        name: "one-label-per-name",
        label: None,
        source: Source::Model,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: a name the model gave several labels in one document takes the label most of its mentions have (a listed or defined mention counts twice)",
        positive: &[(
            "Het [Vitale Vakantieparken|INITIATIVE] steunt gemeenten. Het [Vitale Vakantieparken|INITIATIVE] loopt door. Het [Vitale Vakantieparken|ORG] besluit.",
            "Vitale Vakantieparken",
        )],
        negative: &[
            "Het [Vitale Vakantieparken|INITIATIVE] steunt gemeenten. Het [Vitale Vakantieparken|ORG] besluit.",
        ],
    },
    Rule {
        name: "instrument-head",
        label: None,
        source: Source::Model,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: a model ORG or MISC whose leftmost head word (heads.tsv `domain`) names an instrument or a place becomes INITIATIVE or LOC",
        positive: &[
            (
                "de middelen uit het [Nationaal Programma Onderwijs|ORG] zijn besteed",
                "Nationaal Programma Onderwijs",
            ),
            (
                "de bereikbaarheid van de [Metropoolregio Amsterdam|ORG] verbetert",
                "Metropoolregio Amsterdam",
            ),
        ],
        negative: &[
            "de [Commissie Toekomst Arbeidsongeschiktheidsstelsel|ORG] adviseert",
            "het [Waarborgfonds Sociale Woningbouw|ORG] staat borg",
        ],
    },
    Rule {
        name: "double-surname",
        label: Some(Label::Per),
        source: Source::Model,
        effect: Effect::Makes,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: two model persons joined by a hyphen without spaces are one",
        positive: &[(
            "het lid [Dik|PER]-[Faber|PER] diende een motie in",
            "Dik-Faber",
        )],
        negative: &["de leden [Dik|PER] - [Faber|PER] dienden een motie in"],
    },
    Rule {
        name: "ministerial-portfolio",
        label: None,
        source: Source::Model,
        effect: Effect::Drops,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: a ministry named in a minister's role (roles.tsv `minister`) is no organisation",
        positive: &[
            (
                "de minister van [Buitenlandse Zaken|ORG] heeft de Kamer geïnformeerd",
                "Buitenlandse Zaken",
            ),
            (
                "Minister Dijkgraaf ([Onderwijs|ORG], Cultuur en Wetenschap) antwoordt",
                "Onderwijs",
            ),
        ],
        negative: &["de secretaris-generaal van de [NAVO|ORG] sprak in Brussel"],
    },
    Rule {
        name: "staff-role",
        label: None,
        source: Source::Model,
        effect: Effect::Drops,
        priority: MODEL_PRIORITY,
        structural: false,
        about: "repair.rs: a unit named after a staff role (roles.tsv `staff`) names nothing (`Directeur-Generaal Volksgezondheid`)",
        positive: &[(
            "de [Directeur-Generaal Volksgezondheid|ORG] schreef de brief",
            "Directeur-Generaal Volksgezondheid",
        )],
        negative: &["de [Inspectie Gezondheidszorg en Jeugd|ORG] schreef de brief"],
    },
];

/// The rule of that name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Document, Entity, Span};
    use crate::domain::DomainLayer;

    /// The text without its `[text|LABEL]` marks, and the model entities they mark.
    fn unmark(marked: &str) -> (String, Vec<Entity>) {
        let mut text = String::new();
        let mut model = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = open + rest[open..].find(']').expect("a closing ]");
            let (surface, label) = rest[open + 1..close].split_once('|').expect("text|LABEL");
            let start = text.len();
            text.push_str(surface);
            model.push((start..text.len(), label.parse::<Label>().expect("a label")));
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        let model = model
            .into_iter()
            .map(|(bytes, label)| Entity {
                span: Span::from_bytes(&text, bytes),
                label,
                score: 0.9,
                source: Source::Model,
                entity_id: None,
                rule: None,
            })
            .collect();
        (text, model)
    }

    fn run(layer: &DomainLayer, marked: &str) -> (String, Vec<Entity>, Vec<Entity>) {
        let (text, model) = unmark(marked);
        let mut doc = Document::new("example", &text);
        doc.entities = model.clone();
        layer.apply(&mut doc);
        // A name the code sets but the registry lacks would get the model's merge priority.
        for e in &doc.entities {
            assert!(
                e.rule.is_none_or(|r| rule(r).is_some()),
                "{:?} is not in the registry",
                e.rule
            );
        }
        (text, model, doc.entities)
    }

    /// The entities as `(text, label, rule)`, for a failure's message.
    fn shown(text: &str, got: &[Entity]) -> String {
        let shown: Vec<_> = got
            .iter()
            .map(|e| (e.span.text(text), e.label, e.rule))
            .collect();
        format!("{shown:?}")
    }

    #[test]
    fn every_rule_gives_its_positive_examples_and_nothing_on_its_negative_ones() {
        let layer = DomainLayer::new().unwrap();
        let mut failures = Vec::new();
        for r in RULES {
            if r.positive.is_empty() || r.negative.is_empty() {
                failures.push(format!("{}: needs positive and negative examples", r.name));
            }
            for &(marked, want) in r.positive {
                let (text, _, got) = run(&layer, marked);
                let ok = match r.effect {
                    Effect::Makes => got.iter().any(|e| {
                        e.rule == Some(r.name)
                            && e.span.text(&text) == want
                            && r.label.is_none_or(|l| l == e.label)
                    }),
                    Effect::Drops => !got.iter().any(|e| e.span.text(&text) == want),
                };
                if !ok {
                    let gave = shown(&text, &got);
                    failures.push(format!(
                        "{}: {marked:?} must give {want:?}, gave {gave}",
                        r.name
                    ));
                }
            }
            for &marked in r.negative {
                let (text, model, got) = run(&layer, marked);
                let ok = match r.effect {
                    Effect::Makes => !got.iter().any(|e| e.rule == Some(r.name)),
                    Effect::Drops => model.iter().all(|m| got.iter().any(|e| e.span == m.span)),
                };
                if !ok {
                    let gave = shown(&text, &got);
                    failures.push(format!(
                        "{}: {marked:?} must give nothing, gave {gave}",
                        r.name
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn rule_names_are_unique_and_kebab_case() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[..i].iter().all(|o| o.name != r.name),
                "{} twice",
                r.name
            );
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(rule(r.name).is_some());
        }
    }
}
