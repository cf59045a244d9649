"""The munitag benchmark: ``make bench`` or ``python -m bench.run [--quick]``.

Runs every engine of ``bench.engines`` on one deterministic corpus in one process run and
reports build time, MB/s, the time ratio to raw pyahocorasick measured in the same run, peak RSS
(each engine alone in a fresh process) and match counts, with every difference from munitag's
matches put down to a named cause. Then: parallel speed-up of ``munitag tag --jobs``, streaming a
large file, and the cold start of the command. Results go to ``bench/results.json`` and the
table in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from munitag import Glossary, Tagger, load_glossary
from munitag.normalize import fold, is_word_char, separator_variants

from .corpus import corpus
from .discover import evaluate, throughput
from .engines import ENGINES, Engine, Munitag, Raw, Spans, spellings, synthetic_glossary

HERE = Path(__file__).parent
CACHE = HERE / ".cache"
MB = 1_000_000


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call, and its result."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _slice(text: str, mb: float | None) -> str:
    if mb is None or mb * MB >= len(text):
        return text
    cut = text.rfind("\n\n", 0, int(mb * MB))
    return text[: cut if cut > 0 else int(mb * MB)]


def explain(text: str, reference: Spans, other: Spans, gated: set[str]) -> dict[str, int]:
    """Why ``other`` differs from munitag's ``reference`` spans, counted by cause."""
    ref, oth = set(reference), set(other)
    causes: Counter[str] = Counter()

    def overlaps(span: tuple[int, int], spans: set[tuple[int, int]]) -> bool:
        return any(s < span[1] and span[0] < e for s, e in spans)

    ref_index, oth_index = _by_start(ref), _by_start(oth)
    for span in oth - ref:
        start, end = span
        folded = fold(text[start:end])
        if overlaps(span, _near(ref_index, span)):
            causes["found by both, different extent (plural/possessive, longer name, tokens)"] += 1
        elif (start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start])) or (
            end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
        ):
            causes["extra: inside a longer word (e.g. Cyrillic without Unicode boundaries)"] += 1
        elif folded in gated or fold(text[start : end - 1]) in gated:
            causes["extra: case-sensitive or context-gated alias (look-alike)"] += 1
        else:
            causes["extra: unexplained"] += 1
    for span in ref - oth:
        start, end = span
        raw = text[start:end]
        if overlaps(span, _near(oth_index, span)):
            causes["found by both, different extent (plural/possessive, longer name, tokens)"] += 1
        elif raw.lower() != fold(raw) or any(c in raw for c in "\n\t"):
            causes["missed: needs folding (Unicode dash, no-break space, line break, ’, ё)"] += 1
        elif not raw.isascii() or (end < len(text) and not text[end].isascii()):
            causes["missed: non-ASCII boundary or text (engine's word rules)"] += 1
        elif raw.lower().endswith(("s", "'s")):
            causes["missed: English plural or possessive"] += 1
        else:
            causes["missed: tokenisation or engine rules"] += 1
    return dict(sorted(causes.items()))


