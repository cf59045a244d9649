"""The runtime API: entries given as dicts, glossary overlays, filters, replacement and redaction."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from munitag import Filter, FilterError, GlossaryError, Tagger, load_glossary
from munitag.cli import main
from munitag.overlay import load_layers

from .conftest import FIXTURE_GLOSSARY, readme_section, run_doctests


def _entry(**fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "zz-9", "name": "ZZ-9", "kind": "item", "category": "ap-blast-mine", "origin": ["SU"],
        "description": "A made-up mine.", "aliases": ["ZZ-9"], "sources": ["https://example.org/zz-9"],
    }
    entry.update(fields)
    return entry


def _ids(tagger: Tagger, text: str) -> list[str]:
    return [m.entry.id for m in tagger.tag(text)]


def test_readme_examples_run() -> None:
    """Every ``>>>`` example of the README's section on own entries, filters and replacement."""
    section = readme_section("### Your own entries, filters and replacement", "## Integrations")
    run_doctests("\n".join(re.findall(r"```python\n(.*?)```", section, re.DOTALL)))


# from_entries and extra


def test_from_entries_tags_only_the_given_entries_with_generated_case_forms() -> None:
    tagger = Tagger.from_entries([_entry(aliases=["ZZ-9", {"text": "Зизи", "lang": "ru"}])], vocabularies=FIXTURE_GLOSSARY)
    assert len(tagger) == 1 and "pfm-1" not in tagger
    assert [(m.text, m.entry.id) for m in tagger.tag("ZZ-9, PFM-1, Зизями")] == [("ZZ-9", "zz-9"), ("Зизями", "zz-9")]


def test_entry_problems_name_the_entry_and_the_field() -> None:
    entries = [_entry(), _entry(id="Bad", name="ZZ-10", category="landmines", aliases=["ZZ-10", ""]), {"name": 3}, "not a mapping"]
    with pytest.raises(GlossaryError) as caught:
        Tagger.from_entries(entries, vocabularies=FIXTURE_GLOSSARY)
    found = {(p.path, p.code) for p in caught.value.problems}
    assert {("<entries>[1].id", "G013"), ("<entries>[1].category", "G020"), ("<entries>[1].aliases[1].text", "G030"),
            ("<entries>[2]", "G010"), ("<entries>[2].name", "G012"), ("<entries>[3]", "G070")} <= found
    assert not any(p.path.startswith("<entries>[0]") for p in caught.value.problems)
    assert "glossary lint" not in str(caught.value)  # there is no directory to lint


def test_entries_are_checked_together_and_may_name_the_glossary_entries() -> None:
    with pytest.raises(GlossaryError) as caught:
        Tagger.from_entries([_entry(), _entry(name="ZZ-9 bis", aliases=["ZZ-9 bis"]), _entry(id="zz-10", name="ZZ-10", aliases=["ZZ-10"], variant_of="zz-11")],
                            vocabularies=FIXTURE_GLOSSARY)
    assert {(p.path, p.code) for p in caught.value.problems} == {("<entries>[1].id", "G051"), ("<entries>[2].variant_of", "G050")}
    tagger = Tagger.from_entries([_entry(variant_of="pfm-1")], vocabularies=FIXTURE_GLOSSARY)  # an entry of the vocabularies' glossary
    assert tagger.glossary.entries[0].variant_of == "pfm-1"


def test_a_single_mapping_is_refused() -> None:
    with pytest.raises(TypeError, match="list of mappings"):
        Tagger(FIXTURE_GLOSSARY, extra=_entry())  # type: ignore[arg-type]


def test_extra_adds_entries_and_replaces_an_entry_with_the_same_id() -> None:
    base = load_glossary(FIXTURE_GLOSSARY)
    pfm = base.get("pfm-1")
    assert pfm is not None
    replaced = {**pfm.to_dict(), "name": "PFM-1 (ours)", "aliases": ["PFM-1 (ours)", "PFM-1", "Blatt"]}
    tagger = Tagger(base, extra=[_entry(), replaced])
    assert len(tagger) == len(base) + 1
    assert [e.id for e in tagger.glossary][: len(base)] == [e.id for e in base]  # replaced in its place, the new one last
    assert _ids(tagger, "ZZ-9 near a Blatt; Lepestok") == ["zz-9", "pfm-1"]  # Lepestok was an alias of the old entry only
    assert tagger.glossary.get("pfm-1").name == "PFM-1 (ours)"  # type: ignore[union-attr]
    assert _ids(Tagger(base), "ZZ-9 near a Blatt; Lepestok") == ["pfm-1"]  # the loaded glossary is not changed


# overlays


