"""Shared fixtures: a small fixed glossary for rule tests, the bundled one for acceptance."""

from __future__ import annotations

from pathlib import Path

import pytest

from munitag import Tagger, load_glossary

FIXTURE_GLOSSARY = Path(__file__).parent / "fixtures" / "glossary"


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
