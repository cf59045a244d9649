"""Discover and candidate mentions: the evaluation corpus, look-alikes, offsets, output and the CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from munitag import Tagger
from munitag.candidates import Candidate, slug
from munitag.cli import main
from munitag.discover import Discovery, command
from munitag.enrich import enrich_line
from munitag.lint import lint_glossary, plain_sentence
from munitag.validate import check_glossary

from .conftest import FIXTURE_GLOSSARY

EVAL = Path(__file__).resolve().parents[1] / "bench" / "discover"
GOLD = json.loads((EVAL / "gold.json").read_text(encoding="utf-8"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted((EVAL / "texts").glob("*.txt"))}


@pytest.fixture(scope="module")
def records(bundled: Tagger) -> list[dict]:
    discovery = Discovery(bundled)
    for name, text in TEXTS.items():
        discovery.add_text(text, name)
    return discovery.records()


def _found(records: list[dict]) -> set[str]:
    return {slug(form) for r in records for form in r["forms"]}


def test_the_corpus_is_what_it_claims(bundled: Tagger) -> None:
    finder = bundled.finder()
    assert len(GOLD["traps"]) >= 30
    for planted in GOLD["planted"]:
        assert not finder.is_known(planted) and not finder.is_lookalike(planted), planted
        assert any(planted in text for text in TEXTS.values()), planted
    for trap in GOLD["traps"]:
        assert any(trap in text for text in TEXTS.values()), trap


def test_recall_on_planted_designations(records: list[dict]) -> None:
    planted = {slug(p) for p in GOLD["planted"]}
    assert len(planted & _found(records)) >= 0.9 * len(planted)


def test_no_lookalike_among_candidates(records: list[dict]) -> None:
    assert _found(records) & {slug(t) for t in GOLD["traps"]} == set()
    assert _found(records) <= {slug(p) for p in GOLD["planted"]}  # precision: nothing unplanted either


def test_snippets_show_the_text_at_their_offsets(records: list[dict]) -> None:
    for record in records:
        assert 1 <= len(record["contexts"]) <= 3
        for c in record["contexts"]:
            text = TEXTS[c["file"]]
            assert text[c["start"] : c["end"]] == c["text"]
            assert text[c["start"] - len(c["left"]) : c["start"]] == c["left"]
            assert text[c["end"] : c["end"] + len(c["right"])] == c["right"]


def test_a_record_guesses_variant_family_and_category(records: list[dict]) -> None:
    by_text = {r["text"]: r for r in records}
    pmn = by_text["PMN-4M"]
    assert (pmn["variant_of"], pmn["family"], pmn["kind"]) == ("pmn-4", "pmn-series", "item")
    assert pmn["category"] == "ap-blast-mine"
    assert by_text["ОЗМ-160"]["family"] == "ozm-series"
    assert by_text["TM-83"]["category"] == "anti-vehicle-mine"  # from "anti-tank" beside it
    assert pmn["command"].startswith("munitag glossary new pmn-4m --name PMN-4M --category ap-blast-mine")
    assert by_text["Жаба"]["command"] == "munitag glossary new zhaba --name Zhaba --category landmine --lang uk --alias 'Жаба'"


def test_streaming_in_small_pieces_gives_the_same_records(bundled: Tagger) -> None:
    text = "\n\n".join(TEXTS.values()) * 12
    whole, pieces = Discovery(bundled), Discovery(bundled)
    whole.add_text(text, "t")
    pieces.add_chunks((text[i : i + 97] for i in range(0, len(text), 97)), "t", window=300)
    assert pieces.records() == whole.records()
    for record in whole.records():
        for c in record["contexts"]:
            assert text[c["start"] : c["end"]] == c["text"]


def test_streamed_candidates_equal_whole_text_candidates(bundled: Tagger) -> None:
    text = "\n\n".join(TEXTS.values()) * 40
    segments = list(bundled.tag_segments((text[i : i + 1000] for i in range(0, len(text), 1000)), window=50, candidates=True))
    assert len(segments) > 20 and "".join(s.text for s in segments) == text
    assert [m for s in segments for m in s.mentions] == bundled.tag(text, candidates=True)


def test_min_count_and_top(bundled: Tagger) -> None:
    discovery = Discovery(bundled)
    discovery.add_text("PMN-2 and PMN-4M mines. PMN-2 and PMN-4M mines. Anti-tank mines TM-83 were found.", "a")
    assert [r["text"] for r in discovery.records(min_count=2)] == ["PMN-4M"]
    assert [r["text"] for r in discovery.records(top=1)] == ["PMN-4M"]
    assert discovery.records()[0]["count"] == 2


@pytest.mark.parametrize("lookalike", [x for x in Tagger().glossary.lookalikes if not x.text.endswith("*")], ids=lambda x: x.text)
def test_no_lookalike_is_tagged_or_proposed(bundled: Tagger, lookalike) -> None:
    plain = plain_sentence(lookalike.text)
    assert bundled.tag(plain) == []
    loaded = f"Deminers found mines next to the {lookalike.text} and cleared them."
    assert not [c for c in bundled.tag(loaded, candidates=True) if isinstance(c, Candidate)]


def test_default_output_never_holds_candidates(bundled: Tagger) -> None:
    text = TEXTS["en.txt"]
    assert all(not isinstance(m, Candidate) for m in bundled.tag(text))
    assert all(not isinstance(m, Candidate) for m in bundled.tag_stream([text]))
    assert list(bundled.tag_stream([text[:500], text[500:]], candidates=True)) == bundled.tag(text, candidates=True)
    mixed = bundled.tag(text, candidates=True)
    candidates = [m for m in mixed if isinstance(m, Candidate)]
    assert candidates and [m for m in mixed if not isinstance(m, Candidate)] == bundled.tag(text)
    assert [(m.start, -m.end) for m in mixed] == sorted((m.start, -m.end) for m in mixed)
    for c in candidates:
        assert text[c.start : c.end] == c.text
        d = c.to_dict()
        assert d["kind"] == "candidate" and d["id"] is None and 0.5 <= d["score"] <= 1
        assert set(d) - {"score"} == set(bundled.tag("PFM-1")[0].to_dict())


def test_single_letter_designations_need_strong_evidence(bundled: Tagger) -> None:
    def kinds(text: str) -> list[str]:
        return [m.text for m in bundled.tag(text, candidates=True) if isinstance(m, Candidate)]

    assert kinds("Deminers cleared mines near A4 in the morning.") == []
    assert kinds("Deminers cleared A4 mines in the morning.") == ["A4"]


def test_cli_tag_and_enrich_candidates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("The team found PMN-2 and PMN-4M mines.\n", encoding="utf-8")
    assert main(["tag", "--format", "jsonl", str(source)]) == 0
    plain = json.loads(capsys.readouterr().out)["mentions"]
    assert [m["kind"] for m in plain] == ["item"]
    assert main(["tag", "--format", "jsonl", "--candidates", str(source)]) == 0
    mentions = json.loads(capsys.readouterr().out)["mentions"]
    assert [(m["text"], m["kind"], m["id"]) for m in mentions] == [("PMN-2", "item", "pmn-2"), ("PMN-4M", "candidate", None)]
    assert main(["tag", "--candidates", str(source)]) == 2
    assert "--candidates needs --format jsonl" in capsys.readouterr().err
    line = b'{"text": "The team found PMN-2 and PMN-4M mines."}\n'
    tagger = Tagger()
    assert [m["kind"] for m in json.loads(enrich_line(tagger, line, "text", "m")[0])["m"]] == ["item"]
    assert [m["kind"] for m in json.loads(enrich_line(tagger, line, "text", "m", candidates=True)[0])["m"]] == ["item", "candidate"]


def test_cli_discover_formats_and_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EVAL / "texts" / name) for name in TEXTS]
    assert main(["discover", "--format", "jsonl", *files]) == 0
    serial = capsys.readouterr().out
    assert main(["discover", "--format", "jsonl", "--jobs", "2", *files]) == 0
    assert capsys.readouterr().out == serial
    rows = [json.loads(line) for line in serial.splitlines()]
    assert {"text", "count", "documents", "score", "kind", "category", "family", "variant_of", "contexts", "command"} <= set(rows[0])
    assert main(["discover", "--format", "csv", "--top", "2", *files]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["text"] for r in table] == [r["text"] for r in rows[:2]]
    assert json.loads(table[0]["contexts"]) == rows[0]["contexts"]
    assert main(["discover", *files]) == 0
    assert rows[0]["text"] in capsys.readouterr().out
    assert main(["discover", str(EVAL / "missing.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_command_is_shell_quoted() -> None:
    assert command(["Type 84B"], "designation", None, "ru", ()) == "munitag glossary new type-84b --name 'Type 84B'"
    line = command(["ПТМ-4М", "PTM-4M"], "designation", "anti-vehicle-mine", "uk", ("SU",))
    assert line == "munitag glossary new ptm-4m --name PTM-4M --category anti-vehicle-mine --origin SU --lang uk --alias 'ПТМ-4М'"


@pytest.fixture()
def gdir(tmp_path: Path) -> Path:
    target = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, target)
    return target


def _codes(gdir: Path, text: str) -> list[tuple[int, str]]:
    (gdir / "lookalikes.yml").write_text(text, encoding="utf-8")
    return [(p.line, p.code) for p in check_glossary(gdir).problems]


def test_lookalikes_are_optional_loaded_and_cached(gdir: Path) -> None:
    assert Tagger(gdir).glossary.lookalikes == ()
    (gdir / "lookalikes.yml").write_text("rifles:\n  - AK-47\n  - text: T-72\n    note: a tank\n", encoding="utf-8")
    first = Tagger(gdir).glossary.lookalikes
    assert [(x.text, x.group, x.note) for x in first] == [("AK-47", "rifles", None), ("T-72", "rifles", "a tank")]
    assert Tagger(gdir).glossary.lookalikes == first  # from the cache this time
    assert Tagger(gdir).finder().is_lookalike("ak 47")


def test_lookalike_shape_repeats_and_collisions(gdir: Path) -> None:
    assert _codes(gdir, "rifles: AK-47\n") == [(1, "G080")]
    assert _codes(gdir, "rifles:\n  - text: AK-47\n    source: not a url\n") == [(2, "G080")]
    assert _codes(gdir, "rifles:\n  - '-'\n  - text: x\n    colour: red\n") == [(2, "G080"), (3, "G080")]
    assert _codes(gdir, "rifles:\n  - AK-47\n  - ak 47\n") == [(3, "G081")]
    assert _codes(gdir, "mines:\n  - MON 50\n  - PFM-*\n  - Su-*\n") == [(2, "G082"), (3, "G082")]
    assert _codes(gdir, "aircraft:\n  - Su-*\n  - SU-25\n") == []


def test_lint_runs_lookalikes_through_the_tagger(gdir: Path) -> None:
    (gdir / "lookalikes.yml").write_text("rifles:\n  - AK-47\n  - PFM-1 Mod\n", encoding="utf-8")
    problems = [(p.line, p.code) for p in lint_glossary(gdir)]
    assert problems == [(3, "G083")]


def test_bundled_lookalikes_pass_lint(bundled: Tagger) -> None:
    assert len(bundled.glossary.lookalikes) >= 100
    assert [p for p in lint_glossary(bundled.glossary.path) if p.code.startswith("G08")] == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Deminers found PMN-4M mines.", "PMN-4M"),
        ("Саперы нашли мины ОЗМ-160.", "ОЗМ-160"),
        ("The TM-62P7 mines were cleared.", "TM-62P7"),
        ("The 9N239 bomblets were found.", "9N239"),
        ("The 3B31 submunitions were found.", "3B31"),
        ("9M27K7 rockets carried cluster munitions.", "9M27K7"),
        ("A Mk 141 mine was found.", "Mk 141"),
        ("The M/975 mine was found.", "M/975"),
        ("The BLU-129/B bomblets were found.", "BLU-129/B"),
        ("Type 84B mines were found.", "Type 84B"),
        ("VS-MK5 mines were found.", "VS-MK5"),
        ("Сапёры нашли мину «Стриж».", "Стриж"),
        ("Знайшли міну типу «Жаба».", "Жаба"),
        ("Знайшли міну типу Жаба біля дороги.", "Жаба"),
        ('They found the so-called "Sentinel" mine.', "Sentinel"),
        ("They found the so-called Sentinel mine.", "Sentinel"),
    ],
)
def test_every_shape_of_the_issue_is_found(bundled: Tagger, sentence: str, expected: str) -> None:
    found = [m for m in bundled.tag(sentence, candidates=True) if isinstance(m, Candidate)]
    assert [(c.text, sentence[c.start : c.end]) for c in found] == [(expected, expected)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The so-called Sentinel was seen near the mines.",  # no mine word after the nickname
        "Deminers met at COP28 and FY2024 budgets for mines were approved.",
        "Mines were cleared along the M-03 highway.",
        "Deminers cleared mines near the T-14 tank.",
        "These mines were for the K-5 plan.",
        "The deminer competes in the T44 class after a mine injury.",
        "Deminers carried a Vallon VMH4 detector into the minefield.",
    ],
)
def test_no_candidate_in_a_trap(bundled: Tagger, sentence: str) -> None:
    assert [m.text for m in bundled.tag(sentence, candidates=True) if isinstance(m, Candidate)] == []


_PIECES = ["PMN-4M", "x" * 700, "mines", "ТМ-83", "мины", "«Стриж»", "мина", " ", "\n\n", ". ", " and ", "9N240", "AK-74", "so-called", "типу",
           "Жаба", "\u2011", "-", "x", "Ё", "PMN-2", "T-72", "\r\n", "\u00ad", "'", "«", "»"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(min_value=1, max_value=50))
@settings(max_examples=150, deadline=None)
def test_candidates_keep_offsets_and_stream_alike(parts: list[str], chunk: int) -> None:
    tagger = _TAGGER
    text = "".join(parts)
    tagged = tagger.tag(text, candidates=True)
    for m in tagged:
        assert text[m.start : m.end] == m.text
    pieces_of = (text[i : i + chunk] for i in range(0, len(text), chunk))
    segments = list(tagger.tag_segments(pieces_of, window=chunk, candidates=True))
    assert "".join(s.text for s in segments) == text
    assert [m for s in segments for m in s.mentions] == tagged
    whole, pieces = Discovery(tagger), Discovery(tagger)
    whole.add_text(text, "t")
    pieces.add_chunks((text[i : i + chunk] for i in range(0, len(text), chunk)), "t", window=chunk)
    assert pieces.records() == whole.records()
    for record in whole.records():
        for c in record["contexts"]:
            assert text[c["start"] : c["end"]] == c["text"]


_TAGGER = Tagger()
