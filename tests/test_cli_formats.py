"""``munitag tag``: what --overlapping and --no-names do in every format, and where BRAT writes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main

# Nested mentions (BLU-97 in BLU-97/B, anti-personnel in anti-personnel mines), a nickname and a
# Cyrillic alias (names shown after them in the rich output), a CRLF (BRAT offsets shift after it).
TEXT = "A BLU-97/B and anti-personnel mines; «Лепесток» near МОН-50.\r\nMON-50 too.\n"
FORMATS = ("rich", "jsonl", "brat", "conll", "displacy", "html", "text")

Span = tuple[int, int, str]


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8", newline="")
    return path


def tag(capsys: pytest.CaptureFixture[str], doc: Path, fmt: str, *flags: str) -> str:
    """What ``tag --format fmt`` writes for ``doc``: standard output, and for brat the .ann after it."""
    extra = ("--overwrite",) if fmt == "brat" else ()
    assert main(["tag", "--format", fmt, *extra, *flags, str(doc)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    if fmt == "brat":
        out += doc.with_suffix(".ann").read_text(encoding="utf-8")
    return out


def spans(fmt: str, out: str) -> list[Span]:
    """(start, end, entry id) of each mention in the output of jsonl, brat or displacy (BRAT's
    offsets mapped back to the file's: ``TEXT`` has one ``\\r\\n``, before the last line)."""
    if fmt == "jsonl":
        return [(m["start"], m["end"], m["id"]) for m in json.loads(out)["mentions"]]
    if fmt == "displacy":
        data = json.loads(out)
        return [(e["start"], e["end"], e["kb_id"]) for e in data["spans" if "spans" in data else "ents"]]
    crlf = TEXT.index("\r\n")
    lines = [line.split("\t") for line in out.splitlines()[1:]]
    ids = {note.split()[1]: value.split()[0] for _, note, value in (f for f in lines if f[0].startswith("#"))}
    where = [(f[0], f[1].split()[1:]) for f in lines if f[0].startswith("T")]
    return [(int(w[0]) + (int(w[0]) > crlf), int(w[-1]) + (int(w[-1]) > crlf), ids[t]) for t, w in where]


def _key(mentions) -> list[Span]:  # type: ignore[no-untyped-def]
    return [(m.start, m.end, m.entry.id) for m in mentions]


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "displacy"])
def test_overlapping_adds_the_nested_mentions(doc: Path, capsys: pytest.CaptureFixture[str], bundled: Tagger, fmt: str) -> None:
    default, overlapping = spans(fmt, tag(capsys, doc, fmt)), spans(fmt, tag(capsys, doc, fmt, "--overlapping"))
    assert default == _key(bundled.tag(TEXT))
    assert overlapping == _key(bundled.tag(TEXT, overlapping=True))
    nested = [(2, 8, "blu-97"), (15, 29, "anti-personnel-mine")]
    assert sorted(set(overlapping) - set(default)) == nested and set(default) < set(overlapping)


