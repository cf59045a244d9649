"""The scan ratio counted in instructions, which machine load does not change:
``python -m bench.instructions [--size-mb 10]`` (needs valgrind).

Each engine scans the benchmark corpus once and then twice, each time in a fresh process under
``valgrind --tool=cachegrind``; the difference of the two counts is the instructions of one scan,
without start-up, corpus generation or the first call's lazy decoding. The raw pyahocorasick scan
gets the text folded beforehand, as in ``bench.run``; munitag's is ``Tagger.tag`` end to end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .run import HERE, MB

_CHILD = """
import sys
from munitag import Tagger
from munitag.normalize import fold
from bench.engines import Raw
engine, runs = sys.argv[1], int(sys.argv[2])
text = open(sys.argv[3], encoding="utf-8", newline="").read()
tagger = Tagger()
tagger.tag(text[:50000])
if engine == "raw":
    raw = Raw(); raw.build(tagger.glossary); folded = fold(text)
    for _ in range(runs): raw.run(folded)
else:
    for _ in range(runs): tagger.tag(text)
"""


def instructions(engine: str, runs: int, text: Path) -> int:
    """Instructions that a fresh process scanning ``text`` ``runs`` times with ``engine`` executes."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH", "")]))}
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable, "-c", _CHILD, engine, str(runs), str(text)],
        capture_output=True, text=True, check=True, env=env,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {proc.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10.0, help="corpus size (default 10)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("bench.instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    from munitag import load_glossary

    from .corpus import corpus

    glossary = load_glossary()
    aliases = sorted({t for e in glossary for a in e.aliases for t in (a.text, *glossary.forms_of(a))})
    with tempfile.TemporaryDirectory(prefix="munitag-instructions-") as tmp:
        text = Path(tmp) / "corpus.txt"
        text.write_text(corpus(int(args.size_mb * MB), aliases), encoding="utf-8", newline="")
        counts = {engine: instructions(engine, 2, text) - instructions(engine, 1, text) for engine in ("raw", "munitag")}
    for engine, count in counts.items():
        print(f"{engine:<8} {count / 1e6:10.1f} M instructions per scan of {args.size_mb:g} MB")
    print(f"ratio to raw: {counts['munitag'] / counts['raw']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
