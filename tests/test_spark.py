"""The Spark helper on a local Spark session: the column equals Tagger.tag, one Tagger per worker."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

import munitag
from munitag import Tagger
from munitag.spark import add_mentions, mentions_column

from .conftest import FIXTURE_GLOSSARY

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


def test_arrow_udf_gives_the_same_column_as_the_row_udf(spark: SparkSession, bundled: Tagger) -> None:
    """``udf="arrow"`` (a pandas_udf over Arrow batches) and the row UDF agree value for value:
    nulls, empty text, astral characters before a mention, overlapping candidates."""
    texts = [*TEXTS[:5], "", "🙂🙂 BLU-97/B and a PFM-1"] * 3
    df = spark.createDataFrame(list(enumerate(texts)), "id INT, body STRING").repartition(3)
    both = (
        add_mentions(df, "body", "by_row", overlapping=True)
        .withColumn("by_arrow", mentions_column("body", overlapping=True, udf="arrow"))
        .orderBy("id").collect()
    )
    assert [r["by_row"] for r in both] == [r["by_arrow"] for r in both]
    for row in both:
        text = texts[row["id"]]
        expected = None if text is None else [m.to_dict() for m in bundled.tag(text, overlapping=True)]
        assert (None if row["by_arrow"] is None else [m.asDict() for m in row["by_arrow"]]) == expected
    assert any(len(r["by_arrow"] or []) >= 3 for r in both)
    with pytest.raises(ValueError, match="udf must be one of row, arrow"):
        mentions_column("body", udf="pandas")


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


def test_the_helper_never_touches_the_spark_context(spark: SparkSession, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spark Connect sessions have no ``sparkContext``: munitag must not ask for it (pyspark's own
    classic UDF machinery still may, so only calls from munitag's code are refused)."""
    classic = SparkSession.sparkContext

    def guarded(session: SparkSession) -> object:
        if sys._getframe(1).f_globals.get("__name__", "").startswith("munitag"):
            raise AttributeError("sparkContext is not available under Spark Connect")
        return classic.fget(session)  # type: ignore[attr-defined]

    monkeypatch.setattr(SparkSession, "sparkContext", property(guarded))
    df = spark.createDataFrame([("A PFM-1 and a MON-50.",)], "body STRING")
    rows = add_mentions(df, "body", glossary=FIXTURE_GLOSSARY).collect()
    assert [m["id"] for m in rows[0]["mentions"]] == ["pfm-1", "mon-50"]


def test_the_glossary_travels_inside_the_udf(spark: SparkSession, tmp_path: Path) -> None:
    """The executors never read the glossary directory: it may be gone once the column is built."""
    copy = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, copy)
    df = add_mentions(spark.createDataFrame([("A PFM-1 near a TM-62.",)], "body STRING"), "body", glossary=copy)
    shutil.rmtree(copy)
    assert [m["id"] for m in df.collect()[0]["mentions"]] == ["pfm-1"]  # TM-62 is only in the bundled glossary


def test_the_readme_example_runs_whatever_python3_is_on_path(tmp_path: Path) -> None:
    """Spark starts workers with the first python3 on PATH unless told otherwise: the README's
    example must point them at its own interpreter."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme[readme.index("### Spark") :], re.S).group(1)  # type: ignore[union-attr]
    (tmp_path / "posts.jsonl").write_text('{"text": "Sappers found a PFM-1 and two MON-50s."}\n', encoding="utf-8")
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    for name in ("python", "python3"):
        (stand_ins / name).write_text("#!/bin/sh\necho 'a python3 without munitag' >&2\nexit 1\n")
        (stand_ins / name).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    env["PATH"] = os.pathsep.join([str(stand_ins), env.get("PATH", "")])
    package_root = str(Path(munitag.__file__).parents[1])  # the munitag under test, installed or not
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"\|\s*pfm-1\|\s*1\|", proc.stdout) and re.search(r"\|\s*mon-50\|\s*1\|", proc.stdout), proc.stdout


def test_the_helper_runs_under_spark_connect(tmp_path: Path) -> None:
    """A real Spark Connect session (a local server started by pyspark, no sparkContext at all):
    the column equals Tagger.tag there too. Its own process, as one process holds one kind of session."""
    code = f"""
import json, os, sys
os.environ["PYSPARK_PYTHON"] = sys.executable
from pyspark.sql import SparkSession
from munitag.spark import add_mentions
spark = SparkSession.builder.remote("local[1]").getOrCreate()
assert type(spark).__module__.startswith("pyspark.sql.connect"), type(spark)
texts = {[t for t in TEXTS[:5] if t]!r}
df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id INT, body STRING")
rows = add_mentions(df, "body", glossary={str(FIXTURE_GLOSSARY)!r}).orderBy("id").collect()
print(json.dumps([[m.asDict() for m in r["mentions"]] for r in rows], ensure_ascii=False))
spark.stop()
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    tagger = Tagger(FIXTURE_GLOSSARY)
    assert got == [[m.to_dict() for m in tagger.tag(t)] for t in TEXTS[:5] if t]
    assert sum(map(len, got)) >= 4


def test_the_readme_documents_the_mentions_schema() -> None:
    """The README's table of the mentions column lists MENTIONS_TYPE's fields, types and nullability."""
    from munitag.spark import MENTIONS_TYPE

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Spark") : readme.index("## Performance")]
    documented = {}
    for line in re.findall(r"^\| (`.*?) \| (.*?) \| (yes|no) \|", section, re.MULTILINE):
        for name in re.findall(r"`(\w+)`", line[0]):
            documented[name] = (line[1].replace("&lt;", "<").replace("&gt;", ">"), line[2] == "yes")
    names = {"IntegerType()": "int", "StringType()": "string", "ArrayType(StringType(), True)": "array<string>"}
    actual = {f.name: (names[repr(f.dataType)], f.nullable) for f in MENTIONS_TYPE.elementType.fields}
    assert documented == actual
