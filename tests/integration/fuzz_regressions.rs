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
