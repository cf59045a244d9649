"""Growing a glossary at run time: entries given as Python data, and glossaries laid over others.

Both follow one rule: an entry whose id is already in the glossary replaces that entry (in its
place), any other entry is added at the end. A glossary laid over another also brings its
vocabularies: its categories, origins and treaties are added to those below (its own wins on the
same key), and its context words and exception phrases are added to those below, language by
language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import GlossaryError
from .glossary import Entry, Glossary
from .loader import load_glossary


def with_entries(base: Glossary, items: Sequence[Mapping[str, Any]], label: str = "<entries>") -> Glossary:
    """``base`` with the entries ``items`` describes (dicts in the entry-file shape), validated by
    the rules of entry files against ``base``'s vocabularies; Russian and Ukrainian aliases get
    their generated case forms as in a glossary directory.

    Raises:
        GlossaryError: an entry breaks a rule; each problem's path names the entry and field
            (``<entries>[2].category``).
    """
    if isinstance(items, (Mapping, str, bytes)):
        raise TypeError("entries must be a list of mappings in the entry-file shape, not a single " + type(items).__name__)
    from .inflect import glossary_forms  # only when entries are given: it may load the morphology library
    from .validate import check_entries

    entries, problems = check_entries(list(items), base, label)
    if problems:
        raise GlossaryError(problems, advice="fix the entries given in Python (see glossary/README.md for the fields)")
    own = replace(base, entries=tuple(entries), context={}, context_except={}, forms={})
    return _merged(base, entries, forms={**base.forms, **glossary_forms(own)})


def overlay(base: Glossary, top: Glossary) -> Glossary:
    """``top`` laid over ``base`` (see the module docstring); the result is located at ``top.path``."""
    return replace(
        _merged(base, top.entries, forms={**base.forms, **top.forms}),
        path=top.path,
        categories={**base.categories, **top.categories},
        origins={**base.origins, **top.origins},
        treaties={**base.treaties, **top.treaties},
        context=_union(base.context, top.context),
        context_except=_union(base.context_except, top.context_except),
    )


def load_layers(paths: Iterable[str | Path | None]) -> Glossary:
    """The first glossary directory (None: the bundled glossary) with each later one laid over it.

    Raises:
        GlossaryError: a directory is missing or breaks the format; each is validated on its own.
    """
    layers = list(paths) or [None]
    glossary = load_glossary(layers[0])
    for path in layers[1:]:
        glossary = overlay(glossary, load_glossary(path))
    return glossary


def _merged(base: Glossary, entries: Iterable[Entry], forms: dict[str, tuple[str, ...]]) -> Glossary:
    new = {e.id: e for e in entries}
    kept = [new.pop(e.id, e) for e in base]
    return replace(base, entries=(*kept, *new.values()), forms=forms)


def _union(below: dict[str, tuple[str, ...]], above: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(dict.fromkeys((*below.get(lang, ()), *above.get(lang, ())))) for lang in {**below, **above}}
