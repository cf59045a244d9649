"""The engines compared by the benchmark, each behind the same two calls: ``build`` and ``run``.

Every engine gets the same key set: all separator spellings of every glossary alias, folded
(``MON-50``, ``mon 50``, ``mon50``, ...), so differences in results come from how each engine
treats text, not from what it was given. ``run`` returns (start, end) spans on the caller's
string, or, for the raw scan, the number of automaton hits.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import ahocorasick

from munitag import Alias, Entry, Glossary, Tagger
from munitag.normalize import fold, is_word_char, separator_variants

Spans = list[tuple[int, int]]


def spellings(glossary: Glossary) -> list[str]:
    """Every folded separator spelling of every alias and of its generated forms, sorted."""
    return sorted({s for e in glossary for a in e.aliases for t in (a.text, *glossary.forms_of(a)) for s in separator_variants(fold(t))})


class Engine:
    """Base: ``name``, a one-line ``note``, and the part of the corpus it runs on (``slice_mb``)."""

    name = ""
    note = ""
    slice_mb: float | None = None  # None: the whole corpus

    def build(self, glossary: Glossary) -> None:
        raise NotImplementedError

    def run(self, text: str) -> Spans | int:
        raise NotImplementedError


class Munitag(Engine):
    name = "munitag"
    note = "Tagger.tag end to end: folding, scan, boundaries, context, leftmost-longest, Mention objects"

    def build(self, glossary: Glossary) -> None:
        self.tagger = Tagger(glossary)
        self.keys = len(self.tagger._automaton)  # automaton size, reported beside the timings

    def run(self, text: str) -> Spans:
        return [(m.start, m.end) for m in self.tagger.tag(text)]


class Raw(Engine):
    name = "pyahocorasick raw"
    note = "Automaton.iter() over text folded beforehand (not timed); every overlapping hit, no filtering"
    prepared = True  # run() receives fold(text)

    def build(self, glossary: Glossary) -> None:
        self.automaton = ahocorasick.Automaton()
        for key in spellings(glossary):
            self.automaton.add_word(key, len(key))
        self.automaton.make_automaton()
        self.keys = len(self.automaton)

    def run(self, text: str) -> int:
        count = 0
        for _ in self.automaton.iter(text):
            count += 1
        return count


class Naive(Raw):
    name = "pyahocorasick + filter"
    note = "the straightforward correct pipeline: fold() the whole text, iter(), Unicode word boundaries, leftmost-longest"
    prepared = False

    def run(self, text: str) -> Spans:
        folded = fold(text)
        n = len(folded)
        found = []
        for last, length in self.automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if start > 0 and is_word_char(folded[start - 1]) and is_word_char(folded[start]):
                continue
            if end < n and is_word_char(folded[end - 1]) and is_word_char(folded[end]):
                continue
            found.append((start, end))
        return _leftmost_longest(found)


class FlashText(Engine):
    name = "flashtext"
    note = "KeywordProcessor(case_sensitive=False), default (ASCII) word boundaries"

    def build(self, glossary: Glossary) -> None:
        from flashtext import KeywordProcessor

        self.processor = KeywordProcessor(case_sensitive=False)
        for key in spellings(glossary):
            self.processor.add_keyword(key)

    def run(self, text: str) -> Spans:
        return [(start, end) for _, start, end in self.processor.extract_keywords(text, span_info=True)]


class SpacyPhraseMatcher(Engine):
    name = "spaCy PhraseMatcher"
    note = "spacy.blank('en'), PhraseMatcher(attr='LOWER'), filter_spans; per paragraph"
    slice_mb = 5.0

    def build(self, glossary: Glossary) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("en")
        self.nlp.max_length = 10**8
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.matcher.add("MUNITAG", list(self.nlp.tokenizer.pipe(spellings(glossary))))

    def run(self, text: str) -> Spans:
        from spacy.util import filter_spans

        found = []
        offset = 0
        for paragraph in text.split("\n\n"):
            doc = self.nlp.make_doc(paragraph)
            for span in filter_spans(self.matcher(doc, as_spans=True)):
                found.append((offset + span.start_char, offset + span.end_char))
            offset += len(paragraph) + 2
        return found


class Regex(Engine):
    name = "Python re"
    note = "one alternation, longest first, (?<!\\w)...(?!\\w), IGNORECASE"
    slice_mb = 0.5

    def build(self, glossary: Glossary) -> None:
        keys = sorted(spellings(glossary), key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)", re.IGNORECASE)

    def run(self, text: str) -> Spans:
        return [m.span() for m in self.pattern.finditer(text)]


ENGINES: list[Callable[[], Engine]] = [Raw, Munitag, Naive, FlashText, SpacyPhraseMatcher, Regex]


def _leftmost_longest(spans: Spans) -> Spans:
    chosen: Spans = []
    end = -1
    for start, stop in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= end:
            chosen.append((start, stop))
            end = stop
    return chosen


_SYLLABLES = ["ka", "to", "ri", "ma", "ne", "su", "lo", "vi", "de", "ga", "pe", "zo", "bra", "kri", "sto", "mon", "ter", "val", "dor"]
_LATIN = "ABDEGKLMNPRSTVZ"
_CYRILLIC = "АБВГДЕЖЗИКЛМНПРСТУФ"


def made_up_name(rng: random.Random, wide: bool = False) -> str:
    """A made-up designation (Latin or Cyrillic letters and a number) or multi-word name; ``wide``
    draws from larger ranges, for glossaries of 100,000 distinct aliases."""
    latin_max, cyrillic_max, syllables_max = (9999, 999, 4) if wide else (999, 99, 3)
    roll = rng.random()
    if roll < 0.5:
        return "".join(rng.choices(_LATIN, k=rng.randint(2, 4))) + f"-{rng.randint(1, latin_max)}" + rng.choice(["", "", "M", "A1"])
    if roll < 0.7:
        return "".join(rng.choices(_CYRILLIC, k=rng.randint(2, 4))) + f"-{rng.randint(1, cyrillic_max)}"
    words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(2, syllables_max))) for _ in range(rng.randint(2, 3))]
    return " ".join(words).capitalize()


def synthetic_glossary(base: Glossary, total: int, seed: int = 7) -> Glossary:
    """``base`` plus made-up entries until it holds ``total`` aliases (designations in Latin and
    Cyrillic, multi-word names), to show how cost grows with glossary size."""
    rng = random.Random(seed)
    entries = list(base.entries)
    count = sum(len(e.aliases) for e in entries)
    seen = {fold(a.text) for e in entries for a in e.aliases}
    i = 0
    while count < total:
        text = made_up_name(rng)
        if fold(text) in seen:
            continue
        seen.add(fold(text))
        entries.append(Entry(f"synthetic-{i}", text, "item", "landmine", "synthetic", (Alias(text),), ("https://example.org",)))
        count += 1
        i += 1
    return Glossary(base.path, tuple(entries), base.categories, base.origins, base.treaties, base.context, base.context_except, base.forms)
