"""mkdocs-static-i18n internals used by the adapter.

- ``build_languages``: the languages built (their URL prefixes).
- ``reconfigure_search_duplicates``: its removal of translated search entries
  that duplicate the default language's compares every pair (quadratic, the
  largest cost at 100x the data); the adapter replaces it with the same rule in
  n log n time (tested against this version's code).

Without them (``available()`` False) i18n removes duplicates itself.
"""

from __future__ import annotations

from ...core.compat import gate

TESTED = {"mkdocs-static-i18n": ("1.3.1",)}


def available(plugin) -> bool:
    return plugin is not None and hasattr(plugin, "reconfigure_search_duplicates") and gate(
        "mkdocs-static-i18n", TESTED["mkdocs-static-i18n"])


def prefixes(plugin) -> tuple[str, ...]:
    """The URL prefixes of the languages built ("en/", "zh/")."""
    return tuple(f"{lang}/" for lang in plugin.build_languages)


def replace_search_dedup(plugin, dedup) -> None:
    """Call ``dedup(entries, prefixes)`` (in place) instead of i18n's own removal."""
    plugin.reconfigure_search_duplicates = lambda entries: dedup(entries, prefixes(plugin))
