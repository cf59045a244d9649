"""The spaCy component: spans on the raw text, the ents merge rule, metadata and serialisation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import munitag
from munitag import Tagger
from munitag.errors import GlossaryError
from munitag.spacy_component import align

from .conftest import FIXTURE_GLOSSARY, readme_section, run_doctests

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


_LOAD_AND_TAG = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
print(json.dumps([(e.text, e.kb_id_) for e in nlp(sys.argv[2]).ents], ensure_ascii=False))
nlp.initialize()  # keeps the glossary from_disk read
print(json.dumps([(e.text, e.kb_id_) for e in nlp(sys.argv[2]).ents], ensure_ascii=False))
"""


def test_a_saved_pipeline_loads_without_its_glossary_directory(tmp_path: Path) -> None:
    """The glossary travels inside the saved pipeline: the configured directory may be gone."""
    copy = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, copy)
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"glossary": str(copy)})
    nlp.initialize()
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(copy)
    text = "A PFM-1 and a MON-50 near a TM-62."  # TM-62 is in the bundled glossary, not the saved one
    package_root = str(Path(munitag.__file__).parents[1])  # the munitag under test, installed or not
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_TAG, str(tmp_path / "pipeline"), text], capture_output=True, text=True, check=False, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line) for line in proc.stdout.splitlines()] == [[["PFM-1", "pfm-1"], ["MON-50", "mon-50"]]] * 2


def test_the_glossary_is_loaded_by_initialize_or_on_first_use(tmp_path: Path, bundled: Tagger) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"glossary": str(tmp_path / "missing")})  # creating it reads nothing
    with pytest.raises(GlossaryError):
        nlp.initialize()
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"glossary": str(tmp_path / "missing")})
    nlp.config["initialize"]["components"]["munitag"] = {"glossary": str(FIXTURE_GLOSSARY)}
    nlp.initialize()  # the [initialize] setting wins over the factory's
    assert [e.kb_id_ for e in nlp("A PFM-1 and a TM-62.").ents] == ["pfm-1"]
    lazy = spacy.blank("en")
    component = lazy.add_pipe("munitag")
    assert [e.kb_id_ for e in lazy("A PFM-1 and a TM-62.").ents] == ["pfm-1", "tm-62"]  # no initialize: loaded on first use
    assert len(component.tagger) == len(bundled)


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


def test_include_filter_in_the_config(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"glossary": str(FIXTURE_GLOSSARY), "include": {"category": ["anti-personnel-mine"], "origin": ["US"]}})
    text = "A PFM-1, a Claymore mine, ADAM mines and anti-personnel mines."
    doc = nlp(text)
    assert [e.kb_id_ for e in doc.ents] == ["claymore"]  # PFM-1 is Soviet, ADAM no landmine, the term has no origin
    assert [s.kb_id_ for s in doc.spans["munitag"]] == ["claymore"]
    nlp.to_disk(tmp_path / "pipeline")
    assert "[components.munitag.include]" in (tmp_path / "pipeline" / "config.cfg").read_text(encoding="utf-8")
    assert [e.kb_id_ for e in spacy.load(tmp_path / "pipeline")(text).ents] == ["claymore"]  # the setting is saved
    with pytest.raises(munitag.FilterError, match="unknown category 'mines'"):
        spacy.blank("en").add_pipe("munitag", config={"include": {"category": ["mines"]}})("A PFM-1.")


def test_candidates_are_opt_in_and_never_entities() -> None:
    text = "The team found PMN-2 and PMN-4M mines."
    plain = spacy.blank("en")
    plain.add_pipe("munitag")
    doc = plain(text)
    assert "munitag_candidates" not in doc.spans and "candidates" not in doc.user_data["munitag"]
    nlp = spacy.blank("en")
    nlp.add_pipe("munitag", config={"candidates": True})
    doc = nlp(text)
    assert [(s.text, s.label_) for s in doc.spans["munitag_candidates"]] == [("PMN-4M", "CANDIDATE")]
    assert [e.text for e in doc.ents] == ["PMN-2"]
    assert [(c["text"], c["kind"], c["variant_of"]) for c in doc.user_data["munitag"]["candidates"]] == [("PMN-4M", "candidate", "pmn-4")]


