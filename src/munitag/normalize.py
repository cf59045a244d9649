"""Length-preserving text folding and the separator variants of an alias.

Every function here maps one code point to exactly one code point, so an offset into a folded
string is the same offset into the original string.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass
from encodings import cp1251

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
SPACES = "\t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
#: Apostrophe look-alikes, folded to ``'``: quotation marks, the modifier letters apostrophe and
#: prime (the Ukrainian apostrophe, written as a letter), prime, grave and acute accent (typed
#: for an apostrophe on many keyboards) and the full-width apostrophe.
APOSTROPHES = "\u2018\u2019\u02bc\u02b9\u2032\u0060\u00b4\uff07"

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
    return char.isalnum() or (not char.isascii() and unicodedata.category(char)[0] == "M")


def is_folded_word_char(char: str) -> bool:
    """``is_word_char(fold(char))``, as fast as ``is_word_char``: whether the scan sees a word
    character (the modifier letter ``ʼ`` is a letter, its fold ``'`` is not)."""
    if char.isascii():
        return char.isalnum()
    return (char.isalnum() or unicodedata.category(char)[0] == "M") and char not in _UNWORDED


_UNWORDED = frozenset(c for c in map(chr, _FOLD) if is_word_char(c) and not is_word_char(fold(c)))


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text``: ``latin``, ``cyrillic`` or ``other``."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add("latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC") else "other")
    return found


# A separator: a hyphen or space, a letter meeting a digit (``bl755``), or a digit meeting the
# suffix letters that end a designation (``tm-62p``, ``pfm-1s``; not the ``a`` of ``m16a1``).
_SEPARATOR = re.compile(r"[- ]|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_]+(?:[- ]|$))")


def separator_variants(alias: str, limit: int = 256) -> list[str]:
    """All spellings of a folded ``alias`` that differ only in separators.

    A hyphen may also be written as a space or left out; a space may also be a hyphen, and may be
    left out between a letter and a digit (``mon 50`` -> ``mon50``); where a letter meets a digit
    with nothing between them, a hyphen or space may stand (``bl755`` -> ``bl-755``), and so may
    it before the suffix letters of a designation (``tm-62p`` -> ``tm-62 p``, ``tm-62-p``). The
    original spelling comes first.
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


# -- Look-alike letters --------------------------------------------------------------------------
# Cyrillic letters drawn like Latin ones, as their Latin twins: ``MОN-50`` with a Cyrillic О, the
# Cyrillic ``ТМ-62`` and the Latin ``TM-62`` share one skeleton. Lower case too, because matching
# folds case first (``в`` is the folded ``В``, drawn like ``B``).
_LOOKALIKE = str.maketrans("АаВвЕеКкМмНнОоРрСсТтУуХхІіЈјЅѕ", "AaBbEeKkMmHhOoPpCcTtYyXxIiJjSs")


def skeleton(text: str) -> str:
    """``text`` with every Cyrillic look-alike letter replaced by its Latin twin (same length)."""
    return text.translate(_LOOKALIKE)


def mixes_scripts(text: str) -> bool:
    """True when a word of ``text`` holds both Latin and Cyrillic letters (``РFM``, ``MОN``)."""
    return any({"latin", "cyrillic"} <= scripts(word) for word in _LETTERS.findall(text))


_LETTERS = re.compile(r"[^\W\d_]+")


# -- Gaps and ignorable characters ---------------------------------------------------------------
# Not every spelling difference keeps the length: a line break with its indentation, CRLF, a tab
# or several spaces between two words count as one space (``MAX_GAP`` characters at most, one line
# break at most: a blank line ends a paragraph, not a word gap), and a soft hyphen inside a word or
# a combining stress mark after a letter (``ле́пестки``) count as nothing. ``squeeze`` makes that
# text with a map back to the original offsets; the matcher uses it only where a gap may matter
# or ``has_ignorables`` says such characters may be present, so ordinary text pays next to nothing.
MAX_GAP = 16
_SQUEEZE = re.compile(r"\s{2,}|(?<=\w)\u00ad(?=\w)|(?<=[^\W\d_])[\u0300\u0301]")
_STRESS = ("\u0300", "\u0301")
_LOOK = 8  # characters outside cp1251 that ``has_ignorables`` looks at one by one


def has_ignorables(text: str, encoded: bytes) -> bool:
    """Whether ``text`` (with ``encoded``, its ``encode``) may hold a soft hyphen or stress mark,
    found by their bytes."""
    if encoded.isascii():
        return False
    if b"\xad" in encoded:
        return True
    # A stress mark is encoded as _OTHER_WORD, like the few other characters cp1251 lacks: look
    # at those, and search the text only when there are many.
    at = encoded.find(_OTHER_WORD)
    for _ in range(_LOOK):
        if at < 0:
            return False
        if text[at] in _STRESS:
            return True
        at = encoded.find(_OTHER_WORD, at + 1)
    return at >= 0 and any(text.find(mark, at) >= 0 for mark in _STRESS)


@dataclass(frozen=True)
class Squeezed:
    """``text`` with gaps made one space and ignorable characters removed, and the way back.

    Attributes:
        text: The squeezed text.
        at: Squeezed offsets where the shift to the original changes, ascending.
        shift: ``shift[i]`` characters were removed before squeezed offset ``at[i]``.
    """

    text: str
    at: list[int]
    shift: list[int]

    def original(self, offset: int) -> int:
        """The original offset of squeezed ``offset`` (of the next kept character at an end)."""
        i = bisect.bisect_right(self.at, offset) - 1
        return offset + (self.shift[i] if i >= 0 else 0)


def squeeze(text: str) -> Squeezed:
    """``text`` with every gap as one space and soft hyphens and stress marks inside words removed."""
    pieces: list[str] = []
    at: list[int] = []
    shift: list[int] = []
    done = removed = 0
    for match in _SQUEEZE.finditer(text):
        start, end = match.span()
        gap = text[start] not in "\u00ad\u0300\u0301"
        if gap and (end - start > MAX_GAP or text.count("\n", start, end) > 1):
            continue
        pieces.append(text[done:start])
        keep = " " if gap else ""
        pieces.append(keep)
        removed += end - start - len(keep)
        at.append(start - removed + (end - start))  # squeezed offset of the character after the match
        shift.append(removed)
        done = end
    pieces.append(text[done:])
    return Squeezed("".join(pieces), at, shift)


# -- The scan alphabet -------------------------------------------------------------------------
# The automaton runs on a one-byte-per-code-point image of the text: ``fold`` applied, every
# non-word character turned into a space, Cyrillic kept as its cp1251 byte. A space therefore
# marks exactly the positions where a word may begin or end, so keys carry their own word
# boundaries and in-word hits never reach Python. The image is a prefilter: several characters
# share a byte, and every hit is checked against ``fold`` of the original text.

_SCAN_CODEC = "cp1251"  # one byte per character for Latin and Cyrillic, encoded in C
_CP1251 = cp1251.encoding_table  # its map, for charmap_encode without the codec's Python wrapper
_OTHER_WORD = 0x98  # the byte cp1251 leaves unassigned stands for any other word character


def _scan_byte(char: str) -> int:
    folded = fold(char)
    if not is_word_char(folded):
        return 0x20
    try:
        return skeleton(folded).encode(_SCAN_CODEC)[0]
    except UnicodeEncodeError:
        return _OTHER_WORD


_SCAN_TABLE = bytes(
    _OTHER_WORD if b == _OTHER_WORD else _scan_byte(bytes([b]).decode(_SCAN_CODEC)) for b in range(256)
)
_SCAN_REST: dict[str, int] = {}  # scan bytes of characters outside cp1251, filled on first sight


def _encode_rest(exc: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: the scan byte of each character cp1251 cannot encode."""
    assert isinstance(exc, UnicodeEncodeError)
    rest = exc.object[exc.start : exc.end]
    for char in rest:
        if char not in _SCAN_REST:
            _SCAN_REST[char] = _scan_byte(char)  # already a fixed point of _SCAN_TABLE
    return bytes(_SCAN_REST[char] for char in rest), exc.end


codecs.register_error("munitag.scan", _encode_rest)

# Text is mostly ASCII with stretches of other letters (a Cyrillic paragraph, a quoted name).
# The ASCII codec copies ASCII at a fraction of the cost of the cp1251 table lookups, so
# ``encode`` runs it and hands each non-ASCII stretch to cp1251: a stretch runs on in pieces of
# ``_STRETCH`` characters until a piece is all ASCII. A stretch that has run ``_LONG`` characters
# is a text in another script (a Russian or Ukrainian report): it takes the rest of the text,
# without looking at more pieces (a fifth of the encoding of Cyrillic text).
_STRETCH = 128
_LONG = 4096


def _encode_stretch(exc: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler of the ASCII codec: the cp1251 scan bytes of the non-ASCII stretch."""
    assert isinstance(exc, UnicodeEncodeError)
    text, end = exc.object, exc.end
    while not text[end : end + _STRETCH].isascii():
        end += _STRETCH
        if end - exc.start >= _LONG:
            end = len(text)
            break
    return codecs.charmap_encode(text[exc.start : end], "munitag.scan", _CP1251)[0], min(end, len(text))


codecs.register_error("munitag.stretch", _encode_stretch)


def encode(text: str) -> bytes:
    """``text`` one byte per character, the first step of ``scan_image`` (see ``has_ignorables``):
    its cp1251 encoding, with a scan byte for each character cp1251 lacks."""
    return text.encode("ascii", "munitag.stretch")


def image_of(encoded: bytes) -> str:
    """The scan image of text given as ``encode(text)``."""
    return encoded.translate(_SCAN_TABLE).decode("latin-1")


def scan_image(text: str) -> str:
    """The scan alphabet image of ``text``: same length, spaces exactly at non-word characters.

    Equal characters always give equal images, ``scan_image(fold(t)) == scan_image(t)``, and
    look-alike letters share their image (``scan_image(skeleton(fold(t))) == scan_image(t)``).
    """
    return image_of(encode(text))
