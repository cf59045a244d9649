"""Finding glossary aliases in text: the automaton, boundaries, context and overlap policy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from .glossary import Alias, Entry, Glossary, load_glossary
from .normalize import fold, fold_shape, is_word_char, separator_variants

#: How many words on each side of an ambiguous mention are searched for a context word.
CONTEXT_WORDS = 8
_CONTEXT_CHARS = 160  # enough characters to hold CONTEXT_WORDS words of usual length
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_ENGLISH_END = re.compile(r"[a-z0-9]$")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n[^\S\n]*\n")  # a context window stops here


@dataclass(frozen=True)
class Mention:
    """One occurrence of a glossary entry in a text.

    Attributes:
        start: Offset of the first code point (0-based) in the caller's string.
        end: Offset just past the last code point; ``text[start:end] == mention.text``.
        text: The mention exactly as it stands in the input.
        entry: The glossary entry the mention names.
        alias: The glossary alias that matched (as written in the glossary).
    """

    start: int
    end: int
    text: str
    entry: Entry
    alias: str

    def to_dict(self) -> dict[str, Any]:
        """Flat, JSON-ready view: offsets, text and the entry's identifying fields."""
        e = self.entry
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "category": e.category,
            "origin": list(e.origin),
            "alias": self.alias,
            "variant_of": e.variant_of,
            "family": e.family,
        }


@dataclass(frozen=True)
class _Pattern:
    entry: Entry
    alias: Alias
    exact: frozenset[str]  # shape-folded spellings a case-sensitive alias accepts; empty otherwise
    english: bool  # an English plural/possessive may follow
    rank: int  # lower wins a tie on the same span


def _context_matcher(words: Iterable[str]) -> Callable[[str], bool]:
    exact = {fold(w) for w in words if not w.endswith("*")}
    prefixes = tuple(fold(w[:-1]) for w in words if w.endswith("*"))
    return lambda word: word in exact or word.startswith(prefixes)


def prefer_longest(candidates: list[Mention]) -> list[Mention]:
    """Leftmost-longest, non-overlapping selection.

    Candidates come sorted by start, then longest first, then pattern rank and entry id, so the
    first candidate that does not overlap an accepted one wins and ties are deterministic.
    """
    chosen: list[Mention] = []
    end = -1
    for mention in candidates:
        if mention.start >= end:
            chosen.append(mention)
            end = mention.end
    return chosen


