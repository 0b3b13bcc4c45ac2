#!/usr/bin/env python3
"""Annotate a sharded JSONL corpus with nl-ner on Spark: every partition is piped through
`nl-ner extract -` (RDD.pipe), one JSONL document in, one JSONL line out, in order.

Local mode (what tests/integration/spark.rs runs):

    python3 scripts/spark/nl_ner_spark.py --master 'local[2]' \
        --binary "$PWD/target/release/nl-ner" shards/part-*.jsonl out/

On a cluster, ship the binary with the job and name it relative to the executors' working
directory (YARN and Kubernetes put `--files` there), or install it at the same path on every node:

    spark-submit --master yarn --files target/release/nl-ner \
        scripts/spark/nl_ner_spark.py --binary ./nl-ner hdfs:///corpus/*.jsonl hdfs:///out/

The output directory holds one `part-NNNNN` file per partition; read in name order they are the
input's documents in input order, byte for byte what `nl-ner extract` writes on one machine for
the same files (when every line has an `id`). See docs/spark.md.
"""

import argparse
import shlex
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="JSONL files, directories or globs (Hadoop paths), then the output directory")
    p.add_argument("--binary", default="./nl-ner",
                   help="nl-ner on the executors: a path that exists on every node, or ./nl-ner "
                        "when shipped with spark-submit --files (default: %(default)s)")
    p.add_argument("--master", help="Spark master (default: whatever spark-submit sets)")
    p.add_argument("--threads", type=int, default=1,
                   help="nl-ner worker threads per task; Spark already runs one task per core (default: 1)")
    p.add_argument("--partitions", type=int, default=None,
                   help="minimum number of input partitions (default: Spark's, one or more per file)")
    p.add_argument("--extract-args", default="",
                   help="more `nl-ner extract` options, e.g. '--no-domain' or '--gazetteer extra.tsv'")
    args = p.parse_args(argv)
    if len(args.inputs) < 2:
        p.error("give at least one input and the output directory")
    args.output = args.inputs.pop()
    return args


def command(args):
    """The pipe command, run on the executors. PySpark starts it with an empty environment (no
    PATH), so the binary is a path as the executors see it, never a bare name."""
    return shlex.join([
        args.binary, "extract", "-",
        "--input-format", "jsonl",
        "--error-records",   # a bad line is an error line, not a gap and not a failed task
        "--quiet",
        "--threads", str(args.threads),
    ] + shlex.split(args.extract_args))


def main(argv):
    args = parse_args(argv)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("nl-ner")
    if args.master:
        conf.setMaster(args.master)
    sc = SparkContext(conf=conf)
    try:
        # Comma-separated paths keep their order; each file is one or more partitions, in order.
        lines = sc.textFile(",".join(args.inputs), minPartitions=args.partitions)
        # Blank lines carry no document (nl-ner skips them too), so drop them before the pipe.
        docs = lines.filter(lambda line: line.strip() != "")
        # checkCode: a fatal nl-ner error (exit 2: model missing, output unwritable) fails the task,
        # and Spark retries it; bad documents are error lines with exit status 0.
        out = docs.pipe(command(args), checkCode=True)
        out.saveAsTextFile(args.output)
    finally:
        sc.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
