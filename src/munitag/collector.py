"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles.

Making objects sets off collections, and each one that reaches the oldest generation walks every
object in the process: with tens of thousands of kept objects and none of them in a cycle, that
is time spent finding nothing. Objects are still freed by reference counting while paused.
"""

from __future__ import annotations

import gc
from _thread import allocate_lock
from collections.abc import Iterator
from contextlib import contextmanager

_lock = allocate_lock()
_depth = 0  # paused blocks running now, in every thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs; it comes back on when the last paused block (of
    any thread) ends, if it was on when the first began. Pending collections then run as usual."""
    global _depth, _resume
    with _lock:
        if not _depth:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if not _depth and _resume:
                gc.enable()
