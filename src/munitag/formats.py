"""Machine-readable output of mentions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from .matcher import Mention, Segment


def jsonl_record(source: str, mentions: Sequence[Mention]) -> str:
    """One JSON line: ``{"source": ..., "mentions": [mention.to_dict(), ...]}``."""
    return json.dumps({"source": source, "mentions": [m.to_dict() for m in mentions]}, ensure_ascii=False)


class JsonlRecord:
    """Writes the ``jsonl_record`` of one input while its mentions stream in.

    Nothing is written until the first ``add``, so an input that fails before any text was
    tagged leaves no line; one that fails later gets an ``"error"`` field.
    """

    def __init__(self, out: TextIO, source: str) -> None:
        self.out, self.source = out, source
        self.started = self.first = False

    def add(self, segment: Segment | None = None) -> None:
        """Write the mentions of the next segment of this input."""
        if not self.started:
            self.out.write(json.dumps({"source": self.source}, ensure_ascii=False)[:-1] + ', "mentions": [')
            self.started = self.first = True
        for m in segment.mentions if segment else ():
            self.out.write(("" if self.first else ", ") + json.dumps(m.to_dict(), ensure_ascii=False))
            self.first = False

    def close(self, error: str | None = None) -> None:
        """End the line, recording ``error`` if the input broke off after output began."""
        if error is not None and not self.started:
            return
        self.add()
        self.out.write("]" + (f', "error": {json.dumps(error, ensure_ascii=False)}' if error else "") + "}\n")
