"""The canonical layout of an entry file, so that reviews show only real changes.

Keys follow ``ENTRY_FIELDS`` (alias keys ``ALIAS_FIELDS``), unknown keys come last and are kept;
two-space indentation; ``origin`` and ``treaties`` as flow lists, other lists in block style;
an alias with only ``text`` is written as a plain string; strings are plain where YAML reads them
back unchanged, double-quoted otherwise; empty values are dropped. Comments are not part of the
format: files holding them are refused (lint code G004) rather than silently stripped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ._files import MAX_FILE_BYTES, TooLarge, read_capped
from ._yaml import read_yaml
from .validate import ALIAS_FIELDS, ENTRY_FIELDS

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FLOW_FIELDS = ("origin", "treaties")


def scalar(value: Any, *, flow: bool = False) -> str:
    """One value as YAML: plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value and value == value.strip() and "\n" not in value:
        probe = "k: [{}]" if flow else "k: {}"
        try:
            if yaml.load(probe.format(value), Loader=_Loader) == {"k": [value] if flow else value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> list[tuple[str, Any]]:
    known = [(k, mapping[k]) for k in order if k in mapping]
    return known + [(k, v) for k, v in mapping.items() if k not in order]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def format_entry(data: dict[str, Any]) -> str:
    """The canonical text of an entry file holding ``data``."""
    lines: list[str] = []
    for key, value in _ordered(data, ENTRY_FIELDS):
        if _empty(value):
            continue
        if isinstance(value, list) and key in FLOW_FIELDS and all(isinstance(v, str) for v in value):
            lines.append(f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict) and set(item) == {"text"}:
                    item = item["text"]
                if isinstance(item, dict):
                    pairs = [(k, v) for k, v in _ordered(item, ALIAS_FIELDS) if not _empty(v)]
                    for i, (k, v) in enumerate(pairs):
                        lines.append(f"{'  - ' if i == 0 else '    '}{k}: {scalar(v)}")
                else:
                    lines.append(f"  - {scalar(item)}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class FormatResult:
    """Outcome for one file: the canonical text, or why it was left alone."""

    path: Path
    changed: bool
    text: str | None = None
    refused: str | None = None


def prune_forms(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the aliases that another of its aliases generates (lint code G036)."""
    from .glossary import Alias
    from .inflect import LANGS, phrase_forms, redundant_aliases

    raw = data.get("aliases")
    if not isinstance(raw, list) or not isinstance(data.get("name"), str):
        return data
    if not all(isinstance(a, str) or (isinstance(a, dict) and isinstance(a.get("text"), str)) for a in raw):
        return data
    aliases = [Alias.from_dict(a) for a in raw]

    def forms_of(alias: Alias) -> tuple[str, ...]:
        return phrase_forms(alias.text, alias.lang) if alias.inflect and alias.lang in LANGS else ()

    drop = redundant_aliases(data["name"], aliases, forms_of)
    return {**data, "aliases": [a for i, a in enumerate(raw) if i not in drop]} if drop else data


def format_file(path: Path, *, prune: bool = False) -> FormatResult:
    """Compute the canonical form of the entry file at ``path`` (nothing is written); with
    ``prune``, also without the aliases that another alias generates (``prune_forms``).

    Raises:
        OSError: the file cannot be read or is not a regular file.
        UnicodeDecodeError: it is not UTF-8.
    """
    try:
        original = read_capped(path, MAX_FILE_BYTES).decode("utf-8")
    except TooLarge as exc:
        return FormatResult(path, False, refused=f"1:1: G003 file is {exc.size} bytes, over the {MAX_FILE_BYTES}-byte cap: split it")
    doc = read_yaml(original)
    if doc.problems:
        line, col, code, message = doc.problems[0]
        return FormatResult(path, False, refused=f"{line}:{col}: {code} {message}")
    if doc.comments:
        line, col = doc.comments[0]
        return FormatResult(path, False, refused=f"{line}:{col}: G004 comments are not kept in entry files: move the remark into 'notes'")
    if not isinstance(doc.data, dict):
        return FormatResult(path, False, refused="1:1: G070 an entry file must hold one mapping")
    text = format_entry(prune_forms(doc.data) if prune else doc.data)
    return FormatResult(path, text != original, text)


def entry_files(paths: list[Path]) -> list[Path]:
    """Entry files named by ``paths``: files as given, directories searched for items/ and terms/."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.yml") if p.parent.name in ("items", "terms"))
        else:
            found.append(path)
    return found
