#!/usr/bin/env python3
"""Makes the format fixtures in this folder from a real government text (README.md).

Python standard library only, deterministic: run it again and the files come out byte-identical.
The text is the first four paragraphs of corpus/letters/2026-03-04-defensieraad-navo-verslag.txt
(footnote references removed). `expected.txt` is that text as nl-ner must read it back from
brief.pdf, brief.docx and brief.odt: paragraphs separated by a blank line.
"""
import pathlib
import re
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LETTER = ROOT / "corpus/letters/2026-03-04-defensieraad-navo-verslag.txt"


def paragraphs():
    text = LETTER.read_text(encoding="utf-8")
    start = text.index("Hierbij ontvangt u")
    paras = [p.strip() for p in text[start:].split("\n") if p.strip()]
    out = []
    for p in paras[:4]:
        p = re.sub(r"\[footnoteRef:\d+\]", "", p)
        p = re.sub(r"\s*\[\d+:[^\]]*\]", "", p)
        out.append(" ".join(p.split()))
    return out


# ---------------------------------------------------------------------------------------------
# PDF: Helvetica 10 pt, 80 characters a line, 18 lines a page, a running header and a page
# number on every page, end-of-line hyphenation of long words.

WIDTH = 80
LINES_PER_PAGE = 18


def wrap(para):
    """Greedy wrap; a long word that does not fit is hyphenated, a real hyphen may end a line."""
    lines, line = [], ""
    for word in para.split(" "):
        room = WIDTH - len(line) - (1 if line else 0)
        if len(word) <= room:
            line = f"{line} {word}" if line else word
            continue
        head = None
        if "-" in word:
            left, right = word.split("-", 1)
            real = left.isupper() or right[:1].isupper()
            if real and len(left) + 1 <= room:
                head, tail = left + "-", right
        elif len(word) >= 9 and word.isalpha() and word.islower() and room >= 5:
            k = min(room - 1, len(word) - 4)
            if k >= 4:
                head, tail = word[:k] + "-", word[k:]
        if head:
            lines.append(f"{line} {head}" if line else head)
            line = tail
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def pdf_string(s):
    b = s.encode("cp1252")
    out = []
    for c in b:
        if c in b"()\\":
            out.append("\\" + chr(c))
        elif 32 <= c < 127:
            out.append(chr(c))
        else:
            out.append("\\%03o" % c)
    return "(" + "".join(out) + ")"


