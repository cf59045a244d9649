"""File names as shown to people: control characters escaped, everything else as it is."""

from __future__ import annotations

_ESCAPES = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_TABLE = {code: _ESCAPES.get(code, f"\\x{code:02x}") for code in (*range(0x20), *range(0x7F, 0xA0))}


def shown_name(name: str) -> str:
    """``name`` with ``\\n``, ``\\r``, ``\\t`` and every other C0/C1 control or DEL escaped
    (``\\x1b``), so it stays on one line and cannot drive a terminal; other Unicode, and
    backslashes, are left as they are."""
    return name.translate(_TABLE)
