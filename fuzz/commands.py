"""Each hostile file through the real command line (``python -m munitag`` in a subprocess, in a
directory of its own), and what must hold afterwards.

For every command: it ends within the timeout, exits 0, 1 or 2 with no traceback, every error
line names the file, nothing appears or changes outside its directory. ``tag``: the exit code
the case calls for, UTF-8 output, one JSON document per line for ``jsonl`` and ``displacy``.
``enrich``: one output line per input line, each the input line itself or the input line
without its closing ``}``, followed by the added field. ``brat``: nothing written through a
symbolic link (the links point outside the run's directory, so that check covers it).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import munitag

from .files import FileCase, cases

FORMATS = ("rich", "jsonl", "brat", "conll", "displacy", "html", "text")
TIMEOUT = 120.0


@dataclass(frozen=True)
class Command:
    """A munitag command line, without the input file."""

    label: str
    argv: tuple[str, ...]

    @property
    def enrich(self) -> bool:
        return self.argv[0] == "enrich"

    @property
    def brat(self) -> bool:
        return "brat" in self.argv


def commands(case: FileCase) -> list[Command]:
    """``tag`` in every format and ``enrich``, and ``brat --overwrite`` where the .ann is a link."""
    found = [Command(f"tag --format {f}", ("tag", "--format", f)) for f in FORMATS]
    found.append(Command("enrich", ("enrich", "--text-field", "text")))
    if case.symlinked_ann:
        found.append(Command("tag --format brat --overwrite", ("tag", "--format", "brat", "--overwrite")))
    return found


@dataclass
class Outcome:
    """One case through one command: what went wrong (nothing, when ``problems`` is empty)."""

    case: str
    command: str
    status: int | None
    seconds: float
    problems: list[str] = field(default_factory=list)


def run_all(jobs: int = 2, only: list[str] | None = None) -> list[Outcome]:
    """Every case (or those named in ``only``) through every command, ``jobs`` at a time."""
    work = [(c, cmd) for c in cases() if only is None or c.name in only for cmd in commands(c)]
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        return list(pool.map(lambda pair: run_one(*pair), work))


def run_one(case: FileCase, command: Command) -> Outcome:
    """Lay ``case`` out in a fresh temporary directory, run ``command`` on it, check the result."""
    with tempfile.TemporaryDirectory(prefix="munitag-fuzz-") as tmp:
        work, outside = Path(tmp, "work"), Path(tmp, "outside")
        work.mkdir()
        outside.mkdir()
        case.make(work, outside)
        before_outside = _snapshot(outside)
        data = case.fifo if case.fifo is not None else _read(work / case.arg)
        began = time.perf_counter()
        status, out, err, hung = _run(work, [*command.argv, case.arg], case.fifo)
        outcome = Outcome(case.name, command.label, status, time.perf_counter() - began)
        problems = outcome.problems
        if hung:
            problems.append(f"still running after {TIMEOUT:.0f} s (killed)")
        if b"Traceback" in err:
            problems.append("traceback on stderr: " + _last_line(err))
        if status not in (0, 1, 2) and not hung:
            problems.append(f"exit code {status}")
        problems += _errors_name_the_file(err, case.arg, command)
        if _snapshot(outside) != before_outside:
            problems.append("something outside the run's directory was created or changed: " + ", ".join(_changed(before_outside, _snapshot(outside))))
        if hung:
            return outcome
        if command.enrich:
            problems += enrich_problems(data, out)
        else:
            if case.tag_status is not None and status != case.tag_status:
                problems.append(f"exit code {status}, expected {case.tag_status}" + (f" ({_last_line(err)})" if err else ""))
            problems += _tag_output(command, out)
        return outcome


def _run(work: Path, argv: list[str], fifo: bytes | None) -> tuple[int | None, bytes, bytes, bool]:
    env = dict(os.environ)
    src = str(Path(munitag.__file__).resolve().parents[1])  # the munitag this harness imports
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "munitag", *argv], cwd=work, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    feeder = None
    if fifo is not None:
        feeder = threading.Thread(target=_feed, args=(work / argv[-1], fifo, proc), daemon=True)
        feeder.start()
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
        hung = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        hung = True
    if feeder is not None:
        feeder.join(5)
    return (None if hung else proc.returncode), out, err, hung


def _feed(path: Path, data: bytes, proc: subprocess.Popen[bytes]) -> None:
    """Write ``data`` into the named pipe once the command opens it for reading (never block:
    a command that does not open it must not hang the harness)."""
    while proc.poll() is None:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                return
            time.sleep(0.01)
            continue
        os.set_blocking(fd, True)
        try:
            os.write(fd, data)
        except OSError:
            pass
        finally:
            os.close(fd)
        return


def _read(path: Path) -> bytes | None:
    """The input's bytes, when it is a regular file (not through a link)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root``: a link's target, a file's hash, or ``dir``."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir" if path.is_dir() else "other"
    return found


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _last_line(err: bytes) -> str:
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:200] if lines else ""


def _errors_name_the_file(err: bytes, arg: str, command: Command) -> list[str]:
    """Each ``munitag: error:`` line names the input (or, for ``brat``, the .ann it writes)."""
    names = [arg] + ([str(Path(arg).with_suffix(".ann")), arg + ".ann"] if command.brat else [])
    bad = [line for line in err.decode("utf-8", "replace").splitlines() if line.startswith("munitag: error:") and not any(n in line for n in names)]
    return [f"error does not name the file: {bad[0][:200]!r}"] if bad else []


def _tag_output(command: Command, out: bytes) -> list[str]:
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"output is not UTF-8 (byte {exc.start})"]
    if {"jsonl", "displacy"} & set(command.argv):
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                json.loads(line)
            except ValueError as exc:
                return [f"output line {number} is not JSON ({exc})"]
    return []


def enrich_problems(data: bytes | None, out: bytes) -> list[str]:
    """Line N of the output is line N of the input, or that line (without its line end and
    closing brace) followed by the added field."""
    if data is None:
        return []
    ins, outs = _split(data), _split(out)
    problems = []
    if len(ins) != len(outs):
        problems.append(f"{len(ins)} input lines, {len(outs)} output lines")
    for number, (a, b) in enumerate(zip(ins, outs), start=1):
        body = a.rstrip(b"\r")
        kept = b in (a, body) or (body.rstrip().endswith(b"}") and b.startswith(body.rstrip()[:-1]) and len(b) > len(body))
        if not kept:
            problems.append(f"line {number} not kept byte for byte: {a[:60]!r}... became {b[:60]!r}...")
            break
    return problems


def _split(data: bytes) -> list[bytes]:
    """Lines without their ``\\n`` (a last line without one counts too)."""
    lines = data.split(b"\n")
    return lines[:-1] if lines[-1] == b"" else lines
