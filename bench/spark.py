"""Spark: the row UDF against the Arrow (``pandas_udf``) one, ``python -m bench.spark``.

Tags the paragraphs of the benchmark corpus (one row each, about 600 characters, a planted
alias about every 2,000 characters) on a local Spark session (``local[2]`` by default), with
``mentions_column(..., udf="row")`` and ``udf="arrow"``. The rows are cached in the JVM first;
each way runs once untimed (worker start, the Tagger built in each worker), then ``--repeat``
timed runs that write the column to Spark's ``noop`` sink, so the whole column is computed and
moved back to the JVM but nothing is collected. Prints rows/s (best and median) per way, and
checks that both ways gave the same number of mentions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from munitag import load_glossary
from munitag.spark import UDF_KINDS, mentions_column

from .corpus import paragraphs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000, help="paragraphs to tag (default 40,000, about 25 MB)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per way (default 3)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--cut", type=int, default=0, metavar="N", help="cut each paragraph to its first N characters (short rows: posts, titles)")
    args = parser.parse_args(argv)

    glossary = load_glossary()
    aliases = sorted({a.text for e in glossary for a in e.aliases if not a.ambiguous and not a.case_sensitive})
    texts = []
    for paragraph in paragraphs(10**10, aliases):
        texts.append(paragraph[: args.cut] if args.cut else paragraph)
        if len(texts) == args.rows:
            break

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master).appName("munitag-bench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.createDataFrame([(t,) for t in texts], "text STRING").repartition(4).cache()
    df.count()

    results: dict[str, dict[str, float]] = {}
    mentions: dict[str, int] = {}
    for kind in UDF_KINDS:
        column = mentions_column("text", glossary, udf=kind)
        tagged = df.select(column.alias("mentions"))
        mentions[kind] = tagged.select(F.sum(F.size("mentions"))).first()[0]  # untimed: warm-up, and the count to compare
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            tagged.write.format("noop").mode("overwrite").save()
            times.append(time.perf_counter() - start)
        results[kind] = {"best_rows_per_s": round(args.rows / min(times)), "median_rows_per_s": round(args.rows / statistics.median(times))}
    spark.stop()

    report = {
        "rows": args.rows, "cut": args.cut, "characters": sum(map(len, texts)), "master": args.master, "repeat": args.repeat,
        "mentions": mentions, "results": results, "python": platform.python_version(), "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=1))
    if len(set(mentions.values())) != 1:
        print("the two ways found different numbers of mentions", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
