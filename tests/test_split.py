"""One long text on several processes: the same mentions and the same output as one process."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from munitag import Tagger, parallel, split
from munitag.cli import main

from .test_stream import _key


@pytest.fixture(scope="module")
def long_text(bundled: Tagger) -> str:
    """The glossary's examples and counter-examples as paragraphs, some hard-wrapped: about 100 KB."""
    sentences = [s for e in bundled.glossary for s in (*e.examples, *e.counter_examples)]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(p if i % 3 else p.replace(" ", "\n", 3) for i, p in enumerate(paragraphs))


def _pieces_of(text: str, size: int) -> Iterator[str]:
    return (text[i : i + size] for i in range(0, len(text), size))


@pytest.mark.parametrize(("context", "overlapping"), [("sentence", False), ("paragraph", False), ("paragraph", True), ("document", False)])
def test_the_same_mentions_in_segments_that_tile_the_text(bundled: Tagger, long_text: str, context: str, overlapping: bool) -> None:
    expected = _key(bundled.tag(long_text, overlapping=overlapping, context=context))
    assert len(expected) > 500
    segments = list(split.tag_segments(bundled, _pieces_of(long_text, 777), 2, overlapping=overlapping, context=context, window=4000))
    assert context == "document" or len(segments) > 10
    assert "".join(s.text for s in segments) == long_text
    assert all(long_text[s.start : s.start + len(s.text)] == s.text for s in segments)
    assert _key([m for s in segments for m in s.mentions]) == expected


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "text", "html"])
def test_one_file_on_two_processes_writes_the_same_bytes(
    tmp_path: Path, long_text: str, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_text, encoding="utf-8", newline="")
    monkeypatch.setattr(split, "WINDOW", 3000)  # some 35 pieces
    outputs = []
    for jobs in ("1", "2"):
        assert main(["tag", "--format", fmt, "--jobs", jobs, "--overwrite", "--no-progress", str(path)]) == 0
        out = capsysbinary.readouterr().out
        if fmt == "brat":  # written beside the input: the .ann file is the output
            out = path.with_suffix(".ann").read_bytes()
        outputs.append(out)
    assert len(outputs[0]) > 1000 and outputs[0] == outputs[1]


def test_the_text_is_read_no_further_ahead_than_the_pieces_in_flight(bundled: Tagger, long_text: str) -> None:
    read = 0

    def endless() -> Iterator[str]:
        nonlocal read
        for piece in itertools.cycle(_pieces_of(long_text, 1000)):
            read += len(piece)
            yield piece

    window, jobs = 5000, 2
    margin = bundled._margin("paragraph")
    segments = split.tag_segments(bundled, endless(), jobs, window=window)
    for done, segment in zip(range(1, 51), segments):  # 50 segments of about a window each
        assert segment.start + len(segment.text) <= done * window + margin
        # in flight: 2 * jobs batches of pieces (a batch closes once it holds _BATCH_CHARS), one being read
        assert read <= done * window + (2 * jobs + 1) * (parallel._BATCH_CHARS + window + 2 * margin), "reading runs ahead of tagging"
    segments.close()
    assert all(len(piece[3]) <= window + 2 * margin for piece in itertools.islice(split._pieces(endless(), window, margin), 40))


def test_a_short_text_is_tagged_without_workers(bundled: Tagger, long_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for three pieces")

    monkeypatch.setattr(parallel, "run_ordered", refuse)
    segments = list(split.tag_segments(bundled, [long_text], 2, window=len(long_text) // 3 + 1))
    assert len(segments) == 3 and "".join(s.text for s in segments) == long_text
    assert _key([m for s in segments for m in s.mentions]) == _key(bundled.tag(long_text))
