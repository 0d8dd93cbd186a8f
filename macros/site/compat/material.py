"""Material for MkDocs' search plugin internals used by the adapter.

- ``search_index`` (a ``SearchIndex``), its ``entries``, ``config``,
  ``add_entry_from_context`` and ``generate_search_index``; the plugin's
  ``on_post_build``: pre-rendered pages bring their search entries from their
  worker, and the index is written entry by entry, once, instead of as one
  string per language (hundreds of MB at 100x the data).
- The module's ``Parser`` and its sections' ``text`` and ``title`` lists:
  ``use_faster_parser`` has the index parse pages with ``FasterParser``. On each
  closing tag Material's parser searches the section's text from its start for
  the first opening tag of that name (``list.index``); a section that holds a
  table with thousands of rows and then the page's footnotes is searched once
  for each footnote, time that grows with the square of the page (1.8 s for
  the Devices index at 10x, 0.1 s at 1x). ``FasterParser`` keeps where each
  opening tag first occurs instead: the same entries.

Without them (``available()`` False) nothing is pre-rendered and Material
indexes and writes everything itself.
"""

from __future__ import annotations

from ...core.compat import gate

TESTED = {"mkdocs-material": ("9.8.1",)}


def available() -> bool:
    return gate("mkdocs-material", TESTED["mkdocs-material"])


class _FirstAt(list):
    """A section's ``text`` or ``title``: a list that knows where each tag first occurs.

    Material's parser only appends to these lists, pops from their end and asks for
    the first index of an opening tag (``"<li>"``); escaped text never starts with
    ``<``. So ``index`` of a tag is a look-up, and the answers are ``list.index``'s."""

    __slots__ = ("_first",)

    def __init__(self, items=()):
        super().__init__()
        self._first: dict[str, int] = {}
        for item in items:
            self.append(item)

    def append(self, item):
        if item[:1] == "<" and item not in self._first:
            self._first[item] = len(self)
        super().append(item)

    def pop(self, *at):
        if at:  # (not what the parser does: forget the positions, and find them again)
            item = super().pop(*at)
            self._first = {}
            for i, kept in enumerate(self):
                if kept[:1] == "<":
                    self._first.setdefault(kept, i)
            return item
        item = super().pop()
        if self._first.get(item) == len(self):
            del self._first[item]
        return item

    def index(self, item, *bounds):
        at = self._first.get(item)
        if at is None or bounds:
            return super().index(item, *bounds)
        return at


def _faster_parser_class():
    from material.plugins.search.plugin import Parser

    class FasterParser(Parser):
        """Material's parser, with each new section's lists made ``_FirstAt`` as it appears."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._tracked = 0  # sections whose lists are _FirstAt

        def _track(self):
            while self._tracked < len(self.data):
                section = self.data[self._tracked]
                section.text, section.title = _FirstAt(section.text), _FirstAt(section.title)
                self._tracked += 1

        def handle_starttag(self, tag, attrs):
            super().handle_starttag(tag, attrs)
            self._track()

        def handle_data(self, data):
            super().handle_data(data)
            self._track()

    return FasterParser


_PARSERS: dict = {}


def use_faster_parser() -> None:
    """Material's index parses every page with ``FasterParser`` (gate open only; with it
    closed, Material's own parser, as it was)."""
    from material.plugins.search import plugin

    if not available():
        if "material" in _PARSERS:
            plugin.Parser = _PARSERS["material"]
        return

    if "faster" not in _PARSERS:
        _PARSERS["material"], _PARSERS["faster"] = plugin.Parser, _faster_parser_class()
    plugin.Parser = _PARSERS["faster"]


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
