"""What a change to the glossary does: entries, aliases, categories, origins, collisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._yaml import read_yaml
from .fmt import entry_files
from .glossary import Alias
from .validate import check_glossary


def _aliases(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An entry's aliases by text, each as ``Alias.to_dict`` gives it (settings that differ from the defaults)."""
    aliases = {}
    for alias in data.get("aliases") or []:
        text = alias.get("text") if isinstance(alias, dict) else alias
        if isinstance(text, str):
            aliases[text] = Alias.from_dict(alias).to_dict()
    return aliases


def _alias_texts(data: dict[str, Any]) -> set[str]:
    return set(_aliases(data))


def _entries(root: Path) -> dict[str, dict[str, Any]]:
    entries = {}
    for path in entry_files([root]):
        data = read_yaml(path.read_text(encoding="utf-8")).data
        if isinstance(data, dict):
            entries[str(data.get("id") or path.stem)] = data
    return entries


def _settings(alias: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in alias.items() if k != "text") or "no settings"


@dataclass
class GlossaryDiff:
    """Differences between an old and a new glossary directory."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    aliases_added: dict[str, list[str]] = field(default_factory=dict)
    aliases_removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> "category: a -> b", ... (fields other than aliases)
    new_collisions: list[str] = field(default_factory=list)
    new_problems: int = 0

    @property
    def edited(self) -> list[str]:
        """Ids of entries in both glossaries whose aliases or other fields changed."""
        return sorted((set(self.aliases_added) | set(self.aliases_removed) | set(self.changed)) - set(self.added))


def diff_glossaries(old: Path, new: Path) -> GlossaryDiff:
    """Compare two glossary directories."""
    before, after = _entries(old), _entries(new)
    result = GlossaryDiff(sorted(set(after) - set(before)), sorted(set(before) - set(after)))
    for entry_id in sorted(set(before) & set(after)):
        a, b = before[entry_id], after[entry_id]
        gained, lost = sorted(_alias_texts(b) - _alias_texts(a)), sorted(_alias_texts(a) - _alias_texts(b))
        if gained:
            result.aliases_added[entry_id] = gained
        if lost:
            result.aliases_removed[entry_id] = lost
        notes = [f"{key}: {a.get(key)} -> {b.get(key)}" for key in ("name", "kind", "category", "origin", "variant_of", "family", "treaties") if a.get(key) != b.get(key)]
        was, now = _aliases(a), _aliases(b)
        notes += [f"alias {text}: {_settings(was[text])} -> {_settings(now[text])}" for text in sorted(set(was) & set(now)) if was[text] != now[text]]
        if notes:
            result.changed[entry_id] = notes
    for entry_id in result.added:
        result.aliases_added[entry_id] = sorted(_alias_texts(after[entry_id]))

    def collisions(root: Path) -> set[str]:
        return {p.message for p in check_glossary(root).problems if p.code == "G032"}

    new_problems = check_glossary(new).problems
    result.new_problems = len(new_problems)
    result.new_collisions = sorted({p.message for p in new_problems if p.code == "G032"} - collisions(old))
    return result


def render_text(d: GlossaryDiff) -> str:
    """Plain-text report."""
    lines = []
    for label, ids in (("added", d.added), ("removed", d.removed)):
        lines += [f"{label}: {entry_id}" for entry_id in ids]
    for entry_id, texts in d.aliases_added.items():
        lines += [f"alias added: {entry_id}: {t}" for t in texts]
    for entry_id, texts in d.aliases_removed.items():
        lines += [f"alias removed: {entry_id}: {t}" for t in texts]
    for entry_id, notes in d.changed.items():
        lines += [f"changed: {entry_id}: {n}" for n in notes]
    lines += [f"new collision: {c}" for c in d.new_collisions]
    lines.append(f"{len(d.added)} added, {len(d.removed)} removed, {len(d.edited)} changed; lint problems in the new glossary: {d.new_problems}")
    return "\n".join(lines)


def render_markdown(d: GlossaryDiff) -> str:
    """Markdown report for a pull-request comment."""
    out = ["### Glossary changes", ""]
    out.append(f"**{len(d.added)}** added · **{len(d.removed)}** removed · **{len(d.edited)}** changed · lint problems: **{d.new_problems}**")
    out.append("")
    if d.added or d.removed:
        out += ["| entry | change | aliases |", "| --- | --- | --- |"]
        out += [f"| `{i}` | added | {', '.join(d.aliases_added.get(i, []))} |" for i in d.added]
        out += [f"| `{i}` | removed | |" for i in d.removed]
        out.append("")
    if d.edited:
        out += ["| entry | aliases added | aliases removed | other changes |", "| --- | --- | --- | --- |"]
        for i in d.edited:
            out.append(f"| `{i}` | {', '.join(d.aliases_added.get(i, []))} | {', '.join(d.aliases_removed.get(i, []))} | {'; '.join(d.changed.get(i, []))} |")
        out.append("")
    if d.new_collisions:
        out += ["**New alias collisions**", ""] + [f"- {c}" for c in d.new_collisions] + [""]
    return "\n".join(out)
