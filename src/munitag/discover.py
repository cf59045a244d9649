"""``munitag discover``: candidates for the glossary, gathered over many texts and ranked.

Every text is tagged with the real ``Tagger`` (its mentions are excluded and serve as
evidence), then searched by ``munitag.candidates.Finder``. Candidates are grouped by the entry
id they would get, so in any case, with any separators and in either script (``PMN-4M``,
``pmn 4m`` and ``ПМН-4М`` are one candidate, ``pmn-4m``); each group becomes
one record (``Discovery.records``). Texts are read as streams: memory stays bounded whatever
their length.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from .candidates import MARGIN, Candidate, latin, slug
from .errors import InputError
from .glossary import compact
from .inputs import read_chunks
from .matcher import Tagger
from .names import shown_name

if TYPE_CHECKING:
    from rich.table import Table

#: Characters of text shown either side of a candidate in a snippet.
SNIPPET_CHARS = 60
#: Snippets kept per candidate.
SNIPPETS = 3

_CYRILLIC_UK = frozenset("іїєґІЇЄҐ")


@dataclass
class Found:
    """What is known of one candidate designation so far (picklable, mergeable)."""

    forms: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    best: float = 0.0
    shape: str = ""
    category: Counter[str] = field(default_factory=Counter)
    family: str | None = None
    variant_of: str | None = None
    ukrainian: int = 0
    contexts: list[dict[str, Any]] = field(default_factory=list)

    def add(self, candidate: Candidate, source: str, left: str, right: str) -> None:
        self.forms[candidate.text] += 1
        self.documents.add(source)
        self.best = max(self.best, candidate.score)
        self.shape = self.shape or candidate.shape
        if candidate.category:
            self.category[candidate.category] += 1
        self.family = self.family or candidate.family
        self.variant_of = self.variant_of or candidate.variant_of
        self.ukrainian += any(c in _CYRILLIC_UK for c in left + right)
        if len(self.contexts) < SNIPPETS:
            self.contexts.append({"file": source, "start": candidate.start, "end": candidate.end, "text": candidate.text,
                                  "left": left, "right": right})

    def merge(self, other: Found) -> None:
        self.forms.update(other.forms)
        self.documents |= other.documents
        self.best = max(self.best, other.best)
        self.shape = self.shape or other.shape
        self.category.update(other.category)
        self.family = self.family or other.family
        self.variant_of = self.variant_of or other.variant_of
        self.ukrainian += other.ukrainian
        self.contexts.extend(other.contexts[: SNIPPETS - len(self.contexts)])


class Discovery:
    """Candidates gathered over any number of texts.

    Args:
        tagger: The Tagger whose glossary the candidates are missing from.
    """

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self.finder = tagger.finder()
        self.found: dict[str, Found] = {}

    def add_text(self, text: str, source: str) -> None:
        """Gather the candidates of one whole text, named ``source`` in the records."""
        self.add_chunks([text], source)

    def add_chunks(self, chunks: Iterable[str], source: str, *, window: int = 1 << 20) -> None:
        """Gather the candidates of one text given as consecutive pieces (read in bounded
        memory: about ``window`` characters are tagged at a time); offsets in the records count
        from the start of the whole text."""
        buffer, base, done = "", 0, 0
        mentions: list[Any] = []
        for segment in self.tagger.tag_segments(chunks, window=window):
            buffer += segment.text
            mentions += segment.mentions
            end = base + len(buffer)
            if end - done > 2 * MARGIN:
                done = self._scan(buffer, base, mentions, done, end - MARGIN, source)
                keep = done - MARGIN - base
                if keep > 0:
                    buffer, base = buffer[keep:], base + keep
                    mentions = [m for m in mentions if m.end > base]
        self._scan(buffer, base, mentions, done, base + len(buffer), source)

    def _scan(self, buffer: str, base: int, mentions: list[Any], lo: int, hi: int, source: str) -> int:
        """Gather candidates starting in ``[lo, hi)`` (whole-text offsets); returns ``hi``."""
        for c in self.finder.find(buffer, mentions, lo, hi, base=base):
            left = buffer[max(0, c.start - base - SNIPPET_CHARS) : c.start - base]
            right = buffer[c.end - base : c.end - base + SNIPPET_CHARS]
            self.found.setdefault(slug(c.text), Found()).add(c, source, left, right)
        return hi

    def merge(self, found: dict[str, Found]) -> None:
        """Add what another ``Discovery`` gathered (its ``found``), e.g. in a worker process."""
        for key, item in found.items():
            if key in self.found:
                self.found[key].merge(item)
            else:
                self.found[key] = item

    def records(self, *, min_count: int = 1, top: int | None = None) -> list[dict[str, Any]]:
        """One record per candidate seen at least ``min_count`` times, best first (score, then
        count, then text); at most ``top`` of them."""
        records = [self._record(item) for item in self.found.values() if sum(item.forms.values()) >= min_count]
        records.sort(key=lambda r: (-r["score"], -r["count"], r["text"]))
        return records[:top] if top is not None else records

    def _record(self, item: Found) -> dict[str, Any]:
        forms = sorted(item.forms, key=lambda f: -item.forms[f])  # a tie goes to the form seen first
        text = forms[0]
        count = sum(item.forms.values())
        category = item.category.most_common(1)[0][0] if item.category else None
        return {
            "text": text,
            "count": count,
            "documents": len(item.documents),
            "score": score(item.best, count, len(item.documents)),
            "kind": "item",
            "shape": item.shape,
            "category": category,
            "family": item.family,
            "variant_of": item.variant_of,
            "forms": forms,
            "contexts": item.contexts,
            "command": command(forms, item.shape, category, self._lang(item), self._origin(item)),
        }

    def _lang(self, item: Found) -> str:
        """The language of the candidate's Cyrillic forms, guessed from Ukrainian letters around them."""
        return "uk" if item.ukrainian * 2 > sum(item.forms.values()) else "ru"

    def _origin(self, item: Found) -> tuple[str, ...]:
        for entry_id in (item.variant_of, item.family):
            entry = self.tagger.glossary.get(entry_id) if entry_id else None
            if entry is not None and entry.origin:
                return entry.origin
        return ()


