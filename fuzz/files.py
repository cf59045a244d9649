"""Hostile input files for the command line: broken encodings, deep nesting, huge lines, odd
file types and symbolic links where ``brat`` writes.

A ``FileCase`` lays its files out in a fresh directory and names the argument to pass; what the
command must then do is checked in ``fuzz.commands``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1 << 20  # munitag.inputs reads this many bytes at a time
HUGE = 3 << 20

_TEXT = "PFM-1 «Лепесток» і МОН-50 біля дороги; a cluster munition.\n"
# Records in a spelling no JSON writer produces (spaces, escapes, 1.0e0): an enriched line must
# keep them byte for byte.
_RECORD = '{"id" :1.0e0,"text":"PFM-1 and \\u041c\\u041e\\u041d-50", "keep":[ "x" ,{}]}'
_PLAIN = '{"text": "ПФМ-1 і TM-62", "n": 2}'


@dataclass(frozen=True)
class FileCase:
    """One hostile input.

    Attributes:
        name: What it is, as the report names it.
        arg: The path given to the command (relative to the run's directory).
        make: Lays the files out in the run's directory (``outside`` is the directory that stands
            for everything outside it: symbolic links point there).
        tag_status: The exit code ``tag`` must give (None: any of 0, 1, 2).
        fifo: ``arg`` is a named pipe; these bytes are written into it while the command runs.
    """

    name: str
    arg: str
    make: Callable[[Path, Path], None]
    tag_status: int | None = None
    fifo: bytes | None = None

    @property
    def symlinked_ann(self) -> bool:
        """Whether the ``brat`` output of this case is a symbolic link."""
        return self.name.startswith("ann-symlink")


def _write(name: str, data: bytes) -> Callable[[Path, Path], None]:
    def make(work: Path, outside: Path) -> None:
        (work / name).write_bytes(data)

    return make


def _lines(*lines: str | bytes, end: bytes = b"\n") -> bytes:
    return b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + end


def _directory(work: Path, outside: Path) -> None:
    (work / "folder").mkdir()


def _nothing(work: Path, outside: Path) -> None:
    pass


def _fifo(work: Path, outside: Path) -> None:
    os.mkfifo(work / "pipe")


def _ann_dangling(work: Path, outside: Path) -> None:
    (work / "doc.txt").write_text(_TEXT, encoding="utf-8")
    (work / "doc.ann").symlink_to(outside / "victim.ann")


def _ann_to_file(work: Path, outside: Path) -> None:
    (work / "doc.txt").write_text(_TEXT, encoding="utf-8")
    (outside / "precious.ann").write_text("T1\tannotators' work\n", encoding="utf-8")
    (work / "doc.ann").symlink_to(outside / "precious.ann")


def _huge_text() -> bytes:
    filler = "lorem ipsum, мина в поле — " * 400
    piece = (filler + "MON-50 ")
    return (piece * (HUGE // len(piece.encode()) + 1)).encode()[:HUGE].rsplit(b" ", 1)[0]


def cases() -> list[FileCase]:
    """Every hostile file case."""
    text = _TEXT.encode()
    across = b"a" * (BLOCK - 1) + "П".encode() + text  # a two-byte letter split by the read block
    huge = _huge_text()
    return [
        FileCase("invalid-utf8-first-byte", "bad.txt", _write("bad.txt", b"\xff" + text), 1),
        FileCase("invalid-utf8-mid-line", "bad.txt", _write("bad.txt", text + b"PFM-1 \xfe\xc0 MON-50\n" + text), 1),
        FileCase("invalid-utf8-last-byte", "bad.txt", _write("bad.txt", text + b"\x80"), 1),
        FileCase("truncated-multibyte-at-end", "bad.txt", _write("bad.txt", text + "МОН".encode()[:-1]), 1),
        FileCase("invalid-utf8-after-first-block", "bad.txt", _write("bad.txt", b"x" * BLOCK + text + b"\xc3\x28\n"), 1),
        FileCase("multibyte-across-read-block", "big.txt", _write("big.txt", across), 0),
        FileCase("utf8-bom", "bom.txt", _write("bom.txt", b"\xef\xbb\xbf" + text), 0),
        FileCase("crlf", "crlf.txt", _write("crlf.txt", "PFM-1\r\nMON-50 and a cluster\r\n   munition\r\n\r\nТМ-62\r".encode()), 0),
        FileCase("empty", "empty.txt", _write("empty.txt", b""), 0),
        FileCase("huge-line-no-newline", "huge.txt", _write("huge.txt", huge), 0),
        FileCase("jsonl-invalid-utf8-line", "in.jsonl", _write("in.jsonl", _lines(_RECORD, b'{"text": "PFM-1 \xff\xfe"}', _PLAIN)), 1),
        FileCase("jsonl-truncated-multibyte-at-end", "in.jsonl", _write("in.jsonl", _lines(_RECORD, '{"text": "МОН'.encode()[:-1], end=b"")), 1),
        FileCase("jsonl-deep-nesting", "in.jsonl", _write("in.jsonl", _lines(_RECORD, '{"text": "MON-50", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}", "[" * 100_000, _PLAIN)), 0),
        FileCase("jsonl-lone-surrogate-escapes", "in.jsonl", _write("in.jsonl", _lines('{"text": "PFM-1 \\ud800 MON-50 \\udfff", "k": "\\udbff"}', _RECORD, '{"text": "\\ud83d\\ude00 ТМ-62 \\ude00"}')), 0),
        FileCase("jsonl-crlf", "in.jsonl", _write("in.jsonl", _lines(_RECORD + "\r", "\r", _PLAIN + "\r", end=b"\r\n")), 0),
        FileCase("jsonl-bom", "in.jsonl", _write("in.jsonl", b"\xef\xbb\xbf" + _lines(_RECORD, _PLAIN)), 0),
        FileCase("jsonl-huge-line-no-newline", "in.jsonl", _write("in.jsonl", _lines(_PLAIN, end=b"\n") + b'{"text": "' + huge.replace(b'"', b"") + b'"}'), 0),
        FileCase("directory", "folder", _directory, 1),
        FileCase("missing-file", "missing.txt", _nothing, 1),
        FileCase("fifo", "pipe", _fifo, fifo=_lines(_RECORD, _PLAIN)),  # brat may refuse to write beside a pipe
        FileCase("ann-symlink-dangling", "doc.txt", _ann_dangling),
        FileCase("ann-symlink-to-file", "doc.txt", _ann_to_file),
    ]
