"""Finding glossary aliases in text: the automaton, boundaries, spelling variants and overlaps.

Whether an ambiguous alias counts is decided in ``munitag.context``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import ahocorasick

from .collector import paused
from .context import EXCEPT, SHARED, Cues, Judge, check_scope, window
from .filters import Filter
from .glossary import Alias, Entry, Glossary
from .loader import load_glossary
from .normalize import (
    APOSTROPHES,
    DASHES,
    MAX_GAP,
    encode,
    fold,
    fold_shape,
    has_ignorables,
    image_of,
    is_folded_word_char,
    is_word_char,
    mixes_scripts,
    scan_image,
    separator_variants,
    skeleton,
    squeeze,
)
from .substitute import DEFAULT_MASK, masking, replacement, substituted

if TYPE_CHECKING:
    from .candidates import Candidate, Finder
    from .compiled import Table

_ENGLISH_END = re.compile(r"[a-z0-9]$")
_BLOCK = 1 << 16  # characters converted to the scan alphabet at a time
_WINDOW = 1 << 22  # characters of a long text ``Tagger.tag`` takes at a time, at least
_LONG = 1 << 20  # characters from which ``Tagger.tag`` pauses the garbage collector
_AMBIGUOUS = 2  # the rank an ambiguous alias adds to its pattern's
_RESOLVED = 1 << 14  # (key, group, surface) resolutions a Tagger remembers; hits repeat the same few
_HYPHENS = frozenset("-" + DASHES)
_APOSTROPHES = frozenset("'" + APOSTROPHES)
_SUFFIX_START = _APOSTROPHES | {"s", "S"}  # the characters an English ending can begin with
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
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

    def __repr__(self) -> str:
        """Short: the entry by its id, not the whole entry (fields and equality stay the dataclass's)."""
        return f"Mention(start={self.start}, end={self.end}, text={self.text!r}, entry={self.entry.id!r}, alias={self.alias!r})"

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


#: A mention as it crosses a process boundary: start, end, entry id, alias.
Packed = tuple[int, int, str, str]


def packed(mentions: Iterable[Mention]) -> list[Packed]:
    """Mentions in their compact, picklable form."""
    return [(m.start, m.end, m.entry.id, m.alias) for m in mentions]


def unpacked(text: str, compact: list[Packed], glossary: Glossary) -> list[Mention]:
    """The mentions of ``text`` that ``packed`` gave ``compact`` for."""
    mentions = []
    for start, end, entry_id, alias in compact:
        entry = glossary.get(entry_id)
        assert entry is not None
        mentions.append(Mention(start, end, text[start:end], entry, alias))
    return mentions


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
    rank: int  # lower wins a tie on the same span; 2 and above: an ambiguous alias
    number: int  # its place among the Tagger's patterns (and the cache table's pattern lines)

    def accepts(self, surface: str, lookalike: bool) -> bool:
        """Whether ``surface`` is in a case the alias accepts (always, unless case-sensitive)."""
        if not self.exact:
            return True
        shape = fold_shape(surface)
        return shape in self.exact or (lookalike and skeleton(shape) in {skeleton(e) for e in self.exact})


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
        context: Where an ambiguous alias looks for context unless a call says otherwise:
            ``"sentence"``, ``"paragraph"`` (default) or ``"document"`` (see ``munitag.context``).
        extra: Entries to add, as dicts in the entry-file shape (validated like entry files; an
            entry with the id of one in ``glossary`` replaces it); see ``munitag.overlay``.
        include: Keep only these entries: a ``Filter`` or a mapping such as
            ``{"category": ["landmine"], "origin": ["SU"]}`` (see ``munitag.filters``). Applied
            after ``extra``; ``glossary`` (the attribute) is then the filtered glossary.

    Raises:
        GlossaryError: the glossary or an ``extra`` entry breaks the format.
        FilterError: ``include`` names an unknown field or value.
    """

    def __init__(
        self,
        glossary: Glossary | str | Path | None = None,
        *,
        context: str = "paragraph",
        extra: Sequence[Mapping[str, Any]] | None = None,
        include: Filter | Mapping[str, Iterable[str] | str] | None = None,
    ) -> None:
        if not isinstance(glossary, Glossary):
            glossary = load_glossary(glossary)
        loaded = glossary
        if extra is not None:
            from .overlay import with_entries  # validation (jsonschema) loads only when entries are given

            glossary = with_entries(glossary, extra)
        if include is not None:
            glossary = Filter.of(include).apply(glossary)
        self.glossary = glossary
        self.context = check_scope(context)
        self._related = _related(glossary)
        self._automaton, self._values, self._patterns, self._longest = _automaton(glossary, _loaded_key(loaded) if extra is None else None, include)
        #: The most characters of text one key can cover once gaps and ignorables are squeezed.
        self._reach = (MAX_GAP + 1) * self._longest + 2
        self._finder: Finder | None = None  # built on the first call that asks for candidates
        #: The patterns a hit names, by (automaton value, group lead, surface): see ``_accepted``.
        self._resolved: dict[tuple[int, int, str], tuple[_Pattern, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """The Tagger without its resolution memo: a copy sent to a worker starts lean."""
        return {**self.__dict__, "_resolved": {}}

    @classmethod
    def from_dir(cls, path: str | Path) -> Tagger:
        """A Tagger over the glossary directory at ``path``."""
        return cls(load_glossary(path))

    @classmethod
    def from_entries(
        cls,
        entries: Sequence[Mapping[str, Any]],
        *,
        vocabularies: Glossary | str | Path | None = None,
        context: str = "paragraph",
        include: Filter | Mapping[str, Iterable[str] | str] | None = None,
    ) -> Tagger:
        """A Tagger over ``entries`` alone: dicts in the entry-file shape, validated like entry files.

        Args:
            entries: The entries (``id``, ``name``, ``kind``, ``category``, ``description``,
                ``aliases``, ``sources``; ``origin`` for items; see glossary/README.md).
            vocabularies: The glossary whose categories, origins, treaties and shared context
                words the entries use (None: the bundled glossary's); its entries are not tagged,
                but ``variant_of``, ``family`` and ``delivered_by`` may name them.
            context, include: As for ``Tagger``.

        Raises:
            GlossaryError: an entry breaks a rule; each problem's path names the entry and field
                (``<entries>[2].category``).
        """
        from .overlay import with_entries

        base = vocabularies if isinstance(vocabularies, Glossary) else load_glossary(vocabularies)
        glossary = with_entries(base, entries)
        given = {d["id"] for d in entries}  # validated: each has an id
        only = dataclasses.replace(glossary, entries=tuple(e for e in glossary if e.id in given))
        return cls(only, context=context, include=include)

    def __len__(self) -> int:
        return len(self.glossary)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.glossary

    def tag(self, text: str, *, overlapping: bool = False, context: str | None = None, candidates: bool = False) -> list[Any]:
        """Find mentions in ``text``.

        Args:
            text: Any string; offsets refer to it unchanged.
            overlapping: Return every candidate (each entry once per span, overlaps allowed)
                instead of the leftmost-longest, non-overlapping selection.
            context: Context scope of ambiguous aliases for this call (default: the Tagger's).
            candidates: Also return open-vocabulary ``munitag.candidates.Candidate``s: strings
                shaped like munition designations, in munition context, that name no entry
                (``kind`` "candidate", ``entry`` None). Off by default.

        Returns:
            Mentions (and candidates, when asked for) sorted by start, then longest first.

        On a text of a million characters or more, Python's cyclic garbage collector is paused
        until the call returns (``munitag.collector.paused``; tagging makes no reference cycles).
        """
        if not isinstance(text, str):
            raise TypeError(f"Tagger.tag expects str, not {type(text).__name__}")
        scope = self._scope(context)
        span = self._span(scope)
        mentions: list[Mention] = []
        seen: set[str] = set()  # as in ``_segments``: entries named unambiguously in earlier windows
        taken = 0
        # A long text makes tens of thousands of mentions, and none of its objects form a cycle:
        # the collections they would set off (each full one walking every object of the process)
        # took up to a tenth of the call (see ``munitag.collector``).
        with paused() if len(text) >= _LONG else nullcontext():
            # A long text a window at a time, with the same result (``_candidates`` reads only a
            # margin around its range): what a window's scan holds (candidates, context-word hits,
            # the judge) is freed before the next window, so a long text never holds it all at once.
            for lo in range(0, len(text), span):
                found = self._window(text, lo, min(len(text), lo + span), scope, seen, None if overlapping else taken)
                if found and not overlapping:
                    taken = -found[-1][1]
                mentions += _mentions(text, found, 0, self._patterns)
            if candidates:
                return self._with_candidates(text, mentions)
        return mentions

    def replace(self, text: str, by: str | Callable[[Mention], str] = "name", *, context: str | None = None) -> str:
        """``text`` with each mention (of ``tag``) replaced by its entry's ``name``, ``id`` or
        ``category``, or by what the function ``by`` returns for the ``Mention``; the text between
        mentions is unchanged (flashtext's ``replace_keywords``)."""
        return substituted(text, self.tag(text, context=context), replacement(by))

    def redact(self, text: str, mask: str = DEFAULT_MASK, *, context: str | None = None) -> str:
        """``text`` with each mention replaced by ``mask`` filled from ``Mention.to_dict()``
        (default ``[REDACTED:{category}]``)."""
        return substituted(text, self.tag(text, context=context), masking(mask))

    def finder(self) -> Finder:
        """The ``munitag.candidates.Finder`` over this Tagger's glossary (built once)."""
        if self._finder is None:
            from .candidates import Finder

            self._finder = Finder(self.glossary)
        return self._finder

    def _with_candidates(self, text: str, mentions: list[Mention]) -> list[Mention | Candidate]:
        merged: list[Mention | Candidate] = [*mentions, *self.finder().find(text, mentions)]
        merged.sort(key=lambda m: (m.start, -m.end))
        return merged

    def tag_stream(
        self, chunks: Iterable[str], *, overlapping: bool = False, context: str | None = None, candidates: bool = False
    ) -> Iterator[Any]:
        """Find mentions in a text given as consecutive pieces (e.g. a file read block by block).

        Memory stays bounded whatever the total length; offsets count from the start of the
        whole text, and the result equals ``tag("".join(chunks), ...)``.
        """
        for segment in self.tag_segments(chunks, overlapping=overlapping, context=context, candidates=candidates):
            yield from segment.mentions

    def tag_segments(
        self, chunks: Iterable[str], *, overlapping: bool = False, context: str | None = None, window: int = 1 << 20,
        candidates: bool = False,
    ) -> Iterator[Segment]:
        """Like ``tag_stream``, but yields the text too: consecutive ``Segment``s that tile the
        whole text, each with the mentions that start in it (for renderers).

        Args:
            chunks: The text in consecutive pieces of any size.
            overlapping: As for ``tag``.
            context: As for ``tag``.
            window: About how many characters are tagged at a time.
            candidates: As for ``tag``; each segment is then held back until the text that
                follows it has been read far enough to judge its candidates.
        """
        segments = self._segments(chunks, overlapping, context, window)
        return self._with_candidate_segments(segments) if candidates else segments

    def _with_candidate_segments(self, segments: Iterator[Segment]) -> Iterator[Segment]:
        """``segments`` with the candidates that start in each added to its mentions."""
        from .candidates import MARGIN

        finder = self.finder()
        pending: list[Segment] = []
        buffer, base = "", 0
        mentions: list[Mention] = []
        for segment in itertools.chain(segments, [None]):
            if segment is not None:
                pending.append(segment)
                buffer += segment.text
                mentions += segment.mentions
            end = base + len(buffer)
            while pending and (segment is None or pending[0].start + len(pending[0].text) + MARGIN <= end):
                first = pending.pop(0)
                found = finder.find(buffer, mentions, first.start, first.start + len(first.text), base=base)
                merged: list[Any] = [*first.mentions, *found]
                merged.sort(key=lambda m: (m.start, -m.end))
                yield Segment(first.start, first.text, merged)
            floor = (pending[0].start if pending else end) - MARGIN
            if floor > base:
                buffer, base = buffer[floor - base :], floor
                mentions = [m for m in mentions if m.end > base]

    def _segments(self, chunks: Iterable[str], overlapping: bool, context: str | None, window: int) -> Iterator[Segment]:
        """``tag_segments`` without candidates."""
        scope = self._scope(context)
        margin = self._margin(scope)
        seen: set[str] = set()  # entries mentioned unambiguously before the window (document scope)
        buffer, base, done, last_end, emitted = "", 0, 0, 0, 0
        # a window is tagged once the buffer (what is kept, and the new text) holds it and its margins
        for text, final in gathered(chunks, lambda size: size + len(buffer) >= window + 2 * margin):  # noqa: B023 (the buffer as it is then)
            buffer += text
            hi = len(buffer) if final else len(buffer) - margin
            candidates = self._window(buffer, done, hi, scope, seen, None if overlapping else last_end - base)
            mentions = _mentions(buffer, candidates, base, self._patterns)
            end = max(emitted, base + hi)
            if mentions and not overlapping:
                last_end = mentions[-1].end
                end = max(end, last_end)  # a segment never cuts a mention
            if end > emitted or mentions:
                yield Segment(emitted, buffer[emitted - base : end - base], mentions)
            emitted = end
            keep = max(0, min(hi, emitted - base) - margin)
            buffer, base, done = buffer[keep:], base + keep, hi - keep

    def _window(self, text: str, lo: int, hi: int, scope: str, seen: set[str], taken: int | None) -> list[_Candidate]:
        """The candidates that start in ``text[lo:hi]``, one window of a longer text: all of them
        when ``taken`` is None (overlapping), else the leftmost-longest selection after ``taken``
        (where the last mention chosen before ends). At document scope ``seen``, the entries
        named unambiguously in the windows before, gains those of this one."""
        candidates = self._candidates(text, lo, hi, scope, seen)
        if scope == "document":
            seen.update(c[3] for c in candidates if c[2] < _AMBIGUOUS)
        return candidates if taken is None else _leftmost_longest(candidates, taken)

    def tag_many(
        self, texts: Iterable[str], *, jobs: int = 1, overlapping: bool = False, context: str | None = None
    ) -> Iterator[list[Mention]]:
        """``tag`` of every text, in input order; ``jobs`` > 1 uses that many processes."""
        scope = self._scope(context)
        if jobs <= 1:
            return (self.tag(text, overlapping=overlapping, context=scope) for text in texts)
        from .parallel import run_ordered  # multiprocessing loads only when asked for

        work = functools.partial(_tag_texts, overlapping=overlapping, context=scope)
        return (unpacked(text, compact, self.glossary) for text, compact in run_ordered(self, jobs, work, texts))

    def _scope(self, context: str | None) -> str:
        return self.context if context is None else check_scope(context)

    def _span(self, scope: str) -> int:
        """Characters of a long text ``tag`` takes at a time: enough that re-reading the margins
        either side costs little."""
        return max(_WINDOW, 64 * self._margin(scope))

    def _margin(self, scope: str) -> int:
        """Characters of text either side of ``[lo, hi)`` that ``_candidates`` reads."""
        return 2 * self._reach + 2 * window(scope) + 8

    def _candidates(self, text: str, lo: int, hi: int, scope: str, seen: set[str] | frozenset[str] = frozenset()) -> list[_Candidate]:
        """Candidates starting in ``text[lo:hi]``, sorted by start, then longest, rank and id.

        Only ``_margin(scope)`` characters either side of ``[lo, hi)`` are read, so a caller that
        holds a window of a longer text gets exactly the whole-text result for that range;
        ``seen`` names the entries mentioned unambiguously before the window (document scope).
        """
        if not len(self._automaton) or lo >= hi:
            return []
        n = len(text)
        margin = self._margin(scope)
        plain: list[_Candidate] = []
        gated: list[_Candidate] = []
        cues = Cues()
        for start, end, patterns, _ in self._hits(text, max(0, lo - margin), min(n, hi + margin), cues):
            if start and text[start - 1] in _APOSTROPHES and _apostrophe_in_word(text, start - 1):
                continue
            after = text[end] if end < n else " "
            if after == " " or _closes(after):
                suffix_end, core_ok = 0, True
            elif after in _APOSTROPHES and _apostrophe_in_word(text, end):
                continue
            else:
                suffix_end = _english_suffix(text, end) if after in _SUFFIX_START else 0
                # a word may not continue past the key (the scan image, on folded text, already
                # saw a boundary unless an English ending or a hyphen and digit follow)
                core_ok = not ((is_folded_word_char(after) or _joined_number(text, end)) and is_folded_word_char(text[end - 1]))
            for p in patterns:
                # a case-sensitive alias takes only a lowercase plural: ADAMs, not the surname ADAMS
                if suffix_end and p.english and not (p.exact and after == "S"):
                    stop = suffix_end
                elif core_ok:
                    stop = end
                else:
                    continue
                candidate = (start, -stop, p.rank, p.entry.id, p.number)
                if p.rank < _AMBIGUOUS:
                    plain.append(candidate)
                elif lo <= start < hi:
                    gated.append(candidate)
        plain.sort()
        found = _best(plain) if len(plain) > 1 else plain
        if gated:
            judge = Judge(text, scope, cues, found, self._related, seen)
            accepted = [c for c in gated if judge(c[0], -c[1], c[3])]
            if accepted:
                found = _best(sorted(found + accepted))
        if found and (found[0][0] < lo or found[-1][0] >= hi):  # some start in the margins
            return found[bisect.bisect_left(found, (lo,)) : bisect.bisect_left(found, (hi,))]
        return found

    def _hits(self, text: str, lo: int, hi: int, cues: Cues) -> Iterator[_Hit]:
        """(start, end, patterns, surface) of every alias key whose first character lies in
        ``[lo, hi)``, that stands as a whole word and names a pattern; the key may run past ``hi``.

        ``surface`` is the text that matched, gaps squeezed (see ``normalize.squeeze``);
        ``patterns`` are those it names in a case they accept (see ``_accepted``). Context words and exception phrases whose key hit on the way are added to ``cues``.

        Text is scanned as it is, block by block. A block holding a soft hyphen or stress mark is
        scanned squeezed. Gaps are looked for only where a name of several words could span
        one: after a word that begins such a name (a probe key of the automaton); there, the
        names that start at that word are looked for once more in squeezed text.
        """
        for block in range(lo, hi, _BLOCK):
            block_end = min(hi, block + _BLOCK)
            gaps: list[int] = []
            yield from self._scan(text, block, block_end, cues, gaps)
            for at in gaps:
                for hit in self._scan(text, at, at + 1, cues, None):
                    if hit[1] - hit[0] != len(hit[3]):  # only what spans a gap is new
                        yield hit

    def _scan(
        self, text: str, lo: int, hi: int, cues: Cues, gaps: list[int] | None
    ) -> Iterator[_Hit]:
        """``_hits`` in ``[lo, hi)`` from one view of the text: as it is, unless it holds
        characters to squeeze (always squeezed when ``gaps`` is None); ``gaps`` collects the
        starts of probe keys followed by a gap."""
        n = len(text)
        # Two characters before ``lo`` decide whether a key may start there (the one right
        # before may be a soft hyphen or stress mark squeezed out).
        left, right = max(0, lo - 2), min(n, hi + self._longest + 2)
        chunk = text[left:right]
        encoded = encode(chunk)
        squeezed = None
        if gaps is None or has_ignorables(chunk, encoded):
            right = min(n, hi + self._reach)
            squeezed = squeeze(text[left:right])
            view, image = squeezed.text, scan_image(squeezed.text)
        else:
            view, image = chunk, image_of(encoded)
        pad = left == 0
        if pad:
            image = " " + image
        if right == n:
            image += " "
        values, resolved = self._values, self._resolved
        gap_at = gaps.append if gaps is not None and squeezed is None else None
        shift = 1 - pad
        for last, index in self._automaton.iter(image):
            length, groups, cue, probe = values[index]
            first = last + shift - length
            if probe and gap_at:
                follows = view[last - pad - 1 : last - pad + 1]  # the two characters after the word(s)
                at = left + first + probe - 1
                if follows.isspace() and follows != "\n\n" and lo <= at < hi:  # a blank line is no gap
                    gap_at(at)
            if cue is not None:  # kept as found; checked against the text only if needed
                at = first + cue[0]
                if squeezed:
                    start = left + squeezed.original(at)
                    if lo <= start < hi:
                        cues.squeezed.append((start, at, view, left, squeezed, cue))
                elif lo <= left + at < hi:  # kept by its place in the text, not in this block's copy
                    cues.starts.append(left + at)
                    cues.keys.append(cue)
            for lead, core, spellings in groups:
                at = first + lead
                start = left + (squeezed.original(at) if squeezed else at)
                if not lo <= start < hi:
                    continue
                surface = view[at : at + core]
                spelled = (index, lead, surface)
                try:
                    patterns = resolved[spelled]
                except KeyError:
                    if len(resolved) >= _RESOLVED:
                        resolved.clear()
                    patterns = resolved[spelled] = _accepted(spellings, surface)
                if patterns:
                    yield start, left + (squeezed.original(at + core) if squeezed else at + core), patterns, surface


def gathered(chunks: Iterable[str], enough: Callable[[int], bool]) -> Iterator[tuple[str, bool]]:
    """The text of ``chunks`` in consecutive runs, each with whether it is the last: a run ends
    once ``enough`` holds for its length in characters, and at the end of the text (the last run
    may be empty)."""
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        if chunk:
            if not isinstance(chunk, str):
                raise TypeError(f"Tagger.tag_stream expects str chunks, not {type(chunk).__name__}")
            pending.append(chunk)
            size += len(chunk)
            if enough(size):
                yield "".join(pending), False
                pending, size = [], 0
    yield "".join(pending), True


def _tag_texts(batch: list[str], overlapping: bool, context: str) -> list[list[Packed]]:
    """Worker side of ``Tagger.tag_many``."""
    from .parallel import worker_state

    tagger: Tagger = worker_state()
    return [packed(tagger.tag(text, overlapping=overlapping, context=context)) for text in batch]


def _related(glossary: Glossary) -> dict[str, frozenset[str]]:
    """For each entry, the entries whose unambiguous mention settles it at document scope: itself,
    its variants and what it is a variant of, its family head and the family's members."""
    links: dict[str, set[str]] = {e.id: {e.id} for e in glossary}
    for e in glossary:
        for other in (e.variant_of, e.family):
            if other and other != e.id:
                links[e.id].add(other)
                links.setdefault(other, {other}).add(e.id)
    return {k: frozenset(v) for k, v in links.items()}


def _accepted(spellings: dict[str, tuple[_Pattern, ...]], surface: str) -> tuple[_Pattern, ...]:
    """The patterns of one key group (its patterns by spelling) that ``surface``, the text a hit
    covers, names: those of its folded spelling, else of the spellings it equals with look-alike
    letters read as Latin; each in a case it accepts."""
    folded = fold(surface)
    patterns = spellings.get(folded)
    lookalike = patterns is None
    if patterns is None:
        patterns = _lookalike(spellings, surface, folded)
    return tuple(p for p in patterns if p.accepts(surface, lookalike))


def _lookalike(spellings: dict[str, tuple[_Pattern, ...]], surface: str, folded: str) -> tuple[_Pattern, ...]:
    """Patterns of the spellings (of one key) that ``folded`` equals once look-alike letters are
    read as Latin.

    That reading applies to a designation (the text holds a digit: ``РFM-1``, ``ТМ-62``) and to
    words that mix Latin and Cyrillic letters (``Lеpestok``); any other word must match as it
    is, so plain English and Russian words never match each other (``MOH`` is not ``МОН``).
    """
    shape = skeleton(folded)
    designation = _DIGIT.search(folded) is not None
    found: list[_Pattern] = []
    for spelling, patterns in spellings.items():
        if skeleton(spelling) == shape and (
            designation
            or all(folded[m.start() : m.end()] == spelling[m.start() : m.end()] or mixes_scripts(m.group()) for m in _WORD.finditer(surface))
        ):
            found += patterns
    return tuple(found)


def _loaded_key(glossary: Glossary) -> str | None:
    from .cache import key_of  # with the cache modules, imported when a Tagger is made

    return key_of(glossary)


def _automaton(glossary: Glossary, loaded_key: str | None, include: Filter | Mapping[str, Iterable[str] | str] | None) -> tuple[Any, _Values, _Patterns, int]:
    """``_build(glossary)``, from the automaton cache (``munitag.compiled``) when ``glossary`` is
    a glossary loaded under the cache key ``loaded_key``, filtered by ``include``; a built
    automaton is stored there for the next process."""
    if loaded_key is None:
        return _build(glossary)
    from . import compiled

    options = "" if include is None else repr(Filter.of(include))
    cache_key = compiled.key(loaded_key, options)
    found = compiled.read(cache_key, functools.partial(_rebuilt, glossary))
    if found is not None:
        automaton, table = found
        try:
            if table.header["entries"] == len(glossary):
                lazy = _Lazy(table.lines, table.header["patterns"], glossary)
                return automaton, lazy, lazy.patterns, table.header["longest"]
        except (KeyError, TypeError):
            pass
    automaton, values, patterns, longest = _build(glossary)
    compiled.write(cache_key, automaton, _table(glossary, values, patterns, longest))
    return automaton, values, patterns, longest


def _rebuilt(glossary: Glossary) -> Any:
    """The automaton of ``_build(glossary)`` alone: a cached one whose file turned out damaged
    (its values are the same, ``_build`` being deterministic)."""
    return _build(glossary)[0]


def _table(glossary: Glossary, values: list[_Value], patterns: list[_Pattern], longest: int) -> Table:
    """The cache table of an automaton: a line per pattern, then a line per value (see ``_Lazy``)."""
    place = {e.id: i for i, e in enumerate(glossary)}

    def line(data: object) -> bytes:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    lines = [line([place[p.entry.id], p.entry.aliases.index(p.alias), sorted(p.exact), p.english, p.rank]) for p in patterns]
    for length, groups, cue, probe in values:
        coded = [[lead, core, [[spelling, [p.number for p in found]] for spelling, found in by.items()]] for lead, core, by in groups]
        lines.append(line([length, coded, cue, probe]))
    from .compiled import Table

    return Table({"patterns": len(patterns), "longest": longest, "entries": len(glossary)}, lines)


class _Lazy(dict[int, "_Value"]):
    """Automaton values read from the cache table, each decoded when first hit (a start-up with a
    large glossary then decodes only what the text needs)."""

    def __init__(self, lines: Sequence[bytes], patterns: int, glossary: Glossary) -> None:
        super().__init__()
        self._lines, self._count, self._glossary = lines, patterns, glossary
        self.patterns: dict[int, _Pattern] = {}

    def __missing__(self, index: int) -> _Value:
        length, groups, cue, probe = json.loads(self._lines[self._count + index])
        value = (
            length,
            tuple((lead, core, {spelling: tuple(map(self._pattern, found)) for spelling, found in by}) for lead, core, by in groups),
            None if cue is None else (cue[0], cue[1], tuple((word, tuple(kinds)) for word, kinds in cue[2]), cue[3]),
            probe,
        )
        self[index] = value
        return value

    def _pattern(self, index: int) -> _Pattern:
        if index not in self.patterns:
            place, alias, exact, english, rank = json.loads(self._lines[index])
            entry = self._glossary.entries[place]
            self.patterns[index] = _Pattern(entry, entry.aliases[alias], frozenset(exact), english, rank, index)
        return self.patterns[index]


def _build(glossary: Glossary) -> tuple[Any, list[_Value], list[_Pattern], int]:
    """The automaton over scan-image keys (each key's value an index into the list of values,
    also returned), the patterns the values name, and the length of the longest key.

    A key is an alias spelling (or a spelling of one of its generated forms) in the scan alphabet
    with a space before it when it begins with a word character and a space after it when it
    ends with one, so it only hits whole words; an English ``s`` ending gets keys of its own
    (``'s`` needs none: ``_english_suffix`` finds it after the hit of the spelling alone).
    Different spellings can share a key (``pfm-1s`` and ``pfm-1`` + ``s``; ``tm-62`` in Latin
    and in Cyrillic letters), so a key's value lists (lead, core length, patterns by exact folded
    spelling) groups, and every hit is checked against the text.
    """
    spellings: dict[str, list[_Pattern]] = {}
    made: list[_Pattern] = []  # every pattern, by number
    for entry in glossary:
        for alias in entry.aliases:
            texts = (alias.text, *glossary.forms_of(alias))
            rank = _AMBIGUOUS * alias.ambiguous + (not alias.case_sensitive)
            exact = frozenset(v for t in texts for v in separator_variants(fold_shape(t))) if alias.case_sensitive else frozenset()
            pattern = _Pattern(entry, alias, exact, bool(_ENGLISH_END.search(fold(alias.text))), rank, len(made))
            made.append(pattern)
            for text in texts:
                for spelling in separator_variants(fold(text)):
                    found = spellings.setdefault(spelling, [])
                    if not found or found[-1] is not pattern:
                        found.append(pattern)
    keys: dict[str, dict[tuple[int, int], dict[str, tuple[_Pattern, ...]]]] = {}
    words: dict[str, dict[str, list[str]]] = {}  # key -> folded context word -> kinds
    for word, kind in _cue_words(glossary):
        folded = fold(word.rstrip("*"))
        lead = " " if is_word_char(folded[0]) else ""
        trail = " " if is_word_char(folded[-1]) and not word.endswith("*") else ""
        kinds = words.setdefault(lead + scan_image(folded) + trail, {}).setdefault(folded, [])
        if kind not in kinds:
            kinds.append(kind)
    probes: dict[str, int] = {}  # key -> lead: a word that begins a name of several words
    for phrase in [*spellings, *(fold(w) for w, _ in _cue_words(glossary))]:
        lead = " " if is_word_char(phrase[0]) else ""
        for space in (i for i, c in enumerate(phrase) if c == " " and i and is_word_char(phrase[i - 1])):
            probes[lead + scan_image(phrase[:space]) + "  "] = len(lead)  # two non-word characters follow
    # Spellings whose scan image some spelling without an English ending shares (``9M27K`` and
    # the Cyrillic ``9М27К``): only they need a key for "'s". For the others the key of the
    # spelling alone, a prefix of it (the apostrophe is a space in the scan image), hits there
    # too and finds the same patterns, and the ending is checked in the text.
    plain = {scan_image(spelling) for spelling, patterns in spellings.items() if not any(p.english for p in patterns)}
    for spelling, patterns in spellings.items():
        lead = " " if is_word_char(spelling[0]) else ""
        trail = " " if is_word_char(spelling[-1]) else ""
        english = any(p.english for p in patterns)
        endings = [""] + (["s"] if english else []) + ([" s"] if english and scan_image(spelling) in plain else [])
        for ending in endings:
            key = lead + scan_image(spelling) + ending + trail
            groups = keys.setdefault(key, {})
            groups.setdefault((len(lead), len(spelling)), {})[spelling] = tuple(patterns)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    values: list[_Value] = []
    for key in sorted(keys.keys() | words.keys() | probes.keys(), key=_trie_order):
        grouped = tuple((lead, core, by) for (lead, core), by in keys.get(key, {}).items())
        cue = None
        if key in words:
            cue_words = tuple((folded, tuple(kinds)) for folded, kinds in words[key].items())
            cue = (int(key.startswith(" ")), len(next(iter(words[key]))), cue_words, any(EXCEPT in kinds for _, kinds in cue_words))
        # a probe's value is 1 + its lead, so that a probe key with no lead is still true
        automaton.add_word(key, len(values))
        values.append((len(key), grouped, cue, probes[key] + 1 if key in probes else 0))
    if len(automaton):
        automaton.make_automaton()
    return automaton, values, made, max(map(len, keys.keys() | words.keys()), default=0)


# pyahocorasick finds a node's child by a linear search of its children, kept in the order they
# were added: adding keys with the characters that most often begin a word first makes the
# search at every word start short. The order: word-initial scan-image characters by frequency
# in the real reporting of bench/realtext (English, Russian and Ukrainian), the space first.
_WORD_STARTS = scan_image(" mпbtocahpkдзiyибwseгrчdлfu2яl1цxжфn3э65щgш47ї8єйjvґ9qz0")
_RANKED = {ord(c): chr(1 + i) for i, c in enumerate(_WORD_STARTS)}
_TRIE_ORDER = str.maketrans({chr(b): _RANKED.get(b, chr(0x100 + b)) for b in range(0x100)})


def _trie_order(key: str) -> str:
    """A sort key for scan-image keys: by ``_WORD_STARTS``, then by code point."""
    return key.translate(_TRIE_ORDER)


def _cue_words(glossary: Glossary) -> Iterator[tuple[str, str]]:
    """(word, kind) of every context word and exception phrase, generated forms included: the
    automaton finds them in the same pass as the aliases (see ``munitag.context.Judge``)."""
    for word in glossary.context_words():
        yield word, SHARED
    for phrase in glossary.context_exceptions():
        yield phrase, EXCEPT
    for entry in glossary:
        for word in glossary.entry_context(entry):
            yield word, entry.id


#: An automaton value: key length, (lead, core length, patterns by spelling) groups, context cue, probe.
_Value = tuple[int, tuple[tuple[int, int, dict[str, tuple[_Pattern, ...]]], ...], Any, int]
_Values = list[_Value] | _Lazy
_Patterns = list[_Pattern] | dict[int, _Pattern]  # by number; a _Lazy's hold those decoded so far
#: A candidate: start, -stop, rank, entry id, pattern number. It sorts right and, holding no
#: object the collector tracks, is untracked by its first collection: the candidates of a
#: window never reach the old generation, whose collections walk the whole heap.
_Candidate = tuple[int, int, int, str, int]
_Hit = tuple[int, int, tuple[_Pattern, ...], str]  # start, end, patterns, surface


def _best(candidates: list[_Candidate]) -> list[_Candidate]:
    """The best-ranked of sorted candidates for each span and entry: the first, as they sort by
    span, then rank."""
    kept: list[_Candidate] = []
    start = stop = 0  # the span (start, -stop) in hand; no candidate has stop 0
    first = ""  # its entries so far: the first, and any others (rare)
    others: set[str] = set()
    for c in candidates:
        if c[0] != start or c[1] != stop:
            start, stop, first = c[0], c[1], c[3]
            if others:
                others = set()
        elif c[3] == first or c[3] in others:
            continue
        else:
            others.add(c[3])
        kept.append(c)
    return kept


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


# A Mention's fields set straight through their slots: a frozen dataclass's __init__ goes through
# object.__setattr__ for each, which took half of making a mention (and a text dense with
# mentions spends a sixth of its tagging there). Equal to Mention(start, end, text, entry, alias);
# a field added to Mention must be set here too (reading an unset slot raises AttributeError).
_NEW = object.__new__
_SET_START, _SET_END, _SET_TEXT, _SET_ENTRY, _SET_ALIAS = (vars(Mention)[name].__set__ for name in ("start", "end", "text", "entry", "alias"))


def _mentions(text: str, candidates: list[_Candidate], offset: int, patterns: _Patterns) -> list[Mention]:
    """The mentions of ``candidates`` in ``text``, whose offset in the whole input is ``offset``."""
    made = []
    for start, stop, _, _, number in candidates:
        p = patterns[number]
        mention = _NEW(Mention)
        _SET_START(mention, start + offset)
        _SET_END(mention, offset - stop)
        _SET_TEXT(mention, text[start:-stop])
        _SET_ENTRY(mention, p.entry)
        _SET_ALIAS(mention, p.alias.text)
        made.append(mention)
    return made


def _apostrophe_in_word(text: str, at: int) -> bool:
    """True when the apostrophe at ``at`` stands between two Cyrillic letters: in Ukrainian and
    Belarusian it is part of the word (``м'ясо``, ``пом'якшення``), so no name begins or ends there."""
    if not 0 < at < len(text) - 1:
        return False
    before, after = text[at - 1], text[at + 1]
    return "\u0400" <= before <= "\u052f" and "\u0400" <= after <= "\u052f" and before.isalpha() and after.isalpha()


@functools.cache
def _closes(char: str) -> bool:
    """Whether ``char`` right after a key ends the name there: no word character (once folded),
    apostrophe or hyphen, so neither an English ending nor a longer word or number follows."""
    return not (is_folded_word_char(char) or char in _APOSTROPHES or char in _HYPHENS)


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
    return stop if stop == n or not is_folded_word_char(text[stop]) else 0