def _by_start(spans: set[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    index: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        index.setdefault(span[0] // 64, []).append(span)
    return index


def _near(index: dict[int, list[tuple[int, int]]], span: tuple[int, int]) -> set[tuple[int, int]]:
    return {s for b in range(span[0] // 64 - 2, span[1] // 64 + 1) for s in index.get(b, ())}


def gated_spellings(glossary: Glossary) -> set[str]:
    """Spellings of aliases that count only in their own case or near a context word."""
    return {
        s for e in glossary for a in e.aliases if a.case_sensitive or a.ambiguous
        for t in (a.text, *glossary.forms_of(a)) for s in separator_variants(fold(t))
    }


def run_set(label: str, glossary: Glossary, text: str, folded: str, repeat: int, quick: bool) -> dict[str, Any]:
    """Every engine on ``text`` with one glossary; ratios to the raw scan of this same run."""
    print(f"\n== {label}: {sum(len(e.aliases) for e in glossary)} aliases, {len(spellings(glossary))} spellings", flush=True)
    rows: list[dict[str, Any]] = []
    reference: dict[int, Spans] = {}
    tagger = Munitag()
    tagger.build(glossary)
    gated = gated_spellings(glossary)
    raw = Raw()
    raw.build(glossary)
    for make in ENGINES:
        engine: Engine = make()
        slice_mb = engine.slice_mb
        if slice_mb is not None and len(glossary) > 5000:
            slice_mb /= 5  # the slow engines get a shorter slice with the big synthetic set
        if quick and slice_mb is not None:
            slice_mb /= 10
        part = _slice(text, slice_mb)
        folded_part = folded[: len(part)]
        build_s, _ = timed(lambda: engine.build(glossary))
        engine_text = folded_part if getattr(engine, "prepared", False) else part
        if slice_mb is None:
            # One untimed run first: what a first call does once (munitag decodes the cached
            # automaton values it meets) is start-up, measured on its own further down.
            engine.run(engine_text)
        # Each timing is paired with a raw scan of the same text just before it: the ratio of
        # the pair is robust to a noisy machine; the median of the pairs is reported.
        times, ratios, result = [], [], None
        for _ in range(1 if slice_mb else repeat):
            raw_s, _ = timed(lambda: raw.run(folded_part))
            seconds, result = timed(lambda: engine.run(engine_text))
            times.append(seconds)
            ratios.append(seconds / raw_s)
        seconds = statistics.median(times)
        row: dict[str, Any] = {
            "engine": engine.name,
            "note": engine.note,
            "chars": len(part),
            "build_s": round(build_s, 3),
            "scan_s": round(seconds, 3),
            "mb_per_s": round(len(part) / seconds / MB, 2),
            "ratio": round(statistics.median(ratios), 2),
        }
        if hasattr(engine, "keys"):
            row["keys"] = engine.keys
        if isinstance(result, int):
            row["matches"] = result
            row["check"] = "all overlapping substrings, not comparable"
        else:
            if len(part) not in reference:
                reference[len(part)] = tagger.run(part) if not isinstance(engine, Munitag) else result
            ref = reference[len(part)]
            row["matches"] = len(result)
            row["munitag_matches"] = len(ref)
            row["differences"] = {} if isinstance(engine, Munitag) else explain(part, ref, result, gated)
        rows.append(row)
        print(f"{row['engine']:<24} {row['mb_per_s']:>8} MB/s  ratio {row['ratio']}  build {row['build_s']} s  matches {row['matches']}", flush=True)
    return {"label": label, "aliases": sum(len(e.aliases) for e in glossary), "spellings": len(spellings(glossary)), "engines": rows}


def rss_probe(engine_name: str, corpus_path: str) -> None:
    """Child process: load the corpus, build one engine on the real glossary, run it, report."""
    from .peak import peak_mb

    text = Path(corpus_path).read_text(encoding="utf-8")
    glossary = load_glossary()
    if engine_name != "baseline":
        engine = next(make() for make in ENGINES if make().name == engine_name)
        part = _slice(fold(text) if getattr(engine, "prepared", False) else text, engine.slice_mb)
        if part is not text:
            del text
        engine.build(glossary)
        engine.run(part)
    print(json.dumps({"maxrss_mb": peak_mb()}))


def _child(argv: list[str], **kwargs: Any) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS in MB (as reported by ``bench.peak``, else -1) and stdout of a child."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, check=False, **kwargs)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv} exited with {proc.returncode}: {proc.stderr.decode(errors='replace')[-2000:]}")
    peak = [float(line.split()[1]) for line in proc.stderr.decode(errors="replace").splitlines() if line.startswith("peak-rss-mb ")]
    return seconds, peak[-1] if peak else -1.0, proc.stdout


def munitag_cmd() -> list[str]:
    """The munitag command, run through ``bench.peak`` so that it reports its own peak RSS."""
    return [sys.executable, "-m", "bench.peak"]


def measure_rss(corpus_path: Path) -> dict[str, float]:
    print("\n== peak RSS, each engine alone in a fresh process (real glossary)", flush=True)
    found = {}
    for name in ["baseline"] + [make().name for make in ENGINES]:
        _, _, out = _child([sys.executable, "-m", "bench.run", "--rss-probe", name, str(corpus_path)], cwd=HERE.parent)
        found[name] = round(json.loads(out)["maxrss_mb"], 1)
        print(f"{name:<24} {found[name]:>8} MB", flush=True)
    return found


def measure_parallel(text: str, repeat: int) -> dict[str, Any]:
    """``munitag tag --jobs 1`` against ``--jobs 2`` over the corpus split into 50 files."""
    folder = CACHE / "split"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    names = []
    for i in range(50):
        path = folder / f"part{i:02d}.txt"
        path.write_text(text[i * len(text) // 50 : (i + 1) * len(text) // 50], encoding="utf-8", newline="")
        names.append(str(path))
    result: dict[str, Any] = {"files": len(names), "cpus": os.cpu_count()}
    digests = set()
    for jobs in (1, 2):
        times = []
        for _ in range(repeat):
            seconds, _, out = _child([*munitag_cmd(), "tag", "--format", "jsonl", "--jobs", str(jobs), *names], cwd=HERE.parent)
            times.append(seconds)
            digests.add(hashlib.sha256(out).hexdigest())
        result[f"jobs{jobs}_s"] = round(statistics.median(times), 3)
    result["speedup"] = round(result["jobs1_s"] / result["jobs2_s"], 2)
    result["identical_output"] = len(digests) == 1
    print(f"\n== parallel: --jobs 1 {result['jobs1_s']} s, --jobs 2 {result['jobs2_s']} s, speed-up {result['speedup']}x, identical {result['identical_output']}", flush=True)
    return result


def measure_stream(corpus_path: Path, gigabytes: float) -> dict[str, Any]:
    """``munitag tag --format jsonl`` on a file of ``gigabytes`` (the corpus repeated)."""
    big = CACHE / "big.txt"
    data = corpus_path.read_bytes()
    target = int(gigabytes * 1000 * MB)
    with big.open("wb") as out:
        written = 0
        while written < target:
            out.write(data[: target - written])
            written += min(len(data), target - written)
    seconds, rss, out = _child([*munitag_cmd(), "tag", "--format", "jsonl", "--no-progress", str(big)], cwd=HERE.parent)
    mentions = len(json.loads(out)["mentions"]) if out else 0
    big.unlink()
    result = {"bytes": target, "seconds": round(seconds, 1), "mb_per_s": round(target / seconds / MB, 1), "maxrss_mb": round(rss, 1), "mentions": mentions}
    print(f"\n== streaming {gigabytes} GB: {result['seconds']} s, {result['mb_per_s']} MB/s, peak RSS {result['maxrss_mb']} MB", flush=True)
    return result


def measure_compile(repeat: int) -> dict[str, Any]:
    """Compiling the bundled glossary from its YAML in a fresh process (validation and generated
    inflections, the morphology dictionaries loaded), and how many forms were generated."""
    probe = (
        "import json, time; t = time.perf_counter(); from munitag import load_glossary; "
        "g = load_glossary(cache=False); s = time.perf_counter() - t; "
        "from munitag.stats import glossary_stats; st = glossary_stats(g); "
        "print(json.dumps({'s': s, 'forms': {**st['generated_forms_by_lang'], 'context': st['generated_context_forms']}}))"
    )
    runs = [json.loads(_child([sys.executable, "-c", probe])[2]) for _ in range(repeat)]
    result = {"compile_s": round(statistics.median(r["s"] for r in runs), 2), "forms": runs[0]["forms"]}
    print(f"\n== compiling the glossary with inflections: {result['compile_s']} s; generated forms {result['forms']}", flush=True)
    return result


def measure_cold(repeat: int) -> dict[str, float]:
    """Wall time of ``munitag tag`` on a 1 KB file: warm glossary cache, and no cache."""
    sample = (HERE.parent / "examples" / "sample.txt").read_text(encoding="utf-8")[:1000]
    path = CACHE / "1k.txt"
    path.write_text(sample, encoding="utf-8")
    cmd = [str(Path(sys.executable).with_name("munitag")), "tag", "--format", "jsonl", str(path)]
    _child(cmd)  # fills the cache
    warm = statistics.median(_child(cmd)[0] for _ in range(repeat))
    cold = statistics.median(_child(cmd, env={**os.environ, "MUNITAG_NO_CACHE": "1"})[0] for _ in range(repeat))
    result = {"cached_s": round(warm, 3), "uncached_s": round(cold, 3)}
    print(f"\n== cold start on 1 KB: {result['cached_s']} s with the glossary cache, {result['uncached_s']} s without", flush=True)
    return result


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    versions = {}
    for package in ("pyahocorasick", "flashtext", "spacy"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "not installed"
    return {"cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(), **versions}


def write_readme(results: dict[str, Any]) -> None:
    readme = HERE / "README.md"
    lines = [f"Run {results['date']} on {results['machine']['cpu']} ({results['machine']['cpus']} CPUs), "
             f"Python {results['machine']['python']}; corpus {results['corpus']['chars'] / MB:.1f} M characters, "
             f"{results['corpus']['planted_every_chars']} characters per planted mention.", ""]
    for group in results["sets"]:
        lines += [f"**{group['label']}** ({group['aliases']} aliases, {group['spellings']} spellings)", "",
                  "| engine | text | build s | keys | MB/s | ratio to raw | peak RSS MB | matches | differences from munitag |",
                  "|---|--:|--:|--:|--:|--:|--:|--:|---|"]
        for row in group["engines"]:
            rss = results["rss"].get(row["engine"], "") if group is results["sets"][0] else ""
            diffs = "; ".join(f"{k}: {v}" for k, v in row.get("differences", {}).items()) or row.get("check", "–")
            lines.append(f"| {row['engine']} | {row['chars'] / MB:.1f} M | {row['build_s']} | {row.get('keys', '')} | {row['mb_per_s']} | "
                         f"{row['ratio']} | {rss} | {row['matches']} | {diffs} |")
        lines.append("")
    p, s, c, g, d = results.get("parallel"), results.get("stream"), results.get("cold"), results.get("compile"), results.get("discover")
    if p:
        lines.append(f"- Parallel, corpus in {p['files']} files: `--jobs 1` {p['jobs1_s']} s, `--jobs 2` {p['jobs2_s']} s, "
                     f"speed-up **{p['speedup']}×**; output identical: {p['identical_output']}.")
    if s:
        lines.append(f"- Streaming a {s['bytes'] / 1e9:.1f} GB file: {s['seconds']} s ({s['mb_per_s']} MB/s), peak RSS **{s['maxrss_mb']} MB**.")
    if c:
        lines.append(f"- Cold `munitag tag` on 1 KB: **{c['cached_s']} s** with the glossary cache, {c['uncached_s']} s without.")
    if d:
        lines.append(f"- `munitag discover` on 5 M characters of the corpus, one core: **{d['throughput']['mb_per_s']} MB/s**; on the "
                     f"evaluation corpus (`bench/discover`): recall {d['recall']} ({d['found']}/{d['planted']} planted), precision "
                     f"{d['precision']}, look-alike traps proposed: {len(d['traps_proposed'])} of {d['traps']}.")
    if g:
        forms = ", ".join(f"{n} {lang}" for lang, n in g["forms"].items())
        lines.append(f"- Compiling the glossary (validation and inflection) in a fresh process: **{g['compile_s']} s**; generated forms: {forms}.")
    lines.append(f"- Peak RSS of a process that only loads the corpus and the glossary: {results['rss'].get('baseline', '')} MB.")
    write_section(readme, "bench", lines)


def write_section(readme: Path, marker: str, lines: list[str]) -> None:
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->`` in ``readme``."""
    head, _, rest = readme.read_text(encoding="utf-8").partition(f"<!-- {marker}:start -->")
    _, _, tail = rest.partition(f"<!-- {marker}:end -->")
    readme.write_text(f"{head}<!-- {marker}:start -->\n" + "\n".join(lines) + f"\n<!-- {marker}:end -->{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size (default 50)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing, median reported (default 5)")
    parser.add_argument("--stream-gb", type=float, default=1.0, help="size of the streaming test file (0: skip)")
    parser.add_argument("--quick", action="store_true", help="5 MB, one run, no 20k set, no streaming test; README untouched")
    parser.add_argument("--rss-probe", nargs=2, metavar=("ENGINE", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_probe:
        rss_probe(*args.rss_probe)
        return 0
    if args.quick:
        args.size_mb, args.repeat, args.stream_gb = 5.0, 1, 0.0
    CACHE.mkdir(exist_ok=True)
    glossary = load_glossary()
    aliases = sorted({t for e in glossary for a in e.aliases for t in (a.text, *glossary.forms_of(a))})
    started = time.perf_counter()
    text = corpus(int(args.size_mb * MB), aliases)
    corpus_path = CACHE / "corpus.txt"
    corpus_path.write_text(text, encoding="utf-8", newline="")
    folded = fold(text)
    print(f"corpus: {len(text) / MB:.1f} M characters in {time.perf_counter() - started:.1f} s", flush=True)
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "args": vars(args)}
    results["corpus"] = {"chars": len(text), "seed": 2026, "planted_every_chars": 2000}
    # Each synthetic glossary is made just before its set runs and dropped after: held during the
    # others, its objects (56,000 with 20,000 aliases) were walked by every full collection that
    # an engine's objects set off, a cost of this harness that a user's process does not have.
    sets: list[tuple[str, Callable[[], Glossary]]] = [
        ("real glossary", lambda: glossary),
        ("synthetic ≈2,000 aliases", lambda: synthetic_glossary(glossary, 2000)),
    ]
    if not args.quick:
        sets.append(("synthetic ≈20,000 aliases", lambda: synthetic_glossary(glossary, 20000)))
    results["sets"] = [run_set(label, make(), text, folded, args.repeat, args.quick) for label, make in sets]
    del folded
    results["rss"] = measure_rss(corpus_path)
    results["parallel"] = measure_parallel(text, args.repeat)
    tagger = Tagger(glossary)
    results["discover"] = {**evaluate(tagger), "throughput": throughput(tagger, text[: 5 * MB], args.repeat)}
    print(f"\n== discover: {results['discover']['throughput']['mb_per_s']} MB/s; recall {results['discover']['recall']}, "
          f"precision {results['discover']['precision']} on bench/discover", flush=True)
    del text
    if args.stream_gb:
        results["stream"] = measure_stream(corpus_path, args.stream_gb)
    results["compile"] = measure_compile(3)
    results["cold"] = measure_cold(5)
    out = HERE / ("results-quick.json" if args.quick else "results.json")
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not args.quick:
        write_readme(results)
    print(f"\nresults: {out}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
