"""One highlight colour per top-level category, shared by the terminal and the HTML view.

A category is shown in the colour of its top-level ancestor. The colours are light enough for
black text on them, and stay distinct when a terminal has only 256 or 16 colours.
"""

from __future__ import annotations

from .glossary import Glossary

#: Background colour by top-level category (xterm-256 palette entries).
COLOURS: dict[str, str] = {
    "landmine": "#ff8787",
    "scatterable-mine-system": "#d787ff",
    "cluster-munition": "#87d7ff",
    "explosive-ordnance": "#ffd75f",
    "mine-component": "#87ff87",
    "mine-action": "#5f87ff",
    "delivery-system": "#ffd7af",
}
#: Background of a category outside the table (another glossary's).
OTHER = "#d0d0d0"
#: Text colour on every highlight.
INK = "#000000"


def top_category(glossary: Glossary, category: str) -> str:
    """The top-level ancestor of ``category`` (itself when it has no parent; "" for none)."""
    return glossary.category_chain(category)[-1] if category else ""


def colour(glossary: Glossary, category: str) -> str:
    """The highlight colour of ``category``."""
    return COLOURS.get(top_category(glossary, category), OTHER)


def top_categories(glossary: Glossary) -> list[str]:
    """The glossary's top-level categories, in the order it lists them."""
    return [name for name, found in glossary.categories.items() if not found.parent]
