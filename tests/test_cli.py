"""The munitag command, run in-process (and once as a real subprocess)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from munitag.cli import main

from .conftest import FIXTURE_GLOSSARY

G = ["--glossary", str(FIXTURE_GLOSSARY)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*G, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Найдена МОН-50 и PFM-1S.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "tag", "--format", "jsonl", str(tmp_path / "a.txt"))
    assert code == 0 and err == ""
    record = json.loads(out)
    assert record["source"] == str(tmp_path / "a.txt")
    assert [(m["id"], text[m["start"] : m["end"]]) for m in record["mentions"]] == [("mon-50", "МОН-50"), ("pfm-1s", "PFM-1S")]


def test_the_collector_is_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``tag`` pauses and freezes the garbage collector while it starts; a caller gets it back."""
    (tmp_path / "a.txt").write_text("PFM-1\n", encoding="utf-8")
    assert gc.isenabled() and not gc.get_freeze_count()
    assert run(capsys, "tag", "--format", "jsonl", str(tmp_path / "a.txt"))[0] == 0
    assert gc.isenabled() and not gc.get_freeze_count()


def test_tag_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"an ADAM round")))
    code, out, _ = run(capsys, "tag", "--format", "jsonl")
    assert code == 0
    record = json.loads(out)
    assert record["source"] == "-"
    assert [(m["id"], m["start"], m["end"]) for m in record["mentions"]] == [("adam", 3, 7)]


def test_bad_inputs_are_named_and_others_still_processed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text("MON-50", encoding="utf-8")
    latin1 = tmp_path / "cp1251.txt"
    latin1.write_bytes("мина МОН-50".encode("cp1251"))
    missing, folder = tmp_path / "missing.txt", tmp_path
    code, out, err = run(capsys, "tag", "--format", "jsonl", str(missing), str(folder), str(latin1), str(good))
    assert code == 1
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(good)]
    lines = err.splitlines()
    assert len(lines) == 3
    assert str(missing) in lines[0] and "no such file" in lines[0]
    assert str(folder) in lines[1] and "directory" in lines[1]
    assert str(latin1) in lines[2] and "UTF-8" in lines[2] and "line 1" in lines[2]
    assert "Traceback" not in err


def test_rich_output_without_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Найден «Лепесток» и MON-50.", encoding="utf-8")
    code, out, _ = run(capsys, "tag", str(tmp_path / "a.txt"))
    assert code == 0
    assert "Лепесток⟨PFM-1⟩" in out  # the canonical name follows a nickname
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal
    assert "pfm-1" in out and "mon-50" in out and "2 mention(s) of 2 entries" in out


def test_rich_output_colours_when_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "a.txt").write_text("MON-50", encoding="utf-8")
    _, out, _ = run(capsys, "tag", str(tmp_path / "a.txt"))
    assert "\x1b[" in out


def test_usage_error_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["tag", "--format", "nope"])
    assert exc.value.code == 2


def test_broken_glossary_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--glossary", str(tmp_path / "none"), "tag", "-"])
    _, err = capsys.readouterr()
    assert code == 1 and "glossary directory not found" in err and "Traceback" not in err


def test_glossary_list_show_lint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "glossary", "list", "--format", "json")
    assert code == 0 and "pfm-1s" in {e["id"] for e in json.loads(out)}
    code, out, _ = run(capsys, "glossary", "show", "pfm-1", "--format", "json")
    assert code == 0 and json.loads(out)["name"] == "PFM-1"
    code, out, _ = run(capsys, "glossary", "show", "pfm-1")
    assert code == 0 and "Lepestok" in out
    code, _, err = run(capsys, "glossary", "show", "pfm-2")
    assert code == 1 and "did you mean" in err
    code, out, err = run(capsys, "glossary", "lint", str(FIXTURE_GLOSSARY))
    assert code == 0 and out == "" and "no problems" in err


