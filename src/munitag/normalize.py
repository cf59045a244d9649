"""Length-preserving text folding and the separator variants of an alias.

Every function here maps one code point to exactly one code point, so an offset into a folded
string is the same offset into the original string.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
SPACES = "\t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
APOSTROPHES = "\u2018\u2019\u02bc\u2032\uff07"

_SHAPE: dict[int, str] = {}
_SHAPE.update({ord(c): "-" for c in DASHES})
_SHAPE.update({ord(c): " " for c in SPACES})
_SHAPE.update({ord(c): "'" for c in APOSTROPHES})
# Full-width ASCII forms (U+FF01..U+FF5E) count as their ASCII originals.
_SHAPE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if cp != 0xFF07 and cp != 0xFF0D})
_SHAPE.update({ord("ё"): "е", ord("Ё"): "Е"})

#: Applied after lower-casing: shape folding plus the letters ``lower()`` leaves ambiguous.
_FOLD = {k: v.lower() for k, v in _SHAPE.items()}
_FOLD[ord("ς")] = "σ"  # str.lower() picks final sigma by context; fold both to one letter

#: The one code point whose lower case is longer than one code point (U+0130 -> "i̇").
_EXPANDING = "\u0130"


def fold(text: str) -> str:
    """Fold case, dashes, spaces, apostrophes and full-width forms, one code point for one.

    ``len(fold(text)) == len(text)`` always holds, so offsets carry over unchanged.
    """
    if not text.isascii() and _EXPANDING in text:
        text = text.replace(_EXPANDING, "I")
    return text.lower().translate(_FOLD)


def fold_shape(text: str) -> str:
    """Fold dashes, spaces, apostrophes and full-width forms but keep case (case-sensitive aliases)."""
    return text.translate(_SHAPE)


def is_word_char(char: str) -> bool:
    """True for letters, digits and combining marks of any script."""
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text``: ``latin``, ``cyrillic`` or ``other``."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add("latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC") else "other")
    return found


_SEPARATOR = re.compile(r"[- ]|(?<=[^\W\d_])(?=\d)")


def separator_variants(alias: str, limit: int = 256) -> list[str]:
    """All spellings of a folded ``alias`` that differ only in separators.

    A hyphen may also be written as a space or left out; a space may also be a hyphen, and may be
    left out between a letter and a digit (``mon 50`` -> ``mon50``); where a letter meets a digit
    with nothing between them, a hyphen or space may stand (``bl755`` -> ``bl-755``). The original
    spelling comes first.
    """
    parts, seps, pos = [], [], 0
    for match in _SEPARATOR.finditer(alias):
        parts.append(alias[pos : match.start()])
        seps.append(match.group())
        pos = match.end()
    parts.append(alias[pos:])
    if not seps:
        return [alias]
    choices: list[tuple[str, ...]] = []
    for i, sep in enumerate(seps):
        left, right = parts[i][-1:], parts[i + 1][:1]
        if sep == "-":
            choices.append(("-", " ", ""))
        elif sep == "":
            choices.append(("", "-", " "))
        elif left and right and (left.isdigit() != right.isdigit()):
            choices.append((" ", "-", ""))
        else:
            choices.append((" ", "-"))
    total = 1
    for c in choices:
        total *= len(c)
    combos: list[tuple[str, ...]] = [tuple(seps)]
    if total <= limit:
        combos += itertools.product(*choices)
    else:  # too many separators to vary each: vary them all together
        combos += [tuple(c[j] if j < len(c) else c[0] for c in choices) for j in range(3)]
    variants: dict[str, None] = {}
    for combo in combos:
        pieces = [parts[0]]
        for sep, part in zip(combo, parts[1:]):
            pieces += [sep, part]
        variant = "".join(pieces)
        if variant.strip():
            variants[variant] = None
    return list(variants)
