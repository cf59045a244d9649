"""The matching rules of the README, one test (or more) each, on the fixture glossary."""

from __future__ import annotations

import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from munitag import Mention, Tagger
from munitag.context import Cues
from munitag.normalize import fold

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


# Every code point that folds to an apostrophe (U+02BC, the Ukrainian apostrophe, is a letter).
_CODE_POINTS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
APOSTROPHE_VARIANTS = [c for c, f in zip(_CODE_POINTS, fold(_CODE_POINTS)) if f == "'"]


def test_the_apostrophe_variants_include_the_modifier_letters() -> None:
    assert set("'\u2019\u02bc\u02b9\u0060\u00b4\uff07") <= set(APOSTROPHE_VARIANTS)


@pytest.mark.parametrize("apostrophe", APOSTROPHE_VARIANTS)
def test_an_apostrophe_variant_after_a_name_is_a_boundary(mini: Tagger, apostrophe: str) -> None:
    for entry in mini.glossary:
        for alias in entry.aliases:
            name = alias.text
            assert found(mini, f"{name}{apostrophe} mines") == [(name, entry.id)], name
            if fold(name)[-1] in string.ascii_lowercase + string.digits:  # an English ending may follow
                assert found(mini, f"the {name}{apostrophe}s mines") == [(f"{name}{apostrophe}s", entry.id)], name


@pytest.mark.parametrize("apostrophe", APOSTROPHE_VARIANTS)
def test_an_apostrophe_between_cyrillic_letters_is_inside_the_word(apostrophe: str) -> None:
    tagger = Tagger(_glossary_with(["ПОМ", "ясо", "об"]))
    for word in ("пом{}якшення", "ПОМ{}ЯКШЕННЯ", "м{}ясо", "об{}єкт"):
        text = "слово " + word.format(apostrophe) + " слово"
        assert [m.text for m in tagger.tag(text)] == [], text
    assert [m.text for m in tagger.tag(f"{apostrophe}ПОМ{apostrophe} і об{apostrophe}s")] == ["ПОМ", "об"]


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


@pytest.mark.parametrize(("text", "span", "alias"), [
    ("the MON-50 's casing", "MON-50", "MON-50"),
    ("(MON-50's)", "MON-50's", "MON-50"),
    ("the MON 50's casing", "MON 50's", "MON-50"),
    ("the 9M27K's fuse", "9M27K's", "9M27K"),
    # in Cyrillic letters: the Russian alias takes no English ending, the Latin one it looks like does
    ("the 9\u041c27\u041a's fuse", "9\u041c27\u041a's", "9M27K"),
    ("the 9\u041c27\u041a fuse", "9\u041c27\u041a", "9\u041c27\u041a"),
])
def test_possessive_found_without_a_key_of_its_own(bundled: Tagger, text: str, span: str, alias: str) -> None:
    """Most spellings have no automaton key for "'s": the hit of the spelling alone is extended."""
    assert [(m.text, m.alias) for m in bundled.tag(text)] == [(span, alias)]


def test_variant_letter_is_its_own_entry(mini: Tagger) -> None:
    assert found(mini, "PFM-1S") == [("PFM-1S", "pfm-1s")]
    assert found(mini, "PFM-1s") == [("PFM-1s", "pfm-1")]
    assert found(mini, "PFM-1ss") == []


# Rule 7: case-sensitive and context-gated aliases.
def test_case_sensitive_alias(mini: Tagger) -> None:
    assert found(mini, "Adam fired an ADAM round") == [("ADAM", "adam")]
    assert found(mini, "adam and Adam") == []


def test_case_sensitive_alias_takes_only_a_lowercase_plural(mini: Tagger) -> None:
    assert found(mini, "two ADAMs were fired") == [("ADAMs", "adam")]
    assert found(mini, "the ADAM's casing") == [("ADAM's", "adam")]
    assert found(mini, "ADAMS, JOHN, DEFENDANT") == []
    assert found(mini, "ANTI-PERSONNEL MINES") == [("ANTI-PERSONNEL MINES", "anti-personnel-mine")]


