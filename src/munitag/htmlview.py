"""A self-contained HTML page of tagged documents, to share with someone who has no terminal.

One file, no scripts, no external assets, no network requests (a Content-Security-Policy forbids
them): every mention is a highlighted ``<mark>`` coloured by category and reachable with the Tab
key; hovering or focusing it shows the entry's name, category, origin and source links. All text
from the input is escaped, so markup in it is shown, never run.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .glossary import Glossary
from .matcher import Mention, prefer_longest

#: Highlight colours by top-level category (background, dark enough text on it).
COLOURS = {
    "landmine": "#f8c4c4",
    "scatterable-mine-system": "#e8c8f4",
    "cluster-munition": "#bfe6f5",
    "explosive-ordnance": "#f7e7a8",
    "mine-component": "#cdeccd",
    "mine-action": "#c9d6f7",
}
OTHER = "#e2e2e2"

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:2rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;list-style:none;padding:0}
.legend span{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border:1px solid #888}
.text{white-space:pre-wrap;font:inherit;margin:0}
.mw{position:relative}
mark{color:inherit;border-radius:.2em;padding:0 .1em;cursor:help}
mark:focus{outline:2px solid #1a1a1a;outline-offset:1px}
.tip{display:none;position:absolute;left:0;top:1.6em;z-index:1;min-width:16rem;max-width:28rem;
white-space:normal;background:#fff;border:1px solid #888;border-radius:.3em;padding:.4rem .6rem;
box-shadow:0 2px 6px rgba(0,0,0,.2);font-size:.9rem}
.mw:hover .tip,.mw:focus-within .tip{display:block}
.tip a{display:inline-block;margin-right:.5em;word-break:break-all}
.none{color:#666;font-style:italic}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _root(glossary: Glossary, category: str) -> str:
    return glossary.category_chain(category)[-1] if category else ""


def _category_label(glossary: Glossary, category: str) -> str:
    found = glossary.categories.get(category)
    return found.label if found else category


def _tip(glossary: Glossary, m: Mention, tip_id: str) -> str:
    e = m.entry
    origins = ", ".join(glossary.origins.get(code, code) for code in e.origin) or "–"
    links = "".join(
        f'<a href="{html.escape(url)}" rel="noreferrer noopener">{html.escape(url)}</a>'
        for url in e.sources
        if url.startswith(("https://", "http://"))
    )
    return (
        f'<span class="tip" role="tooltip" id="{tip_id}"><b>{html.escape(e.name)}</b> ({html.escape(e.id)})<br>'
        f"{html.escape(_category_label(glossary, e.category))} · origin: {html.escape(origins)}<br>{links}</span>"
    )


def highlighted(text: str, mentions: Sequence[Mention], glossary: Glossary, prefix: str) -> str:
    """Escaped ``text`` with every (non-overlapping) mention marked up."""
    out, pos = [], 0
    for j, m in enumerate(prefer_longest(mentions)):
        tip_id = f"{prefix}-{j}"
        colour = COLOURS.get(_root(glossary, m.entry.category), OTHER)
        out.append(html.escape(text[pos : m.start]))
        out.append(
            f'<span class="mw"><mark tabindex="0" style="background:{colour}" data-entry="{html.escape(m.entry.id)}" '
            f'data-category="{html.escape(m.entry.category)}" aria-describedby="{tip_id}">{html.escape(m.text)}</mark>'
            f"{_tip(glossary, m, tip_id)}</span>"
        )
        pos = m.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def html_page(documents: Sequence[tuple[str, str, Sequence[Mention]]], glossary: Glossary, title: str = "munitag") -> str:
    """The page for ``documents``: (source name, text, mentions) each, in order."""
    roots = sorted({_root(glossary, m.entry.category) for _, _, ms in documents for m in ms})
    legend = "".join(
        f'<li><span style="background:{COLOURS.get(r, OTHER)}"></span>{html.escape(_category_label(glossary, r))}</li>' for r in roots
    )
    sections = []
    for i, (source, text, mentions) in enumerate(documents):
        count = f"{len(mentions)} mention(s)" if mentions else '<span class="none">no mentions found</span>'
        sections.append(
            f'<section aria-labelledby="d{i}"><h2 id="d{i}">{html.escape(source)}</h2><p>{count}</p>'
            f'<pre class="text">{highlighted(text, mentions, glossary, f"t{i}")}</pre></section>'
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1><p>Highlighted with munitag. Hover over or Tab to a mention for its "
        f'glossary entry.</p><ul class="legend" aria-label="Legend">{legend}</ul></header>'
        f"<main>{''.join(sections)}</main></body></html>\n"
    )
