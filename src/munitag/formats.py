"""Machine-readable output of mentions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .matcher import Mention


def jsonl_record(source: str, mentions: Sequence[Mention]) -> str:
    """One JSON line: ``{"source": ..., "mentions": [mention.to_dict(), ...]}``."""
    return json.dumps({"source": source, "mentions": [m.to_dict() for m in mentions]}, ensure_ascii=False)
