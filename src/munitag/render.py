"""Terminal rendering with rich: highlighted text, a legend and a summary table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from .glossary import Glossary
from .matcher import Mention, Segment, prefer_longest

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


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Raise ``BrokenPipeError`` (rich exits with status 1): the caller decides, as for plain writes."""
        self.quiet = True
        raise BrokenPipeError


def make_console(**kwargs: object) -> Console:
    """A rich Console with munitag's theme (honours NO_COLOR, FORCE_COLOR and pipes)."""
    return _Console(theme=THEME, highlight=False, **kwargs)  # type: ignore[arg-type]


def highlight(text: str, mentions: Sequence[Mention], glossary: Glossary, *, names: bool = True, offset: int = 0) -> Text:
    """``text`` with each mention styled by category, plus ``⟨name⟩`` when another alias matched.

    ``offset`` is where ``text`` starts in the whole input (mentions carry whole-input offsets).
    Each character is shown once: a mention starting inside one already shown is not restyled.
    """
    out = Text()
    pos = 0
    for m in prefer_longest(mentions):
        start, end = m.start - offset, min(m.end - offset, len(text))
        out.append(text[pos:start])
        out.append(text[start:end], style=category_style(glossary, m.entry.category))
        if names and m.alias != m.entry.name:
            out.append(f"⟨{m.entry.name}⟩", style="munitag.name")
        pos = end
    out.append(text[pos:])
    return out


def legend(counts: Counter[str], glossary: Glossary) -> Text:
    """One swatch per category among the entries counted in ``counts``."""
    out = Text("Legend: ", style="dim")
    seen = sorted({entry.category for entry in map(glossary.get, counts) if entry is not None})
    for i, category in enumerate(seen):
        if i:
            out.append("  ")
        label = glossary.categories[category].label if category in glossary.categories else category
        out.append(f"■ {label}", style=category_style(glossary, category))
    return out


def summary(counts: Counter[str], glossary: Glossary) -> Table:
    """Entries mentioned (``counts``: entry id -> mentions), most frequent first."""
    total = sum(counts.values())
    table = Table(title=f"{total} mention(s) of {len(counts)} entr{'y' if len(counts) == 1 else 'ies'}")
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


class Report:
    """Prints one input as it streams in: a heading, the highlighted text, then legend and summary.

    The text keeps its own line breaks (no re-wrapping); the tables fit the console width.
    """

    def __init__(self, console: Console, glossary: Glossary, source: str | None, *, names: bool = True) -> None:
        self.console, self.glossary, self.names = console, glossary, names
        self.counts: Counter[str] = Counter()
        if source is not None:
            console.print(Text(f"── {source} ──", style="bold"))

    def add(self, segment: Segment) -> None:
        """Print the next piece of the text with its mentions."""
        self.counts.update(m.entry.id for m in segment.mentions)
        shown = highlight(segment.text, segment.mentions, self.glossary, names=self.names, offset=segment.start)
        self.console.print(shown, soft_wrap=True, end="")

    def close(self, error: str | None = None) -> None:
        """Finish the input: a line break, then the legend and summary (or "No mentions found.").

        ``error`` (reported on stderr by the caller) cut the text short; the summary covers what
        was shown.
        """
        self.console.print()
        if self.counts:
            self.console.print(legend(self.counts, self.glossary))
            self.console.print(summary(self.counts, self.glossary))
        else:
            self.console.print(Text("No mentions found.", style="dim"))
