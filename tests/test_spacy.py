"""The spaCy component: spans on the raw text, the ents merge rule, metadata and serialisation."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from munitag import Tagger
from munitag.spacy_component import align

from .conftest import FIXTURE_GLOSSARY

TEXTS = [
    "Sappers found a PFM-1 «Лепесток», two MON‑50s and anti-personnel mines near the road.",
    "Найдены мины ПФМ-1 и МОН-50; в селе — «Лепестки».",
    "Сапери знайшли протипіхотні міни ПФМ-1 та «Пелюстку» біля ТМ-62М.",
    "Cluster munitions (BLU-97/B, M77) and the PFM-1/MON-50 pair; ADAM mines.",
]


@pytest.fixture(scope="module", params=["en", "ru", "uk"])
def nlp(request: pytest.FixtureRequest) -> Language:
    pipeline = spacy.blank(request.param)
    pipeline.add_pipe("munitag")  # found through the spacy_factories entry point
    return pipeline


@pytest.mark.parametrize("text", TEXTS)
def test_every_mention_is_a_span(nlp: Language, bundled: Tagger, text: str) -> None:
    doc = nlp(text)
    mentions = bundled.tag(text, overlapping=True)
    assert mentions
    spans = list(doc.spans["munitag"])
    assert len(spans) == len(mentions) - len(doc.user_data["munitag"]["unaligned"])
    for m, span in zip(mentions, spans):
        assert span.kb_id_ == m.entry.id and span.label_ == m.entry.category
        assert span.start_char <= m.start and m.end <= span.end_char
        assert span._.munitag["name"] == m.entry.name
    chosen = bundled.tag(text)
    ents = [(e.start_char, e.end_char, e.kb_id_) for e in doc.ents]
    assert all(any(s <= m.start and m.end <= e and i == m.entry.id for s, e, i in ents) for m in chosen if not _shares_token(doc, m, chosen))


def _shares_token(doc, m, chosen) -> bool:  # type: ignore[no-untyped-def]
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return any(o is not m and o.start < span.end_char and span.start_char < o.end for o in chosen)


def test_expanded_spans_are_counted() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag")
    doc = nlp("The PFM-1,MON-50 pair.")
    assert [t.text for t in doc][1] == "PFM-1,MON-50"  # one token holds both mentions
    assert doc.user_data["munitag"]["expanded"] == 2
    assert len(doc.spans["munitag"]) == 2 and len(doc.ents) == 1  # overlapping after expansion: the first


def test_unaligned_mentions_are_counted_not_dropped(bundled: Tagger) -> None:
    class NoTokens:
        def char_span(self, *args: object, **kwargs: object) -> None:
            return None

    mentions = bundled.tag("a PFM-1 and a MON-50")
    spans, unaligned, expanded = align(NoTokens(), mentions, lambda e: e.category)  # type: ignore[arg-type]
    assert (spans, unaligned, expanded) == ([], mentions, 0)


def _with_existing_ent(overwrite: bool) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PRODUCT", "pattern": [{"LOWER": "pfm-1"}]}, {"label": "GPE", "pattern": "Donetsk"}])
    nlp.add_pipe("munitag", config={"overwrite_ents": overwrite})
    return nlp


def test_existing_entities_win_by_default() -> None:
    doc = _with_existing_ent(False)("A PFM-1 and a MON-50 near Donetsk.")
    assert [(e.text, e.label_) for e in doc.ents] == [("PFM-1", "PRODUCT"), ("MON-50", "directional-fragmentation-mine"), ("Donetsk", "GPE")]
    assert [s.text for s in doc.spans["munitag"]] == ["PFM-1", "MON-50"]


def test_overwrite_ents_lets_munitag_win() -> None:
    doc = _with_existing_ent(True)("A PFM-1 and a MON-50 near Donetsk.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("PFM-1", "ap-blast-mine", "pfm-1"), ("MON-50", "directional-fragmentation-mine", "mon-50"), ("Donetsk", "GPE", ""),
    ]


@pytest.mark.parametrize(("scheme", "label"), [("category", "ap-blast-mine"), ("root-category", "landmine"), ("kind", "item"), ("fixed", "WEAPON")])
def test_label_schemes(scheme: str, label: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"label_scheme": scheme, "label": "WEAPON"})
    assert [e.label_ for e in nlp("A PFM-1.").ents] == [label]


def test_bad_label_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="label_scheme"):
        spacy.blank("en").add_pipe("munitag", config={"label_scheme": "colour"})


def test_round_trip_through_disk_keeps_the_glossary(tmp_path: Path) -> None:
    nlp = spacy.blank("uk")
    nlp.add_pipe("munitag", config={"glossary": str(FIXTURE_GLOSSARY), "spans_key": "weapons"})
    text = TEXTS[2] + " " + TEXTS[0]
    saved_doc = nlp(text)
    before = [(s.start_char, s.end_char, s.kb_id_, s.label_) for s in saved_doc.spans["weapons"]]
    assert before
    nlp.to_disk(tmp_path / "pipeline")
    moved = tmp_path / "elsewhere"
    (tmp_path / "pipeline").rename(moved)  # the saved glossary travels with the pipeline
    loaded = spacy.load(moved)
    doc = loaded(text)
    assert [(s.start_char, s.end_char, s.kb_id_, s.label_) for s in doc.spans["weapons"]] == before
    assert len(loaded.get_pipe("munitag").tagger.glossary) == len(Tagger(FIXTURE_GLOSSARY).glossary)
    reloaded = loaded.from_bytes(nlp.to_bytes())
    assert [e.kb_id_ for e in reloaded("A PFM-1.").ents] == ["pfm-1"]


@pytest.mark.parametrize(("scope", "expected"), [("sentence", ["ПФМ-1"]), ("paragraph", ["Лепестки", "ПФМ-1"]), ("document", ["Лепестки", "ПФМ-1", "лепестками"])])
def test_context_scope_in_the_config(tmp_path: Path, scope: str, expected: list[str]) -> None:
    nlp = spacy.blank("ru")
    nlp.add_pipe("munitag", config={"glossary": str(FIXTURE_GLOSSARY), "context": scope})
    text = "«Лепестки» во дворе\n\nНайдена ПФМ-1.\n\nДети играли с лепестками у дома."
    assert [e.text for e in nlp(text).ents] == expected
    nlp.to_disk(tmp_path / "pipeline")
    assert [e.text for e in spacy.load(tmp_path / "pipeline")(text).ents] == expected  # the setting is saved


def test_inflected_forms_and_variants_in_spacy(bundled: Tagger) -> None:
    nlp = spacy.blank("uk")
    nlp.add_pipe("munitag")
    doc = nlp("Сапери знешкодили протипіхотними мінами поле, а МОN-50 лежала окремо.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("протипіхотними мінами", "anti-personnel-mine"), ("МОN-50", "mon-50")]


def test_bad_context_is_refused() -> None:
    with pytest.raises(ValueError, match="context"):
        spacy.blank("en").add_pipe("munitag", config={"context": "page"})
