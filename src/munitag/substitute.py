"""Rewriting a text with each mention replaced: by the entry's name, id or category, or a mask.

Only the characters of each mention change (its exact span, ``text[start:end]``); everything
between mentions is copied unchanged. Of overlapping mentions the first (the longest at the
leftmost start, in ``Tagger.tag`` order) is replaced and the others are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

#: What ``Tagger.replace`` and ``munitag tag --replace`` can put in place of a mention.
REPLACEMENTS = ("name", "id", "category")
#: The mask of ``Tagger.redact`` and ``munitag tag --redact``.
DEFAULT_MASK = "[REDACTED:{category}]"


class _Mention(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    def to_dict(self) -> dict[str, Any]: ...


def replacement(by: str | Callable[[Any], str]) -> Callable[[Any], str]:
    """The function giving a mention's replacement: ``name``, ``id`` or ``category`` of its entry,
    or ``by`` itself when it is callable (it gets the ``Mention``).

    Raises:
        ValueError: ``by`` is another string.
    """
    if callable(by):
        return by
    if by not in REPLACEMENTS:
        raise ValueError(f"replace by one of {', '.join(REPLACEMENTS)} (or give a function of the mention), not {by!r}")
    return lambda m: str(m.to_dict()[by])


def masking(template: str) -> Callable[[Any], str]:
    """The function giving a mention's mask: ``template`` with ``{field}`` filled from
    ``Mention.to_dict()`` (``{category}``, ``{id}``, ``{kind}``, ``{text}`` ...).

    Raises:
        ValueError: ``template`` names a field a mention does not have, or is malformed.
    """
    sample = dict.fromkeys(("start", "end", "text", "id", "name", "kind", "category", "origin", "alias", "variant_of", "family"), "")
    try:
        template.format_map(sample)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"mask {template!r} is not usable: {exc!r}; fields are {', '.join(sample)}") from None
    return lambda m: template.format_map(m.to_dict())


def substituted(text: str, mentions: Iterable[_Mention], by: Callable[[Any], str]) -> str:
    """``text`` with each of ``mentions`` (sorted by start, longest first) replaced by ``by(mention)``."""
    out, pos = [], 0
    for m in mentions:
        if m.start < pos:  # overlaps a mention already replaced
            continue
        out += [text[pos : m.start], by(m)]
        pos = m.end
    out.append(text[pos:])
    return "".join(out)
