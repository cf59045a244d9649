"""Generated texts: glossary names in the spellings the matcher must see through, among noise.

``generate(rng, vocabulary)`` is a pure function of the generator's state, so one text is
reproduced from its seed and index alone (``text_at``).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from munitag import Glossary

from . import alphabet as ab

#: One text in ``LONG_EVERY`` is long enough that a stream is tagged in several windows.
LONG_EVERY = 101
LONG_CHARS = (5_000, 20_000)


@dataclass(frozen=True)
class Vocabulary:
    """The strings a text is built from.

    Attributes:
        names: Alias texts and their generated Russian and Ukrainian forms.
        cues: Context words (a trailing ``*`` removed) and exception phrases.
        sentences: The glossary's examples and counter-examples.
    """

    names: tuple[str, ...]
    cues: tuple[str, ...]
    sentences: tuple[str, ...]

    @classmethod
    def of(cls, glossary: Glossary) -> Vocabulary:
        names = {a.text: None for e in glossary for a in e.aliases}
        names.update((f, None) for forms in glossary.forms.values() for f in forms)
        words = (*glossary.context_words(), *glossary.context_exceptions(), *(w for e in glossary for w in glossary.entry_context(e)))
        sentences = (s for e in glossary for s in (*e.examples, *e.counter_examples))
        return cls(tuple(names), tuple(dict.fromkeys(w.rstrip("*") for w in words)), tuple(dict.fromkeys(sentences)))


def text_at(seed: int, index: int, vocabulary: Vocabulary) -> str:
    """Text number ``index`` of the run with ``seed``."""
    return generate(rng_at(seed, index), vocabulary, long=index % LONG_EVERY == LONG_EVERY - 1)


def rng_at(seed: int, index: int, *, checks: bool = False) -> random.Random:
    """The generator of text ``index``, or (``checks``) of the choices its checks make."""
    return random.Random(((seed << 40) + index) * 2 + checks)


def generate(rng: random.Random, vocabulary: Vocabulary, *, long: bool = False) -> str:
    """One text: short (a few names in a sentence or two) or, with ``long``, several thousand
    characters with paragraphs and long gaps."""
    if not long:
        return "".join(_piece(rng, vocabulary) for _ in range(rng.randint(1, 8)))
    target = rng.randint(*LONG_CHARS)
    pieces: list[str] = []
    size = 0
    while size < target:
        piece = _gap(rng, rng.choice((200, 2500))) if rng.random() < 0.05 else _piece(rng, vocabulary)
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def _piece(rng: random.Random, vocabulary: Vocabulary) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _name(rng, rng.choice(vocabulary.names))
    if roll < 0.55:
        return mutate(rng, rng.choice(vocabulary.cues))
    if roll < 0.62:
        return mutate(rng, rng.choice(vocabulary.sentences)) if vocabulary.sentences else ""
    if roll < 0.9:
        return _separator(rng)
    return _noise(rng, rng.randint(1, 12))


def _name(rng: random.Random, name: str) -> str:
    """A name, perhaps misspelt the ways text misspells names, with what may stand around it."""
    name = mutate(rng, name)
    roll = rng.random()
    if roll < 0.15:
        name += rng.choice(("s", "'s", "\u2019s", "S", "es", "-2", "1", "x", "\u0301", "-", "\u00ads"))
    elif roll < 0.25:
        name = rng.choice(("x", "1", "-", "анти", "\u00ad", "\u200d", "#")) + name
    elif roll < 0.35:
        quote = rng.choice(ab.QUOTES)
        name = quote + name + rng.choice(ab.QUOTES)
    return name


def mutate(rng: random.Random, text: str) -> str:
    """``text`` with a few random spelling changes (case, separators, look-alikes, invisible
    characters, stress marks, decomposition, gaps), or unchanged."""
    for _ in range(rng.choice((0, 0, 1, 1, 2, 4))):
        text = rng.choice(_MUTATIONS)(rng, text)
    return text


def _case(rng: random.Random, text: str) -> str:
    how = rng.randrange(5)
    if how == 0:
        return text.upper()
    if how == 1:
        return text.lower()
    if how == 2:
        return text.title()
    if how == 3:
        return text.swapcase()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)


def _separators(rng: random.Random, text: str) -> str:
    out = []
    for c in text:
        if c == "-" and rng.random() < 0.7:
            c = rng.choice((*ab.DASHES, " ", "", "  ", "-\n"))
        elif c == " " and rng.random() < 0.7:
            c = rng.choice((*ab.SPACES, "-", "", "\r\n", "\n   ", " " * rng.randint(2, 20), "\u2028", "\n\n"))
        elif c in "'\u2019" and rng.random() < 0.7:
            c = rng.choice(ab.APOSTROPHES)
        out.append(c)
    return "".join(out)


def _lookalikes(rng: random.Random, text: str) -> str:
    p = rng.choice((0.2, 0.5, 1.0))
    return "".join(ab.LOOKALIKES.get(c, c) if rng.random() < p else c for c in text)


def _insert(rng: random.Random, text: str) -> str:
    """A character of no width, a combining or stress mark, a soft hyphen or an astral one, at
    random inside ``text``."""
    at = rng.randint(0, len(text))
    pool = rng.choice((ab.INVISIBLE, ab.COMBINING, "\u0301\u0300\u00ad", ab.ASTRAL, ab.SURROGATES, ab.TRICKY_CASE))
    return text[:at] + rng.choice(pool) + text[at:]


def _decompose(rng: random.Random, text: str) -> str:
    return unicodedata.normalize(rng.choice(("NFD", "NFKD", "NFC", "NFKC")), text)


def _yo(rng: random.Random, text: str) -> str:
    return text.translate(rng.choice((str.maketrans("еЕ", "ёЁ"), str.maketrans("ёЁ", "еЕ"), str.maketrans("іi", "ії"))))


def _delete(rng: random.Random, text: str) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + text[at + 1 :]


def _stress(rng: random.Random, text: str) -> str:
    vowels = [i + 1 for i, c in enumerate(text) if c in "аеиоуыэюяіїєАЕИОУЫЭЮЯaeiouAEIOU"]
    if not vowels:
        return text
    at = rng.choice(vowels)
    return text[:at] + rng.choice("\u0301\u0300") + text[at:]


_MUTATIONS = (_case, _case, _separators, _separators, _lookalikes, _insert, _insert, _decompose, _yo, _delete, _stress)


def _separator(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice((" ", " ", ", ", " и ", " and ", " the ", " з ", ". ", "; ", " — ", " (", ") "))
    if roll < 0.7:
        return rng.choice(ab.BREAKS)
    if roll < 0.8:
        return rng.choice(ab.SPACES) * rng.randint(1, 3)
    if roll < 0.9:
        return " " + rng.choice(ab.ASCII_WORDS + ab.CYRILLIC_WORDS) + " "
    return _gap(rng, 40)


def _gap(rng: random.Random, most: int) -> str:
    """White space, perhaps with line breaks and blank lines, up to ``most`` characters."""
    return "".join(rng.choice((" ", " ", " ", "\t", "\n", "\r\n", "\u00a0", "\u3000")) for _ in range(rng.randint(2, most)))


def _noise(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        pool = rng.random()
        if pool < 0.3:
            out.append(rng.choice(ab.PUNCTUATION))
        elif pool < 0.45:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif pool < 0.6:
            out.append(chr(rng.randint(0x400, 0x4FF)))
        elif pool < 0.7:
            out.append(rng.choice(ab.ASTRAL))
        elif pool < 0.75:
            out.append(rng.choice(ab.SURROGATES))
        elif pool < 0.8:
            out.append(rng.choice(ab.INVISIBLE + ab.COMBINING))
        elif pool < 0.85:
            out.append(rng.choice(ab.TRICKY_CASE))
        elif pool < 0.9:
            out.append(chr(rng.randint(0, 0x1F)))
        elif pool < 0.95:
            out.append(chr(rng.randint(0xFF00, 0xFFFF)))
        else:
            out.append(chr(rng.randint(0, 0x10FFFF)))  # anything, surrogates and non-characters too
    return "".join(out)
