"""The compiled-glossary cache: same glossary as validation, refreshed on change, never trusted blindly."""

from __future__ import annotations

import os
import shutil
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
