"""Tagging on several processes: one Tagger per worker, results in input order.

Work goes out in batches (a few hundred KB of text each), at most ``2 * jobs`` batches in flight,
so memory stays bounded however long the input is, and every worker is kept busy.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any, TypeVar

from .glossary import Glossary
from .matcher import Mention, Tagger

T = TypeVar("T")
R = TypeVar("R")

#: A mention as it crosses a process boundary: start, end, entry id, alias.
Found = tuple[int, int, str, str]

_BATCH_CHARS = 1 << 18
_BATCH_ITEMS = 256
_worker: Tagger | None = None


def _init(glossary: Glossary, context: str) -> None:
    global _worker
    if _worker is None or _worker.glossary is not glossary:  # forked workers inherit the parent's
        _worker = Tagger(glossary, context=context)


def worker_tagger() -> Tagger:
    """The Tagger of the current worker process."""
    assert _worker is not None, "called outside a munitag worker"
    return _worker


def _batches(items: Iterable[T], weigh: Callable[[T], int]) -> Iterator[list[T]]:
    batch: list[T] = []
    weight = 0
    for item in items:
        batch.append(item)
        weight += weigh(item)
        if weight >= _BATCH_CHARS or len(batch) >= _BATCH_ITEMS:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def run_ordered(
    tagger: Tagger,
    jobs: int,
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    weigh: Callable[[T], int] = lambda item: len(item) if isinstance(item, Sized) else 1,
) -> Iterator[tuple[T, R]]:
    """``(item, work-result)`` for every item, in input order, computed by ``jobs`` processes.

    ``work`` is a module-level function that takes a batch of items and returns one result per
    item; inside it, ``worker_tagger()`` is the worker's Tagger over ``tagger``'s glossary (the
    very same Tagger when workers are forked, a rebuilt one when they are spawned).
    """
    global _worker
    _worker = tagger
    with multiprocessing.Pool(jobs, initializer=_init, initargs=(tagger.glossary, tagger.context)) as pool:
        pending: deque[tuple[list[T], Any]] = deque()
        for batch in _batches(items, weigh):
            pending.append((batch, pool.apply_async(work, (batch,))))
            if len(pending) >= 2 * jobs:
                done, result = pending.popleft()
                yield from zip(done, result.get())
        while pending:
            done, result = pending.popleft()
            yield from zip(done, result.get())


def found(mentions: Iterable[Mention]) -> list[Found]:
    """Mentions in their compact, picklable form."""
    return [(m.start, m.end, m.entry.id, m.alias) for m in mentions]


def rebuild(text: str, compact: list[Found], glossary: Glossary) -> list[Mention]:
    """Mentions of ``text`` from their compact form."""
    mentions = []
    for start, end, entry_id, alias in compact:
        entry = glossary.get(entry_id)
        assert entry is not None
        mentions.append(Mention(start, end, text[start:end], entry, alias))
    return mentions


def _tag_texts(batch: list[str], overlapping: bool, context: str) -> list[list[Found]]:
    tagger = worker_tagger()
    return [found(tagger.tag(text, overlapping=overlapping, context=context)) for text in batch]


def tag_many(
    tagger: Tagger, texts: Iterable[str], *, jobs: int = 1, overlapping: bool = False, context: str | None = None
) -> Iterator[list[Mention]]:
    """``tagger.tag`` of every text, in order; ``jobs`` > 1 spreads the work over processes."""
    if jobs <= 1:
        for text in texts:
            yield tagger.tag(text, overlapping=overlapping, context=context)
        return
    work = functools.partial(_tag_texts, overlapping=overlapping, context=context or tagger.context)
    for text, compact in run_ordered(tagger, jobs, work, texts):
        yield rebuild(text, compact, tagger.glossary)
