"""``munitag glossary export``: the glossary for other tools.

- ``spacy-patterns``: JSON Lines of token patterns for spaCy's ``EntityRuler`` and ``SpanRuler``
  (and Prodigy's ``--patterns``): ``{"label": category, "pattern": [{"LOWER": ...}, ...], "id":
  entry id}``, one per alias and generated form. Tokens are compared lower-cased (``LOWER``), those
  of a case-sensitive alias as written (``ORTH``); the alias is cut into tokens by the tokenizer of
  a blank spaCy pipeline of the language given (patterns only match where the pipeline's
  tokenizer cuts the text the same way). Ambiguous aliases are left out: a ruler cannot check the
  context words they need. The matcher's other tolerances (any dash, spacing, stress marks) are
  not expressed either, so a ruler finds less than munitag does.
- ``csv``: one row per entry and alias (``ENTRY_COLUMNS``); lists are joined with ``;``.
- ``jsonl``: one entry per line, as ``Entry.to_dict()``.
- ``label-studio-config``: the labeling config (XML) for ``tag --format label-studio``'s tasks,
  one label per category.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from .formats import label_studio_config
from .glossary import Glossary

EXPORT_FORMATS = ("spacy-patterns", "csv", "jsonl", "label-studio-config")

#: The columns of the ``csv`` export, in order.
ENTRY_COLUMNS = (
    "id", "name", "kind", "category", "origin", "variant_of", "family", "treaties",
    "alias", "alias_lang", "case_sensitive", "ambiguous", "inflect",
)


def spacy_patterns(glossary: Glossary, lang: str = "xx") -> Iterator[dict[str, Any]]:
    """Token patterns of every unambiguous alias and its generated forms (see the module docstring).

    Raises:
        ImportError: spaCy is not installed (extra ``[spacy]``).
        LookupError: spaCy has no language ``lang``.
    """
    import spacy

    tokenizer = spacy.blank(lang).tokenizer
    for entry in glossary:
        seen: set[tuple[tuple[str, str], ...]] = set()
        for alias in entry.aliases:
            if alias.ambiguous:
                continue
            attr = "ORTH" if alias.case_sensitive else "LOWER"
            for text in (alias.text, *glossary.forms_of(alias)):
                tokens = tuple((attr, t.text if alias.case_sensitive else t.text.lower()) for t in tokenizer(text))
                if tokens not in seen:
                    seen.add(tokens)
                    yield {"label": entry.category, "pattern": [{a: v} for a, v in tokens], "id": entry.id}


def entry_rows(glossary: Glossary) -> Iterator[dict[str, str]]:
    """The rows of the ``csv`` export: one per entry and alias."""
    for e in glossary:
        for a in e.aliases:
            yield {
                "id": e.id, "name": e.name, "kind": e.kind, "category": e.category, "origin": ";".join(e.origin),
                "variant_of": e.variant_of or "", "family": e.family or "", "treaties": ";".join(e.treaties),
                "alias": a.text, "alias_lang": a.lang or "", "case_sensitive": str(a.case_sensitive).lower(),
                "ambiguous": str(a.ambiguous).lower(), "inflect": str(a.inflect).lower(),
            }


def export(glossary: Glossary, fmt: str, out: TextIO, *, lang: str = "xx") -> None:
    """Write ``glossary`` to ``out`` in ``fmt`` (one of ``EXPORT_FORMATS``)."""
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=ENTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(entry_rows(glossary))
        return
    if fmt == "label-studio-config":
        out.write(label_studio_config(glossary))
        return
    lines = spacy_patterns(glossary, lang) if fmt == "spacy-patterns" else (e.to_dict() for e in glossary)
    out.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
