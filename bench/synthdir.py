"""A synthetic glossary directory of a given number of aliases, for start-up and memory curves.

The bundled vocabularies are copied; the entries are made-up designations and names (see
``bench.engines.synthetic_glossary``), 100 aliases to an entry file, so the whole directory goes
through the same validation, cache and command line as a real glossary.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from munitag.glossary import bundled_glossary_path
from munitag.normalize import fold

from .engines import _CYRILLIC, _LATIN, _SYLLABLES

PER_ENTRY = 100


def _aliases(total: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen: set[str] = set()
    found: list[str] = []
    while len(found) < total:
        roll = rng.random()
        if roll < 0.5:
            text = "".join(rng.choices(_LATIN, k=rng.randint(2, 4))) + f"-{rng.randint(1, 9999)}" + rng.choice(["", "", "M", "A1"])
        elif roll < 0.7:
            text = "".join(rng.choices(_CYRILLIC, k=rng.randint(2, 4))) + f"-{rng.randint(1, 999)}"
        else:
            words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(rng.randint(2, 3))]
            text = " ".join(words).capitalize()
        if fold(text) not in seen:
            seen.add(fold(text))
            found.append(text)
    return found


def write(folder: Path, total: int, seed: int = 7) -> Path:
    """Write a glossary of ``total`` made-up aliases to ``folder`` (replaced) and return it."""
    if folder.exists():
        shutil.rmtree(folder)
    base = bundled_glossary_path()
    (folder / "items").mkdir(parents=True)
    for name in ("categories.yml", "origins.yml", "treaties.yml", "context.yml"):
        shutil.copy(base / name, folder / name)
    aliases = _aliases(total, seed)
    for n, start in enumerate(range(0, total, PER_ENTRY)):
        lines = [f"id: synthetic-{n}", f"name: {aliases[start]}", "kind: item", "category: landmine", "origin: [SU]",
                 "description: A made-up entry for the benchmark.", "aliases:"]
        lines += [f"  - {a}" for a in aliases[start : start + PER_ENTRY]]
        lines += ["sources:", "  - https://example.org/synthetic", ""]
        (folder / "items" / f"synthetic-{n}.yml").write_text("\n".join(lines), encoding="utf-8")
    return folder
