"""Finding glossary aliases in text: the automaton, boundaries, context and overlap policy."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import ahocorasick

from .glossary import Alias, Entry, Glossary, load_glossary
from .normalize import APOSTROPHES, DASHES, fold, fold_shape, is_word_char, scan_image, separator_variants

#: How many words on each side of an ambiguous mention are searched for a context word.
CONTEXT_WORDS = 8
_CONTEXT_CHARS = 160  # enough characters to hold CONTEXT_WORDS words of usual length
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_ENGLISH_END = re.compile(r"[a-z0-9]$")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n[^\S\n]*\n")  # a context window stops here
_BLOCK = 1 << 16  # characters converted to the scan alphabet at a time
_HYPHENS = frozenset("-" + DASHES)
_APOSTROPHES = frozenset("'" + APOSTROPHES)
_SUFFIX_START = _APOSTROPHES | {"s", "S"}  # the characters an English ending can begin with


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
class Segment:
    """A consecutive piece of a streamed text and the mentions that start in it.

    Attributes:
        start: Offset of ``text`` in the whole input.
        text: The piece itself; segments tile the input without gaps or overlaps.
        mentions: Mentions starting in this piece, offsets relative to the whole input.
    """

    start: int
    text: str
    mentions: list[Mention]


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


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def prefer_longest(spans: Iterable[S]) -> list[S]:
    """The leftmost-longest, non-overlapping selection ``Tagger.tag`` makes, from spans sorted by
    start, longest first (the mentions ``tag(..., overlapping=True)`` returns, a subsequence of
    them, or anything else with ``start`` and ``end``, such as spaCy spans).
    """
    chosen: list[S] = []
    end = -1
    for span in spans:
        if span.start >= end:
            chosen.append(span)
            end = span.end
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
        self._automaton, self._longest = _build(glossary)
        #: Characters of text either side of a span that decide about it (see ``_candidates``).
        self._margin = 2 * self._longest + 2 * _CONTEXT_CHARS + 8

    @classmethod
    def from_dir(cls, path: str | Path) -> Tagger:
        """A Tagger over the glossary directory at ``path``."""
        return cls(load_glossary(path))

    def __len__(self) -> int:
        return len(self.glossary)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.glossary

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
        candidates = self._candidates(text, 0, len(text))
        if not overlapping:
            candidates = _leftmost_longest(candidates, 0)
        return [_mention(text, c, 0) for c in candidates]

    def tag_stream(self, chunks: Iterable[str], *, overlapping: bool = False) -> Iterator[Mention]:
        """Find mentions in a text given as consecutive pieces (e.g. a file read block by block).

        Memory stays bounded whatever the total length; offsets count from the start of the
        whole text, and the result equals ``tag("".join(chunks))``.
        """
        for segment in self.tag_segments(chunks, overlapping=overlapping):
            yield from segment.mentions

    def tag_segments(self, chunks: Iterable[str], *, overlapping: bool = False, window: int = 1 << 20) -> Iterator[Segment]:
        """Like ``tag_stream``, but yields the text too: consecutive ``Segment``s that tile the
        whole text, each with the mentions that start in it (for renderers).

        Args:
            chunks: The text in consecutive pieces of any size.
            overlapping: As for ``tag``.
            window: About how many characters are tagged at a time.
        """
        margin = self._margin
        buffer, base, done, last_end, emitted = "", 0, 0, 0, 0
        pending: list[str] = []
        size = 0
        for chunk in itertools.chain(chunks, [None]):
            final = chunk is None
            if chunk:
                if not isinstance(chunk, str):
                    raise TypeError(f"Tagger.tag_stream expects str chunks, not {type(chunk).__name__}")
                pending.append(chunk)
                size += len(chunk)
            if not final and size < window + 2 * margin:
                continue
            buffer = "".join([buffer, *pending])
            pending, size = [], 0
            hi = len(buffer) if final else len(buffer) - margin
            candidates = self._candidates(buffer, done, hi)
            if not overlapping:
                candidates = _leftmost_longest(candidates, last_end - base)
            mentions = [_mention(buffer, c, base) for c in candidates]
            end = max(emitted, base + hi)
            if mentions and not overlapping:
                last_end = mentions[-1].end
                end = max(end, last_end)  # a segment never cuts a mention
            if end > emitted or mentions:
                yield Segment(emitted, buffer[emitted - base : end - base], mentions)
            emitted = end
            keep = max(0, min(hi, emitted - base) - margin)
            buffer, base, done = buffer[keep:], base + keep, hi - keep
            size = len(buffer)

    def tag_many(self, texts: Iterable[str], *, jobs: int = 1, overlapping: bool = False) -> Iterator[list[Mention]]:
        """``tag`` of every text, in input order; ``jobs`` > 1 uses that many processes."""
        from .parallel import tag_many

        return tag_many(self, texts, jobs=jobs, overlapping=overlapping)

    def _candidates(self, text: str, lo: int, hi: int) -> list[_Candidate]:
        """Candidates starting in ``text[lo:hi]``, sorted by start, then longest, rank and id.

        Only ``self._margin`` characters either side of ``[lo, hi)`` are read, so a caller that
        holds a window of a longer text gets exactly the whole-text result for that range.
        """
        if not len(self._automaton) or lo >= hi:
            return []
        n = len(text)
        best: dict[tuple[int, int, str], _Candidate] = {}
        gated: list[_Candidate] = []
        for start, end, patterns in self._hits(text, max(0, lo - self._margin), min(n, hi + self._margin)):
            suffix_end = _english_suffix(text, end) if end < n and text[end] in _SUFFIX_START else 0
            core_ok = end == n or not (is_word_char(text[end - 1]) and (is_word_char(text[end]) or _joined_number(text, end)))
            for p in patterns:
                stop = suffix_end if (p.english and suffix_end) else (end if core_ok else 0)
                if not stop or (p.exact and fold_shape(text[start:end]) not in p.exact):
                    continue
                candidate = (start, -stop, p.rank, p.entry.id, p)
                if p.alias.ambiguous:
                    if lo <= start < hi:
                        gated.append(candidate)
                else:
                    _keep(best, candidate)
        if gated:
            anchors = sorted((start, -neg_stop) for start, neg_stop, *_ in best.values())
            for candidate in gated:
                if self._in_context(text, candidate[0], -candidate[1], candidate[4].entry, anchors):
                    _keep(best, candidate)
        return sorted(c for c in best.values() if lo <= c[0] < hi)

    def _hits(self, text: str, lo: int, hi: int) -> Iterator[tuple[int, int, tuple[_Pattern, ...]]]:
        """(start, end, patterns) of every alias key whose first character lies in ``[lo, hi)``
        and that stands as a whole word; the key may run past ``hi``."""
        n = len(text)
        for block in range(lo, hi, _BLOCK):
            block_end = min(hi, block + _BLOCK)
            left, right = max(0, block - 1), min(n, block_end + self._longest)
            image = scan_image(text[left:right])
            if block == 0:
                image, left = " " + image, -1
            if right == n:
                image += " "
            for last, (length, groups) in self._automaton.iter(image):
                for lead, core, spellings in groups:
                    start = left + last + 1 - length + lead
                    if block <= start < block_end:
                        patterns = spellings.get(fold(text[start : start + core]))
                        if patterns is not None:
                            yield start, start + core, patterns

    def _in_context(self, text: str, start: int, end: int, entry: Entry, anchors: list[tuple[int, int]]) -> bool:
        """A context word, or an unambiguous mention, within CONTEXT_WORDS words on either side,
        in the same sentence."""
        low = max(0, start - _CONTEXT_CHARS)
        for stop in _SENTENCE_END.finditer(text, low, start):
            low = stop.end()
        high = min(len(text), end + _CONTEXT_CHARS)
        stop = _SENTENCE_END.search(text, end, high)
        if stop is not None:
            high = stop.start()
        before = list(_WORD.finditer(fold(text[low:start])))[-CONTEXT_WORDS:]
        after = list(_WORD.finditer(fold(text[end:high])))[:CONTEXT_WORDS]
        own = self._entry_context.get(entry.id)
        for match in before + after:
            word = match.group()
            if self._context(word) or (own is not None and own(word)):
                return True
        low = low + before[0].start() if before else start
        high = end + after[-1].end() if after else end
        i = bisect.bisect_left(anchors, (low, low))
        while i < len(anchors) and anchors[i][0] <= high:
            if anchors[i][1] <= high and anchors[i] != (start, end):
                return True
            i += 1
        return False


def _build(glossary: Glossary) -> tuple[Any, int]:
    """The automaton over scan-image keys, and the length of its longest key.

    A key is an alias spelling in the scan alphabet with a space before it when it begins with a
    word character and a space after it when it ends with one, so it only hits whole words;
    English ``s`` and ``'s`` endings get keys of their own. Different spellings can share a key
    (``pfm-1s`` and ``pfm-1`` + ``s``), so a key's value lists (lead, core length, patterns by
    exact folded spelling) groups, and every hit is checked against the text.
    """
    spellings: dict[str, list[_Pattern]] = {}
    for entry in glossary:
        for alias in entry.aliases:
            rank = 2 * alias.ambiguous + (not alias.case_sensitive)
            exact = frozenset(separator_variants(fold_shape(alias.text))) if alias.case_sensitive else frozenset()
            folded = fold(alias.text)
            pattern = _Pattern(entry, alias, exact, bool(_ENGLISH_END.search(folded)), rank)
            for spelling in separator_variants(folded):
                spellings.setdefault(spelling, []).append(pattern)
    keys: dict[str, dict[tuple[int, int], dict[str, tuple[_Pattern, ...]]]] = {}
    for spelling, patterns in spellings.items():
        lead = " " if is_word_char(spelling[0]) else ""
        trail = " " if is_word_char(spelling[-1]) else ""
        endings = [""] + (["s", " s"] if any(p.english for p in patterns) else [])
        for ending in endings:
            key = lead + scan_image(spelling) + ending + trail
            groups = keys.setdefault(key, {})
            groups.setdefault((len(lead), len(spelling)), {})[spelling] = tuple(patterns)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
    for key, groups in keys.items():
        automaton.add_word(key, (len(key), tuple((lead, core, by) for (lead, core), by in groups.items())))
    if len(automaton):
        automaton.make_automaton()
    return automaton, max(map(len, keys), default=0)


_Candidate = tuple[int, int, int, str, _Pattern]  # start, -stop, rank, entry id, pattern: sorts right


def _keep(best: dict[tuple[int, int, str], _Candidate], candidate: _Candidate) -> None:
    """Record a candidate, keeping the best-ranked alias per (span, entry)."""
    key = (candidate[0], candidate[1], candidate[3])
    if key not in best or candidate[2] < best[key][2]:
        best[key] = candidate


def _leftmost_longest(candidates: list[_Candidate], taken: int) -> list[_Candidate]:
    """``prefer_longest`` on raw candidates (no Mention objects yet); text before ``taken`` is
    already covered by an earlier stream segment.

    Candidates come sorted by start, then longest first, then pattern rank and entry id, so the
    first one that does not overlap an accepted one wins and ties are deterministic.
    """
    chosen = []
    for candidate in candidates:
        if candidate[0] >= taken:
            chosen.append(candidate)
            taken = -candidate[1]
    return chosen


def _mention(text: str, candidate: _Candidate, offset: int) -> Mention:
    start, stop, p = candidate[0], -candidate[1], candidate[4]
    return Mention(start + offset, stop + offset, text[start:stop], p.entry, p.alias.text)


def _joined_number(text: str, end: int) -> bool:
    """True when a hyphen and a digit follow ``end``: ``MON`` is not a word of ``MON-500``."""
    return text[end] in _HYPHENS and end + 1 < len(text) and text[end + 1].isdigit()


def _english_suffix(text: str, end: int) -> int:
    """End of an English plural/possessive (``s``, ``'s``) right after ``end``, or 0.

    A capital ``S`` counts only after a capital letter (``MINES``), never after a digit, where it
    is a variant letter (``PFM-1S``).
    """
    n = len(text)
    if end < n and text[end] in _APOSTROPHES and end + 1 < n and text[end + 1] == "s":
        stop = end + 2
    elif end < n and (text[end] == "s" or (text[end] == "S" and text[end - 1].isupper())):
        stop = end + 1
    else:
        return 0
    return stop if stop == n or not is_word_char(text[stop]) else 0
