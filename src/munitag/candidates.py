"""Open-vocabulary candidates: strings shaped like munition designations or nicknames that are
not aliases of any entry, standing in munition context.

A candidate is found in three steps, all on the original text (offsets are the caller's):

1. **Shape.** A letter prefix and a number with an optional suffix (``PMN-4M``, ``ОЗМ-160``,
   ``TM-62P3``, ``BLU-97/B``, ``Mk 118``, ``M/969``, ``Type 72A``, ``VS-MK2``); a number-first
   index code (``9N235``, ``3B30``, ``9M27K3``); or a capitalised nickname in quotes next to a
   mine word («мина «Оса»», "міна типу «Жаба»", 'the so-called "Frog" mine').
2. **Exclusion.** Nothing the tagger found there, no alias (or generated form) of an entry,
   no look-alike of ``lookalikes.yml``, nothing with a non-munition noun beside it ("the
   T-14 tank", "highway M-03", "a G3 rifle"), nothing that ends in a year (``FY2024``).
3. **Evidence**, the candidate's ``score``: a mine or munition word right next to it
   (``1.0``: "PMN-4M mines", «мина ПМН-4»), a known entry's mention joined to it by "and", "or"
   or a comma (``0.9``: "PMN-2 and PMN-4M"), or a context word of the glossary (in any of its
   languages) within ``CONTEXT_WORDS`` words in the same sentence (``0.5``); ``+0.2`` when it
   extends a known designation (``PMN-4M`` beside the entry ``PMN-4``). Without evidence there is
   no candidate; a designation of one letter and a number (``A4``, ``M-03``) needs a score of
   ``0.9`` or more.

This module knows nothing of the matcher: callers pass the mentions the ``Tagger`` found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .context import CONTEXT_WORDS, sentence_area
from .glossary import Glossary, compact
from .normalize import fold

#: Characters of text either side of a candidate that finding and judging it may read.
MARGIN = 512

_UP = "A-ZА-ЯЁІЇЄҐ"
_SEP = "-\u2010\u2011\u2013\u2014\u00a0 "
_NUMBER = r"\d{1,4}(?:[.,]\d{1,2}(?!\d))?"
_SUFFIX = rf"(?:[{_UP}]{{1,3}}\d{{0,2}}){{0,2}}(?:/[{_UP}]{{1,2}}|-\d{{1,2}}[{_UP}]?)?"
_PREFIX = rf"(?:Type|Typ|Mk|Mod|[{_UP}](?:[a-zа-яё]?[{_UP}]){{0,5}}(?:-[{_UP}]{{1,3}})?)"
_SHAPES = re.compile(
    rf"(?<![\w\-\u2010\u2011\u2013\u2014/.,])(?:"
    rf"(?P<designation>{_PREFIX}(?:[{_SEP}/]|\.\s?)?{_NUMBER}{_SUFFIX})"
    rf"|(?P<index>\d{{1,2}}[{_UP}]{{1,2}}\d{{1,4}}(?:[{_UP}]{{1,3}}\d{{0,2}}){{0,2}})"
    rf")(?![\w\-\u2010\u2011][\w])(?!\w)"
)
_MINE = r"(?:[Mm]ines?|[Мм]ин[аыуеойё]\w*|[Мм]ін[аиуіоюя]\w*|bomblets?|submunitions?)"
_QUOTED = re.compile(rf"[«\"“„']([{_UP}][\w\-\u2010 ]{{1,28}}?\w)[»\"”“']")
_NICKNAMED_BEFORE = re.compile(
    rf"(?:{_MINE}\s+(?:(?:типа|типу|type|called|named|so-called|под названием|під назвою)\s+)?|(?:so-called|так называем\w+|так зван\w+)\s+)$"
)
_NICKNAMED_AFTER = re.compile(rf"\s+{_MINE}")
#: Unquoted: «міна типу Жаба», "the so-called Sentinel mine" (a mine word must follow "so-called X").
#: Looked for only where ``str.find`` (much faster than a regular expression) saw a trigger.
_NAME = rf"([{_UP}][\w\-\u2010]{{1,20}}\w)(?![\w\-])"
_TYPED = re.compile(rf"(?<!\w){_MINE}\s+(?:типа|типу|type)\s+{_NAME}")
_SO_CALLED = re.compile(rf"(?:[Ss]o-called|[Тт]ак называем\w+|[Тт]ак зван\w+)\s+{_NAME}")
_TRIGGERS = ((" типа ", _TYPED), (" типу ", _TYPED), (" type ", _TYPED), ("o-called", _SO_CALLED), ("ак назыв", _SO_CALLED), ("ак зван", _SO_CALLED))
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d$")  # FY2024, COP2023: a designation does not end in a year
_LINK = re.compile(r"\s*(?:,|;|/|\band\b|\bor\b|\bи\b|\bили\b|\bі\b|\bй\b|\bта\b|\bабо\b|\bet\b|\by\b|\bund\b|\bou\b)\s*(?:the\s+)?$|\s*[,(]?\s*$")

#: Words of a munition's own kind beside a candidate: the strongest evidence. English words match
#: whole (a plural ``s`` aside), Russian and Ukrainian ones as written (case forms listed) or, in
#: ``MUNITION_STEMS``, as prefixes of the folded word; ``OTHER_HEADS`` and ``OTHER_STEMS`` alike.
MUNITION_HEADS = frozenset(
    ["mine", "landmine", "bomblet", "submunition", "munition", "grenade", "fuze", "мина", "мины", "мин", "мину", "миной", "мине", "минам", "минами", "міна", "міни", "мін", "міну", "міною", "міні", "мінам", "мінами"]
)
MUNITION_STEMS = ("суббоеприпас", "суббоєприпас", "боеприпас", "боєприпас", "взрывател", "підривник", "детонатор", "бомб", "кассетн", "касетн")
#: Nouns that say a designation is something else: "T-14 tank", "highway M-03", «траса М-03».
OTHER_HEADS = frozenset(
    ["rifle", "carbine", "machine-gun", "gun", "pistol", "tank", "vehicle", "truck", "apc", "ifv", "helicopter", "aircraft", "jet", "fighter", "bomber", "plane", "airliner", "drone", "uav", "highway", "motorway", "road", "route", "howitzer", "launcher", "missile", "radar", "engine", "phone", "smartphone", "camera", "car", "tractor", "bus", "train", "flight", "vaccine", "virus", "vitamin", "gene", "protein", "team", "league", "cup", "championship", "processor", "chip", "laptop", "printer", "model", "motorbike", "motorcycle", "ship", "frigate", "submarine", "variant", "strain", "receptor", "player", "jersey", "shirt", "detector", "metal-detector", "robot", "flail", "machine", "standard", "regulation", "resolution"]
)
OTHER_STEMS = (
    "винтовк", "автомат", "пулемет", "пулемёт", "танк", "вертолет", "вертолёт", "самолет", "самолёт", "истребител",
    "бомбардировщик", "беспилотник", "бпла", "дрон", "трасс", "шоссе", "автодорог", "дорог", "ракет", "гаубиц", "рейс",
    "гвинтівк", "кулемет", "гелікоптер", "вертоліт", "вертольот", "літак", "винищувач", "безпілотник", "трас", "шосе",
    "автошлях", "гармат", "модел", "вакцин", "вірус", "вирус", "витамин", "вітамін", "команд", "чемпіонат", "чемпионат",
    "смартфон", "телефон", "детектор", "миноискател", "міношукач", "робот", "стандарт",
)


def _head(word: str, words: frozenset[str], stems: tuple[str, ...]) -> bool:
    return word in words or (word.endswith("s") and word[:-1] in words) or word.startswith(stems)


_TYPE_WORDS = frozenset(["type", "типа", "типу"])


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Candidate:
    """A designation or nickname in munition context that names no glossary entry.

    Returned by ``Tagger.tag(..., candidates=True)`` among the mentions; never by default.

    Attributes:
        start: Offset of the first code point in the caller's string.
        end: Offset just past the last; ``text[start:end] == candidate.text``.
        text: The candidate as it stands in the input.
        score: The strength of the evidence, 0.5 to 1 (see ``munitag.candidates``).
        shape: ``designation``, ``index`` (a number-first code) or ``nickname``.
        category: The guessed category (a key of ``categories.yml``), if any.
        family: The guessed family entry's id, if any.
        variant_of: The id of the entry it extends (``pmn-4`` for ``PMN-4M``), if any.
    """

    start: int
    end: int
    text: str
    score: float
    shape: str
    category: str | None = None
    family: str | None = None
    variant_of: str | None = None
    kind = "candidate"  # not a field: what ``to_dict`` gives as ``kind``
    entry = None  # not a field: a candidate names no entry

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``Mention.to_dict``, ``id``, ``name`` and ``alias`` null, ``kind`` "candidate",
        and ``score``."""
        return {
            "start": self.start, "end": self.end, "text": self.text, "id": None, "name": None, "kind": "candidate",
            "category": self.category, "origin": [], "alias": None, "variant_of": self.variant_of, "family": self.family,
            "score": self.score,
        }


