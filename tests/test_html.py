"""The HTML view, loaded in a real headless Chromium: marks, no console errors, hostile text inert.

Needs Debian's ``chromium``; ``.ci/run`` installs it and sets MUNITAG_REQUIRE_CHROMIUM=1 so the
test cannot be skipped there. Locally, without chromium, it is skipped with a message saying so.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main
from munitag.matcher import Segment
from munitag.outputs import Output

HOSTILE = (
    'Hostile: <script>document.title="pwned"</script> <img src=x onerror="document.title=\'pwned\'"> '
    "</mark></pre><b>bold?</b> & a PFM-1 «Лепесток»; <a href=javascript:alert(1)>MON-50</a>\n"
)
REPORT = "Clearance teams found MON-100s, anti-personnel mines and ADAM mines.\nНа полі знайшли ПТМ-3 та міни «Пелюстка».\n"


def _chromium() -> str:
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if found is None:
        if os.environ.get("MUNITAG_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required here (MUNITAG_REQUIRE_CHROMIUM is set) but not installed")
        pytest.skip("chromium not installed: the HTML view is not tested in a browser (apt-get install chromium)")
    return found


def load(page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """The DOM after load, and the console messages Chromium logged."""
    proc = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return proc.stdout, [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.marks: list[tuple[str, str]] = []  # (link target, text) of each mention
        self.links: list[dict[str, str | None]] = []  # attributes of each link inside a mark
        self.ids: list[str] = []
        self.title = ""
        self._mark: str | None = None
        self._text: list[str] = []
        self._in_mark = self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        self.ids += [found["id"] or ""] if "id" in found else []
        if tag == "mark":
            self._in_mark, self._mark, self._text = True, None, []
        elif tag == "a" and self._in_mark:
            self._mark = str(found.get("href"))
            self.links.append(found)
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.marks.append((str(self._mark), "".join(self._text)))
            self._in_mark = False
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self._text.append(data)
        if self._in_title:
            self.title += data


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """Control: the console check below would see an error if the page had one."""
    page = tmp_path / "control.html"
    page.write_text("<!doctype html><title>c</title><script>console.error('boom')</script>", encoding="utf-8")
    _, console = load(page, tmp_path)
    assert any("boom" in line for line in console)


def test_html_view_in_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Tagger) -> None:
    names = []
    for name, text in (("hostile.txt", HOSTILE), ("report.txt", REPORT)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(str(tmp_path / name))
    assert main(["tag", "--format", "html", *names]) == 0
    page = tmp_path / "page.html"
    page.write_text(capsys.readouterr().out, encoding="utf-8")
    dom, console = load(page, tmp_path)
    assert console == []
    parsed = _Dom()
    parsed.feed(dom)
    assert parsed.title == "munitag"
    assert "script" not in parsed.tags and "img" not in parsed.tags
    for shown in ("&lt;script&gt;", "&lt;img src=x", "&lt;/mark&gt;&lt;/pre&gt;&lt;b&gt;bold?&lt;/b&gt;", "&lt;a href=javascript:"):
        assert shown in dom  # hostile markup is shown as text
    expected = [(f"#e-{m.entry.id}", m.text) for text in (HOSTILE, REPORT) for m in bundled.tag(text)]
    assert len(expected) >= 8
    assert parsed.marks == expected
    # every mention is a link (reachable by keyboard) to its entry's details, which are on the page once
    assert all(link["href"] and link["aria-describedby"] == link["href"][1:] for link in parsed.links)
    targets = {href[1:] for href, _ in expected}
    assert all(parsed.ids.count(target) == 1 for target in targets)
    assert dom.count('class="entry"') == len(targets)
    assert dom.count("https://en.wikipedia.org/wiki/PFM-1_mine") == 2  # its link's address and text


def test_html_is_self_contained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    assert main(["tag", "--format", "html", str(tmp_path / "a.txt")]) == 0
    page = capsys.readouterr().out
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for needle in ("<script", "<link", "src=", "url(", "@import"):
        assert needle not in page


def test_entry_details_are_written_once(bundled: Tagger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page grows by a short link per mention: the entry's details are on it once."""
    pages = []
    for n in (1, 400):
        (tmp_path / "a.txt").write_text("PFM-1 and Lepestok. " * n, encoding="utf-8")
        assert main(["tag", "--format", "html", str(tmp_path / "a.txt")]) == 0
        pages.append(capsys.readouterr().out)
    assert pages[1].count("https://en.wikipedia.org/wiki/PFM-1_mine") == 2  # its address and text
    assert pages[1].count("winged plastic body") == 1
    per_mention = (len(pages[1]) - len(pages[0])) / (2 * 399)
    assert per_mention < 90


def test_documents_are_written_as_they_end(bundled: Tagger) -> None:
    """Bounded memory: each input's section is on its way out before the next input starts."""
    out = io.StringIO()
    output = Output("html", bundled.glossary, multiple=True, out=out)
    for name, text in (("a.txt", "Found a PFM-1.\n"), ("b.txt", "And a MON-50.\n")):
        sink = output.open(name)
        sink.add(Segment(0, text, bundled.tag(text)))
        assert text[8:-2] + "</a></mark>" in out.getvalue()  # written as it is tagged
        sink.close()
        assert out.getvalue().endswith("</section>") and f">{name}</h2>" in out.getvalue()
    assert "MON-50</a></mark>" in out.getvalue() and 'class="entry"' not in out.getvalue()
    output.finish()
    assert out.getvalue().count('class="entry"') == 2 and out.getvalue().endswith("</html>\n")


def test_section_titles_show_control_characters_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "a\nb\x1b[2J<i>.txt"
    odd.write_text("PFM-1\n", encoding="utf-8")
    assert main(["tag", "--format", "html", str(odd)]) == 0
    page = capsys.readouterr().out
    assert f"{tmp_path}/a\\nb\\x1b[2J&lt;i&gt;.txt</h2>" in page
    assert "\n" not in page.split("<h2", 1)[1].split("</h2>", 1)[0]


def test_a_mention_across_segments_is_one_mark(bundled: Tagger) -> None:
    """With --overlapping a mention may run past its segment; it is still marked once, whole."""
    text = "Remote mines: PTM-3 and PFM-1S in one field.\n"
    mentions = bundled.tag(text, overlapping=True)
    cut = text.index("PFM-1S") + 3
    pages = []
    for cuts in ([0, len(text)], [0, cut, len(text)]):
        out = io.StringIO()
        output = Output("html", bundled.glossary, multiple=False, out=out)
        sink = output.open("a.txt")
        for lo, hi in itertools.pairwise(cuts):
            sink.add(Segment(lo, text[lo:hi], [m for m in mentions if lo <= m.start < hi]))
        sink.close()
        output.finish()
        pages.append(out.getvalue())
    assert any(m.start < cut < m.end for m in mentions)
    assert pages[0] == pages[1] and "PFM-1S</a></mark>" in pages[0]
