"""The bundled glossary: it loads, its seeds are there, and every entry's samples hold."""

from __future__ import annotations

import pytest

from munitag import Tagger, load_glossary
from munitag.validate import example_outcomes

from .conftest import found

GLOSSARY = load_glossary()
SEEDS = ["pfm-1", "pfm-1s", "mon-50", "mon-100", "mon-200", "adam", "mopms"]
SEED_TERMS = [
    "anti-personnel-mine", "anti-vehicle-mine", "remotely-delivered-mine", "directional-fragmentation-mine",
    "cluster-munition", "submunition", "booby-trap", "tripwire", "unexploded-ordnance",
    "explosive-remnants-of-war", "improvised-explosive-device", "anti-handling-device",
]


@pytest.mark.parametrize("entry_id", SEEDS + SEED_TERMS)
def test_seed_entries_exist(entry_id: str) -> None:
    entry = GLOSSARY.get(entry_id)
    assert entry is not None, f"{entry_id} is missing from the glossary"
    assert entry.sources


def test_items_have_origin_and_terms_do_not() -> None:
    for entry in GLOSSARY:
        assert bool(entry.origin) == (entry.kind == "item"), entry.id


@pytest.mark.parametrize(
    ("entry", "sentence", "expected"),
    example_outcomes(GLOSSARY),
    ids=[f"{e.id}:{'example' if want else 'counter'}{i}" for i, (e, _, want) in enumerate(example_outcomes(GLOSSARY))],
)
def test_entry_samples(bundled: Tagger, entry, sentence: str, expected: bool) -> None:  # type: ignore[no-untyped-def]
    mentions = bundled.tag(sentence)
    for m in mentions:
        assert sentence[m.start : m.end] == m.text
    assert any(m.entry.id == entry.id for m in mentions) == expected, [(m.text, m.entry.id) for m in mentions]


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
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_tagged(bundled: Tagger, text: str) -> None:
    """A person, a volcano, a sword, rifles, a sports team, a mortar bomb, animals, a petal."""
    assert found(bundled, text) == []
