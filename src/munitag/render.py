"""Terminal rendering with rich: highlighted text, a legend and a summary table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from .glossary import Glossary
from .matcher import Mention

#: Style per category; a category without one uses its nearest ancestor's.
STYLES: dict[str, str] = {
    "munitag.landmine": "bold red",
    "munitag.anti-personnel-mine": "bold red",
    "munitag.anti-vehicle-mine": "bold dark_orange",
    "munitag.scatterable-mine-system": "bold magenta",
    "munitag.cluster-munition": "bold bright_cyan",
    "munitag.submunition": "bold cyan",
    "munitag.explosive-ordnance": "bold yellow",
    "munitag.mine-component": "bold green",
    "munitag.mine-action": "bold blue",
    "munitag.other": "bold",
    "munitag.name": "dim italic",
}
THEME = Theme(STYLES)


def category_style(glossary: Glossary, category: str) -> str:
    """The dotted style name for ``category`` (falls back to its ancestors, then ``other``)."""
    for name in glossary.category_chain(category):
        if f"munitag.{name}" in STYLES:
            return f"munitag.{name}"
    return "munitag.other"


def make_console(**kwargs: object) -> Console:
    """A rich Console with munitag's theme (honours NO_COLOR, FORCE_COLOR and pipes)."""
    return Console(theme=THEME, highlight=False, **kwargs)  # type: ignore[arg-type]


def highlight(text: str, mentions: Sequence[Mention], glossary: Glossary, *, names: bool = True) -> Text:
    """``text`` with each mention styled by category, plus ``⟨name⟩`` when another alias matched."""
    out = Text()
    pos = 0
    for m in mentions:
        out.append(text[pos : m.start])
        out.append(m.text, style=category_style(glossary, m.entry.category))
        if names and m.alias != m.entry.name:
            out.append(f"⟨{m.entry.name}⟩", style="munitag.name")
        pos = m.end
    out.append(text[pos:])
    return out


def legend(mentions: Sequence[Mention], glossary: Glossary) -> Text:
    """One swatch per category present in ``mentions``."""
    out = Text("Legend: ", style="dim")
    seen = sorted({m.entry.category for m in mentions})
    for i, category in enumerate(seen):
        if i:
            out.append("  ")
        label = glossary.categories[category].label if category in glossary.categories else category
        out.append(f"■ {label}", style=category_style(glossary, category))
    return out


def summary(mentions: Sequence[Mention], glossary: Glossary) -> Table:
    """Entries mentioned, with category, origin and count, most frequent first."""
    counts = Counter(m.entry.id for m in mentions)
    table = Table(title=f"{len(mentions)} mention(s) of {len(counts)} entr{'y' if len(counts) == 1 else 'ies'}")
    for column in ("entry", "name", "category", "origin", "count"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for entry_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        entry = glossary.get(entry_id)
        assert entry is not None
        label = glossary.categories[entry.category].label
        table.add_row(
            entry.id,
            entry.name,
            Text(label, style=category_style(glossary, entry.category)),
            ", ".join(entry.origin) or "–",
            str(count),
        )
    return table


def report(console: Console, source: str | None, text: str, mentions: Sequence[Mention], glossary: Glossary, *, names: bool = True) -> None:
    """Print everything shown for one input: a heading, the highlighted text, legend and summary.

    The text keeps its own line breaks (no re-wrapping); the tables fit the console width.
    """
    if source is not None:
        console.print(Text(f"── {source} ──", style="bold"))
    console.print(highlight(text, mentions, glossary, names=names), soft_wrap=True)
    if mentions:
        console.print(legend(mentions, glossary))
        console.print(summary(mentions, glossary))
    else:
        console.print(Text("No mentions found.", style="dim"))
