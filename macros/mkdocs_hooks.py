"""MkDocs hooks (``hooks:`` in mkdocs.yml): the pre-rendering events of ``macros.adapter``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from macros.adapter import (  # noqa: E402
    on_nav as _on_nav,
    on_env,
    on_page_content,
    on_page_read_source,
    prune_cache as on_post_build,
    on_post_page,
    on_serve,
    patch_search,
)


def on_nav(nav, config, files):
    patch_search(config)  # the search index is new for every language's build
    return _on_nav(nav, config, files)


__all__ = ["on_nav", "on_page_read_source", "on_page_content", "on_post_page", "on_post_build", "on_serve", "on_env"]
