"""Spark integration (extra ``[spark]``): a mentions column for a DataFrame's text column.

The glossary travels inside the UDF itself, as compressed JSON (about 110 kB for the bundled
one), never through ``sparkContext`` (a broadcast), which Spark Connect sessions do not have.
Each executor's Python worker builds one Tagger from it on first use and keeps it for every
later row, task and column over the same glossary (never one per row). Only munitag itself must
be installed on the executors.
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
    check_scope(context)
    packed = _Packed.of(glossary if isinstance(glossary, Glossary) else load_glossary(glossary))

    def tag(value: str | None) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        return [m.to_dict() for m in packed.tagger(context).tag(value, overlapping=overlapping)]

    return F.udf(tag, MENTIONS_TYPE, useArrow=False)(F.col(text) if isinstance(text, str) else text)


def add_mentions(df: DataFrame, text_col: str, output_col: str = "mentions", **options: Any) -> DataFrame:
    """``df`` with ``output_col`` holding the mentions of ``text_col`` (see ``mentions_column``)."""
    return df.withColumn(output_col, mentions_column(text_col, **options))
