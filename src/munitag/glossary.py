"""The glossary as data: entries, aliases and controlled vocabularies (``munitag.loader`` loads them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalize import fold


@dataclass(frozen=True)
class Alias:
    """One string that names an entry in text.

    Attributes:
        text: The alias as written in the glossary.
        lang: ISO 639-1 language code, when the alias belongs to one language.
        case_sensitive: Only this exact letter case counts.
        ambiguous: Counts only when a context word is near (see ``Glossary.context``).
        inflect: For a Russian or Ukrainian alias, also match its generated case and number
            forms (``Glossary.forms_of``).
        note: Free-text remark (e.g. "common misspelling").
    """

    text: str
    lang: str | None = None
    case_sensitive: bool = False
    ambiguous: bool = False
    inflect: bool = True
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The alias as in an entry file: ``text`` and every setting that differs from its default."""
        return {k: v for k, v in vars(self).items() if k == "text" or v != _ALIAS_DEFAULTS[k]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> Alias:
        """The alias an entry file's item describes (a string, or a mapping whose keys that are
        not alias fields, such as the lint-only ``mixed_script``, are left out)."""
        # as a cached glossary has them: the fields set as __init__ would set them, without its
        # object.__setattr__ call per field (a frozen dataclass's), which made up most of a warm
        # start with 100,000 aliases
        if isinstance(data, str):
            alias = object.__new__(cls)
            alias.__dict__.update(_ALIAS_DEFAULTS, text=data)  # in field order, "text" (no default) first
            return alias
        if "text" in data and data.keys() <= _ALIAS_DEFAULTS.keys():
            alias = object.__new__(cls)
            alias.__dict__.update(_ALIAS_DEFAULTS)
            alias.__dict__.update(data)
            return alias
        return cls(**{k: v for k, v in data.items() if k in _ALIAS_DEFAULTS})


_ALIAS_DEFAULTS = {k: f.default for k, f in Alias.__dataclass_fields__.items()}
_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true (checked for all of Unicode)


def nameable(text: str) -> bool:
    """True when ``text`` can be an alias: no space around it and at least one letter or digit
    (an alias such as ``-`` would match punctuation inside other names)."""
    return text == text.strip() and _ALNUM.search(text) is not None


def form_key(lang: str | None, text: str) -> str:
    """The key of ``text`` in ``Glossary.forms``."""
    return f"{lang}:{text}"


@dataclass(frozen=True)
class Entry:
    """One glossary entry: an item (model, variant, family, system) or a term."""

    id: str
    name: str
    kind: str
    category: str
    description: str
    aliases: tuple[Alias, ...]
    sources: tuple[str, ...]
    origin: tuple[str, ...] = ()
    variant_of: str | None = None
    family: str | None = None
    delivered_by: tuple[str, ...] = ()
    treaties: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    notes: str | None = None
    path: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data (the shape of an entry file)."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "category": self.category,
            "origin": list(self.origin),
            "description": self.description,
            "aliases": [a.to_dict() for a in self.aliases],
            "variant_of": self.variant_of,
            "family": self.family,
            "delivered_by": list(self.delivered_by),
            "treaties": list(self.treaties),
            "context": list(self.context),
            "sources": list(self.sources),
            "examples": list(self.examples),
            "counter_examples": list(self.counter_examples),
            "notes": self.notes,
        }
        return {k: v for k, v in data.items() if v not in (None, [])}

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str = "") -> Entry:
        """The entry described by ``data`` (the shape of an entry file, already validated)."""
        aliases = tuple(
            Alias.from_dict(a) for a in data["aliases"]
        )
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            category=data["category"],
            description=data["description"],
            aliases=aliases,
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
            path=path,
        )


@dataclass(frozen=True)
class Category:
    """A value of the controlled ``category`` vocabulary."""

    id: str
    label: str
    definition: str
    parent: str | None = None


