"""Spark integration (extra ``[spark]``): a mentions column for a DataFrame's text column.

The glossary travels inside the UDF itself, as compressed JSON (about 110 kB for the bundled
one), never through ``sparkContext`` (a broadcast), which Spark Connect sessions do not have.
Each executor's Python worker builds one Tagger from it on first use and keeps it for every
later row, task and column over the same glossary (never one per row). Only munitag itself must
be installed on the executors.

Two ways to run the tagging: ``udf="row"`` (default), a plain Python UDF whose values travel
between the JVM and Python pickled, row by row; and ``udf="arrow"``, a ``pandas_udf`` that gets
and returns whole Arrow batches (``spark.sql.execution.arrow.maxRecordsPerBatch`` rows, 10,000
by default), which needs pyarrow and pandas on the driver and the executors (pyspark's
``sql``/``connect`` extras). Both give the same column; ``bench/spark.py`` measures them.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .context import check_scope
from .glossary import Glossary
from .loader import load_glossary
from .matcher import Tagger

UDF_KINDS = ("row", "arrow")

#: Type of the added column: one struct per mention, fields as in ``Mention.to_dict()``; ``start``
#: and ``end`` are code-point offsets into the text, ``variant_of`` and ``family`` may be null.
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

_TAGGERS: dict[tuple[str, str], Tagger] = {}  # per executor Python worker: (glossary digest, context) -> Tagger


@dataclass(frozen=True)
class _Packed:
    """A glossary as it travels to the executors: compressed JSON, its digest and its origin."""

    data: bytes
    digest: str
    origin: str

    @classmethod
    def of(cls, glossary: Glossary) -> _Packed:
        data = zlib.compress(json.dumps(glossary.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        return cls(data, hashlib.sha256(data).hexdigest(), str(glossary.path))

    def tagger(self, context: str) -> Tagger:
        """This worker's Tagger over the glossary, built on first use."""
        tagger = _TAGGERS.get((self.digest, context))
        if tagger is None:
            glossary = Glossary.from_dict(json.loads(zlib.decompress(self.data)), Path(self.origin))
            tagger = _TAGGERS[(self.digest, context)] = Tagger(glossary, context=context)
        return tagger


def mentions_column(
    text: Column | str, glossary: str | Path | Glossary | None = None, *, overlapping: bool = False, context: str = "paragraph",
    udf: str = "row",
) -> Column:
    """A Column of mentions (``MENTIONS_TYPE``) of the string column ``text``; null text gives null.

    Args:
        text: The text column (name or Column).
        glossary: A glossary directory or loaded Glossary; None for the bundled one.
        overlapping: Every candidate instead of the leftmost-longest selection.
        context: Context scope of ambiguous aliases (``sentence``, ``paragraph``, ``document``:
            each value is one document).
        udf: ``row`` (a Python UDF, rows pickled one by one) or ``arrow`` (a ``pandas_udf`` over
            Arrow batches; needs pyarrow and pandas). The column is the same either way.

    Raises:
        ValueError: an unknown ``udf`` or ``context``.
    """
    check_scope(context)
    if udf not in UDF_KINDS:
        raise ValueError(f"udf must be one of {', '.join(UDF_KINDS)}, not '{udf}'")
    packed = _Packed.of(glossary if isinstance(glossary, Glossary) else load_glossary(glossary))
    column = F.col(text) if isinstance(text, str) else text

    def tag(value: str | None) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        return [m.to_dict() for m in packed.tagger(context).tag(value, overlapping=overlapping)]

    if udf == "row":
        return F.udf(tag, MENTIONS_TYPE, useArrow=False)(column)

    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    def tag_batch(values: Any) -> Any:
        return pd.Series([tag(v) for v in values], dtype=object)

    tag_batch.__annotations__ = {"values": pd.Series, "return": pd.Series}  # how pandas_udf tells a Series-to-Series UDF
    return F.pandas_udf(tag_batch, MENTIONS_TYPE)(column)  # type: ignore[call-overload]  # the stubs want functionType; the hints give it


def add_mentions(df: DataFrame, text_col: str, output_col: str = "mentions", **options: Any) -> DataFrame:
    """``df`` with ``output_col`` holding the mentions of ``text_col`` (see ``mentions_column``)."""
    return df.withColumn(output_col, mentions_column(text_col, **options))
