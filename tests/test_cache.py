"""The compiled-glossary cache: same glossary as validation, refreshed on change, never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from munitag import GlossaryError, cache, load_glossary

from .conftest import FIXTURE_GLOSSARY


@pytest.fixture
def gcopy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MUNITAG_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, root)
    return root


def _cached_files(root: Path) -> list[Path]:
    return sorted((root.parent / "cache").glob("glossary-*.json"))


def test_cached_glossary_equals_validated_one(gcopy: Path) -> None:
    fresh = load_glossary(gcopy, cache=False)
    first = load_glossary(gcopy)  # validates and writes the cache
    assert len(_cached_files(gcopy)) == 1
    key = cache.key(gcopy)
    assert key is not None
    warm = cache.read(key, gcopy)
    assert warm is not None
    assert warm == fresh == first
    assert [e.path for e in warm] == [e.path for e in fresh]


def test_bundled_glossary_round_trips() -> None:
    fresh = load_glossary(cache=False)
    load_glossary()
    assert load_glossary() == fresh


def test_a_change_to_any_file_is_seen(gcopy: Path) -> None:
    load_glossary(gcopy)
    entry = gcopy / "items" / "mon-50.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("Test entry for", "Changed entry for"), encoding="utf-8")
    assert load_glossary(gcopy).get("mon-50").description.startswith("Changed entry for")
    assert len(_cached_files(gcopy)) == 2


def _keys_remembered(root: Path) -> list[Path]:
    return sorted((root.parent / "cache").glob("key-*.txt"))


def _unhashed(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("a remembered key needs no file read")

    monkeypatch.setattr(cache, "_hash_file", fail)


def test_a_key_is_remembered_by_the_files_signature_once_they_are_settled(gcopy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache.key(gcopy)
    assert key is not None and _keys_remembered(gcopy) == []  # the copied files are not two seconds old
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    assert cache.key(gcopy) == key and len(_keys_remembered(gcopy)) == 1
    with monkeypatch.context() as patch:
        _unhashed(patch)
        assert cache.key(gcopy) == key
    (remembered,) = _keys_remembered(gcopy)
    remembered.write_text("not a key\n", encoding="utf-8")
    assert cache.key(gcopy) == key  # hashed again
    os.chmod(remembered, 0o666)
    with monkeypatch.context() as patch:
        _unhashed(patch)
        with pytest.raises(AssertionError):  # a file others may write is not trusted
            cache.key(gcopy)


@pytest.mark.parametrize("change", ["same size, old times put back", "file added"])
def test_a_remembered_key_is_not_used_after_a_change(gcopy: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    before = cache.key(gcopy)
    assert before is not None and len(_keys_remembered(gcopy)) == 1
    time.sleep(0.05)  # past the file system's timestamp granularity
    entry = gcopy / "items" / "mon-50.yml"
    if change == "file added":
        shutil.copy(entry, gcopy / "items" / "mon-50-copy.yml")
    else:
        info = entry.stat()
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("Test entry for", "Tost entry for"), encoding="utf-8")
        os.utime(entry, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert entry.stat().st_size == info.st_size and entry.stat().st_mtime_ns == info.st_mtime_ns
    after = cache.key(gcopy)
    assert after not in (None, before)
    for remembered in _keys_remembered(gcopy):
        remembered.unlink()
    assert cache.key(gcopy) == after  # the key of the content, hashed afresh


def test_a_broken_glossary_is_never_cached(gcopy: Path) -> None:
    entry = gcopy / "items" / "mon-50.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("category:", "categry:"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(GlossaryError):
            load_glossary(gcopy)
    assert _cached_files(gcopy) == []


def test_a_damaged_cache_file_is_ignored(gcopy: Path) -> None:
    load_glossary(gcopy)
    (cached,) = _cached_files(gcopy)
    cached.write_text("{not json", encoding="utf-8")
    assert load_glossary(gcopy) == load_glossary(gcopy, cache=False)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership checks need POSIX uids")
def test_a_cache_others_can_write_is_not_read(gcopy: Path) -> None:
    load_glossary(gcopy)
    key = cache.key(gcopy)
    assert key is not None and cache.read(key, gcopy) is not None
    folder = gcopy.parent / "cache"
    folder.chmod(0o777)
    assert cache.read(key, gcopy) is None
    folder.chmod(0o700)
    (cached,) = _cached_files(gcopy)
    cached.chmod(0o666)
    assert cache.read(key, gcopy) is None


def test_cache_can_be_turned_off(gcopy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MUNITAG_NO_CACHE", "1")
    assert cache.key(gcopy) is None
    load_glossary(gcopy)
    assert _cached_files(gcopy) == []


def test_generated_forms_come_from_the_cache(gcopy: Path) -> None:
    fresh = load_glossary(gcopy, cache=False)
    assert "Лепестками" in fresh.forms["ru:Лепесток"]
    load_glossary(gcopy)
    key = cache.key(gcopy)
    assert key is not None
    warm = cache.read(key, gcopy)
    assert warm is not None and warm.forms == fresh.forms and warm.context_except == fresh.context_except


def test_a_cached_start_does_not_import_the_morphology_library(gcopy: Path) -> None:
    import subprocess
    import sys

    load_glossary(gcopy)  # fills the cache
    probe = (
        "import sys; from munitag import Tagger; "
        f"t = Tagger({str(gcopy)!r}); assert [m.text for m in t.tag('Мина и лепестками')] == ['лепестками']; "
        "print(sorted(m for m in sys.modules if m.startswith('pymorphy')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ.copy()).stdout
    assert out.strip() == "[]"


def _in_small_memory(code: str, timeout: float | None = None) -> str:
    """Run ``code`` in a fresh interpreter limited to 1 GiB of address space; its stdout."""
    import subprocess
    import sys

    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    proc = subprocess.run(
        [sys.executable, "-c", limit + code], capture_output=True, text=True, check=False, env=os.environ.copy(), timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _sparse(path: Path, size: int = 3 << 30) -> None:
    with path.open("wb") as out:  # no disk space taken; reading it would take `size` bytes
        out.truncate(size)


def test_the_key_reads_only_the_files_loading_reads(gcopy: Path) -> None:
    before = cache.key(gcopy)
    assert before is not None
    _sparse(gcopy / "stray.bin")
    (gcopy / "items" / "notes.txt").write_text("not an entry", encoding="utf-8")
    after = _in_small_memory(f"from pathlib import Path; from munitag import cache; print(cache.key(Path({str(gcopy)!r})))")
    assert after.strip() == before


def test_an_oversize_entry_file_is_not_read_for_the_key(gcopy: Path) -> None:
    _sparse(gcopy / "items" / "huge.yml")
    probe = (
        "from pathlib import Path; from munitag import GlossaryError, cache, load_glossary; "
        f"root = Path({str(gcopy)!r}); print(cache.key(root))\n"
        "try:\n    load_glossary(root)\nexcept GlossaryError as exc:\n    print([p.code for p in exc.problems])"
    )
    assert _in_small_memory(probe).split("\n")[:2] == ["None", "['G003']"]


def _tampered(data: dict, change: str) -> object:
    """Cached glossary data with one kind of damage (``data`` is changed in place)."""
    first = data["entries"][0]
    if change == "top-level list":
        return [data]
    if change == "empty alias":
        first["aliases"][0] = ""
    elif change == "punctuation alias":
        first["aliases"][0] = {"text": "-", "case_sensitive": True}
    elif change == "alias not a string":
        first["aliases"][0] = {"text": 7}
    elif change == "alias without text":
        first["aliases"][0] = {"lang": "en"}
    elif change == "alias setting not true or false":
        first["aliases"][0] = {"text": "PFM-1", "ambiguous": "yes"}
    elif change == "entries a mapping":
        data["entries"] = {"a": first}
    elif change == "path out of the glossary":
        first["path"] = "../../elsewhere/x.yml"
    elif change == "context word without a letter":
        data["context"] = {"en": ["*"]}
    elif change == "one letter of a name":  # still valid JSON of the same length
        first["name"] = first["name"][:-1] + ("x" if first["name"][-1] != "x" else "y")
    return data


CHANGES = ["top-level list", "empty alias", "punctuation alias", "alias not a string", "alias without text",
           "alias setting not true or false", "entries a mapping", "path out of the glossary", "context word without a letter"]


@pytest.mark.parametrize("change", [*CHANGES, "one letter of a name", "deep nesting", "no header"])
def test_a_tampered_cache_file_is_not_used_and_is_rewritten(gcopy: Path, change: str) -> None:
    from munitag import Tagger

    fresh = load_glossary(gcopy, cache=False)
    load_glossary(gcopy)
    (cached,) = _cached_files(gcopy)
    header, _, payload = cached.read_bytes().partition(b"\n")
    if change == "deep nesting":
        cached.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif change == "no header":
        cached.write_bytes(payload)
    else:  # the header, with the checksum of the file as written, is kept
        cached.write_bytes(header + b"\n" + json.dumps(_tampered(json.loads(payload), change), ensure_ascii=False).encode())
    loaded = load_glossary(gcopy)
    assert loaded == fresh and [e.path for e in loaded] == [e.path for e in fresh]
    assert [m.text for m in Tagger(loaded).tag("a PFM-1 and an MON-50")] == ["PFM-1", "MON-50"]
    key = cache.key(gcopy)
    assert key is not None and cache.read(key, gcopy) == fresh  # the bad file was replaced


@pytest.mark.parametrize("change", CHANGES)
def test_glossary_data_of_the_wrong_shape_is_refused(gcopy: Path, change: str) -> None:
    from munitag.glossary import Glossary

    fresh = load_glossary(gcopy, cache=False)
    assert Glossary.from_dict(cache._located(json.loads(json.dumps(cache._portable(fresh))), gcopy), gcopy) == fresh
    data = _tampered(json.loads(json.dumps(cache._portable(fresh))), change)
    with pytest.raises(ValueError):
        Glossary.from_dict(cache._located(data, gcopy) if change == "path out of the glossary" else data, gcopy)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_a_cache_file_that_is_not_a_regular_file_is_replaced(gcopy: Path, kind: str) -> None:
    load_glossary(gcopy)
    (cached,) = _cached_files(gcopy)
    good = cached.with_name("elsewhere.json")
    cached.rename(good)
    if kind == "fifo":
        os.mkfifo(cached)
    else:
        cached.symlink_to(good)
    probe = f"from munitag import load_glossary; print(len(load_glossary({str(gcopy)!r})))"
    assert _in_small_memory(probe, timeout=120).strip() == str(len(load_glossary(gcopy, cache=False)))  # a FIFO never blocks
    assert cached.is_file() and not cached.is_symlink()


@pytest.mark.parametrize("cwd", ["elsewhere", "b", "b/glossary"])  # absolute paths, relative ones, and the glossary itself
def test_paths_are_those_of_the_glossary_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str) -> None:
    monkeypatch.setenv("MUNITAG_CACHE_DIR", str(tmp_path / "cache"))
    first, second = tmp_path / "a" / "glossary", tmp_path / "b" / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, first)
    shutil.copytree(FIXTURE_GLOSSARY, second)
    (tmp_path / "elsewhere").mkdir()
    load_glossary(first)  # fills the cache
    assert cache.key(first) == cache.key(second)
    monkeypatch.chdir(tmp_path / cwd)
    loaded = load_glossary(second)
    assert loaded.path == second
    assert all(Path(e.path).resolve().parent.parent == second for e in loaded)
    assert [e.path for e in loaded] == [e.path for e in load_glossary(second, cache=False)]


def test_a_test_run_leaves_the_users_cache_alone(tmp_path: Path) -> None:
    """A pytest session (which loads the bundled glossary while it collects test_glossary.py)
    writes nothing under $HOME or $XDG_CACHE_HOME, and removes its own cache directory."""
    import subprocess
    import sys

    home, xdg, tmp = tmp_path / "home", tmp_path / "xdg", tmp_path / "tmp"
    for folder in (home, xdg, tmp):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MUNITAG_CACHE_DIR", "MUNITAG_NO_CACHE")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(xdg), TMPDIR=str(tmp))
    repo = Path(__file__).parent.parent
    test = "tests/test_glossary.py::test_items_have_origin_and_terms_do_not"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout
    assert list(home.iterdir()) == list(xdg.iterdir()) == []
    assert list(tmp.glob("munitag-test-cache-*")) == []


@pytest.mark.parametrize("change", ["added", "removed"])
def test_an_entry_file_added_or_removed_is_seen(gcopy: Path, change: str) -> None:
    load_glossary(gcopy)  # fills the cache
    before = cache.key(gcopy)
    if change == "added":
        text = (gcopy / "items" / "mon-50.yml").read_text(encoding="utf-8")
        (gcopy / "items" / "mon-90.yml").write_text(text.replace("-50", "-90"), encoding="utf-8")  # MON-50, МОН-50 too
    else:
        (gcopy / "items" / "claymore.yml").unlink()
    assert cache.key(gcopy) != before
    loaded = load_glossary(gcopy)
    assert loaded == load_glossary(gcopy, cache=False)
    assert ("mon-90" in loaded, "claymore" in loaded) == ((True, True) if change == "added" else (False, False))
    assert len(_cached_files(gcopy)) == 2


@pytest.mark.parametrize("change", ["version", "module", "new module"])
def test_a_change_to_munitag_itself_is_seen(gcopy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """The key covers munitag's source files, its version among them: a copy of the package
    stands in for it, and a change to the copy makes a new key."""
    load_glossary(gcopy)  # fills the cache
    before = cache.key(gcopy)
    package = tmp_path / "munitag"
    package.mkdir()
    for source in cache._PACKAGE.glob("*.py"):
        shutil.copy(source, package)
    monkeypatch.setattr(cache, "_PACKAGE", package)
    assert cache.key(gcopy) == before  # the same files, elsewhere
    if change == "version":
        init = package / "__init__.py"
        text = init.read_text(encoding="utf-8")
        assert '__version__ = "' in text
        init.write_text(text.replace('__version__ = "', '__version__ = "9', 1), encoding="utf-8")
    elif change == "module":
        with (package / "matcher.py").open("a", encoding="utf-8") as out:
            out.write("\n# changed\n")
    else:
        (package / "extra.py").write_text("", encoding="utf-8")
    assert cache.key(gcopy) not in (None, before)
    load_glossary(gcopy)
    assert len(_cached_files(gcopy)) == 2


def test_cache_files_older_than_a_week_are_removed_on_write(gcopy: Path) -> None:
    folder = gcopy.parent / "cache"
    folder.mkdir(mode=0o700)
    now = time.time()
    ages = {"glossary-old.json": 8, "glossary-recent.json": 6, "other-old.json": 8}
    for name, days in ages.items():
        (folder / name).write_text("{}", encoding="utf-8")
        os.utime(folder / name, (now - days * 86400, now - days * 86400))
    load_glossary(gcopy)  # a miss: validates and writes
    assert not (folder / "glossary-old.json").exists()
    assert (folder / "glossary-recent.json").exists() and (folder / "other-old.json").exists()
    assert len(_cached_files(gcopy)) == 2  # the recent one and the new one


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MUNITAG_CACHE_DIR": "{t}/mine", "XDG_CACHE_HOME": "{t}/xdg"}, "{t}/mine"),
        ({"XDG_CACHE_HOME": "{t}/xdg"}, "{t}/xdg/munitag"),
        ({}, "{t}/home/.cache/munitag"),
        ({"XDG_CACHE_HOME": ""}, "{t}/home/.cache/munitag"),
        ({"MUNITAG_NO_CACHE": "0", "XDG_CACHE_HOME": "{t}/xdg"}, "{t}/xdg/munitag"),
        ({"MUNITAG_NO_CACHE": "1", "MUNITAG_CACHE_DIR": "{t}/mine"}, None),
    ],
    ids=["own dir", "XDG_CACHE_HOME", "~/.cache", "empty XDG_CACHE_HOME", "NO_CACHE=0", "NO_CACHE=1"],
)
def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str | None) -> None:
    for name in ("MUNITAG_CACHE_DIR", "XDG_CACHE_HOME", "MUNITAG_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in env.items():
        monkeypatch.setenv(name, value.format(t=tmp_path))
    root = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, root)
    load_glossary(root)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("glossary-*.json"))
    if expected is None:
        assert cache.directory() is None and written == []
    else:
        assert cache.directory() == Path(expected.format(t=tmp_path))
        assert [p.parent for p in written] == [cache.directory().relative_to(tmp_path)]  # type: ignore[union-attr]


def test_a_cache_file_in_use_is_not_removed_as_stale(gcopy: Path) -> None:
    """Reading a cache file keeps it fresh: a glossary loaded every day is not dropped a week after
    its cache was written, when another glossary's cache is written."""
    load_glossary(gcopy)
    (used,) = _cached_files(gcopy)
    week_and_a_day = time.time() - 8 * 86400
    os.utime(used, (week_and_a_day, week_and_a_day))
    load_glossary(gcopy)  # a hit
    other = gcopy.parent / "other"
    shutil.copytree(gcopy, other)
    (other / "items" / "claymore.yml").unlink()
    load_glossary(other)  # a miss: writes, and removes stale files
    assert used.exists()


def test_a_cache_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    cache.store(tmp_path, "glossary-x.json", b"whole")
    assert (tmp_path / "glossary-x.json").read_bytes() == b"whole"
    (tmp_path / "blocked.json").mkdir()  # a directory where the file would go: the rename fails
    with pytest.raises(OSError):
        cache.store(tmp_path, "blocked.json", b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked.json", "glossary-x.json"]  # no temporary file left
