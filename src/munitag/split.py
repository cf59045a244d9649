"""One long text on several processes: ``Tagger.tag_segments`` with the pieces tagged in parallel.

The text is cut into pieces of about ``window`` characters as it is read; each piece goes to a
worker with the ``margin`` of text either side that the streaming tagger keeps (``Tagger._margin``),
so the worker finds exactly the candidates that tagging the whole text finds in that piece. The
parent then makes the one sequential choice, leftmost-longest across piece boundaries, and yields
the same mentions as ``Tagger.tag_segments``; at most ``2 * jobs`` pieces are in flight, so memory
stays bounded whatever the length of the text.

A text of fewer than ``2 * jobs`` pieces is tagged in the calling process: starting workers would
cost more than they save. Document scope is the other exception: whether an ambiguous alias counts there depends on everything
before it, so that scope is tagged in one process.

A regular file can go further (``tag_file``): each worker reads its own byte ranges of the file,
decodes and tags them and encodes their mentions, so that the parent only adds up offsets and
writes; a range's boundaries are moved to the next character start, so neighbouring workers
agree on them without talking. ``big_file``, ``byte_ranges`` and ``run_ranges`` serve any such
work on the ranges of a file (``munitag enrich`` reads whole lines from them).
"""

from __future__ import annotations

import functools
import itertools
import os
import stat
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from typing import Any, TypeVar

from .errors import InputError
from .matcher import Mention, Segment, Tagger, _leftmost_longest, _mentions, gathered
from .names import shown_name

#: About how many characters of text go to a worker at a time.
WINDOW = 1 << 20
#: A piece of the text: its own range [start, end), and the text from ``lo`` that holds it and its margins.
Piece = tuple[int, int, int, str]
#: A candidate as it crosses the process boundary: start, end, entry id, alias, offsets in the whole text.
_Found = tuple[int, int, str, str]

#: About how many bytes of a file a worker reads and tags at a time (``tag_file``).
PIECE_BYTES = 1 << 19
#: At most this many bytes of a file in the ranges a worker gets at once (``parallel.run_ordered``'s
#: batch; a smaller file goes out in ``4 * jobs`` batches or more).
BATCH_BYTES = 8 << 20
#: A byte range of a file for a worker: path, size of the file when the run began, [start, stop).
_Range = tuple[str, int, int, int]
#: The mentions of a range, chosen as if the text before it was covered up to a given offset:
#: their encodings joined (a %-template, UTF-8), their start and end offsets, the end of the last one.
_Choice = tuple[bytes, list[int], int | None]
#: What a worker returns for a range: its characters; its choices by the offset covered before it
#: (0: nothing reaches into the range), None when bad bytes left none of it to tag; its problem.
_Tagged = tuple[int, dict[int, _Choice] | None, str | None]
#: A worker's problem with a range that is no read error: bytes that are not UTF-8.
_NOT_UTF8 = ""
R = TypeVar("R")


def tag_segments(
    tagger: Tagger, chunks: Iterable[str], jobs: int, *, overlapping: bool = False, context: str | None = None, window: int | None = None
) -> Iterator[Segment]:
    """``tagger.tag_segments(chunks, ...)`` on ``jobs`` processes: the same mentions, in
    consecutive segments that tile the text (cut at piece boundaries, never inside a mention
    unless ``overlapping``); ``window`` (default ``WINDOW``) is the size of a piece."""
    scope = tagger._scope(context)
    window = window or WINDOW
    if jobs <= 1 or scope == "document":
        yield from tagger.tag_segments(chunks, overlapping=overlapping, context=scope, window=window)
        return
    pieces = _pieces(chunks, window, tagger._margin(scope))
    first = list(itertools.islice(pieces, 2 * jobs))
    results: Iterable[tuple[Piece, list[_Found]]]
    if len(first) < 2 * jobs:  # a short text: not worth starting processes
        results = zip(first, _found(tagger, first, scope))
    else:
        from .parallel import run_ordered

        work = functools.partial(_candidates, scope=scope)
        results = run_ordered(tagger, jobs, work, itertools.chain(first, pieces), weigh=lambda piece: len(piece[3]))
    taken = emitted = 0
    for (_, end, lo, text), found in results:
        mentions = []
        for s, e, entry_id, alias in found:
            if overlapping or s >= taken:
                entry = tagger.glossary.get(entry_id)
                assert entry is not None
                mentions.append(Mention(s, e, text[s - lo : e - lo], entry, alias))
                taken = e
        stop = max(emitted, end)
        if mentions and not overlapping:
            stop = max(stop, mentions[-1].end)  # a segment never cuts a mention
        if stop > emitted or mentions:
            yield Segment(emitted, text[emitted - lo : stop - lo], mentions)
        emitted = stop


