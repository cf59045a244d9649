"""munitag: find names of landmines, cluster munitions and mine-action terms in text."""

from .errors import FilterError, GlossaryError, MunitagError
from .filters import Filter
from .glossary import Alias, Entry, Glossary
from .loader import load_glossary
from .matcher import Mention, Tagger

__all__ = ["Alias", "Entry", "Filter", "FilterError", "Glossary", "GlossaryError", "Mention", "MunitagError", "Tagger", "load_glossary"]
__version__ = "0.1.0"  # the only copy: pyproject.toml reads it (tool.hatch.version)