def test_python_dash_m(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("MON-100", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "munitag", *G, "tag", "--format", "jsonl", str(tmp_path / "a.txt")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["mentions"][0]["id"] == "mon-100"


def test_utf8_error_after_output_began(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from munitag import inputs

    monkeypatch.setattr(inputs, "BLOCK", 1 << 16)
    path = tmp_path / "broken.txt"
    path.write_bytes(b"MON-50 here.\n" + b"plain filler text\n" * 150_000 + b"the last line \xff\n")
    code, out, err = run(capsys, "tag", "--format", "jsonl", str(path))
    assert code == 1
    record = json.loads(out)  # the mentions tagged before the error are kept, the line is closed
    assert [m["id"] for m in record["mentions"]] == ["mon-50"] and "line 150002" in record["error"]
    assert f"{path}: not valid UTF-8 (byte 0xff on line 150002)" in err


def test_progress_bar_only_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    names = []
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("MON-50", encoding="utf-8")
        names.append(str(tmp_path / f"{i}.txt"))
    _, out, err = run(capsys, "tag", "--format", "jsonl", *names)  # stderr is pytest's capture, not a terminal
    assert err == "" and len(out.splitlines()) == 3
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    _, out, err = run(capsys, "tag", "--format", "jsonl", *names)
    assert "tagging" in err and len(out.splitlines()) == 3
    _, _, err = run(capsys, "tag", "--format", "jsonl", "--no-progress", *names)
    assert err == ""


@pytest.mark.parametrize(("scope", "expected"), [("sentence", ["pfm-1"]), ("paragraph", ["pfm-1", "pfm-1"])])
def test_tag_context_option(tmp_path: Path, capsys: pytest.CaptureFixture[str], scope: str, expected: list[str]) -> None:
    (tmp_path / "a.txt").write_text("«Лепестки» на площадке\n\nНайдена ПФМ-1.", encoding="utf-8")
    code, out, _ = run(capsys, "tag", "--format", "jsonl", "--context", scope, str(tmp_path / "a.txt"))
    assert code == 0
    assert [m["id"] for m in json.loads(out)["mentions"]] == expected


def test_tag_context_option_with_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = []
    for i, text in enumerate(["Найдена ПФМ-1.\n\nЛепестки у дороги.", "Лепестки у дороги."]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
        names.append(str(tmp_path / f"{i}.txt"))
    outputs = [run(capsys, "tag", "--format", "jsonl", "--context", "document", "--jobs", jobs, *names)[1] for jobs in ("1", "2")]
    assert outputs[0] == outputs[1]
    assert [[m["text"] for m in json.loads(line)["mentions"]] for line in outputs[0].splitlines()] == [["ПФМ-1", "Лепестки"], []]


def test_bad_context_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*G, "tag", "--context", "page", "-"])
    assert exc.value.code == 2


def test_glossary_show_forms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "glossary", "show", "pfm-1", "--forms", "--format", "json")
    assert code == 0
    forms = {row["alias"]: row["forms"] for row in json.loads(out)}
    assert "Лепестками" in forms["Лепесток"] and "Пелюсткою" in forms["Пелюстка"]
    assert forms["PFM-1"] == [] and forms["ПФМ-1"] == []
    code, out, _ = run(capsys, "glossary", "show", "anti-personnel-mine", "--forms")
    assert code == 0 and "противопехотными минами" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    from munitag import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"munitag {__version__}\n"
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]  # __init__ is the one source
    assert project["tool"]["hatch"]["version"]["path"] == "src/munitag/__init__.py"


