"""Streaming and the scan prefilter give exactly the whole-text results."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from munitag import Tagger
from munitag.context import Cues
from munitag.matcher import Segment
from munitag.normalize import fold, fold_shape, is_word_char, separator_variants, squeeze

from .conftest import FIXTURE_GLOSSARY


def _key(mentions):  # type: ignore[no-untyped-def]
    return [(m.start, m.end, m.text, m.entry.id, m.alias) for m in mentions]


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.fixture(scope="module")
def long_text(bundled: Tagger) -> str:
    """Every example and counter-example of the bundled glossary, as one document."""
    sentences = [s for e in bundled.glossary for s in (*e.examples, *e.counter_examples)]
    return "\n".join(sentences) + "\n\nPFM-1 «Лепесток» і міни «Пелюстка»; MON‑100s, PMN-2’s."


@pytest.mark.parametrize("overlapping", [False, True])
@pytest.mark.parametrize(("chunk", "window"), [(1, 1), (1, 100), (3, 1), (3, 5000), (64, 100), (64, 5000), (4096, 1), (4096, 5000), (10**6, 1 << 20)])
def test_stream_equals_whole_text(bundled: Tagger, long_text: str, overlapping: bool, chunk: int, window: int) -> None:
    whole = bundled.tag(long_text, overlapping=overlapping)
    assert len(whole) > 500
    segments = list(bundled.tag_segments(_chunks(long_text, chunk), overlapping=overlapping, window=window))
    assert "".join(s.text for s in segments) == long_text
    position = 0
    for s in segments:
        assert s.start == position
        position += len(s.text)
        if not overlapping:
            assert all(s.start <= m.start and m.end <= s.start + len(s.text) for m in s.mentions)
    assert _key(m for s in segments for m in s.mentions) == _key(whole)
    assert _key(bundled.tag_stream(_chunks(long_text, chunk), overlapping=overlapping)) == _key(whole)


def test_stream_of_nothing(bundled: Tagger) -> None:
    assert list(bundled.tag_segments([])) == []
    assert list(bundled.tag_stream(["", ""])) == []


def test_stream_rejects_bytes(bundled: Tagger) -> None:
    with pytest.raises(TypeError, match="str chunks"):
        list(bundled.tag_stream([b"PFM-1"]))  # type: ignore[list-item]


PLANTS = [
    "MON-50", "mon 50", "ПФМ-1", "Lepestok", "PFM-1S", "ADAM", "cluster munition", "МОН‑50", "PFM-1s", "MON-50’s",
    "cluster\r\n  munition", "лепестками", "Ле\u0301пестков", "РFM-1", "MОN 50",
]
noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(noise, st.sampled_from(PLANTS)), max_size=8), noise, st.integers(1, 40), st.integers(1, 200))
def test_stream_property(mini: Tagger, parts: list[tuple[str, str]], tail: str, chunk: int, window: int) -> None:
    text = "".join(junk + alias for junk, alias in parts) + tail
    for overlapping in (False, True):
        whole = mini.tag(text, overlapping=overlapping)
        streamed = mini.tag_stream(_chunks(text, chunk), overlapping=overlapping)
        assert _key(streamed) == _key(whole)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(noise, st.sampled_from(PLANTS)), max_size=6), noise)
def test_scan_prefilter_loses_no_whole_word_hit(mini: Tagger, parts: list[tuple[str, str]], tail: str) -> None:
    """Every alias spelling (or generated form) standing as a whole word in the folded text, gaps
    and ignorable characters squeezed, in a case its alias accepts, is a hit of the scan, at its
    original offsets."""
    text = "".join(junk + alias for junk, alias in parts) + tail
    shapes: dict[str, list[set[str] | None]] = {}  # spelling -> per alias: its exact shapes, None if any case
    for entry in mini.glossary:
        for alias in entry.aliases:
            forms = (alias.text, *mini.glossary.forms_of(alias))
            exact = {v for form in forms for v in separator_variants(fold_shape(form))} if alias.case_sensitive else None
            for form in forms:
                for spelling in separator_variants(fold(form)):
                    shapes.setdefault(spelling, []).append(exact)
    plain = ahocorasick.Automaton()
    for spelling in shapes:
        plain.add_word(spelling, spelling)
    plain.make_automaton()
    squeezed = squeeze(text)
    folded, n = fold(squeezed.text), len(squeezed.text)
    expected = set()
    for last, spelling in plain.iter(folded):
        start, end = last - len(spelling) + 1, last + 1
        left_ok = start == 0 or not (is_word_char(folded[start]) and is_word_char(folded[start - 1]))
        right_ok = end == n or not (is_word_char(folded[end - 1]) and is_word_char(folded[end]))
        in_case = any(exact is None or fold_shape(squeezed.text[start:end]) in exact for exact in shapes[spelling])
        if left_ok and right_ok and in_case:
            expected.add((squeezed.original(start), squeezed.original(end)))
    got = {(start, end) for start, end, *_ in mini._hits(text, 0, len(text), Cues())}
    assert expected <= got


@pytest.mark.parametrize("scope", ["sentence", "paragraph", "document"])
@pytest.mark.parametrize("window", [1, 5000])
def test_stream_equals_whole_text_at_every_context_scope(mini: Tagger, scope: str, window: int) -> None:
    """Ambiguous mentions decided by a headline, a paragraph or a mention of the same entry far
    away come out the same streamed as whole, across many stream windows (document scope reads
    tens of thousands of characters ahead)."""
    from munitag.context import DOCUMENT_CHARS

    filler = "Дети играли во дворе, а взрослые чинили забор. " * 40
    pieces = [
        "«Лепестки» во дворе\n\nНайдена ПФМ-1 у дома.",
        "Лепесток лежал у дороги.",
        filler,
        "Сапёры нашли мину; лепестками усыпан газон.",
        "He hung a claymore on the wall.\r\n\r\nA cluster\r\nmunition was found; MОN-50 too.",
        "ПФМ-1 найдена снова.",
    ]
    text = "\n\n".join(pieces * (6 * DOCUMENT_CHARS // len("\n\n".join(pieces)) + 1))
    assert len(text) > 5 * DOCUMENT_CHARS
    whole = mini.tag(text, context=scope)
    assert any(m.entry.id == "pfm-1" and m.alias == "Лепесток" for m in whole)
    segments = list(mini.tag_segments(_chunks(text, 7919), context=scope, window=window))
    assert "".join(s.text for s in segments) == text
    assert _key(m for s in segments for m in s.mentions) == _key(whole)


STREAMED = (
    "Найдена МОН-50.\r\n"
    + "A PFM-1 «Лепесток» and ADAM mines; MON‑50s, a cluster\r\n  munition.\r\n" * 200
    + "\nEnd MON-50"
)


@pytest.mark.parametrize("overlapping", [False, True])
def test_streamed_files_give_whole_text_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mini: Tagger, overlapping: bool
) -> None:
    """``munitag tag`` of a file read in small blocks and tagged in small windows, so that its
    mentions fall in many segments, writes what it writes for the file tagged at once: the JSONL
    line is joined across segments, and the rich report and HTML page (which print each segment
    as it comes) neither cut a mention nor show the ``\\r`` of a ``\\r\\n`` split between two."""
    from munitag import inputs
    from munitag.cli import main

    path = tmp_path / "long.txt"
    path.write_text(STREAMED, encoding="utf-8", newline="")
    tag_segments = Tagger.tag_segments
    segments: list[Segment] = []

    def small_windows(self: Tagger, chunks: Iterable[str], **kwargs: Any) -> Iterator[Segment]:
        for segment in tag_segments(self, chunks, **{**kwargs, "window": 1}):
            segments.append(segment)
            yield segment

    formats = ("jsonl", "rich", "html")
    flags = ["--overlapping"] * overlapping
    outputs: dict[tuple[str, bool], str] = {}
    for streamed in (False, True):
        if streamed:
            monkeypatch.setattr(inputs, "BLOCK", 59)  # one at which a \r\n falls between segments (where depends on the longest key)
            monkeypatch.setattr(Tagger, "tag_segments", small_windows)
        for fmt in formats:
            assert main(["--glossary", str(FIXTURE_GLOSSARY), "tag", "--format", fmt, *flags, str(path)]) == 0
            outputs[fmt, streamed] = capsys.readouterr().out
    for fmt in formats:
        assert outputs[fmt, True] == outputs[fmt, False], fmt
    whole = mini.tag(STREAMED, overlapping=overlapping)
    record = json.loads(outputs["jsonl", True])
    assert [(m["start"], m["end"], m["id"]) for m in record["mentions"]] == [(m.start, m.end, m.entry.id) for m in whole]
    assert "⟨PFM-1⟩" in outputs["rich", True] and "^M" not in outputs["rich", True]

    # The streamed runs really crossed segments: each format's run saw mentions in dozens of
    # segments, a \r\n split between two, and (with --overlapping) a mention running on into the next.
    runs = len(formats)
    with_mentions = [s for s in segments if s.mentions]
    assert len(with_mentions) > 10 * runs
    assert sum(len(s.mentions) for s in segments) == runs * len(whole)
    text = STREAMED
    assert any(s.text.endswith("\r") and text[s.start + len(s.text) : s.start + len(s.text) + 1] == "\n" for s in segments)
    crossing = [m for s in segments for m in s.mentions if m.end > s.start + len(s.text)]
    assert bool(crossing) == overlapping


@pytest.mark.parametrize("context", ["sentence", "paragraph", "document"])
@pytest.mark.parametrize("overlapping", [False, True])
def test_a_long_text_is_tagged_window_by_window_as_in_one_piece(
    bundled: Tagger, long_text: str, monkeypatch: pytest.MonkeyPatch, context: str, overlapping: bool
) -> None:
    """``tag`` takes a long text a window at a time: the same mentions as in one window, across
    windows of every size, with a mention or a context word cut by a window's edge."""
    # at document scope, "Grad" alone counts because the launcher was named far earlier
    # (further than the margin a window reads): a later window must know it
    text = long_text + "\nThe BM-21 Grad launcher was seen. " + "The valley was calm and dry. " * 8000 + "Later a Grad was parked there."
    monkeypatch.setattr(Tagger, "_span", lambda self, scope: 1 << 40)
    whole = bundled.tag(text, overlapping=overlapping, context=context)
    assert len(whole) > 500
    assert (whole[-1].text == "Grad" and whole[-1].start > len(text) - 50) == (context == "document")
    for span in (997, 7777, 50000):
        monkeypatch.setattr(Tagger, "_span", lambda self, scope, span=span: span)
        assert bundled.tag(text, overlapping=overlapping, context=context) == whole, span
