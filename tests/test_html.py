"""The HTML view, loaded in a real headless Chromium: marks, no console errors, hostile text inert.

Needs Debian's ``chromium``; ``.ci/run`` installs it and sets MUNITAG_REQUIRE_CHROMIUM=1 so the
test cannot be skipped there. Locally, without chromium, it is skipped with a message saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from munitag import Tagger
from munitag.cli import main

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
        self.marks: list[tuple[str, str]] = []
        self.title = ""
        self._mark: dict[str, str | None] | None = None
        self._text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "mark":
            self._mark, self._text = dict(attrs), []
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append((str(self._mark.get("data-entry")), "".join(self._text)))
            self._mark = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
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
    expected = [(m.entry.id, m.text) for text in (HOSTILE, REPORT) for m in bundled.tag(text)]
    assert len(expected) >= 8
    assert parsed.marks == expected
    assert dom.count('tabindex="0"') == len(expected)  # every mention is reachable by keyboard
    assert dom.count('role="tooltip"') == len(expected)
    assert "https://en.wikipedia.org/wiki/PFM-1_mine" in dom


def test_html_is_self_contained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    assert main(["tag", "--format", "html", str(tmp_path / "a.txt")]) == 0
    page = capsys.readouterr().out
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for needle in ("<script", "<link", "src=", "url(", "@import"):
        assert needle not in page
