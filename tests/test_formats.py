"""Annotation formats: BRAT and CoNLL read back to exactly the JSONL spans; displaCy; inline text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main
from munitag.formats import conll, conll_tokens
from munitag.names import shown_name

TEXT = (
    "Report: a PFM-1 «Лепесток» and two MON‑50s.\r\n"
    "Anti-personnel\nmines and cluster munitions (BLU-97/B) were found; ADAM mines too!\n\n"
    "Новый абзац: «Пелюстки» і міни ПФМ-1 на узбіччі…\n\n"
    "Seen again: cluster  \r\n   munitions, ле\u0301пестками мина, Ле\u00adпесток."
)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8", newline="")
    return path


def _jsonl(doc: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[tuple[int, int, str]]:
    assert main(["tag", "--format", "jsonl", *extra, str(doc)]) == 0
    return [(m["start"], m["end"], m["id"]) for m in json.loads(capsys.readouterr().out)["mentions"]]


def read_brat(ann: str, text: str) -> list[tuple[int, int, str]]:
    """A small BRAT standoff reader: (start, end, entry id) per text-bound annotation."""
    spans, notes = {}, {}
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T"):
            label_and_where, shown = fields[1], fields[2]
            fragments = [tuple(map(int, f.split())) for f in label_and_where.split(" ", 1)[1].split(";")]
            assert shown == " ".join(text[s:e] for s, e in fragments)
            assert all("\n" not in text[s:e] and "\r" not in text[s:e] for s, e in fragments)
            spans[fields[0]] = (fragments[0][0], fragments[-1][1])
        elif line.startswith("#"):
            notes[fields[1].split()[1]] = fields[2].split()[0]
    return sorted((s, e, notes[t]) for t, (s, e) in spans.items())


def as_brat_reads(offset: int, text: str = TEXT) -> int:
    """Where ``offset`` lands once ``text`` is read with universal newlines (``\r\n`` one character)."""
    return len(text[:offset].replace("\r\n", "\n"))


def test_brat_reads_back_to_the_jsonl_spans(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _jsonl(doc, capsys)
    assert len(expected) >= 9
    assert main(["tag", "--format", "brat", str(doc)]) == 0
    assert capsys.readouterr().out.strip() == str(doc.with_suffix(".ann"))
    ann = doc.with_suffix(".ann").read_text(encoding="utf-8")
    with open(doc, encoding="utf-8") as file:  # universal newlines, as BRAT reads the text
        seen_by_brat = file.read()
    assert read_brat(ann, seen_by_brat) == [(as_brat_reads(s), as_brat_reads(e), i) for s, e, i in expected]
    assert ";" in ann  # the mention across a line break became two fragments


def test_brat_offsets_count_crlf_as_one_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """BRAT reads the .txt with universal newlines: after each ``\r\n`` the offsets are one less
    than in the file (a lone ``\r`` stays one character)."""
    text = "MON-50\r\nPFM-1\r\n\r\nADAM\rBLU-97/B"
    path = tmp_path / "crlf.txt"
    path.write_text(text, encoding="utf-8", newline="")
    assert main(["tag", "--format", "brat", str(path)]) == 0
    capsys.readouterr()
    ann = path.with_suffix(".ann").read_text(encoding="utf-8")
    assert [line.split("\t")[1] for line in ann.splitlines() if line.startswith("T")] == [
        "directional-fragmentation-mine 0 6", "ap-blast-mine 7 12", "scatterable-mine-system 14 18", "submunition 19 27",
    ]


def test_brat_does_not_overwrite_without_asking(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc.with_suffix(".ann").write_text("T1\tManual 0 6\tReport\n", encoding="utf-8")
    assert main(["tag", "--format", "brat", str(doc)]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert doc.with_suffix(".ann").read_text(encoding="utf-8").startswith("T1\tManual")
    assert main(["tag", "--format", "brat", "--overwrite", str(doc)]) == 0
    assert "AnnotatorNotes" in doc.with_suffix(".ann").read_text(encoding="utf-8")


def test_conll_reconstructs_the_mentions(doc: Path, capsys: pytest.CaptureFixture[str], bundled: Tagger) -> None:
    assert main(["tag", "--format", "conll", str(doc)]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == f"# source = {doc}"
    rows = [line.split("\t") for line in lines[1:] if line]
    assert all(TEXT[int(s) : int(e)] == token for token, s, e, _ in rows)
    found, current = [], None
    for _, s, e, label in rows:
        if label.startswith("B-"):
            current = [int(s), int(e), label[2:]]
            found.append(current)
        elif label.startswith("I-"):
            assert current is not None and label[2:] == current[2]
            current[1] = int(e)
        else:
            current = None
    mentions = bundled.tag(TEXT)
    assert [(TEXT[s:e], c) for s, e, c in found] == [(m.text, m.entry.category) for m in mentions]
    assert "" in lines[1:-2]  # sentences are separated


def test_conll_tokens_never_straddle_a_mention(bundled: Tagger) -> None:
    text = "xPFM-1 PFM-1s/MON-50 ПФМ-1С"
    mentions = bundled.tag(text)
    tokens = conll_tokens(text, mentions)
    edges = {p for t in tokens for p in t}
    assert all(m.start in edges and m.end in edges for m in mentions)


def test_displacy_manual_input(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _jsonl(doc, capsys)
    assert main(["tag", "--format", "displacy", str(doc)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == TEXT and data["title"] == str(doc)
    assert [(e["start"], e["end"], e["kb_id"]) for e in data["ents"]] == expected
    assert all(e["kb_url"].startswith("http") and e["label"] for e in data["ents"])
    from spacy import displacy

    rendered = displacy.render(data, style="ent", manual=True, page=True)
    assert "PFM-1" in rendered and "ap-blast-mine" in rendered


def test_inline_text_markup(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "--format", "text", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "a [PFM-1](pfm-1) «[Лепесток](pfm-1)»" in out
    assert "[Anti-personnel\nmines](anti-personnel-mine)" in out
    assert out.replace("[", "").count("](") == len(_jsonl(doc, capsys))


@pytest.mark.parametrize("fmt", ["conll", "displacy", "text", "html"])
def test_jobs_give_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    names = []
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(TEXT * (i + 1), encoding="utf-8", newline="")
        names.append(str(tmp_path / f"{i}.txt"))
    outs = []
    for jobs in ("1", "2"):
        assert main(["tag", "--format", fmt, "--jobs", jobs, *names]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1] and outs[0]


def test_mentions_across_gaps_and_stress_marks(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name across a line break with indentation: BRAT fragments leave the white space out;
    a stress mark or soft hyphen stays inside its CoNLL token."""
    assert main(["tag", "--format", "brat", str(doc)]) == 0
    capsys.readouterr()
    ann = doc.with_suffix(".ann").read_text(encoding="utf-8")
    gap = next(line for line in ann.splitlines() if line.endswith("\tcluster munitions") and ";" in line)
    fragments = [tuple(map(int, f.split())) for f in gap.split("\t")[1].split(" ", 1)[1].split(";")]
    assert [TEXT.replace("\r\n", "\n")[s:e] for s, e in fragments] == ["cluster", "munitions"]
    assert main(["tag", "--format", "conll", str(doc)]) == 0
    tokens = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()[1:] if line]
    assert "ле\u0301пестками" in tokens and "Ле\u00adпесток" in tokens


