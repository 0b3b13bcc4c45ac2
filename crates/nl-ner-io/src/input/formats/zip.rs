//! DOCX and ODT are zip archives of XML: open the archive safely and hand the main part to the
//! format's reader. Every entry is read through a cap, so a zip bomb is stopped at the limit.

use std::io::{BufReader, Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::xml::{CapWatch, Capped};
use super::{Extracted, Format, FormatError, Options};

/// How many times the text limit the main XML part may decompress to: DOCX and ODT markup is
/// about five to twenty times the text it holds.
pub const XML_FACTOR: u64 = 16;

/// Reads a DOCX or ODT from its bytes. Which of the two it is comes from the archive's entries
/// (`word/document.xml`, or `mimetype` saying OpenDocument text), whatever `guess` was.
pub fn extract(guess: Format, bytes: &[u8], opts: &Options) -> Result<Extracted, FormatError> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // Office writes a password-protected DOCX as an OLE compound file holding the
        // encrypted package, as an old binary .doc is.
        return Err(FormatError::corrupt(
            guess,
            "an OLE compound file, not a zip archive: a password-protected document (decrypt \
             it first) or an old binary .doc (save it as .docx)",
        ));
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(guess, e))?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let format = if names.iter().any(|n| n == "word/document.xml") {
        Format::Docx
    } else if names.iter().any(|n| n == "content.xml") {
        Format::Odt
    } else if names.iter().any(|n| n == "EncryptedPackage") {
        return Err(FormatError::Encrypted(guess.name()));
    } else {
        return Err(FormatError::corrupt(
            guess,
            "a zip archive that is neither DOCX (no word/document.xml) nor ODT (no content.xml)",
        ));
    };
    if format == Format::Odt {
        let mut mimetype = String::new();
        if let Ok(f) = archive.by_name("mimetype") {
            f.take(200)
                .read_to_string(&mut mimetype)
                .map_err(|e| FormatError::corrupt(format, e))?;
        }
        if !mimetype.is_empty() && mimetype != "application/vnd.oasis.opendocument.text" {
            return Err(FormatError::corrupt(
                format,
                format!("an OpenDocument file but not text ({mimetype})"),
            ));
        }
    }
    let part = if format == Format::Docx {
        "word/document.xml"
    } else {
        "content.xml"
    };
    let limit = opts.max_text_bytes.saturating_mul(XML_FACTOR);
    let entry = archive.by_name(part).map_err(|e| match e {
        ZipError::UnsupportedArchive(m) if m.contains("ncrypt") || m.contains("assword") => {
            FormatError::Encrypted(format.name())
        }
        e => zip_error(format, e),
    })?;
    if entry.encrypted() {
        return Err(FormatError::Encrypted(format.name()));
    }
    let capped = Capped::new(entry, limit);
    let watch: CapWatch = capped.watch();
    let input = BufReader::new(capped);
    let out = if format == Format::Docx {
        super::docx::extract(input)
    } else {
        super::odt::extract(input)
    };
    out.map_err(|e| watch.or(e))
}

fn zip_error(format: Format, e: ZipError) -> FormatError {
    let reason = match e {
        ZipError::InvalidArchive(m) => format!("a damaged or truncated zip archive ({m})"),
        ZipError::UnsupportedArchive(m) if m.contains("ncrypt") || m.contains("assword") => {
            return FormatError::Encrypted(format.name());
        }
        ZipError::UnsupportedArchive(m) => format!("an unsupported zip archive ({m})"),
        ZipError::Io(e) => format!("a damaged or truncated zip archive ({e})"),
        ZipError::FileNotFound => "an entry is missing".to_string(),
        e => e.to_string(),
    };
    FormatError::corrupt(format, reason)
}
