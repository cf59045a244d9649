"""Shared fixtures: a small fixed glossary for rule tests, the bundled one for acceptance."""

from __future__ import annotations

import doctest
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from munitag import Tagger, load_glossary

FIXTURE_GLOSSARY = Path(__file__).parent / "fixtures" / "glossary"

#: The glossary cache of this test session (and of the processes it starts). It is set when
#: pytest imports this file, before any test module is collected: test modules may load the
#: bundled glossary at collection time, and that must never read or write the user's cache.
CACHE_DIR = Path(tempfile.mkdtemp(prefix="munitag-test-cache-"))
os.environ["MUNITAG_CACHE_DIR"] = str(CACHE_DIR)
os.environ.pop("MUNITAG_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache directory."""
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


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


def readme_section(start: str, end: str) -> str:
    """The README from the heading ``start`` up to ``end``."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    return readme[readme.index(start) : readme.index(end)]


def run_doctests(code: str) -> None:
    """Run the ``>>>`` examples in ``code`` (README code blocks); fails when there are none or one fails."""
    test = doctest.DocTestParser().get_doctest(code, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.REPORT_NDIFF)
    runner.run(test)
    assert test.examples and runner.summarize(verbose=False).failed == 0
