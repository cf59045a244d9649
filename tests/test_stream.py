"""Streaming and the scan prefilter give exactly the whole-text results."""

from __future__ import annotations

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from munitag import Tagger
from munitag.normalize import fold, is_word_char, separator_variants, squeeze


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
    and ignorable characters squeezed, is a hit of the scan, at its original offsets."""
    text = "".join(junk + alias for junk, alias in parts) + tail
    plain = ahocorasick.Automaton()
    for entry in mini.glossary:
        for alias in entry.aliases:
            for form in (alias.text, *mini.glossary.forms_of(alias)):
                for spelling in separator_variants(fold(form)):
                    plain.add_word(spelling, spelling)
    plain.make_automaton()
    squeezed = squeeze(text)
    folded, n = fold(squeezed.text), len(squeezed.text)
    expected = set()
    for last, spelling in plain.iter(folded):
        start, end = last - len(spelling) + 1, last + 1
        left_ok = start == 0 or not (is_word_char(folded[start]) and is_word_char(folded[start - 1]))
        right_ok = end == n or not (is_word_char(folded[end - 1]) and is_word_char(folded[end]))
        if left_ok and right_ok:
            expected.add((squeezed.original(start), squeezed.original(end)))
    got = {(start, end) for start, end, *_ in mini._hits(text, 0, len(text), [])}
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