class Tagger:
    """Finds mentions of glossary entries in text.

    The automaton is built once per Tagger; ``tag`` can then be called on any number of texts.

    Args:
        glossary: A loaded ``Glossary``, a path to a glossary directory, or None for the
            glossary bundled with munitag.
    """

    def __init__(self, glossary: Glossary | str | Path | None = None) -> None:
        if not isinstance(glossary, Glossary):
            glossary = load_glossary(glossary)
        self.glossary = glossary
        self._context = _context_matcher(glossary.context_words())
        self._entry_context = {e.id: _context_matcher(e.context) for e in glossary if e.context}
        self._automaton = self._build(glossary)

    @classmethod
    def from_dir(cls, path: str | Path) -> Tagger:
        """A Tagger over the glossary directory at ``path``."""
        return cls(load_glossary(path))

    def __len__(self) -> int:
        return len(self.glossary)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.glossary

    @staticmethod
    def _build(glossary: Glossary) -> Any:
        table: dict[str, list[_Pattern]] = {}
        for entry in glossary:
            for alias in entry.aliases:
                rank = 2 * alias.ambiguous + (not alias.case_sensitive)
                exact = frozenset(separator_variants(fold_shape(alias.text))) if alias.case_sensitive else frozenset()
                folded = fold(alias.text)
                pattern = _Pattern(entry, alias, exact, bool(_ENGLISH_END.search(folded)), rank)
                for key in separator_variants(folded):
                    table.setdefault(key, []).append(pattern)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for key, patterns in table.items():
            automaton.add_word(key, (len(key), tuple(patterns)))
        if len(automaton):
            automaton.make_automaton()
        return automaton

    def tag(self, text: str, *, overlapping: bool = False) -> list[Mention]:
        """Find mentions in ``text``.

        Args:
            text: Any string; offsets refer to it unchanged.
            overlapping: Return every candidate (each entry once per span, overlaps allowed)
                instead of the leftmost-longest, non-overlapping selection.

        Returns:
            Mentions sorted by start, then longest first.
        """
        if not isinstance(text, str):
            raise TypeError(f"Tagger.tag expects str, not {type(text).__name__}")
        candidates = self._candidates(text)
        return candidates if overlapping else prefer_longest(candidates)

    def _candidates(self, text: str) -> list[Mention]:
        if not len(self._automaton) or not text:
            return []
        folded = fold(text)
        n = len(folded)
        best: dict[tuple[int, int, str], tuple[int, Mention]] = {}
        gated: list[tuple[int, int, _Pattern]] = []
        for last, (length, patterns) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if start > 0 and is_word_char(folded[start]) and is_word_char(folded[start - 1]):
                continue
            suffix_end = _english_suffix(text, folded, end)
            core_ok = end == n or not (
                is_word_char(folded[end - 1]) and (is_word_char(folded[end]) or _joined_number(folded, end))
            )
            for p in patterns:
                stop = suffix_end if (p.english and suffix_end) else (end if core_ok else 0)
                if not stop or (p.exact and fold_shape(text[start:end]) not in p.exact):
                    continue
                if p.alias.ambiguous:
                    gated.append((start, stop, p))
                else:
                    _keep(best, text, start, stop, p)
        if gated:
            anchors = sorted({(k[0], k[1]) for k in best})
            for start, stop, p in gated:
                if self._in_context(text, folded, start, stop, p.entry, anchors):
                    _keep(best, text, start, stop, p)
        ordered = sorted(best.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[1][0], kv[0][2]))
        return [mention for _, (_, mention) in ordered]

    def _in_context(
        self, text: str, folded: str, start: int, end: int, entry: Entry, anchors: list[tuple[int, int]]
    ) -> bool:
        """A context word, or an unambiguous mention, within CONTEXT_WORDS words on either side,
        in the same sentence."""
        low = max(0, start - _CONTEXT_CHARS)
        for stop in _SENTENCE_END.finditer(text, low, start):
            low = stop.end()
        high = end + _CONTEXT_CHARS
        stop = _SENTENCE_END.search(text, end, high)
        if stop is not None:
            high = stop.start()
        before = list(_WORD.finditer(folded, low, start))[-CONTEXT_WORDS:]
        after = list(_WORD.finditer(folded, end, high))[:CONTEXT_WORDS]
        own = self._entry_context.get(entry.id)
        for match in before + after:
            word = match.group()
            if self._context(word) or (own is not None and own(word)):
                return True
        low = before[0].start() if before else start
        high = after[-1].end() if after else end
        return any(low <= a_start and a_end <= high and (a_start, a_end) != (start, end) for a_start, a_end in anchors)


def _keep(best: dict[tuple[int, int, str], tuple[int, Mention]], text: str, start: int, stop: int, p: _Pattern) -> None:
    """Record a candidate, keeping the best-ranked alias per (span, entry)."""
    key = (start, stop, p.entry.id)
    if key not in best or p.rank < best[key][0]:
        best[key] = (p.rank, Mention(start, stop, text[start:stop], p.entry, p.alias.text))


def _joined_number(folded: str, end: int) -> bool:
    """True when a hyphen and a digit follow ``end``: ``MON`` is not a word of ``MON-500``."""
    return folded[end] == "-" and end + 1 < len(folded) and folded[end + 1].isdigit()


def _english_suffix(text: str, folded: str, end: int) -> int:
    """End of an English plural/possessive (``s``, ``'s``) right after ``end``, or 0.

    A capital ``S`` counts only after a capital letter (``MINES``), never after a digit, where it
    is a variant letter (``PFM-1S``).
    """
    n = len(text)
    if end < n and folded[end] == "'" and end + 1 < n and text[end + 1] == "s":
        stop = end + 2
    elif end < n and (text[end] == "s" or (text[end] == "S" and text[end - 1].isupper())):
        stop = end + 1
    else:
        return 0
    return stop if stop == n or not is_word_char(folded[stop]) else 0
