"""Making a failing text small: delete pieces, ever smaller, while it still fails."""

from __future__ import annotations

from collections.abc import Callable


def shrink(text: str, fails: Callable[[str], bool], tries: int = 3000) -> str:
    """A text no longer than ``text`` for which ``fails`` still holds: pieces of halving size
    are deleted while the failure stays (delta debugging on code points), at most ``tries`` calls."""
    size = max(1, len(text) // 2)
    while tries > 0:
        at, shrunk = 0, False
        while at < len(text) and tries > 0:
            candidate = text[:at] + text[at + size :]
            tries -= 1
            if fails(candidate):
                text, shrunk = candidate, True
            else:
                at += size
        if size == 1 and not shrunk:
            break
        size = max(1, size // 2)
    return text
