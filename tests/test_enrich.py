"""`munitag enrich`: mentions added to JSON Lines, everything else kept, bad lines reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main

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


def test_enrich_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO('{"t": "A PFM-1 here"}\n'.encode())))
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "enrich", "--text-field", "t"]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)["mentions"]] == ["pfm-1"]


def test_only_newline_ends_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from munitag import inputs

    monkeypatch.setattr(inputs, "BLOCK", 5)  # records arrive split across many reads
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
