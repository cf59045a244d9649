"""Input names as shown in output: one line, whatever characters the file name holds."""

from __future__ import annotations

import re

# Control characters, the Unicode line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates (which reorder what follows them on screen).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_name(name: str) -> str:
    """``name`` with every control character (C0, DEL, C1), line or paragraph separator and
    bidirectional control written as a backslash escape (``\\n``, ``\\t``, ``\\x1b``,
    ``\\u2028``), so it can neither end a line of output nor rearrange or colour it; every other
    character, including letters of any script, stays as it is. Backslashes are kept as they are
    (Windows paths stay readable), so the escaping is for display, not a reversible encoding."""
    return _UNSAFE.sub(_escape, name)
