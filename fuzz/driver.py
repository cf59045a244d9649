"""Running the text invariants on many generated texts, over several processes.

Texts are numbered; text ``i`` of seed ``s`` depends on nothing else, so work goes out in ranges
of numbers and a failure is reported as (seed, index) with a shrunk reproducer.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from munitag import Tagger, load_glossary
from munitag.compiled import Cached

from .invariants import Checker, Failure, keys
from .shrink import shrink
from .texts import Vocabulary, rng_at, text_at

RANGE = 2000  # texts per unit of work
MANY_SAMPLE = 400  # texts checked through tag_many(jobs=2)


@dataclass
class Found:
    """The first text that broke an invariant, and a smaller one that breaks it the same way."""

    seed: int
    index: int
    text: str
    failure: Failure
    shrunk: str = ""
    shrunk_failure: Failure | None = None


@dataclass
class Report:
    """What a run checked, how fast, and what failed."""

    seed: int
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    found: Found | None = None
    many: str | None = None  # what tag_many got wrong, if anything


class Fuzzer:
    """A Tagger over the bundled glossary with the texts' vocabulary."""

    def __init__(self) -> None:
        glossary = load_glossary()
        self.tagger = Tagger(glossary)
        self.vocabulary = Vocabulary.of(glossary)
        # the automaton cache, when there is one, answers short texts from its key index: checked
        # against the automaton on every text (the first Tagger above wrote the cache)
        cached = Tagger(glossary)._automaton
        self.index = (cached, cached._load()) if isinstance(cached, Cached) else None
        self.checker = Checker(self.tagger, self.index)

    def text(self, seed: int, index: int) -> str:
        return text_at(seed, index, self.vocabulary)

    def check(self, seed: int, index: int) -> tuple[str, Failure | None]:
        """Text ``index`` of ``seed`` and the first invariant it breaks, if any."""
        text = self.text(seed, index)
        return text, self.checker.check(text, rng_at(seed, index, checks=True))

    def run_range(self, seed: int, start: int, stop: int) -> tuple[Counter[str], Found | None]:
        """Check texts ``start``..``stop - 1``; stop at the first failure."""
        self.checker.counts = Counter()
        for index in range(start, stop):
            text, failure = self.check(seed, index)
            if failure:
                return self.checker.counts, Found(seed, index, text, failure)
        return self.checker.counts, None

    def reproduce(self, found: Found) -> None:
        """Fill in ``found.shrunk``: the text made small while an invariant of the same name
        breaks (with the stream choices of the original text, or of one of a few other seeds)."""
        name = found.failure.invariant

        def first(text: str) -> Failure | None:
            for rng in (rng_at(found.seed, found.index, checks=True), *(random.Random(k) for k in range(3))):
                failure = Checker(self.tagger, self.index).check(text, rng)
                if failure is not None and failure.invariant == name:
                    return failure
            return None

        found.shrunk = shrink(found.text, lambda text: first(text) is not None)
        found.shrunk_failure = first(found.shrunk) or found.failure

    def tag_many(self, seed: int, count: int) -> str | None:
        """What ``tag_many`` (one process, and two) gets wrong against ``tag`` on a sample of texts."""
        step = max(1, count // MANY_SAMPLE)
        texts = [self.text(seed, i) for i in range(0, count, step)]
        for options in ({}, {"overlapping": True, "context": "sentence"}):
            expected = [keys(self.tagger.tag(t, **options)) for t in texts]  # type: ignore[arg-type]
            for jobs in (1, 2):
                got = [keys(m) for m in self.tagger.tag_many(texts, jobs=jobs, **options)]  # type: ignore[arg-type]
                if got != expected:
                    bad = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
                    return f"tag_many(jobs={jobs}, {options}) differs from tag on text {bad * step} of {len(texts)} sampled ({len(got)} results)"
        return None


_fuzzer: Fuzzer | None = None


def _init() -> None:
    global _fuzzer
    _fuzzer = _fuzzer or Fuzzer()


def _work(unit: tuple[int, int, int]) -> tuple[Counter[str], Found | None]:
    _init()
    assert _fuzzer is not None
    return _fuzzer.run_range(*unit)


def run(seed: int, count: int, jobs: int, progress: Callable[[Counter[str]], None] = lambda counts: None) -> Report:
    """Check ``count`` texts of ``seed`` on ``jobs`` processes; stop at the first failure."""
    _init()
    assert _fuzzer is not None
    report = Report(seed)
    began = time.perf_counter()
    units = [(seed, start, min(count, start + RANGE)) for start in range(0, count, RANGE)]
    if jobs > 1:
        with multiprocessing.Pool(jobs, initializer=_init) as pool:
            for counts, found in pool.imap_unordered(_work, units):
                report.counts += counts
                progress(report.counts)
                if found and (report.found is None or found.index < report.found.index):
                    report.found = found
                    pool.terminate()
                    break
    else:
        for unit in units:
            counts, found = _fuzzer.run_range(*unit)
            report.counts += counts
            progress(report.counts)
            if found:
                report.found = found
                break
    report.seconds = time.perf_counter() - began
    if report.found is None:
        report.many = _fuzzer.tag_many(seed, count)
    else:
        _fuzzer.reproduce(report.found)
    return report
