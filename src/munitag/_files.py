"""Which files of a glossary directory are read, and how: regular files only, inside the directory,
size checked before reading, never blocking on a FIFO or device.

The validator reads exactly the files ``layout`` lists, and the cache key hashes exactly those,
so a stray file elsewhere in the directory costs nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: The vocabulary files every glossary has, in the order they are read.
VOCABULARIES = ("categories.yml", "origins.yml", "treaties.yml", "context.yml")
#: Vocabulary files a glossary may have (read, and hashed by the cache, when present).
OPTIONAL = ("lookalikes.yml",)
#: Entry folders and the kind of entry each holds.
KINDS = {"items": "item", "terms": "term"}
MAX_FILE_BYTES = 64 * 1024


class TooLarge(Exception):
    """The file is over the size cap; ``size`` is its size in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass
class Layout:
    """The files of a glossary directory that loading reads, and those it refuses.

    Attributes:
        vocabularies: Path of each vocabulary file that is present and may be read.
        entries: (path, kind) of every entry file, sorted by folder and name.
        refused: (path, reason) of each file that breaks the layout: a missing vocabulary, a
            ``.yaml`` entry file, a link that leads outside the directory (lint code G070).
    """

    vocabularies: dict[str, Path] = field(default_factory=dict)
    entries: list[tuple[Path, str]] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def _outside(path: Path, real_root: Path) -> bool:
    """True when ``path`` resolves (through symbolic links) to a place outside ``real_root``."""
    return not path.resolve().is_relative_to(real_root)


def layout(root: Path) -> Layout:
    """The files loading reads from the glossary directory ``root``.

    Symbolic links are followed only when they stay inside ``root``; files that are neither
    regular files nor links to them (directories, FIFOs, broken links) are passed over.
    """
    found = Layout()
    real_root = root.resolve()
    outside = "is a symbolic link to a place outside the glossary directory: copy the file in instead"
    for name in (*VOCABULARIES, *OPTIONAL):
        path = root / name
        if path.is_symlink() and _outside(path, real_root):
            found.refused.append((path, f"{name} {outside}"))
        elif path.is_file():
            found.vocabularies[name] = path
        elif name in VOCABULARIES:
            found.refused.append((path, f"missing vocabulary file {name}"))
    for folder, kind in KINDS.items():
        base = root / folder
        if base.is_symlink() and _outside(base, real_root):
            found.refused.append((base, f"folder {folder}/ {outside}"))
            continue
        try:
            listing = sorted(os.scandir(base), key=lambda item: item.name)
        except OSError:  # no such folder
            continue
        for item in listing:
            suffix = os.path.splitext(item.name)[1]
            if suffix not in (".yml", ".yaml"):
                continue
            path = base / item.name
            if item.is_symlink() and _outside(path, real_root):
                found.refused.append((path, f"entry file {outside}"))
            elif not item.is_file():
                continue
            elif suffix == ".yaml":
                found.refused.append((path, "entry files end in .yml: rename it"))
            else:
                found.entries.append((path, kind))
    return found


def open_regular(path: Path, *, follow: bool = True) -> int:
    """A read-only descriptor of the regular file at ``path``; never blocks, even on a FIFO.

    Raises:
        OSError: the file cannot be opened, is not a regular file, or (with ``follow=False``)
            is a symbolic link.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return fd


def read_capped(path: Path, cap: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, its size checked before any is read.

    Raises:
        TooLarge: the file is over ``cap`` bytes.
        OSError: it cannot be read, or is not a regular file.
    """
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as file:
        size = os.fstat(fd).st_size
        if size > cap:
            raise TooLarge(size)
        data = file.read(cap + 1)  # a file that grew since fstat is still read no further
    if len(data) > cap:
        raise TooLarge(len(data))
    return data
