"""A per-user cache of validated glossaries: a cold start skips YAML parsing and validation.

The cache holds JSON (never pickle), so reading it cannot run code. An entry is named by a
SHA-256 of everything that decides the result: the cache format, munitag's source files (its
version among them), the morphology library and dictionaries that generate inflected forms, and
every file that loading reads from the glossary directory (``munitag._files.layout``; nothing
else there is read). Entry paths are stored relative to the glossary directory, so a glossary
loaded from the cache names its own files even when an identical copy elsewhere filled it.
Hashing reads every file, so each key is also remembered (``key-<signature>.txt``) under the
files' signature, their sizes, times and inodes, which a warm start reads instead (see ``key``).

A cache file is one header line (format, key, payload size and CRC-32) and the glossary as JSON.
It is read only when it is a regular file (never through a link, never blocking on a FIFO) in a
directory that belongs to the current user and that nobody else can write to, and only when the
header matches and the payload has the size and checksum the header gives: what only this user
can write and still checks out is what munitag wrote from a validated glossary, so it is decoded
without the shape check of ``Glossary.from_dict`` (a third of a warm start's decoding). On any
doubt the glossary is loaded from its files and the cache file rewritten.

Location: ``$MUNITAG_CACHE_DIR``, else ``$XDG_CACHE_HOME/munitag``, else ``~/.cache/munitag``.
``MUNITAG_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import stat
import sys
import time
import weakref
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from ._files import KINDS, MAX_FILE_BYTES, TooLarge, display_path, layout, open_regular
from .collector import paused
from .glossary import Glossary, bundled_glossary_path

FORMAT = 5
#: The largest cache file read or written (the bundled glossary's is well under 1 MiB).
MAX_CACHE_BYTES = 256 * 1024 * 1024
_PACKAGE = Path(__file__).parent
_CHUNK = 1 << 16
_keys: dict[int, tuple[weakref.ref[Glossary], str]] = {}


def directory() -> Path | None:
    """Where cached glossaries live, or None when caching is turned off."""
    if os.environ.get("MUNITAG_NO_CACHE", "") not in ("", "0"):
        return None
    if os.environ.get("MUNITAG_CACHE_DIR"):
        return Path(os.environ["MUNITAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "munitag"


def key(root: Path) -> str | None:
    """The cache key of the glossary at ``root``, or None: caching is off, a file is unreadable
    or over the size cap, or the directory breaks the layout (loading then reports why).

    The key is a hash of the files' content. Hashing them is most of the key's cost, so the key
    is remembered under their signature (size, times, inode: what any change of a file changes,
    since no tool can set the change time ``st_ctime``) once every file is ``SETTLED_NS`` old,
    and looked up by it.
    """
    folder = directory()
    if folder is None:
        return None
    found = layout(root)
    if found.refused:
        return None
    inputs: list[tuple[str, Path, int | None]] = [(f"code/{p.name}", p, None) for p in sorted(_PACKAGE.glob("*.py"))]
    inputs.append(("schema", bundled_glossary_path() / "schema.json", None))
    inputs += [(label, path, None) for label, path in _morphology_files()]
    inputs += [(f"glossary/{name}", path, MAX_FILE_BYTES) for name, path in found.vocabularies.items()]
    inputs += [(f"glossary/{path.parent.name}/{path.name}", path, MAX_FILE_BYTES) for path, _ in found.entries]  # <folder>/<file>
    try:
        infos = [os.stat(path) for _, path, _ in inputs]
    except OSError:
        return None
    if any(not stat.S_ISREG(info.st_mode) or (cap is not None and info.st_size > cap) for (_, _, cap), info in zip(inputs, infos)):
        return None  # not a regular file, or over the size cap
    signature = hashlib.sha256(f"munitag-glossary-files {FORMAT} {sys.version_info[:2]}".encode())
    for (label, _, _), info in zip(inputs, infos):
        signature.update(f"\0{label}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0{info.st_dev}".encode())
    files = signature.hexdigest()
    remembered = _recall(folder, files)
    if remembered is not None:
        return remembered
    digest = hashlib.sha256(f"munitag-glossary-cache {FORMAT} {sys.version_info[:2]}".encode())
    try:
        for label, path, cap in inputs:
            _hash_file(digest, label, path, cap)
    except (OSError, TooLarge):
        return None
    computed = digest.hexdigest()
    if max(max(info.st_mtime_ns, info.st_ctime_ns) for info in infos) < time.time_ns() - SETTLED_NS:
        _remember(folder, files, computed)
    return computed


#: How old every file must be before its signature stands for its content: a file changed again
#: within its timestamps' granularity would keep its signature (git's index has the same rule).
SETTLED_NS = 2_000_000_000
_KEY_CHARS = frozenset("0123456789abcdef")


def _recall(folder: Path, signature: str) -> str | None:
    """The key remembered for ``signature``, or None (absent, untrusted or not a key)."""
    try:
        if not trusted(folder.stat()):
            return None
        with os.fdopen(open_regular(folder / f"key-{signature}.txt", follow=False), "rb") as file:
            if not trusted(os.fstat(file.fileno())):
                return None
            found = file.read(65).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return found if len(found) == 64 and set(found) <= _KEY_CHARS else None


def _remember(folder: Path, signature: str, cache_key: str) -> None:
    """Remember ``cache_key`` for ``signature``; skipped silently when the cache cannot be written."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if trusted(folder.stat()):
            store(folder, f"key-{signature}.txt", cache_key.encode() + b"\n")
    except OSError:
        return


