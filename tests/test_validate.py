"""The validator: each problem is reported with its code, file and line, and nothing is lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from munitag import GlossaryError, load_glossary
from munitag.lint import lint_glossary
from munitag.validate import check_glossary

from .conftest import FIXTURE_GLOSSARY

GOOD = """\
id: new-mine
name: NM-1
kind: item
category: ap-blast-mine
origin: [SU]
description: A test entry.
aliases:
  - NM-1
sources:
  - https://example.org/nm-1
"""


@pytest.fixture()
def gdir(tmp_path: Path) -> Path:
    target = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, target)
    return target


def problems_for(gdir: Path, text: str, name: str = "new-mine.yml", folder: str = "items") -> list[tuple[str, int, str]]:
    path = gdir / folder / name
    path.write_text(text, encoding="utf-8")
    result = check_glossary(gdir)
    return [(Path(p.path).name, p.line, p.code) for p in result.problems]


def test_fixture_and_good_entry_are_clean(gdir: Path) -> None:
    assert problems_for(gdir, GOOD) == []


@pytest.mark.parametrize(
    ("change", "line", "code"),
    [
        (("kind: item\n", "kind: item\nkind: term\n"), 4, "G002"),  # duplicate key
        (("name: NM-1\n", "name: [NM-1\n"), 3, "G001"),  # syntax error (reported where the parser stops)
        (("origin: [SU]\n", "origin: !!python/object/apply:os.system [echo hi]\n"), 5, "G003"),
        (("name: NM-1\n", "name: &n NM-1\n"), 2, "G003"),  # anchors are refused
        (("description: A test entry.\n", ""), 1, "G010"),  # missing field
        (("description:", "descripton:"), 6, "G011"),  # unknown field with suggestion
        (("origin: [SU]\n", "origin: SU\n"), 5, "G012"),  # wrong type
        (("origin: [SU]\n", "origin: [NO]\n"), 5, "G012"),  # YAML reads NO as false
        (("id: new-mine", "id: New_Mine"), 1, "G013"),
        (("id: new-mine", "id: other-mine"), 1, "G014"),
        (("kind: item", "kind: term"), 3, "G015"),
        (("category: ap-blast-mine", "category: ap-blast"), 4, "G020"),
        (("origin: [SU]", "origin: [XX]"), 5, "G021"),
        (("  - NM-1\n", "  - NM-1\n  - ''\n"), 9, "G030"),
        (("name: NM-1", "name: NM-2"), 2, "G031"),
        (("  - NM-1\n", "  - NM-1\n  - MON 50\n"), 9, "G032"),  # collides with mon-50 after separator folding
        (("  - NM-1\n", "  - NM-1\n  - nm 1\n"), 9, "G033"),
        (("https://example.org/nm-1", "example.org/nm-1"), 10, "G040"),
        (("sources:", "variant_of: nm-0\nsources:"), 9, "G050"),
        # a hand-listed case form of another alias of the entry
        (("  - NM-1\n", "  - NM-1\n  - text: Клеймор\n    lang: ru\n  - text: Клейморами\n    lang: ru\n"), 11, "G036"),
        # a generated form names another entry: «противопехотными минами» is anti-personnel-mine
        (("  - NM-1\n", "  - NM-1\n  - text: противопехотные мины\n    lang: ru\n"), 9, "G037"),
        (("  - NM-1\n", "  - NM-1\n  - Шпрингмина\n"), 9, "G038"),  # a Cyrillic word without lang
        (("  - NM-1\n", "  - NM-1\n  - text: Nemo\n    lang: en\n    inflect: false\n"), 9, "G038"),
    ],
)
def test_each_problem_has_code_and_line(gdir: Path, change: tuple[str, str], line: int, code: str) -> None:
    old, new = change
    assert old in GOOD
    got = problems_for(gdir, GOOD.replace(old, new, 1))
    assert ("new-mine.yml", line, code) in got, got


def test_billion_laughs_is_not_expanded(gdir: Path) -> None:
    bomb = GOOD + "notes: &a [x, x]\n" + "".join(f"n{i}: &a{i} [*a{'' if i == 0 else i - 1}, *a{'' if i == 0 else i - 1}]\n" for i in range(40))
    (gdir / "items" / "new-mine.yml").write_text(bomb, encoding="utf-8")
    probe = (
        "import json; from pathlib import Path; from munitag.validate import check_glossary; "
        f"print(json.dumps([(Path(p.path).name, p.code) for p in check_glossary(Path({str(gdir)!r})).problems]))"
    )
    # An expansion runs out of the 1 GiB or never ends: the run then fails or raises TimeoutExpired.
    got = json.loads(_in_small_memory(probe, timeout=300))
    assert ["new-mine.yml", "G003"] in got, got


def test_every_problem_in_one_run(gdir: Path) -> None:
    (gdir / "items" / "bad-one.yml").write_text(GOOD.replace("new-mine", "bad-one").replace("[SU]", "[XX]"), encoding="utf-8")
    got = problems_for(gdir, GOOD.replace("ap-blast-mine", "nope"))
    assert {code for _, _, code in got} == {"G020", "G021"}


def test_examples_run_through_the_tagger(gdir: Path) -> None:
    entry = GOOD + "examples:\n  - no mention here\ncounter_examples:\n  - an NM-1 here\n"
    (gdir / "items" / "new-mine.yml").write_text(entry, encoding="utf-8")
    codes = [(p.line, p.code) for p in lint_glossary(gdir)]
    assert codes == [(12, "G060"), (14, "G061")]


def test_load_glossary_refuses_broken_files(gdir: Path) -> None:
    (gdir / "items" / "new-mine.yml").write_text(GOOD.replace("[SU]", "[XX]"), encoding="utf-8")
    with pytest.raises(GlossaryError) as exc:
        load_glossary(gdir)
    assert [p.code for p in exc.value.problems] == ["G021"]
    assert "new-mine.yml:5:" in str(exc.value)


def test_not_utf8(gdir: Path) -> None:
    (gdir / "items" / "new-mine.yml").write_bytes(GOOD.replace("A test entry.", "Мина.").encode("cp1251"))
    assert [p.code for p in check_glossary(gdir).problems] == ["G001"]


@pytest.mark.parametrize(("setting", "forms"), [("", True), ("    inflect: false\n", False)])
def test_inflect_false_turns_generated_forms_off(gdir: Path, setting: str, forms: bool) -> None:
    entry = GOOD.replace("  - NM-1\n", "  - NM-1\n  - text: сапёрная лопата\n    lang: ru\n" + setting)
    assert problems_for(gdir, entry) == []
    glossary = load_glossary(gdir, cache=False)
    assert ("сапёрными лопатами" in glossary.forms_of(glossary.get("new-mine").aliases[1])) is forms


@pytest.mark.parametrize(
    "context",
    ["ru: [мина]\nuk: мина\n", "ru:\n  - text: мина\n    except: кислая мина\n", "ru:\n  - word: мина\n"],
)
def test_malformed_context_file(gdir: Path, context: str) -> None:
    (gdir / "context.yml").write_text(context, encoding="utf-8")
    assert [(Path(p.path).name, p.code) for p in check_glossary(gdir).problems] == [("context.yml", "G070")]


def test_context_words_and_exceptions_are_inflected(gdir: Path) -> None:
    glossary = load_glossary(gdir, cache=False)
    assert {"мину", "минами", "міною"} <= set(glossary.context_words())
    assert {"кислую мину", "кислой миной"} <= set(glossary.context_exceptions())


def _in_small_memory(code: str, timeout: float | None = None) -> str:
    """Run ``code`` in a fresh interpreter limited to 1 GiB of address space; its stdout.

    Raises:
        subprocess.TimeoutExpired: it ran longer than ``timeout`` seconds (the process is killed).
    """
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    proc = subprocess.run(
        [sys.executable, "-c", limit + code], capture_output=True, text=True, check=False, env=os.environ.copy(), timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_an_oversize_file_is_refused_before_it_is_read(gdir: Path) -> None:
    huge = gdir / "items" / "huge.yml"
    with huge.open("wb") as out:  # 3 GiB, sparse: no disk space, but reading it would take 3 GB
        out.truncate(3 << 30)
    probe = (
        "import json; from pathlib import Path; from munitag.validate import check_glossary; "
        f"print(json.dumps([p.to_dict() for p in check_glossary(Path({str(gdir)!r})).problems]))"
    )
    problems = json.loads(_in_small_memory(probe))
    assert [(Path(p["path"]).name, p["code"]) for p in problems] == [("huge.yml", "G003")]
    assert f"{3 << 30} bytes" in problems[0]["message"]


def test_deeply_nested_lists_are_a_problem_not_a_crash(gdir: Path) -> None:
    nested = GOOD.replace("  - NM-1\n", "  - NM-1\n  - " + "- " * 1100 + "x\n")
    assert ("new-mine.yml", 9, "G003") in problems_for(gdir, nested)
    with pytest.raises(GlossaryError) as exc:
        load_glossary(gdir, cache=False)
    assert "nested more than" in str(exc.value)
    assert any(p.code == "G003" and p.line == 9 for p in lint_glossary(gdir))


@pytest.mark.parametrize("setting", ["case_sensitive", "ambiguous"])
@pytest.mark.parametrize("text", ["-", ".", "\u2011"])
def test_an_alias_needs_a_letter_or_digit(gdir: Path, text: str, setting: str) -> None:
    entry = GOOD.replace("  - NM-1\n", f"  - NM-1\n  - text: {json.dumps(text)}\n    {setting}: true\n")
    assert problems_for(gdir, entry) == [("new-mine.yml", 9, "G039")]
    with pytest.raises(GlossaryError) as exc:
        load_glossary(gdir, cache=False)
    assert [p.code for p in exc.value.problems] == ["G039"]


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A directory beside the glossary holding files whose keys must never be shown."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "new-mine.yml").write_text(GOOD + "secret_key_xyz: 1\n", encoding="utf-8")
    (folder / "categories.yml").write_text("secret_key_xyz: {label: x, definition: y}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("link", "target"),
    [("items/new-mine.yml", "new-mine.yml"), ("categories.yml", "categories.yml"), ("terms", ".")],
)
def test_links_out_of_the_glossary_are_refused(gdir: Path, outside: Path, link: str, target: str) -> None:
    path = gdir / link
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(outside / target)
    problems = check_glossary(gdir).problems
    (refusal,) = [p for p in problems if p.path == str(path)]  # entries that needed it may fail too
    assert refusal.code == "G070" and "outside the glossary directory" in refusal.message
    assert not any("secret_key_xyz" in p.message for p in problems)
    with pytest.raises(GlossaryError):
        load_glossary(gdir, cache=False)


def test_links_inside_the_glossary_are_followed(gdir: Path) -> None:
    (gdir / "shared").mkdir()
    (gdir / "shared" / "new-mine.yml").write_text(GOOD, encoding="utf-8")
    (gdir / "items" / "new-mine.yml").symlink_to(Path("..") / "shared" / "new-mine.yml")
    assert check_glossary(gdir).problems == []
    assert load_glossary(gdir, cache=False).get("new-mine") is not None


def test_fmt_refuses_an_oversize_file_before_reading_it(gdir: Path) -> None:
    huge = gdir / "items" / "huge.yml"
    with huge.open("wb") as out:
        out.truncate(3 << 30)
    probe = f"from pathlib import Path; from munitag.fmt import format_file; print(format_file(Path({str(huge)!r})).refused)"
    assert _in_small_memory(probe).strip() == f"1:1: G003 file is {3 << 30} bytes, over the 65536-byte cap: split it"


def test_a_context_word_needs_a_letter_or_digit(gdir: Path) -> None:
    entry = GOOD + "context:\n  - \"*\"\n"
    assert problems_for(gdir, entry) == [("new-mine.yml", 12, "G039")]
    assert [p.code for p in lint_glossary(gdir)] == ["G039"]  # was an IndexError in the tagger
    (gdir / "items" / "new-mine.yml").write_text(GOOD, encoding="utf-8")
    (gdir / "context.yml").write_text("en: [mine, \"*\"]\n", encoding="utf-8")
    assert [(Path(p.path).name, p.line, p.code) for p in check_glossary(gdir).problems] == [("context.yml", 1, "G070")]
