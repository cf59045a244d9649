"""``tag --format csv|label-studio|docbin`` and brat's annotation.conf and normalization lines,
each read back with the tool's own reader (csv module, a JSON Schema of Label Studio's task
import, spaCy's DocBin)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import spacy
from spacy.tokens import DocBin

from munitag import Tagger
from munitag.cli import main
from munitag.formats import MENTION_COLUMNS

from .conftest import readme_section, run_doctests

TEXT = "Sappers found a PFM-1 «Лепесток» 🙂 and two MON‑50s;\r\nBLU-97/B and BLU-97 submunitions, ПФМ-1 и МОН-50."
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "label-studio-tasks.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8", newline="")
    return path


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["tag", *args]) == 0
    return capsys.readouterr().out


def test_csv_has_one_row_per_mention_and_the_raw_source_name(tmp_path: Path, doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / 'a "quoted",\nname.txt'
    odd.write_text("ПФМ-1 и МОН-50.", encoding="utf-8")
    rows = list(csv.reader(io.StringIO(_out(capsys, "--format", "csv", "--overlapping", str(doc), str(odd)), newline="")))
    assert tuple(rows[0]) == MENTION_COLUMNS
    records = [dict(zip(MENTION_COLUMNS, r)) for r in rows[1:]]
    expected = Tagger().tag(TEXT, overlapping=True)
    mine = [r for r in records if r["source"] == str(doc)]
    assert [(int(r["start"]), int(r["end"]), r["text"], r["id"], r["category"]) for r in mine] == [
        (m.start, m.end, m.text, m.entry.id, m.entry.category) for m in expected
    ]
    assert mine[0]["origin"] == "SU" and mine[0]["name"] == "PFM-1"
    assert [r["id"] for r in records if r["source"] == str(odd)] == ["pfm-1", "mon-50"]  # the name as it is, quoted


def test_label_studio_tasks_pass_the_schema_and_their_offsets_slice_the_text(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = json.loads(_out(capsys, "--format", "label-studio", "--overlapping", str(doc), str(doc)))
    jsonschema.validate(tasks, SCHEMA)
    assert len(tasks) == 2
    task = tasks[0]
    assert task["data"] == {"text": TEXT, "source": str(doc)}
    results = task["predictions"][0]["result"]
    assert len({r["id"] for r in results}) == len(results)
    for r in results:
        v = r["value"]
        assert TEXT[v["start"] : v["end"]] == v["text"]  # code points, past the emoji too
    assert ("BLU-97/B", ["submunition"]) in [(r["value"]["text"], r["value"]["labels"]) for r in results]
    assert [r["value"]["text"] for r in results].count("BLU-97") == 2  # the overlapped candidate too


def test_label_studio_with_no_input_left_is_an_empty_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "--format", "label-studio", str(tmp_path / "missing.txt")]) == 1
    assert json.loads(capsys.readouterr().out) == []


def test_the_schema_check_can_fail() -> None:
    bad = [{"data": {"text": "PFM-1"}, "predictions": [{"result": [{"id": "1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5, "text": "PFM-1"}}]}]}]
    with pytest.raises(jsonschema.ValidationError, match="labels"):
        jsonschema.validate(bad, SCHEMA)


def test_docbin_reads_back_with_spacy(tmp_path: Path, doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.spacy"
    assert main(["tag", "--format", "docbin", "--overlapping", "--output", str(target), str(doc), str(doc)]) == 0
    assert capsys.readouterr().out == ""
    docs = list(DocBin().from_disk(target).get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 2 and docs[0].text == TEXT and docs[0].user_data["source"] == str(doc)
    expected = Tagger().tag(TEXT, overlapping=True)
    spans = docs[0].spans["munitag"]
    assert [(s.kb_id_, s.id_, s.label_) for s in spans] == [(m.entry.id, m.entry.id, m.entry.category) for m in expected]
    ents = [(e.text, e.kb_id_) for e in docs[0].ents]
    assert ("BLU-97/B", "blu-97") in ents and ("МОН-50", "mon-50") in ents
    assert [e for e in ents if e[0] == "BLU-97"] == [("BLU-97", "blu-97")]  # the second BLU-97 is its own mention; the overlapped one is not an entity
    assert len(ents) == len(Tagger().tag(TEXT))


def test_docbin_options_are_checked(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "--format", "jsonl", "--output", "x.spacy", str(doc)]) == 2
    assert "--output is for --format docbin" in capsys.readouterr().err


def test_brat_writes_normalization_lines_and_annotation_conf_once(tmp_path: Path, doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.txt"
    other.write_text("ADAM mines.", encoding="utf-8")
    _out(capsys, "--format", "brat", str(doc), str(other))
    ann = doc.with_suffix(".ann").read_text(encoding="utf-8").splitlines()
    assert "N1\tReference T1 munitag:pfm-1\tPFM-1" in ann
    assert sum(line.startswith("N") for line in ann) == sum(line.startswith("T") for line in ann)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert conf[0] == "[entities]" and "landmine" in conf and "\t\tap-blast-mine" in conf and "[relations]" in conf


def test_brat_keeps_an_annotation_conf_and_never_writes_through_a_link(tmp_path: Path, doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "annotation.conf").write_text("[entities]\nmine\n", encoding="utf-8")
    _out(capsys, "--format", "brat", str(doc))
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == "[entities]\nmine\n"
    linked = tmp_path / "linked"
    linked.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (linked / "annotation.conf").symlink_to(victim)
    (linked / "a.txt").write_text("PFM-1", encoding="utf-8")
    _out(capsys, "--format", "brat", str(linked / "a.txt"))
    assert victim.read_text(encoding="utf-8") == "keep" and (linked / "annotation.conf").is_symlink()
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "annotation.conf").symlink_to(tmp_path / "nowhere")
    (dangling / "a.txt").write_text("PFM-1", encoding="utf-8")
    _out(capsys, "--format", "brat", str(dangling / "a.txt"))
    assert not (tmp_path / "nowhere").exists()


def test_label_studio_config_names_every_label_the_tasks_use(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    assert main(["glossary", "export", "--format", "label-studio-config"]) == 0
    view = ET.fromstring(capsys.readouterr().out)
    labels_tag, text_tag = view.find("Labels"), view.find("Text")
    assert labels_tag is not None and text_tag is not None
    assert (labels_tag.get("name"), labels_tag.get("toName"), text_tag.get("name"), text_tag.get("value")) == ("label", "text", "text", "$text")
    known = {label.get("value") for label in labels_tag.iter("Label")}
    tasks = json.loads(_out(capsys, "--format", "label-studio", str(doc)))
    used = {label for r in tasks[0]["predictions"][0]["result"] for label in r["value"]["labels"]}
    assert used and used <= known


def test_readme_export_examples_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's export commands, run in a directory holding its report.txt, then its Python
    example reading their output back."""
    import re
    import shlex

    section = readme_section("### Exports: ", "### HTML view")
    monkeypatch.chdir(tmp_path)
    Path("report.txt").write_text("Sappers found a PFM-1 and a MON-50.\n", encoding="utf-8")
    commands = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1).splitlines()  # type: ignore[union-attr]
    assert len(commands) == 7
    for line in commands:
        words = shlex.split(line, comments=True)
        target = words[words.index(">") + 1] if ">" in words else None
        assert main(words[1 : words.index(">")] if target else words[1:]) == 0, line
        out = capsys.readouterr().out
        if target:
            Path(target).write_text(out, encoding="utf-8")
    assert len(json.loads(Path("tasks.json").read_text(encoding="utf-8"))) == 1
    run_doctests("\n".join(re.findall(r"```python\n(.*?)```", section, re.DOTALL)))


def test_docbin_goes_to_standard_output_as_bytes_but_never_to_a_terminal(doc: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "munitag", "tag", "--format", "docbin", str(doc)], capture_output=True, check=True)
    docs = list(DocBin().from_bytes(proc.stdout).get_docs(spacy.blank("xx").vocab))
    assert [d.text for d in docs] == [TEXT]
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["tag", "--format", "docbin", str(doc)]) == 2
    assert "give --output FILE or redirect" in capsys.readouterr().err
