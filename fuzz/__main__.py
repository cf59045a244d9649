"""``python -m fuzz``: hostile files through the command line, then generated texts through the
library's invariants; prints counts, exits 1 when anything failed.

    python -m fuzz [--count N] [--seed S] [--jobs N] [--only texts|files]
    python -m fuzz --seed S --index I     # one text: its repr and what it breaks
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter

from .commands import Outcome, run_all
from .driver import Fuzzer, Report, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="generated texts to check (default: 10^6)")
    parser.add_argument("--seed", type=int, help="seed of the texts (default: a random one, printed)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per CPU)")
    parser.add_argument("--index", type=int, help="check only text INDEX of --seed and print it")
    parser.add_argument("--only", choices=("texts", "files"), help="run only one half")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    if args.index is not None:
        return _one(seed, args.index)
    failed = False
    if args.only != "texts":
        failed |= _files(args.jobs)
    if args.only != "files":
        failed |= _texts(seed, args.count, args.jobs)
    return 1 if failed else 0


def _one(seed: int, index: int) -> int:
    text, failure = Fuzzer().check(seed, index)
    print(repr(text))
    print(f"seed {seed}, index {index}: {failure or 'every invariant holds'}")
    return 1 if failure else 0


def _files(jobs: int) -> bool:
    """Hostile files through the CLI; every case that fails is listed. True if any failed."""
    began = time.perf_counter()
    outcomes = run_all(jobs)
    bad = [o for o in outcomes if o.problems]
    print(f"files: {len(outcomes)} runs of {len({o.case for o in outcomes})} hostile cases through "
          f"{len({o.command for o in outcomes})} commands in {time.perf_counter() - began:.0f} s: "
          f"{len(outcomes) - len(bad)} passed, {len(bad)} failed")
    for case, runs in _by_case(bad).items():
        print(f"  FAIL {case}:")
        for o in runs:
            print(f"    {o.command} (exit {o.status}): {'; '.join(o.problems)}")
    sys.stdout.flush()
    return bool(bad)


def _by_case(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    grouped: dict[str, list[Outcome]] = {}
    for o in outcomes:
        grouped.setdefault(o.case, []).append(o)
    return grouped


def _texts(seed: int, count: int, jobs: int) -> bool:
    """Generated texts through the invariants; stops at the first failure. True if one failed."""
    print(f"texts: seed {seed}, {count} texts on {jobs} process(es)", flush=True)
    shown = [time.perf_counter()]

    def progress(counts: Counter[str]) -> None:
        if time.perf_counter() - shown[0] > 30:
            shown[0] = time.perf_counter()
            print(f"  ... {counts['texts']} texts", flush=True)

    report = run(seed, count, jobs, progress)
    _print_report(report)
    return report.found is not None or report.many is not None


def _print_report(report: Report) -> None:
    c = report.counts
    rate = c["texts"] / report.seconds if report.seconds else 0.0
    print(
        f"texts: {c['texts']} texts ({c['characters']} characters, {c['mentions']} mentions) in {report.seconds:.0f} s, "
        f"{rate:.0f} texts/s; {c['streams']} streams, {c['multi-window streams']} across several windows; "
        f"{c['index checks']} with the automaton cache's key index checked against the automaton"
    )
    if report.many:
        print(f"  FAIL tag_many: {report.many}")
    found = report.found
    if found is None:
        if not report.many:
            print("texts: every invariant held")
        return
    print(f"  FAIL seed {found.seed}, index {found.index}: {found.failure}")
    print(f"  reproduce: python -m fuzz --seed {found.seed} --index {found.index}")
    print(f"  shrunk to {len(found.shrunk)} of {len(found.text)} characters: {found.shrunk_failure}")
    print(f"  text = {found.shrunk!r}")


if __name__ == "__main__":
    sys.exit(main())