class Finder:
    """Finds ``Candidate``s in texts, for one glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._known: dict[str, str] = {}
        for entry in glossary:
            for alias in entry.aliases:
                for text in (alias.text, *glossary.forms_of(alias)):
                    self._known.setdefault(compact(text), entry.id)
        self._lookalikes = {x.key for x in glossary.lookalikes if not x.text.endswith("*")}
        self._prefixes = tuple(x for x in glossary.lookalikes if x.text.endswith("*"))
        words = [fold(w) for w in glossary.context_words()]
        self._context = frozenset(w for w in words if not w.endswith("*"))
        self._context_prefixes = tuple(w[:-1] for w in words if w.endswith("*"))
        self._heads = frozenset(e.family for e in glossary if e.family)

    def find(self, text: str, mentions: Iterable[_Span], lo: int | None = None, hi: int | None = None, *, base: int = 0) -> list[Candidate]:
        """Candidates starting in ``[lo, hi)`` (all of ``text`` by default), sorted by start.

        Args:
            text: The text, or the piece of a longer text that begins at offset ``base`` there;
                ``MARGIN`` characters either side of ``[lo, hi)`` are read at most.
            mentions: The ``Tagger``'s mentions, sorted by start.
            lo, hi, base: Offsets in the longer text, as are those of ``mentions`` and of the
                candidates returned.
        """
        lo = base if lo is None else lo
        hi = base + len(text) if hi is None else hi
        spans = [(m.start - base, m.end - base) for m in mentions]
        found = self._find(text, spans, lo - base, hi - base)
        return [replace(c, start=c.start + base, end=c.end + base) for c in found] if base else found

    def _find(self, text: str, mentions: list[tuple[int, int]], lo: int, hi: int) -> list[Candidate]:
        starts = [s for s, _ in mentions]
        found: dict[tuple[int, int], Candidate] = {}
        for match in _SHAPES.finditer(text, lo):
            if match.start() >= hi:
                break
            shape = "designation" if match.group("designation") else "index"
            candidate = self._judge(text, match.start(), match.end(), shape, mentions, starts)
            if candidate is not None:
                found[(candidate.start, candidate.end)] = candidate
        nicknames = [m.span(1) for m in _QUOTED.finditer(text, max(0, lo - 1), min(len(text), hi + 32))
                     if _NICKNAMED_BEFORE.search(text, max(0, m.start() - 40), m.start()) or _NICKNAMED_AFTER.match(text, m.end())]
        nicknames += self._unquoted(text, lo, hi)
        for start, end in sorted(nicknames):
            if not lo <= start < hi or any(s < end and start < e for s, e in found):
                continue
            candidate = self._judge(text, start, end, "nickname", mentions, starts)
            if candidate is not None:
                found[(start, end)] = candidate
        return [found[k] for k in sorted(found)]

    @staticmethod
    def _unquoted(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """Spans of unquoted nicknames whose trigger lies about in ``[lo, hi)``."""
        spans = []
        for trigger, pattern in _TRIGGERS:
            at = text.find(trigger, max(0, lo - 30), hi)
            while at >= 0:
                match = pattern.search(text, max(0, at - 20), min(len(text), at + 80))
                if match and match.start(1) > at and (pattern is _TYPED or _NICKNAMED_AFTER.match(text, match.end())):
                    spans.append(match.span(1))
                at = text.find(trigger, at + 1, hi)
        return spans

    def _judge(self, text: str, start: int, end: int, shape: str, mentions: list[tuple[int, int]], starts: list[int]) -> Candidate | None:
        surface = text[start:end]
        key = compact(surface)
        if key in self._known or self.is_lookalike(surface) or _overlaps(mentions, starts, start, end):
            return None
        if shape == "nickname" and sum(c.isalpha() for c in surface) < 3:
            return None  # (a common word is no objection: «Оса», «Жаба» are a wasp and a toad)
        low, high = sentence_area(text, start, end)
        before = [fold(m.group()) for m in _WORD.finditer(text, low, start)][-CONTEXT_WORDS:]
        after = [fold(m.group()) for m in _WORD.finditer(text, end, high)][:CONTEXT_WORDS]
        near = before[-1:] + after[:1]
        if shape != "nickname" and (any(_head(w, OTHER_HEADS, OTHER_STEMS) for w in near) or _YEAR.search(surface)):
            return None
        if before[-1:] and before[-1] in _TYPE_WORDS:  # "mine type X", «міна типу X»: the mine word is one further
            near += before[-2:-1]
        score = 0.0
        if shape == "nickname" or any(_head(w, MUNITION_HEADS, MUNITION_STEMS) for w in near):
            score = 1.0
        elif _linked(text, mentions, starts, start, end):
            score = 0.9
        elif any(self._is_context(w) for w in before + after):
            score = 0.5
        variant_of = self._variant_of(key) if shape != "nickname" else None
        if variant_of:
            score = min(1.0, score + 0.2) if score else 0.0
        single = shape == "designation" and sum(c.isalpha() for c in re.split(r"[\d]", surface, maxsplit=1)[0]) <= 1
        if score < (0.9 if single and not variant_of else 0.5):
            return None
        family = self._family(surface, variant_of)
        category = self._category(variant_of, family, before + after)
        return Candidate(start, end, surface, round(score, 2), shape, category, family, variant_of)

    def is_lookalike(self, text: str) -> bool:
        """Whether ``text`` is one of the glossary's look-alikes."""
        return compact(text) in self._lookalikes or any(x.covers(text) for x in self._prefixes)

    def is_known(self, text: str) -> bool:
        """Whether ``text`` is an alias, or a generated form of one, of an entry (any case and separators)."""
        return compact(text) in self._known

    def _is_context(self, word: str) -> bool:
        return word in self._context or word.startswith(self._context_prefixes)

    def _variant_of(self, key: str) -> str | None:
        """The entry whose designation ``key`` extends by a suffix (``pmn4m`` -> ``pmn-4``)."""
        for cut in range(len(key) - 1, 1, -1):
            head, rest = key[:cut], key[cut:]
            if not any(c.isdigit() for c in head) or (head[-1].isdigit() and rest[0].isdigit()):
                continue
            entry_id = self._known.get(head)
            entry = self.glossary.get(entry_id) if entry_id else None
            if entry is not None and entry.kind == "item":
                return entry.id
        return None

    def _family(self, surface: str, variant_of: str | None) -> str | None:
        """The family entry: the one of the entry it extends, or ``<letters>-series``."""
        if variant_of:
            entry = self.glossary.get(variant_of)
            assert entry is not None
            if entry.family:
                return entry.family
            if entry.id in self._heads:
                return entry.id
        letters = re.match(r"[^\W\d_]+", fold(surface))
        if letters:
            guess = f"{latin(letters.group())}-series"
            if guess in self.glossary:
                return guess
        return None

    def _category(self, variant_of: str | None, family: str | None, words: Iterable[str]) -> str | None:
        for entry_id in (variant_of, family):
            entry = self.glossary.get(entry_id) if entry_id else None
            if entry is not None:
                return entry.category
        words = list(words)
        for prefixes, category in _CATEGORY_WORDS:
            if any(w.startswith(prefixes) for w in words) and category in self.glossary.categories:
                return category
        return None