def _pieces(chunks: Iterable[str], window: int, margin: int) -> Iterator[Piece]:
    """The text of ``chunks`` in pieces of ``window`` characters, each with up to ``margin``
    characters of text either side."""
    buffer, base, start = "", 0, 0  # buffer holds the text from offset base; start: the next piece's
    for text, final in gathered(chunks, lambda size: size >= window):
        buffer += text
        top = base + len(buffer)
        while start < top and (final or start + window + margin <= top):
            end = min(start + window, top)
            lo = max(base, start - margin)
            yield start, end, lo, buffer[lo - base : min(top, end + margin) - base]
            start = end
        keep = max(0, start - margin - base)
        buffer, base = buffer[keep:], base + keep


def _candidates(pieces: list[Piece], scope: str) -> list[list[_Found]]:
    """Worker side: the candidates that start in each piece, in ``Tagger._candidates`` order."""
    from .parallel import worker_state

    return _found(worker_state(), pieces, scope)


def _found(tagger: Tagger, pieces: list[Piece], scope: str) -> list[list[_Found]]:
    return [[(c[0] + lo, lo - c[1], c[3], tagger._patterns[c[4]].alias.text) for c in tagger._candidates(text, start - lo, end - lo, scope)] for start, end, lo, text in pieces]



def splittable(tagger: Tagger, name: str, jobs: int, context: str | None = None) -> bool:
    """Whether ``tag_file`` would tag ``name`` on ``jobs`` processes: a ``big_file``, not at
    document scope (standard input, pipes and the rest keep ``tag_segments``)."""
    return tagger._scope(context) != "document" and big_file(name, jobs)


def big_file(name: str, jobs: int) -> bool:
    """Whether ``name`` is a regular file of at least ``2 * jobs`` ranges, worth ``jobs`` > 1
    processes that read their own ranges of it (``byte_ranges``; not on Windows, which has no
    ``os.pread``)."""
    if jobs <= 1 or name == "-" or not hasattr(os, "pread"):
        return False
    try:
        status = os.stat(name)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size >= 2 * jobs * PIECE_BYTES


def byte_ranges(name: str, piece: int | None = None) -> list[_Range]:
    """The file ``name`` in consecutive ranges of ``piece`` bytes (default ``PIECE_BYTES``)."""
    size = os.stat(name).st_size
    piece = piece or PIECE_BYTES
    return [(name, size, start, min(size, start + piece)) for start in range(0, size, piece)]


