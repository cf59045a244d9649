"""A per-user cache of built automatons, beside the glossary cache: a cold start skips building,
and a warm start does not load what a short text never needs.

An entry is three files in the cache directory (``munitag.cache.directory``):

- ``automaton-<key>.bin``: the automaton as pyahocorasick's own ``save`` writes it, with integer
  values only (``STORE_INTS``), so loading it runs no Python code and unpickles nothing;
- ``automaton-<key>.index``: the same keys and values as a hash table (``Index``), looked up
  in place: a short text is scanned by looking up its candidate substrings, so a start-up need
  not load the whole automaton, whose loading grows with the glossary (0.5 s at 100,000 aliases);
- ``automaton-<key>.table``: what those integers index, as lines of UTF-8 text (JSON, decoded
  by the matcher when a value is first hit), after a JSON header line that records the size and
  checksum of the other two files (SHA-256 of the automaton, CRC-32 of the index) and of the
  table body (CRC-32, the header of every cache file: ``cache.with_header``), and how many keys
  and lines there are.

``Cached.iter`` answers from the index until the lookups a text needs would cost more than
loading the automaton (``LOOKUPS_PER_BYTE``), then loads the automaton once and uses it.

The table is written after the files it describes, and all three are read only as for the
glossary cache: regular files (never through a link), owned by the current user and writable by
nobody else, in a directory with the same rights, under a size cap. The table and the index are
checked when read; the automaton file (the largest) only when it is loaded. The threat is a
damaged file (a full disk, a crash, a stray edit), not an attacker: whoever can write the user's
own cache directory can already run code as the user, and could rewrite the recorded checksums
as well. So the table and the index, read by Python code (where damage that slipped through
would raise or give wrong hits, never corrupt memory), get CRC-32: it catches a truncation, a
swap of lines and any burst of up to 32 flipped bits, at 3.5 times the speed of SHA-256 here.
The automaton file, read by pyahocorasick's C code, keeps its SHA-256. A file that fails any
check, or whose checksum or counts do not match, is ignored: the caller builds the automaton again (at start-up), or
the ``rebuild`` function given to ``read`` does (when the automaton file turns out damaged later).
The key covers the glossary cache key, the pyahocorasick build (its file's path, size and date) and the Tagger options that
change the automaton; what the matcher stores is its own business (``Table.header``).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import ahocorasick

from . import cache
from ._files import open_regular

FORMAT = 3
#: The largest automaton, index or table file read or written.
MAX_BYTES = 1 << 31
#: Index lookups worth one byte of automaton file loaded (measured: a lookup costs about 1 µs,
#: loading about 5 ns a byte).
LOOKUPS_PER_BYTE = 1 / 200
_BLOCK = 1 << 20
_RECORD = struct.Struct("<IH")  # value, key length; the key's bytes follow
_COUNTS = struct.Struct("<II")  # buckets, table lines


@dataclass(frozen=True)
class Table:
    """What a cached automaton's integer values index.

    Attributes:
        header: The matcher's own fields from the header line (JSON data).
        lines: The table lines (bytes, one JSON document each), in index order.
    """

    header: dict[str, Any]
    lines: Sequence[bytes]


def key(glossary_key: str, options: str) -> str:
    """The cache key of the automaton over the glossary with cache key ``glossary_key``, built
    with the Tagger options spelled by ``options``."""
    library = Path(ahocorasick.__file__)  # its build: path, size and date (cheaper than its metadata)
    info = library.stat()
    text = (f"munitag-automaton {FORMAT} {sys.version_info[:2]} {sys.maxsize} {sys.byteorder} {library} {info.st_size} {info.st_mtime_ns}"
            f"\0{glossary_key}\0{options}")
    return hashlib.sha256(text.encode()).hexdigest()


def _paths(folder: Path, cache_key: str) -> tuple[Path, Path, Path]:
    return folder / f"automaton-{cache_key}.bin", folder / f"automaton-{cache_key}.index", folder / f"automaton-{cache_key}.table"


class Index:
    """The keys that begin and end with a space (every key but a prefix context word's: the scan
    image has a space at each non-word character) as an open-addressing hash table, and where
    each line of the table ends, in one ``bytes``: the number of buckets (a power of two) and of
    table lines (``_COUNTS``), the buckets (native ``uint32``: 1 + the offset of a record, 0 for
    none), the line ends (native ``uint32`` offsets in the table body) and the records
    (``_RECORD``, then the key in Latin-1, the alphabet of the scan image); a key's first bucket
    is its CRC-32.
    """

    def __init__(self, data: bytes) -> None:
        count, lines = _COUNTS.unpack_from(data)
        base = _COUNTS.size + 4 * (count + lines)
        if count & (count - 1) or base > len(data):
            raise ValueError("not an automaton index")
        self._buckets, self.ends = array("I"), array("I")
        self._buckets.frombytes(data[_COUNTS.size : _COUNTS.size + 4 * count])
        self.ends.frombytes(data[_COUNTS.size + 4 * count : base])
        self._data, self._base = data, base - 1  # a bucket holds 1 + a record's offset

    @staticmethod
    def encode(items: list[tuple[bytes, int]], lines: list[bytes]) -> bytes:
        """The index of the keys ``items`` (key, value) and of the table ``lines``."""
        count = 1 << max(1, (2 * len(items) - 1).bit_length())  # at most half full
        buckets = array("I", bytes(4 * count))
        records = bytearray()
        for raw, value in items:
            at = zlib.crc32(raw) & (count - 1)
            while buckets[at]:
                at = (at + 1) & (count - 1)
            buckets[at] = len(records) + 1
            records += _RECORD.pack(value, len(raw)) + raw
        ends = array("I", (end - 1 for end in itertools.accumulate(len(line) + 1 for line in lines)))
        return _COUNTS.pack(count, len(lines)) + buckets.tobytes() + ends.tobytes() + bytes(records)

    def get(self, raw: bytes) -> int | None:
        """The value of the key ``raw``, or None."""
        buckets, data = self._buckets, self._data
        mask = len(buckets) - 1
        at = zlib.crc32(raw) & mask
        for _ in range(len(buckets)):
            offset = buckets[at]
            if not offset:
                return None
            value, size = _RECORD.unpack_from(data, self._base + offset)
            begin = self._base + offset + _RECORD.size
            if data[begin : begin + size] == raw:
                return value
            at = (at + 1) & mask
        return None


class Lines(Sequence[bytes]):
    """The lines of a table body in ``data`` from ``start``, each cut out when asked for."""

    def __init__(self, data: bytes, start: int, ends: array[int]) -> None:
        self._data, self._start, self._ends = data, start, ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self._ends))[index]  # IndexError as a list's
        begin = self._start if index == 0 else self._start + self._ends[index - 1] + 1
        return self._data[begin : self._start + self._ends[index]]


class Cached:
    """A cached automaton, read lazily: ``iter`` and ``len`` as pyahocorasick's, answered from
    the ``Index`` (and a small automaton of the other keys) until a text needs more lookups than
    loading the automaton file costs; then that file is hashed, loaded and used from there on
    (when it fails the check, ``rebuild()`` gives the automaton instead)."""

    def __init__(self, index: Index, others: list[tuple[str, int]], keys: int, longest: int, binary: tuple[Path, int, str],
                 rebuild: Callable[[], Any]) -> None:
        self._index: Index | None = index  # dropped once the automaton is loaded
        self._keys, self._longest, self._binary, self._rebuild = keys, longest, binary, rebuild
        self._others = _small(others)
        self._budget = int(binary[1] * LOOKUPS_PER_BYTE)
        self._loaded: Any = None

    def __len__(self) -> int:
        return self._keys

    def iter(self, image: str) -> Iterator[tuple[int, int]]:
        """(index of the last character, value) of every key in ``image``, by end, longest first."""
        if self._loaded is None:
            spaces, pairs = self._candidates(image)
            lookups = sum(stop - a for a, stop in pairs)
            if lookups <= self._budget:
                self._budget -= lookups
                return iter(self._looked_up(image, spaces, pairs))
            self._loaded, self._index = self._load(), None
        return self._loaded.iter(image)

    def looked_up(self, image: str) -> list[tuple[int, int]]:
        """What ``iter(image)`` gives, from the index alone whatever it costs (for checks such as
        ``make fuzz``'s: it must equal the automaton's answer).

        Raises:
            ValueError: the automaton is loaded already (the index is let go then).
        """
        return self._looked_up(image, *self._candidates(image))

    def _candidates(self, image: str) -> tuple[list[int], list[tuple[int, int]]]:
        """The spaces of ``image`` and, for each, the range of later spaces a key from it can reach."""
        spaces = [i for i, c in enumerate(image) if c == " "]
        return spaces, [(a, bisect.bisect_right(spaces, i + self._longest - 1, a)) for a, i in enumerate(spaces)]

    def _looked_up(self, image: str, spaces: list[int], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if self._index is None:
            raise ValueError("the automaton is loaded: its index is gone")
        raw, get = image.encode("latin-1"), self._index.get
        hits = []
        for a, stop in pairs:
            start = spaces[a]
            for last in spaces[a:stop]:
                value = get(raw[start : last + 1])
                if value is not None:
                    hits.append((last, start, value))
        if len(self._others):
            hits += [(last, last + 1 - size, value) for last, (value, size) in self._others.iter(image)]
        hits.sort()  # by end, then start: longest first
        return [(last, value) for last, _, value in hits]

    def _load(self) -> Any:
        path, size, digest = self._binary
        try:
            if _digest_trusted(path) == (size, digest):
                # loaded by path: only the user can replace the file between the hash and the load
                automaton = ahocorasick.load(str(path), _no_objects)
                if automaton.store == ahocorasick.STORE_INTS and len(automaton) == self._keys:
                    return automaton
        except (OSError, ValueError, MemoryError):
            pass
        return self._rebuild()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for worker processes) as the loaded automaton, or as the index and the rest."""
        state = dict(vars(self))
        del state["_others"]
        state["others"] = [(text, value) for text, (value, _) in self._others.items()] if len(self._others) else []
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        others = state.pop("others")
        vars(self).update(state)
        self._others = _small(others)


