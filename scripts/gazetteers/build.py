#!/usr/bin/env python3
"""Builds the register gazetteers (models/gazetteers/register-*.tsv) from official registers.

Usage: scripts/gazetteers/build.py [--reference DIR] [--out DIR]

The registers are the TSV files staged under ../shared/reference/ (see its SOURCES.md: the
Register van Overheidsorganisaties via polder, the BWB titles of 2015, ParlaMint-NL's party
list, polder's members of parliament and government, the EOSC list of EU programmes). The
generated files are committed, so a clone builds without the registers; rerun this script when
a register is refreshed. Standard library only; the output is deterministic (sorted).

Each output line is `name<TAB>LABEL<TAB>canonical-id<TAB>aliases<TAB>same-as`, the format of
crates/nl-ner/src/domain/gazetteer.rs; `same-as` is the entry's Wikidata IRI (or, where the
register has no Wikidata id, the register's own IRI: a TOOI or wetten.overheid.nl URI).

Ambiguity (models/gazetteers/README.md says why and what it costs):
- a one-word place or organisation name whose lower-case form is a common Dutch word in the
  word lexicon (flag `c` in models/lexicon/nl-lexicon.tsv: Beek, Best, Ede, Putten) or that is
  the family name of a member of parliament or government (politici.tsv) is left out;
- abbreviations from the registers are kept only from three characters on and when they are no
  common word (ministries' two-letter abbreviations come from the hand-written list);
- a form the hand-written lists already give is given again only with the hand list's id, and a
  form the hand-written lists give another label is dropped (the hand lists win).
"""

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAND_LISTS = ["organisations.tsv", "international.tsv", "places.tsv", "initiatives.tsv"]
WIKIDATA = "http://www.wikidata.org/entity/"

csv.field_size_limit(sys.maxsize)


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def clean(s):
    """Strips zero-width and surrounding white space, collapses runs of white space."""
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    return " ".join(s.split())


