"""MkDocs (and ProperDocs, its maintained continuation) internals used by the adapter.

- ``commands.build._populate_page``: renders one page as a build does; the
  adapter calls it in a pool of processes (no public call renders a page).
- ``Page._title_from_render``: the title MkDocs takes from a page's first
  heading, kept with a pre-rendered page.
- The live-reload server's ``_watched_paths``, ``_rebuild_cond`` and
  ``_want_rebuild``: under ``serve``, the generated pages' writes must not
  start a second build.

- ``commands.build._build_page`` and ``get_context``: the adapter writes the pages'
  HTML in a pool of processes (the build writes them one after another); the
  main process then runs for each page only its ``page_context`` event.
- ``File.is_modified`` (public, but only MkDocs' dirty builds call it), set per file:
  under ``serve --dirty`` the adapter knows which pages changed (their data, not
  their files' times); the build's warning that a dirty build may leave navigation
  inaccurate is dropped, since every page whose output changes is written.

Without them (``available()`` False) MkDocs renders every page itself and
``serve`` rebuilds once more after a data edit.
"""

from __future__ import annotations

import importlib

from ...core.compat import gate

TESTED = {"mkdocs": ("1.6.1",), "properdocs": ("1.6.7",)}


def tool_of(config) -> str:
    """"mkdocs" or "properdocs": whichever is building (its config class's package)."""
    return type(config).__module__.split(".")[0]


def available(config) -> bool:
    tool = tool_of(config)
    return gate(tool, TESTED.get(tool, ()))


def _build_module(config):
    """MkDocs' (or ProperDocs') module that builds the site."""
    return importlib.import_module(f"{tool_of(config)}.commands.build")


def populate_page(page, config, files) -> None:
    """Render ``page`` (Markdown, macros, every plugin's page events) as a build does."""
    _build_module(config)._populate_page(page, config, files)


def rendered_title(page):
    return page._title_from_render


def set_rendered_title(page, title) -> None:
    page._title_from_render = title


def can_take_over_watching(server, docs: str, config) -> bool:
    """Whether ``server`` is the live-reload server these internals were read from."""
    return available(config) and docs in getattr(server, "_watched_paths", {}) and hasattr(server, "_rebuild_cond")


def request_rebuild(server) -> None:
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


_DIRTY_WARNING = "A 'dirty' build is being performed"


class _NotDirtyWarning:
    def filter(self, record) -> bool:
        return not str(record.msg).startswith(_DIRTY_WARNING)


def quiet_dirty_warning() -> None:
    """Drop the warning of each dirty build (under ``--strict`` it would fail every rebuild)."""
    import logging

    for tool in TESTED:
        logger = logging.getLogger(f"{tool}.commands.build")
        if not any(isinstance(f, _NotDirtyWarning) for f in logger.filters):
            logger.addFilter(_NotDirtyWarning())


def mark_modified(files, modified) -> None:
    """Whether each of ``files`` is written again by a dirty build: ``modified(file)``."""
    for file in files:
        file.is_modified = (lambda value: lambda: value)(bool(modified(file)))


def intercept_build_page(config, wrapper) -> None:
    """The build writes each page by calling ``wrapper(original, page, config, doc_files,
    nav, env, dirty, excluded)`` instead of ``_build_page`` (installed once per process)."""
    module = _build_module(config)
    if getattr(module._build_page, "fusion_atlas", False):
        return
    original = module._build_page

    def build_page(*args, **kwargs):
        return wrapper(original, *args, **kwargs)

    build_page.fusion_atlas = True
    module._build_page = build_page


def run_page_context(page, config, doc_files, nav) -> None:
    """A page's ``page_context`` event, as ``_build_page`` runs it, without writing the page
    (what plugins learn from it, such as the search index, stays in this process)."""
    config._current_page = page
    page.active = True
    try:
        context = _build_module(config).get_context(nav, doc_files, config, page)
        config.plugins.on_page_context(context, page=page, config=config, nav=nav)
    finally:
        page.active = False
        config._current_page = None
