"""Shared fixtures: a small fixed glossary for rule tests, the bundled one for acceptance."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from munitag import Tagger, load_glossary

FIXTURE_GLOSSARY = Path(__file__).parent / "fixtures" / "glossary"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests (and the processes they start) use a glossary cache of their own."""
    os.environ["MUNITAG_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("MUNITAG_NO_CACHE", None)
    yield


@pytest.fixture(scope="session")
def mini() -> Tagger:
    """Tagger over tests/fixtures/glossary."""
    return Tagger(FIXTURE_GLOSSARY)


@pytest.fixture(scope="session")
def bundled() -> Tagger:
    """Tagger over the glossary that ships with munitag."""
    return Tagger(load_glossary())


def found(tagger: Tagger, text: str, **kwargs: object) -> list[tuple[str, str]]:
    """(mention text, entry id) pairs, asserting the span invariant on the way."""
    mentions = tagger.tag(text, **kwargs)  # type: ignore[arg-type]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.entry.id) for m in mentions]
