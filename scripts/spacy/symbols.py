"""Writes crates/nl-ner-io/src/export/spacy_symbols.rs: spaCy's symbol table (`spacy.symbols.IDS`).

A DocBin stores strings as keys of spaCy's StringStore: a string in the symbol table has its
symbol id as key (`ORG` is 383), every other string the 64-bit MurmurHash of its UTF-8 bytes.
The table is part of spaCy's binary format and the same in every spaCy 3 release.

Run with a Python that has spaCy: python scripts/spacy/symbols.py > crates/nl-ner-io/src/export/spacy_symbols.rs
"""

import spacy
from spacy.symbols import IDS

print(f"//! spaCy's symbol table (`spacy.symbols.IDS`, {len(IDS)} strings), written by")
print(f"//! `scripts/spacy/symbols.py` with spaCy {spacy.__version__}: the strings whose StringStore key is")
print("//! their symbol id rather than their hash. Sorted by name for binary search.")
print()
print("/// `(string, symbol id)`, sorted by string.")
print("pub(super) const SYMBOLS: &[(&str, u64)] = &[")
for name, i in sorted(IDS.items(), key=lambda kv: kv[0].encode("utf-8")):
    print(f"    ({name!r}, {i}),".replace("'", '"'))
print("];")
