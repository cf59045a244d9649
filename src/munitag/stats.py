"""Glossary statistics: what the glossary covers and how well it is sourced."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .glossary import Glossary
from .normalize import scripts

#: Origins whose items are expected to carry a Cyrillic alias.
CYRILLIC_ORIGINS = {"SU", "RU", "UA", "BY"}


def script_of(text: str) -> str:
    """``latin``, ``cyrillic``, ``mixed`` or ``other`` by the letters of ``text``."""
    found = scripts(text)
    return found.pop() if len(found) == 1 else ("mixed" if found else "other")


def glossary_stats(glossary: Glossary) -> dict[str, Any]:
    """Counts by kind, category, origin, alias language and script, and coverage shares."""
    entries = list(glossary)
    total = len(entries) or 1
    aliases = [a for e in entries for a in e.aliases]
    has_cyrillic = [e for e in entries if any(script_of(a.text) == "cyrillic" for a in e.aliases)]
    expected = [e for e in entries if e.kind == "item" and CYRILLIC_ORIGINS & set(e.origin)]
    missing = sorted(e.id for e in expected if e not in has_cyrillic)
    return {
        "entries": len(entries),
        "aliases": len(aliases),
        "by_kind": dict(Counter(e.kind for e in entries).most_common()),
        "by_category": dict(Counter(e.category for e in entries).most_common()),
        "by_origin": dict(Counter(o for e in entries for o in e.origin).most_common()),
        "aliases_by_lang": dict(Counter(a.lang or "-" for a in aliases).most_common()),
        "aliases_by_script": dict(Counter(script_of(a.text) for a in aliases).most_common()),
        "generated_forms_by_lang": dict(Counter(a.lang for a in aliases for _ in glossary.forms_of(a)).most_common()),
        "generated_context_forms": len(glossary.context_words()) + len(glossary.context_exceptions())
        - sum(map(len, glossary.context.values())) - sum(map(len, glossary.context_except.values())),
        "share_sourced": sum(bool(e.sources) for e in entries) / total,
        "share_with_examples": sum(bool(e.examples) for e in entries) / total,
        "share_with_cyrillic": len(has_cyrillic) / total,
        "soviet_russian_ukrainian_items": len(expected),
        "share_of_those_with_cyrillic": (len(expected) - len(missing)) / (len(expected) or 1),
        "missing_cyrillic": missing,
    }
