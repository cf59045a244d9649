"""Case and number forms of Russian and Ukrainian names, generated with pymorphy3.

Runs when a glossary is compiled (``munitag.validate.check_glossary``); the result is stored in the
glossary (``Glossary.forms``) and in its cache, so tagging never imports the morphology library.

A phrase inflects in agreement: its head noun takes every case and number, and the adjectives and
participles that agree with the head follow it (in gender, and in animacy for the accusative).
Every other word stays as written: designations (``ПФМ-1``), abbreviations (``МОН``), numbers,
Latin words and dependent words in another case (``мина направленного действия``). Vocatives are
left out: a munition is not addressed, and they add homographs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from .glossary import Alias, Glossary, form_key
from .normalize import fold, scripts, separator_variants

LANGS = ("ru", "uk")
#: Cases generated (``gen2``/``loc2`` are the Russian second genitive and locative).
CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "gen2", "loc2"})
_ADJECTIVAL = frozenset({"ADJF", "PRTF"})
_TOKEN = re.compile(r"\w+(?:['’ʼ]\w+)*")
_APOSTROPHE = re.compile(r"['’ʼ]")
_RU_ONLY = frozenset("ыэъё")
_UK_ONLY = frozenset("іїєґ")


@cache
def analyzer(lang: str) -> Any:
    """The pymorphy3 analyzer of ``lang`` (loaded once per process)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def languages_of(word: str) -> tuple[str, ...]:
    """The languages a Cyrillic word without a ``lang`` may belong to, by its letters."""
    letters = set(word.lower())
    if letters & _UK_ONLY:
        return ("uk",)
    if letters & _RU_ONLY:
        return ("ru",)
    return LANGS


def _inflectable(token: str) -> bool:
    """A plain Cyrillic word: not a designation, number, abbreviation or Latin word."""
    return len(token) > 1 and _APOSTROPHE.sub("", token).isalpha() and scripts(token) == {"cyrillic"} and not token.isupper()


def declines(text: str) -> bool:
    """Whether ``text`` holds a word that could take case forms (a Cyrillic word that is not a
    designation or abbreviation)."""
    return any(_inflectable(t) for t in _TOKEN.findall(text))


def _case(tag: Any) -> str:
    return tag.case or "nomn"  # Ukrainian nominative singular nouns carry no case grammeme


def _number(tag: Any) -> str:
    return tag.number or "sing"


def _agrees(adjective: Any, noun: Any) -> bool:
    a, n = adjective.tag, noun.tag
    if _case(a) != _case(n) or _number(a) != _number(n):
        return False
    return _number(n) == "plur" or not (a.gender and n.gender) or a.gender == n.gender or n.gender not in ("masc", "femn", "neut")


def _parses(lang: str, word: str, pos: frozenset[str]) -> list[Any]:
    """Dictionary analyses of ``word`` that decline and have a part of speech in ``pos``,
    nominative first. Words the dictionary does not know get none: their forms are not guessed."""
    found = [
        p for p in analyzer(lang).parse(_APOSTROPHE.sub("'", word.lower()))
        if p.tag.POS in pos and "Fixd" not in p.tag and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
    ]
    return sorted(found, key=lambda p: (_case(p.tag) != "nomn", -p.score))


def _noun_forms(noun: Any) -> Iterator[Any]:
    """Case forms of the noun's lexeme (no vocative)."""
    for form in noun.lexeme:
        if form.tag.POS == "NOUN" and _case(form.tag) in CASES:
            yield form


def _agreeing_forms(word: Any, noun_form: Any) -> list[str]:
    """The forms of an agreeing ``word`` (adjective, participle or joined noun) for ``noun_form``."""
    if word.tag.POS == "NOUN":
        return [f.word for f in _noun_forms(word) if (_case(f.tag), _number(f.tag)) == (_case(noun_form.tag), _number(noun_form.tag))][:1]
    return _adjective_forms(word, noun_form)


def _adjective_forms(adjective: Any, noun_form: Any) -> list[str]:
    """The forms of ``adjective`` that agree with ``noun_form``."""
    case, number = _case(noun_form.tag), _number(noun_form.tag)
    case = {"gen2": "gent", "loc2": "loct"}.get(case, case)
    gender = noun_form.tag.gender if number == "sing" else None
    matches = [
        f for f in adjective.lexeme
        if f.tag.POS == adjective.tag.POS and _case(f.tag) == case and _number(f.tag) == number
        and ("Supr" in f.tag) == ("Supr" in adjective.tag)
        and (gender is None or f.tag.gender in (None, gender))
        and (adjective.tag.POS != "PRTF" or (f.tag.tense, f.tag.voice) == (adjective.tag.tense, adjective.tag.voice))
    ]
    if case == "accs" and len({f.word for f in matches}) > 1:
        # Accusative of masculine and plural: animate nouns take the genitive form, inanimate
        # ones the nominative (Ukrainian tags do not mark which form is which).
        like = "gent" if noun_form.tag.animacy == "anim" else "nomn"
        marked = [f for f in matches if f.tag.animacy == noun_form.tag.animacy]
        if marked:
            matches = marked
        else:
            twins = {f.word for f in adjective.lexeme if _case(f.tag) == like and _number(f.tag) == number
                     and (gender is None or f.tag.gender in (None, gender)) and f.tag.POS == adjective.tag.POS}
            matches = [f for f in matches if f.word in twins] or matches
    return list(dict.fromkeys(f.word for f in matches))


