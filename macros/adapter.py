"""The only MkDocs-specific code: registers the core's blocks with mkdocs-macros.

It loads and validates the data once per build (a failure stops the build
with the full list of problems and no traceback), keeps the generated stub
pages in step, and registers every block of ``macros.blocks.BLOCKS``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - running under ProperDocs alone
    from properdocs.exceptions import PluginError  # type: ignore[no-redef]

from .atlas import load_atlas
from .blocks import BLOCKS
from .errors import DataError
from .opendata import open_data_files, record_href, redirect_files
from .pages import jieba_user_dict, sync_stubs, write_if_changed
from .render import entity_page

JIEBA_DICT = ".cache/jieba-user-dict.txt"  # = search.jieba_dict_user in mkdocs.yml


def current_language(env) -> str:
    i18n = env.conf["plugins"].get("i18n")
    return getattr(i18n, "current_language", None) or "en"


def _call(env, atlas, fn, *args):
    return fn(atlas, *args, lang=current_language(env))


def _entity_page(env, atlas, kind: str, rid: str) -> str:
    """entity_page, plus the links that depend on where the page is written."""
    page = env.page
    links = {}
    edit_base = (env.conf.get("extra") or {}).get("edit_url", "")
    if edit_base:
        edit_base = edit_base.rstrip("/") + "/"
        links["edit_data"] = f"{edit_base}data/{kind}/{rid}.yaml"
        prose = atlas.prose_files.get((kind, rid, current_language(env)))
        if prose:
            links["edit_prose"] = f"{edit_base}{prose}"
    if page is not None and getattr(page, "file", None) is not None:
        links["record"] = record_href(page.file.dest_uri, kind, rid)
    return entity_page(atlas, kind, rid, lang=current_language(env), links=links)


def define_env(env) -> None:
    root = Path(env.project_dir)
    try:
        atlas = load_atlas(root)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    sync_stubs(atlas, Path(env.conf["docs_dir"]))
    write_if_changed(root / JIEBA_DICT, jieba_user_dict(atlas))
    env.variables["atlas"] = atlas
    for name, fn in BLOCKS.items():
        env.macro(partial(_call, env, atlas, fn), name)
    env.macro(partial(_entity_page, env, atlas), "entity_page")


def on_post_build(env) -> None:
    """Publish the open data and the redirects of renamed records."""
    atlas = env.variables["atlas"]
    site = Path(env.conf["site_dir"])
    files = {**open_data_files(atlas, env.conf.get("extra", {}).get("version", "")),
             **redirect_files(atlas, env.conf["use_directory_urls"])}
    for rel, text in files.items():
        write_if_changed(site / rel, text)