@dataclass(frozen=True)
class Lookalike:
    """A designation that looks like a munition's but names something else (``lookalikes.yml``).

    Attributes:
        text: The designation as written (``AK-47``, ``Su-25``); a trailing ``*`` makes a prefix
            (``Su-*``: every designation that begins with ``Su`` and a number: ``Su-25``, ``SU 34``).
        group: The heading it is listed under (``rifles``, ``vehicles``, ``aircraft`` ...).
        note: What it is, when the group does not say.
        source: An http(s) URL, where the identification needs one.
    """

    text: str
    group: str
    note: str | None = None
    source: str | None = None

    @property
    def key(self) -> str:
        """What two look-alikes that cover the same designations share."""
        return "*" + compact(self.text[:-1]) if self.text.endswith("*") else compact(self.text)

    def covers(self, text: str) -> bool:
        """Whether the designation ``text`` is this look-alike, in any case and with any
        separators; a prefix covers what goes on with a number after it (``Su-*`` covers
        ``SU25``, not ``submunition``), or with anything when it ends in a digit itself."""
        key = compact(text)
        if not self.text.endswith("*"):
            return key == compact(self.text)
        prefix = compact(self.text[:-1])
        return len(key) > len(prefix) and key.startswith(prefix) and (prefix[-1:].isdigit() or key[len(prefix)].isdigit())


_SEPARATORS = re.compile(r"[\s\-\u00ad\u2010-\u2015]+")


def compact(text: str) -> str:
    """``text`` folded, without separators: ``PMN 4M``, ``pmn-4m`` and ``PMN4M`` are one designation."""
    return _SEPARATORS.sub("", fold(text))