def _styled(word: str, like: str) -> str:
    """``word`` in the letter case of ``like`` (lexemes come back in lower case)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _head(lang: str, tokens: list[str], pieces: list[str], free: list[int]) -> tuple[int, Any, dict[int, Any]] | None:
    """The head noun (token index and analysis) and the words that agree with it: adjectives
    and participles, and a noun joined to the head by a hyphen (``мина-ловушка``)."""
    for h in free:
        for noun in _parses(lang, tokens[h], frozenset({"NOUN"})):
            agreeing: dict[int, Any] = {}
            for j in free:
                if j == h:
                    continue
                pos = _ADJECTIVAL | ({"NOUN"} if j == h + 1 and pieces[j] == "-" else set())
                match = next((a for a in _parses(lang, tokens[j], frozenset(pos)) if _agrees(a, noun)), None)
                if match is not None:
                    agreeing[j] = match
                elif j < h:
                    break  # a word before the head that does not agree: try another head
            else:
                return h, noun, agreeing
    return None


def phrase_forms(text: str, lang: str) -> tuple[str, ...]:
    """Every case and number form of the Russian or Ukrainian ``text``, ``text`` itself excluded.

    Returns an empty tuple when ``text`` holds no noun the dictionary knows, or only
    designations: nothing is guessed.
    """
    if lang not in LANGS:
        return ()
    pieces = _TOKEN.split(text)
    tokens = _TOKEN.findall(text)
    free = [i for i, t in enumerate(tokens) if _inflectable(t)]
    if not free:
        return ()
    found = _head(lang, tokens, pieces, free)
    if found is None:
        return ()
    h, noun, agreeing = found
    forms: dict[str, None] = {}
    for noun_form in _noun_forms(noun):
        variants = {j: _agreeing_forms(word, noun_form) for j, word in agreeing.items()}
        if not all(variants.values()):
            continue
        # Where a case has two endings (Russian -ой/-ою, Ukrainian -ім/-ому), the words take the
        # same one: the n-th variant of each word together.
        for n in range(max((len(v) for v in variants.values()), default=1)):
            words = list(tokens)
            words[h] = noun_form.word
            for j, options in variants.items():
                words[j] = options[min(n, len(options) - 1)]
            styled = [_styled(w, t) for w, t in zip(words, tokens)]
            forms["".join(p + w for p, w in zip(pieces, styled)) + pieces[-1]] = None
    own = fold(text)
    return tuple(f for f in forms if fold(f) != own)


def glossary_forms(glossary: Glossary) -> dict[str, tuple[str, ...]]:
    """Generated forms of everything in ``glossary`` that inflects, by ``form_key``: Russian and
    Ukrainian aliases (all of them, ``inflect: false`` included, so lint can show what they
    would match), shared context words and exception phrases, and the Cyrillic words of entry
    ``context:`` lists (stored under no language: they may be either)."""
    wanted: dict[str, tuple[str, tuple[str, ...]]] = {}
    for entry in glossary:
        for alias in entry.aliases:
            if alias.lang in LANGS:
                wanted[form_key(alias.lang, alias.text)] = (alias.text, (alias.lang,))
        for word in entry.context:
            if not word.endswith("*") and "cyrillic" in scripts(word):
                wanted[form_key(None, word)] = (word, languages_of(word))
    for source in (glossary.context, glossary.context_except):
        for lang, texts in source.items():
            if lang in LANGS:
                wanted.update((form_key(lang, t), (t, (lang,))) for t in texts if not t.endswith("*"))
    forms = {}
    for key, (text, langs) in sorted(wanted.items()):
        found = tuple(dict.fromkeys(f for lang in langs for f in phrase_forms(text, lang)))
        if found:
            forms[key] = found
    return forms


def redundant_aliases(name: str, aliases: Sequence[Alias], forms_of: Callable[[Alias], Iterable[str]]) -> dict[int, Alias]:
    """The aliases (of an entry called ``name``) that another of them already generates, by
    index, with the alias that generates each. The name comes first, then the aliases in their
    order; an alias counts as generated only by one that is gated no more than it is (an
    unambiguous alias is never replaced by an ambiguous one, nor a case-insensitive one by a
    case-sensitive one)."""
    order = sorted(range(len(aliases)), key=lambda i: fold(aliases[i].text) != fold(name))
    kept: list[tuple[Alias, set[str]]] = []
    found: dict[int, Alias] = {}
    for i in order:
        alias = aliases[i]
        source = next(
            (
                other for other, spellings in kept
                if fold(alias.text) in spellings and alias.ambiguous >= other.ambiguous and alias.case_sensitive >= other.case_sensitive
            ),
            None,
        )
        if source is not None:
            found[i] = source
        else:
            kept.append((alias, {v for form in forms_of(alias) for v in separator_variants(fold(form))}))
    return found
