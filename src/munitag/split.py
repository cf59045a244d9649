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
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator

from .matcher import Mention, Segment, Tagger

#: About how many characters of text go to a worker at a time.
WINDOW = 1 << 20
#: A piece of the text: its own range [start, end), and the text from ``lo`` that holds it and its margins.
Piece = tuple[int, int, int, str]
#: A candidate as it crosses the process boundary: start, end, entry id, alias, offsets in the whole text.
_Found = tuple[int, int, str, str]


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
    pending: list[str] = []
    size = 0
    for chunk in itertools.chain(chunks, [None]):
        final = chunk is None
        if chunk:
            if not isinstance(chunk, str):
                raise TypeError(f"Tagger.tag_stream expects str chunks, not {type(chunk).__name__}")
            pending.append(chunk)
            size += len(chunk)
        if not final and size < window:
            continue
        buffer = "".join([buffer, *pending])
        pending, size = [], 0
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
    return [[(c[0] + lo, lo - c[1], c[3], c[4].alias.text) for c in tagger._candidates(text, start - lo, end - lo, scope)] for start, end, lo, text in pieces]
