"""Glossary validation: every problem in every file, with file, line, column and a fix.

The same checks back ``load_glossary`` (which refuses a broken glossary), the ``munitag glossary
lint`` command (which also runs each entry's examples through the tagger, ``munitag.lint``) and
the test suite. Codes are stable and explained in CONTRIBUTING.md. Files are read as
``munitag._files`` says: only those ``layout`` lists, each checked for size before it is read.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._files import MAX_FILE_BYTES, TooLarge, display_path, layout, read_capped
from ._stopwords import STOPWORDS
from ._yaml import YamlDoc, read_yaml
from .errors import Problem
from .glossary import (
    Alias,
    Category,
    Entry,
    Glossary,
    Lookalike,
    bundled_glossary_path,
    compact,
    nameable,
)
from .inflect import LANGS, declines, glossary_forms, redundant_aliases
from .normalize import fold, fold_shape, scripts, separator_variants

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Entry fields in canonical order (the order ``glossary fmt`` writes).
ENTRY_FIELDS = (
    "id", "name", "kind", "category", "origin", "description", "aliases", "variant_of", "family",
    "delivered_by", "treaties", "context", "sources", "examples", "counter_examples", "notes",
)
ALIAS_FIELDS = ("text", "lang", "case_sensitive", "ambiguous", "inflect", "mixed_script", "note")


def schema_path() -> Path:
    """The JSON Schema of an entry file (shipped in the glossary directory)."""
    return bundled_glossary_path() / "schema.json"


@lru_cache(maxsize=1)
def _schema_validators() -> tuple[Any, Any]:
    """Validators for an entry and for an alias mapping, built from glossary/schema.json."""
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    alias_schema = dict(schema["properties"]["aliases"]["items"]["oneOf"][1])
    alias_schema["$defs"] = schema["$defs"]
    return cls(schema), cls(alias_schema)


@dataclass
class CheckResult:
    """What validation found.

    Attributes:
        glossary: The glossary, or None when any problem was found.
        problems: Every problem, sorted by file and line.
        sound: The entries whose files have no problem of their own, as a glossary (None when
            the directory is missing); lint runs their examples even when other files are broken.
    """

    glossary: Glossary | None
    problems: list[Problem] = field(default_factory=list)
    sound: Glossary | None = None
    _checks: dict[str, _FileCheck] = field(default_factory=dict, repr=False)
    _lookalikes: tuple[list[tuple[int, Lookalike]], _FileCheck | None] = field(default=([], None), repr=False)

    def problem(self, entry_id: str, where: tuple[Any, ...], code: str, message: str) -> Problem:
        """A problem at the node ``where`` (``("examples", 2)``) of a sound entry's file."""
        check = self._checks[entry_id]
        line, col = check.doc.mark(where)
        return Problem(check.shown, line, col, code, message)

    def lookalike_problems(self) -> list[tuple[Lookalike, Any]]:
        """(look-alike, report) of every look-alike read; ``report(code, message)`` makes a
        problem at its line of ``lookalikes.yml``."""
        found, check = self._lookalikes

        def reporter(group: str, i: int) -> Any:
            def report(code: str, message: str) -> Problem:
                assert check is not None
                line, col = check.doc.mark((group, i))
                return Problem(check.shown, line, col, code, message)
            return report

        return [(x, reporter(x.group, i)) for i, x in found]


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without repeats, sorted by file, line, column and code."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message))


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


def _read(path: Path, problems: list[Problem]) -> YamlDoc | None:
    shown = display_path(path)
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
    except TooLarge as exc:
        problems.append(Problem(shown, 1, 1, "G003", f"file is {exc.size} bytes, over the {MAX_FILE_BYTES}-byte cap: split it"))
        return None
    except OSError as exc:
        problems.append(Problem(shown, 0, 0, "G001", f"cannot read file: {exc.strerror or exc}"))
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


def _vocab(files: dict[str, Path], name: str, problems: list[Problem]) -> tuple[dict[str, Any], _FileCheck | None]:
    path = files.get(name)
    if path is None:  # missing or refused: ``layout`` said why
        return {}, None
    doc = _read(path, problems)
    if doc is None:
        return {}, None
    check = _FileCheck(path, doc, problems)
    if not isinstance(doc.data, dict):
        check.add((), "G070", f"{name} must be a mapping")
        return {}, check
    return doc.data, check


