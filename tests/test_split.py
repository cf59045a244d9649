"""One long text on several processes: the same mentions and the same output as one process."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from munitag import Mention, Tagger, parallel, split
from munitag.cli import main
from munitag.errors import InputError
from munitag.formats import mention_template

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


# One regular file on several processes that read their own byte ranges of it (split.tag_file).


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> int:
    """Ranges of 997 bytes, a dozen to a worker at a time: a long text crosses hundreds of boundaries."""
    monkeypatch.setattr(split, "PIECE_BYTES", 997)
    monkeypatch.setattr(split, "BATCH_BYTES", 12_000)
    return 997


def _jsonl(capsysbinary: pytest.CaptureFixture[bytes], path: Path, jobs: str, *more: str) -> tuple[int, bytes, bytes]:
    code = main(["tag", "--format", "jsonl", "--no-progress", "--jobs", jobs, *more, str(path)])
    out, err = capsysbinary.readouterr()
    return code, out, err


def _byte_span(text: str, m: Mention) -> tuple[int, int]:
    return len(text[: m.start].encode("utf-8")), len(text[: m.end].encode("utf-8"))


@pytest.mark.parametrize("variant", ["plain", "crlf", "astral"])
@pytest.mark.parametrize("overlapping", [False, True])
def test_a_file_in_byte_ranges_writes_the_bytes_of_one_process(
    bundled: Tagger, tmp_path: Path, long_text: str, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch,
    small_ranges: int, variant: str, overlapping: bool,
) -> None:
    text = {"plain": long_text, "crlf": long_text.replace("\n", "\r\n"), "astral": long_text.replace("e ", "e\U0001f4a3 ")}[variant]
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8", newline="")
    data = path.read_bytes()
    cut = [b for b in range(small_ranges, len(data), small_ranges) if 0x80 <= data[b] < 0xC0]
    assert len(cut) > 10, "boundaries fall inside multibyte characters"
    spans = [_byte_span(text, m) for m in bundled.tag(text, overlapping=overlapping)]
    assert sum(s // small_ranges != (e - 1) // small_ranges for s, e in spans) > 5, "mentions cross range boundaries"
    more = ["--overlapping"] if overlapping else []
    expected = _jsonl(capsysbinary, path, "1", *more)
    assert split.splittable(bundled, str(path), 2)
    from munitag import inputs

    monkeypatch.setattr(inputs, "read_chunks", None)  # the parent reads none of the file: the workers do
    assert _jsonl(capsysbinary, path, "2", *more) == expected
    assert expected[0] == 0 and len(json.loads(expected[1])["mentions"]) > 500


def test_a_file_in_byte_ranges_in_one_process(bundled: Tagger, tmp_path: Path, long_text: str) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_text, encoding="utf-8")
    piece = len(long_text.encode("utf-8")) // 12 + 1
    pieces = list(split.tag_file(bundled, str(path), 8, mention_template, "\n", piece=piece))  # fewer than 16 ranges: no workers
    assert len(pieces) == 12
    assert b"\n".join(p for p in pieces if p).decode("utf-8").splitlines() == [json.dumps(m.to_dict(), ensure_ascii=False) for m in bundled.tag(long_text)]


def test_an_empty_file(bundled: Tagger, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], small_ranges: int) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert list(split.tag_file(bundled, str(path), 2, mention_template, ", ")) == []
    assert _jsonl(capsysbinary, path, "2") == _jsonl(capsysbinary, path, "1") == (0, b'{"source": "%s", "mentions": []}\n' % str(path).encode(), b"")


@pytest.mark.parametrize("where", [0.0, 0.001, 0.3, 0.5, 0.9999, 1.0])
def test_bytes_that_are_not_utf8_give_the_error_of_one_process(
    bundled: Tagger, tmp_path: Path, long_text: str, capsysbinary: pytest.CaptureFixture[bytes], small_ranges: int, where: float
) -> None:
    data = long_text.encode("utf-8")
    at = int(len(data) * where)
    while 0 < at < len(data) and 0x80 <= data[at] < 0xC0:  # not inside a character: the error is then at ``at``
        at -= 1
    bad = data[:at] + (b"\xe2\x82" if where == 1.0 else b"\xff") + data[at:]  # at the very end: a character cut short
    path = tmp_path / "bad.txt"
    path.write_bytes(bad)
    code, out, err = _jsonl(capsysbinary, path, "2")
    one = _jsonl(capsysbinary, path, "1")
    assert code == one[0] == 1 and err == one[2] and b"not valid UTF-8" in err
    text = bad.decode("utf-8", "replace")
    before = len(data[:at].decode("utf-8")) - bundled._margin("paragraph")  # mentions starting here need nothing after the bad byte
    expected = [json.loads(json.dumps(m.to_dict(), ensure_ascii=False)) for m in bundled.tag(text) if m.start < before]
    if not expected:
        assert out == one[1] == b""
        return
    record = json.loads(out)
    assert record["mentions"] == expected and err.decode() == f"munitag: error: {record['error']}\n"
    if one[1]:  # nothing one process writes is lost
        first = json.loads(one[1])
        assert first["error"] == record["error"] and first["mentions"] == expected[: len(first["mentions"])]


def test_a_file_that_changes_while_read(bundled: Tagger, tmp_path: Path, long_text: str, small_ranges: int) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_text, encoding="utf-8")
    assert path.stat().st_size > 96_000
    pieces = split.tag_file(bundled, str(path), 2, mention_template, ", ")
    next(pieces)  # the ranges read so far are at most those in flight, half the file
    path.write_bytes(b"\xff" * 80_000)  # shorter, and no text
    with pytest.raises(InputError, match="not valid UTF-8"):
        list(pieces)
    path.write_text(long_text, encoding="utf-8")
    pieces = split.tag_file(bundled, str(path), 2, mention_template, ", ")
    next(pieces)
    path.unlink()
    with pytest.raises(InputError, match="cannot read: No such file"):
        list(pieces)


def test_mention_template_is_the_json_of_the_mention(bundled: Tagger, long_text: str) -> None:
    mentions = bundled.tag(long_text, overlapping=True)
    mentions += [dataclasses.replace(mentions[0], text='50 % "PFM-1"\n'), dataclasses.replace(mentions[1], start=10**12)]
    for m in mentions:
        assert mention_template(m) % (m.start, m.end) == json.dumps(m.to_dict(), ensure_ascii=False)


def test_enrich_on_one_big_file_in_byte_ranges(
    tmp_path: Path, long_text: str, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch, small_ranges: int
) -> None:
    paragraphs = long_text.split("\n\n")
    lines = [json.dumps({"n": i, "body": {"text": p}}, ensure_ascii=False).encode("utf-8") + (b"\r\n" if i % 7 == 0 else b"\n") for i, p in enumerate(paragraphs)]
    lines[3] = b'{"body": {"text": "PFM-1 \xff"}}\n'  # not UTF-8
    lines[5] = b"not json\n"
    lines[8] = b"\n"
    lines[11] = json.dumps({"body": {"text": " ".join(paragraphs) [:20_000]}}).encode() + b"\n"  # a line over twenty ranges
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"".join(lines).rstrip(b"\n"))  # the last line has no line break
    argv = ["enrich", "--text-field", "body.text", "--no-progress", str(path)]
    expected = main([*argv, "--jobs", "1"]), *capsysbinary.readouterr()
    from munitag import inputs

    monkeypatch.setattr(inputs, "read_lines", None)  # the parent reads none of the file: the workers do
    assert (main([*argv, "--jobs", "2"]), *capsysbinary.readouterr()) == expected
    assert expected[0] == 1 and expected[1].count(b"\n") == len(lines) and expected[2].count(b"\n") == 2
    assert expected[1].count(b'"mentions": [{') > 100