@dataclass(frozen=True)
class Glossary:
    """A loaded, validated glossary directory.

    Attributes:
        path: The glossary directory.
        entries: Every entry, in file order.
        categories, origins, treaties: The controlled vocabularies.
        context: Context words by language (``context.yml``); a trailing ``*`` makes a prefix.
        context_except: Phrases by language in which a context word does not count
            (``кислая мина``: a facial expression, not a mine).
        forms: Generated case and number forms of Russian and Ukrainian aliases, context words and
            exception phrases, by ``form_key(lang, text)`` (see ``munitag.inflect``).
        lookalikes: Designations that are not munitions (``lookalikes.yml``, optional): never
            proposed by ``munitag discover``, never tagged (lint checks both).
    """

    path: Path
    entries: tuple[Entry, ...]
    categories: dict[str, Category]
    origins: dict[str, str]
    treaties: dict[str, str]
    context: dict[str, tuple[str, ...]]
    context_except: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookalikes: tuple[Lookalike, ...] = ()
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        return self._by_id.get(entry_id)

    def category_chain(self, category: str) -> list[str]:
        """``category`` followed by its ancestors, nearest first."""
        chain = []
        while category and category not in chain:
            chain.append(category)
            parent = self.categories.get(category)
            category = parent.parent if parent and parent.parent else ""
        return chain

    def forms_of(self, alias: Alias) -> tuple[str, ...]:
        """The generated forms ``alias`` also matches (none when ``inflect`` is off)."""
        return self.forms.get(form_key(alias.lang, alias.text), ()) if alias.inflect else ()

    def context_words(self) -> tuple[str, ...]:
        """Every shared context word with its generated forms, all languages together."""
        return tuple(f for lang, words in self.context.items() for w in words for f in (w, *self.forms.get(form_key(lang, w), ())))

    def entry_context(self, entry: Entry) -> tuple[str, ...]:
        """The entry's own context words with their generated forms (stored under no language)."""
        return tuple(f for w in entry.context for f in (w, *self.forms.get(form_key(None, w), ())))

    def context_exceptions(self) -> tuple[str, ...]:
        """Every phrase in which a context word does not count, with its generated forms."""
        return tuple(f for lang, phrases in self.context_except.items() for p in phrases for f in (p, *self.forms.get(form_key(lang, p), ())))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data from which ``from_dict`` rebuilds an equal glossary."""
        return {
            "entries": [{**e.to_dict(), "path": e.path} for e in self.entries],
            "categories": {k: vars(c) for k, c in self.categories.items()},
            "origins": self.origins,
            "treaties": self.treaties,
            "context": {k: list(v) for k, v in self.context.items()},
            "context_except": {k: list(v) for k, v in self.context_except.items()},
            "forms": {k: list(v) for k, v in self.forms.items()},
            "lookalikes": [vars(x) for x in self.lookalikes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path, *, check: bool = True) -> Glossary:
        """The glossary ``to_dict`` described, located at ``path``.

        Args:
            check: Check the shape of every field (turn off only for data known to be what
                ``to_dict`` wrote, such as a cache file whose checksum holds).

        Raises:
            ValueError: ``data`` is not shaped as ``to_dict`` writes it (a damaged or tampered
                copy): a field of the wrong type, an alias or word without a letter or digit.
        """
        try:
            glossary = cls(
                path,
                tuple(Entry.from_dict(e, e.get("path", "")) for e in data["entries"]),
                {k: Category(**c) for k, c in data["categories"].items()},
                dict(data["origins"]),
                dict(data["treaties"]),
                {k: tuple(v) for k, v in data["context"].items()},
                {k: tuple(v) for k, v in data.get("context_except", {}).items()},
                {k: tuple(v) for k, v in data.get("forms", {}).items()},
                tuple(Lookalike(**x) for x in data.get("lookalikes", ())),
            )
        except (AttributeError, KeyError, TypeError) as exc:
            raise ValueError(f"not glossary data: {exc!r}") from None
        problem = _shape_problem(glossary) if check else None
        if problem:
            raise ValueError(f"not glossary data: {problem}")
        return glossary


def _strings(values: Any, *, words: bool = False) -> bool:
    """``values`` is a tuple of strings (each with a letter or digit, with ``words``)."""
    return isinstance(values, tuple) and all(isinstance(v, str) and (not words or any(c.isalnum() for c in v)) for v in values)


def _optional(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _entry_problem(entry: Entry) -> str | None:
    if not all(isinstance(v, str) for v in (entry.id, entry.name, entry.kind, entry.category, entry.description, entry.path)):
        return f"entry {entry.id!r}: a text field is not a string"
    if not all(_optional(v) for v in (entry.variant_of, entry.family, entry.notes)):
        return f"entry {entry.id!r}: variant_of, family or notes is not a string"
    lists = (entry.sources, entry.origin, entry.delivered_by, entry.treaties, entry.examples, entry.counter_examples)
    if not all(_strings(v) for v in lists) or not _strings(entry.context, words=True):
        return f"entry {entry.id!r}: a list field is not a list of strings"
    for alias in entry.aliases:
        if not (isinstance(alias.text, str) and nameable(alias.text) and _optional(alias.lang) and _optional(alias.note)):
            return f"entry {entry.id!r}: alias {alias.text!r} is not a usable name"
        if not (isinstance(alias.case_sensitive, bool) and isinstance(alias.ambiguous, bool) and isinstance(alias.inflect, bool)):
            return f"entry {entry.id!r}: alias {alias.text!r} has a setting that is not true or false"
    return None


def _shape_problem(glossary: Glossary) -> str | None:
    """What makes ``glossary`` unusable by the tagger, or None (a structural check, not lint)."""
    for entry in glossary.entries:
        problem = _entry_problem(entry)
        if problem:
            return problem
    for c in glossary.categories.values():
        if not (isinstance(c.id, str) and isinstance(c.label, str) and isinstance(c.definition, str) and _optional(c.parent)):
            return f"category {c.id!r} is not shaped as a category"
    for names in (glossary.origins, glossary.treaties):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
            return "an origin or treaty is not a string"
    for x in glossary.lookalikes:
        if not (isinstance(x.text, str) and nameable(x.text) and isinstance(x.group, str) and _optional(x.note) and _optional(x.source)):
            return f"look-alike {x.text!r} is not shaped as a look-alike"
    for table in (glossary.context, glossary.context_except, glossary.forms):
        if not all(isinstance(k, str) and _strings(v, words=True) for k, v in table.items()):
            return "a context word, exception phrase or generated form is not a word"
    return None


def bundled_glossary_path() -> Path:
    """Directory of the glossary that ships with munitag."""
    packaged = Path(__file__).with_name("glossary")
    if packaged.is_dir():  # installed wheel: the glossary is package data
        return packaged
    return Path(__file__).resolve().parents[2] / "glossary"  # source checkout or editable install
