"""Material for MkDocs' search plugin internals used by the adapter.

- ``search_index`` (a ``SearchIndex``), its ``entries``, ``config``,
  ``add_entry_from_context`` and ``generate_search_index``; the plugin's
  ``on_post_build``: pre-rendered pages bring their search entries from their
  worker, and the index is written entry by entry, once, instead of as one
  string per language (hundreds of MB at 100x the data).

Without them (``available()`` False) nothing is pre-rendered and Material
indexes and writes everything itself.
"""

from __future__ import annotations

from ...core.compat import gate

TESTED = {"mkdocs-material": ("9.8.1",)}


def available() -> bool:
    return gate("mkdocs-material", TESTED["mkdocs-material"])


def search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def index_of(search):
    """The plugin's index (None on a search plugin without one)."""
    return getattr(search, "search_index", None)


def merges_previous_index(search) -> bool:
    """Under ``serve --dirty`` Material merges the previous build's index."""
    return bool(getattr(search, "is_dirty", False))


def new_index(search):
    """An empty index configured as the plugin's."""
    return type(search.search_index)(**search.config)


def entries(index) -> list:
    return index.entries


def index_settings(index) -> dict:
    return {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}


def intercept_entries(search, add) -> None:
    """Route the index's ``add_entry_from_context(page)`` through ``add(original, index, page)``."""
    index = search.search_index
    original = type(index).add_entry_from_context
    index.add_entry_from_context = lambda page: add(original, index, page)


def take_over_writing(search, write) -> None:
    """Material writes an empty index for each language; ``write(config)`` writes the real one."""
    search.search_index.generate_search_index = lambda prev: ""
    search.on_post_build = lambda *, config: write(config)