def _load_vocabularies(files: dict[str, Path], problems: list[Problem]) -> tuple[
    dict[str, Category], dict[str, str], dict[str, str], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]
]:
    raw_cats, check = _vocab(files, "categories.yml", problems)
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
    raw_origins, check = _vocab(files, "origins.yml", problems)
    origins = {}
    for code, spec in raw_origins.items():
        if not isinstance(code, str) or not isinstance(spec, dict) or "name" not in spec:
            assert check is not None
            check.add((code,), "G070", f"origin '{code}' needs a quoted code and a 'name'")
            continue
        origins[code] = str(spec["name"])
    raw_treaties, _ = _vocab(files, "treaties.yml", problems)
    treaties = {str(k): str(v.get("name", k)) if isinstance(v, dict) else str(v) for k, v in raw_treaties.items()}
    raw_context, check = _vocab(files, "context.yml", problems)
    context: dict[str, tuple[str, ...]] = {}
    context_except: dict[str, tuple[str, ...]] = {}
    for lang, items in raw_context.items():
        words, phrases = [], []
        for i, item in enumerate(items if isinstance(items, list) else [None]):
            if isinstance(item, str) and _word(item):
                words.append(item)
            elif (
                isinstance(item, dict) and set(item) <= {"text", "except"} and isinstance(item.get("text"), str) and _word(item["text"])
                and isinstance(item.get("except", []), list) and all(isinstance(p, str) and _word(p) for p in item.get("except", []))
            ):
                words.append(item["text"])
                phrases += item.get("except", [])
            else:
                assert check is not None
                where = (lang, i) if isinstance(items, list) else (lang,)
                check.add(where, "G070", f"context words for '{lang}' must be a list of words (each with a letter or digit), "
                          "or of mappings with 'text' (the word) and 'except' (phrases in which it does not count)")
        context[str(lang)] = tuple(words)
        if phrases:
            context_except[str(lang)] = tuple(phrases)
    return categories, origins, treaties, context, context_except


_URL = re.compile(r"^https?://\S+$")


def _load_lookalikes(files: dict[str, Path], problems: list[Problem]) -> tuple[list[tuple[int, Lookalike]], _FileCheck | None]:
    """The look-alikes of ``lookalikes.yml`` (none when the glossary has no such file), each with
    its index in its group; shape problems (G080) and repeats (G081) are added to ``problems``."""
    raw, check = _vocab(files, "lookalikes.yml", problems)
    found: list[tuple[int, Lookalike]] = []
    seen: dict[str, str] = {}
    for group, items in raw.items():
        for i, item in enumerate(items if isinstance(items, list) else [None]):
            where = (group, i) if isinstance(items, list) else (group,)
            if isinstance(item, str):
                item = {"text": item}
            text = item.get("text") if isinstance(item, dict) else None
            assert check is not None
            if not (
                isinstance(text, str) and nameable(text) and set(item) <= {"text", "note", "source"}
                and all(isinstance(item.get(k, ""), str) for k in ("note", "source"))
            ):
                check.add(where, "G080", f"look-alikes under '{group}' must be a list of designations, or of mappings with "
                          "'text' (a designation with a letter or digit, no spaces around it) and optional 'note' and 'source'")
                continue
            if "source" in item and not _URL.match(item["source"]):
                check.add(where, "G080", f"source '{item['source']}' is not an http(s) URL")
                continue
            lookalike = Lookalike(text, str(group), item.get("note"), item.get("source"))
            if lookalike.key in seen:
                check.add(where, "G081", f"look-alike '{text}' repeats '{seen[lookalike.key]}' (case and separator variants match already): remove it")
                continue
            seen[lookalike.key] = text
            found.append((i, lookalike))
    return found, check


