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
    finds, each ``examples`` sentence that yields no mention of its entry (G060), and each
    ``counter_examples`` sentence that yields a mention of its entry or of anything but the
    entry's kin (G061: a counter-example is a look-alike), and each look-alike of
    ``lookalikes.yml`` that is tagged in a plain sentence (G083). Examples of sound entries run
    even when other files are broken."""
    result = check_glossary(root)
    if result.sound is None:
        return result.problems
    tagger = Tagger(result.sound)
    problems = list(result.problems)
    for entry in result.sound:
        for i, sentence in enumerate(entry.examples):
            if not any(m.entry.id == entry.id for m in tagger.tag(sentence)):
                problems.append(result.problem(entry.id, ("examples", i), "G060", f"example does not produce a mention of '{entry.id}': {sentence!r}"))
        related = kin(result.sound, entry)
        for i, sentence in enumerate(entry.counter_examples):
            found = {m.entry.id for m in tagger.tag(sentence)}
            if entry.id in found:
                message = f"counter-example produces a mention of '{entry.id}': {sentence!r}"
            elif found - related:
                others = ", ".join(f"'{other}'" for other in sorted(found - related))
                message = (f"counter-example produces a mention of {others}, which is not a variant or family of '{entry.id}'; "
                           f"a counter-example is a look-alike that names no other entry: {sentence!r}")
            else:
                continue
            problems.append(result.problem(entry.id, ("counter_examples", i), "G061", message))
    for lookalike, report in result.lookalike_problems():
        if lookalike.text.endswith("*"):
            continue
        sentence = plain_sentence(lookalike.text)
        start = sentence.index(lookalike.text)
        tagged = sorted({m.entry.id for m in tagger.tag(sentence) if m.start < start + len(lookalike.text) and m.end > start})
        if tagged:
            names = ", ".join(f"'{i}'" for i in tagged)
            problems.append(report("G083", f"look-alike '{lookalike.text}' is tagged as {names} in {sentence!r}: remove it from "
                                   "lookalikes.yml if it is a munition, else make the entry's alias case_sensitive or ambiguous"))
    return ordered(problems)


def plain_sentence(designation: str) -> str:
    """A sentence without munition context in which ``designation`` must not be tagged."""
    return f"Photos show the {designation} near the bridge."


def kin(glossary: Glossary, entry: Entry) -> set[str]:
    """The ids ``entry`` is related to: its ``variant_of`` and ``family``, and the entries whose
    ``variant_of`` or ``family`` is ``entry`` (a counter-example of PFM-1S may mention PFM-1)."""
    linked = {entry.variant_of, entry.family} | {e.id for e in glossary if entry.id in (e.variant_of, e.family)}
    return {i for i in linked if i is not None}


def example_outcomes(glossary: Glossary) -> list[tuple[Entry, str, bool]]:
    """(entry, sentence, expected) for every example and counter-example."""
    return [
        (entry, sentence, want)
        for entry in glossary
        for field_name, want in (("examples", True), ("counter_examples", False))
        for sentence in getattr(entry, field_name)
    ]