def test_ambiguous_alias_needs_context(mini: Tagger) -> None:
    assert found(mini, "He hung a claymore above the fireplace.") == []
    assert found(mini, "A Claymore mine was rigged.") == [("Claymore", "claymore")]
    assert found(mini, "Sappers found a Claymore; the mines were old.") == [("Claymore", "claymore")]


def test_context_window_is_limited(mini: Tagger) -> None:
    far = "Claymore " + "word " * 9 + "mine"
    assert found(mini, far, context="sentence") == []
    assert found(mini, far) == [("Claymore", "claymore")]  # the paragraph holds the word
    near = "Claymore " + "word " * 7 + "mine"
    assert found(mini, near, context="sentence") == [("Claymore", "claymore")]


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
PLANTS = [
    "MON-50", "mon 50", "ПФМ-1", "Lepestok", "PFM-1S", "ADAM", "cluster munition", "МОН‑50",
    "MОN-50", "cluster\r\nmunition", "противопехотными минами", "ле\u0301пестком мина",
]
noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(noise, st.sampled_from(PLANTS)), max_size=6), noise, st.sampled_from(["sentence", "paragraph", "document"]))
def test_span_invariant_with_planted_aliases(mini: Tagger, parts: list[tuple[str, str]], tail: str, scope: str) -> None:
    text, planted = "", []
    for junk, alias in parts:
        text += junk + " "
        planted.append(len(text))
        text += alias + " "
    text += tail
    mentions = mini.tag(text, context=scope)
    ends = [m.end for m in mentions]
    assert ends == sorted(ends)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    for m in mini.tag(text, overlapping=True, context=scope):
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


def test_sentence_scope_stays_in_its_sentence(mini: Tagger) -> None:
    assert found(mini, "The mine was cleared. He hung a claymore above the fireplace.", context="sentence") == []
    assert found(mini, "A claymore, the mine, was found.", context="sentence") == [("claymore", "claymore")]


def test_paragraph_scope_reads_the_neighbouring_sentences(mini: Tagger) -> None:
    assert found(mini, "The mine was cleared. He hung a claymore above the fireplace.") == [("claymore", "claymore")]
    assert found(mini, "He hung a claymore on the wall.\n\nMines were found later.") == []
    assert found(mini, "He hung a claymore on the wall.\r\n \r\nMines were found later.") == []


def test_a_headline_belongs_to_the_paragraph_below(mini: Tagger) -> None:
    text = "«Лепестки» на детской площадке\n\nВ Донецке нашли ПФМ-1 у подъезда."
    assert found(mini, text) == [("Лепестки", "pfm-1"), ("ПФМ-1", "pfm-1")]
    assert found(mini, text, context="sentence") == [("ПФМ-1", "pfm-1")]
    below = "В Донецке нашли мину.\n\nЛепестки у подъезда\n\nДети играли во дворе."
    assert found(mini, below) == []  # a heading joins the paragraph below it, not the one above
    title = "Сапёры: мина у школы\n\nЛепесток лежал под окном."
    assert found(mini, title) == [("Лепесток", "pfm-1")]


def test_a_headline_without_context_stays_untagged(mini: Tagger) -> None:
    text = "Лепестки на детской площадке\n\nДети собирали цветы и лепестки в парке."
    for scope in ("sentence", "paragraph", "document"):
        assert found(mini, text, context=scope) == []


def test_another_entry_counts_only_within_the_sentence(mini: Tagger) -> None:
    text = "He hung a claymore on the wall. Later a MON-50 was named in the report."
    assert found(mini, text) == [("MON-50", "mon-50")]
    assert found(mini, "He saw a claymore and a MON-50.") == [("claymore", "claymore"), ("MON-50", "mon-50")]