def _with_ents(**config: object) -> Language:
    """An entity ruler sets one entity longer than munitag's span it overlaps and one shorter."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PRODUCT", "pattern": "PFM-1 and a"}, {"label": "NORP", "pattern": "personnel"}])
    nlp.add_pipe("munitag", config=config)
    return nlp


ENTS_TEXT = "A PFM-1 and a MON-50 mine near anti-personnel mines."


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, ["PFM-1 and a", "personnel"]),
        ({"ents_filter": "keep-existing"}, ["PFM-1 and a", "personnel"]),
        ({"ents_filter": "longest"}, ["PFM-1", "anti-personnel mines"]),
        ({"overwrite_ents": True}, ["PFM-1", "anti-personnel mines"]),
        ({"ents_filter": "filter_spans"}, ["PFM-1 and a", "anti-personnel mines"]),  # the longer span wins, whoever set it
        ({"ents_filter": {"@misc": "spacy.prioritize_new_ents_filter.v1"}}, ["PFM-1", "anti-personnel mines"]),  # SpanRuler's filters
    ],
)
def test_ents_filter_choices(config: dict[str, object], expected: list[str]) -> None:
    doc = _with_ents(**config)(ENTS_TEXT)
    ents = [e.text for e in doc.ents]
    assert [t for t in ents if t != "MON-50 mine" and t != "MON-50"] == expected
    assert any(t.startswith("MON-50") for t in ents)  # overlapping nothing, it is kept whatever the filter


def test_annotate_ents_false_leaves_the_entities_alone() -> None:
    doc = _with_ents(annotate_ents=False, ents_filter="longest")(ENTS_TEXT)
    assert [e.text for e in doc.ents] == ["PFM-1 and a", "personnel"]
    assert [s.kb_id_ for s in doc.spans["munitag"]][:2] == ["pfm-1", "mon-50"]


def test_conflicting_or_unknown_ents_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="overwrite_ents=True means ents_filter='longest'"):
        spacy.blank("en").add_pipe("munitag", config={"overwrite_ents": True, "ents_filter": "filter_spans"})
    with pytest.raises(ValueError, match="ents_filter must be one of"):
        spacy.blank("en").add_pipe("munitag", config={"ents_filter": "newest"})


def test_spans_carry_the_entry_id_as_id_and_kb_id() -> None:
    doc = _with_ents(ents_filter="longest")(ENTS_TEXT)
    assert [(s.id_, s.kb_id_) for s in doc.spans["munitag"]][:2] == [("pfm-1", "pfm-1"), ("mon-50", "mon-50")]
    assert {e.id_ for e in doc.ents} >= {"pfm-1", "mon-50"}


def test_declared_assigns_labels_and_scores() -> None:
    nlp = spacy.blank("en")
    component = nlp.add_pipe("munitag", config={"glossary": str(FIXTURE_GLOSSARY)})
    summary = nlp.analyze_pipes()["summary"]["munitag"]
    assert component.labels == ()  # nothing loaded yet
    nlp.initialize()
    assert {"doc.ents", "doc.spans", "span._.munitag"} <= set(summary["assigns"]) and "ents_f" in summary["scores"]
    assert component.labels == tuple(sorted({e.category for e in Tagger(FIXTURE_GLOSSARY).glossary}))
    assert spacy.blank("en").add_pipe("munitag", config={"label_scheme": "fixed", "label": "WEAPON"}).labels == ("WEAPON",)


def test_nlp_evaluate_reports_precision_recall_and_f() -> None:
    from spacy.training import Example

    nlp = spacy.blank("en")
    nlp.add_pipe("munitag")
    text = "A PFM-1 and a Claymore near Donetsk."
    gold = nlp.make_doc(text)
    gold.ents = [gold.char_span(2, 7, label="ap-blast-mine"), gold.char_span(28, 35, label="GPE")]  # one found, one missed
    gold.spans["munitag"] = [gold.char_span(2, 7, label="ap-blast-mine")]
    scores = nlp.evaluate([Example(nlp.make_doc(text), gold)])
    found = [e.text for e in nlp(text).ents]
    assert found == ["PFM-1", "Claymore"]  # one right, one the gold does not have
    assert (scores["ents_p"], scores["ents_r"], scores["ents_f"]) == (0.5, 0.5, 0.5)
    assert scores["ents_per_type"]["ap-blast-mine"] == {"p": 1.0, "r": 1.0, "f": 1.0}
    assert (scores["spans_munitag_p"], scores["spans_munitag_r"]) == (0.5, 1.0)


def test_readme_spacy_conventions_example_runs() -> None:
    """The ``>>>`` example of the README's spaCy section (ents_filter, labels, nlp.evaluate)."""
    import re

    section = readme_section("### spaCy", "### Annotation formats")
    run_doctests("\n".join(re.findall(r"```python\n(>>>.*?)```", section, re.DOTALL)))
