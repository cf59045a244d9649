"""Generated Russian and Ukrainian forms: every case and number, in agreement, nothing guessed."""

from __future__ import annotations

import pytest

from munitag import Alias
from munitag.inflect import phrase_forms, redundant_aliases

RU_CASES = ["Лепесток", "Лепестка", "Лепестку", "Лепестком", "Лепестке", "Лепестки", "Лепестков", "Лепесткам", "Лепестками", "Лепестках"]


def test_a_russian_noun_in_every_case_and_number() -> None:
    assert set(phrase_forms("Лепесток", "ru")) == set(RU_CASES) - {"Лепесток"}


def test_a_ukrainian_noun_in_every_case_and_number_without_vocative() -> None:
    forms = set(phrase_forms("Пелюстка", "uk"))
    assert {"Пелюстки", "Пелюстці", "Пелюстку", "Пелюсткою", "Пелюсток", "Пелюсткам", "Пелюстками", "Пелюстках"} <= forms
    assert "Пелюстко" not in forms  # vocative left out
    assert "міно" not in phrase_forms("міна", "uk")


def test_adjectives_agree_with_the_head_noun() -> None:
    forms = set(phrase_forms("противопехотная фугасная мина", "ru"))
    assert {
        "противопехотной фугасной мины", "противопехотную фугасную мину", "противопехотной фугасной миной",
        "противопехотные фугасные мины", "противопехотных фугасных мин", "противопехотными фугасными минами",
    } <= forms
    assert "противопехотных фугасных мины" not in forms
    assert "противопехотная фугасная мины" not in forms


def test_accusative_follows_the_animacy_of_the_noun() -> None:
    ru = set(phrase_forms("неразорвавшийся боеприпас", "ru"))
    assert "неразорвавшиеся боеприпасы" in ru  # inanimate accusative plural = nominative
    assert "неразорвавшихся боеприпасы" not in ru
    uk = set(phrase_forms("нерозірваний боєприпас", "uk"))
    assert "нерозірваного боєприпас" not in uk  # Ukrainian tags do not mark animacy: decided by the noun
    assert {"нерозірваного боєприпасу", "нерозірваних боєприпасів", "нерозірваними боєприпасами"} <= uk


def test_ukrainian_phrases_in_every_case() -> None:
    assert {"протипіхотної міни", "протипіхотну міну", "протипіхотною міною", "протипіхотних мін", "протипіхотними мінами"} <= set(
        phrase_forms("протипіхотна міна", "uk")
    )


def test_designations_and_dependent_words_stay_as_written() -> None:
    assert phrase_forms("ПФМ-1", "ru") == ()
    assert phrase_forms("МОН", "ru") == ()
    forms = phrase_forms("мина ПФМ-1", "ru")
    assert "минами ПФМ-1" in forms and all(f.endswith(" ПФМ-1") for f in forms)
    forms = phrase_forms("мина направленного действия", "ru")
    assert "минами направленного действия" in forms
    assert all(f.endswith(" направленного действия") for f in forms)


def test_hyphenated_nouns_inflect_together() -> None:
    assert {"мины-ловушки", "минами-ловушками", "мин-ловушек"} <= set(phrase_forms("мина-ловушка", "ru"))


def test_a_phrase_given_in_an_oblique_case_still_inflects() -> None:
    assert "противопехотная мина" in phrase_forms("противопехотных мин", "ru")


def test_letter_case_is_kept() -> None:
    assert all(f[0].isupper() and f[1:].islower() for f in phrase_forms("Лепесток", "ru"))
    assert "Противопехотные мины" in phrase_forms("Противопехотная мина", "ru")


def test_words_in_capitals_are_abbreviations() -> None:
    assert phrase_forms("ПТАБ", "ru") == ()
    assert set(phrase_forms("мина МОН", "ru")) >= {"мины МОН", "минами МОН"}


def test_words_the_dictionary_does_not_know_are_not_guessed() -> None:
    assert phrase_forms("Теллермина", "ru") == ()  # a guess would decline it as a masculine noun
    assert phrase_forms("Lepestok", "en") == ()


@pytest.mark.parametrize(
    ("aliases", "redundant"),
    [
        ([Alias("Лепесток", "ru"), Alias("Лепестки", "ru"), Alias("Лепестками", "ru")], {1: "Лепесток", 2: "Лепесток"}),
        # an unambiguous alias is not replaced by an ambiguous one that generates it
        ([Alias("Лепесток", "ru", ambiguous=True), Alias("Лепестки", "ru")], {}),
        ([Alias("Лепесток", "ru", inflect=False), Alias("Лепестки", "ru")], {}),
        # mutual forms: the earlier alias stays
        ([Alias("Лепестки", "ru"), Alias("Лепесток", "ru")], {1: "Лепестки"}),
    ],
)
def test_redundant_aliases(aliases: list[Alias], redundant: dict[int, str]) -> None:
    def forms_of(alias: Alias) -> tuple[str, ...]:
        return phrase_forms(alias.text, alias.lang or "") if alias.inflect else ()

    found = redundant_aliases("PFM-1", aliases, forms_of)
    assert {i: a.text for i, a in found.items()} == redundant


def test_the_name_is_never_redundant() -> None:
    aliases = [Alias("Лепестки", "ru"), Alias("Лепесток", "ru")]
    found = redundant_aliases("Лепесток", aliases, lambda a: phrase_forms(a.text, "ru"))
    assert {i: a.text for i, a in found.items()} == {0: "Лепесток"}
