"""The matching rules of the README, one test (or more) each, on the fixture glossary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from munitag import Tagger

from .conftest import found


# Rule 1: spans are code-point offsets into the original string.
@pytest.mark.parametrize(
    "prefix",
    ["", "İ", "İİİ ", "ß ", "e\u0301 ", "😀 ", "שלום ", "ﬁ ", "ΣΑΣ ", "\u200f", "Ａ "],
)
def test_offsets_survive_any_prefix(mini: Tagger, prefix: str) -> None:
    text = f"{prefix} the MON-50 and PFM-1 were found"
    assert [t for t, _ in found(mini, text)] == ["MON-50", "PFM-1"]


# Rule 2: case and character folding.
@pytest.mark.parametrize("text", ["mon-50", "Mon-50", "MON\u201150", "MON\u201350", "MON\u201450", "MON\u221250", "ＭＯＮ－５０"])
def test_case_dash_and_width_variants(mini: Tagger, text: str) -> None:
    assert found(mini, f"see {text} here") == [(text, "mon-50")]


def test_spaces_and_line_breaks_inside_terms(mini: Tagger) -> None:
    assert found(mini, "a cluster\u00a0munition") == [("cluster\u00a0munition", "cluster-munition")]
    assert found(mini, "a cluster\nmunition") == [("cluster\nmunition", "cluster-munition")]


# Rule 3: separator variants.
@pytest.mark.parametrize("text", ["MON-50", "MON 50", "MON50", "МОН-50", "МОН 50"])
def test_separator_variants(mini: Tagger, text: str) -> None:
    assert found(mini, f"({text})") == [(text, "mon-50")]


def test_hyphen_and_space_in_terms(mini: Tagger) -> None:
    for text in ("anti-personnel mine", "antipersonnel mine", "anti personnel mine", "Anti-Personnel-Mine"):
        assert found(mini, f"an {text}.") == [(text, "anti-personnel-mine")]


# Rule 4: whole words only, in every script.
@pytest.mark.parametrize("text", ["MON-500", "AMON-50", "MON-50x", "MON-50б", "МОН-50Б", "2MON-50", "PFM-12", "ПФМ-12", "XPFM-1", "clusters munition"])
def test_no_match_inside_longer_words(mini: Tagger, text: str) -> None:
    assert found(mini, f"the {text} item") == []


def test_family_prefix_is_not_a_word_of_a_longer_designation(mini: Tagger) -> None:
    assert found(mini, "MON-50-type mines") == [("MON-50", "mon-50")]


def test_cyrillic_inside_cyrillic_word(mini: Tagger) -> None:
    assert found(mini, "слово лепестковый") == []
    assert found(mini, "мина «Лепесток»") == [("Лепесток", "pfm-1")]


def test_boundary_filtering_before_longest_match() -> None:
    """A longer candidate rejected at a boundary must not hide a valid shorter one."""
    tagger = Tagger(_glossary_with(["MON-50", "MON-50 MOD"]))
    assert [m.text for m in tagger.tag("MON-50 MODEL")] == ["MON-50"]


# Rule 5: leftmost-longest, non-overlapping; all candidates on request.
def test_longest_wins_and_overlaps_on_request() -> None:
    tagger = Tagger(_glossary_with(["butterfly", "butterfly mine", "mine field"]))
    text = "a butterfly mine field"
    assert [m.text for m in tagger.tag(text)] == ["butterfly mine"]
    assert [m.text for m in tagger.tag(text, overlapping=True)] == ["butterfly mine", "butterfly", "mine field"]


def test_tie_break_is_deterministic() -> None:
    tagger = Tagger(_glossary_with(["shared"], second=["shared"]))
    first = tagger.tag("the shared name")
    assert [m.entry.id for m in first] == ["entry-a"]
    assert [m.entry.id for m in tagger.tag("the shared name", overlapping=True)] == ["entry-a", "entry-b"]


# Rule 6: English plural and possessive; the case-sensitive variant letter.
def test_plural_and_possessive(mini: Tagger) -> None:
    assert found(mini, "two PFM-1s and the MON-50's casing") == [("PFM-1s", "pfm-1"), ("MON-50's", "mon-50")]
    assert found(mini, "MON-50\u2019s") == [("MON-50\u2019s", "mon-50")]
    assert found(mini, "cluster munitions") == [("cluster munitions", "cluster-munition")]
    assert found(mini, "ANTI-PERSONNEL MINES") == [("ANTI-PERSONNEL MINES", "anti-personnel-mine")]


def test_variant_letter_is_its_own_entry(mini: Tagger) -> None:
    assert found(mini, "PFM-1S") == [("PFM-1S", "pfm-1s")]
    assert found(mini, "PFM-1s") == [("PFM-1s", "pfm-1")]
    assert found(mini, "PFM-1ss") == []


# Rule 7: case-sensitive and context-gated aliases.
def test_case_sensitive_alias(mini: Tagger) -> None:
    assert found(mini, "Adam fired an ADAM round") == [("ADAM", "adam")]
    assert found(mini, "adam and Adam") == []


def test_ambiguous_alias_needs_context(mini: Tagger) -> None:
    assert found(mini, "He hung a claymore above the fireplace.") == []
    assert found(mini, "A Claymore mine was rigged.") == [("Claymore", "claymore")]
    assert found(mini, "Sappers found a Claymore; the mines were old.") == [("Claymore", "claymore")]


def test_context_window_is_limited(mini: Tagger) -> None:
    far = "Claymore " + "word " * 9 + "mine"
    assert found(mini, far) == []
    near = "Claymore " + "word " * 7 + "mine"
    assert found(mini, near) == [("Claymore", "claymore")]


# Mentions and the API.
def test_mention_to_dict(mini: Tagger) -> None:
    (m,) = mini.tag("a Lepestok")
    assert m.to_dict() == {
        "start": 2, "end": 10, "text": "Lepestok", "id": "pfm-1", "name": "PFM-1", "kind": "item",
        "category": "ap-blast-mine", "origin": ["SU"], "alias": "Lepestok", "variant_of": None, "family": None,
    }


def test_container_protocol(mini: Tagger) -> None:
    assert "pfm-1" in mini and "nope" not in mini
    assert len(mini) == len(mini.glossary)


def test_rejects_non_text(mini: Tagger) -> None:
    with pytest.raises(TypeError, match="expects str"):
        mini.tag(b"PFM-1")  # type: ignore[arg-type]


def test_empty_text(mini: Tagger) -> None:
    assert mini.tag("") == []


# Property: the span invariant over random Unicode with planted aliases.
PLANTS = ["MON-50", "mon 50", "ПФМ-1", "Lepestok", "PFM-1S", "ADAM", "cluster munition", "МОН‑50"]
noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(noise, st.sampled_from(PLANTS)), max_size=6), noise)
def test_span_invariant_with_planted_aliases(mini: Tagger, parts: list[tuple[str, str]], tail: str) -> None:
    text, planted = "", []
    for junk, alias in parts:
        text += junk + " "
        planted.append(len(text))
        text += alias + " "
    text += tail
    mentions = mini.tag(text)
    ends = [m.end for m in mentions]
    assert ends == sorted(ends)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    for m in mini.tag(text, overlapping=True):
        assert text[m.start : m.end] == m.text
    for pos in planted:  # every plant is found, or covered by a longer mention around it
        assert any(m.start <= pos < m.end for m in mentions), (text, pos)


def _glossary_with(aliases: list[str], second: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A glossary built in memory from the fixture vocabularies and one or two entries."""
    from munitag import Alias, Entry, Glossary, load_glossary

    from .conftest import FIXTURE_GLOSSARY

    base = load_glossary(FIXTURE_GLOSSARY)

    def entry(eid: str, texts: list[str]) -> Entry:
        return Entry(eid, texts[0], "term", "landmine", "test", tuple(Alias(t) for t in texts), ("https://example.org",))

    entries = [entry("entry-a", aliases)] + ([entry("entry-b", second)] if second else [])
    return Glossary(base.path, tuple(entries), base.categories, base.origins, base.treaties, base.context)


def test_unambiguous_mention_counts_as_context(mini: Tagger) -> None:
    assert found(mini, "the MON-50 and a Claymore were seen") == [("MON-50", "mon-50"), ("Claymore", "claymore")]
    assert found(mini, "a Claymore " + "word " * 9 + "MON-50") == [("MON-50", "mon-50")]


def test_context_stays_in_its_sentence(mini: Tagger) -> None:
    assert found(mini, "The mine was cleared. He hung a claymore above the fireplace.") == []
    assert found(mini, "He hung a claymore on the wall.\n\nMines were found later.") == []
    assert found(mini, "A claymore, the mine, was found.") == [("claymore", "claymore")]
