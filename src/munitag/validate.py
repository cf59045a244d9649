"""Glossary validation: every problem in every file, with file, line, column and a fix.

The same checks back ``load_glossary`` (which refuses a broken glossary), the ``munitag glossary
lint`` command and the test suite. Codes are stable and explained in CONTRIBUTING.md.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._yaml import YamlDoc, read_yaml
from .errors import Problem
from .glossary import Alias, Category, Entry, Glossary
from .normalize import fold, fold_shape, separator_variants

MAX_FILE_BYTES = 64 * 1024
KINDS = {"items": "item", "terms": "term"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2}$")

#: Entry fields in canonical order, with their expected shape.
ENTRY_FIELDS: dict[str, str] = {
    "id": "str",
    "name": "str",
    "kind": "str",
    "category": "str",
    "origin": "list[str]",
    "description": "str",
    "aliases": "aliases",
    "variant_of": "str",
    "family": "str",
    "delivered_by": "list[str]",
    "treaties": "list[str]",
    "context": "list[str]",
    "sources": "list[str]",
    "examples": "list[str]",
    "counter_examples": "list[str]",
    "notes": "str",
}
REQUIRED = ("id", "name", "kind", "category", "description", "aliases", "sources")
ALIAS_FIELDS: dict[str, str] = {
    "text": "str",
    "lang": "str",
    "case_sensitive": "bool",
    "ambiguous": "bool",
    "note": "str",
}


@dataclass
class CheckResult:
    """What validation found: the glossary (None if it could not be built) and the problems."""

    glossary: Glossary | None
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


class _FileCheck:
    """Collects the problems of one file against its parsed document."""

    def __init__(self, path: Path, doc: YamlDoc, problems: list[Problem]) -> None:
        self.shown = display_path(path)
        self.doc = doc
        self.problems = problems
        for line, col, code, message in doc.problems:
            self.problems.append(Problem(self.shown, line, col, code, message))

    def add(self, where: tuple[Any, ...], code: str, message: str, *, key: bool = False) -> None:
        line, col = self.doc.mark(where, key=key)
        self.problems.append(Problem(self.shown, line, col, code, message))

    def shape(self, where: tuple[Any, ...], value: Any, kind: str, name: str) -> bool:
        """Check a value against a shape from ENTRY_FIELDS; report and return False if wrong."""
        if kind == "str":
            ok = isinstance(value, str) and bool(value.strip())
            expected = "a non-empty string"
        elif kind == "bool":
            ok = isinstance(value, bool)
            expected = "true or false"
        elif kind == "list[str]":
            if not isinstance(value, list) or not value:
                self.add(where, "G012", f"'{name}' must be a non-empty list of strings")
                return False
            good = True
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    hint = " (quote it: YAML reads a bare NO/yes/on/off as true/false)" if isinstance(item, bool) else ""
                    self.add(where + (i,), "G012", f"'{name}' item {i + 1} must be a non-empty string{hint}")
                    good = False
            return good
        else:  # aliases: checked by the caller
            return True
        if not ok:
            hint = " (quote it: YAML reads a bare NO/yes/on/off as true/false)" if isinstance(value, bool) and kind == "str" else ""
            self.add(where, "G012", f"'{name}' must be {expected}, not {type(value).__name__}{hint}")
        return ok


def _read(path: Path, problems: list[Problem]) -> YamlDoc | None:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, 0, "G001", f"cannot read file: {exc.strerror}"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(shown, 1, 1, "G003", f"file is {len(raw)} bytes, over the {MAX_FILE_BYTES}-byte cap: split it")
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(shown, line, 1, "G001", "file is not valid UTF-8: save it as UTF-8"))
        return None
    return read_yaml(text)


def _suggest(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(name), list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _vocab(root: Path, name: str, problems: list[Problem]) -> tuple[dict[str, Any], _FileCheck | None]:
    path = root / name
    if not path.is_file():
        problems.append(Problem(display_path(path), 0, 0, "G070", f"missing vocabulary file {name}"))
        return {}, None
    doc = _read(path, problems)
    if doc is None:
        return {}, None
    check = _FileCheck(path, doc, problems)
    if not isinstance(doc.data, dict):
        check.add((), "G070", f"{name} must be a mapping")
        return {}, check
    return doc.data, check


def _load_vocabularies(root: Path, problems: list[Problem]) -> tuple[
    dict[str, Category], dict[str, str], dict[str, str], dict[str, tuple[str, ...]]
]:
    raw_cats, check = _vocab(root, "categories.yml", problems)
    categories: dict[str, Category] = {}
    for cid, spec in raw_cats.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            assert check is not None
            check.add((cid,), "G070", f"category '{cid}' needs a mapping with 'label' and 'definition'")
            continue
        categories[str(cid)] = Category(str(cid), spec["label"], str(spec.get("definition", "")), spec.get("parent"))
    for cat in categories.values():
        if cat.parent is not None and cat.parent not in categories:
            assert check is not None
            check.add((cat.id, "parent"), "G050", f"category '{cat.id}' has unknown parent '{cat.parent}'")
    raw_origins, check = _vocab(root, "origins.yml", problems)
    origins = {}
    for code, spec in raw_origins.items():
        if not isinstance(code, str) or not isinstance(spec, dict) or "name" not in spec:
            assert check is not None
            check.add((code,), "G070", f"origin '{code}' needs a quoted code and a 'name'")
            continue
        origins[code] = str(spec["name"])
    raw_treaties, _ = _vocab(root, "treaties.yml", problems)
    treaties = {str(k): str(v.get("name", k)) if isinstance(v, dict) else str(v) for k, v in raw_treaties.items()}
    raw_context, check = _vocab(root, "context.yml", problems)
    context: dict[str, tuple[str, ...]] = {}
    for lang, words in raw_context.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            assert check is not None
            check.add((lang,), "G070", f"context words for '{lang}' must be a list of strings")
            continue
        context[str(lang)] = tuple(words)
    return categories, origins, treaties, context


def _check_aliases(check: _FileCheck, value: Any) -> list[Alias]:
    if not isinstance(value, list) or not value:
        check.add(("aliases",), "G012", "'aliases' must be a non-empty list")
        return []
    aliases = []
    for i, item in enumerate(value):
        where = ("aliases", i)
        if isinstance(item, str):
            item = {"text": item}
        elif not isinstance(item, dict):
            check.add(where, "G012", f"alias {i + 1} must be a string or a mapping with 'text'")
            continue
        ok = True
        for key, val in item.items():
            if key not in ALIAS_FIELDS:
                check.add(where + (key,), "G011", f"unknown alias field '{key}'{_suggest(key, ALIAS_FIELDS)}", key=True)
                ok = False
            elif not check.shape(where + (key,), val, ALIAS_FIELDS[key], f"aliases[{i + 1}].{key}"):
                ok = False
        text = item.get("text")
        if text is None:
            check.add(where, "G010", f"alias {i + 1} has no 'text'")
            continue
        if not isinstance(text, str) or not text.strip():
            check.add(where, "G030", f"alias {i + 1} is empty: remove it or write the name")
            continue
        if text != text.strip():
            check.add(where, "G030", f"alias '{text}' has leading or trailing spaces: remove them")
            ok = False
        if isinstance(item.get("lang"), str) and not LANG_RE.match(item["lang"]):
            check.add(where + ("lang",), "G012", f"lang '{item['lang']}' must be a two-letter ISO 639-1 code (en, ru, uk)")
            ok = False
        if ok:
            aliases.append(Alias(**item))
    return aliases


def _check_entry(
    path: Path, kind: str, check: _FileCheck, vocab: tuple[dict[str, Category], dict[str, str], dict[str, str]]
) -> Entry | None:
    data = check.doc.data
    if not isinstance(data, dict):
        check.add((), "G070", "an entry file must hold one mapping (id, name, kind, ...)")
        return None
    categories, origins, treaties = vocab
    before = len(check.problems)
    for key in data:
        if key not in ENTRY_FIELDS:
            check.add((key,), "G011", f"unknown field '{key}'{_suggest(key, ENTRY_FIELDS)}", key=True)
    for key in REQUIRED:
        if key not in data:
            check.add((), "G010", f"missing required field '{key}'")
    if kind == "item" and "origin" not in data:
        check.add((), "G010", "missing required field 'origin' (items need one or more origin codes)")
    for key, shape in ENTRY_FIELDS.items():
        if key in data:
            check.shape((key,), data[key], shape, key)
    aliases = _check_aliases(check, data["aliases"]) if "aliases" in data else []
    entry_id = data.get("id")
    if isinstance(entry_id, str):
        if not ID_RE.match(entry_id):
            check.add(("id",), "G013", f"id '{entry_id}' must be a lowercase slug like 'pfm-1' or 'anti-personnel-mine'")
        elif entry_id != path.stem:
            check.add(("id",), "G014", f"id '{entry_id}' does not match the file name '{path.name}': rename one")
    if isinstance(data.get("kind"), str) and data["kind"] != kind:
        check.add(("kind",), "G015", f"kind '{data['kind']}' does not fit the folder '{path.parent.name}/' (expected '{kind}')")
    if kind == "term" and "origin" in data:
        check.add(("origin",), "G015", "terms have no origin: remove it, or move the file to items/")
    category = data.get("category")
    if isinstance(category, str) and category not in categories:
        check.add(("category",), "G020", f"unknown category '{category}'{_suggest(category, categories)}; see categories.yml")
    for field_name, known, code, what in (("origin", origins, "G021", "origin code"), ("treaties", treaties, "G022", "treaty")):
        values = data.get(field_name)
        if isinstance(values, list):
            for i, value in enumerate(values):
                if isinstance(value, str) and value not in known:
                    check.add((field_name, i), code, f"unknown {what} '{value}'{_suggest(value, known)}; see {field_name if field_name != 'origin' else 'origins'}.yml")
    for i, url in enumerate(data.get("sources") or []):
        if isinstance(url, str) and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            check.add(("sources", i), "G040", f"source '{url}' is not an http(s) URL")
    name = data.get("name")
    if isinstance(name, str) and aliases and fold(name) not in {fold(a.text) for a in aliases}:
        check.add(("name",), "G031", f"name '{name}' is not among the aliases: add it to 'aliases'")
    seen: dict[tuple[bool, str], str] = {}
    for i, alias in enumerate(aliases):
        keys = _alias_keys(alias)
        clash = next((seen[k] for k in keys if k in seen), None)
        if clash is None and alias.case_sensitive:  # a case-insensitive alias already covers it
            clash = next((seen[(False, k)] for k in separator_variants(fold(alias.text)) if (False, k) in seen), None)
        if clash is not None:
            check.add(("aliases", i), "G033", f"alias '{alias.text}' repeats '{clash}' (separator and case variants match already): remove it")
        for key in keys:
            seen.setdefault(key, alias.text)
    if len(check.problems) != before:
        return None
    return Entry(
        id=data["id"],
        name=data["name"],
        kind=data["kind"],
        category=data["category"],
        description=data["description"],
        aliases=tuple(aliases),
        sources=tuple(data["sources"]),
        origin=tuple(data.get("origin", ())),
        variant_of=data.get("variant_of"),
        family=data.get("family"),
        delivered_by=tuple(data.get("delivered_by", ())),
        treaties=tuple(data.get("treaties", ())),
        context=tuple(data.get("context", ())),
        examples=tuple(data.get("examples", ())),
        counter_examples=tuple(data.get("counter_examples", ())),
        notes=data.get("notes"),
        path=check.shown,
    )


def _alias_keys(alias: Alias) -> set[tuple[bool, str]]:
    """The spellings an alias matches: (case_sensitive, shape-folded or fully folded text)."""
    if alias.case_sensitive:
        return {(True, v) for v in separator_variants(fold_shape(alias.text))}
    return {(False, v) for v in separator_variants(fold(alias.text))}


def _cross_checks(entries: list[tuple[Entry, _FileCheck]], problems: list[Problem]) -> None:
    first_by_id: dict[str, Entry] = {}
    for entry, check in entries:
        if entry.id in first_by_id:
            check.add(("id",), "G051", f"id '{entry.id}' is already used by {first_by_id[entry.id].path}")
        first_by_id.setdefault(entry.id, entry)
    for entry, check in entries:
        refs = [("variant_of", None, entry.variant_of), ("family", None, entry.family)]
        refs += [("delivered_by", i, ref) for i, ref in enumerate(entry.delivered_by)]
        for field_name, index, ref in refs:
            if ref is not None and ref not in first_by_id:
                where = (field_name,) if index is None else (field_name, index)
                check.add(where, "G050", f"'{field_name}' points at unknown entry '{ref}'{_suggest(ref, first_by_id)}")
            if ref == entry.id and field_name != "family":  # a family's head names itself
                check.add((field_name,), "G050", f"'{field_name}' points at the entry itself")
    owners: dict[str, list[tuple[Entry, int, Alias]]] = {}
    for entry, _ in entries:
        for i, alias in enumerate(entry.aliases):
            for key in separator_variants(fold(alias.text)):
                owners.setdefault(key, []).append((entry, i, alias))
    reported: set[tuple[str, str, str]] = set()
    check_of = {id(entry): check for entry, check in entries}
    for key, owned in owners.items():
        for a_entry, _, a_alias in owned:
            for b_entry, b_index, b_alias in owned:
                if a_entry.path >= b_entry.path or a_entry.id == b_entry.id:
                    continue
                if a_alias.ambiguous and b_alias.ambiguous:
                    continue
                if a_alias.case_sensitive and b_alias.case_sensitive and not (
                    set(separator_variants(fold_shape(a_alias.text))) & set(separator_variants(fold_shape(b_alias.text)))
                ):
                    continue
                tag = (b_entry.id, b_alias.text, a_entry.id)
                if tag in reported:
                    continue
                reported.add(tag)
                check_of[id(b_entry)].add(
                    ("aliases", b_index),
                    "G032",
                    f"alias '{b_alias.text}' also names entry '{a_entry.id}' ({a_entry.path}) as '{a_alias.text}': "
                    "keep it in one entry, or mark both ambiguous so context decides",
                )


def check_glossary(root: Path, *, examples: bool = False) -> CheckResult:
    """Validate the glossary directory ``root``.

    Args:
        root: A directory holding ``categories.yml``, ``origins.yml``, ``treaties.yml``,
            ``context.yml``, ``items/`` and ``terms/``.
        examples: Also run each entry's ``examples`` and ``counter_examples`` through the tagger.

    Returns:
        The glossary (None when any problem was found) and every problem, sorted by file and line.
    """
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(display_path(root), 0, 0, "G070", "glossary directory not found"))
        return CheckResult(None, problems)
    categories, origins, treaties, context = _load_vocabularies(root, problems)
    entries: list[tuple[Entry, _FileCheck]] = []
    for folder, kind in KINDS.items():
        for path in sorted((root / folder).glob("*")):
            if path.suffix == ".yaml":
                problems.append(Problem(display_path(path), 0, 0, "G070", "entry files end in .yml: rename it"))
                continue
            if path.suffix != ".yml" or not path.is_file():
                continue
            doc = _read(path, problems)
            if doc is None:
                continue
            check = _FileCheck(path, doc, problems)
            if doc.problems:
                continue
            entry = _check_entry(path, kind, check, (categories, origins, treaties))
            if entry is not None:
                entries.append((entry, check))
    _cross_checks(entries, problems)
    glossary = None
    if not problems:
        glossary = Glossary(root, tuple(e for e, _ in entries), categories, origins, treaties, context)
        if examples:
            _check_examples(glossary, {e.id: c for e, c in entries}, problems)
            if problems:
                glossary = None
    problems.sort(key=lambda p: (p.path, p.line, p.col, p.code))
    return CheckResult(glossary, problems)


def _check_examples(glossary: Glossary, checks: dict[str, _FileCheck], problems: list[Problem]) -> None:
    from .matcher import Tagger  # the real tagger decides, exactly as users see it

    tagger = Tagger(glossary)
    for entry in glossary:
        check = checks[entry.id]
        for field_name, want, code in (("examples", True, "G060"), ("counter_examples", False, "G061")):
            for i, sentence in enumerate(getattr(entry, field_name)):
                found = any(m.entry.id == entry.id for m in tagger.tag(sentence))
                if found != want:
                    verb = "does not produce" if want else "produces"
                    check.add((field_name, i), code, f"{field_name[:-1].replace('_', '-')} {verb} a mention of '{entry.id}': {sentence!r}")


def example_outcomes(glossary: Glossary) -> list[tuple[Entry, str, bool]]:
    """(entry, sentence, expected) for every example and counter-example, for tests."""
    return [
        (entry, sentence, want)
        for entry in glossary
        for field_name, want in (("examples", True), ("counter_examples", False))
        for sentence in getattr(entry, field_name)
    ]