_CATEGORY_WORDS = (
    (("anti-tank", "antitank", "anti-vehicle", "противотанков", "протитанков"), "anti-vehicle-mine"),
    (("anti-personnel", "antipersonnel", "противопехотн", "протипіхотн"), "anti-personnel-mine"),
    (("bomblet", "submunition", "суббоеприпас", "суббоєприпас"), "submunition"),
    (("cluster", "кассетн", "касетн"), "cluster-munition"),
    (("mine", "landmine", "мин", "мін"), "landmine"),
)

_LATIN = dict(zip("абвгдежзийклмнопрстуфхцчшщыэюяёіїєґ", ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "y", "e", "yu", "ya", "e", "i", "yi", "ye", "g"]))


def latin(text: str) -> str:
    """``text`` folded, in Latin letters: ``ПМН-4М`` -> ``pmn-4m``."""
    return "".join(_LATIN.get(c, c) for c in fold(text))


def slug(text: str) -> str:
    """An entry id for the designation ``text``: ``ПМН-4М`` -> ``pmn-4m``, ``BLU-97/B`` -> ``blu-97-b``."""
    return re.sub(r"[^a-z0-9]+", "-", latin(text)).strip("-") or "candidate"


def _overlaps(mentions: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    return any(mentions[j][1] > start for j in range(max(0, i - 3), i))


def _linked(text: str, mentions: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """A mention joined to ``[start, end)`` by a conjunction or comma: "PMN-2 and PMN-4M"."""
    i = bisect.bisect_left(starts, start)
    if i and mentions[i - 1][1] <= start and start - mentions[i - 1][1] <= 12 and _LINK.fullmatch(text, mentions[i - 1][1], start):
        return True
    if i < len(mentions):
        gap = text[end : mentions[i][0]]
        return len(gap) <= 12 and _LINK.fullmatch(gap.rstrip() + " ") is not None
    return False
