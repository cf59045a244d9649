"""Strict YAML reading for glossary files: plain data plus the position of every node.

Only the YAML core types are accepted. Anchors, aliases, explicit tags and duplicate keys are
reported as problems instead of being expanded, executed or silently overwritten; so is nesting
deeper than ``MAX_DEPTH``, which would otherwise exhaust Python's recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

Path = tuple[Any, ...]

#: The deepest nesting of lists and mappings read (an entry file needs 3: entry, aliases, alias).
MAX_DEPTH = 32


@dataclass
class YamlDoc:
    """A parsed file: its data, node positions and the problems met while reading it.

    ``marks`` maps a path of keys/indices (``("aliases", 2, "text")``) to the 1-based
    (line, col) of the value; ``key_marks`` maps it to the position of the mapping key.
    """

    data: Any = None
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[tuple[int, int, str, str]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)

    def mark(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that has one."""
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            if key and path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(event: Any) -> Any:
    if event.style in ("'", '"', "|", ">") or not event.implicit[0]:
        return event.value
    tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
    if tag not in _PLAIN_TAGS:  # e.g. timestamps: keep the text as written
        return event.value
    return _CONSTRUCTOR.construct_object(ScalarNode(tag, event.value))


class _Builder:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.scalars: list[tuple[int, int]] = []  # character ranges of scalar values
        self.references = 0  # anchors and aliases seen

    def reference(self, event: Any, text: str) -> None:
        """Report the first anchor or alias of the file (one problem, however many follow)."""
        self.references += 1
        if self.references == 1:
            line, col = _pos(event.start_mark)
            self.doc.problems.append((line, col, "G003", f"YAML {text} is not allowed: write the value out in full"))

    def unsafe(self, event: Any) -> bool:
        """Report anchors and explicit tags; True when the node must be skipped."""
        line, col = _pos(event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.reference(event, f"anchor '&{anchor}'")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _PLAIN_TAGS and tag != "!":
            self.doc.problems.append(
                (line, col, "G003", f"YAML tag '{tag}' is not allowed: remove it and write plain data")
            )
            return True
        return False

    def too_deep(self, events: Any, event: Any) -> None:
        """Report a list or mapping nested deeper than ``MAX_DEPTH`` and skip it, with all it holds."""
        line, col = _pos(event.start_mark)
        self.doc.problems.append(
            (line, col, "G003", f"lists and mappings are nested more than {MAX_DEPTH} levels deep here: "
             "an entry needs 3 (entry, aliases, alias); remove the extra '-' or '[' levels")
        )
        open_nodes = 1
        for nxt in events:
            if isinstance(nxt, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                open_nodes += 1
            elif isinstance(nxt, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                open_nodes -= 1
                if not open_nodes:
                    return

    def node(self, events: Any, event: Any, path: Path) -> Any:
        self.doc.marks[path] = _pos(event.start_mark)
        if len(path) >= MAX_DEPTH and isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.too_deep(events, event)
            return None
        if isinstance(event, yaml.AliasEvent):
            self.reference(event, f"alias '*{event.anchor}'")
            return None
        skip = self.unsafe(event)
        if isinstance(event, yaml.ScalarEvent):
            assert event.start_mark is not None and event.end_mark is not None  # the parser marks every event
            self.scalars.append((event.start_mark.index, event.end_mark.index))
            return None if skip else _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for nxt in events:
                if isinstance(nxt, yaml.SequenceEndEvent):
                    return None if skip else items
                items.append(self.node(events, nxt, path + (len(items),)))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[Any, Any] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return None if skip else mapping
                key = self.node(events, key_event, path + ("<key>",))
                value_event = next(events)
                kpos = _pos(key_event.start_mark)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self.doc.problems.append((*kpos, "G012", "mapping keys must be plain strings"))
                    self.node(events, value_event, path + ("<bad key>",))
                    continue
                if key in mapping:
                    first = self.doc.key_marks.get(path + (key,), kpos)
                    self.doc.problems.append(
                        (*kpos, "G002", f"duplicate key '{key}' (first at line {first[0]}): keep one")
                    )
                    self.node(events, value_event, path + ("<duplicate>",))
                    continue
                self.doc.key_marks[path + (key,)] = kpos
                mapping[key] = self.node(events, value_event, path + (key,))
        raise yaml.YAMLError("unexpected YAML event")  # pragma: no cover - parser guarantees shape


def read_yaml(text: str) -> YamlDoc:
    """Parse one YAML document from ``text`` without constructing any object but core types."""
    doc = YamlDoc()
    events = iter(yaml.parse(text, Loader=_Loader))
    builder = _Builder(doc)
    documents = 0
    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = _pos(event.start_mark)
                    doc.problems.append((line, col, "G001", "more than one YAML document: keep one entry per file"))
                    break
                body = next(events)
                if isinstance(body, yaml.DocumentEndEvent):
                    continue
                doc.data = builder.node(events, body, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark is not None else (1, 1)
        reason = exc.problem or str(exc)
        doc.problems.append((line, col, "G001", f"YAML syntax error: {reason}"))
    except yaml.YAMLError as exc:
        doc.problems.append((1, 1, "G001", f"YAML syntax error: {exc}"))
    doc.comments = _comments(text, builder.scalars)
    return doc


def _comments(text: str, scalars: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """1-based (line, col) of every ``#`` comment: a ``#`` at a line start or after a space,
    outside any scalar value."""
    found = []
    spans = sorted(scalars)
    for match in re.finditer(r"(?:^|(?<=\s))#", text, re.MULTILINE):
        pos = match.start()
        if any(start <= pos < end for start, end in spans):
            continue
        line = text.count("\n", 0, pos)
        found.append((line + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1))
    return found
