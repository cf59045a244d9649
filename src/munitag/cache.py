"""A per-user cache of validated glossaries: a cold start skips YAML parsing and validation.

The cache holds JSON (never pickle), so reading it cannot run code. An entry is named by a
SHA-256 of everything that decides the result: the cache format, munitag's version and source
files, the morphology library and dictionaries that generate inflected forms, and every file of
the glossary directory. It is read only from a directory that belongs
to the current user and that nobody else can write to.

Location: ``$MUNITAG_CACHE_DIR``, else ``$XDG_CACHE_HOME/munitag``, else ``~/.cache/munitag``.
``MUNITAG_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from .glossary import Glossary

FORMAT = 2
_PACKAGE = Path(__file__).parent


def directory() -> Path | None:
    """Where cached glossaries live, or None when caching is turned off."""
    if os.environ.get("MUNITAG_NO_CACHE", "") not in ("", "0"):
        return None
    if os.environ.get("MUNITAG_CACHE_DIR"):
        return Path(os.environ["MUNITAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "munitag"


def key(root: Path) -> str | None:
    """The cache key of the glossary at ``root``, or None (caching off, or files unreadable)."""
    if directory() is None:
        return None
    from . import __version__
    from .glossary import bundled_glossary_path

    digest = hashlib.sha256(f"munitag-glossary-cache {FORMAT} {__version__} {sys.version_info[:2]}".encode())
    inputs = [(f"code/{p.name}", p) for p in sorted(_PACKAGE.glob("*.py"))]
    inputs.append(("schema", bundled_glossary_path() / "schema.json"))
    inputs += _morphology_files()
    try:
        inputs += [(f"glossary/{p.relative_to(root).as_posix()}", p) for p in sorted(root.rglob("*")) if p.is_file()]
        for label, path in inputs:
            data = path.read_bytes()
            digest.update(f"\0{label}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def _morphology_files() -> list[tuple[str, Path]]:
    """The files that identify the morphology library and dictionaries behind generated forms
    (found without importing them, which would cost start-up time)."""
    found = []
    for name, file in (("pymorphy3", "version.py"), ("pymorphy3_dicts_ru", "data/meta.json"), ("pymorphy3_dicts_uk", "data/meta.json")):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            found.append((f"morphology/{name}", Path(spec.origin).parent / file))
    return found


def _trusted(path: Path) -> bool:
    """Owned by the current user and writable by nobody else (always true where there are no uids)."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(cache_key: str, root: Path) -> Glossary | None:
    """The cached glossary for ``cache_key``, or None when absent, untrusted or unreadable."""
    folder = directory()
    if folder is None:
        return None
    path = folder / f"glossary-{cache_key}.json"
    if not (_trusted(folder) and _trusted(path)):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != cache_key:
            return None
        return Glossary.from_dict(data["glossary"], root)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(cache_key: str, glossary: Glossary) -> None:
    """Store ``glossary`` under ``cache_key``; a cache that cannot be written is skipped silently."""
    folder = directory()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        for old in folder.glob("glossary-*.json"):  # old ones go; one still in use is rewritten
            if old.stat().st_mtime < _week_ago():
                old.unlink()
        payload = json.dumps({"format": FORMAT, "key": cache_key, "glossary": glossary.to_dict()}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".glossary-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(payload)
        os.replace(tmp, folder / f"glossary-{cache_key}.json")
    except OSError:
        return


def _week_ago() -> float:
    import time

    return time.time() - 7 * 24 * 3600
