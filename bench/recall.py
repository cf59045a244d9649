"""Recall and precision on real texts: ``python -m bench.recall [--context SCOPE] [--misses]``.

``bench/realtext/texts.jsonl`` holds excerpts of real reporting in English, Russian and
Ukrainian, each with its source address and hand-made gold mentions (see its README). A gold
mention counts as found when a mention of the same entry covers the same span (``exact``) or
overlaps it (``overlap``: e.g. the tagger marks «ПФМ-1» inside «мина ПФМ-1»). Precision counts the
tagger's mentions that overlap a gold mention of the same entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from munitag import Tagger

TEXTS = Path(__file__).parent / "realtext" / "texts.jsonl"


def load(path: Path = TEXTS) -> list[dict[str, Any]]:
    """The evaluation texts with their gold mentions."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(tagger: Tagger, texts: list[dict[str, Any]], context: str | None = None) -> dict[str, Any]:
    """Counts by language: gold, found (exact and overlapping), tagged, tagged correctly; and the misses."""
    counts: dict[str, Counter[str]] = {}
    misses: list[tuple[str, str, str]] = []
    wrong: list[tuple[str, str, str]] = []
    for item in texts:
        mentions = tagger.tag(item["text"]) if context is None else tagger.tag(item["text"], context=context)
        c = counts.setdefault(item["lang"], Counter())
        gold = [(g["start"], g["end"], g["id"]) for g in item["mentions"]]
        got = [(m.start, m.end, m.entry.id) for m in mentions]
        c["gold"] += len(gold)
        c["tagged"] += len(got)
        for start, end, eid in gold:
            overlapping = [g for g in got if g[2] == eid and g[0] < end and start < g[1]]
            c["exact"] += (start, end, eid) in got
            c["overlap"] += bool(overlapping)
            if not overlapping:
                misses.append((item["id"], item["text"][start:end], eid))
        for start, end, eid in got:
            ok = any(g[2] == eid and g[0] < end and start < g[1] for g in gold)
            c["correct"] += ok
            if not ok:
                wrong.append((item["id"], item["text"][start:end], eid))
    total: Counter[str] = sum(counts.values(), Counter())
    return {"by_lang": {**counts, "all": total}, "misses": misses, "wrong": wrong}


def report(result: dict[str, Any]) -> str:
    """A small table: recall (overlap, exact) and precision per language."""
    lines = ["| texts | gold | recall | exact-span recall | precision |", "|---|--:|--:|--:|--:|"]
    for lang, c in result["by_lang"].items():
        recall = c["overlap"] / c["gold"] if c["gold"] else 0.0
        exact = c["exact"] / c["gold"] if c["gold"] else 0.0
        precision = c["correct"] / c["tagged"] if c["tagged"] else 0.0
        lines.append(f"| {lang} | {c['gold']} | {recall:.1%} | {exact:.1%} | {precision:.1%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recall", description=__doc__.splitlines()[0])
    parser.add_argument("--context", choices=("sentence", "paragraph", "document"), help="context scope (default: the Tagger's)")
    parser.add_argument("--misses", action="store_true", help="also list missed gold mentions and wrong tags")
    args = parser.parse_args(argv)
    result = evaluate(Tagger(), load(), args.context)
    print(report(result))
    if args.misses:
        print("\nmissed:")
        for text_id, surface, eid in result["misses"]:
            print(f"  {text_id}\t{surface!r}\t{eid}")
        print("\ntagged, not in gold:")
        for text_id, surface, eid in result["wrong"]:
            print(f"  {text_id}\t{surface!r}\t{eid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
