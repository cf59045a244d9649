"""JSON Lines enrichment: add the mentions of a text field to each record, keep every byte of it.

A record is never re-serialised: it is parsed only to find its text, and the output is the input
line with one field spliced in before its closing ``}``. Numbers, key order, duplicate keys,
escapes and white space therefore come out exactly as they went in.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections import Counter
from typing import Any

from .matcher import Tagger

_SPACE = b" \t\r\n"  # JSON white space
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Object(dict[str, Any]):
    """A JSON object in which some keys (``twice``) are given more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.twice = frozenset(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    return found if len(found) == len(pairs) else _Object(pairs)


# Numbers and NaN/Infinity become their length: they are kept as written in the output, so their
# value never matters, and this way no number can fail to parse (1e400, a 5000-digit integer).
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=len, parse_int=len, parse_constant=len)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a number"
    return {type(None): "null", list: "an array"}.get(type(value), "an object")


def field_text(record: dict[str, Any], path: str) -> tuple[str | None, str | None]:
    """The string at a dotted ``path`` (``body.text``) of a record read by this module, or None
    and what is wrong: the field is missing, given more than once, or not a string."""
    value: Any = record
    parts = path.split(".")
    for depth, part in enumerate(parts, start=1):
        if not isinstance(value, dict) or part not in value:
            return None, f"no field '{path}'"
        if part in getattr(value, "twice", ()):
            return None, f"field '{'.'.join(parts[:depth])}' is given more than once, so which text to tag is unclear"
        value = value[part]
    if not isinstance(value, str):
        return None, f"field '{path}' holds {_kind(value)}, not text"
    return value, None


def enrich_line(tagger: Tagger, line: bytes, field: str, into: str, *, candidates: bool = False) -> tuple[bytes, str | None]:
    """The output line for one input line (bytes, as read), and what is wrong with it (None when
    nothing is).

    A JSON object with a string at the dotted path ``field`` gains a last field ``into``: its
    mentions as ``Mention.to_dict()``; every other byte of the line is kept, a UTF-8 byte order
    mark and a ``\\r\\n`` ending included. Any other line (not UTF-8, not JSON, not an object,
    nested too deeply, no string at ``field``, ``field`` given twice, ``into`` already there) is
    returned unchanged, with the problem, so output line N is always input line N. Blank lines
    pass through silently. The output always ends with ``\\n`` and is valid UTF-8 wherever the
    input line is (a lone surrogate in a mention is written as a ``\\uXXXX`` escape).
    """
    end = len(line.rstrip(_SPACE))
    if not end:
        return _as_line(line), None
    start = len(codecs.BOM_UTF8) if line.startswith(codecs.BOM_UTF8) else 0
    try:
        text = line[start:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        return _as_line(line), f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte {start + exc.start + 1} of the line)"
    try:
        record = _DECODER.decode(text)
    except ValueError as exc:
        column = getattr(exc, "colno", 0) + (start > 0)
        return _as_line(line), f"not JSON ({getattr(exc, 'msg', exc)}, column {column or '?'})"
    except RecursionError:
        return _as_line(line), "not read: nested too deeply"
    if not isinstance(record, dict):
        return _as_line(line), "not a JSON object"
    if into in record:
        return _as_line(line), f"it already has a field '{into}'; choose another name with --output-field"
    value, problem = field_text(record, field)
    if value is None:
        return _as_line(line), problem
    found = tagger.tag(value, candidates=True) if candidates else tagger.tag(value)
    mentions = _utf8(json.dumps([m.to_dict() for m in found], ensure_ascii=False))
    at = len(line[: end - 1].rstrip(_SPACE))  # after the last value (there is one: the text), before the closing brace
    return _as_line(line[:at] + b", " + _key(into) + mentions + line[at:]), None


@functools.lru_cache(maxsize=8)
def _key(name: str) -> bytes:
    return _utf8(json.dumps(name, ensure_ascii=False) + ": ")


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a "\ud800" escape: only JSON strings hold one
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def _as_line(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"
