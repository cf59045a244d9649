"""Import structure: ``import munitag`` stays light, and the modules form layers without circles."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import munitag

PACKAGE = Path(munitag.__file__).parent

#: Each module's layer. A module may import modules of its own layer or lower ones, never a higher
#: one. ``munitag`` is the package's ``__init__`` (the public names).
LAYERS = {
    # foundations: text folding, errors, safe file and YAML reading, reading inputs, pausing the collector
    "munitag.errors": 0, "munitag.normalize": 0, "munitag._stopwords": 0, "munitag._files": 0,
    "munitag._yaml": 0, "munitag.names": 0, "munitag.inputs": 0, "munitag.collector": 0,
    # the glossary as data, and the context rules over folded text
    "munitag.glossary": 1, "munitag.context": 1, "munitag.inflect": 1, "munitag.filters": 1,
    # glossary files: validation, the cache, loading
    "munitag.validate": 2, "munitag.cache": 2, "munitag.compiled": 2, "munitag.loader": 3, "munitag.overlay": 3,
    # matching (the worker pool and text substitution know nothing of the matcher), and
    # open-vocabulary candidates beside it (given the matcher's mentions, never importing it)
    "munitag.parallel": 4, "munitag.substitute": 4, "munitag.matcher": 5, "munitag.candidates": 5, "munitag.split": 5,
    # outputs and integrations, and the public package
    "munitag": 6, "munitag.formats": 6, "munitag.enrich": 6, "munitag.stats": 6, "munitag.palette": 6,
    "munitag.render": 6, "munitag.htmlview": 6, "munitag.outputs": 6, "munitag.spacy_component": 6,
    "munitag.spark": 6, "munitag.discover": 6, "munitag.exports": 6,
    # contributor tools
    "munitag.lint": 7, "munitag.fmt": 7, "munitag.scaffold": 7, "munitag.diff": 7,
    # the command line
    "munitag.cli": 8, "munitag.__main__": 8,
}


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_library_import_does_not_load_rich() -> None:
    modules = loaded_after("import munitag; munitag.Tagger")
    assert "munitag.matcher" in modules
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)


def test_tagging_does_not_load_rich() -> None:
    modules = loaded_after("from munitag import Tagger; Tagger().tag('PFM-1')")
    assert "rich" not in modules and "munitag.render" not in modules


def test_a_warm_start_imports_no_archive_module() -> None:
    """argparse imports shutil, and with it bz2 and lzma, for the terminal width unless it is
    given one; ``munitag tag`` with a warm cache needs none of them."""
    sample = Path(__file__).parent.parent / "examples" / "sample.txt"
    code = (
        "import sys; from munitag.cli import main; "
        f"main(['tag', '--format', 'jsonl', {str(sample)!r}]); "
        "print(sorted({'shutil', 'bz2', 'lzma', 'tempfile'} & set(sys.modules)), file=sys.stderr)"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True) for _ in range(2)]  # the first may write the cache
    assert runs[1].stdout and runs[1].stderr.strip() == "[]"


def _module_name(path: Path) -> str:
    return "munitag" if path.name == "__init__.py" else f"munitag.{path.stem}"


def _imports(path: Path) -> set[str]:
    """The munitag modules ``path`` imports anywhere: at the top, inside functions and under
    ``if TYPE_CHECKING:`` (a type-only import still ties the two modules together)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "munitag"}
        elif isinstance(node, ast.ImportFrom):
            base = "munitag" if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            if target.split(".")[0] != "munitag":
                continue
            for alias in node.names:  # ``from . import cache`` names a module; ``from . import x`` may not
                sub = f"{target}.{alias.name}"
                found.add(sub if (PACKAGE / f"{alias.name}.py").is_file() and target == "munitag" else target)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) - {_module_name(p)} for p in sorted(PACKAGE.glob("*.py"))}


def test_every_module_has_a_layer() -> None:
    assert sorted(set(_graph()) - set(LAYERS)) == [], "add the new module to LAYERS"


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{module} (layer {LAYERS[module]}) imports {target} (layer {LAYERS[target]})"
        for module, targets in _graph().items()
        for target in sorted(targets)
        if module in LAYERS and target in LAYERS and LAYERS[target] > LAYERS[module]
    ]
    assert upward == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One import path that comes back to where it started, for each module on a circle."""
    circles = []
    for start in sorted(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            module, path = stack.pop()
            for target in sorted(graph.get(module, ())):
                if target == start:
                    circles.append(path + [start])
                    stack = []
                    break
                if target not in seen:
                    seen.add(target)
                    stack.append((target, path + [target]))
    return circles


def test_no_import_circles() -> None:
    assert [" -> ".join(c) for c in _circles(_graph())] == []


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []
