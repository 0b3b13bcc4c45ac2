//! The Spark driver (`scripts/spark/nl_ner_spark.py`) in Spark local mode over a sharded corpus:
//! the union of the shards' output, in part order, is byte for byte what `nl-ner extract` writes
//! on one machine.
//!
//! Needs `pyspark` for `python3` (installed in CI by `.ci/setup.d/60-pyspark.sh`) and Java: ignored
//! in a plain `cargo test`, and run with `--include-ignored`, when it fails without pyspark.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{missing, root, run, stderr};

fn pyspark_available() -> bool {
    Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Writes the corpus texts as `shards` JSONL files, round robin, each line with an id.
fn write_shards(dir: &Path, shards: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for sub in ["letters", "moties"] {
        let mut paths: Vec<_> = fs::read_dir(root().join("corpus").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            let id = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
            texts.push(
                serde_json::json!({"id": id, "text": fs::read_to_string(&p).unwrap(), "bron": sub}),
            );
        }
    }
    assert!(texts.len() > 200);
    (0..shards)
        .map(|k| {
            let path = dir.join(format!("shard-{k}.jsonl"));
            let lines: String = texts
                .iter()
                .skip(k)
                .step_by(shards)
                .map(|d| format!("{d}\n"))
                .collect();
            fs::write(&path, lines).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
#[ignore = "needs PySpark: .ci/setup.d/60-pyspark.sh"]
fn spark_local_mode_output_equals_single_machine_output() {
    if !pyspark_available() {
        missing(
            "pyspark for python3",
            "python3 -m pip install pyspark, or bash .ci/setup.d/60-pyspark.sh",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let shards = write_shards(dir.path(), 4);
    let single_path = dir.path().join("single.jsonl");
    let mut args = vec!["extract", "--quiet", "-o", single_path.to_str().unwrap()];
    args.extend(shards.iter().map(String::as_str));
    let single = run(&args);
    assert!(single.status.success(), "{}", stderr(&single));

    let out_dir = dir.path().join("spark-out");
    let spark = Command::new("python3")
        .arg(root().join("scripts/spark/nl_ner_spark.py"))
        .args([
            "--master",
            "local[2]",
            "--partitions",
            "6",
            "--binary",
            env!("CARGO_BIN_EXE_nl-ner"),
        ])
        .args(&shards)
        .arg(&out_dir)
        .current_dir(dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        spark.status.success(),
        "the Spark driver failed:\n{}",
        stderr(&spark)
    );

    let mut parts: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(
        parts.len() >= 4,
        "one part or more per shard, found {}",
        parts.len()
    );
    let union: Vec<u8> = parts.iter().flat_map(|p| fs::read(p).unwrap()).collect();
    let expected = fs::read(&single_path).unwrap();
    assert_eq!(
        union.iter().filter(|&&b| b == b'\n').count(),
        expected.iter().filter(|&&b| b == b'\n').count(),
        "one line per document"
    );
    assert!(
        union == expected,
        "the shards' output differs from the single-machine output"
    );
}
