"""mkdocs-macros internals used by the adapter.

- ``MacrosPlugin.on_page_markdown`` called before the pages render, with the
  page's Markdown and front matter as MkDocs reads them: the pre-rendering keys a
  hand-written page by its Markdown with the macros expanded, so that a data edit
  renders again only the pages whose blocks now give something else (the Devices
  index when a device's status changes; not the References page when a field
  changes). Expanding every hand-written page takes about 0.2 s at 1x, rendering
  them 2.5 s.

Without it (``available()`` False) a hand-written page is rendered again after
every change of the data, as before.
"""

from __future__ import annotations

import importlib
import logging

from ...core.compat import gate
from .mkdocs import tool_of

TESTED = {"mkdocs-macros-plugin": ("1.5.0",)}


def available(plugin) -> bool:
    return plugin is not None and hasattr(plugin, "on_page_markdown") and gate(
        "mkdocs-macros-plugin", TESTED["mkdocs-macros-plugin"])


def expander(config, files):
    """A function ``(page, source) -> str | None``: the page's Markdown with its macros
    expanded, as the build will expand them (None if that fails: the caller then keys
    the page by everything the macros read). Warnings are not emitted here: the
    page's own rendering emits them, or the cache replays them."""
    plugin = config.plugins.get("macros")
    if not available(plugin):
        return None
    get_data = importlib.import_module(f"{tool_of(config)}.utils.meta").get_data
    logger = logging.getLogger(tool_of(config))

    def expand(page, source: str) -> str | None:
        markdown, meta = get_data(source)
        saved_meta, saved_markdown, saved_handlers = page.meta, page.markdown, logger.handlers
        page.meta, page.markdown = meta, markdown  # (its title, if not in the nav, is its first heading)
        logger.handlers = [logging.NullHandler()]
        try:
            return plugin.on_page_markdown(markdown, page=page, config=config, files=files)
        except BaseException:  # noqa: BLE001 - mkdocs-macros may even exit; the page's rendering reports it
            return None
        finally:
            page.meta, page.markdown, logger.handlers = saved_meta, saved_markdown, saved_handlers

    return expand
