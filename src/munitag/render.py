"""Terminal rendering with rich: highlighted text, a legend and a summary table.

Control characters of the input are shown in caret notation (``^[`` like ``cat -v``), so text
can never drive the terminal; tabs and line breaks are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from rich.console import Console, ConsoleOptions
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from .glossary import Glossary
from .matcher import Mention, Segment, prefer_longest
from .names import shown_name
from .palette import COLOURS, INK, OTHER, top_categories, top_category

#: Style per top-level category (the colours of ``palette``), and for the rest of the output.
STYLES: dict[str, str] = {
    **{f"munitag.{name}": f"bold {INK} on {bg}" for name, bg in COLOURS.items()},
    "munitag.other": f"bold {INK} on {OTHER}",
    "munitag.name": "dim italic",
    "munitag.control": "reverse",
}
THEME = Theme(STYLES)

#: Control characters to show as text: all C0 but tab and line feed (a carriage return only
#: when no line feed follows: rich drops the one of a CRLF), DEL and C1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def caret(char: str) -> str:
    """``cat -v``'s notation for a control character: ``^[`` for ESC, ``^?`` for DEL, ``M-^[`` for U+009B."""
    code = ord(char)
    return f"M-{caret(chr(code - 0x80))}" if code >= 0x80 else f"^{chr(code ^ 0x40)}"


def category_style(glossary: Glossary, category: str) -> str:
    """The dotted style name for ``category``: its top-level category's, else ``munitag.other``."""
    top = top_category(glossary, category)
    return f"munitag.{top}" if top in COLOURS else "munitag.other"


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Raise ``BrokenPipeError`` (rich exits with status 1): the caller decides, as for plain writes."""
        self.quiet = True
        raise BrokenPipeError


def make_console(**kwargs: object) -> Console:
    """A rich Console with munitag's theme (honours NO_COLOR, FORCE_COLOR and pipes)."""
    return _Console(theme=THEME, highlight=False, **kwargs)  # type: ignore[arg-type]


def _append(out: Text, text: str, start: int, end: int, style: str = "") -> None:
    """Append ``text[start:end]`` with control characters made visible (the character after
    ``end`` tells whether a carriage return ends a line)."""
    pos = start
    for found in _CONTROL.finditer(text, start, min(end + 1, len(text))):
        if found.start() >= end:
            break
        out.append(text[pos : found.start()], style=style)
        shown = caret(found.group())
        out.append(shown, style=style)
        out.stylize("munitag.control", len(out) - len(shown), len(out))
        pos = found.end()
    out.append(text[pos:end], style=style)


def highlight(text: str, mentions: Sequence[Mention], glossary: Glossary, *, names: bool = True, offset: int = 0) -> Text:
    """``text`` with each mention styled by category, plus ``⟨name⟩`` when another alias matched.

    ``offset`` is where ``text`` starts in the whole input (mentions carry whole-input offsets).
    Each character is shown once: a mention starting inside one already shown is not restyled.
    """
    out = Text()
    pos = 0
    for m in prefer_longest(mentions):
        start, end = m.start - offset, min(m.end - offset, len(text))
        _append(out, text, pos, start)
        _append(out, text, start, end, category_style(glossary, m.entry.category))
        if names and m.alias != m.entry.name:
            out.append(f"⟨{shown_name(m.entry.name)}⟩", style="munitag.name")
        pos = end
    _append(out, text, pos, len(text))
    return out


class Legend:
    """Swatches of top-level categories, packed into lines; an item is never split."""

    def __init__(self, items: Sequence[Text]) -> None:
        self.items = items

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Legend:", style="dim")
        for item in self.items:
            if line and line.cell_len + 2 + item.cell_len > options.max_width:
                yield line
                line = Text(no_wrap=True, overflow="ellipsis")
            else:
                line.append("  ")
            line.append_text(item)
        yield line


def legend(counts: Counter[str], glossary: Glossary) -> Legend:
    """One swatch per top-level category among the entries counted in ``counts``."""
    found = {top_category(glossary, entry.category) for entry in map(glossary.get, counts) if entry is not None}
    tops = [name for name in top_categories(glossary) if name in found] + sorted(found - set(top_categories(glossary)))
    return Legend([Text(f"■ {_label(glossary, top)}", style=category_style(glossary, top)) for top in tops])


def _label(glossary: Glossary, category: str) -> str:
    found = glossary.categories.get(category)
    return shown_name(found.label if found else category)


def summary(counts: Counter[str], glossary: Glossary) -> Table:
    """Entries mentioned (``counts``: entry id -> mentions), most frequent first.

    Entry ids are never cut short; the other columns wrap when the console is narrow.
    """
    total = sum(counts.values())
    table = Table(title=f"{total} mention(s) of {len(counts)} entr{'y' if len(counts) == 1 else 'ies'}")
    table.add_column("entry", no_wrap=True, overflow="fold")
    for column in ("name", "category", "origin"):
        table.add_column(column, overflow="fold")
    table.add_column("count", justify="right", no_wrap=True)
    for entry_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        entry = glossary.get(entry_id)
        assert entry is not None
        table.add_row(
            Text(shown_name(entry.id)),
            Text(shown_name(entry.name)),
            Text(_label(glossary, entry.category), style=category_style(glossary, entry.category)),
            Text(shown_name(", ".join(entry.origin) or "–")),
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
        self._pending, self._start = "", 0  # text held back from the last segment, and where it starts
        self._held: list[Mention] = []
        if source is not None:
            console.print(Text(f"── {shown_name(source)} ──", style="bold"), soft_wrap=True)

    def add(self, segment: Segment) -> None:
        """Print the next piece of the text with its mentions.

        Printed as the whole text would be: a mention running past the end of the segment (only
        with ``--overlapping``) is held back with the text from its start, and so is a final
        ``\\r``, which a ``\\n`` in the next segment may make half of a line break.
        """
        self.counts.update(m.entry.id for m in segment.mentions)
        text, start = self._pending + segment.text, self._start
        mentions = prefer_longest([*self._held, *segment.mentions])
        cut = len(text) - text.endswith("\r")
        self._held = [m for m in mentions if m.end - start > cut]
        if self._held:
            cut = self._held[0].start - start
        self._print(text[:cut], mentions[: len(mentions) - len(self._held)], start)
        self._pending, self._start = text[cut:], start + cut

    def _print(self, text: str, mentions: Sequence[Mention], start: int) -> None:
        shown = highlight(text, mentions, self.glossary, names=self.names, offset=start)
        self.console.print(shown, soft_wrap=True, end="")

    def close(self, error: str | None = None) -> None:
        """Finish the input: a line break, then the legend and summary (or "No mentions found.").

        ``error`` (reported on stderr by the caller) cut the text short; the summary covers what
        was shown.
        """
        if self._pending:
            self._print(self._pending, self._held, self._start)
        self.console.print()
        if self.counts:
            self.console.print(legend(self.counts, self.glossary))
            self.console.print(summary(self.counts, self.glossary))
        else:
            self.console.print(Text("No mentions found.", style="dim"))