def _check_lookalikes(glossary: Glossary, found: list[tuple[int, Lookalike]], check: _FileCheck | None) -> None:
    """A look-alike that is an alias, or a generated form of one, of an entry, or a prefix that
    covers one (G082): the entry is a munition, so the designation cannot be listed as none."""
    if check is None:
        return
    names = [(text, entry.id, alias.text) for entry in glossary for alias in entry.aliases for text in (alias.text, *glossary.forms_of(alias))]
    exact = {compact(text): (eid, alias) for text, eid, alias in reversed(names)}
    for i, lookalike in found:
        prefix = lookalike.text.endswith("*")
        owner = next(((eid, alias) for text, eid, alias in names if lookalike.covers(text)), None) if prefix else exact.get(lookalike.key)
        if owner is not None:
            check.add((lookalike.group, i), "G082", f"look-alike '{lookalike.text}' names entry '{owner[0]}' (alias '{owner[1]}'): "
                      "remove it from lookalikes.yml (the entry's counter_examples can show the other sense)")


def _word(text: str) -> bool:
    """A context word or phrase: some letter or digit (a trailing ``*`` marks a prefix)."""
    return any(c.isalnum() for c in text)


_BOOL_HINT = " (quote it: YAML reads a bare NO, yes, on or off as true/false)"


def _schema_problem(check: _FileCheck, error: Any, base: tuple[Any, ...] = ()) -> None:
    """Turn one JSON Schema error into a coded problem at the offending node."""
    where = base + tuple(error.absolute_path)
    keyword, value = error.validator, error.instance
    field = ".".join(str(p) for p in where) or "entry"
    if keyword == "required":
        have = value if isinstance(value, dict) else {}
        for key in error.validator_value:
            if key not in have:
                what = "alias" if base else "entry"
                check.add(where, "G010", f"{what} is missing required field '{key}'")
    elif keyword == "additionalProperties":
        known = error.schema.get("properties", {})
        for key in value:
            if key not in known:
                check.add(where + (key,), "G011", f"unknown field '{key}'{_suggest(key, known)}", key=True)
    elif where == ("id",) and keyword == "pattern":
        check.add(where, "G013", f"id '{value}' must be a lowercase slug like 'pfm-1' or 'anti-personnel-mine'")
    elif where[:1] == ("sources",) and keyword == "pattern":
        check.add(where, "G040", f"source '{value}' is not an http(s) URL")
    elif where == ("kind",) and keyword == "enum":
        check.add(where, "G015", f"kind must be 'item' or 'term', not {value!r}")
    elif (where[:1] == ("aliases",) and len(where) >= 2 and keyword in ("minLength", "pattern") and where[-1] in (1, "text")) or (
        where[:1] == ("aliases",) and isinstance(value, str) and not value.strip()
    ):
        check.add(where, "G030", "alias is empty: remove it or write the name")
    elif keyword == "pattern" and where[-1:] == ("lang",):
        check.add(where, "G012", f"lang '{value}' must be a two-letter ISO 639-1 code (en, ru, uk)")
    elif keyword == "oneOf":  # an alias that is neither a string nor a mapping
        check.add(where, "G012", f"{field} must be a string or a mapping with 'text'")
    else:
        expected = {"array": "a list", "string": "a string", "boolean": "true or false", "object": "a mapping"}
        want = error.validator_value
        if keyword == "type":
            message = f"'{field}' must be {expected.get(want, want)}, not {type(value).__name__}"
        elif keyword == "minItems":
            message = f"'{field}' must not be empty: remove the key or add items"
        else:
            message = f"'{field}' must be a non-empty string"
        check.add(where, "G012", message + (_BOOL_HINT if isinstance(value, bool) and want != "boolean" else ""))


def _check_aliases(check: _FileCheck, value: list[Any]) -> list[Alias]:
    _, alias_validator = _schema_validators()
    aliases = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            continue  # reported by the entry schema
        errors = list(alias_validator.iter_errors(item))
        for error in errors:
            _schema_problem(check, error, ("aliases", i))
        text = item.get("text")
        if errors or not isinstance(text, str):
            continue
        if text != text.strip():
            check.add(("aliases", i), "G030", f"alias '{text}' has leading or trailing spaces: remove them")
            continue
        if not nameable(text):
            check.add(("aliases", i), "G039", f"alias '{text}' has no letter or digit, so it would match punctuation inside other names: write a name or remove it")
            continue
        aliases.append(Alias.from_dict(item))
        _alias_quality(check, ("aliases", i), text, item)
    return aliases


