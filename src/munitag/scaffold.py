"""A new entry file that passes lint, from a handful of facts (``munitag glossary new``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ._files import KINDS
from .errors import MunitagError, Problem
from .fmt import format_entry
from .lint import lint_glossary
from .validate import ID_RE, display_path


class ScaffoldError(MunitagError):
    """The entry cannot be created: a bad id, the file exists, or the entry has ``problems``."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def packaged(root: Path) -> bool:
    """Whether ``root`` lies inside the installed munitag package (the glossary of a wheel)."""
    return root.resolve().is_relative_to(Path(__file__).resolve().parent)


def new_entry(
    root: Path,
    entry_id: str,
    *,
    name: str,
    kind: str,
    category: str,
    description: str,
    sources: list[str],
    origin: list[str] | None = None,
    aliases: list[tuple[str, str | None]] | None = None,
) -> Path:
    """Write ``<root>/<items|terms>/<entry_id>.yml`` in canonical layout and return its path.

    ``aliases`` are (text, language or None) besides ``name``. Nothing is written unless the
    entry passes every check ``munitag glossary lint`` makes on ``root`` with it added, and the
    file is created exclusively (never over an existing file or symbolic link).

    Raises:
        ScaffoldError: a bad id, an existing file, or problems (``ScaffoldError.problems``).
    """
    if not ID_RE.match(entry_id):
        raise ScaffoldError(f"id '{entry_id}' must be a lowercase slug like 'pfm-1' or 'anti-personnel-mine'")
    folder = {v: k for k, v in KINDS.items()}[kind]
    path = root / folder / f"{entry_id}.yml"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists: edit it instead")
    listed: list[Any] = [name]
    for text, lang in aliases or []:
        if text != name:
            listed.append({"text": text, "lang": lang} if lang else text)
    data = {
        "id": entry_id,
        "name": name,
        "kind": kind,
        "category": category,
        "origin": origin if kind == "item" else None,
        "description": description,
        "aliases": listed,
        "sources": sources,
    }
    text = format_entry(data)
    problems = _problems_with(root, Path(folder, path.name), text)
    if problems:
        raise ScaffoldError(f"{len(problems)} problem(s) with the new entry, nothing written (change the options, "
                           "or leave an alias out and add it to the file afterwards):", problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists: edit it instead") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    return path


def _problems_with(root: Path, relative: Path, text: str) -> list[Problem]:
    """Lint problems that adding ``text`` as ``root/relative`` brings: the glossary is checked
    with the file in a scratch copy, and problems the glossary already had are left out."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "glossary"
        shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (scratch / relative).parent.mkdir(parents=True, exist_ok=True)
        (scratch / relative).write_text(text, encoding="utf-8")
        after = _relative(lint_glossary(scratch), scratch, root)
        if not after:
            return []
        before = set(lint_glossary(root))
        return [p for p in after if p not in before]


def _relative(problems: list[Problem], scratch: Path, root: Path) -> list[Problem]:
    """``problems`` found in ``scratch`` as if found in ``root`` (paths and messages)."""
    here, there = display_path(scratch), display_path(root)
    moved = []
    for p in problems:
        path = there + p.path[len(here):] if p.path.startswith(here) else p.path
        moved.append(Problem(path, p.line, p.col, p.code, p.message.replace(here, there)))
    return moved