def make_pdf(pages_lines, extra_trailer="", extra_objects=()):
    """A PDF of pages, each a list of (x, y, text); Helvetica, WinAnsiEncoding."""
    objs = {}
    n_pages = len(pages_lines)
    font = 3
    first_page = 4
    kids = []
    for i, page in enumerate(pages_lines):
        page_obj = first_page + 2 * i
        content_obj = page_obj + 1
        kids.append(f"{page_obj} 0 R")
        ops = []
        for x, y, t in page:
            if t is None:
                ops.append(f"{x} {y} 200 100 re f")
            else:
                ops.append(f"BT /F1 10 Tf {x} {y} Td {pdf_string(t)} Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        objs[page_obj] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content_obj} 0 R >>"
        ).encode()
        objs[content_obj] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n_pages} >>".encode()
    objs[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    for num, body in extra_objects:
        objs[num] = body
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += f"trailer\n<< /Size {size} /Root 1 0 R {extra_trailer}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def brief_pdf(paras):
    lines = []
    for i, p in enumerate(paras):
        if i:
            lines.append("")
        lines.extend(wrap(p))
    pages = []
    for start in range(0, len(lines), LINES_PER_PAGE):
        chunk = lines[start:start + LINES_PER_PAGE]
        n = len(pages) + 1
        page = [(72, 800, "Tweede Kamer, vergaderjaar 2025\u20132026, 21 501-28, nr. 299")]
        y = 760
        for line in chunk:
            if line:
                page.append((72, y, line))
            y -= 14
        page.append((290, 40, str(n)))
        pages.append(page)
    return make_pdf(pages)


# ---------------------------------------------------------------------------------------------
# DOCX and ODT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def zip_write(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 4, 12, 0, 0))
            info.compress_type = method
            z.writestr(info, data)


def brief_docx(paras, path):
    body = []
    # A heading, then the paragraphs; the longest word of paragraph 2 gets a soft hyphen and
    # paragraph 3 is split over runs, as Word writes them.
    body.append(f'<w:p><w:pPr><w:pStyle w:val="Kop1"/></w:pPr><w:r><w:t>Brief van de minister van Defensie</w:t></w:r></w:p>')
    body.append("<w:p/>")
    for i, p in enumerate(paras):
        if i == 1:
            words = p.split(" ")
            k = max(range(len(words)), key=lambda j: len(words[j]))
            words[k] = words[k][:3] + "\u00ad" + words[k][3:]
            p = " ".join(words)
        if i == 2:
            half = len(p) // 2
            cut = p.index(" ", half)
            runs = (f'<w:r><w:t xml:space="preserve">{esc(p[:cut + 1])}</w:t></w:r>'
                    f'<w:r><w:rPr><w:b/></w:rPr><w:t>{esc(p[cut + 1:])}</w:t></w:r>')
        else:
            runs = f"<w:r><w:t>{esc(p)}</w:t></w:r>"
        # A deleted word and a field code: neither is text.
        runs += '<w:del><w:r><w:delText> VERWIJDERD</w:delText></w:r></w:del>'
        runs += '<w:r><w:instrText> PAGE </w:instrText></w:r>'
        body.append(f"<w:p>{runs}</w:p>")
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>')
    header = (f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W}"><w:p><w:r><w:t>'
              f'Tweede Kamer, vergaderjaar 2025\u20132026, 21 501-28, nr. 299</w:t></w:r></w:p></w:hdr>')
    footer = (f'<?xml version="1.0" encoding="UTF-8"?><w:ftr xmlns:w="{W}"><w:p><w:r>'
              f'<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:r></w:p></w:ftr>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    D = zipfile.ZIP_DEFLATED
    zip_write(path, [
        ("[Content_Types].xml", types, D),
        ("word/document.xml", doc, D),
        ("word/header1.xml", header, D),
        ("word/footer1.xml", footer, D),
    ])


def brief_odt(paras, path):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')
    body = ['<text:h text:outline-level="1">Brief van de minister van Defensie</text:h>']
    for i, p in enumerate(paras):
        if i == 0:
            # Two spaces as ODF writes them, and a footnote, which is not prose.
            words = p.split(" ", 2)
            x = (f'{esc(words[0])} <text:s/>{esc(words[1])} {esc(words[2])}'
                 '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                 '<text:note-body><text:p>Kamerstuk 36 045, nr. 267.</text:p></text:note-body></text:note>')
            body.append(f"<text:p>{x}</text:p>")
        else:
            body.append(f"<text:p>{esc(p)}</text:p>")
        body.append('<text:p text:style-name="Leeg"/>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns} office:version="1.3">'
               f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document-content>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns}><office:master-styles>'
              '<style:master-page style:name="Standard"><style:header><text:p>Tweede Kamer, vergaderjaar '
              '2025\u20132026, 21 501-28, nr. 299</text:p></style:header><style:footer><text:p>'
              '<text:page-number>1</text:page-number></text:p></style:footer></style:master-page>'
              '</office:master-styles></office:document-styles>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    S, D = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
    zip_write(path, [
        ("mimetype", "application/vnd.oasis.opendocument.text", S),
        ("content.xml", content, D),
        ("styles.xml", styles, D),
        ("META-INF/manifest.xml", manifest, D),
    ])


# ---------------------------------------------------------------------------------------------
# HTML and XML

def page_html(paras, path):
    items = "".join(f"<p>{esc(p)}</p>\n" for p in paras[:2])
    html = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Verslag Defensieraad | Rijksoverheid.nl</title>
<style>p {{ color: black }}</style><script>var nav = "Ministerie van Financiën";</script></head>
<body>
<header><a href="/">Rijksoverheid</a> <nav><ul><li>Onderwerpen</li><li>Ministerie van Algemene Zaken</li></ul></nav></header>
<div class="crumbs"><nav>Home &gt; Documenten</nav></div>
<main>
<h1>Verslag Defensieraad en NAVO-ministeriële</h1>
{items}<aside>Lees ook: Ministerie van Justitie en Veiligheid</aside>
</main>
<footer>Ministerie van Binnenlandse Zaken en Koninkrijksrelaties | Privacy</footer>
</body></html>
"""
    path.write_text(html, encoding="utf-8")


def kamervragen_xml(path):
    # The structure of officiële-publicaties XML for an Aanhangsel (ah-tk): metadata, then
    # kamervragen with vraag/antwoord of alinea's (al); a footnote (noot) is left out.
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><meta name="DC.title" content="Vragen van het lid Mutluer"/></metadata>
  <aanhangsel>
    <kamervragen>
      <kamervraagomschrijving>Vragen van de leden Mutluer (GroenLinks-PvdA) en Kostić (PvdD) aan de Minister van Onderwijs, Cultuur en Wetenschap (ingezonden 6 maart 2024).</kamervraagomschrijving>
      <vraag><nr>1</nr><al>Heeft u kennisgenomen van het artikel «Kritiek op besluit provincie Friesland tegen actief regenboogbeleid»?<noot><noot.nr>1</noot.nr><noot.al>NOS, 1 maart 2024</noot.al></noot></al></vraag>
      <antwoord><nr>1</nr><al>Ja. Daarom heb ik een bijdrage geleverd aan kennisinstituut <nadruk type="cur">Movisie</nadruk>.</al></antwoord>
    </kamervragen>
  </aanhangsel>
</officiele-publicatie>
"""
    path.write_text(xml, encoding="utf-8")


def tei_xml(paras, path):
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Verslag Defensieraad (Ministerie van Defensie)</title></titleStmt></fileDesc></teiHeader>
  <text><body>
    <fw type="header">Tweede Kamer, vergaderjaar 2025–2026, 21 501-28, nr. 299</fw>
    <head>Raad van Buitenlandse Zaken Defensie</head>
    <p>{esc(paras[0])}</p>
    <pb n="2"/><fw type="pageNum">2</fw>
    <p>{esc(paras[1])}</p>
  </body></text>
</TEI>
"""
    path.write_text(xml, encoding="utf-8")


BOMB_XML = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""

XXE_XML = """<?xml version="1.0"?>
<!DOCTYPE brief [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>
<brief><al>De minister schrijft: &geheim;</al></brief>
"""


def encrypted_pdf():
    # The standard security handler with a user password: /O and /U that no empty password
    # matches.
    enc = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
           b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>")
    page = [(72, 760, "Geheim")]
    return make_pdf([page], extra_trailer="/Encrypt 20 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
                    extra_objects=[(20, enc)] + [(n, b"null") for n in range(6, 20)])


def main():
    paras = paragraphs()
    (HERE / "expected.txt").write_text("\n\n".join(paras), encoding="utf-8")
    pdf = brief_pdf(paras)
    (HERE / "brief.pdf").write_bytes(pdf)
    (HERE / "truncated.pdf").write_bytes(pdf[: len(pdf) * 6 // 10])
    (HERE / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes((i * 7919 + 13) % 251 for i in range(3000)))
    (HERE / "empty.pdf").write_bytes(b"")
    (HERE / "scanned.pdf").write_bytes(make_pdf([[(100, 600, None)], [(100, 400, None)]]))
    (HERE / "encrypted.pdf").write_bytes(encrypted_pdf())
    brief_docx(paras, HERE / "brief.docx")
    brief_odt(paras, HERE / "brief.odt")
    docx = (HERE / "brief.docx").read_bytes()
    (HERE / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (HERE / "empty.docx").write_bytes(b"")
    # An encrypted OOXML file is an OLE compound file, not a zip archive.
    (HERE / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    # A zip bomb: 64 MiB of spaces in one paragraph, about 64 KB compressed.
    bomb = (f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
            + " " * (64 << 20) + "</w:t></w:r></w:p></w:body></w:document>")
    zip_write(HERE / "bomb.docx", [("word/document.xml", bomb, zipfile.ZIP_DEFLATED)])
    page_html(paras, HERE / "page.html")
    kamervragen_xml(HERE / "kamervragen.xml")
    tei_xml(paras, HERE / "tei.xml")
    (HERE / "bomb.xml").write_text(BOMB_XML, encoding="utf-8")
    (HERE / "xxe.xml").write_text(XXE_XML, encoding="utf-8")


if __name__ == "__main__":
    main()
