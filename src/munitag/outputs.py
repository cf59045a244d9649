"""What each ``munitag tag --format`` writes, input by input.

A format hands out one sink per input; the sink gets the input's segments as they are tagged
and is closed at the end of the input (with the error, if reading broke off). ``rich``,
``jsonl`` and ``csv`` write as segments arrive (bounded memory), and so does ``html`` (one page:
its head, each input's section, then the entries mentioned); the others need the whole text of
an input and keep it until the input ends. ``label-studio`` writes one JSON array of tasks (its
``[`` before the first input, its ``]`` at the end of the run); ``docbin`` keeps every input's
Doc and writes one spaCy ``DocBin`` at the end of the run.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TextIO

from .errors import InputError
from .formats import (
    MENTION_COLUMNS,
    CsvRows,
    JsonlRecord,
    brat_ann,
    brat_conf,
    conll,
    displacy_doc,
    displacy_span_doc,
    inline_markup,
    label_studio_task,
)
from .glossary import Glossary
from .matcher import Mention, Segment
from .names import shown_name
from .substitute import substituted

if TYPE_CHECKING:
    from rich.console import Console

    from .htmlview import HtmlPage

FORMATS = ("rich", "jsonl", "brat", "conll", "displacy", "html", "text", "csv", "label-studio", "docbin")


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
        overlapping: The mentions may overlap (``displacy`` then writes its span style).
        substitute: ``text`` writes each mention as what this gives for it (``--replace``,
            ``--redact``; see ``munitag.substitute``) instead of ``[text](entry-id)``.
        binary: Where ``docbin`` writes its bytes (default: standard output's buffer).
    """

    def __init__(
        self, fmt: str, glossary: Glossary, *, multiple: bool, names: bool = True, overwrite: bool = False, overlapping: bool = False,
        out: TextIO | None = None, substitute: Callable[[Mention], str] | None = None, binary: BinaryIO | None = None,
    ) -> None:
        self.fmt, self.glossary, self.multiple, self.names = fmt, glossary, multiple, names
        self.substitute = substitute
        self.overwrite, self.overlapping = overwrite, overlapping
        self.out = out or sys.stdout
        self.binary = binary
        self.console: Console | None = None
        self.page: HtmlPage | None = None
        self.tasks = 0  # label-studio tasks written
        self.confs: set[Path] = set()  # directories whose annotation.conf brat has seen to
        self.docbin: Any = None
        if fmt == "csv":
            csv.writer(self.out, lineterminator="\n").writerow(MENTION_COLUMNS)
        elif fmt == "docbin":
            import spacy
            from spacy.tokens import DocBin

            self.nlp, self.docbin = spacy.blank("xx"), DocBin(store_user_data=True)
        elif fmt == "rich":
            from .render import make_console

            self.console = make_console()
        elif fmt == "html":
            from .htmlview import HtmlPage

            self.page = HtmlPage(self.out, glossary)

    def open(self, name: str) -> Sink:
        """The sink for the input ``name``."""
        if self.fmt == "jsonl":
            return JsonlRecord(self.out, name)
        if self.fmt == "csv":
            return CsvRows(self.out, name)
        if self.console is not None:
            from .render import Report

            return Report(self.console, self.glossary, name if self.multiple else None, names=self.names)
        if self.page is not None:
            return self.page.open(name)
        return _Document(self, name)

    def emit(self, name: str, text: str, mentions: list[Mention]) -> None:
        """Write one complete input in a whole-document format.

        Raises:
            InputError: ``brat`` cannot write the annotation file (see ``write_ann``).
        """
        if self.fmt == "conll":
            self.out.write(conll(name, text, mentions))
        elif self.fmt == "displacy":
            doc = (displacy_span_doc if self.overlapping else displacy_doc)(name, text, mentions)
            self.out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        elif self.fmt == "text":
            self.out.write(inline_markup(text, mentions) if self.substitute is None else substituted(text, mentions, self.substitute))
        elif self.fmt == "brat":
            self._brat(name, brat_ann(text, mentions), {m.entry.category for m in mentions})
        elif self.fmt == "label-studio":
            from . import __version__

            task = json.dumps(label_studio_task(name, text, mentions, f"munitag {__version__}"), ensure_ascii=False)
            self.out.write(("[\n" if not self.tasks else ",\n") + task)
            self.tasks += 1
        elif self.fmt == "docbin":
            from .spacy_component import mentions_doc

            parsed = mentions_doc(self.nlp, text, mentions)
            parsed.user_data["source"] = name
            self.docbin.add(parsed)

    def _brat(self, name: str, ann: str, labels: set[str]) -> None:
        if name == "-":
            self.out.write(ann)
            return
        path = Path(name)
        target = path.with_suffix(".ann") if path.suffix == ".txt" else path.with_name(path.name + ".ann")
        write_ann(path, target, ann, overwrite=self.overwrite)
        self.out.write(f"{shown_name(str(target))}\n")
        if target.parent not in self.confs:
            self.confs.add(target.parent)
            write_conf(target.parent / "annotation.conf", brat_conf(self.glossary, labels))

    def finish(self) -> None:
        """End the run (the ``html`` page gets its entries and its end here, ``label-studio``
        its ``]``, ``docbin`` all its bytes)."""
        if self.page is not None:
            self.page.close()
        if self.fmt == "label-studio":
            self.out.write("\n]\n" if self.tasks else "[]\n")
        if self.docbin is not None:
            self.out.flush()
            binary = self.binary or sys.stdout.buffer
            binary.write(self.docbin.to_bytes())
            binary.flush()


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def write_ann(source: Path, target: Path, ann: str, *, overwrite: bool = False) -> None:
    """Write the annotations ``ann`` of the text file ``source`` to ``target`` (UTF-8).

    Never through a symbolic link: ``target`` is created exclusively (``O_EXCL``, ``O_NOFOLLOW``);
    with ``overwrite`` an existing regular file is replaced whole, by a temporary file in the same
    directory renamed over it (its permissions kept), so a reader never sees half a file.

    Raises:
        InputError: ``source`` is not a regular file (a pipe, a device: nothing to annotate beside
            it); ``target`` is a symbolic link, exists without ``overwrite``, exists but is not a
            regular file, or cannot be written.
    """
    shown = shown_name(str(target))
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):
            raise InputError(
                f"{shown_name(str(source))}: not a regular file, so no .ann is written beside it; "
                "give the text on standard input (-) to get the annotations on standard output"
            )
        existing: os.stat_result | None
        try:
            existing = os.lstat(target)
        except FileNotFoundError:
            existing = None
        if existing is None:
            _create(target, ann.encode("utf-8"))
        elif stat.S_ISLNK(existing.st_mode):
            raise InputError(f"{shown}: is a symbolic link; not written through (remove the link first)")
        elif not overwrite:
            raise InputError(f"{shown}: exists; not overwritten (it may hold annotators' work); use --overwrite")
        elif not stat.S_ISREG(existing.st_mode):
            raise InputError(f"{shown}: exists and is not a regular file; not replaced")
        else:
            _replace(target, ann.encode("utf-8"), stat.S_IMODE(existing.st_mode))
    except FileExistsError:  # created by someone else since the check
        raise InputError(f"{shown}: appeared while writing; not overwritten") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot write: {exc.strerror}") from None


def write_conf(target: Path, conf: str) -> None:
    """Write BRAT's ``annotation.conf`` to ``target`` unless something of that name is there
    already (a file, a symbolic link: never written through, never replaced).

    Raises:
        InputError: it cannot be written.
    """
    try:
        _create(target, conf.encode("utf-8"))
    except FileExistsError:
        pass
    except OSError as exc:
        raise InputError(f"{shown_name(str(target))}: cannot write: {exc.strerror}") from None


def _create(target: Path, data: bytes) -> None:
    fd = os.open(target, _NEW_FILE, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
    except BaseException:
        os.unlink(target)
        raise


def _replace(target: Path, data: bytes, mode: int) -> None:
    import tempfile  # here, not at the top: with shutil, bz2 and lzma it costs every warm start ~4 ms

    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
