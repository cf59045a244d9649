"""``munitag.collector.paused``: the garbage collector off for a block, then back as it was,
however blocks nest or overlap across threads; ``Tagger.tag`` pauses it on a long text."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from munitag import Tagger
from munitag.collector import paused


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations collected while the test runs."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def test_the_collector_is_off_in_the_block_and_on_again_after() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block ending does not end the outer one's pause
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_in_the_block_still_turns_it_back_on() -> None:
    with pytest.raises(KeyError), paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_overlapping_blocks_of_two_threads() -> None:
    """The first block to end, in another thread, leaves the collector off for the one still running."""
    entered, leave = threading.Event(), threading.Event()
    states: list[bool] = []

    def other() -> None:
        with paused():
            entered.set()
            leave.wait(10)
        states.append(gc.isenabled())

    with paused():
        thread = threading.Thread(target=other)
        thread.start()
        assert entered.wait(10)
        leave.set()
        thread.join(10)
        states.append(gc.isenabled())
    assert states == [False, False] and gc.isenabled()


def test_tag_runs_no_collection_on_a_long_text(mini: Tagger, collections: list[int]) -> None:
    text = "PFM-1 and MON-50. " * 60_000  # 1.08 M characters, 120,000 mentions
    short = text[: 50_000 * 18]  # under a million characters: the collector runs as usual
    gc.collect()
    collections.clear()
    mentions = mini.tag(text)
    during = len(collections)  # read before anything is made: a new object may set one off now
    # at most one: the young collection the first object made after the pause sets off
    assert during <= 1 and len(mentions) == 120_000 and gc.isenabled()
    del mentions
    gc.collect()
    collections.clear()
    mentions = mini.tag(short)
    during = len(collections)
    assert during > 100 and len(mentions) == 100_000  # one per 700 objects kept
