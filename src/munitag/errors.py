"""Exceptions raised by munitag, each with the exit code the CLI uses for it."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import ClassVar


class MunitagError(Exception):
    """Base class of every expected munitag failure."""

    exit_code: ClassVar[int] = 1


@dataclass(frozen=True)
class Problem:
    """One problem found in a glossary file.

    Attributes:
        path: The file the problem is in.
        line: 1-based line of the offending YAML node (0 when unknown).
        col: 1-based column of the offending node (0 when unknown).
        code: Stable lint code such as ``G010`` (see CONTRIBUTING.md).
        message: What is wrong and how to fix it.
    """

    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready dict."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
        }


class GlossaryError(MunitagError):
    """The glossary could not be loaded; ``problems`` says where and why. ``directory`` is the
    glossary given by the user (None: the bundled one), named in the advice to lint it; ``advice``
    replaces that advice (entries given as Python data have no directory to lint)."""

    def __init__(self, problems: list[Problem], directory: str | None = None, *, advice: str | None = None) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        target = f" {shlex.quote(directory)}" if directory is not None else ""
        advice = advice or f"Run `munitag glossary lint{target}` for the full list."
        super().__init__(f"the glossary has {len(problems)} problem(s):\n{shown}{more}\n{advice}")


class InputError(MunitagError):
    """An input text could not be read (missing, a directory, not UTF-8)."""


class FilterError(MunitagError):
    """A filter names a field or value the glossary does not know (a usage error)."""

    exit_code: ClassVar[int] = 2
