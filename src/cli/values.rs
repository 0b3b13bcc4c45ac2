//! The command line's names for the library's choices (`--format`, `--order`, `--input-format`):
//! clap's `ValueEnum` lives here, so the library crates need no clap.

use clap::ValueEnum;

/// Declares a clap value enum that mirrors a library enum variant for variant, with the same
/// documentation (clap shows it in `--help`), and the conversion into the library's type.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $lib:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$name> for $lib {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => <$lib>::$variant),+
                }
            }
        }
    };
}

mirror! {
    /// Gold file formats.
    GoldFormat => nl_ner_io::score::GoldFormat {
        /// `.jsonl` (in any case) is JSONL, anything else CoNLL.
        Auto,
        /// `WORD [COLUMNS...] TAG` lines, blank line between sentences, IOB tags.
        Conll,
        /// One document per line: `text` and `entities` with `start`, `end`, `label`.
        Jsonl,
    }
}

mirror! {
    /// How to read a file's contents.
    InputFormat => nl_ner_io::input::InputFormat {
        /// By extension: `.jsonl` (in any case) is JSONL; PDF, DOCX, ODT, HTML and XML by content and extension (docs/input.md); anything else plain text; standard input is sniffed.
        Auto,
        /// One document per file.
        Text,
        /// One JSON document per line.
        Jsonl,
    }
}

mirror! {
    /// The export formats.
    ExportFormat => nl_ner_io::export::Format {
        /// CoNLL IOB2: `WORD TAG` per line, a blank line after each sentence, `-DOCSTART-` per document.
        Conll,
        /// spaCy/Prodigy JSONL: `text`, `tokens`, `spans` with `start`, `end`, `label`.
        Spacy,
        /// spaCy DocBin (`.spacy`), the binary corpus `spacy train` reads.
        Docbin,
        /// doccano JSONL: `text`, `label` as `[start, end, label]`.
        Doccano,
        /// Label Studio JSON tasks with the entities as predictions.
        Labelstudio,
        /// CSV files for `neo4j-admin database import` (a directory).
        Neo4j,
        /// RDF Turtle: entities with type and labels, documents that mention them.
        Turtle,
        /// TEI P5 XML: the text with the entities as TEI names, their register and the relations.
        Tei,
        /// FoLiA XML (version 2): words, sentences and paragraphs, the entities over the words.
        Folia,
    }
}

mirror! {
    /// The order of the documents in a training-data export.
    Order => nl_ner_io::export::Order {
        /// As in the input.
        Input,
        /// Least sure first (the least sure entity's score ascending; ties in input order).
        Uncertainty,
    }
}

mirror! {
    /// The formats `nl-ner import` reads.
    ImportFormat => nl_ner_io::import::ImportFormat {
        /// Label Studio JSON export (an array of tasks with `annotations`).
        Labelstudio,
        /// doccano JSONL export (`text` and `label` as `[start, end, label]`, or `entities`).
        Doccano,
        /// spaCy/Prodigy JSONL (`text` and `spans` with `start`, `end`, `label`; Prodigy's `answer`).
        Spacy,
    }
}

mirror! {
    /// How `nl-ner entities` orders the rows.
    SortKey => nl_ner_io::export::entity_table::SortKey {
        /// Most mentions first.
        Mentions,
        /// Most documents first.
        Documents,
        /// By id.
        Id,
        /// By label, then most mentions first.
        Label,
        /// By canonical name.
        Name,
    }
}

mirror! {
    /// How `nl-ner entities` writes the table.
    TableFormat => nl_ner_io::export::entity_table::TableFormat {
        /// Aligned columns for reading.
        Table,
        /// CSV with a header line (aliases and joined ids separated by ` | `).
        Csv,
        /// JSON Lines: one object per entity, with its documents and their dates, and its
        /// relations as lists of objects.
        Json,
    }
}
