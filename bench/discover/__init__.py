"""Evaluation of ``munitag discover``: ``python -m bench.discover``.

``texts/`` holds a small corpus written for this repository (English, Russian, Ukrainian) and
``gold.json`` its labels: designations unknown to the glossary planted in munition context, and
look-alikes (weapons, vehicles, aircraft, demining equipment, standards, road and flight numbers,
calibres, sports and medical codes) that must never be proposed.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from munitag import Tagger
from munitag.candidates import slug
from munitag.discover import Discovery

HERE = Path(__file__).parent
MB = 1_000_000


def evaluate(tagger: Tagger) -> dict[str, Any]:
    """Recall on the planted designations and precision of the candidates, by entry id (slug)."""
    gold = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    discovery = Discovery(tagger)
    for path in sorted((HERE / "texts").glob("*.txt")):
        discovery.add_text(path.read_text(encoding="utf-8"), path.name)
    found = {slug(form) for r in discovery.records() for form in r["forms"]}
    planted = {slug(p) for p in gold["planted"]}
    traps = {slug(t) for t in gold["traps"]}
    return {
        "planted": len(planted), "found": len(planted & found), "recall": round(len(planted & found) / len(planted), 3),
        "candidates": len(found), "precision": round(len(found & planted) / len(found), 3) if found else 1.0,
        "traps": len(traps), "traps_proposed": sorted(found & traps), "missed": sorted(planted - found),
    }


def throughput(tagger: Tagger, text: str, repeat: int = 3) -> dict[str, Any]:
    """Speed of ``Discovery.add_chunks`` over ``text`` in pieces of 1 M characters, in this process
    (one core); ``mb_per_s`` counts millions of characters, as the rest of the benchmark does."""
    times = []
    for _ in range(repeat):
        discovery = Discovery(tagger)
        started = time.perf_counter()
        discovery.add_chunks((text[i : i + MB] for i in range(0, len(text), MB)), "corpus")
        discovery.records()
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    return {"chars": len(text), "seconds": round(seconds, 3), "mb_per_s": round(len(text) / MB / seconds, 1),
            "records": len(discovery.records())}
