"""The Spark helper on a local Spark session: the column equals Tagger.tag, one Tagger per worker."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from munitag import Tagger
from munitag.spark import add_mentions

TEXTS = [
    "Sappers found a PFM-1 «Лепесток» and two MON‑50s.",
    "Найдены мины ПФМ-1 и МОН-50; в селе — «Лепестки».",
    "Nothing here.",
    None,
    "Сапери знайшли протипіхотні міни ПФМ-1 та «Пелюстку» біля ТМ-62М.",
] * 8


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run the interpreter munitag is installed in
    session = (
        SparkSession.builder.master("local[2]").appName("munitag-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_mentions_column_equals_tagger(spark: SparkSession, bundled: Tagger) -> None:
    df = spark.createDataFrame([(i, t) for i, t in enumerate(TEXTS)], "id INT, body STRING").repartition(4)
    rows = add_mentions(df, "body").orderBy("id").collect()
    assert [r["id"] for r in rows] == list(range(len(TEXTS)))
    for row in rows:
        text = TEXTS[row["id"]]
        if text is None:
            assert row["mentions"] is None
            continue
        assert [m.asDict() for m in row["mentions"]] == [m.to_dict() for m in bundled.tag(text)]
    assert sum(len(r["mentions"] or []) for r in rows) > 40


def test_one_tagger_per_worker_not_per_row(spark: SparkSession) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    def probe(_: object) -> str:  # runs in the same Python worker, right after the mentions UDF
        import os

        from munitag import spark as munitag_spark

        return f"{os.getpid()}:{sorted(id(t) for t in munitag_spark._TAGGERS.values())}"

    rows = [(t,) for t in TEXTS if t] * 10
    df = add_mentions(spark.createDataFrame(rows, "body STRING").repartition(4), "body")
    seen = [r[0] for r in df.select(F.udf(probe, T.StringType(), useArrow=False)(F.col("mentions"))).collect()]
    assert len(seen) == len(rows)
    by_worker: dict[str, set[str]] = {}
    for line in seen:
        pid, taggers = line.split(":", 1)
        by_worker.setdefault(pid, set()).add(taggers)
    assert len(by_worker) < len(rows) / 4
    assert all(len(states) == 1 and states != {"[]"} for states in by_worker.values())  # one Tagger, reused for every row