def _alias_quality(check: _FileCheck, where: tuple[Any, ...], text: str, item: dict[str, Any]) -> None:
    """Aliases likely to produce false hits, and mixed scripts."""
    gated = item.get("case_sensitive") or item.get("ambiguous")
    letters = [c for c in fold(text) if c.isalnum()]
    shortest = 2 if any(c.isdigit() for c in letters) else 3
    if not gated and len(letters) <= shortest:
        check.add(where, "G034", f"alias '{text}' is only {len(letters)} letters/digits: mark it case_sensitive or ambiguous")
    elif not gated and fold(text) in STOPWORDS:
        check.add(where, "G034", f"alias '{text}' is a common word: mark it ambiguous (or case_sensitive) so context decides")
    if item.get("inflect") is False and item.get("lang") not in LANGS:
        check.add(where, "G038", f"alias '{text}': 'inflect: false' has no effect, only Russian and Ukrainian aliases (lang: ru, uk) are inflected")
    elif "lang" not in item and declines(text):
        check.add(where, "G038", f"alias '{text}' has Cyrillic words but no 'lang': add 'lang: ru' or 'lang: uk' (its case forms are then matched too) or its language's code")
    if not item.get("mixed_script"):
        for word in re.findall(r"[^\W\d_]+", text):
            if {"latin", "cyrillic"} <= scripts(word):
                check.add(where, "G035", f"alias '{text}' mixes Latin and Cyrillic letters in '{word}': retype it in one script (or set mixed_script: true)")
                break


def _check_entry(
    path: Path, kind: str, check: _FileCheck, vocab: tuple[dict[str, Category], dict[str, str], dict[str, str]]
) -> Entry | None:
    data = check.doc.data
    if not isinstance(data, dict):
        check.add((), "G070", "an entry file must hold one mapping (id, name, kind, ...)")
        return None
    categories, origins, treaties = vocab
    before = len(check.problems)
    entry_validator, _ = _schema_validators()
    for error in sorted(entry_validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        if error.absolute_path and error.absolute_path[0] == "aliases" and len(error.absolute_path) > 1:
            continue  # each alias is checked on its own below, with precise messages
        _schema_problem(check, error)
    if kind == "item" and "origin" not in data:
        check.add((), "G010", "entry is missing required field 'origin' (items need one or more origin codes)")
    aliases = _check_aliases(check, data["aliases"]) if isinstance(data.get("aliases"), list) else []
    entry_id = data.get("id")
    if isinstance(entry_id, str) and ID_RE.match(entry_id) and entry_id != path.stem:
        check.add(("id",), "G014", f"id '{entry_id}' does not match the file name '{path.name}': rename one")
    if data.get("kind") in ("item", "term") and data["kind"] != kind:
        check.add(("kind",), "G015", f"kind '{data['kind']}' does not fit the folder '{path.parent.name}/' (expected '{kind}')")
    if kind == "term" and "origin" in data:
        check.add(("origin",), "G015", "terms have no origin: remove it, or move the file to items/")
    words = data.get("context")
    for i, word in enumerate(words if isinstance(words, list) else []):
        if isinstance(word, str) and word.strip() and not _word(word):
            check.add(("context", i), "G039", f"context word '{word}' has no letter or digit: write a word (a trailing '*' makes it a prefix)")
    category = data.get("category")
    if isinstance(category, str) and category not in categories:
        check.add(("category",), "G020", f"unknown category '{category}'{_suggest(category, categories)}; see categories.yml")
    for field_name, known, code, what, vocab_file in (
        ("origin", origins, "G021", "origin code", "origins.yml"),
        ("treaties", treaties, "G022", "treaty", "treaties.yml"),
    ):
        values = data.get(field_name)
        for i, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str) and value not in known:
                check.add((field_name, i), code, f"unknown {what} '{value}'{_suggest(value, known)}; see {vocab_file}")
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
    return Entry.from_dict({**data, "aliases": [vars(a) for a in aliases]}, check.shown)


