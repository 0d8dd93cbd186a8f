"""The only MkDocs-specific code: registers the core's blocks with mkdocs-macros.

It loads and validates the data once (a failure stops the build with the
full list of problems and no traceback), writes the generated pages (already
rendered, see ``macros.pages``), and registers every block of
``macros.blocks.BLOCKS`` for the hand-written pages.
"""

from __future__ import annotations

from pathlib import Path

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - running under ProperDocs alone
    from properdocs.exceptions import PluginError  # type: ignore[no-redef]

from . import charts
from .atlas import load_atlas
from .blocks import BLOCKS
from .errors import DataError
from .opendata import open_data_files, redirect_files
from .pages import jieba_user_dict, sync_stubs, write_if_changed

JIEBA_DICT = ".cache/jieba-user-dict.txt"  # = search.jieba_dict_user in mkdocs.yml


def current_language(env) -> str:
    i18n = env.conf["plugins"].get("i18n")
    return getattr(i18n, "current_language", None) or "en"


def _bind(env, atlas, fn):
    """A plain function for mkdocs-macros (a partial would be serialised with the whole atlas)."""

    def macro(*args):
        return fn(atlas, *args, lang=current_language(env))

    macro.__name__, macro.__doc__ = fn.__name__, fn.__doc__
    return macro


_LOADED: dict = {}  # project root -> (signature of the data files, atlas)
_SYNCED: dict = {}  # docs dir -> (atlas, options) of the generated pages written last


def _signature(root: Path) -> tuple:
    """Names, sizes and times of every data and prose file: equal means unchanged."""
    files = [*(root / "data").glob("*/*.yaml"), *(root / "prose").rglob("*.md")]
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))


def _atlas(root: Path):
    """Load the data once: i18n configures each language's build again, serve each rebuild."""
    signature = _signature(root)
    cached = _LOADED.get(root)
    if cached and cached[0] == signature:
        return cached[1]
    atlas = load_atlas(root)
    _LOADED[root] = (signature, atlas)
    return atlas


def _offline(conf) -> bool:
    offline = conf["plugins"].get("offline")
    return bool(offline and offline.config.get("enabled"))


def _linear_search_dedup(plugin) -> None:
    """mkdocs-static-i18n 1.3.1 drops Chinese search entries that duplicate English
    ones by comparing every pair: quadratic, the largest single cost at 100x the
    data. Same rule, with a set (tested in tests/test_i18n.py; remove when fixed
    upstream)."""

    def reconfigure_search_duplicates(search_index_entries):
        prefixes = tuple(f"{lang}/" for lang in plugin.build_languages)
        default = {
            (e["title"], e["location"], e["text"]) for e in search_index_entries if not e["location"].startswith(prefixes)
        }
        kept = [
            e for e in search_index_entries
            if not (e["location"].startswith(prefixes)
                    and (e["title"], e["location"].split("/", 1)[1], e["text"]) in default)
        ]
        search_index_entries[:] = kept

    plugin.reconfigure_search_duplicates = reconfigure_search_duplicates


def define_env(env) -> None:
    root = Path(env.project_dir)
    try:
        atlas = _atlas(root)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    charts.CACHE_DIR = root / ".cache" / "charts"
    edit_base = (env.conf.get("extra") or {}).get("edit_url", "")
    directory_urls = env.conf["use_directory_urls"] and not _offline(env.conf)
    docs = Path(env.conf["docs_dir"])
    last = _SYNCED.get(docs)
    if not (last and last[0] is atlas and last[1:] == (edit_base, directory_urls)):  # once per build, not per language
        sync_stubs(atlas, docs, edit_base, directory_urls)
        _SYNCED[docs] = (atlas, edit_base, directory_urls)
    write_if_changed(root / JIEBA_DICT, jieba_user_dict(atlas))
    # Kept on the plugin, not in env.variables: macros serialises its variables.
    env.fusion_atlas = atlas
    i18n = env.conf["plugins"].get("i18n")
    if i18n is not None and hasattr(i18n, "reconfigure_search_duplicates"):
        _linear_search_dedup(i18n)
    for name, fn in BLOCKS.items():
        env.macro(_bind(env, atlas, fn), name)


def on_post_build(env) -> None:
    """Publish the open data and the redirects of renamed records."""
    atlas = env.fusion_atlas
    site = Path(env.conf["site_dir"])
    files = {**open_data_files(atlas, env.conf.get("extra", {}).get("version", "")),
             **redirect_files(atlas, env.conf["use_directory_urls"])}
    for rel, text in files.items():
        write_if_changed(site / rel, text)