def score(best: float, count: int, documents: int) -> float:
    """A candidate's rank: its strongest evidence, discounted when it was seen only once
    (``best`` × (1 − ½^(count + documents)): 0.75 × best once, 0.94 × best twice in two texts)."""
    return round(best * (1 - 0.5 ** (count + documents)), 3)


def command(forms: list[str], shape: str, category: str | None, lang: str, origin: tuple[str, ...]) -> str:
    """A ``munitag glossary new`` line for a candidate written as ``forms`` (most frequent
    first), shell-quoted; what it cannot guess (description, sources) the command asks for.

    The name is the first form in Latin letters (transliterated when there is none, as the
    glossary's names are); Cyrillic forms become aliases in ``lang``.
    """
    cyrillic = [f for f in forms if any("\u0400" <= c <= "\u04ff" for c in f)]
    name = next((f for f in forms if f not in cyrillic), None)
    if name is None:
        name = latin(forms[0]).title() if shape == "nickname" else latin(forms[0]).upper()
    words = ["munitag", "glossary", "new", slug(name), "--name", name]
    if category:
        words += ["--category", category]
    for code in origin:
        words += ["--origin", code]
    aliases = list({compact(f): f for f in reversed(cyrillic)}.values())[::-1]
    if aliases:
        words += ["--lang", lang]
        for alias in aliases:
            words += ["--alias", alias]
    return " ".join(shlex.quote(w) for w in words)


def discover_files(names: list[str]) -> list[tuple[str | None, dict[str, Found]]]:
    """Worker side of ``munitag discover --jobs``: per file, (the problem that stopped its
    reading, or None; what was gathered from it)."""
    from .parallel import worker_state

    results: list[tuple[str | None, dict[str, Found]]] = []
    for name in names:
        discovery = Discovery(worker_state())
        try:
            discovery.add_chunks(read_chunks(name), shown_name(name))
        except InputError as exc:
            results.append((str(exc), discovery.found))
            continue
        results.append((None, discovery.found))
    return results


#: The columns of ``--format csv``; ``forms`` are joined by " | ", ``contexts`` written as JSON.
CSV_FIELDS = ("text", "count", "documents", "score", "kind", "shape", "category", "family", "variant_of", "forms", "contexts", "command")


def write_records(records: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write ``records`` as JSON Lines (``jsonl``) or CSV with a header (``csv``)."""
    if fmt == "jsonl":
        out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for r in records:
        row = {**r, "forms": " | ".join(r["forms"]), "contexts": json.dumps(r["contexts"], ensure_ascii=False)}
        writer.writerow(["" if row[k] is None else row[k] for k in CSV_FIELDS])


def table(records: list[dict[str, Any]]) -> Table:
    """The ranked candidates as a rich table: one row each, with its first snippet."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=f"{len(records)} candidate(s) not in the glossary", show_lines=False)
    for name, justify in (("#", "right"), ("candidate", "left"), ("count", "right"), ("docs", "right"), ("score", "right"),
                          ("category / family / variant of", "left"), ("first seen", "left")):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    for rank, r in enumerate(records, 1):
        guess = " / ".join(v or "–" for v in (r["category"], r["family"], r["variant_of"]))
        first = r["contexts"][0]
        snippet = Text(f"{first['file']}:{first['start']}  ")
        snippet.append(re.sub(r"\s+", " ", first["left"])[-40:])
        snippet.append(first["text"], style="bold")
        snippet.append(re.sub(r"\s+", " ", first["right"])[:40])
        grid.add_row(str(rank), Text(r["text"], style="bold"), str(r["count"]), str(r["documents"]), f"{r['score']:.2f}", guess, snippet)
    return grid
