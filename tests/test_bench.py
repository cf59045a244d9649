"""The benchmark's own parts: a deterministic corpus and an honest comparison of results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import DECOYS, corpus
from bench.run import explain, gated_spellings
from munitag import Tagger


def test_corpus_is_deterministic_and_sized() -> None:
    aliases = ["PFM-1", "MON-50", "Лепесток"]
    first = corpus(200_000, aliases, seed=5)
    assert first == corpus(200_000, aliases, seed=5)
    assert first != corpus(200_000, aliases, seed=6)
    assert 200_000 <= len(first) < 210_000
    assert any(c in first for c in "абвгд") and any(d in first for d in DECOYS)


def test_corpus_plants_about_one_mention_per_2kb(bundled: Tagger) -> None:
    aliases = sorted({a.text for e in bundled.glossary for a in e.aliases if not a.ambiguous and not a.case_sensitive})
    text = corpus(1_000_000, aliases)
    found = len(bundled.tag(text))
    assert 300 < found < 900, found
    assert not any(m.text.upper() in ("MON-500", "AMON-50") for m in bundled.tag(text))


def test_explain_names_a_cause_for_each_difference(bundled: Tagger) -> None:
    text = "He cleaned his M16 rifle. Виноградник. A MON\u201350 and two PFM-1s."
    munitag = [(m.start, m.end) for m in bundled.tag(text)]
    m16 = (text.index("M16"), text.index("M16") + 3)
    inside = (text.index("град"), text.index("град") + 4)
    pfm = text.index("PFM-1")
    other = [m16, inside, (pfm, pfm + 5)]  # no MON-50 (dash not folded), PFM-1 without the plural
    causes = explain(text, munitag, other, gated_spellings(bundled.glossary))
    assert causes == {
        "extra: case-sensitive or context-gated alias (look-alike)": 1,
        "extra: inside a longer word (e.g. Cyrillic without Unicode boundaries)": 1,
        "found by both, different extent (plural/possessive, longer name, tokens)": 2,
        "missed: needs folding (Unicode dash, no-break space, line break, ’, ё)": 1,
    }


def test_real_text_gold_is_well_formed(bundled: Tagger) -> None:
    from bench.recall import load

    texts = load()
    assert {t["lang"] for t in texts} == {"en", "ru", "uk"}
    for item in texts:
        assert item["source"].startswith(("http://", "https://"))
        ends = [-1]
        for m in item["mentions"]:
            assert item["text"][m["start"] : m["end"]] == m["text"]
            assert m["start"] >= ends[-1] and m["id"] in bundled.glossary, (item["id"], m)
            ends.append(m["end"])


def test_real_text_recall_and_precision(bundled: Tagger) -> None:
    """Real reporting (bench/realtext): the paragraph scope finds more than the sentence scope
    and stays precise; the floors guard against regressions of the matcher or glossary."""
    from bench.recall import evaluate, load

    texts = load()
    scores = {}
    for scope in ("sentence", "paragraph"):
        counts = evaluate(bundled, texts, scope)["by_lang"]["all"]
        scores[scope] = (counts["overlap"] / counts["gold"], counts["correct"] / counts["tagged"])
    assert scores["paragraph"][0] > scores["sentence"][0]
    assert scores["paragraph"][0] >= 0.80 and scores["paragraph"][1] >= 0.93, scores


def test_the_cost_curves_need_no_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import scale

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed: importing it fails
    assert scale.plot({"glossaries": [], "cores": [], "machine": {"cpus": 2}}, tmp_path / "scale.png") is False
    assert not (tmp_path / "scale.png").exists()


def test_the_instruction_count_needs_valgrind_and_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import instructions

    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    assert instructions.main([]) == 2
    assert "needs valgrind" in capsys.readouterr().err


def test_the_instruction_count_is_read_from_valgrinds_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bench import instructions

    summary = "==1== \n==1== I   refs:      1,853,776,894\n"
    monkeypatch.setattr(instructions.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", summary))
    assert instructions.instructions("raw", 1, tmp_path / "corpus.txt") == 1_853_776_894
    monkeypatch.setattr(instructions.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", "valgrind: oops"))
    with pytest.raises(RuntimeError, match="no instruction count"):
        instructions.instructions("raw", 1, tmp_path / "corpus.txt")
