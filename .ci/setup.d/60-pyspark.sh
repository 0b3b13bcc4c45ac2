# PySpark (Spark in local mode, with its own jars) for tests/integration/spark.rs: the Spark driver in
# scripts/spark/ runs `nl-ner extract -` as an RDD.pipe stage. Needs Java 17 (on the CI machine).
if ! python3 -c 'import pyspark' 2>/dev/null; then
    # A Debian python3 refuses system-wide installs (PEP 668); CI's machine is disposable.
    python3 -m pip install --quiet 'pyspark>=3.5,<5' \
        || python3 -m pip install --quiet --break-system-packages 'pyspark>=3.5,<5'
fi
