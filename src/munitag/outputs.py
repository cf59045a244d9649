"""What each ``munitag tag --format`` writes, input by input.

A format hands out one sink per input; the sink gets the input's segments as they are tagged
and is closed at the end of the input (with the error, if reading broke off). ``rich`` and
``jsonl`` write as segments arrive (bounded memory), and so does ``html`` (one page: its head,
each input's section, then the entries mentioned); the others need the whole text of an input
and keep it until the input ends.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from .errors import InputError
from .formats import JsonlRecord, brat_ann, conll, displacy_doc, inline_markup
from .glossary import Glossary
from .matcher import Mention, Segment

if TYPE_CHECKING:
    from rich.console import Console

    from .htmlview import HtmlPage

FORMATS = ("rich", "jsonl", "brat", "conll", "displacy", "html", "text")


class Sink(Protocol):
    def add(self, segment: Segment) -> None: ...

    def close(self, error: str | None = None) -> None: ...


class _Document:
    """Collects an input's text and mentions, then hands them to ``emit``."""

    def __init__(self, output: Output, name: str) -> None:
        self.output, self.name = output, name
        self.pieces: list[str] = []
        self.mentions: list[Mention] = []

    def add(self, segment: Segment) -> None:
        self.pieces.append(segment.text)
        self.mentions += segment.mentions

    def close(self, error: str | None = None) -> None:
        if error is None:
            self.output.emit(self.name, "".join(self.pieces), self.mentions)


class Output:
    """The writer of one ``--format`` for a whole run.

    Args:
        fmt: One of ``FORMATS``.
        glossary: The glossary the mentions come from.
        multiple: More than one input (rich output then heads each with its name).
        names: Show canonical names after mentions (rich).
        overwrite: Let ``brat`` replace ``.ann`` files that already exist.
    """

    def __init__(self, fmt: str, glossary: Glossary, *, multiple: bool, names: bool = True, overwrite: bool = False, out: TextIO | None = None) -> None:
        self.fmt, self.glossary, self.multiple, self.names, self.overwrite = fmt, glossary, multiple, names, overwrite
        self.out = out or sys.stdout
        self.console: Console | None = None
        self.page: HtmlPage | None = None
        if fmt == "rich":
            from .render import make_console

            self.console = make_console()
        elif fmt == "html":
            from .htmlview import HtmlPage

            self.page = HtmlPage(self.out, glossary)

    def open(self, name: str) -> Sink:
        """The sink for the input ``name``."""
        if self.fmt == "jsonl":
            return JsonlRecord(self.out, name)
        if self.console is not None:
            from .render import Report

            return Report(self.console, self.glossary, name if self.multiple else None, names=self.names)
        if self.page is not None:
            return self.page.open(name)
        return _Document(self, name)

    def emit(self, name: str, text: str, mentions: list[Mention]) -> None:
        """Write one complete input in a whole-document format.

        Raises:
            InputError: a ``brat`` annotation file exists and ``overwrite`` is off, or cannot be written.
        """
        if self.fmt == "conll":
            self.out.write(conll(name, text, mentions))
        elif self.fmt == "displacy":
            self.out.write(json.dumps(displacy_doc(name, text, mentions), ensure_ascii=False) + "\n")
        elif self.fmt == "text":
            self.out.write(inline_markup(text, mentions))
        elif self.fmt == "brat":
            self._brat(name, brat_ann(text, mentions))

    def _brat(self, name: str, ann: str) -> None:
        if name == "-":
            self.out.write(ann)
            return
        path = Path(name)
        target = path.with_suffix(".ann") if path.suffix == ".txt" else path.with_name(path.name + ".ann")
        if target.exists() and not self.overwrite:
            raise InputError(f"{target}: exists; not overwritten (it may hold annotators' work); use --overwrite")
        try:
            target.write_text(ann, encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"{target}: cannot write: {exc.strerror}") from None
        self.out.write(f"{target}\n")

    def finish(self) -> None:
        """End the run (the ``html`` page gets its entries and its end here)."""
        if self.page is not None:
            self.page.close()
