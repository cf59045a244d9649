"""A synthetic glossary directory of a given number of aliases, for start-up and memory curves.

The bundled glossary is copied whole, then made-up designations and names (as in
``bench.engines.synthetic_glossary``) are added, 100 aliases to an entry file, until it holds the
number of aliases asked for; the directory goes through the same validation, cache and command
line as the real glossary.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from munitag import Glossary, load_glossary
from munitag.glossary import bundled_glossary_path, compact
from munitag.normalize import fold

from .engines import made_up_name

PER_ENTRY = 100


def _aliases(total: int, seed: int, real: Glossary) -> list[str]:
    """``total`` made-up aliases that ``real`` neither holds nor lists as look-alikes (lint rule
    G082 would refuse the glossary)."""
    rng = random.Random(seed)
    seen = {fold(a.text) for e in real for a in e.aliases}
    exact = {x.key for x in real.lookalikes}
    prefixes = [x for x in real.lookalikes if x.key.startswith("*")]
    found: list[str] = []
    while len(found) < total:
        text = made_up_name(rng, wide=True)
        if fold(text) not in seen and compact(text) not in exact and not any(x.covers(text) for x in prefixes):
            seen.add(fold(text))
            found.append(text)
    return found


def write(folder: Path, total: int, seed: int = 7) -> Path:
    """Write the bundled glossary grown to ``total`` aliases to ``folder`` (replaced); return it."""
    if folder.exists():
        shutil.rmtree(folder)
    base = bundled_glossary_path()
    shutil.copytree(base, folder, ignore=shutil.ignore_patterns("README.md", "schema.json"))
    real = load_glossary(base)
    made = max(0, total - sum(len(e.aliases) for e in real))
    aliases = _aliases(made, seed, real)
    for n, start in enumerate(range(0, made, PER_ENTRY)):
        lines = [f"id: synthetic-{n}", f"name: {aliases[start]}", "kind: item", "category: landmine", "origin: [SU]",
                 "description: A made-up entry for the benchmark.", "aliases:"]
        lines += [f"  - {a}" for a in aliases[start : start + PER_ENTRY]]
        lines += ["sources:", "  - https://example.org/synthetic", ""]
        (folder / "items" / f"synthetic-{n}.yml").write_text("\n".join(lines), encoding="utf-8")
    return folder
