"""Terminal (rich) output: control characters, file names, colours, legend, summary."""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main
from munitag.matcher import Mention
from munitag.palette import COLOURS
from munitag.render import category_style, highlight, legend, make_console, summary

SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own styling
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = "Title \x1b]0;pwned\x07 then \x1b[2J PFM-1\x7f and MON-50\r\nnext\rline \x9b31m ПТМ-3\tend\n"


def _render(renderable: object, width: int = 80) -> str:
    out = io.StringIO()
    make_console(file=out, width=width, force_terminal=True, color_system="truecolor").print(renderable)
    return out.getvalue()


def test_control_characters_are_shown_not_sent(bundled: Tagger) -> None:
    shown = highlight(HOSTILE, bundled.tag(HOSTILE), bundled.glossary)
    assert shown.plain == "Title ^[]0;pwned^G then ^[[2J PFM-1^? and MON-50\nnext^Mline M-^[31m ПТМ-3⟨PTM-3⟩\tend\n"  # CRLF: a line break
    marked = [shown.plain[s.start : s.end] for s in shown.spans if str(s.style).startswith("munitag.") and s.style != "munitag.name"]
    assert [text for text in marked if not text.startswith(("^", "M-"))] == ["PFM-1", "MON-50", "ПТМ-3"]
    terminal = SGR.sub("", _render(shown))
    assert CONTROL.sub("", terminal.replace("\n", "").replace("\t", "")) == terminal.replace("\n", "").replace("\t", "")


def test_control_characters_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8", newline="")
    assert main(["tag", str(tmp_path / "a.txt")]) == 0
    out = SGR.sub("", capsys.readouterr().out)
    assert "^[]0;pwned^G" in out and "^[[2J" in out and "M-^[31m" in out
    assert not CONTROL.search(out.replace("\n", "").replace("\t", ""))


def test_file_names_are_escaped_in_the_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "a\nb\x1b[2J.txt"
    odd.write_text("PFM-1\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("MON-50\n", encoding="utf-8")
    assert main(["tag", str(odd), str(tmp_path / "c.txt")]) == 0
    out = capsys.readouterr().out
    assert f"── {tmp_path}/a\\nb\\x1b[2J.txt ──\n" in out
    assert "\x1b" not in out


def test_one_colour_per_top_level_category_in_terminal_and_html(bundled: Tagger) -> None:
    from munitag.htmlview import HtmlPage

    glossary = bundled.glossary
    page = io.StringIO()
    html = HtmlPage(page, glossary)
    html.close()
    css = dict(re.findall(r"\.(k\d+)\{background:(#[0-9a-f]{6})\}", page.getvalue()))
    console = make_console()
    tops = [name for name, category in glossary.categories.items() if not category.parent]
    assert all(top in COLOURS for top in tops)  # a new top-level category needs a colour of its own
    terminal = {}
    for top in tops:
        style = console.get_style(category_style(glossary, top))
        assert style.bgcolor is not None
        terminal[top] = style.bgcolor.get_truecolor().hex
        assert terminal[top] == css[html.css_class(top)]
    assert len(set(terminal.values())) == len(tops)
    # a subcategory has its top-level category's colour
    assert category_style(glossary, "ap-blast-mine") == category_style(glossary, "landmine")


def test_legend_items_are_never_split(bundled: Tagger) -> None:
    glossary = bundled.glossary
    counts = Counter({"pfm-1": 1, "ptm-3": 1, "mopms": 1, "rbk-500": 1, "unexploded-ordnance": 1, "tripwire": 1, "land-release": 1})
    assert all(glossary.get(entry_id) for entry_id in counts)
    for width in (30, 45, 80):
        lines = SGR.sub("", _render(legend(counts, glossary), width)).splitlines()
        for label in ("landmine", "scatterable mine system", "cluster munition", "explosive ordnance", "mine component", "mine action"):
            assert sum(f"■ {label}" in line for line in lines) == 1, (width, label, lines)
        assert max(map(len, lines)) <= width


def test_summary_never_cuts_entry_ids(bundled: Tagger) -> None:
    ids = ["anti-personnel-mine-ban-convention", "explosive-ordnance-risk-education", "directional-fragmentation-mine", "pfm-1"]
    out = SGR.sub("", _render(summary(Counter(dict.fromkeys(ids, 1)), bundled.glossary), 80))
    for entry_id in ids:
        assert f"│ {entry_id} " in out
    assert "…" not in out and "Convention" in out


def test_mention_repr_is_short(bundled: Tagger) -> None:
    mentions = bundled.tag("PFM-1 and Lepestok")
    assert repr(mentions) == (
        "[Mention(start=0, end=5, text='PFM-1', entry='pfm-1', alias='PFM-1'), "
        "Mention(start=10, end=18, text='Lepestok', entry='pfm-1', alias='Lepestok')]"
    )
    assert [f.name for f in dataclasses.fields(Mention)] == ["start", "end", "text", "entry", "alias"]
    first = mentions[0]
    assert first == Mention(0, 5, "PFM-1", first.entry, "PFM-1") and first != Mention(0, 5, "PFM-1", first.entry, "Lepestok")