def store(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` to ``folder / name`` through a temporary file beside it, so that a reader
    never sees half a file (what was there is replaced, a link is not followed).

    Raises:
        OSError: it cannot be written (the temporary file is removed).
    """
    import tempfile  # here, not at the top: with shutil, bz2 and lzma it costs every warm start ~4 ms

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def with_header(fields: dict[str, Any], body: bytes) -> bytes:
    """``body`` after a JSON header line of ``fields`` and the body's size and CRC-32: a cache
    file as written (``checked_header`` reads it back)."""
    header = {**fields, "bytes": len(body), "crc32": zlib.crc32(body)}
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body


def checked_header(content: bytes, fmt: int, cache_key: str) -> tuple[dict[str, Any], int] | None:
    """The header of ``content`` as ``with_header`` wrote it and the offset of its body; None when
    the header is not of format ``fmt`` and key ``cache_key`` or the body has not the size and
    CRC-32 it records.

    Raises:
        ValueError: there is no header line, or it is not JSON.
    """
    start = content.index(b"\n") + 1
    header = json.loads(content[:start])
    if not isinstance(header, dict) or header.get("format") != fmt or header.get("key") != cache_key:
        return None
    body = memoryview(content)[start:]
    if (len(body), zlib.crc32(body)) != (header.get("bytes"), header.get("crc32")):
        return None
    return header, start


def _hash_file(digest: Any, label: str, path: Path, cap: int | None) -> None:
    """Add ``label`` and the content of the regular file ``path`` to ``digest``, in chunks.

    Raises:
        TooLarge: the file is over ``cap`` bytes (checked before reading).
    """
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if cap is not None and size > cap:
            raise TooLarge(size)
        digest.update(f"\0{label}\0{size}\0".encode())
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)


def _morphology_files() -> list[tuple[str, Path]]:
    """The files that identify the morphology library and dictionaries behind generated forms
    (found without importing them, which would cost start-up time)."""
    found = []
    for name, file in (("pymorphy3", "version.py"), ("pymorphy3_dicts_ru", "data/meta.json"), ("pymorphy3_dicts_uk", "data/meta.json")):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            found.append((f"morphology/{name}", Path(spec.origin).parent / file))
    return found


def remember(glossary: Glossary, cache_key: str) -> None:
    """Record that ``glossary`` was loaded under ``cache_key`` (for the automaton cache)."""
    ident = id(glossary)
    _keys[ident] = (weakref.ref(glossary, lambda _: _keys.pop(ident, None)), cache_key)


def key_of(glossary: Glossary) -> str | None:
    """The cache key ``glossary`` was loaded under, or None (built in memory, or caching off)."""
    found = _keys.get(id(glossary))
    return found[1] if found is not None and found[0]() is glossary else None


def trusted(info: os.stat_result) -> bool:
    """Owned by the current user and writable by nobody else (always true where there are no uids)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _file(folder: Path, cache_key: str) -> Path:
    return folder / f"glossary-{cache_key}.json"


def read(cache_key: str, root: Path) -> Glossary | None:
    """The cached glossary for ``cache_key``, located at ``root``; None when absent, untrusted,
    not a regular file, too large, unreadable or not shaped as a glossary."""
    folder = directory()
    if folder is None:
        return None
    try:
        if not trusted(folder.stat()):
            return None
        with os.fdopen(open_regular(_file(folder, cache_key), follow=False), "rb") as file:
            info = os.fstat(file.fileno())
            if not trusted(info) or info.st_size > MAX_CACHE_BYTES:
                return None
            content = file.read(MAX_CACHE_BYTES + 1)
            if info.st_mtime < time.time() - 24 * 3600:  # in use: kept fresh for _remove_stale
                with contextlib.suppress(OSError):
                    os.utime(file.fileno())
        checked = checked_header(content, FORMAT, cache_key)
        if checked is None:
            return None
        with paused():  # a dozen objects per alias, all kept and none in a cycle: the collections
            # they set off took as long as the decoding (a warm start with 100,000 aliases)
            data = json.loads(content[checked[1] :])
            return Glossary.from_dict(_located(data, root), root, check=False)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def write(cache_key: str, glossary: Glossary) -> None:
    """Store ``glossary`` under ``cache_key``, replacing whatever file has that name; a cache
    that cannot be written is skipped silently."""
    folder = directory()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(folder.stat()):
            return
        _remove_stale(folder)
        content = with_header({"format": FORMAT, "key": cache_key}, json.dumps(_portable(glossary), ensure_ascii=False).encode("utf-8"))
        if len(content) > MAX_CACHE_BYTES:
            return
        store(folder, _file(folder, cache_key).name, content)
    except OSError:
        return


def _remove_stale(folder: Path) -> None:
    """Remove cache files unused for a week (``read`` refreshes the date of a glossary file in use
    once a day; a remembered key removed while in use is only computed again)."""
    week_ago = time.time() - 7 * 24 * 3600
    for old in [*folder.glob("glossary-*.json"), *folder.glob("key-*.txt")]:
        try:
            if old.lstat().st_mtime < week_ago:
                old.unlink()
        except OSError:  # a directory, or gone meanwhile
            continue


def _portable(glossary: Glossary) -> dict[str, Any]:
    """``glossary.to_dict()`` with each entry's path relative to the glossary directory, and each
    alias that has no setting of its own as its text alone, as an entry file may write it (with
    100,000 aliases: a quarter less JSON to decode, and no mapping made per alias)."""
    data = glossary.to_dict()
    for entry in data["entries"]:
        path = PurePosixPath(Path(entry["path"]).as_posix())
        entry["path"] = f"{path.parent.name}/{path.name}"
        entry["aliases"] = [alias["text"] if len(alias) == 1 else alias for alias in entry["aliases"]]
    return data


def _located(data: dict[str, Any], root: Path) -> dict[str, Any]:
    """``data`` as ``_portable`` wrote it, each entry's path made a path of the glossary at ``root``.

    Raises:
        ValueError: a path is not ``<entry folder>/<file name>``.
    """
    base = display_path(root)  # as validation shows ``root / folder / name``, computed once
    prefix = "" if base == "." else os.path.join(base, "")
    for entry in data["entries"]:
        parts = entry["path"].split("/")
        if len(parts) != 2 or parts[0] not in KINDS or not parts[1].endswith(".yml"):
            raise ValueError(f"cached entry path {entry['path']!r} is not <folder>/<file>.yml")
        entry["path"] = prefix + os.path.join(*parts)
    return data
