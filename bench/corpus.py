"""A deterministic synthetic corpus for the benchmark: no downloads, same bytes for the same seed.

English-like sentences with Russian and Ukrainian passages, glossary aliases planted about once
per 2 KB in mixed case and separator spellings, wrapped in quotes and punctuation, plus near-miss
decoys that a correct tagger must not report (MON-500, AMON-50, a person called Adam, ...).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

EN = ["the", "a", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with", "as", "by", "at", "from", "this", "are", "be", "it", "an", "or", "were", "which", "have", "has", "had", "been", "their", "its", "not", "but", "they", "also", "after", "other", "more", "between", "during", "into", "than", "these", "when", "where", "while", "about", "over", "some", "such", "only", "most", "two", "three", "four", "new", "first", "report", "reports", "team", "teams", "area", "areas", "road", "roads", "field", "fields", "village", "villages", "near", "north", "south", "east", "west", "river", "bridge", "farm", "farmland", "school", "market", "week", "month", "year", "years", "local", "officials", "said", "found", "recorded", "survey", "surveys", "data", "map", "maps", "site", "sites", "people", "families", "children", "return", "returned", "access", "water", "supply", "power", "line", "lines", "forest", "forests", "hill", "valley", "town", "city", "region", "district", "province", "border", "along", "across", "under", "above", "before", "since", "until", "because", "however", "although", "therefore", "meanwhile", "analysts", "noted", "observed", "according", "statement", "press", "agency", "office", "ministry", "committee", "volunteers", "humanitarian", "organisation", "organisations", "funding", "budget", "training", "equipment", "vehicle", "vehicles", "machine", "machines", "dog", "dogs", "handler", "handlers", "staff", "worker", "workers", "engineer", "engineers", "medical", "clinic", "hospital", "injury", "injuries", "accident", "accidents", "incident", "incidents", "victim", "victims", "risk", "risks", "message", "messages", "poster", "posters", "radio", "broadcast", "social", "media", "post", "posts", "photo", "photos", "video", "footage", "image", "images", "satellite", "evidence", "claim", "claims", "source", "sources", "document", "documents", "archive", "archives", "applied", "tried", "studied", "denied", "supplied", "carried", "married", "verified", "identified", "classified", "notified", "modified", "amplified", "simplified", "qualified", "unified", "specified", "satisfied", "justified", "certified", "clarified", "adamant", "madam", "amount", "commonly", "demonstrated", "monitor", "monument", "harmony", "among", "amongst", "pompous", "compost", "atom", "atmosphere", "customs", "stomach", "bottom", "tomorrow", "atomic", "custom"]

RU = ["и", "в", "на", "с", "по", "для", "от", "до", "из", "за", "при", "о", "об", "что", "как", "это", "был", "была", "были", "будет", "также", "после", "между", "во", "время", "над", "под", "около", "район", "районе", "села", "село", "поле", "поля", "дорога", "дороги", "мост", "берег", "реки", "жители", "местные", "власти", "сообщили", "нашли", "обнаружили", "сапёры", "сапёров", "группа", "группы", "территория", "территории", "разминирование", "очистка", "обследование", "карта", "карты", "данные", "отчёт", "отчёта", "неделя", "месяц", "года", "год", "люди", "семьи", "дети", "школа", "больница", "пострадавшие", "пострадавших", "опасность", "опасности", "предупреждение", "виноградник", "виноградника", "градусов", "программа", "программы", "рамках", "монастырь", "монастыря", "помощь"]

UK = ["і", "в", "на", "з", "по", "для", "від", "до", "із", "за", "при", "про", "що", "як", "це", "був", "була", "були", "буде", "також", "після", "між", "під", "час", "над", "біля", "район", "районі", "села", "село", "поле", "поля", "дорога", "дороги", "міст", "берег", "річки", "мешканці", "місцеві", "влада", "повідомили", "знайшли", "виявили", "сапери", "саперів", "група", "групи", "територія", "території", "розмінування", "очищення", "обстеження", "карта", "карти", "дані", "звіт", "звіту", "тиждень", "місяць", "року", "рік", "люди", "родини", "діти", "школа", "лікарня", "постраждалі", "постраждалих", "небезпека", "небезпеки", "попередження", "виноградник", "виноградника", "градусів", "програма", "програми", "рамках", "монастир", "монастиря", "допомога"]

#: Near misses: strings that resemble designations but name nothing in the glossary.
DECOYS = ("MON-500", "AMON-50", "Adam Smith", "the volcano erupted", "an M16 rifle", "a PKM machine gun",
          "PMN-20", "TM-620", "OZM-720", "Claymore Street", "the Gator Bowl", "Black Widow spider")

_WRAP = (("", ""), ('"', '"'), ("«", "»"), ("“", "”"), ("(", ")"), ("'", "'"), ("„", "“"))
_AFTER = ("", "", "", ".", ",", ";", ":", "!", "?", ")")
_DASHES = ("-", " ", "–", "—", "", "‑")


def _respell(alias: str, rng: random.Random) -> str:
    """The alias in a random case and separator spelling."""
    roll = rng.random()
    if roll < 0.15:
        alias = alias.upper()
    elif roll < 0.35:
        alias = alias.lower()
    elif roll < 0.45:
        alias = alias.title()
    if "-" in alias and rng.random() < 0.4:
        alias = alias.replace("-", rng.choice(_DASHES))
    return alias


def _sentence(words: Sequence[str], rng: random.Random) -> str:
    chosen = rng.choices(words, k=rng.randint(6, 22))
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + rng.choice((".", ".", ".", "?", "!", ";"))


def paragraphs(size: int, aliases: Sequence[str], seed: int = 2026) -> Iterator[str]:
    """Paragraphs of about ``size`` characters in total, separated by blank lines."""
    rng = random.Random(seed)
    produced = 0
    while produced < size:
        roll = rng.random()
        words = RU if roll < 0.1 else UK if roll < 0.2 else EN
        sentences = []
        length = 0
        for _ in range(rng.randint(3, 9)):
            sentence = _sentence(words, rng)
            if rng.random() < len(sentence) / 2000:
                left, right = rng.choice(_WRAP)
                planted = f"{left}{_respell(rng.choice(aliases), rng)}{right}{rng.choice(_AFTER)}"
                cut = rng.randint(0, sentence.count(" "))
                parts = sentence.split(" ")
                parts.insert(cut, planted)
                sentence = " ".join(parts)
            if rng.random() < len(sentence) / 8000:
                sentence = f"{sentence[:-1]} near {rng.choice(DECOYS)}{sentence[-1]}"
            sentences.append(sentence)
            length += len(sentence) + 1
        paragraph = " ".join(sentences)
        if rng.random() < 0.5:  # hard-wrapped like a plain-text report
            paragraph = _wrap(paragraph, rng.randint(60, 100))
        produced += len(paragraph) + 2
        yield paragraph


def _wrap(paragraph: str, width: int) -> str:
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def corpus(size: int, aliases: Sequence[str], seed: int = 2026) -> str:
    """The whole corpus as one string."""
    return "\n\n".join(paragraphs(size, aliases, seed)) + "\n"
