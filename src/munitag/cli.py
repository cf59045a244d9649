"""The ``munitag`` command: a thin shell over the library.

Exit codes: 0 success (also when the reader of standard output goes away early, as with ``| head``);
1 problems found (an unreadable input or JSONL record, a glossary problem, an unknown entry id, an entry
``glossary new`` refuses to write); 2 usage error (also a filter value the glossary does not know, ``--replace`` or
``--redact`` without ``--format text``, ``--output`` without ``--format docbin``, a DocBin to a terminal, a ``--lang`` spaCy
does not have); 130 interrupted (Ctrl-C; Ctrl-D at a question of
``glossary new``).
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .collector import paused
from .errors import InputError, MunitagError
from .names import shown_name

if TYPE_CHECKING:
    from rich.console import Console

    from .glossary import Entry, Glossary
    from .matcher import Tagger

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _err(message: str) -> None:
    print(f"munitag: error: {message}", file=sys.stderr)


def _console(stderr: bool = False) -> Console:
    from .render import make_console

    return make_console(stderr=stderr)


def _jobs(value: int) -> int:
    return value if value > 0 else (os.cpu_count() or 1)


@contextmanager
def _progress(total: int, label: str, wanted: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr, advanced by bytes; silent unless ``wanted`` and stderr is a
    terminal while stdout is not (so it never mixes with output on the screen).

    The bar (and its refresh thread) starts at the first advance, after any worker processes
    have been forked.
    """
    if not (wanted and sys.stderr.isatty() and not sys.stdout.isatty()):
        yield lambda done: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

    columns = ("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=_console(stderr=True), transient=True, redirect_stdout=False)
    task = bar.add_task(label, total=total or None)

    def advance(done: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.advance(task, done)

    try:
        yield advance
    finally:
        bar.stop()


def _tag_files(names: list[str], fmt: str, overlapping: bool, candidates: bool = False) -> list[tuple[str, Any]]:
    """Worker side of ``tag --jobs``: per file ("error", message), ("jsonl", line) or
    ("doc", (text, compact mentions))."""
    from .formats import JsonlRecord
    from .inputs import read_text
    from .matcher import Segment, packed
    from .parallel import worker_state

    tagger: Tagger = worker_state()
    results: list[tuple[str, Any]] = []
    for name in names:
        try:
            text = read_text(name)
        except InputError as exc:
            results.append(("error", str(exc)))
            continue
        mentions = tagger.tag(text, overlapping=overlapping, candidates=candidates)
        if fmt == "jsonl":  # encoded here, so the JSON work is spread over the workers too
            line = io.StringIO()
            record = JsonlRecord(line, name)
            record.add(Segment(0, text, mentions))
            record.close()
            results.append(("jsonl", line.getvalue()))
        else:
            results.append(("doc", (text, packed(mentions))))
    return results


def _tagger(args: argparse.Namespace) -> Tagger:
    """The Tagger of ``tag`` and ``enrich``: the ``--glossary`` layers, filtered by ``--category`` etc."""
    from .filters import Filter
    from .matcher import Tagger
    from .overlay import load_layers

    include = Filter(*(tuple(getattr(args, name) or ()) for name in ("category", "kind", "origin", "id", "treaty")))
    # The glossary and Tagger live as long as the command: with the collector paused while they
    # are made, then frozen (``main`` unfreezes), no collection walks their objects (a third of
    # a warm start with 100,000 aliases) and forked workers do not copy them by touching them.
    with paused():
        try:
            return Tagger(load_layers(args.glossaries), context=args.context, include=include)
        finally:
            gc.freeze()


def _docbin_problem(output: str | None) -> str | None:
    """Why ``--format docbin`` cannot run (no spaCy, bytes to a terminal), or None."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        return "--format docbin needs spaCy: pip install 'munitag[spacy]'"
    if output is None and sys.stdout.isatty():
        return "--format docbin writes binary data: give --output FILE or redirect standard output"
    return None


def _open_output(path: str) -> BinaryIO:
    """``--output FILE`` opened for writing bytes."""
    try:
        return open(path, "wb")  # closed by cmd_tag
    except OSError as exc:
        raise InputError(f"{shown_name(path)}: cannot write: {exc.strerror}") from None


def cmd_tag(args: argparse.Namespace) -> int:
    from .inputs import read_chunks, size_of
    from .matcher import Segment
    from .outputs import Output

    if args.overlapping and args.format == "conll":
        _err("--format conll cannot hold overlapping mentions (IOB2 gives a token one label); drop --overlapping, or use jsonl, brat or displacy")
        return EXIT_USAGE
    if args.candidates and args.format != "jsonl":
        _err("--candidates needs --format jsonl (candidates name no entry, which the other formats show)")
        return EXIT_USAGE
    if (args.replace or args.redact) and args.format != "text":
        _err("--replace and --redact rewrite the text: add --format text")
        return EXIT_USAGE
    substitute = None
    if args.replace or args.redact:
        from .substitute import DEFAULT_MASK, masking, replacement

        substitute = replacement(args.replace) if args.replace else masking(DEFAULT_MASK)
    if args.output and args.format != "docbin":
        _err("--output is for --format docbin; the other formats write to standard output (or beside the inputs, brat)")
        return EXIT_USAGE
    if args.format == "docbin":
        why = _docbin_problem(args.output)
        if why:
            _err(why)
            return EXIT_USAGE
    tagger = _tagger(args)
    names = args.files or ["-"]
    jobs = _jobs(args.jobs)
    sizes = {name: size_of(name) or 0 for name in names}
    binary = _open_output(args.output) if args.output else None
    output = Output(args.format, tagger.glossary, multiple=len(names) > 1, names=not args.no_names, overwrite=args.overwrite,
                    overlapping=args.overlapping, substitute=substitute, binary=binary)
    status = EXIT_OK
    wanted = not args.no_progress and (len(names) > 1 or sum(sizes.values()) > 8 << 20)

    def problem(message: str) -> None:
        nonlocal status
        _err(message)
        status = EXIT_PROBLEMS

    with _progress(sum(sizes.values()), "tagging", wanted) as advance:
        if jobs > 1 and len(names) > 1:
            from .matcher import unpacked
            from .parallel import run_ordered

            work = functools.partial(_tag_files, fmt=args.format, overlapping=args.overlapping, candidates=args.candidates)
            with closing(run_ordered(tagger, jobs, work, names, weigh=lambda n: sizes[n] or 1)) as results:
                for name, (kind, payload) in results:
                    advance(sizes[name])
                    if kind == "error":
                        problem(payload)
                    elif kind == "jsonl":
                        sys.stdout.write(payload)
                    else:
                        text, compact = payload
                        sink = output.open(name)
                        sink.add(Segment(0, text, unpacked(text, compact, tagger.glossary)))
                        try:
                            sink.close()
                        except InputError as exc:
                            problem(str(exc))
        else:
            from .formats import JsonlRecord, mention_template
            from .split import splittable, tag_file, tag_segments  # one file on several processes when --jobs asks for it

            for name in names:
                sink = None
                try:
                    if args.format == "jsonl" and not args.candidates and splittable(tagger, name, jobs):
                        # the workers read, tag and encode byte ranges of the file; here only offsets are added
                        record = None
                        for found in tag_file(tagger, name, jobs, mention_template, ", ", overlapping=args.overlapping, progress=advance):
                            sink = record = record or JsonlRecord(sys.stdout, name)
                            record.add_encoded(found)
                    else:
                        chunks = read_chunks(name, progress=advance)
                        segments = (
                            tagger.tag_segments(chunks, overlapping=args.overlapping, candidates=True) if args.candidates
                            else tag_segments(tagger, chunks, jobs, overlapping=args.overlapping)
                        )
                        for segment in segments:
                            sink = sink or output.open(name)
                            sink.add(segment)
                    sink = sink or output.open(name)
                    sink.close()
                except InputError as exc:
                    problem(str(exc))
                    if sink is not None:
                        sink.close(str(exc))
    output.finish()
    if binary is not None:
        binary.close()
    return status


#: A line of ``enrich`` input: file name, line number, and the line, or why the file's reading stopped.
_Record = tuple[str, int, bytes | InputError]


def _records(names: list[str], advance: Callable[[int], None]) -> Iterator[_Record]:
    """Every line of every file in order; a file that cannot be read (further) gives one error item,
    in its place, so the lines before it and the other files still go through."""
    from .inputs import read_lines

    for name in names:
        number = 0
        try:
            for number, line in enumerate(read_lines(name, progress=advance), start=1):
                yield name, number, line
        except InputError as exc:
            yield name, number, exc


def _record_weight(record: _Record) -> int:
    """Size of an ``enrich`` record, for batching."""
    return len(record[2]) if isinstance(record[2], bytes) else 1


def _enrich_records(records: list[_Record], field: str, into: str, candidates: bool = False) -> list[tuple[bytes, str | None] | None]:
    """Worker side of ``enrich --jobs``: per record, (output line, problem or None); None for an error item."""
    from .enrich import enrich_line
    from .parallel import worker_state

    tagger = worker_state()
    return [None if isinstance(line, InputError) else enrich_line(tagger, line, field, into, candidates=candidates) for _, _, line in records]


def _enrich_ranges(ranges: list[tuple[str, int, int, int]], field: str, into: str, candidates: bool = False) -> list[tuple[bytes, int, list[tuple[int, str]], str | None]]:
    """Worker side of ``enrich --jobs`` on one big file: per byte range, the output of the lines
    that start in it, how many they are, their problems by line number (from 1 in the range), and
    why the file could not be read further (or None)."""
    from .enrich import enrich_line
    from .inputs import read_lines_in
    from .parallel import worker_state

    tagger = worker_state()
    results = []
    for name, _, start, stop in ranges:
        lines: list[bytes] = []
        problems: list[tuple[int, str]] = []
        error = None
        try:
            for number, line in enumerate(read_lines_in(name, start, stop), start=1):
                output, problem = enrich_line(tagger, line, field, into, candidates=candidates)
                lines.append(output)
                if problem is not None:
                    problems.append((number, problem))
        except InputError as exc:
            error = str(exc)
        results.append((b"".join(lines), len(lines), problems, error))
    return results


def _passed_through(name: str, number: int, why: str) -> str:
    """The message for line ``number`` of ``name``, which ``enrich`` passes through for ``why``."""
    return f"{shown_name(name)}:{number}: {why}; the line is passed through unchanged"


def cmd_enrich(args: argparse.Namespace) -> int:
    from .enrich import enrich_line
    from .inputs import size_of
    from .split import big_file

    tagger = _tagger(args)
    names = args.files or ["-"]
    jobs = _jobs(args.jobs)
    out = sys.stdout.buffer  # lines are passed through as bytes, whatever they hold
    status = EXIT_OK
    total = sum(size_of(n) or 0 for n in names)
    with _progress(total, "enriching", not args.no_progress and total > 8 << 20) as advance:
        if len(names) == 1 and big_file(names[0], jobs):  # the workers read their own byte ranges of it
            from .split import byte_ranges, run_ranges

            in_ranges = functools.partial(_enrich_ranges, field=args.text_field, into=args.output_field, candidates=args.candidates)
            before = 0  # lines of the ranges before
            with closing(run_ranges(tagger, jobs, in_ranges, byte_ranges(names[0]))) as tagged:
                for (name, _, start, stop), (output, count, problems, error) in tagged:
                    advance(stop - start)
                    out.write(output)
                    for number, why in problems:
                        _err(_passed_through(name, before + number, why))
                    before += count
                    if problems or error:
                        status = EXIT_PROBLEMS
                    if error:
                        _err(error)
                        break
            return status
        records = _records(names, advance)
        if jobs > 1:
            from .parallel import run_ordered

            work = functools.partial(_enrich_records, field=args.text_field, into=args.output_field, candidates=args.candidates)
            results: Iterable[tuple[_Record, tuple[bytes, str | None] | None]] = run_ordered(tagger, jobs, work, records, weigh=_record_weight)
        else:
            results = ((r, None if isinstance(r[2], InputError) else enrich_line(tagger, r[2], args.text_field, args.output_field, candidates=args.candidates)) for r in records)
        for (name, number, line), result in results:
            if result is None:
                problem: str | None = str(line)
            else:
                out.write(result[0])
                problem = None if result[1] is None else _passed_through(name, number, result[1])
            if problem:
                _err(problem)
                status = EXIT_PROBLEMS
    return status


def cmd_discover(args: argparse.Namespace) -> int:
    from .discover import Discovery, discover_files, write_records
    from .inputs import read_chunks, size_of
    from .matcher import Tagger
    from .overlay import load_layers

    discovery = Discovery(Tagger(load_layers(args.glossaries)))
    names = args.files or ["-"]
    jobs = _jobs(args.jobs)
    sizes = {name: size_of(name) or 0 for name in names}
    status = EXIT_OK
    with _progress(sum(sizes.values()), "discovering", not args.no_progress and (len(names) > 1 or sum(sizes.values()) > 8 << 20)) as advance:
        if jobs > 1 and len(names) > 1:
            from .parallel import run_ordered

            with closing(run_ordered(discovery.tagger, jobs, discover_files, names, weigh=lambda n: sizes[n] or 1)) as results:
                for name, (problem, found) in results:
                    advance(sizes[name])
                    discovery.merge(found)
                    if problem:
                        _err(problem)
                        status = EXIT_PROBLEMS
        else:
            for name in names:
                try:
                    discovery.add_chunks(read_chunks(name, progress=advance), shown_name(name))
                except InputError as exc:
                    _err(str(exc))
                    status = EXIT_PROBLEMS
    records = discovery.records(min_count=args.min_count, top=args.top or None)
    if args.format == "rich":
        from .discover import table

        _console().print(table(records))
    else:
        write_records(records, args.format, sys.stdout)
    return status


def _glossary(args: argparse.Namespace) -> Glossary:
    from .loader import load_glossary

    return load_glossary(args.glossary)


def cmd_list(args: argparse.Namespace) -> int:
    glossary = _glossary(args)
    if args.format == "json":
        print(json.dumps([e.to_dict() for e in glossary], ensure_ascii=False, indent=1))
        return EXIT_OK
    from rich.table import Table

    from .render import category_style

    table = Table(title=f"{len(glossary)} entries in {glossary.path}")
    for column in ("id", "name", "kind", "category", "origin", "aliases"):
        table.add_column(column)
    for e in sorted(glossary, key=lambda e: e.id):
        table.add_row(e.id, e.name, e.kind, f"[{category_style(glossary, e.category)}]{e.category}", ", ".join(e.origin), str(len(e.aliases)))
    _console().print(table)
    return EXIT_OK


def _find_entries(glossary: Glossary, key: str) -> list[Entry]:
    """The entry with id ``key``, else the entries whose name or an alias is ``key`` (folded:
    case, dashes and spaces as the matcher compares them)."""
    from .normalize import fold

    entry = glossary.get(key)
    if entry is not None:
        return [entry]
    folded = fold(key)
    return [e for e in glossary if any(fold(text) == folded for text in (e.name, *(a.text for a in e.aliases)))]


def cmd_show(args: argparse.Namespace) -> int:
    glossary = _glossary(args)
    found = _find_entries(glossary, args.id)
    if len(found) > 1:
        _err(f"'{args.id}' names {len(found)} entries: {', '.join(f'{e.id} ({e.name})' for e in found)}; show one by its id")
        return EXIT_PROBLEMS
    if not found:
        import difflib

        close = difflib.get_close_matches(args.id, [e.id for e in glossary], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        _err(f"no entry with id, name or alias '{args.id}'{hint}; `munitag glossary list` shows them all")
        return EXIT_PROBLEMS
    entry = found[0]
    if args.forms:
        return _show_forms(glossary, entry, args.format)
    if args.format == "json":
        print(json.dumps(entry.to_dict(), ensure_ascii=False, indent=1))
        return EXIT_OK
    from rich.table import Table

    table = Table(show_header=False, title=f"{entry.name} ({entry.id})")
    table.add_column(style="bold")
    table.add_column()
    for key, value in entry.to_dict().items():
        if key == "aliases":
            value = [a["text"] + "".join(f" [{k}]" for k in a if k not in ("text", "note", "lang")) + (f" ({a['lang']})" if "lang" in a else "") for a in value]
        table.add_row(key, "\n".join(value) if isinstance(value, list) else str(value))
    _console().print(table, markup=False)
    return EXIT_OK


def _show_forms(glossary: Glossary, entry: Entry, fmt: str) -> int:
    """``glossary show ID --forms``: every alias with the forms generated for it."""
    rows = [(a, glossary.forms_of(a)) for a in entry.aliases]
    if fmt == "json":
        print(json.dumps([{"alias": a.text, "lang": a.lang, "forms": list(forms)} for a, forms in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    from rich.table import Table

    table = Table(title=f"{entry.name} ({entry.id}): {sum(len(f) for _, f in rows)} generated forms")
    for column in ("alias", "lang", "generated forms"):
        table.add_column(column)
    for alias, forms in rows:
        note = "" if alias.inflect else "(inflect: false)"
        table.add_row(alias.text, alias.lang or "", ", ".join(forms) or note or "–")
    _console().print(table, markup=False)
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from .glossary import bundled_glossary_path
    from .lint import lint_glossary
    from .validate import display_path

    roots = [Path(p) for p in args.paths] or [Path(args.glossary) if args.glossary else bundled_glossary_path()]
    problems = [p for root in roots for p in lint_glossary(root)]
    if args.format == "json":
        print(json.dumps({"problems": [p.to_dict() for p in problems]}, ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            print(problem)
        where = ", ".join(display_path(r) for r in roots)
        print(f"{len(problems)} problem(s) in {where}" if problems else f"{where}: no problems", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _root(args: argparse.Namespace) -> Path:
    from .glossary import bundled_glossary_path

    return Path(args.glossary) if args.glossary else bundled_glossary_path()


def cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt import entry_files, format_file
    from .validate import display_path

    given = [Path(p) for p in args.paths] or [_root(args)]
    status, changed = EXIT_OK, 0
    for path in given:
        if not path.exists():
            _err(f"{path}: no such file or directory")
            status = EXIT_PROBLEMS
    files = entry_files([p for p in given if p.exists()])
    for path in files:
        try:
            result = format_file(path, prune=args.prune)
        except OSError as exc:
            _err(f"{path}: cannot read: {exc.strerror}")
            status = EXIT_PROBLEMS
            continue
        except UnicodeDecodeError:
            _err(f"{path}: not valid UTF-8: save it as UTF-8")
            status = EXIT_PROBLEMS
            continue
        if result.refused:
            print(f"{display_path(path)}:{result.refused}")
            status = EXIT_PROBLEMS
        elif result.changed:
            changed += 1
            if args.check:
                print(f"{display_path(path)}: would be reformatted")
                status = EXIT_PROBLEMS
            else:
                assert result.text is not None
                path.write_text(result.text, encoding="utf-8")
                print(f"{display_path(path)}: reformatted")
    verb = "would be reformatted" if args.check else "reformatted"
    print(f"{changed} of {len(files)} file(s) {verb}", file=sys.stderr)
    return status


def cmd_new(args: argparse.Namespace) -> int:
    """``glossary new``: refuses the installed glossary, asks for missing facts on a terminal
    (end of input there cancels, exit 130), writes only an entry that passes lint."""
    from .glossary import bundled_glossary_path
    from .scaffold import ScaffoldError, new_entry, packaged

    if args.glossary is None and packaged(bundled_glossary_path()):
        _err(f"the bundled glossary ({bundled_glossary_path()}) is part of the installed package and is not edited; "
             "pass --glossary DIR with the glossary/ directory of your checkout of munitag")
        return EXIT_USAGE
    wanted: dict[str, Any] = {"name": args.name, "category": args.category, "description": args.description, "source": args.source}
    if args.kind == "item":
        wanted["origin"] = args.origin
    missing = [k for k, v in wanted.items() if not v]
    if missing and sys.stdin.isatty():
        try:
            for key in missing:
                answer = input(f"{key}: ").strip()
                wanted[key] = [answer] if key in ("source", "origin") and answer else answer
        except EOFError:
            print(file=sys.stderr)
            _err("cancelled; nothing written")
            return EXIT_INTERRUPTED
        missing = [k for k, v in wanted.items() if not v]
    if missing:
        _err(f"glossary new needs {', '.join('--' + m for m in missing)}")
        return EXIT_USAGE
    try:
        path = new_entry(
            _root(args), args.id, name=wanted["name"], kind=args.kind, category=wanted["category"],
            description=wanted["description"], sources=wanted["source"], origin=wanted.get("origin"),
            aliases=args.alias or [],
        )
    except ScaffoldError as exc:
        _err(str(exc))
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return exc.exit_code
    print(path)
    return EXIT_OK


def _git_reason(exc: Exception) -> str:
    """One clean line on why a git command failed (its stderr is text or bytes)."""
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    return lines[0] if lines else str(exc)


def cmd_diff(args: argparse.Namespace) -> int:
    import subprocess
    import tarfile
    import tempfile
    from io import BytesIO

    from .diff import diff_glossaries, render_markdown, render_text

    with tempfile.TemporaryDirectory() as tmp:
        if args.rev:
            new = Path(args.old) if args.old else _root(args)
            try:
                top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=new, capture_output=True, text=True, check=True).stdout.strip()
                rel = new.resolve().relative_to(Path(top).resolve())
                archive = subprocess.run(["git", "archive", "--format=tar", args.rev, str(rel)], cwd=top, capture_output=True, check=True).stdout
            except (subprocess.CalledProcessError, OSError, ValueError) as exc:
                _err(f"cannot read the glossary at git revision '{args.rev}': {_git_reason(exc)}")
                return EXIT_PROBLEMS
            with tarfile.open(fileobj=BytesIO(archive)) as tar:
                tar.extractall(tmp, filter="data")
            old = Path(tmp) / rel
        else:
            if not (args.old and args.new):
                _err("glossary diff needs OLD_DIR NEW_DIR, or --rev REV [DIR]")
                return EXIT_USAGE
            old, new = Path(args.old), Path(args.new)
        for path in (old, new):
            if not path.is_dir():
                _err(f"{path}: not a glossary directory")
                return EXIT_PROBLEMS
        result = diff_glossaries(old, new)
    print(render_markdown(result) if args.format == "markdown" else render_text(result))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .exports import export
    from .filters import Filter

    include = Filter(*(tuple(getattr(args, name) or ()) for name in ("category", "kind", "origin", "id", "treaty")))
    glossary = include.apply(_glossary(args))
    if args.format == "spacy-patterns":
        try:
            import spacy
        except ImportError:
            _err("--format spacy-patterns needs spaCy: pip install 'munitag[spacy]'")
            return EXIT_PROBLEMS
        try:
            spacy.util.get_lang_class(args.lang)
        except ImportError:  # what spaCy raises for a language it does not have
            _err(f"spaCy has no language '{args.lang}' (--lang takes a code such as en, ru, uk, or xx for any)")
            return EXIT_USAGE
    export(glossary, args.format, sys.stdout, lang=args.lang)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import glossary_stats

    stats = glossary_stats(_glossary(args))
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return EXIT_OK
    from rich.table import Table

    console = _console()
    summary = Table(title=f"{stats['entries']} entries, {stats['aliases']} aliases", show_header=False)
    for key in ("share_sourced", "share_with_examples", "share_with_cyrillic", "share_of_those_with_cyrillic"):
        summary.add_row(key.replace("_", " "), f"{stats[key]:.0%}")
    summary.add_row("Soviet/Russian/Ukrainian items", str(stats["soviet_russian_ukrainian_items"]))
    summary.add_row("generated context-word forms", str(stats["generated_context_forms"]))
    console.print(summary)
    for key in ("by_kind", "by_category", "by_origin", "aliases_by_lang", "aliases_by_script", "generated_forms_by_lang"):
        table = Table(title=key.replace("_", " "))
        table.add_column("value")
        table.add_column("count", justify="right")
        for value, count in stats[key].items():
            table.add_row(value, str(count))
        console.print(table)
    return EXIT_OK


_CONTEXT_OPTION: dict[str, Any] = {
    "choices": ("sentence", "paragraph", "document"),
    "default": "paragraph",
    "help": "where an ambiguous alias (a nickname, a number-like designation) looks for a context word or an "
    "unambiguous mention: its sentence, its paragraph (default; a headline joins the paragraph below), or the "
    "whole input, where an unambiguous mention of the same entry anywhere also counts",
}


def _count(text: str, hint: str = "") -> int:
    """A count option's value: a whole number, 0 or more (``hint`` follows the complaint about a
    negative one)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative{hint}")
    return value


def _job_count(text: str) -> int:
    """``--jobs`` value: a count of processes, 0 for one per CPU."""
    return _count(text, ": give a number of processes, or 0 for one per CPU")


class _AliasAction(argparse.Action):
    """``--alias TEXT``: kept with the language the last ``--lang`` before it named."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        aliases = list(getattr(namespace, self.dest) or [])
        aliases.append((values, getattr(namespace, "lang", None)))
        setattr(namespace, self.dest, aliases)


def _filter_options(command: argparse.ArgumentParser) -> None:
    """``--category``, ``--kind``, ``--origin``, ``--id``, ``--treaty``: tag only the entries they keep."""
    group = command.add_argument_group(
        "filters", "tag only some entries (repeat an option for alternatives; different options must all hold)"
    )
    group.add_argument("--category", action="append", metavar="CATEGORY", help="a category of categories.yml, its subcategories included")
    group.add_argument("--kind", action="append", choices=("item", "term"), help="item or term")
    group.add_argument("--origin", action="append", metavar="CODE", help="an origin code of origins.yml (SU, US ...)")
    group.add_argument("--id", action="append", metavar="ID", help="an entry id")
    group.add_argument("--treaty", action="append", metavar="TREATY", help="a treaty of treaties.yml (mine-ban-treaty, ccm ...)")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``munitag`` command.

    Given a ``command`` (see ``_command``), only that command's options are added: every command
    is still listed, and the parser parses that command's arguments (and prints its help) as the
    whole parser does. Adding the others' options took 2–3 ms of every start.
    """
    from . import __version__

    parser = _Parser(
        prog="munitag",
        description="Find names of landmines, cluster munitions and mine-action terms in text.",
        epilog="Exit codes: 0 ok, 1 problems found, 2 usage error, 130 interrupted.",
    )
    parser.add_argument("--glossary", metavar="DIR", action="append", dest="glossaries", default=[], help=_GLOSSARY_HELP)
    parser.add_argument("--version", action="version", version=f"munitag {__version__}", help="print the version and exit")
    common = _after_command()
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do")
    for name, (options, help_text, description) in _COMMANDS.items():
        made = sub.add_parser(name, parents=[common], help=help_text, description=description)
        if command in (None, name):
            options(made)
    return parser


_GLOSSARY_HELP = (
    "glossary directory (default: the bundled one); accepted before or after the command; repeatable: tag and enrich "
    "lay each later directory over the ones before (it adds entries, replaces those with the same id and adds to the "
    "vocabularies), the glossary commands use the last one"
)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, its width read as ``shutil.get_terminal_size`` reads it (``$COLUMNS``,
    else the terminal's, else 80) without importing shutil: argparse makes a formatter for every
    option it adds, and the first imports shutil, which imports bz2 and lzma (3 ms of every start)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (ValueError, OSError):  # not a terminal, or closed
            columns = 0
    return columns if columns > 0 else 80


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that formats with ``_Formatter`` (its subparsers are ``_Parser``s too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _after_command() -> _Parser:
    """The options every command also takes after its name: ``--glossary``."""
    common = _Parser(add_help=False)
    common.add_argument("--glossary", metavar="DIR", action="append", dest="glossaries_after", default=argparse.SUPPRESS, help=_GLOSSARY_HELP)
    return common


def _tag_options(tag: argparse.ArgumentParser) -> None:
    """The arguments of ``munitag tag``."""
    tag.add_argument("files", nargs="*", metavar="FILE", help="text files, UTF-8 (- or none: standard input)")
    tag.add_argument(
        "--format", choices=("rich", "jsonl", "brat", "conll", "displacy", "html", "text", "csv", "label-studio", "docbin"), default="rich",
        help="rich (default): highlighted text and a summary; jsonl: one JSON object per input; brat: FILE.ann "
        "standoff beside each input (and annotation.conf, if absent); conll: tokens with IOB2 labels; displacy: displaCy "
        "manual-mode JSON per input; html: one self-contained page; text: inline [mention](entry-id) markup; csv: one row "
        "per mention; label-studio: a JSON list of tasks with pre-annotations; docbin: a spaCy DocBin (see --output)",
    )
    tag.add_argument("--output", "-o", metavar="FILE", help="docbin: write the DocBin to FILE (default: standard output, unless it is a terminal)")
    tag.add_argument("--overwrite", action="store_true", help="brat: replace .ann files that already exist (never a symbolic link)")
    tag.add_argument("--overlapping", action="store_true", help="report every candidate, overlaps included: jsonl, brat and displacy (in its span style) list them all; rich, html and text mark the longest of overlapping mentions (rich's summary counts all); not with --format conll")
    tag.add_argument("--context", **_CONTEXT_OPTION)
    tag.add_argument("--candidates", action="store_true", help="jsonl: also list open-vocabulary candidates, designations in munition context "
                     "that name no entry (kind \"candidate\", id null, a score)")
    tag.add_argument("--no-names", action="store_true", help="rich: do not show the canonical name after a mention (no other format shows it inline)")
    tag.add_argument("--jobs", "-j", type=_job_count, default=1, metavar="N", help="use N processes (0: one per CPU): N files at a time, or the pieces of one file; output is unchanged")
    tag.add_argument("--no-progress", action="store_true", help="never show a progress bar (shown on a terminal's stderr for long runs)")
    rewrite = tag.add_mutually_exclusive_group()
    rewrite.add_argument("--replace", choices=("name", "id", "category"), help="--format text: write each mention as its entry's name, id or category")
    rewrite.add_argument("--redact", action="store_true", help="--format text: write each mention as [REDACTED:category]")
    _filter_options(tag)
    tag.set_defaults(func=cmd_tag)


def _enrich_options(enrich: argparse.ArgumentParser) -> None:
    """The arguments of ``munitag enrich``."""
    enrich.add_argument("files", nargs="*", metavar="FILE", help="JSON Lines files (- or none: standard input)")
    enrich.add_argument("--text-field", required=True, metavar="PATH", help="field holding the text; dots reach into nested objects (body.text)")
    enrich.add_argument("--output-field", default="mentions", metavar="NAME", help="field to add to each record (default: mentions)")
    enrich.add_argument("--context", **_CONTEXT_OPTION)
    enrich.add_argument("--candidates", action="store_true", help="also list open-vocabulary candidates (kind \"candidate\", id null, a score)")
    enrich.add_argument("--jobs", "-j", type=_job_count, default=1, metavar="N", help="use N processes (0: one per CPU); record order is unchanged")
    enrich.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    _filter_options(enrich)
    enrich.set_defaults(func=cmd_enrich)


def _discover_options(disc: argparse.ArgumentParser) -> None:
    """The arguments of ``munitag discover``."""
    disc.add_argument("files", nargs="*", metavar="FILE", help="text files, UTF-8 (- or none: standard input)")
    disc.add_argument("--format", choices=("rich", "jsonl", "csv"), default="rich", help="rich (default): a ranked table; jsonl: one record per line; csv")
    disc.add_argument("--min-count", type=_count, default=1, metavar="N", help="only candidates seen at least N times (default 1)")
    disc.add_argument("--top", type=_count, default=0, metavar="N", help="only the N best candidates (default: all)")
    disc.add_argument("--jobs", "-j", type=_job_count, default=1, metavar="N", help="read N files at a time on N processes (0: one per CPU); the result is unchanged")
    disc.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    disc.set_defaults(func=cmd_discover)


def _glossary_options(gloss: argparse.ArgumentParser) -> None:
    """The actions of ``munitag glossary`` and their arguments."""
    common = _after_command()
    gsub = gloss.add_subparsers(dest="glossary_command", required=True, metavar="ACTION", help="what to do with the glossary")
    table_or_json: dict[str, Any] = {"choices": ("table", "json"), "default": "table", "help": "table (default) or json"}
    lst = gsub.add_parser("list", parents=[common], help="list entries")
    lst.add_argument("--format", **table_or_json)
    lst.set_defaults(func=cmd_list)
    show = gsub.add_parser("show", parents=[common], help="show one entry")
    show.add_argument("id", metavar="ID", help="an entry id, its canonical name or any alias (case-insensitive)")
    show.add_argument("--format", **table_or_json)
    show.add_argument("--forms", action="store_true", help="list the generated case and number forms of each Russian and Ukrainian alias")
    show.set_defaults(func=cmd_show)
    lint = gsub.add_parser("lint", parents=[common], help="check glossary directories, one line per problem")
    lint.add_argument("paths", nargs="*", metavar="DIR", help="glossary directories (default: --glossary, or the bundled one)")
    lint.add_argument("--format", choices=("text", "json"), default="text", help="text (default): path:line:col: CODE message; json")
    lint.set_defaults(func=cmd_lint)
    stats = gsub.add_parser("stats", parents=[common], help="counts by kind, category, origin and alias script; coverage")
    stats.add_argument("--format", **table_or_json)
    stats.set_defaults(func=cmd_stats)
    fmt = gsub.add_parser("fmt", parents=[common], help="rewrite entry files in the canonical layout")
    fmt.add_argument("paths", nargs="*", metavar="PATH", help="entry files or glossary directories (default: --glossary, or the bundled one)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 and name files that would change")
    fmt.add_argument("--prune", action="store_true", help="also remove aliases that another alias generates as an inflected form (lint G036)")
    fmt.set_defaults(func=cmd_fmt)
    new = gsub.add_parser(
        "new", parents=[common], help="scaffold an entry file that passes lint and print its path",
        description="Write a new entry file into the glossary named by --glossary (a checkout's glossary/ directory). "
        "The entry is checked as lint would check it; nothing is written when it has problems. Missing facts are "
        "asked for on a terminal; Ctrl-D or Ctrl-C at a question cancels (exit 130).",
    )
    new.add_argument("id", metavar="ID", help="the new entry's id and file name, a lowercase slug such as pmn-4")
    new.add_argument("--name", help="canonical name (also the first alias)")
    new.add_argument("--kind", choices=("item", "term"), default="item", help="item (default: goes to items/) or term (terms/)")
    new.add_argument("--category", help="a key of the glossary's categories.yml")
    new.add_argument("--description", help="one sentence in your own words")
    new.add_argument("--origin", action="append", help="origin code of origins.yml (repeatable; items only)")
    new.add_argument("--source", action="append", help="http(s) URL of a public source (repeatable)")
    new.add_argument("--lang", metavar="CODE", help="ISO 639-1 language of the --alias values after it (ru, uk, en ...); "
                     "Cyrillic aliases need one; nothing is guessed")
    new.add_argument("--alias", action=_AliasAction, metavar="TEXT", help="extra alias (repeatable), in the language of the last --lang before it")
    new.set_defaults(func=cmd_new)
    diff = gsub.add_parser("diff", parents=[common], help="what changed between two glossaries (or against a git revision)")
    diff.add_argument("old", nargs="?", metavar="OLD_DIR", help="the glossary before (with --rev: the glossary directory to compare)")
    diff.add_argument("new", nargs="?", metavar="NEW_DIR", help="the glossary after")
    diff.add_argument("--rev", help="compare the glossary at this git revision with the working tree (OLD_DIR then names the glossary directory)")
    diff.add_argument("--format", choices=("text", "markdown"), default="text", help="text (default) or markdown for a pull-request comment")
    diff.set_defaults(func=cmd_diff)
    export = gsub.add_parser("export", parents=[common], help="write the glossary for other tools (spaCy rulers, Prodigy, spreadsheets)")
    export.add_argument(
        "--format", choices=("spacy-patterns", "csv", "jsonl", "label-studio-config"), required=True,
        help="spacy-patterns: JSON Lines token patterns for spaCy's EntityRuler/SpanRuler and Prodigy; "
        "csv: one row per entry and alias; jsonl: one entry per line; label-studio-config: the labeling config "
        "for tag --format label-studio",
    )
    export.add_argument("--lang", default="xx", metavar="CODE", help="spacy-patterns: cut aliases into tokens as spaCy's blank CODE pipeline does (default xx: multi-language)")
    _filter_options(export)
    export.set_defaults(func=cmd_export)


#: Each command: the function that adds its options, its one-line help, its description.
_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], str, str | None]] = {
    "tag": (_tag_options, "tag text files (stdin when none or -)", None),
    "enrich": (_enrich_options, "add mentions to each record of JSON Lines (stdin when no FILE)", None),
    "discover": (
        _discover_options, "rank designations in munition context that the glossary lacks (stdin when none or -)",
        "Find strings shaped like munition designations or nicknames (PMN-4M, 9N235, мина «Оса») that are not aliases "
        "of any entry nor look-alikes (glossary/lookalikes.yml) and stand in munition context; one record per candidate, best first.",
    ),
    "glossary": (_glossary_options, "inspect and check the glossary", None),
}


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, read as argparse reads it: the first word that is no option
    nor the value of ``--glossary`` (or of a prefix of it, which argparse also accepts); None if
    that is no command (the whole parser then reports it)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return None
        if word.startswith("-") and word != "-":
            if len(word) > 2 and "=" not in word and "--glossary".startswith(word):
                next(words, None)  # its directory
            continue
        return word if word in _COMMANDS else None
    return None


def _stdout_gone() -> int:
    """The reader of standard output went away (``munitag tag big.txt | head``): not an error.
    Whatever is still buffered, and the flush at exit, go to the null device instead."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):  # stdout is no file (e.g. captured)
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    args = build_parser(_command(argv)).parse_args(argv)
    args.glossaries = [*args.glossaries, *getattr(args, "glossaries_after", [])]
    args.glossary = args.glossaries[-1] if args.glossaries else None
    directories = args.glossaries if args.func in (cmd_tag, cmd_enrich) else args.glossaries[-1:]  # the others use the last
    for directory in directories:
        if not Path(directory).is_dir():
            _err(f"glossary directory not found: {directory}")
            return EXIT_PROBLEMS
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the flush at interpreter exit
        return status
    except MunitagError as exc:
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _stdout_gone()
    finally:
        gc.unfreeze()  # what ``_tagger`` froze is collectable again for a caller in the same process
