"""``munitag glossary export``: patterns a real spaCy ruler loads and matches with, CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
import json

import pytest
import spacy

from munitag import Tagger
from munitag.cli import main
from munitag.exports import ENTRY_COLUMNS

from .conftest import FIXTURE_GLOSSARY

TEXT = "Sappers found a pfm-1 and a MON-50 near the road; ПФМ-1 и мины МОН-50 тоже."


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["glossary", "export", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
@pytest.mark.parametrize("ruler", ["entity_ruler", "span_ruler"])
def test_patterns_load_into_a_spacy_ruler_and_find_the_names(capsys: pytest.CaptureFixture[str], lang: str, ruler: str) -> None:
    patterns = [json.loads(line) for line in _export(capsys, "--format", "spacy-patterns", "--lang", lang).splitlines()]
    nlp = spacy.blank(lang)
    nlp.add_pipe(ruler, config={"annotate_ents": True} if ruler == "span_ruler" else {}).add_patterns(patterns)
    found = [(e.text, e.label_, e.id_) for e in nlp(TEXT).ents]
    assert found == [
        ("pfm-1", "ap-blast-mine", "pfm-1"), ("MON-50", "directional-fragmentation-mine", "mon-50"),  # LOWER: any letter case
        ("ПФМ-1", "ap-blast-mine", "pfm-1"), ("МОН-50", "directional-fragmentation-mine", "mon-50"),
    ]


def test_patterns_leave_out_ambiguous_aliases_and_keep_case_sensitive_ones_exact(capsys: pytest.CaptureFixture[str]) -> None:
    tagger = Tagger(FIXTURE_GLOSSARY)
    patterns = [json.loads(line) for line in _export(capsys, "--glossary", str(FIXTURE_GLOSSARY), "--format", "spacy-patterns").splitlines()]
    texts = {" ".join(next(iter(t.values())) for t in p["pattern"]) for p in patterns}
    ambiguous = {a.text.lower() for e in tagger.glossary for a in e.aliases if a.ambiguous}
    assert ambiguous and not ambiguous & texts
    exact = [(e.id, a.text) for e in tagger.glossary for a in e.aliases if a.case_sensitive and not a.ambiguous]
    assert exact
    for entry_id, text in exact:
        pattern = next(p["pattern"] for p in patterns if p["id"] == entry_id and "ORTH" in p["pattern"][0])
        assert "".join(t["ORTH"] for t in pattern) == text.replace(" ", "")


def test_csv_export_reads_back_with_the_csv_module(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(capsys, "--format", "csv"))))
    assert tuple(rows[0]) == ENTRY_COLUMNS
    pfm = [r for r in rows if r["id"] == "pfm-1"]
    assert {"PFM-1", "ПФМ-1"} <= {r["alias"] for r in pfm}
    assert pfm[0]["origin"] == "SU" and pfm[0]["category"] == "ap-blast-mine"
    total = sum(len(e.aliases) for e in Tagger().glossary)
    assert len(rows) == total


def test_jsonl_export_with_a_filter(capsys: pytest.CaptureFixture[str]) -> None:
    entries = [json.loads(line) for line in _export(capsys, "--format", "jsonl", "--category", "landmine", "--origin", "SU").splitlines()]
    assert "pfm-1" in {e["id"] for e in entries} and "mon-50" in {e["id"] for e in entries}
    assert all(e["origin"] == ["SU"] or "SU" in e["origin"] for e in entries)
    assert all(e["kind"] == "item" for e in entries)


def test_unknown_spacy_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "export", "--format", "spacy-patterns", "--lang", "qq"]) == 2
    assert "spaCy has no language 'qq'" in capsys.readouterr().err