def _overlay_dir(tmp_path: Path) -> Path:
    """A complete glossary: the fixture's vocabularies plus a category of its own, one new entry and
    one that replaces pfm-1."""
    top = tmp_path / "top"
    shutil.copytree(FIXTURE_GLOSSARY, top, ignore=shutil.ignore_patterns("items", "terms"))
    (top / "items").mkdir()
    (top / "terms").mkdir()
    with (top / "categories.yml").open("a", encoding="utf-8") as f:
        f.write("practice-mine:\n  label: practice mine\n  parent: landmine\n  definition: An inert mine for training.\n")
    (top / "context.yml").write_text("en: [minefield]\n", encoding="utf-8")
    (top / "items" / "zz-9.yml").write_text(
        "id: zz-9\nname: ZZ-9\nkind: item\ncategory: practice-mine\norigin: [SU]\ndescription: A made-up mine.\n"
        "aliases:\n  - ZZ-9\n  - text: Zizi\n    ambiguous: true\nsources:\n  - https://example.org/zz-9\n",
        encoding="utf-8",
    )
    (top / "items" / "pfm-1.yml").write_text(
        "id: pfm-1\nname: PFM-1\nkind: item\ncategory: ap-blast-mine\norigin: [SU]\ndescription: Replaced.\n"
        "aliases:\n  - PFM-1\nsources:\n  - https://example.org/pfm-1\n",
        encoding="utf-8",
    )
    return top


def test_an_overlay_adds_and_replaces_entries_and_merges_vocabularies(tmp_path: Path) -> None:
    glossary = load_layers([FIXTURE_GLOSSARY, _overlay_dir(tmp_path)])
    base = load_glossary(FIXTURE_GLOSSARY)
    assert [e.id for e in glossary] == [e.id for e in base] + ["zz-9"]
    assert glossary.get("pfm-1").description == "Replaced."  # type: ignore[union-attr]
    assert glossary.category_chain("practice-mine") == ["practice-mine", "landmine"]
    assert glossary.context["en"][-1] == "minefield" and "mine" in glossary.context["en"]
    tagger = Tagger(glossary)
    assert _ids(tagger, "Lepestok and MON-50") == ["mon-50"]  # Lepestok belonged to the replaced pfm-1
    assert _ids(tagger, "Zizi. A minefield.") == ["zz-9"]  # the overlay's own context word counts
    assert _ids(Tagger(glossary, include={"category": ["landmine"], "id": ["zz-9"]}), "ZZ-9") == ["zz-9"]


def test_cli_glossary_layers_before_and_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "t.txt"
    text.write_text("ZZ-9 and Lepestok and MON-50.", encoding="utf-8")
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "tag", "--glossary", str(_overlay_dir(tmp_path)), "--format", "jsonl", str(text)]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)["mentions"]] == ["zz-9", "mon-50"]
    assert main(["tag", "--glossary", str(tmp_path / "missing"), "--glossary", str(FIXTURE_GLOSSARY), str(text)]) == 1
    assert "glossary directory not found" in capsys.readouterr().err


# filters


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"category": ["landmine"]}, {"claymore", "mon-100", "mon-50", "pfm-1", "pfm-1s", "anti-personnel-mine"}),
        ({"category": "directional-fragmentation-mine"}, {"claymore", "mon-100", "mon-50"}),
        ({"kind": ["term"]}, {"anti-personnel-mine", "cluster-munition"}),
        ({"origin": ["US"]}, {"adam", "claymore"}),
        ({"origin": ["US", "SU"], "category": ["ap-blast-mine"]}, {"pfm-1", "pfm-1s"}),
        ({"id": ["mon-50", "adam"]}, {"mon-50", "adam"}),
    ],
)
def test_filters_keep_the_entries_they_name(spec: dict[str, Any], expected: set[str]) -> None:
    assert {e.id for e in Tagger(FIXTURE_GLOSSARY, include=spec).glossary} == expected


def test_filter_by_treaty() -> None:
    entries = [_entry(treaties=["mine-ban-treaty"]), _entry(id="zz-10", name="ZZ-10", aliases=["ZZ-10"], treaties=["ccm"])]
    tagger = Tagger.from_entries(entries, vocabularies=FIXTURE_GLOSSARY, include=Filter(treaty=("ccm",)))
    assert _ids(tagger, "ZZ-9, ZZ-10") == ["zz-10"]


def test_filtered_entries_are_not_in_the_automaton() -> None:
    full, only = Tagger(FIXTURE_GLOSSARY), Tagger(FIXTURE_GLOSSARY, include={"id": ["mon-50"]})
    assert len(only._automaton) < len(full._automaton)
    assert _ids(only, "PFM-1 and MON-50 and Claymore mines") == ["mon-50"]


def test_an_empty_filter_keeps_the_glossary_itself() -> None:
    glossary = load_glossary(FIXTURE_GLOSSARY)
    assert Tagger(glossary, include=Filter()).glossary is glossary and Tagger(glossary, include={}).glossary is glossary