def _small(keys: list[tuple[str, int]]) -> Any:
    """An automaton of the few ``keys`` (key, value) the ``Index`` cannot hold, each valued
    (value, length)."""
    automaton = ahocorasick.Automaton()
    for text, value in keys:
        automaton.add_word(text, (value, len(text)))
    if keys:
        automaton.make_automaton()
    return automaton


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


def read(cache_key: str, rebuild: Callable[[], Any]) -> tuple[Cached, Table] | None:
    """The cached automaton for ``cache_key`` and its table; None when absent or in any doubt.
    ``rebuild()`` gives the automaton if its file fails the check when it is loaded (``Cached``)."""
    folder = cache.directory()
    if folder is None:
        return None
    binary, index_path, table = _paths(folder, cache_key)
    try:
        if not cache.trusted(folder.stat()):
            return None
        data = _read_trusted(table)
        checked = cache.checked_header(data, FORMAT, cache_key)
        if checked is None:
            return None
        header, start = checked
        raw = _read_trusted(index_path)
        if (len(raw), zlib.crc32(raw)) != (header["index_bytes"], header["index_crc32"]):
            return None
        index = Index(raw)
        lines = Lines(data, start, index.ends)
        if len(lines) != header["lines"] or (lines and start + index.ends[-1] != len(data)):
            return None
        automaton = Cached(index, [(text, value) for text, value in header["others"]], header["keys"], header["longest_key"],
                           (binary, header["automaton_bytes"], header["automaton_sha256"]), rebuild)
        if os.stat(table).st_mtime < time.time() - 24 * 3600:  # in use: kept fresh for _remove_stale
            for path in (binary, index_path, table):
                os.utime(path, follow_symlinks=False)
        return automaton, Table(header["matcher"], lines)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, MemoryError, struct.error):
        return None


