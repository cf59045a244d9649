"""The bundled glossary: it loads, its seeds are there, and every entry's samples hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from munitag import Entry, Tagger, cache, load_glossary
from munitag.glossary import nameable
from munitag.lint import example_outcomes, kin

from .conftest import CACHE_DIR, found

#: Where the glossary cache is while this module is collected, and the samples collected then.
CACHE_AT_COLLECTION = cache.directory()
OUTCOMES = example_outcomes(load_glossary())
SEEDS = ["pfm-1", "pfm-1s", "mon-50", "mon-100", "mon-200", "adam", "mopms"]
SEED_TERMS = [
    "anti-personnel-mine", "anti-vehicle-mine", "remotely-delivered-mine", "directional-fragmentation-mine",
    "cluster-munition", "submunition", "booby-trap", "tripwire", "unexploded-ordnance",
    "explosive-remnants-of-war", "improvised-explosive-device", "anti-handling-device",
]


def test_collection_used_the_session_cache() -> None:
    """The glossary loaded at collection time went through the test session's cache, in the
    temporary directory, never the user's."""
    assert CACHE_AT_COLLECTION == cache.directory() == CACHE_DIR
    assert CACHE_DIR.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert list(CACHE_DIR.glob("glossary-*.json"))


@pytest.mark.parametrize("entry_id", SEEDS + SEED_TERMS)
def test_seed_entries_exist(bundled: Tagger, entry_id: str) -> None:
    entry = bundled.glossary.get(entry_id)
    assert entry is not None, f"{entry_id} is missing from the glossary"
    assert entry.sources


def test_items_have_origin_and_terms_do_not(bundled: Tagger) -> None:
    for entry in bundled.glossary:
        assert bool(entry.origin) == (entry.kind == "item"), entry.id


@pytest.mark.parametrize(
    ("entry", "sentence", "expected"),
    OUTCOMES,
    ids=[f"{e.id}:{'example' if want else 'counter'}{i}" for i, (e, _, want) in enumerate(OUTCOMES)],
)
def test_entry_samples(bundled: Tagger, entry: Entry, sentence: str, expected: bool) -> None:
    """An example mentions its entry; a counter-example is a look-alike: it mentions nothing but
    the entry's kin (``PFM-1s``, the plural of the parent PFM-1, as counter-example of PFM-1S)."""
    mentions = bundled.tag(sentence)
    for m in mentions:
        assert sentence[m.start : m.end] == m.text
    tagged = {m.entry.id for m in mentions}
    if expected:
        assert entry.id in tagged, [(m.text, m.entry.id) for m in mentions]
    else:
        assert entry.id not in tagged and tagged <= kin(bundled.glossary, entry), [(m.text, m.entry.id) for m in mentions]


NEWS = (
    "Ukrainian officials said Russian forces had scattered PFM-1 \u201cLepestok\u201d mines near the "
    "village and rigged MON-50 and MON\u2011100 tripwire mines along the tree line. Older stocks of NATO's "
    "ADAM and MOPMS were also discussed. Adam Novak said anti-personnel and anti-vehicle "
    "mines and cluster munitions still contaminate the fields; the MON-500 and PFM-12 he was asked "
    "about do not exist."
)


