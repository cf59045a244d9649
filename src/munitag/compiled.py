"""A per-user cache of built automatons, beside the glossary cache: a cold start skips building.

An entry is two files in the cache directory (``munitag.cache.directory``):

- ``automaton-<key>.bin``: the automaton as pyahocorasick's own ``save`` writes it, with integer
  values only (``STORE_INTS``), so loading it runs no Python code and unpickles nothing;
- ``automaton-<key>.table``: what those integers index, as lines of UTF-8 text (JSON, decoded
  by the matcher when a value is first hit), after a JSON header line that records the SHA-256
  and size of both the automaton file and the table body, and how many keys and lines there are.

The table is written after the automaton it describes, and both are read only as for the glossary
cache: regular files (never through a link), owned by the current user and writable by nobody
else, in a directory with the same rights, under a size cap. A file that fails any check, or
whose hash or counts do not match, is ignored; the caller then builds the automaton again.
The key covers the glossary cache key, the pyahocorasick build (its file's path, size and date) and the Tagger options that
change the automaton; what the matcher stores is its own business (``Table.header``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from . import cache
from ._files import open_regular

FORMAT = 1
#: The largest automaton or table file read or written.
MAX_BYTES = 1 << 31
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Table:
    """What a cached automaton's integer values index.

    Attributes:
        header: The matcher's own fields from the header line (JSON data).
        lines: The table lines (bytes, one JSON document each), in index order.
    """

    header: dict[str, Any]
    lines: list[bytes]


def key(glossary_key: str, options: str) -> str:
    """The cache key of the automaton over the glossary with cache key ``glossary_key``, built
    with the Tagger options spelled by ``options``."""
    library = Path(ahocorasick.__file__)  # its build: path, size and date (cheaper than its metadata)
    info = library.stat()
    text = f"munitag-automaton {FORMAT} {sys.version_info[:2]} {sys.maxsize} {library} {info.st_size} {info.st_mtime_ns}\0{glossary_key}\0{options}"
    return hashlib.sha256(text.encode()).hexdigest()


def _paths(folder: Path, cache_key: str) -> tuple[Path, Path]:
    return folder / f"automaton-{cache_key}.bin", folder / f"automaton-{cache_key}.table"


def _read_trusted(path: Path) -> bytes:
    """The bytes of the cache file ``path``.

    Raises:
        OSError: it is a link, not a regular file, not owned by the user, writable by others or
            over the size cap.
    """
    with _open_trusted(path) as file:
        return file.read(MAX_BYTES + 1)


def _digest_trusted(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of the cache file ``path``, read in blocks (it is not kept in memory).

    Raises:
        OSError: as for ``_read_trusted``.
    """
    digest, size = hashlib.sha256(), 0
    with _open_trusted(path) as file:
        while block := file.read(_BLOCK):
            digest.update(block)
            size += len(block)
            if size > MAX_BYTES:
                raise OSError(f"cache file {path} over the size cap")
    return size, digest.hexdigest()


def _open_trusted(path: Path) -> Any:
    fd = open_regular(path, follow=False)
    info = os.fstat(fd)
    if not cache.trusted(info) or info.st_size > MAX_BYTES:
        os.close(fd)
        raise OSError(f"untrusted cache file {path}")
    return os.fdopen(fd, "rb")


def _no_objects(data: bytes) -> Any:
    """The deserializer given to ``ahocorasick.load``: an integer automaton never calls it."""
    raise ValueError("the cached automaton holds objects, not integers")


def read(cache_key: str) -> tuple[Any, Table] | None:
    """The cached automaton for ``cache_key`` and its table; None when absent or in any doubt."""
    folder = cache.directory()
    if folder is None:
        return None
    binary, table = _paths(folder, cache_key)
    try:
        if not cache.trusted(folder.stat()):
            return None
        data = _read_trusted(table)
        first, _, body = data.partition(b"\n")
        header = json.loads(first)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != cache_key:
            return None
        if header["table_sha256"] != hashlib.sha256(body).hexdigest():
            return None
        if _digest_trusted(binary) != (header["automaton_bytes"], header["automaton_sha256"]):
            return None
        # loaded by path: only the user can replace the file between the hash and the load
        automaton = ahocorasick.load(str(binary), _no_objects)
        lines = body.split(b"\n") if body else []
        if automaton.store != ahocorasick.STORE_INTS or len(automaton) != header["keys"] or len(lines) != header["lines"]:
            return None
        if os.stat(table).st_mtime < time.time() - 24 * 3600:  # in use: kept fresh for _remove_stale
            for path in (binary, table):
                os.utime(path, follow_symlinks=False)
        return automaton, Table(header["matcher"], lines)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, MemoryError):
        return None


def write(cache_key: str, automaton: Any, table: Table) -> None:
    """Store ``automaton`` (integer values) and ``table`` under ``cache_key``; skipped silently
    when the cache cannot be written."""
    folder = cache.directory()
    if folder is None:
        return
    binary, table_path = _paths(folder, cache_key)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not cache.trusted(folder.stat()):
            return
        _remove_stale(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".automaton-", suffix=".tmp")
        os.close(fd)
        try:
            automaton.save(tmp)
            size, digest = _digest_trusted(Path(tmp))
            os.replace(tmp, binary)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        body = b"\n".join(table.lines)
        header = {"format": FORMAT, "key": cache_key, "keys": len(automaton), "lines": len(table.lines),
                  "automaton_bytes": size, "automaton_sha256": digest,
                  "table_sha256": hashlib.sha256(body).hexdigest(), "matcher": table.header}
        payload = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body
        if len(payload) > MAX_BYTES:
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".automaton-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(tmp, table_path)
    except (OSError, ValueError):
        return


def _remove_stale(folder: Path) -> None:
    """Remove automaton files unused for a week (as ``munitag.cache`` does for glossaries)."""
    week_ago = time.time() - 7 * 24 * 3600
    for old in [*folder.glob("automaton-*.bin"), *folder.glob("automaton-*.table")]:
        try:
            if old.lstat().st_mtime < week_ago:
                old.unlink()
        except OSError:
            continue
