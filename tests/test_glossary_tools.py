"""Contributor tooling: lint output format, fmt, new and diff."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from munitag import load_glossary
from munitag.cli import main
from munitag.glossary import bundled_glossary_path

from .conftest import FIXTURE_GLOSSARY

ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path("tests/fixtures/broken")


def test_broken_directory_gives_one_line_per_problem() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "munitag", "glossary", "lint", str(BROKEN)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    expected = (ROOT / BROKEN / "expected.txt").read_text(encoding="utf-8")
    assert proc.stdout == expected
    # every file in the directory is named, each by the code its name announces
    files = sorted(p for p in (ROOT / BROKEN).rglob("*.yml") if p.parent.name in ("items", "terms"))
    lines = proc.stdout.splitlines()
    for path in files:
        code = path.stem.split("-")[0].upper()
        mine = [line for line in lines if line.startswith(f"{BROKEN}/{path.parent.name}/{path.name}:")]
        if (code == "G032" and path.stem.endswith("-a")) or (code == "G051" and path.parent.name == "items"):
            continue  # the first of a pair is clean; the problem is reported on the second
        if code == "G037" and path.stem.endswith("-b"):
            continue  # the partner whose alias the other entry's generated form collides with
        assert len(mine) == 1 and f": {code} " in mine[0], (path, mine)


def test_lint_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "lint", "--format", "json", str(ROOT / BROKEN)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert {p["code"] for p in problems} >= {"G001", "G002", "G003", "G032", "G060", "G061"}
    assert all(p["line"] >= 1 and p["col"] >= 1 for p in problems)


def test_python_object_tag_is_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    gdir = tmp_path / "g"
    shutil.copytree(FIXTURE_GLOSSARY, gdir)
    text = (ROOT / BROKEN / "items" / "g003-python-tag.yml").read_text(encoding="utf-8").replace("echo pwned", f"touch {marker}")
    (gdir / "items" / "g003-python-tag.yml").write_text(text, encoding="utf-8")
    assert main(["glossary", "lint", str(gdir)]) == 1
    assert not marker.exists()


@pytest.fixture()
def gcopy(tmp_path: Path) -> Path:
    target = tmp_path / "glossary"
    shutil.copytree(bundled_glossary_path(), target)
    return target


def test_bundled_glossary_is_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "fmt", "--check", str(bundled_glossary_path())]) == 0


def test_fmt_is_idempotent_and_keeps_meaning(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = load_glossary(gcopy)
    messy = gcopy / "items" / "pfm-1.yml"
    data = messy.read_text(encoding="utf-8")
    # shuffle key order, use other quoting and a flow list: same data, other layout
    messy.write_text("sources:\n" + data.split("sources:\n")[1].split("examples:")[0] + data.replace("sources:\n" + data.split("sources:\n")[1].split("examples:")[0], "").replace("origin: [SU]", "origin:\n- 'SU'"), encoding="utf-8")
    assert load_glossary(gcopy).entries == before.entries
    assert main(["glossary", "fmt", "--check", str(gcopy)]) == 1
    assert "pfm-1.yml: would be reformatted" in capsys.readouterr().out
    assert main(["glossary", "fmt", str(gcopy)]) == 0
    assert main(["glossary", "fmt", "--check", str(gcopy)]) == 0
    assert messy.read_text(encoding="utf-8") == data
    assert load_glossary(gcopy).entries == before.entries


def test_fmt_refuses_files_with_comments(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = gcopy / "items" / "pfm-1.yml"
    original = path.read_text(encoding="utf-8").replace("kind: item\n", "kind: item  # keep me\n")
    path.write_text(original, encoding="utf-8")
    assert main(["glossary", "fmt", str(path)]) == 1
    assert "G004" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == original  # nothing lost


def test_new_scaffolds_a_valid_entry(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([
        "--glossary", str(gcopy), "glossary", "new", "zz-9", "--name", "ZZ-9", "--category", "ap-blast-mine",
        "--origin", "SU", "--description", "A test entry.", "--source", "https://example.org/zz-9", "--alias", "ЗЗ-9",
    ])
    out = capsys.readouterr().out.strip()
    assert code == 0 and out == str(gcopy / "items" / "zz-9.yml")
    assert main(["glossary", "lint", str(gcopy)]) == 0
    assert main(["glossary", "fmt", "--check", out]) == 0
    assert load_glossary(gcopy).get("zz-9") is not None
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", "--name", "x", "--category", "x", "--origin", "SU", "--description", "x", "--source", "https://x.org"]) == 1


def test_new_without_options_is_a_usage_error(gcopy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9"]) == 2
    assert "--name" in capsys.readouterr().err


def test_diff_reports_changes(gcopy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    shutil.copytree(gcopy, old)
    (gcopy / "items" / "mon-200.yml").unlink()
    path = gcopy / "items" / "mon-100.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - MON-100\n", "  - MON-100\n  - MON-50\n"), encoding="utf-8")
    assert main(["glossary", "diff", str(old), str(gcopy)]) == 0
    out = capsys.readouterr().out
    assert "removed: mon-200" in out
    assert "alias added: mon-100: MON-50" in out
    assert "new collision: alias 'MON-50'" in out
    assert main(["glossary", "diff", "--format", "markdown", str(old), str(gcopy)]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### Glossary changes") and "| `mon-200` | removed |" in md


def test_stats_counts_the_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "glossary", "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    fixture = load_glossary(FIXTURE_GLOSSARY)
    assert stats["entries"] == len(fixture) == sum(stats["by_kind"].values())
    assert stats["by_kind"] == {"item": 6, "term": 2}
    assert stats["share_sourced"] == 1.0
    # pfm-1 and mon-50 carry Cyrillic aliases; pfm-1s and mon-100 (Soviet too) do not
    assert stats["missing_cyrillic"] == ["mon-100", "pfm-1s"]
    # Лепесток: 9 forms, противопехотная мина: 12 (two instrumental endings), Пелюстка: 8 (no vocative)
    assert stats["generated_forms_by_lang"] == {"ru": 21, "uk": 8}
    # мина 9 forms + кислая мина 12; міна 8
    assert stats["generated_context_forms"] == 29
    assert main(["--glossary", str(FIXTURE_GLOSSARY), "glossary", "stats"]) == 0
    assert "by category" in capsys.readouterr().out


def test_bundled_glossary_soviet_items_have_cyrillic() -> None:
    from munitag.stats import glossary_stats

    glossary = load_glossary()
    stats = glossary_stats(glossary)
    designations = [i for i in stats["missing_cyrillic"] if any(c.isdigit() for c in glossary.get(i).name)]  # type: ignore[union-attr]
    assert designations == []  # a family or descriptive name ("PTM series") may have no Cyrillic form
    assert stats["share_sourced"] == 1.0


def test_diff_against_a_git_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_GLOSSARY, repo / "glossary")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (repo / "glossary" / "items" / "claymore.yml").unlink()
    assert main(["glossary", "diff", "--rev", "HEAD", str(repo / "glossary")]) == 0
    assert "removed: claymore" in capsys.readouterr().out
    assert main(["glossary", "diff", "--rev", "no-such-rev", str(repo / "glossary")]) == 1


def test_fmt_prune_removes_generated_forms(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = gcopy / "items" / "pfm-1.yml"
    original = path.read_text(encoding="utf-8")
    listed = original.replace(
        "  - text: Пелюстка\n", "  - text: Лепестками\n    lang: ru\n    ambiguous: true\n  - text: Пелюстка\n"
    )
    path.write_text(listed, encoding="utf-8")
    assert main(["glossary", "lint", str(gcopy)]) == 1
    assert "G036 alias 'Лепестками' is a generated form of 'Лепесток'" in capsys.readouterr().out
    assert main(["glossary", "fmt", str(gcopy)]) == 0  # plain fmt changes layout only
    assert path.read_text(encoding="utf-8") == listed
    assert main(["glossary", "fmt", "--prune", "--check", str(gcopy)]) == 1
    assert main(["glossary", "fmt", "--prune", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == original
    capsys.readouterr()
    assert main(["glossary", "lint", str(gcopy)]) == 0


def test_bundled_glossary_lists_no_generated_form() -> None:
    assert main(["glossary", "fmt", "--prune", "--check", str(bundled_glossary_path())]) == 0


NEW = ["--name", "ZZ-9", "--category", "ap-blast-mine", "--origin", "SU", "--description", "A test entry.", "--source", "https://example.org/zz-9"]


def test_new_refuses_the_glossary_of_an_installed_package(tmp_path: Path) -> None:
    site = tmp_path / "site"  # the layout of the wheel: the glossary is package data
    shutil.copytree(ROOT / "src" / "munitag", site / "munitag", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(bundled_glossary_path(), site / "munitag" / "glossary")
    env = {**os.environ, "PYTHONPATH": str(site)}

    def new(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "munitag", *argv, "glossary", "new", "zz-9", *NEW]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)

    refused = new()
    assert refused.returncode == 2 and "pass --glossary DIR" in refused.stderr and refused.stdout == ""
    assert not (site / "munitag" / "glossary" / "items" / "zz-9.yml").exists()
    given = new("--glossary", str(site / "munitag" / "glossary"))  # named explicitly: the user means it
    assert given.returncode == 0, given.stderr
    assert (site / "munitag" / "glossary" / "items" / "zz-9.yml").is_file()


def test_new_writes_nothing_that_fails_lint(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ["--name", "ZZ-9", "--category", "ap-blast-mines", "--origin", "XX", "--description", "A test entry.", "--source", "ftp://example.org/zz-9"]
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *bad]) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err and "Traceback" not in err
    assert {code for code in ("G020", "G021", "G040") if f": {code} " in err} == {"G020", "G021", "G040"}
    assert "did you mean 'ap-blast-mine'" in err
    # an alias another entry has, with the name of an existing entry: G032, reported on the other file too
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *NEW, "--alias", "MON-50"]) == 1
    assert "G032" in capsys.readouterr().err
    assert not (gcopy / "items" / "zz-9.yml").exists()


def test_new_cyrillic_alias_needs_lang(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *NEW, "--alias", "Зловредина"]) == 1
    assert "G038" in capsys.readouterr().err
    assert not (gcopy / "items" / "zz-9.yml").exists()
    # --lang applies to the aliases after it
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *NEW, "--alias", "ZZ 9 mine", "--lang", "ru", "--alias", "Зловредина"]) == 0
    capsys.readouterr()
    aliases = load_glossary(gcopy).get("zz-9").aliases  # type: ignore[union-attr]
    assert [(a.text, a.lang) for a in aliases] == [("ZZ-9", None), ("ZZ 9 mine", None), ("Зловредина", "ru")]
    assert main(["glossary", "lint", str(gcopy)]) == 0


def test_new_never_writes_over_a_file_or_through_a_link(gcopy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "elsewhere.txt"
    (gcopy / "items" / "zz-9.yml").symlink_to(target)  # dangling: the path "does not exist"
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *NEW]) == 1
    assert "already exists" in capsys.readouterr().err
    assert not target.exists()
    target.write_text("keep me", encoding="utf-8")
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9", *NEW]) == 1
    assert target.read_text(encoding="utf-8") == "keep me"


def test_new_end_of_input_at_a_question_cancels(gcopy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("ZZ-9\n"))  # the name, then Ctrl-D at the category
    assert main(["--glossary", str(gcopy), "glossary", "new", "zz-9"]) == 130
    captured = capsys.readouterr()
    assert "name: category: " in captured.out and "cancelled; nothing written" in captured.err
    assert "Traceback" not in captured.err and not (gcopy / "items" / "zz-9.yml").exists()


def test_contributing_example_runs(gcopy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re
    import shlex

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```\n(\s*\.venv/bin/munitag glossary new .*?)```", text, re.DOTALL)
    argv = shlex.split(block.replace("\\\n", " "))
    assert argv[:3] == [".venv/bin/munitag", "glossary", "new"]
    (gcopy / "items" / f"{argv[3]}.yml").unlink(missing_ok=True)  # the glossary may hold the example's entry by now
    assert main(["--glossary", str(gcopy), *argv[1:]]) == 0
    out = capsys.readouterr().out.strip()
    assert out == str(gcopy / "items" / f"{argv[3]}.yml")
    assert main(["glossary", "lint", str(gcopy)]) == 0


def test_diff_counts_alias_changes_as_changed(gcopy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    shutil.copytree(gcopy, old)
    path = gcopy / "items" / "mon-100.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - MON-100\n", "  - MON-100\n  - MON 100 mine\n"), encoding="utf-8")
    pfm = gcopy / "items" / "pfm-1.yml"
    pfm.write_text(pfm.read_text(encoding="utf-8").replace("  - text: Пелюстка\n    lang: uk\n    ambiguous: true\n", "  - text: Пелюстка\n    lang: uk\n"), encoding="utf-8")
    assert main(["glossary", "diff", str(old), str(gcopy)]) == 0
    out = capsys.readouterr().out
    assert "alias added: mon-100: MON 100 mine" in out
    assert "changed: pfm-1: alias Пелюстка: lang: uk, ambiguous: True -> lang: uk" in out
    assert "\n0 added, 0 removed, 2 changed; " in out
    assert main(["glossary", "diff", "--format", "markdown", str(old), str(gcopy)]) == 0
    assert "**2** changed" in capsys.readouterr().out


def test_diff_git_error_is_one_clean_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_GLOSSARY, repo / "glossary")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    assert main(["glossary", "diff", "--rev", "no-such-rev", str(repo / "glossary")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "b'" not in err and "\\n" not in err
    assert err.startswith("munitag: error: cannot read the glossary at git revision 'no-such-rev': fatal: ")


def test_fmt_names_a_missing_path_cleanly(gcopy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nonexistent"
    assert main(["glossary", "fmt", str(missing), str(gcopy / "items" / "pfm-1.yml")]) == 1
    err = capsys.readouterr().err
    assert f"munitag: error: {missing}: no such file or directory" in err
    assert "Errno" not in err and "0 of 1 file(s) reformatted" in err  # the missing path is not counted


def test_glossary_option_after_the_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "lint", "--glossary", str(ROOT / BROKEN)]) == 1
    assert "G001" in capsys.readouterr().out
    assert main(["glossary", "stats", "--format", "json", "--glossary", str(FIXTURE_GLOSSARY)]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == len(load_glossary(FIXTURE_GLOSSARY))


def test_a_broken_glossary_given_by_the_user_is_the_one_to_lint(capsys: pytest.CaptureFixture[str]) -> None:
    """The advice after a load failure names the directory that failed, not the bundled glossary."""
    assert main(["--glossary", str(ROOT / BROKEN), "tag", "--format", "jsonl", "-"]) == 1
    err = capsys.readouterr().err
    assert f"Run `munitag glossary lint {ROOT / BROKEN}` for the full list." in err


def test_lint_wants_counter_examples_that_name_nothing_but_kin(tmp_path: Path) -> None:
    """G061: a counter-example may mention the entry's variants and family (PFM-1s, the parent,
    beside PFM-1S) but no unrelated entry (a MON-50 beside the claymore)."""
    from munitag.lint import lint_glossary

    root = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, root)
    pfm_1s = root / "items" / "pfm-1s.yml"
    pfm_1s.write_text(pfm_1s.read_text(encoding="utf-8") + "counter_examples:\n  - Two PFM-1s lay in the grass.\n", encoding="utf-8")
    claymore = root / "items" / "claymore.yml"
    claymore.write_text(claymore.read_text(encoding="utf-8").replace(
        "  - He hung a claymore above the fireplace.", "  - He hung a claymore above the fireplace.\n  - A MON-50 lay by the door.",
    ), encoding="utf-8")
    problems = [p for p in lint_glossary(root) if p.code == "G061"]
    assert [(Path(p.path).name, p.message.split(":")[0]) for p in problems] == [
        ("claymore.yml", "counter-example produces a mention of 'mon-50', which is not a variant or family of 'claymore'; a counter-example is a look-alike that names no other entry"),
    ]