def slug(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def load_lexicon():
    common = set()
    with open(ROOT / "models/lexicon/nl-lexicon.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and "c" in parts[1]:
                common.add(parts[0])
    return common


def load_hand():
    """Form → (label, id) of the hand-written lists."""
    forms = {}
    for name in HAND_LISTS:
        for line in (ROOT / "models/gazetteers" / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            f = line.split("\t")
            for form in [f[0]] + (f[3].split("|") if len(f) > 3 else []):
                if form.strip():
                    forms[form.strip()] = (f[1], f[2])
    return forms


class Builder:
    def __init__(self, common, surnames, hand):
        self.common = common
        # Sources whose one-word names are checked against the common words: place names and
        # local bodies (`Best`, `Delta`, `Brandweer`). National bodies, laws and parties are
        # matched case-sensitively and their one-word names (`Belastingdienst`, `Mediawet`,
        # `DENK`) name the body or law in government text.
        self.checked = {"register-places.tsv", "register-organisations-local.tsv"}
        self.surnames = surnames
        self.hand = hand
        self.dropped = defaultdict(list)

    def ambiguous_word(self, source, form):
        """A one-word form that is also a common word or a politician's family name."""
        if " " in form or "-" in form:
            return None
        low = form.lower()
        if source in self.checked and low in self.common:
            return "common word"
        if low in self.surnames:
            return "surname"
        return None

    def entries(self, source, items):
        """items: (name, label, id, aliases, same_as, is_abbrev(form)) → output lines.

        Applies the ambiguity filters and the hand lists' precedence; the dropped forms are
        counted per source and reason."""
        out = {}
        for name, label, cid, aliases, same_as in items:
            forms = []
            for k, form in enumerate([name] + aliases):
                form = clean(form)
                if not form or form in forms:
                    continue
                hand = self.hand.get(form)
                if hand and hand[0] != label:
                    self.dropped[(source, "hand list gives another label")].append(form)
                    continue
                if hand and hand[1] != cid:
                    cid = hand[1]
                why = self.ambiguous_word(source, form)
                if why:
                    self.dropped[(source, why)].append(form)
                    continue
                if k > 0 and len(form) < 3 and not cid.startswith("org:min-"):
                    self.dropped[(source, "abbreviation under 3 characters")].append(form)
                    continue
                forms.append(form)
            if not forms:
                continue
            key = (forms[0], label)
            if key in out:
                # Two register rows with one name (an organisation renamed, two laws with one
                # title): one entry, the first id (rows come sorted), the aliases of both.
                prev = out[key]
                prev[3].extend(a for a in forms[1:] if a not in prev[3] and a != prev[0])
                prev[4] = prev[4] or same_as
                continue
            out[key] = [forms[0], label, cid, forms[1:], same_as]
        # An alias that two entries share names neither for sure: drop it from both.
        owners = defaultdict(set)
        for e in out.values():
            for form in [e[0]] + e[3]:
                owners[form].add(e[2])
        lines = []
        for e in sorted(out.values(), key=lambda e: (e[0], e[2])):
            aliases = []
            for a in e[3]:
                if len(owners[a]) > 1:
                    self.dropped[(source, "alias of several entries")].append(a)
                else:
                    aliases.append(a)
            lines.append("\t".join([e[0], e[1], e[2], "|".join(aliases), e[4] or ""]))
        return lines


def wikidata(q):
    q = q.strip()
    return WIKIDATA + q if re.fullmatch(r"Q\d+", q) else ""


LEGAL_FORM = re.compile(r"\s+(B\.V\.|N\.V\.|BV|NV|U\.A\.)$")
ORG_CORE = {
    "ministerie",
    "agentschap",
    "zbo",
    "adviescollege",
    "inspectie",
    "hoge-college",
    "rechterlijke-instantie",
    "politie",
    "waterschap",
}
ORG_LOCAL = {"gemeenschappelijke-regeling", "rwt"}


def org_items(ref, types, kind):
    """Organisations of the ROO (polder) of `types`, one item per organisation."""
    by_org = defaultdict(list)
    for r in rows(ref / "overheidsorganisaties/organisaties.tsv"):
        if r["type"] not in types:
            continue
        if r["source_ids"] == "abd_nieuws":
            continue  # parsed from news items by an LLM, not taken from the register
        by_org[r["polder_id"]].append(r)
    items = []
    for pid, rs in sorted(by_org.items()):
        # Current names first, then former ones.
        rs.sort(key=lambda r: (r["valid_to"] != "", r["name"]))
        names, aliases = [], []
        for r in rs:
            n = clean(r["name"])
            bad = (
                not n
                or not (n[0].isupper() or n[0].isdigit())
                or len(n.split()) > 12
                or re.search(r"\bex\b|\bart\.|\(dezelfde\)|instanties|/", n)
            )
            if bad:
                continue
            if r["type"] == "ministerie":
                long = n if n.startswith("Ministerie van ") else "Ministerie van " + n
                short = n[len("Ministerie van ") :] if n.startswith("Ministerie van ") else n
                names += [long, "ministerie van " + short, short]
            else:
                names.append(n)
                m = LEGAL_FORM.search(n)
                if m and len(n[: m.start()].split()) >= 2:
                    names.append(n[: m.start()])
            for a in r["alias"].split("|"):
                a = clean(a)
                if a and a not in aliases:
                    aliases.append(a)
        if not names:
            continue
        wd = next((wikidata(r["wikidata"]) for r in rs if wikidata(r["wikidata"])), "")
        tooi = next((r["tooi"] for r in rs if r["tooi"]), "")
        if rs[0]["type"] == "ministerie":
            cid = "org:min-" + slug(names[2])
        else:
            cid = pid if pid.startswith("org:") else "org:" + slug(pid)
        uniq = []
        for n in names + aliases:
            if n not in uniq:
                uniq.append(n)
        items.append((uniq[0], "ORG", cid, uniq[1:], wd or tooi))
    return items


def place_items(ref):
    items = []
    for r in rows(ref / "gemeenten_provincies/gemeenten_provincies.tsv"):
        short = clean(r["short_name"]) or clean(r["name"])
        if r["type"] == "caribisch-openbaar-lichaam":
            short = clean(r["owms_name"]) or short
        short = re.sub(r"^(Gemeente|Provincie)\s+", "", short)
        if not short or not short[0].isupper() and not short.startswith("'s"):
            continue
        aliases = []
        if r["type"] == "provincie" and short == "Fryslân":
            aliases.append("Friesland")
        same = wikidata(r["wikidata"]) or r["tooi"]
        # The place's own slug, as the linker would give it (`loc:staphorst`); a municipality and
        # a province of one name (`Utrecht`, `Groningen`) are one place name.
        items.append((short, "LOC", "loc:" + slug(short), aliases, same))
    items.sort(key=lambda i: (i[0], i[2]))
    return items


def party_items(ref):
    items = []
    for r in rows(ref / "partijen/parlamint_nl_fracties.tsv"):
        name, abbr = clean(r["name"]), clean(r["alias"])
        # One-member groups (`Fractie Van Vliet`) carry a person's name: their abbreviation is
        # the surname, no party.
        if re.match(r"(Fractie|Groep|Lid)\b", name) or "/" in name:
            continue
        aliases = [abbr] if abbr and abbr != name else []
        wiki = r.get("nl_wikipedia", "")
        items.append((name, "ORG", "org:party-" + slug(abbr or name), aliases, wiki))
    known = {clean(r["alias"]) or clean(r["name"]) for r in rows(ref / "partijen/parlamint_nl_fracties.tsv")}
    for r in rows(ref / "partijen/fracties_uit_mandaten.tsv"):
        name = clean(r["name"])
        # Party labels only: not `Groep X`, `Fractie-X`, `Lid X` or a member's surname.
        if re.match(r"(Fractie|Groep|Gr[A-Z]|Lid)\b|Fractie-", name) or "/" in name:
            continue
        if not (name.isupper() or re.search(r"\d|[A-Z].*[A-Z]", name) or " " in name):
            continue  # `Klein`, `Krol`, `Verdonk`: surnames of one-member groups
        if name in known:
            continue
        items.append((name, "ORG", "org:party-" + slug(name), [], ""))
    return items


LAW_WORD = re.compile(
    r"(wet|wetboek|besluit|regeling|regelingen|reglement|verdrag|code|verordening|beschikking|"
    r"statuut|regels|regelen|richtlijn|richtlijnen|overeenkomst|akkoord|protocol|aanwijzing|"
    r"instructie|circulaire|beleidsregel|plan|voorschriften|akte|conventie|handvest|convenant|"
    r"mandaat|tarieven|tarief|voorwaarden)\b",
    re.IGNORECASE,
)
YEAR_TAIL = re.compile(r"^(.*\S)\s+(1[89]\d\d|20\d\d)$")
DATED = re.compile(r"\bvan (den )?\d{1,2}(den|ste|de)? [a-zA-Z]+ \d{4}")


def law_items(ref):
    items = []
    for r in rows(ref / "wetten_bwb/bwb_regelingen_2015.tsv"):
        if r["type"].endswith("archiefselectielijst"):
            continue  # selection lists of archives: no title anyone cites
        title = clean(r["name"])
        if r["name_kind"] != "citeertitel":
            m = re.search(r"\(([^()]+)\)$", clean(r["official_title"]))
            if not m:
                continue
            title = clean(m.group(1))
            if not title[0].isupper() or re.match(r"(Stb|Trb|Stcrt)\b", title):
                continue
            if len(title.split()) < 2 and not re.search(r"(wet|besluit|regeling|reglement)$", title):
                continue
        if DATED.search(title) or len(title.split()) > 25 or ";" in title:
            continue
        if not LAW_WORD.search(title):
            # `Huurbeleid`, `Referenda`, `Commissie Hoekstra`: short titles that are also
            # ordinary words or name something else; a title is kept when it names its kind.
            continue
        aliases = []
        m = YEAR_TAIL.match(title)
        if m and (len(m.group(1).split()) >= 2 or re.search(r"(wet|besluit)$", m.group(1))):
            aliases.append(m.group(1))
        items.append((title, "INITIATIVE", "initiative:" + r["code"].lower(), aliases, r["source"]))
    items.sort(key=lambda i: (i[0], i[2]))
    return items


def eu_items(ref):
    items = []
    for r in rows(ref / "eu_programmas/eu_funding_programmes_mff2014_2020.tsv"):
        if r["type"] != "funding_programme":
            continue
        name, abbr = clean(r["name"]), clean(r["alias"])
        aliases = [abbr] if abbr and re.fullmatch(r"[A-Z][A-Z0-9+&-]{2,}", abbr) else []
        items.append((name, "INITIATIVE", "initiative:eu-" + slug(abbr or name), aliases, ""))
    return items


def politician_items(ref):
    """One entry per full name. The id is the linker's own id of that name (`per:roy-van-aalst`,
    crates/nl-ner/src/link/key.rs), so a mention by surname alone, which the linker gives the
    full name's id, and the listed full name stay one entity. Namesakes (two persons, one name)
    get no same-as IRI: the list cannot tell them apart."""
    by_person = {}
    for r in rows(ref / "politici/politici.tsv"):
        pid = r["polder_id"] or r["code"]
        name = clean(r["name"])
        if len(name.split()) < 2 or not pid or "." in name:
            continue
        e = by_person.setdefault(pid, [name, [], ""])
        alias = clean(r["alias"])
        if alias and alias not in e[1] and alias != name:
            e[1].append(alias)
        e[2] = e[2] or wikidata(r["wikidata"])
    by_name = defaultdict(list)
    for pid, e in sorted(by_person.items()):
        by_name[e[0]].append(e)
    items = []
    for name, es in sorted(by_name.items()):
        # No initials forms (`R.R. van Aalst`): the linker gives a name with initials the id
        # of the surname (`per:van-aalst`, as a mention by surname alone), and an alias would
        # split those two.
        same_as = es[0][2] if len(es) == 1 else ""
        items.append((name, "PER", "per:" + slug(name), [], same_as))
    return items


HEADERS = {
    "register-organisations.tsv": (
        "Dutch national government organisations from the Register van Overheidsorganisaties (ROO):\n"
        "ministries, agencies, zbo's, advisory bodies, inspectorates, High Councils of State, courts,\n"
        "police and water boards, with their registered abbreviations and former names."
    ),
    "register-organisations-local.tsv": (
        "Joint arrangements of municipalities (gemeenschappelijke regelingen) and legal persons with a\n"
        "statutory task (rwt) from the Register van Overheidsorganisaties (ROO)."
    ),
    "register-places.tsv": (
        "Dutch municipalities (current and former), provinces and the Caribbean public bodies, as bare\n"
        "place names (`gemeente Zeist` gives LOC `Zeist`: the type word stays out, docs/annotation.md)."
    ),
    "register-parties.tsv": "Dutch parliamentary parties and their abbreviations (ParlaMint-NL, TK/EK mandates).",
    "register-laws.tsv": (
        "Citation titles (citeertitels) of Dutch national laws, decrees, ministerial regulations, policy\n"
        "rules, circulars and treaties in the Basiswettenbestand (BWB) as of 2015-11-29; a title ending\n"
        "in a year also without it (`Politiewet 2012` / `Politiewet`)."
    ),
    "register-eu-programmes.tsv": "EU funding programmes of the 2014-2020 MFF with their budget-line abbreviations.",
    "register-politicians.tsv": (
        "Members of the Tweede Kamer and Eerste Kamer, ministers and state secretaries (full names)."
    ),
}

PROVENANCE = {
    "register-organisations.tsv": "ROO via anneschuth/polder @82b2d3b (ROO retrieved 2026-05-16), CC0-1.0",
    "register-organisations-local.tsv": "ROO via anneschuth/polder @82b2d3b (ROO retrieved 2026-05-16), CC0-1.0",
    "register-places.tsv": "ROO + TOOI + Wikidata via anneschuth/polder @82b2d3b (2026-05-16), CC0-1.0",
    "register-parties.tsv": (
        "ParlaMint-NL listOrg (clarin-eric/ParlaMint @d4773f3, CC BY 4.0, attribution: ParlaMint,\n"
        "# CLARIN ERIC) and polder's TK/EK mandates (@82b2d3b, CC0-1.0)"
    ),
    "register-laws.tsv": (
        "BWB titles via statengeneraal/laws-markdown @91556a8 (2015-11-29); statutory texts carry no\n"
        "# copyright (Auteurswet art. 11)"
    ),
    "register-eu-programmes.tsv": (
        "EOSC-PLATFORM/vocabulary @bb1fba7 (_vocabularies/FUNDING_PROGRAM.rst, 2023-08-30); no licence\n"
        "# stated, EU programme names are facts (Commission Decision 2011/833/EU)"
    ),
    "register-politicians.tsv": "polder personen (TK OData, eerstekamer.nl, Wikidata P39) @82b2d3b, CC0-1.0",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, default=ROOT.parent / "shared/reference")
    ap.add_argument("--out", type=Path, default=ROOT / "models/gazetteers")
    ap.add_argument(
        "--unfiltered",
        action="store_true",
        help="keep the ambiguous one-word names (to measure what the filter does; not shipped)",
    )
    args = ap.parse_args()
    ref = args.reference
    common = load_lexicon()
    surnames = set()
    for r in rows(ref / "politici/politici.tsv"):
        fam = clean(r["family_name"]).split()
        if len(fam) == 1:
            surnames.add(fam[0].lower())
    b = Builder(set() if args.unfiltered else common, set() if args.unfiltered else surnames, load_hand())
    sources = {
        "register-organisations.tsv": org_items(ref, ORG_CORE, "core"),
        "register-organisations-local.tsv": org_items(ref, ORG_LOCAL, "local"),
        "register-places.tsv": place_items(ref),
        "register-parties.tsv": party_items(ref),
        "register-laws.tsv": law_items(ref),
        "register-eu-programmes.tsv": eu_items(ref),
        "register-politicians.tsv": politician_items(ref),
    }
    for file, items in sources.items():
        lines = b.entries(file, items)
        head = "\n".join("# " + l for l in HEADERS[file].split("\n"))
        text = (
            f"{head}\n"
            f"# Source: {PROVENANCE[file]}.\n"
            "# Generated by scripts/gazetteers/build.py from ../shared/reference (see\n"
            "# models/gazetteers/README.md); do not edit by hand, rerun the script.\n"
            "# Format: name<TAB>LABEL<TAB>canonical-id<TAB>aliases separated by |<TAB>same-as IRI\n"
        )
        (args.out / file).write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
        forms = sum(1 + (len(l.split("\t")[3].split("|")) if l.split("\t")[3] else 0) for l in lines)
        print(f"{file}: {len(items)} register items, {len(lines)} entries, {forms} forms")
    for (src, why), forms in sorted(b.dropped.items()):
        print(f"  dropped from {src}: {len(forms)} forms, {why} (e.g. {', '.join(sorted(set(forms))[:8])})")


if __name__ == "__main__":
    main()
