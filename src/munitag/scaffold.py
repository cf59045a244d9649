"""A new, valid entry file from a handful of facts (``munitag glossary new``)."""

from __future__ import annotations

from pathlib import Path

from .errors import MunitagError
from .fmt import format_entry
from .validate import ID_RE, KINDS


class ScaffoldError(MunitagError):
    """The entry cannot be created (bad id, file exists)."""


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
    aliases: list[str] | None = None,
) -> Path:
    """Write ``<root>/<items|terms>/<entry_id>.yml`` in canonical layout and return its path."""
    if not ID_RE.match(entry_id):
        raise ScaffoldError(f"id '{entry_id}' must be a lowercase slug like 'pfm-1' or 'anti-personnel-mine'")
    folder = {v: k for k, v in KINDS.items()}[kind]
    path = root / folder / f"{entry_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: edit it instead")
    names = [name] + [a for a in aliases or [] if a != name]
    data = {
        "id": entry_id,
        "name": name,
        "kind": kind,
        "category": category,
        "origin": origin if kind == "item" else None,
        "description": description,
        "aliases": names,
        "sources": sources,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_entry(data), encoding="utf-8")
    return path
