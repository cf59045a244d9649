"""Machine-readable output of mentions."""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from .glossary import Glossary
from .matcher import Mention, Segment, prefer_longest
from .names import shown_name


class JsonlRecord:
    """Writes the JSON line of one input, ``{"source": ..., "mentions": [mention.to_dict(), ...]}``,
    while its mentions stream in.

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
            self.out.write(("" if self.first else ", ") + mention_json(m))
            self.first = False

    def close(self, error: str | None = None) -> None:
        """End the line, recording ``error`` if the input broke off after output began."""
        if error is not None and not self.started:
            return
        self.add()
        self.out.write("]" + (f', "error": {json.dumps(error, ensure_ascii=False)}' if error else "") + "}\n")


_string = json.JSONEncoder(ensure_ascii=False).encode
#: The JSON of a mention after its offsets and text, by (entry identity, alias), with the entry
#: (held so that its identity stays its own): a text names the same few entries again and again.
_TAILS: dict[tuple[int, str], tuple[object, str]] = {}
_TAILS_KEPT = 4096


def mention_json(m: Any) -> str:
    """``json.dumps(m.to_dict(), ensure_ascii=False)`` of a mention (or candidate); for a
    ``Mention``, the part after ``start``, ``end`` and ``text`` is made once per entry and alias."""
    if type(m) is not Mention:
        return json.dumps(m.to_dict(), ensure_ascii=False)
    key = (id(m.entry), m.alias)
    found = _TAILS.get(key)
    if found is None or found[0] is not m.entry:
        if len(_TAILS) >= _TAILS_KEPT:
            _TAILS.clear()
        rest = {k: v for k, v in m.to_dict().items() if k not in ("start", "end", "text")}
        found = _TAILS[key] = (m.entry, json.dumps(rest, ensure_ascii=False)[1:])
    return f'{{"start": {m.start}, "end": {m.end}, "text": {_string(m.text)}, {found[1]}'


def _label(mention: Mention) -> str:
    return mention.entry.category


# A line break with the white space around it: a mention across a gap (``directional\r\n  mine``)
# gets fragments without the indentation.
_LINE_BREAKS = re.compile(r"[^\S\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])\s*")


def _universal_newlines(text: str) -> Callable[[int], int]:
    """Maps an offset into ``text`` to the same place in ``text`` read with universal newlines,
    as BRAT reads its ``.txt`` files: ``\r\n`` is one character there (a lone ``\r`` stays one)."""
    pairs = [m.start() + 1 for m in re.finditer("\r\n", text)]  # where each dropped "\n" is
    return lambda offset: offset - bisect.bisect_left(pairs, offset)


#: The columns of ``tag --format csv``, in order; ``origin`` is joined with ``;``.
MENTION_COLUMNS = ("source", "start", "end", "text", "id", "name", "kind", "category", "origin", "alias", "variant_of", "family")


class CsvRows:
    """Writes one CSV row per mention of one input (``MENTION_COLUMNS``, the header is the
    ``Output``'s) while its mentions stream in. ``source`` is the input's name as given: CSV
    quoting keeps any character, so nothing is escaped."""

    def __init__(self, out: TextIO, source: str) -> None:
        self.writer, self.source = csv.writer(out, lineterminator="\n"), source

    def add(self, segment: Segment) -> None:
        """Write the rows of the next segment's mentions."""
        for m in segment.mentions:
            d = m.to_dict()
            self.writer.writerow([self.source, *(";".join(d[c]) if c == "origin" else d[c] if d[c] is not None else "" for c in MENTION_COLUMNS[1:])])

    def close(self, error: str | None = None) -> None:
        """Nothing to end: every row is complete."""


def label_studio_task(source: str, text: str, mentions: Sequence[Mention], model_version: str) -> dict[str, Any]:
    """A Label Studio task with munitag's mentions as a prediction (pre-annotations):
    ``{"data": {"text", "source"}, "predictions": [{"model_version", "result": [{"id",
    "from_name": "label", "to_name": "text", "type": "labels", "value": {"start", "end",
    "text", "labels": [category]}}]}]}``, for a labeling config with ``<Labels name="label"
    toName="text">`` and ``<Text name="text" value="$text"/>`` (see ``label_studio_config``).
    Offsets count code points, as Label Studio's Text tag stores them."""
    result = [
        {
            "id": f"munitag-{i}", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": m.start, "end": m.end, "text": m.text, "labels": [_label(m)]},
        }
        for i, m in enumerate(mentions, start=1)
    ]
    return {"data": {"text": text, "source": source}, "predictions": [{"model_version": model_version, "result": result}]}


def label_studio_config(glossary: Glossary) -> str:
    """A Label Studio labeling config for ``label_studio_task``'s tasks: one label per category."""
    from xml.sax.saxutils import quoteattr

    labels = "".join(f"    <Label value={quoteattr(c)}/>\n" for c in sorted(glossary.categories))
    return f'<View>\n  <Labels name="label" toName="text">\n{labels}  </Labels>\n  <Text name="text" value="$text"/>\n</View>\n'


def brat_conf(glossary: Glossary, used: Iterable[str] = ()) -> str:
    """BRAT ``annotation.conf`` whose entity types are the glossary's categories, subcategories
    indented under their parents (BRAT's hierarchy), with any label in ``used`` the glossary
    does not know added at the top level."""
    children: dict[str | None, list[str]] = {}
    for c in sorted(glossary.categories):
        parent = glossary.categories[c].parent
        children.setdefault(parent if parent in glossary.categories else None, []).append(c)
    lines = ["[entities]"]

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, ()):
            lines.append("\t" * depth + c)
            walk(c, depth + 1)

    walk(None, 0)
    lines += sorted(set(used) - set(glossary.categories))
    lines += ["", "[relations]", "", "[events]", "", "[attributes]", ""]
    return "\n".join(lines)


