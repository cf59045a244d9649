"""Keeping only some entries: by category (with its descendants), kind, origin, id or treaty.

A ``Filter`` is applied when a Tagger is built: only the entries it keeps go into the automaton,
so a filtered Tagger is as fast as one over a smaller glossary. Values within one field are
alternatives (any of them), fields together must all hold; an empty field does not filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from .errors import FilterError
from .glossary import Entry, Glossary

KINDS = ("item", "term")


@dataclass(frozen=True)
class Filter:
    """Which entries to keep.

    Attributes:
        category: Categories; each includes its descendants (``landmine`` keeps every kind of mine).
        kind: ``item`` and/or ``term``.
        origin: Origin codes (``SU``, ``US``); an entry is kept when any of its origins is listed.
        id: Entry ids.
        treaty: Treaty codes; an entry is kept when any of its treaties is listed.
    """

    category: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    id: tuple[str, ...] = ()
    treaty: tuple[str, ...] = ()

    @classmethod
    def of(cls, spec: Filter | Mapping[str, Iterable[str] | str] | None) -> Filter:
        """A Filter from itself, None (keeps everything) or a mapping such as
        ``{"category": ["landmine"], "origin": "SU"}`` (a single string is one value).

        Raises:
            FilterError: a key is not a field of Filter.
        """
        if spec is None:
            return cls()
        if isinstance(spec, Filter):
            return spec
        names = [f.name for f in fields(cls)]
        unknown = [k for k in spec if k not in names]
        if unknown:
            raise FilterError(f"unknown filter field '{unknown[0]}'{_suggest(unknown[0], names)}; the fields are {', '.join(names)}")
        return cls(**{k: (v,) if isinstance(v, str) else tuple(v) for k, v in spec.items()})

    def __bool__(self) -> bool:
        """True when the filter drops anything at all."""
        return any((self.category, self.kind, self.origin, self.id, self.treaty))

    def check(self, glossary: Glossary) -> None:
        """Refuse values ``glossary`` does not know (a typo would otherwise silently keep nothing).

        Raises:
            FilterError: naming the value and the closest known one.
        """
        for name, values, known in (
            ("category", self.category, glossary.categories), ("kind", self.kind, KINDS), ("origin", self.origin, glossary.origins),
            ("id", self.id, [e.id for e in glossary]), ("treaty", self.treaty, glossary.treaties),
        ):
            for value in values:
                if value not in known:
                    raise FilterError(f"unknown {name} '{value}'{_suggest(value, known)}")

    def keeps(self, entry: Entry, glossary: Glossary) -> bool:
        """Whether ``entry`` (of ``glossary``, which knows the category tree) passes."""
        return (
            (not self.category or any(c in self.category for c in glossary.category_chain(entry.category)))
            and (not self.kind or entry.kind in self.kind)
            and (not self.origin or any(o in self.origin for o in entry.origin))
            and (not self.id or entry.id in self.id)
            and (not self.treaty or any(t in self.treaty for t in entry.treaties))
        )

    def apply(self, glossary: Glossary) -> Glossary:
        """``glossary`` with only the entries this filter keeps (vocabularies and context words
        unchanged); the glossary itself when the filter is empty.

        Raises:
            FilterError: a value is unknown to ``glossary`` (see ``check``).
        """
        if not self:
            return glossary
        self.check(glossary)
        return replace(glossary, entries=tuple(e for e in glossary if self.keeps(e, glossary)))


def _suggest(value: str, known: Iterable[str]) -> str:
    import difflib  # only for this message: not imported at every start

    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
