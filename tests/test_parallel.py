"""Parallel tagging gives exactly the single-process results, in input order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main

from .test_stream import _key


@pytest.fixture(scope="module")
def texts(bundled: Tagger) -> list[str]:
    """Many texts of uneven size: the glossary's examples, alone and in runs."""
    sentences = [s for e in bundled.glossary for s in (*e.examples, *e.counter_examples)]
    runs = ["\n".join(sentences[i : i + n]) for n in (1, 7, 60) for i in range(0, len(sentences), n)]
    return runs + [""]


@pytest.mark.parametrize("overlapping", [False, True])
def test_tag_many_equals_tag(bundled: Tagger, texts: list[str], overlapping: bool) -> None:
    expected = [_key(bundled.tag(t, overlapping=overlapping)) for t in texts]
    assert sum(map(len, expected)) > 1000
    for jobs in (1, 2, 3):
        assert [_key(m) for m in bundled.tag_many(texts, jobs=jobs, overlapping=overlapping)] == expected


def test_tag_many_accepts_a_generator(bundled: Tagger) -> None:
    result = list(bundled.tag_many((f"MON-{n}" for n in (50, 100, 500)), jobs=2))
    assert [[m.entry.id for m in ms] for ms in result] == [["mon-50"], ["mon-100"], []]


def test_cli_jobs_output_is_byte_identical(tmp_path: Path, texts: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    names = []
    for i, text in enumerate(texts[::5]):
        path = tmp_path / f"doc{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    names.insert(3, str(tmp_path / "missing.txt"))
    outputs = []
    for fmt in ("jsonl", "rich"):
        for jobs in ("1", "2", "0"):
            code = main(["tag", "--format", fmt, "--jobs", jobs, *names])
            out, err = capsys.readouterr()
            assert code == 1 and err.count("no such file") == 1
            outputs.append(out)
        assert outputs[-1] == outputs[-2] == outputs[-3]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert [r["source"] for r in records] == [n for n in names if "missing" not in n]