def test_displacy_style_follows_overlapping(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    default, overlapping = json.loads(tag(capsys, doc, "displacy")), json.loads(tag(capsys, doc, "displacy", "--overlapping"))
    assert set(default) == {"text", "ents", "title"}
    assert set(overlapping) == {"text", "tokens", "spans", "title"}


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_overlapping_shows_each_character_once(doc: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """text and html mark the longest mention and nothing inside it (each character is shown
    once), so --overlapping changes nothing there: the nested BLU-97 is not written."""
    default = tag(capsys, doc, fmt)
    assert tag(capsys, doc, fmt, "--overlapping") == default
    marks = {"text": "](", "html": "<mark "}[fmt]
    assert default.count(marks) == 5  # the 5 mentions tagged without --overlapping, not the 7 with it
    assert ("[BLU-97/B](blu-97) and [anti-personnel mines](anti-personnel-mine)" in default) == (fmt == "text")


def test_rich_overlapping_counts_every_candidate(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """rich highlights the text as without --overlapping (longest mention, each character once);
    its summary counts every candidate, the nested ones included."""
    default, overlapping = tag(capsys, doc, "rich"), tag(capsys, doc, "rich", "--overlapping")
    shown = default.split("Legend:")[0]
    assert overlapping.split("Legend:")[0] == shown and "BLU-97/B" in shown
    assert "5 mention(s) of 4 entries" in default and "7 mention(s) of 4 entries" in overlapping


def test_conll_refuses_overlapping_whatever_else_is_asked(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for flags in ([], ["--no-names"]):
        assert main(["tag", "--format", "conll", "--overlapping", *flags, str(doc)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and "conll cannot hold overlapping mentions" in err


def test_no_names_drops_the_names_after_mentions_in_rich(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for flags in ([], ["--overlapping"]):
        named, plain = tag(capsys, doc, "rich", *flags), tag(capsys, doc, "rich", "--no-names", *flags)
        assert "«Лепесток⟨PFM-1⟩» near МОН-50⟨MON-50⟩." in named
        assert "«Лепесток» near МОН-50." in plain
        assert plain == named.replace("⟨PFM-1⟩", "").replace("⟨MON-50⟩", "")  # nothing else changes


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "rich"])
def test_no_names_changes_nothing_in_other_formats(doc: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """Only rich writes names after mentions; every other format is the same with --no-names
    (the canonical names they carry, such as jsonl's "name", stay)."""
    for flags in ([], [] if fmt == "conll" else ["--overlapping"]):
        assert tag(capsys, doc, fmt, "--no-names", *flags) == tag(capsys, doc, fmt, *flags)
    if fmt in ("jsonl", "html"):
        assert "PFM-1" in tag(capsys, doc, fmt, "--no-names")


def _brat(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["tag", "--format", "brat", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_brat_stdin_writes_the_annotations_to_stdout(
    doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-`` gets on standard output exactly the annotations a file of the same text gets in its
    .ann, and no file is written."""
    assert _brat(capsys, str(doc))[0] == 0
    ann = doc.with_suffix(".ann").read_text(encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    assert _brat(capsys, "-") == (0, ann, "")
    assert sorted(tmp_path.iterdir()) == before


def test_brat_ann_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``a.txt`` gets ``a.ann``; any other name gets ``.ann`` added (``notes.md.ann``), so
    ``notes.md`` and ``notes.txt`` never share one."""
    names = ["a.txt", "notes.md", "notes.txt", "README"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text("MON-50 " * (i + 1), encoding="utf-8")
    code, out, err = _brat(capsys, *(str(tmp_path / n) for n in names))
    assert (code, err) == (0, "")
    written = ["a.ann", "notes.md.ann", "notes.ann", "README.ann"]
    assert out.splitlines() == [str(tmp_path / n) for n in written]
    for i, name in enumerate(written):
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        assert [line.split("\t")[2] for line in lines if line.startswith("T")] == ["MON-50"] * (i + 1)


def test_brat_jobs_refuse_an_existing_ann_and_write_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = [tmp_path / n for n in ("a.txt", "b.txt", "c.md")]
    for path in names:
        path.write_text(TEXT, encoding="utf-8", newline="")
    manual = tmp_path / "b.ann"
    manual.write_text("T1\tManual 0 1\tA\n", encoding="utf-8")
    code, out, err = _brat(capsys, "--jobs", "2", *map(str, names))
    assert code == 1
    assert f"{manual}: exists; not overwritten" in err and "--overwrite" in err and "Traceback" not in err
    assert manual.read_text(encoding="utf-8") == "T1\tManual 0 1\tA\n"
    assert out.splitlines() == [str(tmp_path / "a.ann"), str(tmp_path / "c.md.ann")]
    expected = (tmp_path / "a.ann").read_text(encoding="utf-8")
    assert "\tBLU-97/B\n" in expected and (tmp_path / "c.md.ann").read_text(encoding="utf-8") == expected

    code, out, err = _brat(capsys, "--jobs", "2", "--overwrite", *map(str, names))
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(tmp_path / n) for n in ("a.ann", "b.ann", "c.md.ann")]
    assert manual.read_text(encoding="utf-8") == expected
