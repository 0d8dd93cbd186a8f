"""MkDocs hooks (``hooks:`` in mkdocs.yml): the pre-rendering events of ``macros.site.adapter``,
and the Content-Security-Policy of every page (``macros.publish.csp``)."""

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from macros.site.adapter import (  # noqa: E402
    on_nav as _on_nav,
    on_env,
    on_page_content,
    on_page_read_source,
    prune_cache as _prune_cache,
    on_post_page as _adapter_on_post_page,
    on_serve,
    patch_search,
    start_dirty as _start_dirty,
    end_build as _end_build,
    build_failed as _build_failed,
    _offline,
    finish_template,
    language_roots,
    shape_written_index,
    writes_theme_pages,
)
from macros.site.compat import markdown as compat_markdown  # noqa: E402
from macros.publish.csp import add_policy, iframe_worker_bootstrap, worker_url  # noqa: E402
from macros.publish.head import without_alternate_links  # noqa: E402


def on_config(config):
    # Python-Markdown's footnotes, numbered in time that grows with the page, not its square.
    config.markdown_extensions.extend(compat_markdown.extensions())
    return config


def on_nav(nav, config, files):
    patch_search(config)  # the search index is new for every language's build
    return _on_nav(nav, config, files)


_SERVING = [False]  # under `mkdocs serve` (make serve)


def on_startup(*, command, dirty):
    _SERVING[0] = command == "serve"
    if dirty and command == "serve":
        _start_dirty()


_SHIMS: dict = {}  # path of the iframe-worker shim -> its text; "warned" once it is missing


def _worker_shim(config) -> str | None:
    """The vendored iframe-worker shim the archive's pages load, if any."""
    for url in config["extra"].get("polyfills", []):
        if "iframe-worker" in url and "://" not in url:
            path = Path(config["docs_dir"], url)
            if str(path) not in _SHIMS:
                _SHIMS[str(path)] = path.read_text(encoding="utf-8") if path.is_file() else None
            return _SHIMS[str(path)]
    return None


def _with_policy(output: str, config, theme: str | None = None) -> str:
    """``output`` with its policy, allowing the inline scripts of ``theme`` (default: all of ``output``'s)."""
    if _SERVING[0]:
        # MkDocs' server adds its live-reload <script> to each page as it sends
        # it, with a new text each time: no hash can allow it. The preview allows
        # inline scripts instead; every other directive is as deployed.
        return add_policy(output, any_inline=True)
    if not _offline(config):
        return add_policy(output, theme=theme)
    # Offline, the search worker runs in an <iframe> whose document inherits the
    # policy: its inline bootstrap script needs a hash too (see macros/publish/csp.py).
    shim, url = _worker_shim(config), worker_url(theme or output)
    bootstrap = iframe_worker_bootstrap(shim, url) if shim and url else None
    if url and bootstrap is None and not _SHIMS.get("warned"):
        _SHIMS["warned"] = True  # (a warning fails the strict build)
        logging.getLogger("mkdocs.plugins.fusion_atlas").warning(
            "Content-Security-Policy: no vendored iframe-worker shim in extra.polyfills whose "
            "bootstrap script can be hashed: the archive's search would be blocked"
        )
    return add_policy(output, offline=True, theme=theme, extra_scripts=[bootstrap] if bootstrap else [])


def on_post_page(output, page, config):
    # Only the theme's inline scripts are allowed: the page as the template wrote
    # it, without its content (Markdown, data; here still a placeholder for the
    # pages macros.site.adapter pre-rendered). A script in the content is blocked.
    content = page.content or ""
    output = without_alternate_links(output)  # the theme would fetch a sitemap that is not there
    theme = output.replace(content, "", 1) if content and content in output else output
    return _with_policy(_adapter_on_post_page(output, page, config), config, theme)


def on_template_context(context, template_name, config):
    if template_name == "404.html":  # the language menu leads to each language's home page
        config["extra"]["alternate"] = language_roots(config)
    return context


def on_post_template(output_content, template_name, config):
    """The theme's own pages (404.html), not built from Markdown; sitemap.xml is left alone. One
    404.html serves both languages: the other language's build writes none (empty output)."""
    if not template_name.endswith(".html"):
        return output_content
    if template_name == "404.html" and not writes_theme_pages(config):
        return ""
    return _with_policy(finish_template(without_alternate_links(output_content), config), config)


def on_post_build(config):
    _end_build()
    _prune_cache(config)
    shape_written_index(config)
    # The redirects of renamed records (macros/publish/opendata.py) have no script: the
    # policy without hashes. Only a file that is exactly a redirect as written is changed.
    from macros.publish.opendata import redirect_files

    macros = config["plugins"].get("macros")
    atlas = getattr(macros, "fusion_atlas", None)
    if atlas is None:
        return
    site = Path(config["site_dir"])
    for rel, text in redirect_files(atlas, config["use_directory_urls"]):
        path = site / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            path.write_text(_with_policy(text, config), encoding="utf-8")


# After mkdocs-static-i18n (-100) has built every language and written the merged index.
on_post_build.mkdocs_priority = -120

def on_build_error(error):
    _build_failed()


__all__ = [
    "on_startup",
    "on_config",
    "on_build_error",
    "on_nav",
    "on_page_read_source",
    "on_page_content",
    "on_post_page",
    "on_template_context",
    "on_post_template",
    "on_post_build",
    "on_serve",
    "on_env",
]
