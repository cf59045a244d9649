"""Spark integration (extra ``[spark]``): a mentions column for a DataFrame's text column.

The glossary is broadcast once as JSON-ready data; each executor's Python worker builds one
Tagger from it on first use and keeps it for every later row and task (never one per row).
Only munitag itself must be installed on the executors; the glossary travels with the job.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .glossary import Glossary
from .loader import load_glossary
from .matcher import Tagger

#: Type of the added column: one struct per mention, fields as in ``Mention.to_dict()``.
MENTIONS_TYPE = T.ArrayType(
    T.StructType(
        [
            T.StructField("start", T.IntegerType(), False),
            T.StructField("end", T.IntegerType(), False),
            T.StructField("text", T.StringType(), False),
            T.StructField("id", T.StringType(), False),
            T.StructField("name", T.StringType(), False),
            T.StructField("kind", T.StringType(), False),
            T.StructField("category", T.StringType(), False),
            T.StructField("origin", T.ArrayType(T.StringType()), False),
            T.StructField("alias", T.StringType(), False),
            T.StructField("variant_of", T.StringType(), True),
            T.StructField("family", T.StringType(), True),
        ]
    )
)

_TAGGERS: dict[str, Tagger] = {}  # per executor Python worker: glossary token -> Tagger


def _tagger(token: str, broadcast: Any, context: str) -> Tagger:
    tagger = _TAGGERS.get(token)
    if tagger is None:
        tagger = _TAGGERS[token] = Tagger(Glossary.from_dict(broadcast.value, Path("glossary")), context=context)
    return tagger


def mentions_column(
    text: Column | str, glossary: str | Path | Glossary | None = None, *, overlapping: bool = False, context: str = "paragraph"
) -> Column:
    """A Column of mentions (``MENTIONS_TYPE``) of the string column ``text``; null text gives null.

    Args:
        text: The text column (name or Column).
        glossary: A glossary directory or loaded Glossary; None for the bundled one.
        overlapping: Every candidate instead of the leftmost-longest selection.
        context: Context scope of ambiguous aliases (``sentence``, ``paragraph``, ``document``:
            each value is one document).
    """
    from .context import check_scope

    check_scope(context)
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    if spark is None:
        raise RuntimeError("munitag.spark needs an active SparkSession")
    loaded = glossary if isinstance(glossary, Glossary) else load_glossary(glossary)
    shared = spark.sparkContext.broadcast(loaded.to_dict())
    token = uuid.uuid4().hex  # names this broadcast glossary in the executors' Tagger cache

    def tag(value: str | None) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        return [m.to_dict() for m in _tagger(token, shared, context).tag(value, overlapping=overlapping)]

    return F.udf(tag, MENTIONS_TYPE, useArrow=False)(F.col(text) if isinstance(text, str) else text)


def add_mentions(df: DataFrame, text_col: str, output_col: str = "mentions", **options: Any) -> DataFrame:
    """``df`` with ``output_col`` holding the mentions of ``text_col`` (see ``mentions_column``)."""
    return df.withColumn(output_col, mentions_column(text_col, **options))
