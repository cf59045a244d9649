"""``munitag glossary lint``: validation, then each entry's examples run through the real tagger.

This sits above the matcher so that the data layer (``validate``, ``loader``) never imports it.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem
from .glossary import Entry, Glossary
from .matcher import Tagger
from .validate import check_glossary, ordered


def lint_glossary(root: Path) -> list[Problem]:
    """Every problem of the glossary directory ``root``, sorted by file and line: those validation
    finds, and each ``examples`` sentence that yields no mention of its entry (G060) or
    ``counter_examples`` sentence that yields one (G061). Examples of sound entries run even
    when other files are broken."""
    result = check_glossary(root)
    if result.sound is None:
        return result.problems
    tagger = Tagger(result.sound)
    problems = list(result.problems)
    for entry in result.sound:
        for field_name, want, code in (("examples", True, "G060"), ("counter_examples", False, "G061")):
            for i, sentence in enumerate(getattr(entry, field_name)):
                if any(m.entry.id == entry.id for m in tagger.tag(sentence)) != want:
                    verb = "does not produce" if want else "produces"
                    message = f"{field_name[:-1].replace('_', '-')} {verb} a mention of '{entry.id}': {sentence!r}"
                    problems.append(result.problem(entry.id, (field_name, i), code, message))
    return ordered(problems)


def example_outcomes(glossary: Glossary) -> list[tuple[Entry, str, bool]]:
    """(entry, sentence, expected) for every example and counter-example."""
    return [
        (entry, sentence, want)
        for entry in glossary
        for field_name, want in (("examples", True), ("counter_examples", False))
        for sentence in getattr(entry, field_name)
    ]
