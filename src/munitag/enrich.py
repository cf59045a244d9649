"""JSON Lines enrichment: add the mentions of a text field to each record, keep everything else."""

from __future__ import annotations

import json
from typing import Any

from .matcher import Tagger

_MISSING = object()


def field_value(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` (``body.text``) in nested objects, or ``_MISSING``."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def enrich_line(tagger: Tagger, line: str, field: str, into: str) -> tuple[str, str | None]:
    """The output line for one input line, and what is wrong with it (None when nothing is).

    A good record gains ``into``: its mentions as ``Mention.to_dict()``. A line that is not a
    JSON object with a string at ``field`` is returned unchanged, with the problem, so output
    line N is always input line N. Blank lines pass through silently.
    """
    body = line.rstrip("\r\n")
    if not body.strip():
        return line, None
    try:
        record = json.loads(body)
    except ValueError as exc:
        return _as_line(line), f"not JSON ({getattr(exc, 'msg', exc)}, column {getattr(exc, 'colno', '?')})"
    if not isinstance(record, dict):
        return _as_line(line), "not a JSON object"
    text = field_value(record, field)
    if text is _MISSING:
        return _as_line(line), f"no field '{field}'"
    if not isinstance(text, str):
        return _as_line(line), f"field '{field}' holds {type(text).__name__}, not text"
    record[into] = [m.to_dict() for m in tagger.tag(text)]
    return json.dumps(record, ensure_ascii=False) + "\n", None


def _as_line(line: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + "\n"
