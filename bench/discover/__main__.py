"""``python -m bench.discover [--size-mb N]``: discover's recall and precision on the evaluation
corpus, and its throughput on the benchmark corpus."""

from __future__ import annotations

import argparse
import json

from munitag import Tagger, load_glossary

from ..corpus import corpus
from . import MB, evaluate, throughput

parser = argparse.ArgumentParser(prog="python -m bench.discover", description=__doc__.splitlines()[0])
parser.add_argument("--size-mb", type=float, default=5.0, help="size of the benchmark corpus (default 5)")
parser.add_argument("--repeat", type=int, default=3, help="timed runs, median reported (default 3)")
args = parser.parse_args()
glossary = load_glossary()
tagger = Tagger(glossary)
aliases = sorted({t for e in glossary for a in e.aliases for t in (a.text, *glossary.forms_of(a))})
print(json.dumps({"evaluation": evaluate(tagger), "throughput": throughput(tagger, corpus(int(args.size_mb * MB), aliases), args.repeat)},
                 ensure_ascii=False, indent=1))