def _brat(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["tag", "--format", "brat", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_brat_never_writes_through_a_dangling_link(doc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    doc.with_suffix(".ann").symlink_to(elsewhere)
    other = tmp_path / "other.txt"
    other.write_text("MON-50", encoding="utf-8")
    code, out, err = _brat(capsys, str(doc), str(other))
    assert code == 1
    assert f"{doc.with_suffix('.ann')}: is a symbolic link" in err and "Traceback" not in err
    assert not elsewhere.exists() and doc.with_suffix(".ann").is_symlink()
    assert out == f"{other.with_suffix('.ann')}\n"  # the other input is still written
    assert "T1\tdirectional-fragmentation-mine 0 6\tMON-50" in other.with_suffix(".ann").read_text(encoding="utf-8")


def test_brat_overwrite_never_replaces_a_links_target(doc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "annotators.ann"
    work.write_text("T1\tManual 0 6\tReport\n", encoding="utf-8")
    doc.with_suffix(".ann").symlink_to(work)
    code, out, err = _brat(capsys, "--overwrite", str(doc))
    assert code == 1 and out == "" and "symbolic link" in err
    assert work.read_text(encoding="utf-8") == "T1\tManual 0 6\tReport\n"
    assert doc.with_suffix(".ann").is_symlink()


def test_brat_overwrite_replaces_the_file_whole(doc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann = doc.with_suffix(".ann")
    ann.write_text("old\n", encoding="utf-8")
    ann.chmod(0o640)
    assert _brat(capsys, "--overwrite", str(doc))[0] == 0
    assert "AnnotatorNotes" in ann.read_text(encoding="utf-8")
    assert ann.stat().st_mode & 0o777 == 0o640  # its permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotation.conf", "report.ann", "report.txt"]  # no temporary file left


def test_brat_writes_nothing_beside_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=("MON-50",))
    writer.start()
    code, out, err = _brat(capsys, str(fifo))
    writer.join()
    assert code == 1 and out == ""
    assert f"{fifo}: not a regular file" in err and "standard input" in err
    assert not fifo.with_suffix(".ann").exists()


def test_brat_stdin_goes_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a\r\nMON-50")))
    code, out, _ = _brat(capsys, "-")
    assert code == 0 and out.startswith("T1\tdirectional-fragmentation-mine 2 8\tMON-50\n")


def test_conll_refuses_overlapping(doc: Path, capsys: pytest.CaptureFixture[str], bundled: Tagger) -> None:
    assert main(["tag", "--format", "conll", "--overlapping", str(doc)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "conll cannot hold overlapping mentions" in captured.err
    mentions = bundled.tag("BLU-97/B", overlapping=True)
    assert len(mentions) == 2
    with pytest.raises(ValueError, match="overlapping"):
        conll("x", "BLU-97/B", mentions)


def test_displacy_overlapping_uses_the_span_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nested.txt"
    path.write_text("A BLU-97/B and\r\nMON-50.", encoding="utf-8", newline="")
    assert main(["tag", "--format", "displacy", "--overlapping", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "ents" not in data and data["text"] == "A BLU-97/B and\r\nMON-50."
    spans = [(s["start"], s["end"], "".join(data["tokens"][s["start_token"] : s["end_token"]]), s["kb_id"]) for s in data["spans"]]
    assert spans == [(2, 10, "BLU-97/B", "blu-97"), (2, 8, "BLU-97", "blu-97"), (16, 22, "MON-50", "mon-50")]
    from spacy import displacy

    rendered = displacy.render(data, style="span", manual=True)
    assert rendered.count("BLU-97") == 1 and rendered.count("submunition") == 2  # the text once, both spans


def test_conll_paragraphs_in_any_line_break_convention(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "cr.txt"
    path.write_text("MON-50\r\rPFM-1\r\n\r\nMON-100", encoding="utf-8", newline="")
    assert main(["tag", "--format", "conll", str(path)]) == 0
    rows = capsys.readouterr().out.split("\n")[1:]
    assert rows == [
        "MON-50\t0\t6\tB-directional-fragmentation-mine", "",
        "PFM-1\t8\t13\tB-ap-blast-mine", "",
        "MON-100\t17\t24\tB-directional-fragmentation-mine", "", "",
    ]


def test_control_characters_in_names_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A newline in a file name can neither forge a CoNLL row nor split BRAT's list of paths."""
    path = tmp_path / "x\nMON-50\t0\t6\tB-forged\x1b[31m.txt"
    path.write_text("PFM-1", encoding="utf-8")
    assert main(["tag", "--format", "conll", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"# source = {tmp_path}/x\\nMON-50\\t0\\t6\\tB-forged\\x1b[31m.txt", "PFM-1\t0\t5\tB-ap-blast-mine", ""]
    assert main(["tag", "--format", "brat", str(path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path}/x\\nMON-50\\t0\\t6\\tB-forged\\x1b[31m.ann\n"
    assert path.with_suffix(".ann").exists()


def test_shown_name_escapes_only_what_breaks_a_line_or_the_screen() -> None:
    assert shown_name("Доклад «ПФМ-1» é 地雷 C:\\docs\\a.txt") == "Доклад «ПФМ-1» é 地雷 C:\\docs\\a.txt"
    assert shown_name("a\r\n\t\x00\x7f\x85\u2028\u2029\u202e\u2066b") == "a\\r\\n\\t\\x00\\x7f\\x85\\u2028\\u2029\\u202e\\u2066b"


def test_mention_template_caches_per_entry_and_alias(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON of a mention, its entry part made once per entry and alias, is ``json.dumps`` of
    ``to_dict()``, also for an entry that replaces another of the same id (``extra``) and a text
    holding ``%``."""
    from munitag import formats
    from munitag.matcher import Mention

    text = TEXT + ' "quoted\\" \\\\ \t\x01 😀 100% PFM-1" PFM-1 ПФМ-1 pfm-1 ' * 3
    plain = Tagger()
    entry = plain.glossary.get("pfm-1")
    assert entry is not None
    data = entry.to_dict()
    renamed = Tagger(extra=[{**data, "name": 'Renamed "PFM"', "aliases": [*data["aliases"], 'Renamed "PFM"']}])
    made: list[Mention] = []
    original = Mention.to_dict
    monkeypatch.setattr(Mention, "to_dict", lambda m: made.append(m) or original(m))
    for tagger in (plain, renamed, plain):
        for m in tagger.tag(text):
            assert formats.mention_template(m) % (m.start, m.end) == json.dumps(original(m), ensure_ascii=False)
    mentions = plain.tag(text) + renamed.tag(text)
    assert len(made) <= len({(id(m.entry), m.alias) for m in mentions}) < len(mentions) // 2
