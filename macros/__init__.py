"""Fusion Atlas core: load -> validate -> model -> render.

Nothing in this package imports MkDocs except ``macros.site.adapter``, the thin
layer that mkdocs-macros loads (``module_name: macros`` calls
``define_env`` below, which hands over to the adapter).
"""


def define_env(env):  # entry point for mkdocs-macros
    from .site.adapter import define_env as _define_env

    _define_env(env)


def on_post_build(env):  # mkdocs-macros calls this after the build
    from .site.adapter import on_post_build as _on_post_build

    _on_post_build(env)
