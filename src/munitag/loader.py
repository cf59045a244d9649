"""Loading a glossary directory: from the cache when its files are unchanged, else by validation."""

from __future__ import annotations

from pathlib import Path

from .errors import GlossaryError
from .glossary import Glossary, bundled_glossary_path


def load_glossary(path: str | Path | None = None, *, cache: bool = True) -> Glossary:
    """Load and validate a glossary directory (the bundled one when ``path`` is None).

    Args:
        path: The glossary directory.
        cache: Reuse the result of an earlier validation of exactly these files (see
            ``munitag.cache``); validation runs, and refreshes the cache, whenever they changed.

    Raises:
        GlossaryError: the directory is missing or a file breaks the format; ``problems`` lists
            every problem with file, line and column.
    """
    from . import cache as glossary_cache  # imported when loading only, as is validation below

    root = Path(path) if path is not None else bundled_glossary_path()
    key = glossary_cache.key(root) if cache else None
    if key:
        cached = glossary_cache.read(key, root)
        if cached is not None:
            glossary_cache.remember(cached, key)
            return cached
    from .validate import check_glossary  # on a cache miss only: it brings in YAML

    result = check_glossary(root)
    if result.glossary is None:
        raise GlossaryError(result.problems, None if path is None else str(path))
    if key:
        glossary_cache.write(key, result.glossary)
        glossary_cache.remember(result.glossary, key)
    return result.glossary
