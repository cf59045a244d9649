"""A bounded slice of ``make fuzz``: a few thousand generated texts through the library
invariants, and every hostile file case through every command of the real CLI once."""

from __future__ import annotations

from typing import Any

import ahocorasick
import pytest

from fuzz.commands import Outcome, enrich_problems, run_all
from fuzz.driver import run
from fuzz.files import cases
from fuzz.invariants import INDEX_SHARE, Checker
from fuzz.shrink import shrink
from fuzz.texts import LONG_EVERY, Vocabulary, text_at
from munitag import Tagger


def test_generated_texts_keep_every_invariant() -> None:
    report = run(seed=2026, count=3000, jobs=1)
    assert report.found is None, f"{report.found.failure} in {report.found.shrunk!r}" if report.found else ""
    assert report.many is None
    assert report.counts["texts"] == 3000
    assert report.counts["mentions"] > 1000
    assert report.counts["multi-window streams"] > 0  # some streams are cut into several windows
    assert report.counts["index checks"] > 3000 * INDEX_SHARE / 2  # the session has an automaton cache: its key index is checked too


def test_texts_are_reproducible_and_reach_the_hard_cases(bundled: Tagger) -> None:
    vocabulary = Vocabulary.of(bundled.glossary)
    texts = [text_at(5, i, vocabulary) for i in range(2 * LONG_EVERY)]
    assert texts == [text_at(5, i, vocabulary) for i in range(2 * LONG_EVERY)]
    assert texts != [text_at(6, i, vocabulary) for i in range(2 * LONG_EVERY)]
    joined = "".join(texts)
    for hard in ("\r\n", "\u00ad", "\u0301", "\u200d", "\u2028", "\u00a0", "\u2019"):
        assert hard in joined, hard
    assert any("\ud800" <= c <= "\udfff" for c in joined)
    assert any(ord(c) > 0xFFFF for c in joined)
    assert max(map(len, texts)) > 4000


class _DroppingStream(Tagger):
    """A tagger whose streams lose their last mention."""

    def tag_segments(self, chunks, **kwargs):  # type: ignore[no-untyped-def]
        segments = list(super().tag_segments(chunks, **kwargs))
        for segment in reversed(segments):
            if segment.mentions:
                segment.mentions.pop()
                break
        return iter(segments)


def test_a_broken_stream_is_caught_and_shrunk(bundled: Tagger) -> None:
    import random

    checker = Checker(_DroppingStream(bundled.glossary))
    text = "Noise 😀 here, then PFM-1 and a MON-50\r\nin the field.\n"
    failure = checker.check(text, random.Random(1))
    assert failure is not None and failure.invariant == "stream = whole text"
    small = shrink(text, lambda t: (f := checker.check(t, random.Random(1))) is not None and f.invariant == failure.invariant)
    assert len(small) < 12 and checker.check(small, random.Random(1)) is not None


class _ForgetfulIndex:
    """A cached automaton whose key index misses the last key of a text."""

    def __init__(self, automaton: Any) -> None:
        self.automaton = automaton

    def looked_up(self, image: str) -> list[tuple[int, int]]:
        return list(self.automaton.iter(image))[:-1]


def test_an_index_that_disagrees_with_the_automaton_is_caught(bundled: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    automaton = bundled._automaton if isinstance(bundled._automaton, ahocorasick.Automaton) else bundled._automaton._load()
    checker = Checker(bundled, (_ForgetfulIndex(automaton), automaton))  # type: ignore[arg-type]
    monkeypatch.setattr("fuzz.invariants.INDEX_SHARE", 1.0)
    failure = checker.check("a PFM-1 here", random.Random(1))
    assert failure is not None and failure.invariant == "key index = automaton"
    assert checker.check("no name here", random.Random(1)) is None


def test_shrink_keeps_what_the_failure_needs() -> None:
    assert shrink("abcXdefghYijk", lambda t: "X" in t and "Y" in t) == "XY"


def test_enrich_check_tells_kept_lines_from_rewritten_ones() -> None:
    line = b'{"text" :"PFM-1", "n":1.0e0}\n'
    assert enrich_problems(line, b'{"text" :"PFM-1", "n":1.0e0, "mentions": []}\n') == []
    assert enrich_problems(line, line) == []
    assert enrich_problems(line, b'{"text": "PFM-1", "n": 1.0, "mentions": []}\n')  # re-serialised
    assert enrich_problems(line + line, line)  # a line lost


@pytest.fixture(scope="module")
def outcomes() -> dict[str, list[Outcome]]:
    by_case: dict[str, list[Outcome]] = {}
    for o in run_all(jobs=2):
        by_case.setdefault(o.case, []).append(o)
    return by_case


@pytest.mark.parametrize("case", [c.name for c in cases()])
def test_hostile_file_through_the_cli(outcomes: dict[str, list[Outcome]], case: str) -> None:
    runs = outcomes[case]
    assert len(runs) >= 8  # tag in every format, and enrich
    failed = [f"{o.command} (exit {o.status}): {'; '.join(o.problems)}" for o in runs if o.problems]
    assert not failed, "\n".join(failed)