def _alias_keys(alias: Alias) -> set[tuple[bool, str]]:
    """The spellings an alias matches: (case_sensitive, shape-folded or fully folded text)."""
    if alias.case_sensitive:
        return {(True, v) for v in separator_variants(fold_shape(alias.text))}
    return {(False, v) for v in separator_variants(fold(alias.text))}


def _cross_checks(entries: list[tuple[Entry, _FileCheck]], other_ids: set[str]) -> None:
    """Duplicate ids, dangling references and alias collisions between entries.

    ``other_ids`` are ids of files that had problems of their own: references to them are not
    reported again as dangling.
    """
    first_by_id: dict[str, Entry] = {}
    for entry, check in entries:
        if entry.id in first_by_id:
            check.add(("id",), "G051", f"id '{entry.id}' is already used by {first_by_id[entry.id].path}")
        first_by_id.setdefault(entry.id, entry)
    for entry, check in entries:
        refs: list[tuple[str, int | None, str | None]] = [("variant_of", None, entry.variant_of), ("family", None, entry.family)]
        refs += [("delivered_by", i, ref) for i, ref in enumerate(entry.delivered_by)]
        for field_name, index, ref in refs:
            if ref is not None and ref not in first_by_id and ref not in other_ids:
                where = (field_name,) if index is None else (field_name, index)
                check.add(where, "G050", f"'{field_name}' points at unknown entry '{ref}'{_suggest(ref, first_by_id)}")
            if ref == entry.id and field_name != "family":  # a family's head names itself
                check.add((field_name,), "G050", f"'{field_name}' points at the entry itself")
    owners = _alias_owners(entry for entry, _ in entries)
    reported: set[tuple[str, str, str]] = set()
    check_of = {id(entry): check for entry, check in entries}
    for owned in owners.values():
        for a_entry, _, a_alias in owned:
            for b_entry, b_index, b_alias in owned:
                if a_entry.path >= b_entry.path or a_entry.id == b_entry.id:
                    continue
                if a_alias.ambiguous and b_alias.ambiguous:
                    continue
                if a_alias.case_sensitive and b_alias.case_sensitive and not (_alias_keys(a_alias) & _alias_keys(b_alias)):
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


def _alias_owners(entries: Iterable[Entry]) -> dict[str, list[tuple[Entry, int, Alias]]]:
    """(entry, alias index, alias) by every folded separator spelling of an alias."""
    owners: dict[str, list[tuple[Entry, int, Alias]]] = {}
    for entry in entries:
        for i, alias in enumerate(entry.aliases):
            for key in separator_variants(fold(alias.text)):
                owners.setdefault(key, []).append((entry, i, alias))
    return owners


def _check_forms(glossary: Glossary, checks: dict[str, _FileCheck]) -> None:
    """Hand-listed aliases the generator already produces (G036), and generated forms that
    name another entry too (G037)."""
    for entry in glossary:
        for i, source in redundant_aliases(entry.name, entry.aliases, glossary.forms_of).items():
            alias = entry.aliases[i]
            checks[entry.id].add(
                ("aliases", i), "G036",
                f"alias '{alias.text}' is a generated form of '{source.text}' (every case and number form is matched): "
                + ("move its note into 'notes', then " if alias.note else "")
                + "remove it (`munitag glossary fmt --prune` does)",
            )
    owners = _alias_owners(glossary)
    for entry in glossary:
        for i, alias in enumerate(entry.aliases):
            for form in glossary.forms_of(alias):
                for key in separator_variants(fold(form)):
                    for other, _, theirs in owners.get(key, ()):
                        if other.id != entry.id and not (alias.ambiguous and theirs.ambiguous):
                            checks[entry.id].add(
                                ("aliases", i), "G037",
                                f"'{form}', a generated form of alias '{alias.text}', also names entry '{other.id}' as '{theirs.text}': "
                                "set `inflect: false` on this alias, or mark both ambiguous so context decides",
                            )
                            break


