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
from .pages import jieba_user_dict, sync_stubs, write_if_changed

JIEBA_DICT = ".cache/jieba-user-dict.txt"  # = search.jieba_dict_user in mkdocs.yml


def current_language(env) -> str:
    i18n = env.conf["plugins"].get("i18n")
    return getattr(i18n, "current_language", None) or "en"


def _call(env, atlas, fn, *args):
    return fn(atlas, *args, lang=current_language(env))


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
