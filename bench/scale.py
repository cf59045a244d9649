"""Cost curves: how start-up, automaton build, memory and scan speed grow with the glossary, and
how one large file is tagged on more cores. ``python -m bench.scale [--sizes 10000,100000,200000] [--only startup]``.

Each glossary is a directory (the bundled one, then ``bench.synthdir`` glossaries of the given
numbers of made-up aliases) run through the command line in fresh processes, with a cache
directory of its own: *cold* is the first start (validation, build, both caches written), *warm*
every later one. Peak RSS is each process's own high-water mark (``bench.peak``); for one file on
N processes it is the highest sum over the parent and its workers, sampled every 20 ms, and CPU
seconds are those of all of them (on a shared machine, the figure that does not depend on the
neighbours). Results go to
``bench/scale.json``, the table between the ``scale`` markers of ``bench/README.md`` and, when
matplotlib is installed (the ``bench`` extra), the plots to ``bench/scale.png``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from munitag import load_glossary
from munitag.glossary import bundled_glossary_path

from . import synthdir
from .corpus import corpus
from .peak import tree_rss_mb
from .run import CACHE, HERE, MB, machine, write_section

#: Child processes run as an installed munitag does: with compiled bytecode.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MUNITAG_NO_CACHE")}


def _run(argv: list[str], cache: Path) -> tuple[float, float, float, float, bytes]:
    """Wall seconds, own peak RSS in MB, the highest RSS summed over the process and its workers
    (MB, sampled), the CPU seconds of all of them, and stdout of ``python -m bench.peak ARGV``
    (munitag); the run must exit 0."""
    env = {**ENV, "MUNITAG_CACHE_DIR": str(cache), "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), ENV.get("PYTHONPATH", "")]))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.peak", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    highest = 0.0

    def sample() -> None:
        nonlocal highest
        while proc.poll() is None:
            highest = max(highest, tree_rss_mb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:  # an error exit (exit 1: a broken glossary or input) must never be timed
        raise RuntimeError(f"{argv} exited with {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    peak = [float(line.split()[1]) for line in err.decode(errors="replace").splitlines() if line.startswith("peak-rss-mb ")]
    return seconds, peak[-1] if peak else -1.0, highest, cpu, out


def _probe(code: str, cache: Path) -> dict[str, Any]:
    """Run ``code`` (which prints one JSON object) in a fresh process using ``cache``."""
    env = {**ENV, "MUNITAG_CACHE_DIR": str(cache), "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), ENV.get("PYTHONPATH", "")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    return json.loads(out.splitlines()[-1])


_BUILD = """
import json, time
from munitag import load_glossary, matcher
from bench.peak import peak_mb
g = load_glossary({root!r})
t = time.perf_counter(); automaton, values, _, longest = matcher._build(g); s = time.perf_counter() - t
print(json.dumps({{"build_s": s, "keys": len(automaton), "aliases": sum(len(e.aliases) for e in g), "peak_mb": peak_mb()}}))
"""

_SCAN = """
import json, statistics, time
from munitag import Tagger
from munitag.normalize import fold
from bench.engines import Raw
text = open({text!r}, encoding="utf-8").read(); folded = fold(text)
tagger = Tagger({root!r}); raw = Raw(); raw.build(tagger.glossary)
tagger.tag(text); raw.run(folded)  # one untimed run each first, as in bench.run: a first call's decoding is start-up
pairs = []
for _ in range({repeat}):
    t = time.perf_counter(); raw.run(folded); r = time.perf_counter() - t
    t = time.perf_counter(); tagger.tag(text); m = time.perf_counter() - t
    pairs.append((r, m))