def brat_ann(text: str, mentions: Sequence[Mention]) -> str:
    """BRAT standoff for ``text``: one ``T`` line per mention (label = category), an
    ``AnnotatorNotes`` line with the entry id and name, and a normalization line naming the
    entry in the ``munitag`` reference database, ``N1\tReference T1 munitag:pfm-1\tPFM-1``.

    Offsets are code-point offsets into the text as BRAT reads it, with universal newlines: a
    ``\r\n`` counts as one character (every other character, a lone ``\r`` included, as one).
    A mention across a line break becomes a discontinuous annotation: one fragment per line
    (white space at the break left out), ``start end;start end``, its text the fragments joined
    by a space. Overlapping mentions become overlapping annotations, which BRAT allows.
    """
    lines = []
    universal = _universal_newlines(text)
    for i, m in enumerate(mentions, start=1):
        fragments, pos = [], m.start
        for br in _LINE_BREAKS.finditer(text, m.start, m.end):
            if br.start() > pos:
                fragments.append((pos, br.start()))
            pos = br.end()
        if pos < m.end:
            fragments.append((pos, m.end))
        where = ";".join(f"{universal(s)} {universal(e)}" for s, e in fragments)
        shown = " ".join(text[s:e] for s, e in fragments)
        lines.append(f"T{i}\t{_label(m)} {where}\t{shown}")
        lines.append(f"#{i}\tAnnotatorNotes T{i}\t{m.entry.id} ({m.entry.name})")
        lines.append(f"N{i}\tReference T{i} munitag:{m.entry.id}\t{shown_name(m.entry.name)}")
    return "".join(line + "\n" for line in lines)


# A letter or digit with the stress marks after it; words join through - ' ’ . or a soft hyphen.
_LETTER = r"[^\W_][\u0300\u0301]?"
_PIECE = re.compile(rf"(?:{_LETTER})+(?:[-'’.\u00ad](?:{_LETTER})+)*|\S")
_SENTENCE_FINAL = frozenset(".!?…")
_CR = re.compile(r"\r\n?")  # a line break in any convention, for finding blank lines


