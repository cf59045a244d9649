"""When an ambiguous alias counts: context words and unambiguous mentions near it, by scope.

Three scopes, each a superset of the one before:

- ``sentence``: a context word or an unambiguous mention of any entry within ``CONTEXT_WORDS``
  words before or after, in the same sentence;
- ``paragraph`` (the default): also a context word anywhere in the paragraph, or an
  unambiguous mention of the same entry there (of itself, its variant, what it is a variant
  of, its family head or a family member: ``ПФМ-1`` below a headline about «Лепестки»). A
  mention of another entry counts only as near as in ``sentence``: "an M16 rifle" is not a
  mine because a MON-50 is named two sentences later. Paragraphs are separated by blank lines;
  a heading (a paragraph of one line of at most ``HEADING_CHARS`` characters that does not end
  in ``.``, ``,`` or ``;``) belongs to the paragraph below it. Only ``PARAGRAPH_CHARS``
  characters either side of the mention are read;
- ``document``: also an unambiguous mention of the same entry (in the sense above) anywhere
  earlier in the text or in the ``DOCUMENT_CHARS`` characters after the mention ("one sense per
  discourse"; the look-ahead is bounded so that a stream is tagged in bounded memory, exactly as
  the whole text would be).

Context words are matched whole after folding (a trailing ``*`` makes a prefix); a word that
stands inside one of the glossary's exception phrases (``кислая мина``) does not count.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Any

from .normalize import fold

SCOPES = ("sentence", "paragraph", "document")
CONTEXT_WORDS = 8
SENTENCE_CHARS = 160  # enough characters to hold CONTEXT_WORDS words of usual length
PARAGRAPH_CHARS = 2000
HEADING_CHARS = 200
DOCUMENT_CHARS = 50_000

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n[^\S\n]*\n")

Span = tuple[int, int]


def check_scope(scope: str) -> str:
    """``scope`` itself, or ValueError naming the scopes there are."""
    if scope not in SCOPES:
        raise ValueError(f"context must be one of {', '.join(SCOPES)}, not {scope!r}")
    return scope


def window(scope: str) -> int:
    """How many characters either side of a mention its decision may read, at ``scope``."""
    return {"sentence": SENTENCE_CHARS, "paragraph": PARAGRAPH_CHARS}.get(scope, PARAGRAPH_CHARS + DOCUMENT_CHARS)


#: Kinds of cue, besides an entry id for an entry's own context words.
SHARED, EXCEPT = "*", "!"

#: The automaton's value for a key of context words or exception phrases: (lead, length,
#: ((folded word, kinds), ...), any exception); kinds are ``SHARED``, ``EXCEPT`` and entry ids.
CueKey = tuple[int, int, tuple[tuple[str, tuple[str, ...]], ...], bool]

#: A key hit in a squeezed view of the text: start, the offset in ``view`` (the scanned text,
#: gaps squeezed), ``view``, the offset of ``view`` in the text, the squeeze map, and its key.
RawCue = tuple[int, int, str, int, Any, CueKey]


class Cues:
    """The key hits of context words and exception phrases in one scan, kept as found: each is
    checked against the text only when a decision looks at it.

    A hit in the text as it is takes an entry in ``starts`` and in ``keys`` and no object of its
    own (a window holds thousands, and the collector would track each); a hit in a squeezed view,
    which is rare, is a ``RawCue`` in ``squeezed``.
    """

    __slots__ = ("keys", "squeezed", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.keys: list[CueKey] = []
        self.squeezed: list[RawCue] = []


#: An unambiguous candidate, as the matcher sorts them: start, -end, rank, entry id, pattern number.
Anchor = tuple[int, int, int, str, int]


def sentence_area(text: str, start: int, end: int) -> Span:
    """The sentence around ``text[start:end]``, at most ``SENTENCE_CHARS`` either side."""
    low = max(0, start - SENTENCE_CHARS)
    for stop in _SENTENCE_END.finditer(text, low, start):
        low = stop.end()
    high = min(len(text), end + SENTENCE_CHARS)
    after = _SENTENCE_END.search(text, end, high)
    return low, after.start() if after is not None else high


def _break_before(text: str, low: int, pos: int) -> Span | None:
    """The last blank line (``\\n``, white space, ``\\n``) in ``text[low:pos]``."""
    j = text.rfind("\n", low, pos)
    while j >= 0:
        i = text.rfind("\n", low, j)
        if i < 0:
            return None
        if i + 1 == j or (text[i + 1].isspace() and text[i + 1 : j].isspace()):  # a line of text fails at once
            return i, j + 1
        j = i
    return None


def _break_after(text: str, pos: int, high: int) -> Span | None:
    """The first blank line in ``text[pos:high]``."""
    i = text.find("\n", pos, high)
    while i >= 0:
        j = text.find("\n", i + 1, high)
        if j < 0:
            return None
        if i + 1 == j or (text[i + 1].isspace() and text[i + 1 : j].isspace()):
            return i, j + 1
        i = j
    return None


def _heading(text: str) -> bool:
    line = text.strip()
    return 0 < len(line) <= HEADING_CHARS and "\n" not in line and not line.endswith((".", ",", ";"))


def _line(text: str, start: int, end: int) -> Span:
    """The line around ``text[start:end]``, read no further than ``paragraph_area`` reads: it
    lies inside the paragraph (a paragraph break is made of line breaks)."""
    floor, ceiling = max(0, start - PARAGRAPH_CHARS), min(len(text), end + PARAGRAPH_CHARS)
    high = text.find("\n", end, ceiling)
    return text.rfind("\n", floor, start) + 1 or floor, ceiling if high < 0 else high


def paragraph_area(text: str, start: int, end: int) -> Span:
    """The paragraph around ``text[start:end]`` with the headings that belong to it, read no
    further than ``PARAGRAPH_CHARS`` either side."""
    floor, ceiling = max(0, start - PARAGRAPH_CHARS), min(len(text), end + PARAGRAPH_CHARS)
    before = _break_before(text, floor, start)
    low = before[1] if before else floor
    after = _break_after(text, end, ceiling)
    high = after[0] if after else ceiling
    own = (low, high)
    while before is not None:  # headings right above belong to this paragraph
        earlier = _break_before(text, floor, before[0])
        top = earlier[1] if earlier else 0 if floor == 0 else -1
        if top < 0 or not _heading(text[top : before[0]]):
            break
        low, before = top, earlier
    if after is not None and (before is not None or floor == 0) and _heading(text[own[0] : own[1]]):
        nxt = _break_after(text, after[1], ceiling)  # a heading's paragraph is the one below it
        high = nxt[0] if nxt else ceiling
    return low, high


class Judge:
    """Decides, for one text, whether ambiguous candidates stand in context.

    Args:
        text: The text (or the window of a stream) the candidates are in.
        scope: One of ``SCOPES``.
        cues: The key hits of context words and exception phrases in the text.
        anchors: Every unambiguous candidate as the matcher sorts them: (start, -end, rank,
            entry id, pattern number).
        related: Entry ids that count as the same entry, by entry id.
        seen: Entries mentioned unambiguously before ``text`` begins (streams).
    """

    def __init__(
        self,
        text: str,
        scope: str,
        cues: Cues,
        anchors: list[Anchor],
        related: dict[str, frozenset[str]],
        seen: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.text, self.scope, self.anchors, self.related, self.seen = text, scope, anchors, related, seen
        self.cues = cues
        plain = len(cues.starts)
        starts = cues.starts + [c[0] for c in cues.squeezed] if cues.squeezed else cues.starts  # cue i: cues.starts, then squeezed
        self._order = sorted(range(len(starts)), key=starts.__getitem__)
        self.starts = [starts[i] for i in self._order]
        # each cue is checked against the text the first time a decision looks at it
        self._reads: list[tuple[int, tuple[str, ...]] | None] = [None] * len(starts)
        exceptions = [i for i, key in enumerate(cues.keys) if key[3]]
        if cues.squeezed:
            exceptions += [plain + i for i, c in enumerate(cues.squeezed) if c[5][3]]
        self.excepted = sorted((starts[i], end) for i in exceptions for end, kinds in [self._read(i)] if EXCEPT in kinds)
        self._by_entry: dict[str, list[Anchor]] | None = None  # the anchors of each entry, made when first needed
        self._by_related: dict[frozenset[str], list[Anchor]] = {}  # the anchors of each set of related entries

    def __call__(self, start: int, end: int, entry_id: str) -> bool:
        if self.scope != "sentence":  # the paragraph holds the sentence: its context words first
            related = self.related.get(entry_id, frozenset({entry_id}))
            floor, ceiling = start - PARAGRAPH_CHARS, end + PARAGRAPH_CHARS
            # unambiguous mentions first: they need no reading of the text
            if self._anchored(floor, ceiling, start, end, related) or self._cued(floor, ceiling, start, end, entry_id):
                # only worth finding the paragraph if something is near; the mention's own line
                # lies inside its paragraph and is found at once
                low, high = _line(self.text, start, end)
                if self._anchored(low, high, start, end, related) or self._cued(low, high, start, end, entry_id):
                    return True
                low, high = paragraph_area(self.text, start, end)
                if self._anchored(low, high, start, end, related) or self._cued(low, high, start, end, entry_id):
                    return True
            if self.scope == "document" and self._same_entry(start, related):
                return True
        return self._in_sentence(start, end, entry_id)

    def _in_sentence(self, start: int, end: int, entry_id: str) -> bool:
        """A context word or an unambiguous mention of any entry within ``CONTEXT_WORDS`` words,
        in the same sentence."""
        floor, ceiling = start - SENTENCE_CHARS, end + SENTENCE_CHARS
        if not (self._anchored(floor, ceiling, start, end, None) or (self.scope == "sentence" and self._cued(floor, ceiling, start, end, entry_id))):
            return False  # (beyond the sentence scope, its context words were seen in the paragraph)
        low, high = sentence_area(self.text, start, end)
        before = list(_WORD.finditer(fold(self.text[low:start])))[-CONTEXT_WORDS:]
        after = list(_WORD.finditer(fold(self.text[end:high])))[:CONTEXT_WORDS]
        low = low + before[0].start() if before else start
        high = end + after[-1].end() if after else end
        return self._anchored(low, high, start, end, None) or (self.scope == "sentence" and self._cued(low, high, start, end, entry_id))

    def _cued(self, low: int, high: int, start: int, end: int, entry_id: str) -> bool:
        """A context word (shared, or the entry's own) within ``[low, high]``, outside the mention."""
        i = bisect.bisect_left(self.starts, low)
        while i < len(self.starts) and self.starts[i] <= high:
            s = self.starts[i]
            found = self._reads[i]
            if found is None:
                found = self._reads[i] = self._read(self._order[i])
            e, kinds = found
            if (
                e <= high and (e <= start or s >= end) and (SHARED in kinds or entry_id in kinds)
                and not (self.excepted and _covered(self.excepted, s, e))
            ):
                return True
            i += 1
        return False

    def _anchored(self, low: int, high: int, start: int, end: int, related: frozenset[str] | None) -> bool:
        """An unambiguous mention (of one of ``related``, or of any entry) within ``[low, high]``."""
        return _near(self.anchors if related is None else self._of(related), low, high, start, end)

    def _same_entry(self, start: int, related: frozenset[str]) -> bool:
        if related & self.seen:
            return True
        anchors = self._of(related)
        if anchors and anchors[0][0] < start:  # earlier in the text
            return True
        i = bisect.bisect_right(anchors, (start, math.inf))  # the first that starts after it
        return i < len(anchors) and anchors[i][0] <= start + DOCUMENT_CHARS

    def _of(self, related: frozenset[str]) -> list[Anchor]:
        """The anchors of the ``related`` entries, in order: a text dense with mentions has many
        near each ambiguous one, and only these count for it."""
        found = self._by_related.get(related)
        if found is None:
            if self._by_entry is None:
                self._by_entry = {}
                for anchor in self.anchors:
                    self._by_entry.setdefault(anchor[3], []).append(anchor)
            found = self._by_related[related] = sorted(a for eid in related for a in self._by_entry.get(eid, ()))
        return found

    def _read(self, i: int) -> tuple[int, tuple[str, ...]]:
        """The end of cue ``i`` (in ``Cues`` order) and its kinds, once checked against the
        text (no kinds: a look-alike spelling that only shares the key)."""
        plain = len(self.cues.starts)
        if i < plain:
            at, (_, length, words, _) = self.cues.starts[i], self.cues.keys[i]
            end, view = at + length, self.text
        else:
            _, at, view, left, squeezed, (_, length, words, _) = self.cues.squeezed[i - plain]
            end = left + squeezed.original(at + length)
        folded = fold(view[at : at + length])
        return end, next((k for word, k in words if word == folded), ())


def _near(anchors: list[Anchor], low: int, high: int, start: int, end: int) -> bool:
    """One of the sorted ``anchors`` lies within ``[low, high]`` and is not ``[start, end)``."""
    i = bisect.bisect_left(anchors, (low,))
    while i < len(anchors) and anchors[i][0] <= high:
        if -anchors[i][1] <= high and (anchors[i][0] != start or -anchors[i][1] != end):
            return True
        i += 1
    return False


def _covered(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted; exception phrases are rare)."""
    return any(end <= e for s, e in spans[: bisect.bisect_right(spans, (start, math.inf))])