def test_document_scope_one_sense_per_discourse(mini: Tagger) -> None:
    text = "Найдена ПФМ-1.\n\nДети нашли лепесток у дороги.\n\nВ саду «Лепестки» лежат."
    assert found(mini, text) == [("ПФМ-1", "pfm-1")]
    assert found(mini, text, context="document") == [("ПФМ-1", "pfm-1"), ("лепесток", "pfm-1"), ("Лепестки", "pfm-1")]
    later = "Дети нашли лепесток у дороги.\n\nПозже там нашли ПФМ-1."
    assert found(mini, later, context="document") == [("лепесток", "pfm-1"), ("ПФМ-1", "pfm-1")]
    other = "Дети нашли лепесток у дороги.\n\nПозже там нашли МОН-50."
    assert found(mini, other, context="document") == [("МОН-50", "mon-50")]


def test_document_scope_looks_ahead_a_bounded_distance(mini: Tagger) -> None:
    from munitag.context import DOCUMENT_CHARS

    filler = "\n\n".join(["Дети играли во дворе."] * (DOCUMENT_CHARS // 20))
    assert len(filler) > DOCUMENT_CHARS
    far = "Лепесток лежал там.\n\n" + filler + "\n\nПФМ-1."
    assert found(mini, far, context="document") == [("ПФМ-1", "pfm-1")]
    behind = "ПФМ-1.\n\n" + filler + "\n\nЛепесток лежал там."
    assert found(mini, behind, context="document") == [("ПФМ-1", "pfm-1"), ("Лепесток", "pfm-1")]


def test_context_scope_is_checked(mini: Tagger) -> None:
    with pytest.raises(ValueError, match="sentence, paragraph, document"):
        mini.tag("PFM-1", context="page")
    with pytest.raises(ValueError, match="sentence, paragraph, document"):
        Tagger(mini.glossary, context="")
    assert Tagger(mini.glossary, context="sentence").tag("The mine. A claymore.") == []


# Inflected Russian and Ukrainian forms (generated when the glossary is compiled).
@pytest.mark.parametrize(
    "form", ["лепестка", "лепестку", "лепестком", "лепестке", "лепестки", "лепестков", "лепесткам", "лепестками", "лепестках"]
)
def test_every_case_of_a_russian_nickname(mini: Tagger, form: str) -> None:
    (m,) = mini.tag(f"Сапёры нашли мину и рядом с {form} оцепили двор.")
    assert (m.text, m.entry.id, m.alias) == (form, "pfm-1", "Лепесток")


@pytest.mark.parametrize("form", ["пелюстки", "пелюстці", "пелюстку", "пелюсткою", "пелюсток", "пелюсткам", "пелюстками", "пелюстках"])
def test_every_case_of_a_ukrainian_nickname(mini: Tagger, form: str) -> None:
    (m,) = mini.tag(f"Сапери знайшли міну, поряд з {form} виставили охорону.")
    assert (m.text, m.entry.id, m.alias) == (form, "pfm-1", "Пелюстка")


@pytest.mark.parametrize(
    "form",
    ["противопехотной мины", "противопехотной мине", "противопехотную мину", "противопехотной миной", "противопехотные мины",
     "противопехотных мин", "противопехотным минам", "противопехотными минами", "противопехотных минах"],
)
def test_every_case_of_a_russian_phrase(mini: Tagger, form: str) -> None:
    text = f"Отчёт о {form.upper()} готов."
    (m,) = mini.tag(text)
    assert (m.text, m.entry.id, m.alias) == (form.upper(), "anti-personnel-mine", "противопехотная мина")


def test_forms_of_an_ambiguous_alias_stay_gated(mini: Tagger) -> None:
    assert found(mini, "Она собрала лепестками роз полную корзину.") == []
    assert found(mini, "Пелюстками троянд прикрасили торт.") == []


def test_a_context_word_inside_an_exception_phrase_does_not_count(mini: Tagger) -> None:
    assert found(mini, "Она скорчила кислую мину и смахнула лепестки со стола.") == []
    assert found(mini, "У него была кислая мина; лепестки роз лежали на столе.") == []
    assert found(mini, "Под кустом нашли мину, а рядом лепестки.") == [("лепестки", "pfm-1")]
    assert found(mini, "Под окном нашли мины, лепестки лежали рядом.") == [("лепестки", "pfm-1")]


# Spelling variants of designations.
@pytest.mark.parametrize("text", ["PFM-1 S", "PFM-1-S", "PFM 1S"])
def test_a_set_off_suffix_letter_joins_the_designation(mini: Tagger, text: str) -> None:
    assert found(mini, f"a {text} here") == [(text, "pfm-1s")]


def test_a_set_off_letter_joins_only_into_an_alias(mini: Tagger) -> None:
    assert found(mini, "a MON-50 B here") == [("MON-50", "mon-50")]
    assert found(mini, "two PFM-1 s") == [("PFM-1", "pfm-1")]  # PFM-1S is case-sensitive


@pytest.mark.parametrize(
    ("text", "entry"),
    [("MОN-50", "mon-50"), ("МOН-50", "mon-50"), ("РFM-1", "pfm-1"), ("ПФM-1", "pfm-1"), ("PFМ-1S", "pfm-1s"), ("Lеpestok", "pfm-1")],
)
def test_look_alike_letters_inside_a_designation_or_mixed_word(mini: Tagger, text: str, entry: str) -> None:
    assert found(mini, f"found: {text}.") == [(text, entry)]


def test_look_alike_folding_never_makes_plain_words_match() -> None:
    tagger = Tagger(_glossary_with(["COP-1", "cop"]))
    assert [m.text for m in tagger.tag("СОР-1 и сор, and a cop")] == ["СОР-1", "cop"]
    assert [m.text for m in tagger.tag("а сoр")] == ["сoр"]  # mixed Cyrillic/Latin word: folded


@pytest.mark.parametrize("gap", ["\n", "\r\n", "\t", "  ", " \n", "\r\n    ", "\u00a0\u00a0", " \t "])
def test_a_gap_between_the_words_of_a_name(mini: Tagger, gap: str) -> None:
    text = f"a cluster{gap}munition and an anti-personnel{gap}mine"
    assert found(mini, text) == [(f"cluster{gap}munition", "cluster-munition"), (f"anti-personnel{gap}mine", "anti-personnel-mine")]


@pytest.mark.parametrize("gap", ["\n\n", "\r\n\r\n", " " * 17])
def test_a_blank_line_or_a_wide_gap_separates_words(mini: Tagger, gap: str) -> None:
    assert found(mini, f"a cluster{gap}munition") == []


@pytest.mark.parametrize("text", ["ле\u0301пестки", "лепестки\u0301", "ле\u00adпестки", "Ле\u0300пестки"])
def test_stress_marks_and_soft_hyphens_inside_a_word(mini: Tagger, text: str) -> None:
    assert found(mini, f"Мина и {text} рядом.") == [(text, "pfm-1")]


def test_soft_hyphen_joins_words_it_stands_between(mini: Tagger) -> None:
    assert found(mini, "AMON\u00ad50 and X\u00adMON-50") == []
    assert found(mini, "MON\u00ad50") == [("MON\u00ad50", "mon-50")]


# Scan cost: what a hit costs once its key group and surface were seen.
def test_a_hit_is_resolved_once_per_key_group_and_surface(mini: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fold`` runs once per distinct (key group, surface), not once per hit, and a word in a
    case its alias refuses (``adam`` for the case-sensitive ``ADAM``) never leaves the scan."""
    from munitag import matcher

    tagger = Tagger(mini.glossary)  # a fresh memo; built (folding aliases) before fold is counted
    calls: list[str] = []
    monkeypatch.setattr(matcher, "fold", lambda text: calls.append(text) or fold(text))
    text = "adam and Adam, an ADAM round. " * 50
    assert found(tagger, text) == [("ADAM", "adam")] * 50
    assert sorted(set(calls)) == sorted(calls) == ["ADAM", "Adam", "adam"]
    assert [hit[3] for hit in tagger._hits(text, 0, len(text), Cues())] == ["ADAM"] * 50


def test_a_full_resolution_memo_starts_afresh(mini: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    from munitag import matcher

    monkeypatch.setattr(matcher, "_RESOLVED", 3)
    text = " ".join(["PFM-1", "pfm-1", "Pfm-1", "pFm-1", "ADAM", "adam", "Lepestok", "MON 50", "mon-50", "ПФМ-1"] * 3)
    tagger = Tagger(mini.glossary)
    assert found(tagger, text) == found(mini, text)
    assert len(tagger._resolved) <= 3


def test_context_words_keep_no_copy_of_their_block(mini: Tagger) -> None:
    """A context word found in a block of text as it is is kept as its place in the text, so a
    long text does not keep every scanned block's copy alive until it is tagged; decisions hold."""
    from munitag import matcher

    paragraph = "A Claymore mine was rigged. He hung a claymore above the fireplace.\n\n"
    repeats = 3 * matcher._BLOCK // len(paragraph)
    text = paragraph * repeats
    cues = Cues()
    hits = list(mini._hits(text, 0, len(text), cues))
    assert hits and not cues.squeezed
    assert [text[at : at + 4] for at in cues.starts] == ["mine"] * repeats
    assert found(mini, text) == found(mini, paragraph) * repeats
    assert found(mini, text, context="sentence") == [("Claymore", "claymore")] * repeats


def test_a_pickled_tagger_leaves_its_resolution_memo_behind(mini: Tagger) -> None:
    """Workers and Spark executors get a pickled Tagger: it carries no memo and tags alike."""
    import pickle

    text = "PFM-1 and pfm-1, an ADAM round, MON 50"
    tagger = Tagger(mini.glossary)
    before = found(tagger, text)
    assert tagger._resolved
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy._resolved == {} and tagger._resolved
    assert found(copy, text) == before


def test_a_context_word_on_the_mentions_line_settles_it_without_the_paragraph(mini: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    from munitag import context

    areas: list[tuple[int, int]] = []
    paragraph_area = context.paragraph_area
    monkeypatch.setattr(context, "paragraph_area", lambda text, start, end: areas.append((start, end)) or paragraph_area(text, start, end))
    assert found(mini, "Sappers found a Claymore mine by the road.") == [("Claymore", "claymore")]
    assert areas == []
    assert found(mini, "a mine\nSappers found a Claymore by the road.") == [("Claymore", "claymore")]
    assert len(areas) == 1  # the word is on another line: the paragraph decides


_WORDS = st.lists(
    st.sampled_from(["Claymore", "claymore", "mine", "mines", "MON-50", "the road", "Title", ".", ",", " ", "\n", "\n\n", "\n \n", "\r\n", "\t"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.sampled_from(["paragraph", "document"]))
def test_the_line_shortcut_decides_as_the_paragraph_does(mini: Tagger, words: list[str], scope: str) -> None:
    """Ambiguous mentions are decided alike with and without looking at their own line first."""
    from munitag import context

    text = " ".join(words)
    fast = [(m.start, m.end, m.entry.id) for m in mini.tag(text, context=scope)]
    line = context._line
    context._line = lambda text, start, end: (start, start)  # an empty line: the paragraph always decides
    try:
        assert [(m.start, m.end, m.entry.id) for m in mini.tag(text, context=scope)] == fast
    finally:
        context._line = line


def test_a_mention_is_one_small_frozen_object(mini: Tagger) -> None:
    """Large texts make many mentions: each is one object with slots (no ``__dict__``), still
    frozen and picklable."""
    import dataclasses
    import pickle

    (m,) = mini.tag("a Lepestok")
    assert not hasattr(m, "__dict__")
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 3  # type: ignore[misc]
    rebuilt = Mention(m.start, m.end, m.text, m.entry, m.alias)  # tag sets the slots without __init__
    assert m == rebuilt and hash(m) == hash(rebuilt) and repr(m) == repr(rebuilt) and m.to_dict() == rebuilt.to_dict()