def test_a_filtered_out_entry_no_longer_gives_context() -> None:
    """As documented: the ambiguous Лепесток counts beside an unambiguous MON-50, not once MON-50 is filtered out."""
    text = "MON-50 и Лепесток."
    assert _ids(Tagger(FIXTURE_GLOSSARY), text) == ["mon-50", "pfm-1"]
    assert _ids(Tagger(FIXTURE_GLOSSARY, include={"id": ["pfm-1"]}), text) == []
    assert _ids(Tagger(FIXTURE_GLOSSARY, include={"id": ["pfm-1"]}), "Лепесток: мина.") == ["pfm-1"]  # context words still count


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"category": ["landmines"]}, "unknown category 'landmines' (did you mean 'landmine'?)"),
        ({"kind": ["items"]}, "unknown kind 'items' (did you mean 'item'?)"),
        ({"origin": ["SUN"]}, "unknown origin 'SUN'"),
        ({"id": ["pfm1"]}, "unknown id 'pfm1' (did you mean 'pfm-1'?)"),
        ({"treaty": ["ottawa"]}, "unknown treaty 'ottawa'"),
        ({"categories": ["landmine"]}, "unknown filter field 'categories' (did you mean 'category'?)"),
    ],
)
def test_unknown_filter_values_are_refused(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(FilterError, match=re.escape(message)):
        Tagger(FIXTURE_GLOSSARY, include=spec)


def test_cli_filters_on_tag_and_enrich(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "t.txt"
    text.write_text("PFM-1, ADAM and a Claymore mine; cluster munitions.", encoding="utf-8")
    g = ["--glossary", str(FIXTURE_GLOSSARY)]
    assert main([*g, "tag", "--format", "jsonl", "--category", "landmine", "--origin", "US", str(text)]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)["mentions"]] == ["claymore"]  # ADAM is a mine system, no landmine
    assert main([*g, "tag", "--format", "jsonl", "--kind", "term", "--id", "pfm-1", "--id", "cluster-munition", "--jobs", "2", str(text), str(text)]) == 0
    assert [[m["id"] for m in json.loads(line)["mentions"]] for line in capsys.readouterr().out.splitlines()] == [["cluster-munition"]] * 2
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"text": text.read_text(encoding="utf-8")}) + "\n", encoding="utf-8")
    assert main([*g, "enrich", "--text-field", "text", "--category", "ap-blast-mine", str(records)]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)["mentions"]] == ["pfm-1"]
    assert main([*g, "enrich", "--text-field", "text", "--category", "mines", str(records)]) == 2
    assert "munitag: error: unknown category 'mines'" in capsys.readouterr().err


# replacement and redaction


def test_replace_changes_only_the_mentions(mini: Tagger) -> None:
    text = "«PFM-1»\u00a0and MON‑50s,\nthen Lepestok."
    mentions = mini.tag(text)
    for by in ("name", "id", "category"):
        out = mini.replace(text, by)
        pieces = re.split("|".join(re.escape(str(m.to_dict()[by])) for m in mentions), out)
        assert pieces == [text[: mentions[0].start], text[mentions[0].end : mentions[1].start],
                          text[mentions[1].end : mentions[2].start], text[mentions[2].end :]]
    assert mini.replace(text, "name") == "«PFM-1»\u00a0and MON-50,\nthen PFM-1."
    assert mini.replace(text, lambda m: f"<{m.start}>") == "«<1>»\u00a0and <12>,\nthen <26>."
    assert mini.redact(text) == "«[REDACTED:ap-blast-mine]»\u00a0and [REDACTED:directional-fragmentation-mine],\nthen [REDACTED:ap-blast-mine]."
    assert mini.redact(text, "#{id}#") == "«#pfm-1#»\u00a0and #mon-50#,\nthen #pfm-1#."


def test_replace_refuses_unknown_choices(mini: Tagger) -> None:
    with pytest.raises(ValueError, match="replace by one of name, id, category"):
        mini.replace("PFM-1", "alias")
    with pytest.raises(ValueError, match="is not usable"):
        mini.redact("PFM-1", "[{label}]")


def test_cli_replace_and_redact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "t.txt"
    text.write_text("PFM-1 near MON-50, PFM-1S.\n", encoding="utf-8")
    g = ["--glossary", str(FIXTURE_GLOSSARY)]
    assert main([*g, "tag", "--format", "text", "--replace", "id", str(text)]) == 0
    assert capsys.readouterr().out == "pfm-1 near mon-50, pfm-1s.\n"
    assert main([*g, "tag", "--format", "text", "--redact", "--overlapping", "--jobs", "2", str(text), str(text)]) == 0
    masked = "[REDACTED:ap-blast-mine] near [REDACTED:directional-fragmentation-mine], [REDACTED:ap-blast-mine].\n"
    assert capsys.readouterr().out == masked * 2
    assert main([*g, "tag", "--replace", "name", str(text)]) == 2
    assert "add --format text" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main([*g, "tag", "--format", "text", "--replace", "name", "--redact", str(text)])
    assert caught.value.code == 2
