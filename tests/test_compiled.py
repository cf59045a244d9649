"""The automaton cache: a warm start tags exactly as a fresh build, and any doubt means a rebuild."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ahocorasick
import pytest

from munitag import Tagger, compiled, load_glossary, matcher
from munitag.normalize import scan_image

EXAMPLES = Path(__file__).parent.parent / "examples"
TEXT = (EXAMPLES / "sample.txt").read_text(encoding="utf-8") + (
    "\n\nСапёры нашли ПФМ-1 и лепестками усеянное поле; mines such as the PFM-1S and MON 50s, "
    "an Adam, ADAMs, the M\u00ad74, a butterfly mine near the road.\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MUNITAG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the automatons built (not loaded from the cache)."""
    count: list[int] = []
    real: Callable[..., Any] = matcher._build

    def counted(glossary: Any) -> Any:
        count.append(1)
        return real(glossary)

    monkeypatch.setattr(matcher, "_build", counted)
    return count


def _result(tagger: Tagger) -> list[Any]:
    return [(m.start, m.end, m.entry.id, m.alias) for over in (False, True) for scope in ("sentence", "document")
            for m in tagger.tag(TEXT, overlapping=over, context=scope)]


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"automaton-*.{suffix}"))


def test_a_warm_start_tags_as_a_fresh_build(folder: Path, builds: list[int]) -> None:
    fresh = _result(Tagger(load_glossary(cache=False)))  # not loaded under a key: not cached
    assert not _files(folder, "bin") and len(builds) == 1
    first = Tagger()
    assert len(builds) == 2 and len(_files(folder, "bin")) == len(_files(folder, "table")) == 1
    warm = Tagger()
    assert len(builds) == 2, "the second Tagger loads the cached automaton"
    assert fresh and _result(first) == _result(warm) == fresh


def test_a_filter_gets_its_own_automaton(folder: Path, builds: list[int]) -> None:
    Tagger()
    wanted = _result(Tagger(load_glossary(cache=False), include={"category": ["landmine"]}))
    assert len(builds) == 2
    for _ in range(2):
        assert _result(Tagger(include={"category": ["landmine"]})) == wanted
    assert len(builds) == 3 and len(_files(folder, "bin")) == 2


def test_extra_entries_are_not_cached(folder: Path) -> None:
    extra = [{"id": "zz-1", "name": "ZZ-1", "kind": "term", "category": "landmine", "description": "A test term.",
              "aliases": ["ZZ-1"], "sources": ["https://example.org"]}]
    assert [m.entry.id for m in Tagger(extra=extra).tag("a ZZ-1 here")] == ["zz-1"]
    assert not _files(folder, "bin")


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        at = len(data) // 2
        path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
    else:  # a line of the table swapped for another, header untouched
        head, body = data.split(b"\n", 1)
        lines = body.split(b"\n")
        lines[0], lines[1] = lines[1], lines[0]
        path.write_bytes(head + b"\n" + b"\n".join(lines))


#: Long enough that a warm Tagger loads the automaton file rather than look up every substring,
#: and short enough that it does not.
LONG, SHORT = TEXT * 40, TEXT[:1000]


def _long_result(tagger: Tagger) -> list[Any]:
    return [(m.start, m.end, m.entry.id) for m in tagger.tag(LONG)]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The automaton files loaded."""
    paths: list[str] = []
    real: Callable[..., Any] = ahocorasick.load

    def counted(path: str, *args: Any) -> Any:
        paths.append(path)
        return real(path, *args)

    monkeypatch.setattr(ahocorasick, "load", counted)
    return paths


@pytest.mark.parametrize(("suffix", "how"), [("index", "truncated"), ("index", "flipped"), ("table", "truncated"), ("table", "flipped"),
                                             ("table", "swapped")])
def test_a_damaged_file_means_a_rebuild(folder: Path, builds: list[int], suffix: str, how: str) -> None:
    wanted = _result(Tagger())
    _damage(_files(folder, suffix)[0], how)
    assert _result(Tagger()) == wanted
    assert len(builds) == 2, "the damaged entry was not used"
    Tagger()
    assert len(builds) == 2, "the rebuilt automaton was stored again"


@pytest.mark.parametrize("how", ["truncated", "flipped"])
def test_a_damaged_automaton_file_is_refused_when_loaded(folder: Path, builds: list[int], loads: list[str], how: str) -> None:
    wanted = _long_result(Tagger())
    _damage(_files(folder, "bin")[0], how)
    warm = Tagger()
    assert warm.tag(SHORT) and len(builds) == 1, "a short text needs only the index"
    assert _long_result(warm) == wanted
    assert len(builds) == 2 and not loads, "the damaged file was hashed, refused and the automaton built instead"


def test_a_short_text_does_not_load_the_automaton_file(folder: Path, builds: list[int], loads: list[str]) -> None:
    fresh = Tagger(load_glossary(cache=False))
    Tagger()
    warm = Tagger()
    assert warm.tag(SHORT) == fresh.tag(SHORT) and not loads and len(builds) == 2
    assert _long_result(warm) == _long_result(fresh) and len(loads) == 1 and len(builds) == 2
    assert _result(warm) == _result(fresh), "once loaded, the automaton file answers"


def test_the_index_finds_what_the_automaton_finds(folder: Path) -> None:
    """Every key occurrence, in pyahocorasick's order (by end, longest first), in texts made of keys."""
    Tagger()
    cached = Tagger()._automaton
    assert isinstance(cached, compiled.Cached)
    full = cached._load()
    keys = [key for key, _ in full.items()]
    rng = random.Random(5)
    pieces = [" ", "x", "  ", "s ", "-", "1"]
    images = [scan_image(TEXT)]
    images += ["".join(rng.choice(keys) if rng.random() < 0.6 else rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(300)]
    found = 0
    for image in images:
        cached._budget = len(image) ** 2
        assert list(cached.iter(image)) == list(full.iter(image)), image
        found += len(list(full.iter(image)))
    assert found > 1000 and cached._loaded is None


@pytest.mark.parametrize("suffix", ["bin", "index", "table"])
def test_a_linked_cache_file_is_not_used(folder: Path, builds: list[int], loads: list[str], tmp_path: Path, suffix: str) -> None:
    Tagger()
    path = _files(folder, suffix)[0]
    moved = tmp_path / "elsewhere"
    path.rename(moved)
    path.symlink_to(moved)
    _long_result(Tagger())
    assert len(builds) == 2 and not loads


@pytest.mark.parametrize("target", ["folder", "bin", "index", "table"])
def test_a_cache_others_can_write_is_not_used(folder: Path, builds: list[int], loads: list[str], target: str) -> None:
    wanted = _result(Tagger()), _long_result(Tagger())
    loads.clear()
    path = folder if target == "folder" else _files(folder, target)[0]
    path.chmod(path.stat().st_mode | 0o020)
    fresh = Tagger()
    assert (_result(fresh), _long_result(fresh)) == wanted
    assert len(builds) == 2 and not loads


def test_a_tagger_from_the_cache_pickles(folder: Path) -> None:
    """Spawned workers and Spark executors get the Tagger pickled: values not yet decoded come along."""
    import pickle

    wanted = _result(Tagger())
    warm = Tagger()
    warm.tag("PFM-1")  # one value decoded, the rest still lines of the table
    assert isinstance(warm._values, matcher._Lazy) and isinstance(warm._automaton, compiled.Cached)
    assert _result(pickle.loads(pickle.dumps(warm))) == wanted
    warm.tag(LONG)  # the automaton file loaded
    assert _result(pickle.loads(pickle.dumps(warm))) == wanted