def write(cache_key: str, automaton: Any, table: Table) -> None:
    """Store ``automaton`` (integer values) and ``table`` under ``cache_key``; skipped silently
    when the cache cannot be written."""
    import tempfile  # here, not at the top: with shutil, bz2 and lzma it costs every warm start ~4 ms

    folder = cache.directory()
    if folder is None:
        return
    binary, index_path, table_path = _paths(folder, cache_key)
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
        spaced, others = [], []
        for text, value in automaton.items():
            if text[:1] == " " == text[-1:] and all(c <= "\xff" for c in text):
                spaced.append((text.encode("latin-1"), value))
            else:
                others.append((text, value))
        lines = list(table.lines)
        index = Index.encode(spaced, lines)
        body = b"\n".join(lines)
        header = {"format": FORMAT, "key": cache_key, "keys": len(automaton), "lines": len(table.lines),
                  "automaton_bytes": size, "automaton_sha256": digest, "index_bytes": len(index), "index_crc32": zlib.crc32(index),
                  "others": others, "longest_key": max((len(text) for text, _ in spaced), default=0), "matcher": table.header}
        payload = cache.with_header(header, body)
        if len(payload) > MAX_BYTES or len(index) > MAX_BYTES:
            return
        for path, content in ((index_path, index), (table_path, payload)):
            cache.store(folder, path.name, content)
    except (OSError, ValueError):
        return


def _remove_stale(folder: Path) -> None:
    """Remove automaton files unused for a week (as ``munitag.cache`` does for glossaries)."""
    week_ago = time.time() - 7 * 24 * 3600
    for old in [*folder.glob("automaton-*.bin"), *folder.glob("automaton-*.index"), *folder.glob("automaton-*.table")]:
        try:
            if old.lstat().st_mtime < week_ago:
                old.unlink()
        except OSError:
            continue