class _DataDoc:
    """An entry given as Python data: it stands in for a parsed file, with no lines to point at."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[tuple[int, int, str, str]] = []


class _DataCheck(_FileCheck):
    """Collects the problems of one entry given as data; a problem's path names the entry and
    the field (``<entries>[3].aliases[1]``), its line and column are 0."""

    def __init__(self, label: str, data: Any, problems: list[Problem]) -> None:
        self.shown, self.doc, self.problems = label, _DataDoc(data), problems  # type: ignore[assignment]

    def add(self, where: tuple[Any, ...], code: str, message: str, *, key: bool = False) -> None:
        field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in where)
        self.problems.append(Problem(self.shown + field, 0, 0, code, message))


def check_entries(items: Sequence[Any], base: Glossary, label: str = "<entries>") -> tuple[list[Entry], list[Problem]]:
    """Validate entries given as Python data in the entry-file shape, by the rules of entry files.

    Args:
        items: Mappings shaped as entry files (``id``, ``name``, ``kind``, ``category``, ...).
        base: The glossary they join: its vocabularies (categories, origins, treaties) are the
            allowed values, and ``variant_of``, ``family`` and ``delivered_by`` may name its entries.
        label: How problems name the list; entry ``i`` is ``label[i]``.

    Returns:
        The entries (``Entry.path`` is ``label[i]``) and every problem; the entries are only
        usable when there is no problem.
    """
    problems: list[Problem] = []
    checked: list[tuple[Entry, _FileCheck]] = []
    broken: set[str] = set()
    vocab = (base.categories, base.origins, base.treaties)
    for i, data in enumerate(items):
        check = _DataCheck(f"{label}[{i}]", data, problems)
        fields = data if isinstance(data, dict) else {}
        kind = fields["kind"] if fields.get("kind") in ("item", "term") else "item"
        entry_id = fields["id"] if isinstance(fields.get("id"), str) else ""
        entry = _check_entry(Path(f"{kind}s", f"{entry_id}.yml"), kind, check, vocab)  # named as its own file would be
        if entry is not None:
            checked.append((entry, check))
        elif entry_id:
            broken.add(entry_id)
    _cross_checks(checked, broken | {e.id for e in base})
    return [e for e, _ in checked], ordered(problems)


def check_glossary(root: Path) -> CheckResult:
    """Validate the glossary directory ``root``.

    Args:
        root: A directory holding ``categories.yml``, ``origins.yml``, ``treaties.yml``,
            ``context.yml``, ``items/`` and ``terms/``.

    Returns:
        The glossary (None when any problem was found) and every problem, sorted by file and line.
    """
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(display_path(root), 0, 0, "G070", "glossary directory not found"))
        return CheckResult(None, problems)
    files = layout(root)
    problems += [Problem(display_path(path), 0, 0, "G070", reason) for path, reason in files.refused]
    categories, origins, treaties, context, context_except = _load_vocabularies(files.vocabularies, problems)
    lookalikes, lookalike_check = _load_lookalikes(files.vocabularies, problems)
    entries: list[tuple[Entry, _FileCheck]] = []
    broken_ids: set[str] = set()
    for path, kind in files.entries:
        doc = _read(path, problems)
        if doc is None:
            continue
        check = _FileCheck(path, doc, problems)
        for line, col in doc.comments:
            problems.append(Problem(check.shown, line, col, "G004", "comments are not kept in entry files: move the remark into 'notes'"))
        if doc.problems:
            continue
        entry = _check_entry(path, kind, check, (categories, origins, treaties))
        if entry is not None:
            entries.append((entry, check))
        elif isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            broken_ids.add(doc.data["id"])
    _cross_checks(entries, broken_ids)
    valid = [(e, c) for e, c in entries if not any(p.path == c.shown for p in problems)]
    glossary = Glossary(root, tuple(e for e, _ in valid), categories, origins, treaties, context, context_except,
                        lookalikes=tuple(x for _, x in lookalikes))
    glossary = replace(glossary, forms=glossary_forms(glossary))
    checks = {e.id: c for e, c in valid}
    _check_forms(glossary, checks)
    _check_lookalikes(glossary, lookalikes, lookalike_check)
    unique = ordered(problems)
    return CheckResult(None if unique else glossary, unique, glossary, checks, (lookalikes, lookalike_check))