def test_glossary_option_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = Path(__file__).parent / "fixtures" / "broken"
    assert main(["tag", "--glossary", str(broken), "-"]) == 1
    assert "the glossary has" in capsys.readouterr().err
    assert main(["glossary", "list", "--format", "json", "--glossary", str(FIXTURE_GLOSSARY)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8  # the fixture's entries, not the bundled ones
    # given twice, the later one wins
    code = main(["--glossary", str(tmp_path / "nonexistent"), "glossary", "show", "--glossary", str(FIXTURE_GLOSSARY), "claymore"])
    assert code == 0 and "claymore" in capsys.readouterr().out


def test_missing_glossary_directory_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nonexistent"
    for argv in (["--glossary", str(missing), "tag", "-"], ["glossary", "list", "--glossary", str(missing)]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err == f"munitag: error: glossary directory not found: {missing}\n"  # no advice to lint another glossary


def test_show_finds_names_and_aliases(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for key in ("PFM-1", "lepestok", "ПФМ-1", "ЛЕПЕСТОК"):
        code, out, err = run(capsys, "glossary", "show", key, "--format", "json")
        assert code == 0 and json.loads(out)["id"] == "pfm-1", (key, err)
    code, _, err = run(capsys, "glossary", "show", "Lepestki")
    assert code == 1 and "no entry with id, name or alias 'Lepestki'" in err
    import shutil

    gdir = tmp_path / "g"
    shutil.copytree(FIXTURE_GLOSSARY, gdir)
    for name in ("mon-50", "mon-100"):  # an ambiguous alias may name several entries
        path = gdir / "items" / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("aliases:\n", "aliases:\n  - text: Monka\n    ambiguous: true\n"), encoding="utf-8")
    assert main(["glossary", "lint", str(gdir)]) == 0
    capsys.readouterr()
    assert main(["--glossary", str(gdir), "glossary", "show", "monka"]) == 1
    err = capsys.readouterr().err
    assert "'monka' names 2 entries: " in err and "mon-50 (MON-50)" in err and "mon-100 (MON-100)" in err


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ("мина МОН-50".encode("utf-16"), "UTF-16 byte-order mark: convert it first, e.g. `iconv -f utf-16 -t utf-8`"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00", "looks like a binary file"),
        ("мина МОН-50".encode("cp1251"), "`iconv -f cp1251 -t utf-8`"),
    ],
)
def test_non_utf8_hint_fits_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, hint: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    code, _, err = run(capsys, "tag", str(path))
    assert code == 1 and f"{path}: not valid UTF-8" in err and hint in err
    assert ("cp1251" in err) == ("cp1251" in hint)


def test_negative_jobs_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["tag", "--jobs", "-1", "-"], ["enrich", "--text-field", "t", "-j", "-2"]):
        with pytest.raises(SystemExit) as exc:
            main(command)
        assert exc.value.code == 2 and "negative" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["tag", "a.txt"], "tag"),
        (["--glossary", "tag", "enrich", "--text-field", "t"], "enrich"),  # a glossary directory named like a command
        (["--glo", "dir", "discover"], "discover"),  # argparse takes a prefix of --glossary for it
        (["--glossary=dir", "glossary", "lint"], "glossary"),
        (["--version"], None),
        (["-h", "tag"], "tag"),  # argparse prints the top-level help, which lists every command either way
        (["tga", "a.txt"], None),
        (["-", "tag"], None),
        (["--", "tag"], None),
    ],
)
def test_the_command_is_read_as_argparse_reads_it(argv: list[str], command: str | None) -> None:
    from munitag.cli import _command

    assert _command(argv) == command


@pytest.mark.parametrize(
    "argv",
    [
        ["tag", "--format", "jsonl", "--jobs", "2", "a.txt", "--glossary", "g", "--category", "landmine"],
        ["--glossary", "g", "enrich", "--text-field", "body.text", "--candidates", "-j", "0"],
        ["discover", "--top", "5", "-"],
        ["glossary", "show", "pfm-1", "--forms"],
        ["glossary", "new", "x-1", "--lang", "ru", "--alias", "ПФМ-1"],
    ],
)
def test_a_parser_made_for_its_command_parses_as_the_whole_parser(argv: list[str]) -> None:
    from munitag.cli import _command, build_parser

    assert _command(argv) is not None
    assert build_parser(_command(argv)).parse_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("command", ["tag", "enrich", "discover", "glossary"])
def test_a_parser_made_for_its_command_prints_the_same_help(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from munitag.cli import build_parser

    monkeypatch.setenv("COLUMNS", "100")

    def helps(parser: argparse.ArgumentParser) -> tuple[str, str]:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        return parser.format_help(), commands[command].format_help()

    assert helps(build_parser(command)) == helps(build_parser())
    others = [name for name in ("tag", "enrich", "discover", "glossary") if name != command]
    made = next(a for a in build_parser(command)._actions if isinstance(a, argparse._SubParsersAction)).choices
    # the other commands are only listed: their options (the cost of making the parser) are left out
    assert all({o for a in made[name]._actions for o in a.option_strings} == {"-h", "--help", "--glossary"} for name in others)


@pytest.mark.parametrize("columns", ["64", "0", "wide", None])
def test_help_is_as_wide_as_shutil_would_make_it(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from munitag.cli import build_parser

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    width = shutil.get_terminal_size().columns - 2
    lines = build_parser().format_help().splitlines()
    assert max(map(len, lines)) <= width < max(map(len, lines)) + 30  # wrapped at that width, not much narrower


def test_every_option_and_argument_has_help() -> None:
    import argparse

    from munitag.cli import build_parser

    def walk(parser: argparse.ArgumentParser, where: str) -> list[str]:
        missing = []
        for action in parser._actions:
            if not action.help:
                missing.append(f"{where} {action.dest}")
            if isinstance(action, argparse._SubParsersAction):
                missing += [f"{where} {c.dest}" for c in action._choices_actions if not c.help]
                for name, sub in action.choices.items():
                    missing += walk(sub, f"{where} {name}")
        return missing

    assert walk(build_parser(), "munitag") == []