def run_ranges(state: Any, jobs: int, work: Callable[[list[_Range]], list[R]], ranges: list[_Range]) -> Generator[tuple[_Range, R], None, None]:
    """``parallel.run_ordered`` over byte ranges of a file, in batches of up to ``BATCH_BYTES``."""
    from .parallel import run_ordered

    size, piece = (ranges[-1][3], ranges[0][3]) if ranges else (0, 1)
    return run_ordered(state, jobs, work, ranges, weigh=lambda r: r[3] - r[2], weight=min(BATCH_BYTES, max(piece, size // (4 * jobs))))


def tag_file(
    tagger: Tagger, name: str, jobs: int, encode: Callable[[Mention], str], separator: str, *, overlapping: bool = False,
    context: str | None = None, piece: int | None = None, progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The mentions of the regular file ``name``, as ``Tagger.tag_stream`` finds them (not at
    document scope: see ``splittable``), tagged and encoded on ``jobs`` processes that each read
    their own byte ranges of about ``piece`` bytes (default ``PIECE_BYTES``).

    ``encode`` (a module-level function, run in the workers) gives a mention as a %-template with
    ``%d`` for its start and its end, in that order (and ``%%`` for ``%``). Yields, per range
    tagged, the encodings of its mentions with their offsets (characters from the start of the
    file) filled in, joined by ``separator``, as UTF-8; ``progress`` gets the bytes of each range.

    Raises:
        InputError: the file cannot be read, or is not UTF-8 (the message of ``read_chunks``), once
            every mention that starts ``Tagger._margin`` characters or more before the bad byte has
            come out.
    """
    scope = tagger._scope(context)
    ranges = byte_ranges(name, piece)
    results: Generator[tuple[_Range, _Tagged], None, None]
    if len(ranges) < 2 * jobs:  # a short file: not worth starting processes
        results = ((r, _tag_range(tagger, r, scope, overlapping, encode, separator)) for r in ranges)
    else:
        work = functools.partial(_tag_ranges, scope=scope, overlapping=overlapping, encode=encode, separator=separator)
        results = run_ranges(tagger, jobs, work, ranges)
    base = taken = 0  # characters before the range; the end of the last mention chosen
    with closing(results):  # however the caller leaves, the workers end
        for (_, _, start, stop), (chars, choices, problem) in results:
            if progress is not None:
                progress(stop - start)
            if choices is not None:
                # leftmost-longest across range boundaries, the one sequential choice: the worker
                # chose for each way a mention of the ranges before can reach into this one
                template, offsets, last = choices.get(max(0, taken - base)) or choices[0]  # (only a changed file lacks one)
                if last is not None:
                    taken = base + last
                yield template % tuple(map(base.__add__, offsets))
            base += chars
            if problem is not None:
                _fail(name, problem)


def _fail(name: str, problem: str) -> None:
    """Raise the ``InputError`` for ``problem`` with ``name``: for bad bytes, the very error of
    ``read_chunks`` (which reads the file again up to them)."""
    from .inputs import read_chunks

    if problem != _NOT_UTF8:
        raise InputError(f"{shown_name(name)}: cannot read: {problem}")
    for _ in read_chunks(name):
        pass
    raise InputError(f"{shown_name(name)}: changed while it was read")


def _tag_ranges(ranges: list[_Range], scope: str, overlapping: bool, encode: Callable[[Mention], str], separator: str) -> list[_Tagged]:
    """Worker side of ``tag_file``."""
    from .parallel import worker_state

    tagger = worker_state()
    return [_tag_range(tagger, r, scope, overlapping, encode, separator) for r in ranges]


def _tag_range(tagger: Tagger, where: _Range, scope: str, overlapping: bool, encode: Callable[[Mention], str], separator: str) -> _Tagged:
    """One byte range (its ends moved to character starts) read, decoded, tagged and encoded.

    The range is read with ``Tagger._margin`` characters either side (four bytes each at most),
    so its candidates are those of the whole text, and with the most characters a candidate can
    span (``Tagger._reach`` and an English ending) further left, to see the candidates of the
    ranges before that reach into it. When bad bytes end the text in the range or in its right
    margin, only candidates that start a margin or more before them are given.
    """
    name, size, start, stop = where
    margin, longest = tagger._margin(scope), tagger._reach + 2
    lo = max(0, start - 4 * (margin + longest) - 8)
    try:
        data = _read(name, lo, min(size, stop + 4 * margin + 8) - lo)
    except OSError as exc:
        return 0, None, exc.strerror or str(exc)
    n = len(data)
    left = _char_start(data, 0) if lo else 0
    begin = min(n, _char_start(data, start - lo) if start else 0)
    end = max(begin, min(n, _char_start(data, stop - lo) if stop < size else n))
    right = n if lo + n >= size else _char_start(data, max(end, n - 4))  # no character cut where the reading stopped
    whole = memoryview(data)
    try:  # the range and its margins decoded at once (a big file has few bad bytes)
        view = str(whole[left:right], "utf-8")
        first, after, bad, cut = len(str(whole[left:begin], "utf-8")), len(str(whole[end:right], "utf-8")), None, None
    except UnicodeDecodeError:
        before = str(whole[left:begin], "utf-8", "replace")  # bad bytes there are an earlier range's to report
        own, bad = _decoded(whole[begin:end])
        rest, cut = ("", None) if bad is not None else _decoded(whole[end:right])
        view, first, after = before + own + rest, len(before), len(rest)
    chars = len(view) - first - after
    hi = first + chars
    if bad is not None or cut is not None:
        hi = min(hi, len(view) - margin)
    problem = None if bad is None else _NOT_UTF8
    if hi <= first:
        return chars, None, problem
    found = tagger._candidates(view, max(0, first - longest), hi, scope)
    ahead = next((i for i, c in enumerate(found) if c[0] >= first), len(found))
    mine = found[ahead:]
    encoded: dict[int, str] = {}  # by id of the candidate: each encoded once

    def choice(taken: int) -> _Choice:
        chosen = mine if overlapping else _leftmost_longest(mine, taken)
        offsets = [x for c in chosen for x in (c[0] - first, -c[1] - first)]
        for c in chosen:
            if id(c) not in encoded:
                encoded[id(c)] = encode(_mentions(view, [c], -first, tagger._patterns)[0])
        return separator.join(encoded[id(c)] for c in chosen).encode("utf-8"), offsets, None if overlapping or not chosen else -chosen[-1][1] - first

    reaching = set() if overlapping else {-c[1] - first for c in found[:ahead] if -c[1] > first}
    return chars, {0: choice(first), **{into: choice(first + into) for into in reaching}}, problem


def _read(name: str, offset: int, length: int) -> bytes:
    """``length`` bytes of the file ``name`` from ``offset`` (fewer where it ends)."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        while length > 0:
            part = os.pread(fd, length, offset)
            if not part:
                break
            parts.append(part)
            offset, length = offset + len(part), length - len(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def _char_start(data: bytes, at: int) -> int:
    """``at`` moved past UTF-8 continuation bytes (three at most) to where a character starts."""
    stop = min(len(data), at + 3)
    while at < stop and 0x80 <= data[at] < 0xC0:
        at += 1
    return at


def _decoded(data: memoryview) -> tuple[str, int | None]:
    """The text of ``data`` up to its first bad byte, and that byte's offset (None: all UTF-8)."""
    try:
        return str(data, "utf-8"), None
    except UnicodeDecodeError as exc:
        return str(data[: exc.start], "utf-8"), exc.start
