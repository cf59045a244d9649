"""A self-contained HTML page of tagged documents, to share with someone who has no terminal.

One file, no scripts, no external assets, no network requests (a Content-Security-Policy forbids
them). Every mention is a highlighted link, coloured by its top-level category and reachable with
the Tab key, to its glossary entry (name, category, origin, description, source links), which is
written once at the end of the page. All text from the input is escaped, so markup in it is
shown, never run.

The page is written as it goes, in bounded memory: the head, each document piece by piece as it
is tagged, and the entries at the end.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TextIO
from urllib.parse import quote

from .glossary import Entry, Glossary
from .matcher import Mention, Segment
from .names import shown_name
from .palette import OTHER, colour, top_categories, top_category

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:2rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;list-style:none;padding:0}
.legend li{white-space:nowrap}
.sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border:1px solid #888}
.text{white-space:pre-wrap;font:inherit;margin:0}
mark{color:#000;border-radius:.2em;padding:0 .1em}
mark a{color:inherit;text-decoration:none}
mark a:hover{text-decoration:underline}
mark a:focus{outline:2px solid #1a1a1a;outline-offset:1px}
.entries{list-style:none;padding:0}
.entries li{white-space:normal;padding:.3rem .5rem;margin:.3rem 0;border-left:.4rem solid #ccc;scroll-margin-top:2rem}
.entries li:target{background:#fff8d0;outline:2px solid #1a1a1a}
.entries a{display:block;word-break:break-all}
.none{color:#666;font-style:italic}
.error{color:#a00}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _label(glossary: Glossary, category: str) -> str:
    found = glossary.categories.get(category)
    return found.label if found else category


def _anchor(entry_id: str) -> str:
    """The page id of an entry's details (ids are slugs; anything else is %-escaped)."""
    return "e-" + quote(entry_id, safe="")


class HtmlPage:
    """The page, written to ``out``: the head at the first document (or at the end), then each
    document through its ``HtmlDocument``, then the entries mentioned and the end of the page."""

    def __init__(self, out: TextIO, glossary: Glossary, title: str = "munitag") -> None:
        self.out, self.glossary, self.title = out, glossary, title
        self.classes = {top: f"k{i}" for i, top in enumerate(top_categories(glossary))}
        self.counts: Counter[str] = Counter()
        self.entries: dict[str, Entry] = {}
        self.documents = 0
        self._started = False

    def css_class(self, category: str) -> str:
        """The colour class of ``category`` (that of its top-level category)."""
        return self.classes.get(top_category(self.glossary, category), "ko")

    def open(self, name: str) -> HtmlDocument:
        """Start the section of the input ``name``."""
        self._start()
        self.documents += 1
        return HtmlDocument(self, name, f"d{self.documents}")

    def close(self) -> None:
        """The entries mentioned on the page, each once, and the end of the page."""
        self._start()
        if not self.documents:
            self.out.write('<p class="none">No input was tagged.</p>')
        self.out.write("</main>")
        if self.entries:
            self.out.write('<section aria-labelledby="entries"><h2 id="entries">Entries</h2><ul class="entries">')
            for entry in sorted(self.entries.values(), key=lambda e: (e.name.casefold(), e.id)):
                self.out.write(self._details(entry))
            self.out.write("</ul></section>")
        self.out.write("</body></html>\n")

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        styles = "".join(f".{cls}{{background:{colour(self.glossary, top)}}}" for top, cls in self.classes.items())
        legend = "".join(
            f'<li><span class="sw {cls}"></span>{html.escape(_label(self.glossary, top))}</li>' for top, cls in self.classes.items()
        )
        title = html.escape(self.title)
        self.out.write(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{_CSS}{styles}.ko{{background:{OTHER}}}</style></head><body>"
            f"<header><h1>{title}</h1><p>Highlighted with munitag. Each mention links to its glossary entry at the "
            "end of the page: click it, or reach it with the Tab key and press Enter (Back returns).</p>"
            f'<ul class="legend" aria-label="Legend">{legend}</ul></header><main>'
        )

    def _details(self, entry: Entry) -> str:
        g = self.glossary
        origins = ", ".join(g.origins.get(code, code) for code in entry.origin) or "–"
        count = self.counts[entry.id]
        links = "".join(
            f'<a href="{html.escape(url)}" rel="noreferrer noopener">{html.escape(url)}</a>'
            for url in entry.sources
            if url.startswith(("https://", "http://"))
        )
        return (
            f'<li id="{html.escape(_anchor(entry.id))}" class="entry">'
            f'<span class="sw {self.css_class(entry.category)}"></span><b>{html.escape(entry.name)}</b> '
            f"({html.escape(entry.id)}) · {html.escape(_label(g, entry.category))} · origin: {html.escape(origins)} · "
            f"{count} mention{'' if count == 1 else 's'}<br>{html.escape(entry.description)}"
            f"{'<br>' + links if links else ''}</li>"
        )


class HtmlDocument:
    """One input's section, written segment by segment as the input is tagged.

    Each character is shown once: a mention starting inside one already shown is not marked. A
    mention running past the end of a segment (only with ``--overlapping``) is held back until
    the next one.
    """

    def __init__(self, page: HtmlPage, name: str, section: str) -> None:
        self.page = page
        self.marked = 0
        self._held: list[Mention] = []
        self._pending = ""
        page.out.write(
            f'<section aria-labelledby="{section}"><h2 id="{section}">{html.escape(shown_name(name))}</h2>'
            '<pre class="text">'
        )

    def add(self, segment: Segment) -> None:
        """Write the next piece of the text with its mentions."""
        text = self._pending + segment.text
        base = segment.start - len(self._pending)
        out: list[str] = []
        held: list[Mention] = []
        pos = 0
        for m in (*self._held, *segment.mentions):
            start, end = m.start - base, m.end - base
            if start < pos:
                continue
            if end > len(text):
                held = [m]
                break
            out.append(html.escape(text[pos:start]))
            out.append(self._mark(m))
            pos = end
            if len(out) >= 4096:  # write as it goes: no page-sized string
                self.page.out.write("".join(out))
                out.clear()
        self._held = held
        if held:
            out.append(html.escape(text[pos : held[0].start - base]))
            pos = held[0].start - base
        else:
            out.append(html.escape(text[pos:]))
            pos = len(text)
        self._pending = text[pos:]
        self.page.out.write("".join(out))

    def close(self, error: str | None = None) -> None:
        """End the section, with the number of mentions or what cut the text short."""
        out = self.page.out
        out.write(html.escape(self._pending) + "</pre>")
        if error is not None:
            out.write(f'<p class="error">The text stops here: {html.escape(shown_name(error))}</p>')
        if self.marked:
            out.write(f"<p>{self.marked} mention{'' if self.marked == 1 else 's'}</p></section>")
        else:
            out.write('<p class="none">no mentions found</p></section>')

    def _mark(self, m: Mention) -> str:
        entry = m.entry
        self.marked += 1
        self.page.counts[entry.id] += 1
        self.page.entries.setdefault(entry.id, entry)
        anchor = html.escape(_anchor(entry.id))
        return (
            f'<mark class="{self.page.css_class(entry.category)}"><a href="#{anchor}" aria-describedby="{anchor}">'
            f"{html.escape(m.text)}</a></mark>"
        )