def test_news_paragraph(bundled: Tagger) -> None:
    assert found(bundled, NEWS) == [
        ("PFM-1", "pfm-1"),
        ("Lepestok", "pfm-1"),
        ("MON-50", "mon-50"),
        ("MON\u2011100", "mon-100"),
        ("tripwire", "tripwire"),
        ("ADAM", "adam"),
        ("MOPMS", "mopms"),
        ("anti-personnel", "anti-personnel-mine"),
        ("anti-vehicle mines", "anti-vehicle-mine"),
        ("cluster munitions", "cluster-munition"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İzmir İİİ PFM-1S", [("PFM-1S", "pfm-1s")]),
        ("two PFM-1s", [("PFM-1s", "pfm-1")]),
        ("ПФМ\u20111 и МОН\u201150", [("ПФМ\u20111", "pfm-1"), ("МОН\u201150", "mon-50")]),
        ("Adam and Eve", []),
        ("MON-500, PFM-12, AMON-50", []),
    ],
)
def test_adversarial_text(bundled: Tagger, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(bundled, text) == expected


LOOK_ALIKES = [
    "Adam Smith wrote The Wealth of Nations.",
    "Adam, the team leader, arrived on Monday.",
    "Adam's apple is part of the throat.",
    "Mount Etna is Europe's most active volcano.",
    "Volcano Bay is a water park.",
    "Вулкан проснулся на Камчатке.",
    "He carried a Claymore sword at the Highland games.",
    "The Scottish claymore was a two-handed sword.",
    "The soldier cleaned his M16 rifle.",
    "The M14 rifle was replaced by the M16.",
    "The PKM machine gun jammed.",
    "The Florida Gators won the football game.",
    "A Gator utility vehicle drove across the farm.",
    "The crew fired a 60 mm M49A2 mortar bomb.",
    "The Type 72 tank was on display.",
    "The M18 Hellcat was a tank destroyer.",
    "The Black Widow spider is venomous.",
    "The butterfly landed on a flower.",
    "He bought a Ford Ranger.",
    "The Medallion was awarded to the winner.",
    "Лепесток розы упал на стол.",
    "Пелюстка троянди впала на стіл.",
    # Inflected forms that are ordinary words: the forms of an ambiguous alias stay gated, and a
    # context word inside an exception phrase («кислая мина», a face) does not count.
    "Она скорчила кислую мину и смахнула лепестки роз со стола.",
    "С кислой миной он собрал лепестки ромашки в ладонь.",
    "Делать хорошую мину при плохой игре: лепестками роз усыпали сцену.",
    "Вона зібрала пелюстки ромашки і склала їх у книжку.",
    "Дівчина прикрасила торт пелюстками троянд.",
    "Кисла міна на обличчі, а в руках пелюстки півонії.",
    "Лепестками роз усыпали дорожку к алтарю.",
    "Ведьмы в сказках летают на метлах.",
    "Бабуся спекла пряники на свято.",
    "Эклеры в этой кондитерской самые вкусные.",
    "В ванной стояли две мыльницы.",
    "Отёки на ногах прошли через неделю.",
    "В регионе развивается земледелие, земледелием живут сёла.",
    "Растяжки для спины полезны после тренировки.",
    "Клещами он вытащил гвоздь из доски.",
    # A headline with no context above a paragraph with none.
    "Лепестки на детской площадке\n\nДети собирали цветы и лепестки в парке.",
    "Ведьма\n\nСказка о злой ведьме и её чёрном коте.",
    # A Latin word is not a Cyrillic designation drawn with the same letters (МОН, Отёк).
    "The MOH says victims are treated free of charge.",
    "The OTEK factory also makes metal detectors.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_tagged(bundled: Tagger, text: str) -> None:
    """A person, a volcano, a sword, rifles, a sports team, a mortar bomb, animals, a petal."""
    assert found(bundled, text) == []


BESIDE_MENTIONS = [
    # Another entry named in another sentence is no context for a look-alike (paragraph scope).
    ("He cleaned his M16 rifle. The report also named a MON-50 found later.", [("MON-50", "mon-50")]),
    ("The PKM machine gun was cleaned. Soldiers reported a PMN-2 nearby.", [("PMN-2", "pmn-2")]),
    ("Adam Smith wrote about trade.\n\nThe MOPMS system was retired.", [("MOPMS", "mopms")]),
    # Latin words that read as Cyrillic designations, with a context word right there.
    ("The MOH says mine victims are treated free of charge.", []),
    ("MYB genes and CBY proteins were studied near the minefield.", [("minefield", "minefield")]),
]


@pytest.mark.parametrize(("text", "expected"), BESIDE_MENTIONS)
def test_look_alikes_beside_real_mentions(bundled: Tagger, text: str, expected: list[tuple[str, str]]) -> None:
    """Only the real mentions are tagged; the look-alike next to them is not."""
    assert found(bundled, text) == expected


REAL_VARIANTS = [
    ("Нашли ПОМ-2 «Отек», а рядом ПOM-2 (латинская O).", [("ПОМ-2", "pom-2"), ("Отек", "pom-2"), ("ПOM-2", "pom-2")]),
    ("Сапёры сняли ТМ-62 П и TM 62-P.", [("ТМ-62 П", "tm-62p"), ("TM 62-P", "tm-62p")]),
    ("A directional\r\nfragmentation mine (MОN-50).", [("directional\r\nfragmentation mine", "directional-fragmentation-mine"), ("MОN-50", "mon-50")]),
    ("«Ле\u0301пестки» на детской площадке\n\nВ Донецке у подъезда нашли ПФМ-1.", [("Ле\u0301пестки", "pfm-1"), ("ПФМ-1", "pfm-1")]),
    ("Сапери знищили протипіхотні міни та розтяжку.", [("протипіхотні міни", "anti-personnel-mine"), ("розтяжку", "tripwire")]),
]


@pytest.mark.parametrize(("text", "expected"), REAL_VARIANTS)
def test_spelling_variants_in_the_bundled_glossary(bundled: Tagger, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(bundled, text) == expected


@pytest.mark.parametrize(
    "form", ["протипіхотна міна", "протипіхотної міни", "протипіхотній міні", "протипіхотну міну", "протипіхотною міною",
             "протипіхотні міни", "протипіхотних мін", "протипіхотним мінам", "протипіхотними мінами", "протипіхотних мінах"],
)
def test_every_case_of_a_ukrainian_phrase(bundled: Tagger, form: str) -> None:
    (m,) = bundled.tag(f"У звіті йдеться про {form} біля школи.")
    assert (m.text, m.entry.id, m.alias) == (form, "anti-personnel-mine", "протипіхотна міна")


@pytest.mark.parametrize("form", ["растяжка", "растяжки", "растяжке", "растяжку", "растяжкой", "растяжек", "растяжкам", "растяжками", "растяжках"])
def test_every_case_of_a_gated_russian_term(bundled: Tagger, form: str) -> None:
    assert found(bundled, f"Сапёры сняли с тропы {form}.") == [(form, "tripwire")]
    assert found(bundled, f"Тренер показал {form} для спины.") == []


@pytest.mark.parametrize(("text", "usable"), [("PFM-1", True), ("_", False), ("-", False), ("٣", True), ("Ⅻ", True), (" a", False),
                                              ("a\u0301", True), ("\u0301", False), ("__", False)])
def test_an_alias_needs_a_letter_or_digit(text: str, usable: bool) -> None:
    """As ``str.isalnum`` has it (an underscore or a combining mark alone is not one)."""
    assert nameable(text) is usable