def conll_tokens(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """The documented CoNLL tokenisation: runs of letters and digits, joined through single
    inner ``-``, ``'``, ``’``, ``.`` or soft hyphen (``MON-50``, ``d'Arc``; a stress mark stays with
    its letter: ``ле́пестки``), and every other non-space
    character on its own; then every token is cut where a mention starts or ends, so mentions
    always consist of whole tokens."""
    cuts = sorted({p for m in mentions for p in (m.start, m.end)})
    tokens = []
    for match in _PIECE.finditer(text):
        start, end = match.span()
        inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
        for a, b in zip([start, *inner], [*inner, end]):
            tokens.append((a, b))
    return tokens


def conll(source: str, text: str, mentions: Sequence[Mention]) -> str:
    """Token-level IOB2 in four tab-separated columns: token, start, end, label (``B-``/``I-``
    plus the category, or ``O``). A ``# source = NAME`` line opens the document (control
    characters in the name escaped, see ``shown_name``); a blank line ends each sentence (after
    ``.``, ``!``, ``?``, ``…`` or at a blank line in the text, whatever its line breaks). Offsets
    are code-point offsets into the text as given, like JSONL's.

    Raises:
        ValueError: mentions overlap (one label per token cannot hold them).
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    if any(b.start < a.end for a, b in itertools.pairwise(ordered)):
        raise ValueError("CoNLL IOB2 cannot hold overlapping mentions")
    starts = {m.start: m for m in mentions}
    out = [f"# source = {shown_name(source)}"]
    inside: Mention | None = None
    previous_end = None
    for start, end in conll_tokens(text, mentions):
        if previous_end is not None and out[-1] and "\n\n" in _CR.sub("\n", text[previous_end:start]):
            out.append("")
        if inside is not None and start >= inside.end:
            inside = None
        if start in starts:
            inside = starts[start]
            label = f"B-{_label(inside)}"
        else:
            label = f"I-{_label(inside)}" if inside is not None else "O"
        out.append(f"{text[start:end]}\t{start}\t{end}\t{label}")
        if text[start:end] in _SENTENCE_FINAL and inside is None:
            out.append("")
        previous_end = end
    if out[-1]:
        out.append("")
    return "\n".join(out) + "\n"


def _kb(m: Mention) -> dict[str, str]:
    return {"label": _label(m), "kb_id": m.entry.id, "kb_url": m.entry.sources[0] if m.entry.sources else ""}


def displacy_doc(source: str, text: str, mentions: Sequence[Mention]) -> dict[str, object]:
    """displaCy manual-mode input for ``style="ent"``: ``{"text", "ents": [{"start", "end",
    "label", "kb_id", "kb_url"}], "title"}``; ``kb_url`` is the entry's first source. That style
    cannot show overlapping mentions (it would repeat their text): see ``displacy_span_doc``."""
    return {"text": text, "ents": [{"start": m.start, "end": m.end, **_kb(m)} for m in mentions], "title": source}


def displacy_span_doc(source: str, text: str, mentions: Sequence[Mention]) -> dict[str, object]:
    """displaCy manual-mode input for ``style="span"``, which stacks overlapping mentions:
    ``{"text", "tokens", "spans": [{"start", "end", "start_token", "end_token", "label", "kb_id",
    "kb_url"}], "title"}``. The tokens are those of ``conll_tokens`` (every mention is whole
    tokens); ``start``/``end`` are character offsets as in ``displacy_doc``."""
    tokens = conll_tokens(text, mentions)
    starts = [s for s, _ in tokens]
    spans = [
        {"start": m.start, "end": m.end, "start_token": bisect.bisect_left(starts, m.start), "end_token": bisect.bisect_left(starts, m.end), **_kb(m)}
        for m in mentions
    ]
    return {"text": text, "tokens": [text[s:e] for s, e in tokens], "spans": spans, "title": source}


def inline_markup(text: str, mentions: Sequence[Mention]) -> str:
    """Plain text with each mention written ``[text](entry-id)``, for reading in any pager."""
    out, pos = [], 0
    for m in prefer_longest(mentions):
        out += [text[pos : m.start], f"[{m.text}]({m.entry.id})"]
        pos = m.end
    out.append(text[pos:])
    return "".join(out)
