"""Parallel tagging gives exactly the single-process results, in input order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from munitag import Tagger
from munitag.cli import main

from .conftest import FIXTURE_GLOSSARY
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


DENSE = "Найдена МОН-50 и PFM-1S, рядом «Лепесток». " * 2000  # about 90 KB, three mentions a line


def _inputs(tmp_path: Path, count: int) -> list[str]:
    names = []
    for i in range(count):
        path = tmp_path / f"in{i}.txt"
        path.write_text(DENSE, encoding="utf-8")
        names.append(str(path))
    return names


def _munitag(*argv: str, stderr: Any) -> subprocess.Popen[bytes]:
    """``munitag`` in a session of its own (so a signal can go to it and its workers, as Ctrl-C does)."""
    command = [sys.executable, "-m", "munitag", "--glossary", str(FIXTURE_GLOSSARY), *argv]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_quietly(tmp_path: Path, jobs: str) -> None:
    # megabytes of JSON Lines: the command cannot finish while nobody reads its output
    proc = _munitag("tag", "--format", "jsonl", "--jobs", jobs, *_inputs(tmp_path, 8), stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.read(1) == b"{"  # running, workers started
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.decode() == ""  # no "Process ForkPoolWorker-1", no Traceback


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", ["rich", "jsonl", "conll", "displacy", "text", "html"])
def test_closed_pipe_exits_0_quietly(tmp_path: Path, fmt: str, jobs: str) -> None:
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        proc = _munitag("tag", "--format", fmt, "--jobs", jobs, *_inputs(tmp_path, 2), stderr=stderr)
        assert proc.stdout is not None
        assert proc.stdout.read(1)  # far more output follows than a pipe holds
        proc.stdout.close()  # the reader goes away, as `| head -c 1` does
        assert proc.wait(timeout=120) == 0
    assert errors.read_text(encoding="utf-8") == ""


def _scaled(batch: list[int]) -> list[int]:
    from munitag.parallel import worker_state

    return [n * worker_state()["factor"] for n in batch]


def test_run_ordered_is_a_generic_pool() -> None:
    import ast

    from munitag.parallel import run_ordered

    assert list(run_ordered({"factor": 3}, 2, _scaled, range(1000), weigh=lambda n: 1)) == [(n, 3 * n) for n in range(1000)]
    tree = ast.parse((Path(__file__).parents[1] / "src" / "munitag" / "parallel.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert imported == set()  # no munitag module: matcher imports the pool, not the other way round


def test_run_ordered_keeps_the_work_read_before_the_items_break_off() -> None:
    """Items that fail part-way (a read error): every item read before the error comes out, in
    order, across several batches in flight and the batch begun, then the error is raised."""
    from munitag.parallel import run_ordered

    def items() -> Iterator[int]:
        yield from range(1000)
        raise OSError("the disk went away")

    out: list[tuple[int, int]] = []
    with pytest.raises(OSError, match="the disk went away"):
        out.extend(run_ordered({"factor": 2}, 2, _scaled, items(), weigh=lambda n: 1))
    assert out == [(n, 2 * n) for n in range(1000)]
