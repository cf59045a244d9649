"""`munitag enrich`: mentions added to JSON Lines, everything else kept, bad lines reported."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest

from munitag import Tagger, inputs
from munitag.cli import main
from munitag.enrich import enrich_line
from munitag.matcher import Mention

from .conftest import FIXTURE_GLOSSARY

RECORDS = [
    {"id": 1, "body": {"text": "A PFM-1 and a MON-50 were found.", "lang": "en"}, "score": 0.5, "tags": [None, True]},
    {"body": {"text": "Сапёры нашли «Лепестки»."}, "id": 2},
    {"id": 3, "body": {"text": "Nothing to see."}, "extra": {"nested": {"deep": 1}}},
]


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_enrich_keeps_fields_and_order(tmp_path: Path, capsys: pytest.CaptureFixture[str], mini: Tagger, jobs: str) -> None:
    name = _write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS])
    code = main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "body.text", "--jobs", jobs, name])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(RECORDS)
    found = [r.pop("mentions") for r in records]
    for original, enriched, mentions in zip(RECORDS, records, found):
        assert enriched == original
        assert list(enriched) == list(original)  # key order too
        assert mentions == [m.to_dict() for m in mini.tag(original["body"]["text"])]
    assert [m["id"] for m in found[0]] == ["pfm-1", "mon-50"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_lines_are_reported_with_numbers_and_passed_through(tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    lines = ['{"text": "MON-50"}\n', "not json\n", "[1, 2]\n", '{"other": 1}\n', '{"text": 5}\n', "\n", '{"text": "PFM-1"}']
    name = _write(tmp_path / "in.jsonl", lines)
    code = main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "text", "--output-field", "found", "--jobs", jobs, name])
    out, err = capsys.readouterr()
    assert code == 1
    out_lines = out.splitlines(keepends=True)
    assert len(out_lines) == len(lines)
    assert out_lines[1:6] == lines[1:6]
    assert [m["id"] for m in json.loads(out_lines[0])["found"]] == ["mon-50"]
    assert [m["id"] for m in json.loads(out_lines[6])["found"]] == ["pfm-1"]
    problems = err.splitlines()
    assert [p.split(": ")[2] for p in problems] == [f"{name}:{n}" for n in (2, 3, 4, 5)]
    assert "not JSON" in problems[0] and "not a JSON object" in problems[1]
    assert "no field 'text'" in problems[2] and "not text" in problems[3]
    assert "Traceback" not in err


def test_enrich_reads_stdin(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    lines = [b'\xef\xbb\xbf{"t": "A PFM-1 here"}\n', b'{"t": "\xc0"}\n']
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"".join(lines))))
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "t"]) == 1
    out, err = capsysbinary.readouterr()
    first, second = out.splitlines(keepends=True)
    assert first.startswith(lines[0][:-2]) and [m["id"] for m in json.loads(first[3:])["mentions"]] == ["pfm-1"]
    assert second == lines[1]
    assert err.decode() == "munitag: error: -:2: not valid UTF-8 (byte 0xc0 at byte 8 of the line); the line is passed through unchanged\n"


def test_only_newline_ends_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [{"text": "line\u2028separator and a PFM-1\u2029here\x85"}, {"text": "MON-50\r"}]
    name = _write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) + "\r\n" for r in records])
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "text", name]) == 0
    out = capsys.readouterr().out.split("\n")
    assert len(out) == 3 and out[2] == ""
    assert [[m["id"] for m in json.loads(line)["mentions"]] for line in out[:2]] == [["pfm-1"], ["mon-50"]]


def test_enrich_context_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = {"text": "Найдена ПФМ-1.\n\nЛепестки у дороги."}
    name = _write(tmp_path / "in.jsonl", [json.dumps(record, ensure_ascii=False) + "\n"])
    found = {}
    for scope in ("paragraph", "document"):
        code = main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "text", "--context", scope, name])
        out, _ = capsys.readouterr()
        assert code == 0
        found[scope] = [m["text"] for m in json.loads(out)["mentions"]]
    assert found == {"paragraph": ["ПФМ-1"], "document": ["ПФМ-1", "Лепестки"]}


def _enrich(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, list[bytes], list[str]]:
    """Exit code, output lines (bytes, as written) and error lines of ``munitag enrich``."""
    code = main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", *argv])
    out, err = capsysbinary.readouterr()
    return code, out.splitlines(keepends=True), err.decode().splitlines()


def _ids(line: bytes, field: str = "mentions") -> list[str]:
    return [m["id"] for m in json.loads(line)[field]]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_line_that_is_not_utf8_is_passed_through_and_the_others_enriched(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], jobs: str
) -> None:
    lines = [b'{"t": "PFM-1"}\n', b'{"t": "caf\xe9 MON-50"}\n', b'{"t": "MON-50"}\n']
    (tmp_path / "in.jsonl").write_bytes(b"".join(lines))
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "-j", jobs, str(tmp_path / "in.jsonl"))
    assert code == 1
    assert len(out) == 3 and out[1] == lines[1]
    assert (_ids(out[0]), _ids(out[2])) == (["pfm-1"], ["mon-50"])
    assert err == [f"munitag: error: {tmp_path / 'in.jsonl'}:2: not valid UTF-8 (byte 0xe9 at byte 11 of the line); the line is passed through unchanged"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_line_nested_too_deeply_is_passed_through(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], jobs: str) -> None:
    lines = [b"[" * 100_000 + b"\n", b'{"t": "x", "deep": ' + b"[" * 100_000 + b"\n", b'{"t": "PFM-1"}\n']
    (tmp_path / "in.jsonl").write_bytes(b"".join(lines))
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "-j", jobs, str(tmp_path / "in.jsonl"))
    assert code == 1
    assert out[:2] == lines[:2] and _ids(out[2]) == ["pfm-1"]
    assert [e.split(": ", 2)[2] for e in err] == [f"{tmp_path / 'in.jsonl'}:{n}: not read: nested too deeply; the line is passed through unchanged" for n in (1, 2)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogates_are_kept_escaped_and_the_output_is_utf8(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], jobs: str) -> None:
    lines = [b'{"t": "\\ud800 PFM-1", "x": "\\udfff"}\n', b'{"t": "MON-50"}\n']
    (tmp_path / "in.jsonl").write_bytes(b"".join(lines))
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "--output-field", "found\udc80", "-j", jobs, str(tmp_path / "in.jsonl"))
    assert (code, err) == (0, [])
    b"".join(out).decode("utf-8")  # strict: no surrogate written raw
    assert out[0].startswith(b'{"t": "\\ud800 PFM-1", "x": "\\udfff", "found\\udc80": [')
    assert (_ids(out[0], "found\udc80"), _ids(out[1], "found\udc80")) == (["pfm-1"], ["mon-50"])


class _EchoTagger:
    """Finds the whole text as one PFM-1 mention, whatever it holds."""

    def __init__(self, mini: Tagger) -> None:
        entry = mini.glossary.get("pfm-1")
        assert entry is not None
        self.entry = entry

    def tag(self, text: str) -> list[Mention]:
        return [Mention(0, len(text), text, self.entry, text)]


def test_a_mention_holding_a_lone_surrogate_is_escaped(mini: Tagger) -> None:
    out, problem = enrich_line(_EchoTagger(mini), b'{"t": "a\\udbff"}', "t", "m")  # type: ignore[arg-type]
    assert problem is None
    assert b'"text": "a\\udbff"' in out and b'"alias": "a\\udbff"' in out
    assert json.loads(out.decode("utf-8"))["m"][0]["text"] == "a\udbff"


def test_enrich_line_adds_the_field_before_the_closing_brace(mini: Tagger) -> None:
    line = b'{ "t" : "PFM-1" ,"n":[ 1 ,2 ] \t}\r\n'
    out, problem = enrich_line(mini, line, "t", "m")
    mentions = json.dumps([m.to_dict() for m in mini.tag("PFM-1")], ensure_ascii=False).encode()
    assert (out, problem) == (b'{ "t" : "PFM-1" ,"n":[ 1 ,2 ], "m": ' + mentions + b' \t}\r\n', None)
    assert enrich_line(mini, b'{"t": "MON-50"}', "t", "m")[0].endswith(b"]}\n")  # the last line gains its \n
    assert enrich_line(mini, b"  \r\n", "t", "m") == (b"  \r\n", None)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_field_but_the_added_one_is_kept_byte_for_byte(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], mini: Tagger, jobs: str
) -> None:
    fields = (
        b'"big": 1e400, "long": 1.00000000000000000001, "e": 1E2, "neg": -0.0, "int": ' + b"9" * 5000 + b', "nan": NaN, '
        b'"dup": 1, "dup": 2, "esc": "\\u00e9\\/\\ud83d\\ude00", "raw": "\xc3\xa9", "t": "PFM-1", "z": {"a": 1, "a": [true, null]}'
    )
    lines = [b"\xef\xbb\xbf{" + fields + b"}\n", b"{" + fields + b" }\r\n", b"\t{" + fields + b"}\t"]
    (tmp_path / "in.jsonl").write_bytes(b"".join(lines))
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "--output-field", "found", "-j", jobs, str(tmp_path / "in.jsonl"))
    assert (code, err) == (0, [])
    added = b', "found": ' + json.dumps([m.to_dict() for m in mini.tag("PFM-1")], ensure_ascii=False).encode()
    assert out == [b"\xef\xbb\xbf{" + fields + added + b"}\n", b"{" + fields + added + b" }\r\n", b"\t{" + fields + added + b"}\t\n"]
    assert b'"id": "pfm-1"' in added


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"t": "PFM-1", "t": "MON-50"}', "field 't' is given more than once, so which text to tag is unclear"),
        ('{"b": {"t": "PFM-1"}, "b": {"t": "MON-50"}, "t": "x"}', "field 'b' is given more than once, so which text to tag is unclear"),
        ('{"b": {"t": "PFM-1", "t": "x"}, "t": "x"}', "field 'b.t' is given more than once, so which text to tag is unclear"),
        ('{"t": "PFM-1", "mentions": []}', "it already has a field 'mentions'; choose another name with --output-field"),
        ('{"t": 1e400}', "field 't' holds a number, not text"),
        ('{"t": null}', "field 't' holds null, not text"),
        ('{"t": ["PFM-1"]}', "field 't' holds an array, not text"),
        ('{"t": "PFM-1"}\ufeff', "not JSON (Extra data, column 15)"),
        ('\ufeff\ufeff{"t": "PFM-1"}', "not JSON (Expecting value, column 2)"),  # one byte order mark, at most
    ],
)
def test_ambiguous_or_clashing_records_are_reported_not_guessed(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], line: str, problem: str
) -> None:
    name = _write(tmp_path / "in.jsonl", [line + "\n", '{"t": "MON-50", "b": {"t": "MON-50"}}\n'])
    code, out, err = _enrich(capsysbinary, "--text-field", "b.t" if line.startswith('{"b"') else "t", name)
    assert code == 1
    assert out[0] == (line + "\n").encode() and _ids(out[1]) == ["mon-50"]
    assert err == [f"munitag: error: {name}:1: {problem}; the line is passed through unchanged"]


def _numbered(n: int, first: int = 0) -> list[bytes]:
    return [json.dumps({"id": first + i, "t": "MON-50" if i % 3 else "PFM-1"}).encode() + b"\n" for i in range(n)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_several_files_with_missing_unreadable_and_broken_ones(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], jobs: str) -> None:
    first, second = _numbered(3000), _numbered(700, first=3000)
    first[1500] = b'{"id": 1500, "t": "\xff"}\n'
    (tmp_path / "a.jsonl").write_bytes(b"".join(first))
    (tmp_path / "d.jsonl").mkdir()
    (tmp_path / "b.jsonl").write_bytes(b"".join(second))
    names = [str(tmp_path / n) for n in ("a.jsonl", "missing.jsonl", "d.jsonl", "b.jsonl")]
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "-j", jobs, *names)
    assert code == 1
    assert len(out) == 3700 and out[1500] == first[1500]
    assert [json.loads(line)["id"] for i, line in enumerate(out) if i != 1500] == [i for i in range(3700) if i != 1500]
    assert all(_ids(line) == ["mon-50" if i % 3 else "pfm-1"] for i, line in enumerate(out) if i not in (1500, 3000)) and _ids(out[3000]) == ["pfm-1"]
    assert err == [
        f"munitag: error: {names[0]}:1501: not valid UTF-8 (byte 0xff at byte 20 of the line); the line is passed through unchanged",
        f"munitag: error: {names[1]}: no such file",
        f"munitag: error: {names[2]}: is a directory, not a text file",
    ]


class _FailsAfter(io.BytesIO):
    """The first bytes of a file, then a read error, as from a failing disk or network share."""

    def read(self, size: int | None = -1) -> bytes:
        return self._or_fail(super().read(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._or_fail(super().readline(size))

    def _or_fail(self, data: bytes) -> bytes:
        if not data:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return data


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_read_error_part_way_loses_no_line_read_before_it(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    first, second = _numbered(3000), _numbered(700, first=2000)
    (tmp_path / "a.jsonl").write_bytes(b"".join(first))
    (tmp_path / "b.jsonl").write_bytes(b"".join(second))
    names = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    real_open = inputs._open
    monkeypatch.setattr(inputs, "_open", lambda name: _FailsAfter(b"".join(first[:2000])) if name == names[0] else real_open(name))
    code, out, err = _enrich(capsysbinary, "--text-field", "t", "-j", jobs, *names)
    assert code == 1
    assert [json.loads(line)["id"] for line in out] == list(range(2700))
    assert all("mentions" in json.loads(line) for line in out)
    assert err == [f"munitag: error: {names[0]}: cannot read: {os.strerror(errno.EIO)}"]
