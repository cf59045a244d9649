"""An ordered process pool: work on batches of items in several processes, results in input order.

Work goes out in batches (a few hundred KB of text each by default), at most ``2 * jobs`` batches in flight,
so memory stays bounded however long the input is, and every worker is kept busy. The pool knows
nothing of tagging: each worker holds a ``state`` object (a Tagger, for munitag) that the work
function reads with ``worker_state()``.

Workers ignore SIGINT: on Ctrl-C only the parent gets ``KeyboardInterrupt``; leaving
``run_ordered`` (by an exception, or by closing the generator) terminates the pool.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from contextlib import ExitStack, contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_BATCH_CHARS = 1 << 18
_BATCH_ITEMS = 256
_state: Any = None


def _start(state: Any) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it), then keep ``state``."""
    global _state
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _state = state


def worker_state() -> Any:
    """The ``state`` given to ``run_ordered``, inside a worker process."""
    assert _state is not None, "called outside a munitag worker"
    return _state


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Hold back SIGINT while workers are forked (they inherit the mask; ``_start`` ignores the
    signal, then unblocks it), so a Ctrl-C then reaches the parent only, once it is unblocked."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _batches(items: Iterable[T], weigh: Callable[[T], int], most: int) -> Iterator[list[T]]:
    """``items`` in batches; when ``items`` breaks off with an error, the batch begun is yielded
    first, then the error raised."""
    batch: list[T] = []
    weight = 0
    try:
        for item in items:
            batch.append(item)
            weight += weigh(item)
            if weight >= most or len(batch) >= _BATCH_ITEMS:
                yield batch
                batch, weight = [], 0
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def run_ordered(
    state: Any,
    jobs: int,
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    weigh: Callable[[T], int] = lambda item: len(item) if isinstance(item, Sized) else 1,
    weight: int = _BATCH_CHARS,
) -> Generator[tuple[T, R], None, None]:
    """``(item, work-result)`` for every item, in input order, computed by ``jobs`` processes.

    ``work`` is a module-level function that takes a batch of items and returns one result per
    item; inside it, ``worker_state()`` is ``state`` (the very object when workers are forked, a
    pickled copy when they are spawned). ``weigh`` sizes an item for batching; a batch closes once
    it weighs ``weight`` (each batch costs the pool about a millisecond of the parent's time). When ``items``
    raises an error, every item read before it still comes out, then the error is raised.
    """
    with ExitStack() as stack:  # terminates the workers however the caller leaves
        with _sigint_blocked():  # a Ctrl-C held back here surfaces once the pool is on the stack
            pool = stack.enter_context(multiprocessing.Pool(jobs, initializer=_start, initargs=(state,)))
        pending: deque[tuple[list[T], Any]] = deque()
        batches = _batches(items, weigh, weight)
        failure: Exception | None = None
        while True:
            try:
                batch = next(batches, None)
            except Exception as exc:  # reading the items broke off: the work on those read comes out first
                failure = exc
                break
            if batch is None:
                break
            pending.append((batch, pool.apply_async(work, (batch,))))
            if len(pending) >= 2 * jobs:
                done, result = pending.popleft()
                yield from zip(done, result.get())
        while pending:
            done, result = pending.popleft()
            yield from zip(done, result.get())
        if failure is not None:
            raise failure
