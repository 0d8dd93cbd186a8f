"""matplotlib internals used by the charts.

- ``font_manager._load_fontmanager(try_read_cache=False)`` (with the caches
  around it): rebuilds matplotlib's cached font list when fonts were installed
  after it was written; matplotlib has no public call for it.

Without it (``available()`` False: another matplotlib, or
FUSION_ATLAS_COMPAT=off) the fonts are added with the public
``FontManager.addfont``, for the running process only.
"""

from __future__ import annotations

from ..core.compat import gate

TESTED = {"matplotlib": ("3.11.2",)}


def available() -> bool:
    return gate("matplotlib", TESTED["matplotlib"])


def reload_font_list(files, log) -> None:
    """Make matplotlib's font list know the system's fonts again.

    matplotlib has no public call to rebuild its cached list: on the series
    it was tested with (TESTED) this calls the private
    ``font_manager._load_fontmanager(try_read_cache=False)``, which rescans
    the system and rewrites the cache file, as matplotlib itself does when a
    cached font file is gone. On other versions, or if that fails, the public
    ``FontManager.addfont`` adds the ``files`` (this process only).
    """
    from matplotlib import font_manager

    if available() and hasattr(font_manager, "_load_fontmanager"):
        try:
            font_manager._get_fontconfig_fonts.cache_clear()
            fresh = font_manager._load_fontmanager(try_read_cache=False)
            vars(font_manager.fontManager).update(vars(fresh))  # the instance others hold
            font_manager.FontManager._findfont_cached.cache_clear()
            log.info("matplotlib's font list rebuilt: fonts were installed after it was cached")
            return
        except Exception as e:  # noqa: BLE001 - the public way below still works
            log.debug("rebuilding matplotlib's font list failed (%s); adding the fonts instead", e)
    for path in files:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            pass


