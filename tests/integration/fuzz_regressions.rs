//! Replays every input the fuzzers found (`fuzz/regressions/<target>/`) and every seed
//! (`fuzz/seeds/<target>/`) against the same checks the fuzz targets run, so that a fixed crash
//! stays fixed. See docs/reliability.md.

use crate::fuzzing;

use std::fs;
use std::path::Path;

use nl_ner::CrfTagger;

#[test]
fn every_fuzz_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for ((target, check), kind) in fuzzing::TARGETS
        .iter()
        .flat_map(|t| [(t, "seeds"), (t, "regressions")])
    {
        let dir = root.join(kind).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(
                outcome.is_ok(),
                "fuzz regression {} fails again",
                file.display()
            );
            replayed += 1;
        }
    }
    assert!(
        replayed >= fuzzing::TARGETS.len(),
        "too few inputs under {}",
        root.display()
    );
}

/// The model target starts from a seed that loads; otherwise the fuzzer would spend its time on
/// header errors.
#[test]
fn the_model_seed_is_a_valid_model() {
    let seed =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/model/tiny-person-model"))
            .unwrap();
    let tagger = CrfTagger::from_bytes(&fuzzing::model_file(&seed), Path::new("seed"));
    assert_eq!(
        tagger.map(|t| t.tags().len()).map_err(|e| e.report()),
        Ok(3)
    );
}

/// How many mutants of each seed each reader gets in [`readers_survive_mutated_seeds`]; more
/// with `NL_NER_MUTANTS=N` for a longer search on a stable compiler (real fuzzing, which needs
/// cargo-fuzz and a nightly compiler, is `fuzz/run.sh`).
const MUTANTS: usize = 24;

/// A poor man's fuzzer that runs on stable Rust and in CI: every format reader's fuzz check on
/// every reader seed (a PDF fed to the XML reader too) and on mutants of them (bytes flipped,
/// cut, repeated, inserted), from a fixed random seed so that a failure comes back.
#[test]
fn readers_survive_mutated_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut seeds = Vec::new();
    for target in fuzzing::READERS {
        let mut files: Vec<_> = fs::read_dir(root.join(target))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        seeds.extend(files.into_iter().map(|f| fs::read(f).unwrap()));
    }
    let mutants: usize = std::env::var("NL_NER_MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MUTANTS);
    let checks: Vec<(&str, fuzzing::Check)> = fuzzing::TARGETS
        .iter()
        .filter(|(name, _)| fuzzing::READERS.contains(name))
        .copied()
        .collect();
    assert_eq!(checks.len(), fuzzing::READERS.len());
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    for (i, seed) in seeds.iter().enumerate() {
        for m in 0..=mutants {
            let data = if m == 0 {
                seed.clone()
            } else {
                mutate(seed, &mut rng)
            };
            for (name, check) in &checks {
                let outcome = std::panic::catch_unwind(|| check(&data));
                assert!(
                    outcome.is_ok(),
                    "reader {name} fails on mutant {m} of seed {i} (NL_NER_MUTANTS={mutants})"
                );
            }
        }
    }
}

/// xorshift64: a fixed, portable stream of random numbers.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// A copy of `seed` with one to eight random edits, as libFuzzer's mutators make them.
fn mutate(seed: &[u8], rng: &mut u64) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=next(rng) % 8 {
        let len = data.len().max(1) as u64;
        let at = (next(rng) % len) as usize;
        match next(rng) % 5 {
            0 if !data.is_empty() => data[at] ^= 1 << (next(rng) % 8),
            1 if !data.is_empty() => data[at] = next(rng) as u8,
            2 => data.truncate(at),
            3 => {
                let end = (at + 1 + (next(rng) % 64) as usize).min(data.len());
                let chunk = data.get(at..end).unwrap_or_default().to_vec();
                data.splice(at..at, chunk);
            }
            _ => {
                let byte = *b"0()<>/ \n9%"
                    .get((next(rng) % 10) as usize)
                    .unwrap_or(&b'0');
                data.insert(at.min(data.len()), byte);
            }
        }
    }
    data
}