print(json.dumps({{"ratio": statistics.median(m / r for r, m in pairs), "mb_per_s": len(text) / statistics.median(m for _, m in pairs) / 1e6}}))
"""


def _startup(root: Path, sample: Path, repeat: int, cache: Path) -> dict[str, float]:
    """Cold start (empty ``cache``) and warm starts of ``munitag tag --format jsonl`` on
    ``sample``: wall seconds, peak RSS and, warm, CPU seconds (medians of ``repeat`` runs)."""
    cmd = ["tag", "--format", "jsonl", "--glossary", str(root), str(sample)]
    cold = _run(cmd, cache)
    warm = [_run(cmd, cache) for _ in range(repeat)]
    return {"cold_s": round(cold[0], 3), "cold_peak_mb": round(cold[1], 1), "warm_s": round(statistics.median(w[0] for w in warm), 3),
            "warm_cpu_s": round(statistics.median(w[3] for w in warm), 3), "warm_peak_mb": round(statistics.median(w[1] for w in warm), 1)}


def measure_startup(label: str, root: Path, sample: Path, repeat: int) -> dict[str, Any]:
    """The ``--only startup`` row: cold and warm start, without build, scan or files written."""
    with tempfile.TemporaryDirectory(prefix="munitag-scale-") as tmp:
        row = {"label": label, **_startup(root, sample, repeat, Path(tmp) / "cache")}
    print(json.dumps(row), flush=True)
    return row


def measure_glossary(label: str, root: Path, sample: Path, scan_text: Path, repeat: int) -> dict[str, Any]:
    """Cold and warm start, build time and memory, cache size and scan ratio for one glossary."""
    with tempfile.TemporaryDirectory(prefix="munitag-scale-") as tmp:
        cache = Path(tmp) / "cache"
        start = _startup(root, sample, repeat, cache)
        cache_mb = sum(p.stat().st_size for p in cache.iterdir()) / MB
        build = _probe(_BUILD.format(root=str(root)), cache)
        scan = _probe(_SCAN.format(root=str(root), text=str(scan_text), repeat=repeat), cache)
    row = {"label": label, "aliases": build["aliases"], "keys": build["keys"], **start,
           "build_s": round(build["build_s"], 3), "build_peak_mb": round(build["peak_mb"], 1), "cache_mb": round(cache_mb, 1),
           "mb_per_s": round(scan["mb_per_s"], 1), "ratio": round(scan["ratio"], 2)}
    print(json.dumps(row), flush=True)
    return row


def measure_cores(path: Path, repeat: int) -> list[dict[str, Any]]:
    """``munitag tag --format jsonl --jobs N`` on one file for N = 1 .. CPUs (at least 2)."""
    rows = []
    digests = set()
    with tempfile.TemporaryDirectory(prefix="munitag-scale-") as tmp:
        cache = Path(tmp) / "cache"
        _run(["tag", "--format", "jsonl", "--no-progress", str(path)], cache)  # fills the caches
        counts = range(1, max(2, os.cpu_count() or 1) + 1)
        # in turns (1, 2, ..., 1, 2, ...): a machine that speeds up or slows down over the minutes
        # this takes moves every count alike, as it would not if each count ran its repeats in a row
        by_count: dict[int, list[tuple[float, float, float, float]]] = {jobs: [] for jobs in counts}
        for _ in range(repeat):
            for jobs in counts:
                seconds, own_mb, all_mb, cpu_s, output = _run(["tag", "--format", "jsonl", "--no-progress", "--jobs", str(jobs), str(path)], cache)
                digests.add(hashlib.sha256(output).hexdigest())  # the output itself is not kept
                by_count[jobs].append((seconds, own_mb, all_mb, cpu_s))
        for jobs, runs in by_count.items():
            seconds = statistics.median(r[0] for r in runs)
            rows.append({"jobs": jobs, "seconds": round(seconds, 2), "mb_per_s": round(path.stat().st_size / seconds / MB, 1),
                         "peak_mb": round(max(r[2] for r in runs), 1), "cpu_s": round(statistics.median(r[3] for r in runs), 2)})
            print(json.dumps(rows[-1]), flush=True)
    for row in rows:
        row["speedup"] = round(rows[0]["seconds"] / row["seconds"], 2)
        row["identical_output"] = len(digests) == 1
    return rows


def _write_repeated(path: Path, data: bytes, size: int) -> None:
    """``data`` over and over into ``path`` until it holds at least ``size`` bytes."""
    with path.open("wb") as out:
        for _ in range(-(-size // len(data))):
            out.write(data)


def plot(results: dict[str, Any], out: Path) -> bool:
    """The curves as one PNG; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = results["glossaries"]
    keys = [r["keys"] for r in rows]
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    panels = [
        ("start-up, s", [("cold (no cache)", "cold_s"), ("warm cache", "warm_s")], True),
        ("automaton build, s", [("build", "build_s")], True),
        ("peak RSS, MB", [("cold start", "cold_peak_mb"), ("warm start", "warm_peak_mb"), ("build", "build_peak_mb")], True),
        ("cache on disk, MB", [("glossary + automaton", "cache_mb")], True),
        ("scan time / raw pyahocorasick", [("ratio", "ratio")], False),
    ]
    for ax, (title, series, log) in zip(axes.flat, panels):
        for name, field in series:
            ax.plot(keys, [r[field] for r in rows], marker="o", label=name)
        if log:
            ax.set_yscale("log")
            ax.plot(keys, [rows[-1][series[0][1]] * k / keys[-1] for k in keys], ls=":", color="grey", label="linear")
        ax.set_xscale("log")
        ax.set_xlabel("automaton keys")
        ax.set_title(title)
        ax.legend(fontsize=8)
    cores = results["cores"]
    ax = axes.flat[5]
    ax.plot([c["jobs"] for c in cores], [c["mb_per_s"] for c in cores], marker="o", label="munitag tag --jobs N")
    ax.set_xlabel("processes (one file)")
    ax.set_title(f"throughput, MB/s ({results['machine']['cpus']} CPUs)")
    ax.set_xticks([c["jobs"] for c in cores])
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return True


