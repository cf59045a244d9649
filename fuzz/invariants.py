"""What must hold for every text: exact spans, order, overlaps, streams and context scopes.

``Checker.check`` runs every invariant on one text and returns the first one broken (or None);
``Checker.counts`` adds up what was checked.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from munitag import Mention, Tagger
from munitag.compiled import Cached
from munitag.matcher import prefer_longest
from munitag.normalize import fold, scan_image, squeeze

SCOPES = ("sentence", "paragraph", "document")
#: ``tag_segments`` windows: tiny ones make a stream of a long text cross many windows.
WINDOWS = (1, 2, 64, 4096, 1 << 20)

Key = tuple[int, int, str, str, str]
#: The share of texts on which the cached key index is checked against the automaton: its lookups,
#: in Python, cost twenty times the other invariants.
INDEX_SHARE = 1 / 64


@dataclass(frozen=True)
class Failure:
    """A broken invariant: which one, and what was seen."""

    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


def keys(mentions: Sequence[Mention]) -> list[Key]:
    """What identifies a mention: span, text, entry and alias."""
    return [(m.start, m.end, m.text, m.entry.id, m.alias) for m in mentions]


def chunks(rng: random.Random, text: str, cuts: Sequence[int], coarse: bool = False) -> list[str]:
    """``text`` in random consecutive pieces: tiny, random or large (only these if ``coarse``),
    or cut where a cut hurts (inside a mention in ``cuts``, inside CRLF, before a combining mark
    or joiner), with empty pieces among them."""
    n = len(text)
    how = rng.randrange(2, 4) if coarse else rng.randrange(4)
    if how == 0:
        points = set(range(0, n, rng.randint(1, 3)))
    elif how == 1:
        points = {rng.randint(0, n) for _ in range(rng.randint(1, 1 + n // 8))}
    elif how == 2:
        points = {rng.randint(0, n)} if rng.random() < 0.7 else set()
    else:
        tricky = [i for i in range(1, n) if _hurts(text, i)] + [c for c in cuts if 0 < c < n]
        points = set(rng.sample(tricky, min(len(tricky), rng.randint(1, 6)))) if tricky else {n // 2}
    ordered = sorted({0, n} | points)
    pieces = [text[a:b] for a, b in itertools.pairwise(ordered)]
    if rng.random() < 0.2:
        pieces.insert(rng.randint(0, len(pieces)), "")
    return pieces


def _hurts(text: str, i: int) -> bool:
    """Whether a cut before ``text[i]`` splits a sequence that reads as one (CRLF, a letter and
    its mark, a joined emoji, a separator inside a name)."""
    c = text[i]
    return (
        (text[i - 1] == "\r" and c == "\n")
        or c in "\u200d\ufe0f\u00ad-\u2010\u2011\u2013\u2014\u2212 \u00a0'\u2019"
        or unicodedata.category(c)[0] == "M"
        or 0x1F3FB <= ord(c) <= 0x1F3FF
    )


class Checker:
    """Runs the invariants with one Tagger and counts what it checked; with ``index`` (a cached
    automaton still answering from its key index, and the automaton itself), also that the two
    find the same keys, in a share of the texts (``INDEX_SHARE``)."""

    def __init__(self, tagger: Tagger, index: tuple[Cached, Any] | None = None) -> None:
        self.tagger, self.index = tagger, index
        self.counts: Counter[str] = Counter()

    def check(self, text: str, rng: random.Random) -> Failure | None:
        """The first invariant ``text`` breaks, or None; ``rng`` picks the stream's chunks,
        window, scope and mode."""
        self.counts["texts"] += 1
        self.counts["characters"] += len(text)
        if len(fold(text)) != len(text) or len(scan_image(text)) != len(text):
            return Failure("length", "fold or scan_image changed the length")
        if self.index is not None and rng.random() < INDEX_SHARE:
            cached, automaton = self.index
            for image in (f" {scan_image(text)} ", f" {scan_image(squeeze(text).text)} "):
                if cached.looked_up(image) != list(automaton.iter(image)):
                    return Failure("key index = automaton", f"the cached automaton's index and the automaton find different keys in {image!r}")
            self.counts["index checks"] += 1
        whole: dict[tuple[str, bool], list[Mention]] = {}
        for scope in SCOPES:
            for overlapping in (False, True):
                # the Tagger's own scope is paragraph: that call goes without a context argument
                context = None if scope == "paragraph" else scope
                mentions = self.tagger.tag(text, overlapping=overlapping, context=context)
                whole[scope, overlapping] = mentions
                failure = _shape(text, mentions, overlapping)
                if failure:
                    return Failure(f"{failure.invariant} ({scope}, overlapping={overlapping})", failure.detail)
            if keys(prefer_longest(whole[scope, True])) != keys(whole[scope, False]):
                return Failure(f"default = leftmost-longest of overlapping ({scope})", _diff(whole[scope, False], prefer_longest(whole[scope, True])))
            if not set(keys(whole[scope, False])) <= set(keys(whole[scope, True])):
                return Failure(f"default ⊆ overlapping ({scope})", _diff(whole[scope, False], whole[scope, True]))
        self.counts["mentions"] += len(whole["paragraph", False])
        for narrow, wide in itertools.pairwise(SCOPES):
            missing = set(keys(whole[narrow, True])) - set(keys(whole[wide, True]))
            if missing:
                return Failure(f"{narrow} ⊆ {wide}", f"only at {narrow}: {sorted(missing)[:3]}")
        return self._stream(text, rng, whole)

    def _stream(self, text: str, rng: random.Random, whole: dict[tuple[str, bool], list[Mention]]) -> Failure | None:
        long = len(text) > 4000
        scope = rng.choice(("sentence", "sentence", "paragraph") if long else SCOPES)
        overlapping = rng.random() < 0.3
        # A window far below the margins, fed in tiny pieces, rescans the margins at every piece
        # (time grows with length × margin): long texts get it only in a few large pieces.
        window = rng.choice(WINDOWS)
        coarse = long and window < 4096
        expected = keys(whole[scope, overlapping])
        cuts = [p for m in whole[scope, overlapping] for p in (m.start + 1, m.end - 1)]
        pieces = chunks(rng, text, cuts, coarse)
        where = f"{scope}, overlapping={overlapping}, window={window}, chunks={[len(p) for p in pieces][:40]}"
        segments = list(self.tagger.tag_segments(pieces, overlapping=overlapping, context=scope, window=window))
        self.counts["streams"] += 1
        self.counts["multi-window streams"] += len(segments) > 1
        if "".join(s.text for s in segments) != text:
            return Failure("segments tile the text", where)
        position = 0
        for s in segments:
            if s.start != position or (not s.text and not s.mentions):
                return Failure("segments are consecutive and not empty", f"{where}: segment at {s.start}, expected {position}")
            if any(not s.start <= m.start < s.start + len(s.text) for m in s.mentions):
                return Failure("a segment's mentions start in it", where)
            if not overlapping and any(m.end > s.start + len(s.text) for m in s.mentions):
                return Failure("a segment never cuts a mention", where)
            position += len(s.text)
        streamed = [m for s in segments for m in s.mentions]
        if keys(streamed) != expected:
            return Failure("stream = whole text", f"{where}: {_diff(whole[scope, overlapping], streamed)}")
        again = chunks(rng, text, cuts)
        if keys(list(self.tagger.tag_stream(again, overlapping=overlapping, context=scope))) != expected:
            return Failure("tag_stream = whole text", f"{scope}, overlapping={overlapping}, chunks={[len(p) for p in again][:40]}")
        return None


def _shape(text: str, mentions: list[Mention], overlapping: bool) -> Failure | None:
    """Exact spans, order, and no overlaps (unless ``overlapping``) or duplicates."""
    for m in mentions:
        if not (0 <= m.start < m.end <= len(text)) or text[m.start : m.end] != m.text:
            return Failure("exact span", f"{m.start}:{m.end} {m.text!r} vs {text[m.start : m.end]!r}")
    for a, b in itertools.pairwise(mentions):
        if (a.start, -a.end) > (b.start, -b.end):
            return Failure("sorted by start, longest first", f"{keys([a, b])}")
        if not overlapping and a.end > b.start:
            return Failure("no overlaps", f"{keys([a, b])}")
    if overlapping and len({(m.start, m.end, m.entry.id) for m in mentions}) != len(mentions):
        return Failure("each entry once per span", f"{keys(mentions)[:6]}")
    return None


def _diff(expected: Sequence[Mention], got: Sequence[Mention]) -> str:
    a, b = set(keys(expected)), set(keys(got))
    return f"missing {sorted(a - b)[:3]}, extra {sorted(b - a)[:3]}"
