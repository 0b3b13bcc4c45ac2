#!/usr/bin/env python3
"""Throughput of the Python binding's `Pipeline.annotate_many` beside `nl-ner extract`'s, in one run.

Uses the corpus of benches/end_to_end.sh (target/bench/corpus-MIN_TOKENS.jsonl, made here the same
way when missing) and the release binary (target/release/nl-ner). RUNS rounds, alternating, each
timing:
  cli            `nl-ner extract CORPUS -o /dev/null --threads THREADS`: read, annotate, write JSONL
  python         `annotate_many(texts)` over the texts (read beforehand), `to_json()` of each
                 document: the binding's annotate and write, without reading
  python+io      the whole job in Python: read the JSONL file, `json.loads` each line,
                 `annotate_many(records)`, write each `to_json()` line to /dev/null
and prints one Markdown row per kind: the median wall time, tokens/s (tokens from the CLI's
summary line) and the ratio to the CLI.

Usage (with the venv of .ci/setup.d/75-python-wheel.sh, where nl_ner is installed):
    ~/.cache/nl-ner/venv/bin/python benches/python_throughput.py [MIN_TOKENS (2000000)] [RUNS (3)] [THREADS (2)]
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nl_ner

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "target/release/nl-ner"


def corpus(min_tokens):
    work = ROOT / "target/bench"
    path = work / f"corpus-{min_tokens}.jsonl"
    if not path.exists() or path.stat().st_size == 0:
        work.mkdir(parents=True, exist_ok=True)
        texts = work / "corpus-texts.jsonl"
        with open(texts, "wb") as out:
            subprocess.run([BIN, "extract", "corpus/", "--quiet"], cwd=ROOT, stdout=out, check=True)
        subprocess.run([sys.executable, "benches/make_corpus.py", str(min_tokens), path, texts], cwd=ROOT, check=True)
    return path


def run_cli(path, threads):
    started = time.perf_counter()
    out = subprocess.run(
        [BIN, "extract", path, "-o", "/dev/null", "--threads", str(threads)], capture_output=True, text=True, check=True
    )
    took = time.perf_counter() - started
    tokens = int(re.search(r" (\d+) tokens,", out.stderr).group(1))
    return took, tokens


def run_python(pipe, texts):
    started = time.perf_counter()
    n = 0
    for doc in pipe.annotate_many(texts):
        n += len(doc.to_json())
    return time.perf_counter() - started


def run_python_io(pipe, path):
    started = time.perf_counter()
    with open(path, encoding="utf-8") as f, open(os.devnull, "w", encoding="utf-8") as out:
        records = (json.loads(line) for line in f if line.strip())
        for doc in pipe.annotate_many(records):
            out.write(doc.to_json())
            out.write("\n")
    return time.perf_counter() - started


def main():
    min_tokens = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    assert BIN.is_file(), "build the binary first: cargo build --release"
    path = corpus(min_tokens)
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    pipe = nl_ner.Pipeline(threads=threads)
    times = {"cli": [], "python": [], "python+io": []}
    tokens = 0
    for _ in range(runs):
        took, tokens = run_cli(path, threads)
        times["cli"].append(took)
        times["python"].append(run_python(pipe, texts))
        times["python+io"].append(run_python_io(pipe, path))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"corpus: {path.relative_to(ROOT)}, {len(texts)} documents, {tokens} tokens; {threads} threads; load {load}")
    print()
    print(f"| kind | wall s (median of {runs}) | tokens/s | against the CLI |")
    print("|---|---|---|---|")
    cli = statistics.median(times["cli"])
    for kind, values in times.items():
        median = statistics.median(values)
        print(f"| {kind} | {median:.2f} | {tokens / median:,.0f} | {cli / median:.0%} |")


if __name__ == "__main__":
    main()