def write_readme(results: dict[str, Any], png: bool) -> None:
    m = results["machine"]
    lines = [(f"Run {results['date']} on {m['cpu']} ({m['cpus']} CPUs), Python {m['python']}, pyahocorasick {m['pyahocorasick']}; "
              f"start-up is `munitag tag --format jsonl` on 1 KB in a fresh process (median of {results['repeat']} warm runs); "
              f"scan ratio on {results['scan_mb']} MB of the benchmark corpus."), "",
             "| glossary | aliases | automaton keys | cold start s | warm start s | peak RSS MB cold / warm | build s | build peak RSS MB | cache MB | MB/s | ratio to raw |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in results["glossaries"]:
        lines.append(f"| {r['label']} | {r['aliases']} | {r['keys']} | {r['cold_s']} | **{r['warm_s']}** | {r['cold_peak_mb']} / {r['warm_peak_mb']} | "
                     f"{r['build_s']} | {r['build_peak_mb']} | {r['cache_mb']} | {r['mb_per_s']} | {r['ratio']} |")
    lines += ["", f"One {results['cores_mb']} MB file, `munitag tag --format jsonl --jobs N`:", "",
              "| N | seconds | MB/s | speed-up | CPU s, all processes | peak RSS MB, all processes | output identical to N = 1 |", "|--:|--:|--:|--:|--:|--:|---|"]
    lines += [f"| {c['jobs']} | {c['seconds']} | {c['mb_per_s']} | {c['speedup']}× | {c['cpu_s']} | {c['peak_mb']} | {c['identical_output']} |" for c in results["cores"]]
    if png:
        lines += ["", "![cost curves: start-up, build, memory, cache size and scan ratio against automaton keys; throughput against processes](scale.png)"]
    write_section(HERE / "README.md", "scale", lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,200000",
        help="synthetic glossary sizes in aliases, comma-separated (default 10000,100000,200000: 200,000 aliases make about a million automaton keys)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing, median reported (default 3)")
    parser.add_argument("--scan-mb", type=float, default=5.0, help="text for the scan ratio (default 5)")
    parser.add_argument("--cores-mb", type=float, default=1000.0, help="the one file tagged on 1..CPUs processes (default 1000)")
    parser.add_argument("--only", choices=("startup",), help="startup: only cold and warm start-up (wall and CPU), printed, no files written")
    args = parser.parse_args(argv)
    CACHE.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.only == "startup":
        sample = CACHE / "1k.txt"
        sample.write_text((HERE.parent / "examples" / "sample.txt").read_text(encoding="utf-8")[:1000], encoding="utf-8")
        measure_startup("real", bundled_glossary_path(), sample, args.repeat)
        for size in sizes:
            measure_startup(f"synthetic {size:,}", synthdir.write(CACHE / f"synthetic-{size}", size), sample, args.repeat)
        return 0
    glossary = load_glossary()
    aliases = sorted({t for e in glossary for a in e.aliases for t in (a.text, *glossary.forms_of(a))})
    scan_text, big, sample = CACHE / "scale-scan.txt", CACHE / "scale-big.txt", CACHE / "1k.txt"
    scan_text.write_text(corpus(int(args.scan_mb * MB), aliases), encoding="utf-8", newline="")
    _write_repeated(big, scan_text.read_bytes(), int(args.cores_mb * MB))
    sample.write_text((HERE.parent / "examples" / "sample.txt").read_text(encoding="utf-8")[:1000], encoding="utf-8")
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "repeat": args.repeat, "scan_mb": args.scan_mb, "cores_mb": args.cores_mb}
    rows = [measure_glossary("real", bundled_glossary_path(), sample, scan_text, args.repeat)]
    for size in sizes:
        root = synthdir.write(CACHE / f"synthetic-{size}", size)
        rows.append(measure_glossary(f"synthetic {size:,}", root, sample, scan_text, args.repeat))
    results["glossaries"] = rows
    results["cores"] = measure_cores(big, args.repeat)
    big.unlink()
    (HERE / "scale.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    png = plot(results, HERE / "scale.png")
    if not png:
        print("matplotlib is not installed (pip install -e '.[bench]'): table only, no plots", flush=True)
    write_readme(results, png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
