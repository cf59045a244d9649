"""Reading inputs: whole, block by block (UTF-8 text) or line by line (bytes), with errors that name the file."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .names import shown_name

BLOCK = 1 << 20  # bytes read at a time when streaming


def size_of(name: str) -> int | None:
    """Size in bytes of the file ``name``, or None (standard input, unreadable)."""
    try:
        return None if name == "-" else Path(name).stat().st_size
    except OSError:
        return None


def _open(name: str) -> BinaryIO:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"{shown_name(name)}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown_name(name)}: is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(f"{shown_name(name)}: cannot read: {exc.strerror}") from None


def _hint(data: bytes, head: bytes) -> str:
    """What to do about ``data``, which failed to decode as UTF-8 (``head``: the input's first bytes)."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "it starts with a UTF-16 byte-order mark: convert it first, e.g. `iconv -f utf-16 -t utf-8`"
    if b"\0" in data:
        return "it holds NUL bytes and looks like a binary file, not text"
    return "convert it first, e.g. `iconv -f cp1251 -t utf-8`"


def read_chunks(name: str, block: int | None = None, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The text of ``name`` (``-`` for standard input) as consecutive decoded pieces.

    Line breaks are kept as they are (no newline translation), so offsets count characters of
    the file exactly. ``progress``, when given, is called with the number of bytes of each block read.

    Raises:
        InputError: the file is missing, a directory, unreadable or not UTF-8 (with its line).
    """
    block = block or BLOCK
    stream = _open(name)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    head = b""  # the first bytes of the input, for a byte-order mark
    try:
        while True:
            try:
                raw = stream.read(block)
            except OSError as exc:
                raise InputError(f"{shown_name(name)}: cannot read: {exc.strerror}") from None
            if progress is not None:
                progress(len(raw))
            if len(head) < 2:
                head += raw[: 2 - len(head)]
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                line = lines + exc.object[: exc.start].count(b"\n")  # bytes of this call not yet decoded
                raise InputError(
                    f"{shown_name(name)}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} on line {line}); {_hint(exc.object, head)}"
                ) from None
            if text:
                lines += text.count("\n")
                yield text
            if not raw:
                return
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_lines(name: str, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The lines of ``name`` (``-`` for standard input) as bytes, each with its ``\\n`` (the last
    one may have none). Only ``\\n`` ends a line; nothing is decoded, so a bad byte is the
    caller's to report, line by line. ``progress`` is called with the size of each line.

    Raises:
        InputError: the file is missing, a directory or unreadable.
    """
    stream = _open(name)
    try:
        while True:
            try:
                line = stream.readline()
            except OSError as exc:
                raise InputError(f"{shown_name(name)}: cannot read: {exc.strerror}") from None
            if not line:
                return
            if progress is not None:
                progress(len(line))
            yield line
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_lines_in(name: str, start: int, stop: int) -> Iterator[bytes]:
    """The lines of the file ``name`` (as ``read_lines`` gives them) that start in bytes
    ``[start, stop)``, the last read to its end: consecutive ranges give every line once.

    Raises:
        InputError: the file cannot be opened or read.
    """
    with _open(name) as stream:
        try:
            if start:
                stream.seek(start - 1)
                stream.readline()  # the rest of the line that byte is in: its own range's
            while stream.tell() < stop:
                line = stream.readline()
                if not line:
                    return
                yield line
        except OSError as exc:
            raise InputError(f"{shown_name(name)}: cannot read: {exc.strerror}") from None


def read_text(name: str) -> str:
    """The whole text of ``name``; see ``read_chunks``."""
    return "".join(read_chunks(name))
