"""The only MkDocs-specific code: registers the core's blocks with mkdocs-macros.

It loads and validates the data once (a failure stops the build with the
full list of problems and no traceback; under ``serve`` the site keeps the last
valid data and every page lists the problems), writes the generated pages
(already rendered, see ``macros.publish.stubs``), and registers every block of
``macros.render.blocks.BLOCKS`` for the hand-written pages.
"""

from __future__ import annotations

import gc
import hashlib
import html as html_lib
import json
import logging
import os
import pickle
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - running under ProperDocs alone
    from properdocs.exceptions import PluginError  # type: ignore[no-redef]

from ..render import charts
from ..core.atlas import load_atlas
from ..render.blocks import BLOCKS
from ..render.cite import Citable, cite_block
from ..render.labels import localise_extensions
from ..render.urls import ROOT, resolve_root_links
from ..core import facts
from ..core.atlas import PAGE_KINDS
from ..core.digest import code_digest, key, versions
from ..core.fileio import atomic_write
from ..core.loader import is_generated
from .compat import i18n as compat_i18n, macros as compat_macros, material as compat_material, mkdocs as compat_mkdocs
from ..core.errors import DataError
from ..publish.opendata import open_data_files, redirect_files
from ..publish.files import write_if_changed
from ..publish import search as search_entries
from ..publish.search import jieba_user_dict
from ..publish.stubs import MARKER, Drawing, prepare

JIEBA_DICT = ".cache/jieba-user-dict.txt"  # = search.jieba_dict_user in mkdocs.yml


def current_language(env) -> str:
    i18n = env.conf["plugins"].get("i18n")
    return getattr(i18n, "current_language", None) or "en"


def page_id(page) -> str:
    """A page's id: its file name without folder, language suffix or extension
    ("configurations/tokamak.zh.md" -> "tokamak")."""
    src = getattr(getattr(page, "file", None), "src_uri", "") or ""
    return src.rsplit("/", 1)[-1].split(".", 1)[0]


def _bind(env, atlas, fn):
    """A plain function for mkdocs-macros (a partial would be serialised with the whole atlas)."""

    import inspect

    # A block that names the site (the atlas's citation) takes its address too; one that is
    # about its page's subject (a configuration's devices) takes the page's id, its file name.
    wanted = inspect.signature(fn).parameters
    wants_site, wants_page = "site_url" in wanted, "page_id" in wanted

    def macro(*args):
        extra = {}
        if wants_site:
            extra["site_url"] = env.conf.get("site_url") or ""
        if wants_page:
            extra["page_id"] = page_id(getattr(env, "page", None))
        return fn(atlas, *args, lang=current_language(env), **extra)

    macro.__name__, macro.__doc__ = fn.__name__, fn.__doc__
    return macro


@dataclass
class _State:
    """Everything the adapter keeps between MkDocs' events and between builds (``serve``):
    one typed object, owned here; the core, rendering and publishing get what they need
    as arguments."""

    loaded: dict = field(default_factory=dict)  # project root -> (signature of the data files, atlas)
    synced: dict = field(default_factory=dict)  # docs dir -> (atlas, options) of the generated pages written last
    drawing: Drawing = field(default_factory=Drawing)  # charts still being drawn by the processes that wrote the pages
    published: dict = field(default_factory=dict)  # data last published, its settings, files written per site folder
    serving: bool = False  # set by on_serve: the builds from now on are serve's rebuilds
    problems: tuple = ()  # of the data as saved, while serve builds from the last valid data
    data_digest: str = ""  # of the data and prose (set when they are loaded)
    pages: dict = field(default_factory=dict)  # src_uri -> _Rendered, for the current language
    used: set = field(default_factory=set)  # cache files this process has used
    pruned: bool = False
    in_worker: bool = False
    written: dict | None = None  # src_uri -> warnings of the pages the pool wrote (None: not yet, this build)
    writing: tuple | None = None  # what the pool's processes write the pages with
    config: object = None
    files: object = None
    # serve --dirty (make serve): MkDocs writes again only the pages this adapter says changed.
    dirty: bool = False
    built: dict = field(default_factory=dict)  # language -> (site digest, {src_uri: (page digest, dest)}) served now
    building: list = field(default_factory=list)  # (language, site digest, pages) of the builds under way, innermost last
    search_pages: dict = field(default_factory=dict)  # src_uri -> its search entries, kept between serve's builds
    search_order: dict = field(default_factory=dict)  # language -> its pages' src_uris, in the order built
    shaped: tuple = (None, {})  # (atlas, {entry: entry with its keywords}) kept between serve's builds


_STATE = _State()
_FAILED: dict = {}  # project root -> (signature of the data files, DataError) of the last failed load


def _signature(root: Path) -> tuple:
    """Names, sizes and times of every data and prose file: equal means unchanged."""
    files = [*(root / "data").glob("*/*.yaml"), *(root / "prose").rglob("*.md")]
    return tuple(sorted((str(p), (st := p.stat()).st_size, st.st_mtime_ns) for p in files))


def _atlas(root: Path):
    """Load the data once: i18n configures each language's build again, serve each rebuild."""
    signature = _signature(root)
    cached = _STATE.loaded.get(root)
    if cached and cached[0] == signature:
        return cached[1]
    failed = _FAILED.get(root)
    if failed and failed[0] == signature:  # each language's build: the same files, the same problems
        raise failed[1]
    gc.unfreeze()  # the data loaded before (serve) may be collected again
    try:
        atlas = load_atlas(root, blocks=BLOCKS)
    except DataError as exc:
        _FAILED[root] = (signature, exc)
        raise
    _FAILED.pop(root, None)
    _STATE.loaded[root] = (signature, atlas)
    # The data lives as long as the build: the cycle collector need not scan its objects
    # again at every collection, nor touch their memory, which forked processes then copy.
    gc.freeze()
    # What hand-written pages' macros read: keys their cached rendering (once per data change).
    prose = hashlib.sha1(repr(sorted(atlas.prose.items())).encode("utf-8")).hexdigest()
    _STATE.data_digest = atlas.digest(*atlas.records) + prose
    return atlas


def _processes() -> int:
    """Processes for parallel work: every core, but fork only while no other thread runs
    (a build; not a reload under ``serve``, whose server threads are alive)."""
    return (os.cpu_count() or 1) if threading.active_count() == 1 else 1


def _offline(conf) -> bool:
    offline = conf["plugins"].get("offline") or conf["plugins"].get("material/offline")  # (the name before i18n reconfigures)
    return bool(offline and offline.config.get("enabled"))


def _search_key(title, text) -> str:
    return hashlib.blake2b(repr((title, text)).encode("utf-8"), digest_size=16).hexdigest()


def _search_record(entry: dict, payload) -> tuple:
    """(key of its title and text, location, payload) of one search entry."""
    return _search_key(entry.get("title"), entry.get("text")), entry.get("location", ""), payload


def _deduplicated(records, prefixes: tuple):
    """The payloads of ``records()`` (see ``_search_record``) without the translated
    entries (location under a language prefix) that mkdocs-static-i18n drops as
    duplicates of an entry of the default language, in n log n time, not n².

    Its rule (``reconfigure_search_duplicates``): for each default entry in order,
    remove each translated entry with the same title and text whose location *ends
    with* the default entry's (so the home page's "" matches every location). It
    removes from the lists it is iterating, so (1) the translated entry right after
    a removed one is not looked at for that default entry, and (2) the default entry
    that follows is skipped for each translated entry removed before it in the list.
    Both are reproduced: a linked list of the translated entries still there, and
    a Fenwick tree of the positions still there. ``records`` is called twice.
    """
    if not prefixes:
        yield from (record[2] for record in records())
        return
    keys: list[str] = []
    positions: list[str] = []  # location of each entry, in order
    target_of: list[int] = []  # index among the translated entries, or -1 for a default one
    locations: list[str] = []  # of the translated entries, in order
    where: list[int] = []  # position of each translated entry
    by_key: dict[str, list[int]] = {}  # key -> translated entries with it, in order
    for tt, location, _payload in records():
        keys.append(tt)
        positions.append(location)
        if location.startswith(prefixes):
            by_key.setdefault(tt, []).append(len(locations))
            target_of.append(len(locations))
            where.append(len(positions) - 1)
            locations.append(location)
        else:
            target_of.append(-1)
    n, count = len(positions), len(locations)
    tree = [0] * (n + 1)  # Fenwick tree: 1 for each position still in the list
    for p in range(1, n + 1):
        tree[p] += 1
        if p + (p & -p) <= n:
            tree[p + (p & -p)] += tree[p]
    top = 1 << n.bit_length()

    def remove(p: int) -> None:
        p += 1
        while p <= n:
            tree[p] -= 1
            p += p & -p

    def at(index: int) -> int:
        """The position of the entry now at ``index`` of the list."""
        p, rest, step = 0, index + 1, top
        while step:
            if p + step <= n and tree[p + step] < rest:
                p += step
                rest -= tree[p]
            step >>= 1
        return p

    after = list(range(1, count + 1))  # the next translated entry still there
    before = list(range(-1, count - 1))
    dropped = [False] * count
    index, size = 0, n
    while index < size:
        p = at(index)
        if target_of[p] < 0:  # a default entry: remove its duplicates
            location, skip = positions[p], -1
            for t in by_key.get(keys[p], ()):
                if dropped[t] or not locations[t].endswith(location):
                    continue
                if t == skip:  # right after one just removed: i18n's loop steps over it
                    skip = -1
                    continue
                dropped[t] = True
                remove(where[t])
                size -= 1
                if before[t] >= 0:
                    after[before[t]] = after[t]
                if after[t] < count:
                    before[after[t]] = before[t]
                skip = after[t]
        index += 1
    t = 0
    for _tt, location, payload in records():
        if location.startswith(prefixes):
            if not dropped[t]:
                yield payload
            t += 1
        else:
            yield payload


def _linear_search_dedup(plugin) -> None:
    """mkdocs-static-i18n 1.3.1 drops Chinese search entries that duplicate English
    ones by comparing every pair: quadratic, the largest single cost at 100x the
    data. Same rule, in n log n time (tested against its code in tests/test_i18n.py;
    remove when fixed upstream). Entries kept on disk (``_PageEntries``) pass
    through: the index writer applies the same rule to all entries."""

    def dedup(search_index_entries, prefixes):
        def records():
            for e in search_index_entries:
                yield _search_record(e, e) if isinstance(e, dict) else (None, "", e)

        search_index_entries[:] = list(_deduplicated(records, prefixes))

    compat_i18n.replace_search_dedup(plugin, dedup)


def _last_valid(root: Path, exc: DataError):
    """Under ``serve``, a data error does not fail the rebuild: MkDocs' server would hold
    every page request until a build succeeds. The site is built again from the last
    valid data and every page lists the problems (on_post_page), until they are fixed.
    A build (and serve's first build) fails as before."""
    cached = _STATE.loaded.get(root)
    if not (_STATE.serving and cached):
        raise PluginError(str(exc)) from None
    problems = tuple(exc.problems)
    if problems != _STATE.problems:  # once per change, not per language
        # Not a warning: under --strict that would fail the build and hold the pages again.
        _log.info(f"{exc}\nThe pages show these problems, and the last valid data, until they are fixed.")
    _STATE.problems = problems
    return cached[1]


def define_env(env) -> None:
    root = Path(env.project_dir)
    try:
        atlas = _atlas(root)
    except DataError as exc:
        atlas = _last_valid(root, exc)
    else:
        _STATE.problems = ()
    charts.use_cache(root / ".cache" / "charts")
    edit_base = (env.conf.get("extra") or {}).get("edit_url", "")
    directory_urls = env.conf["use_directory_urls"] and not _offline(env.conf)
    docs = Path(env.conf["docs_dir"])
    last = _STATE.synced.get(docs)
    if not (last and last[0] is atlas and last[1:] == (edit_base, directory_urls)):  # once per build, not per language
        _STATE.drawing.wait()
        # The generated pages, written before MkDocs lists the files; the charts are
        # drawn meanwhile, and on_nav waits for them before any page renders.
        _STATE.drawing = prepare(atlas, docs, edit_base, directory_urls, processes=_processes())
        _STATE.synced[docs] = (atlas, edit_base, directory_urls)
    write_if_changed(root / JIEBA_DICT, jieba_user_dict(atlas))
    search_entries.reset_jieba_words()  # before Material's search adds that dictionary (its on_config)
    # Kept on the plugin, not in env.variables: macros serialises its variables.
    env.fusion_atlas = atlas
    i18n = env.conf["plugins"].get("i18n")
    if compat_i18n.available(i18n):
        _linear_search_dedup(i18n)
    for name, fn in BLOCKS.items():
        env.macro(_bind(env, atlas, fn), name)




def on_post_build(env) -> None:
    """Publish the open data, the redirects of renamed records and the names search goes to.

    Each language's build ends here, into the same site folder: the files are
    written once per data load and site folder (again if a new build cleaned
    them away). They are made one at a time and not kept: at 100x the data
    they are about 250 MB.
    """
    atlas = env.fusion_atlas
    site = Path(env.conf["site_dir"])
    settings = (env.conf.get("extra", {}).get("version", ""), env.conf["use_directory_urls"])
    if _STATE.published.get("atlas") is not atlas or _STATE.published.get("settings") != settings:  # (is: no deep comparison)
        _STATE.published.clear()
        _STATE.published.update(atlas=atlas, settings=settings, written={})
    written = _STATE.published["written"]
    if str(site) in written and all((site / rel).exists() for rel in written[str(site)]):
        return
    rels = []
    files = open_data_files(atlas, settings[0], env.conf.get("site_url") or "")
    names = [(search_entries.NAMES_FILE, search_entries.names_script(atlas, settings[1]))]
    for rel, text in chain(files, redirect_files(atlas, settings[1]), names):
        write_if_changed(site / rel, text)
        rels.append(rel)
    written[str(site)] = rels


# --------------------------------------------------------------------------
# Pre-rendering the pages (MkDocs hooks, registered by macros/site/hooks.py)
#
# MkDocs converts every page's Markdown and Material's search parses every
# page's HTML, one page after the other, and keeps every page's HTML in memory
# until the build ends. This section does that work instead, with the same
# MkDocs, mkdocs-macros and Material code:
#
# * on_nav: each page whose inputs changed (its source; for a hand-written
#   page also the data, the code and the language its macros read) is
#   rendered by MkDocs' own ``_populate_page`` in a pool of processes
#   (forked, so they share the loaded configuration and data), and indexed
#   for search there;
#   the HTML goes to a cache file, its table of contents to another (read again by
#   the process that writes the page), its anchors and its links to anchors to two
#   more (read again only to check those links), and the rest (title, search
#   entries, warnings) is kept. Pages whose inputs did not change come
#   straight from the cache: serve reloads and warm builds skip them.
# * on_page_read_source / on_page_content: the main process reads, renders
#   and converts nothing, takes the kept results and re-emits the page's warnings
#   (so ``strict`` fails exactly as before); page.content is a placeholder.
# * Material's search takes the kept entries for those pages.
# * on_post_page: the placeholder is replaced by the HTML from the cache.
# * Writing the pages: MkDocs then puts every page through the theme's template
#   and writes it, one after another (1.5 s per language at 1x, one core). At
#   the first page it writes, a pool of processes writes them all with
#   MkDocs' own ``_build_page``; the main process runs for each page only its
#   ``page_context`` event (the search index is kept there) and re-emits the
#   warnings the pool met. A page the pool could not write is written the
#   usual way, and fails the usual way.
#
# The output is byte-identical to a build without it (tests/test_prerender.py);
# FUSION_ATLAS_PRERENDER=0 turns it off.
# --------------------------------------------------------------------------


_log = logging.getLogger("mkdocs.plugins.fusion_atlas")
_KEPT = (".anchors", ".links", ".toc")  # what a cache entry keeps beside its .html and .pickle
_POOL_MIN_PAGES = 24  # fewer changed pages than this render in-process (a pool costs ~0.2 s)
_PRUNE_AFTER_DAYS = 7  # cache entries unused this long (and not by this build) are removed


@dataclass
class _Rendered:
    """What MkDocs and Material learn from rendering one page, minus its HTML, its table of
    contents and its anchors (cache files of their own: ``_KEPT``)."""

    html_file: str
    has_h1: bool  # Material's template adds an <h1> to pages without one
    title: str | None
    meta: dict  # the page's front matter
    search: str | None = None  # the file of its search entries (None: search is off)
    warnings: list = field(default_factory=list)  # (logger name, level, message)


def _code_digest(config) -> str:
    """The code that renders the pages: the package and the theme's overrides."""
    return code_digest(str(Path(config.config_file_path).parent / "overrides"))


def _enabled(config) -> bool:
    """Pre-rendering: on unless FUSION_ATLAS_PRERENDER=0, and only with the MkDocs and
    Material versions whose internals it uses (site/compat/)."""
    return (os.environ.get("FUSION_ATLAS_PRERENDER", "1") != "0" and compat_mkdocs.available(config)
            and compat_material.available())


_search_plugin = compat_material.search_plugin


def _settings_digest(config, files) -> str:
    """Everything besides a page's own source that its HTML and entries depend on."""
    search = _search_plugin(config)
    jieba_dict = Path(config.config_file_path).parent / JIEBA_DICT
    parts = [
        code_digest(),  # this code: what a cache entry holds, and how the pages were made
        versions("mkdocs", "markdown", "mkdocs-material", "mkdocs-static-i18n", "jieba", "nh3"),
        repr(config["markdown_extensions"]), repr(sorted((config["mdx_configs"] or {}).items(), key=str)),
        repr(config["validation"]), repr(config["use_directory_urls"]), repr(config["site_url"]),
        repr(dict(search.config)) if search else "",
        jieba_dict.read_text(encoding="utf-8") if jieba_dict.is_file() else "",
        "\n".join(sorted(f.src_uri for f in files)),  # links resolve against the set of files
    ]
    return key(*parts)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def _warnings_kept(config):
    """The warnings MkDocs' (or ProperDocs') loggers get meanwhile, kept instead of emitted:
    a pool's process hands them to the main process, which emits them (``_emit``), so that
    ``strict`` counts each once."""
    capture = _Capture()
    logger = logging.getLogger(compat_mkdocs.tool_of(config))
    saved, logger.handlers = logger.handlers, [capture]
    try:
        yield capture.records
    finally:
        logger.handlers = saved


def _emit(warnings: list[tuple[str, int, str]]) -> None:
    for name, level, message in warnings:
        logging.getLogger(name).log(level, message)


def _render_in_worker(job: tuple[str, str]) -> tuple[str, _Rendered | None]:
    """Render one page with MkDocs itself, index it for search, write its HTML to the cache.

    Any failure (mkdocs-macros even exits on an error) gives None: the main
    process then renders that page the usual way and fails the usual way.
    """
    try:
        return _render_one(*job)
    except BaseException:  # noqa: BLE001 - reported by the main process's own rendering
        return job[0], None


def _render_one(src_uri: str, cache_file: str) -> tuple[str, _Rendered]:
    config, files = _STATE.config, _STATE.files
    page = files.get_file_from_path(src_uri).page
    with _warnings_kept(config) as warnings:
        compat_mkdocs.populate_page(page, config, files)  # MkDocs' or ProperDocs' own rendering
        lines = None
        search = _search_plugin(config)
        if search is not None and search.config.enabled:
            index = compat_material.new_index(search)
            index.add_entry_from_context(page)
            lines = "".join("\t".join(_search_record(e, _entry_json(e))) + "\n" for e in compat_material.entries(index))
            page.content = re.sub(r"\s?data-search-\w+=\"[^\"]+\"", "", page.content)  # as Material does
    links = page.links_to_anchors
    kept = {".anchors": set(page.present_anchor_ids or ()), ".toc": page.toc,
            ".links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()}}
    result = _Rendered(
        html_file=cache_file,
        has_h1="\u003ch1" in page.content,
        title=compat_mkdocs.rendered_title(page),
        meta=dict(page.meta),
        search=None if lines is None else str(Path(cache_file).with_suffix(".search")),
        warnings=warnings,
    )
    path = Path(cache_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    if lines is not None:
        Path(result.search).write_text(lines, encoding="utf-8")
    atomic_write(path, page.content)
    for suffix in _KEPT:
        path.with_suffix(suffix).write_bytes(pickle.dumps(kept[suffix], protocol=pickle.HIGHEST_PROTOCOL))
    path.with_suffix(".pickle").write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    page.content = page.markdown = None  # the worker keeps nothing it has written
    return src_uri, result


def _worker_init() -> None:
    _STATE.in_worker = True


def start_dirty() -> None:
    """``serve --dirty`` (make serve): each rebuild writes only the pages whose output changes
    (``_mark_modified``), and the search index is written from every page's entries, kept
    between builds (``write_search_index``)."""
    _STATE.dirty = True
    compat_mkdocs.quiet_dirty_warning()  # its warning (inaccurate navigation) is answered here


def _mark_modified(config, files, language: str, shared: str, names: dict[str, str]) -> set[str]:
    """Tell MkDocs which pages to write again (``serve --dirty``), and return them: those
    whose content (``names``) or citation changed since the site was last built, or every
    page if anything they all show changed: ``shared`` (the settings, code, language and
    extra the pages are keyed by), the navigation, the theme, the data's version and date
    (the citation), the problems listed on every page. What the site then holds is
    recorded when the build ends."""
    atlas = getattr(config.plugins.get("macros"), "fusion_atlas", None)
    theme = config["theme"]
    site = key(shared, repr(config["nav"]), repr(sorted((str(k), repr(v)) for k, v in theme.items())),
               theme.name or "", repr(config["not_in_nav"]), repr(config["extra_css"]),
               repr(config["extra_javascript"]), getattr(atlas, "version", "") or "",
               getattr(atlas, "data_date", "") or "", repr(_STATE.problems))
    newest = (lambda src: _newest_fact(atlas, _page_stem(src))) if atlas is not None else (lambda src: None)
    pages = {src: (f"{name}:{newest(src)}", files.get_file_from_path(src).abs_dest_path) for src, name in names.items()}
    before = _STATE.built.pop(language, None)  # until this build ends, the site's pages are unknown
    same_site = before is not None and before[0] == site
    old = before[1] if same_site else {}
    modified = {src for src, (digest, _dest) in pages.items() if old.get(src, ("",))[0] != digest}
    compat_mkdocs.mark_modified(files.documentation_pages(), lambda file: file.src_uri not in names or file.src_uri in modified)
    if before is not None:  # pages gone (a record deleted): not served any more
        for src, (_digest, dest) in before[1].items():
            if src not in pages:
                Path(dest).unlink(missing_ok=True)
    if not _STATE.building:  # a new build: its languages come in order
        _STATE.search_order.clear()
    _STATE.search_order[language] = list(names)
    _STATE.building.append((language, site, pages))
    return modified


def end_build() -> None:
    """The build of one language ended (``on_post_build``): its pages are in the site."""
    if _STATE.building:
        language, site, pages = _STATE.building.pop()
        _STATE.built[language] = (site, pages)


def build_failed() -> None:
    """A build failed (``on_build_error``): the next one writes every page."""
    _STATE.built.clear()
    _STATE.building.clear()


def on_nav(nav, config, files):
    _STATE.drawing.wait()  # every chart is drawn (and no other process runs) before the pages render
    _STATE.pages = {}
    if not _enabled(config):
        if _STATE.dirty:  # MkDocs' own test (file times) misses pages whose data changed: all of them
            compat_mkdocs.mark_modified(files.documentation_pages(), lambda _file: True)
        return nav
    cache_root = Path(config.config_file_path).parent / ".cache" / "pages"
    settings = _settings_digest(config, files)
    todo: list[tuple[str, str]] = []
    first: list[tuple[str, str]] = []  # hand-written pages: the section indexes are the largest
    # A hand-written page is keyed by its Markdown with the macros expanded (they read
    # the data, the language and the page), or, if that is not possible, by all the data.
    language = str(getattr(config.plugins.get("i18n"), "current_language", ""))
    hand = "\0".join([_code_digest(config), language, repr(config["extra"]), config["site_name"]])
    expand = compat_macros.expander(config, files)
    names: dict[str, str] = {}  # src_uri -> digest of what its content is made from
    generated: set[str] = set()
    for file in files.documentation_pages():
        with open(file.abs_src_path, encoding="utf-8") as fh:
            source = fh.read()
        if source.startswith(MARKER):
            generated.add(file.src_uri)
            inputs = source
        else:
            expanded = expand(file.page, source) if expand is not None and file.page is not None else None
            inputs = f"{hand}\0{source}\0" + (f"expanded\0{expanded}" if expanded is not None
                                                else f"data\0{_STATE.data_digest}")
        names[file.src_uri] = key(settings, file.src_uri, file.page.url, inputs)
    # Under serve --dirty only the pages MkDocs writes again need their rendering.
    wanted = _mark_modified(config, files, language, key(settings, hand), names) if _STATE.dirty else names
    for src_uri, name in names.items():
        cache_file = str(cache_root / name[:2] / f"{name}.html")
        _STATE.used.add(cache_file)
        if src_uri not in wanted:
            continue
        meta = Path(cache_file).with_suffix(".pickle")
        if meta.is_file() and Path(cache_file).is_file() and all(meta.with_suffix(k).is_file() for k in _KEPT):
            try:
                _STATE.pages[src_uri] = pickle.loads(meta.read_bytes())
                continue
            except Exception:  # a damaged cache entry is rendered again
                pass
        (todo if src_uri in generated else first).append((src_uri, cache_file))
    todo = first + todo
    _STATE.config, _STATE.files = config, files
    cached = len(_STATE.pages)
    processes = _processes()
    results: list = []
    if len(todo) >= _POOL_MIN_PAGES and processes > 1:
        from concurrent.futures.process import BrokenProcessPool

        from ..core.processes import forked_pool

        try:
            with forked_pool(processes, initializer=_worker_init) as pool:
                results.extend(pool.map(_render_in_worker, todo, chunksize=4))  # keeps what arrived
        except BrokenProcessPool:  # a worker died (out of memory?): MkDocs renders the rest itself
            pass
    else:
        processes = 1
        _STATE.in_worker = True
        try:
            results = [_render_in_worker(job) for job in todo]
        finally:
            _STATE.in_worker = False
    _STATE.pages.update((src_uri, result) for src_uri, result in results if result is not None)
    _log.info(f"Pages: {len(todo)} rendered in {processes} process(es), {cached} from the cache")
    _log.debug("Pages rendered: " + " ".join(src for src, _ in todo))
    return nav


def _write_in_worker(i: int) -> tuple[str, list | None]:
    """Write the build's i-th page as MkDocs does (template, post_page events, file); its
    warnings, or None on any failure."""
    build_page, config, doc_files, nav, env, dirty = _STATE.writing
    file = doc_files[i]
    try:
        _restore_toc(file.page)
        with _warnings_kept(config) as warnings:
            build_page(file.page, config, doc_files, nav, env, dirty, excluded=file.inclusion.is_excluded())
    except BaseException:  # noqa: BLE001 - the main process writes it again and reports
        return file.src_uri, None
    finally:
        _drop_toc(file.page)
    return file.src_uri, warnings


def _write_pages(build_page, config, doc_files, nav, env, dirty) -> dict:
    """Every page the build writes, written by a pool of processes: src_uri -> its warnings."""
    jobs = [i for i, f in enumerate(doc_files) if f.page is not None and not (dirty and not f.is_modified())]
    processes = _processes()
    if processes < 2 or len(jobs) < _POOL_MIN_PAGES:
        return {}
    from concurrent.futures.process import BrokenProcessPool

    from ..core.processes import forked_pool

    env.get_template("main.html")  # compiled once, before the processes start
    _STATE.writing = (build_page, config, doc_files, nav, env, dirty)
    results: list = []
    try:
        with forked_pool(processes, initializer=_worker_init) as pool:
            results.extend(pool.map(_write_in_worker, jobs, chunksize=8))
    except BrokenProcessPool:  # a process died: the main process writes the rest
        pass
    finally:
        _STATE.writing = None
    written = {src_uri: warnings for src_uri, warnings in results if warnings is not None}
    _log.info(f"Pages: {len(written)} of {len(jobs)} written in {processes} processes")
    return written


def _build_page(build_page, page, config, doc_files, nav, env, dirty=False, excluded=False):
    if _STATE.written is None:  # the first page of this language's build
        _STATE.written = _write_pages(build_page, config, doc_files, nav, env, dirty)
        if _STATE.pages:
            _check_anchors_now(config, doc_files)
    warnings = _STATE.written.pop(page.file.src_uri, None)
    if warnings is None:
        _restore_toc(page)
        try:
            return build_page(page, config, doc_files, nav, env, dirty, excluded=excluded)
        finally:
            _drop_toc(page)
    _emit(warnings)
    compat_mkdocs.run_page_context(page, config, doc_files, nav)


def _check_anchors_now(config, doc_files) -> None:
    """Check every page's links to anchors with MkDocs' own check (the same messages), as MkDocs
    does once the pages are written.

    The anchors and links of pre-rendered pages stay in their cache files (``_kept``):
    held for every page at once they took 28 MB at 10x the data, which the main process's heap
    kept. They are read for one page and the pages it links to at a time. MkDocs' own check,
    after this one, then has nothing left to do."""
    level = config.validation.links.anchors
    files = _STATE.files
    anchors_of: dict[str, set] = {}  # pre-rendered pages linked to: their anchors

    def anchors(src_uri: str) -> set:
        if src_uri not in anchors_of:
            anchors_of[src_uri] = _kept(src_uri, ".anchors")
        return anchors_of[src_uri]

    for file in doc_files:
        page = file.page
        if page is None:
            continue
        if file.src_uri in _STATE.pages:
            links = _kept(file.src_uri, ".links")
            page.links_to_anchors = {files.get_file_from_path(src): v for src, v in links.items()} if links else None
        if not page.links_to_anchors:
            continue
        targets = [f for f in page.links_to_anchors if f.page is not None and f.src_uri in _STATE.pages]
        for target in targets:
            target.page.present_anchor_ids = anchors(target.src_uri)
        page.validate_anchor_links(files=files, log_level=level)
        for target in targets:
            target.page.present_anchor_ids = None
        page.links_to_anchors = None


def _restore_toc(page) -> None:
    """A pre-rendered page's table of contents, from its cache entry, for the theme's template
    while the page is written (the main process does not hold every page's)."""
    if page.file.src_uri in _STATE.pages:
        page.toc = _kept(page.file.src_uri, ".toc")


def _drop_toc(page) -> None:
    """Once a pre-rendered page is written, its table of contents is read no more."""
    if page.file.src_uri in _STATE.pages:
        page.toc = type(page.toc)([])


def _kept(src_uri: str, suffix: str):
    """What a pre-rendered page's cache entry keeps in the file ``suffix`` (``_KEPT``): its
    anchors, its links to anchors (src_uri of the target -> {anchor: original link}), or its
    table of contents."""
    return pickle.loads(Path(_STATE.pages[src_uri].html_file).with_suffix(suffix).read_bytes())


def _placeholder(page, rendered: _Rendered) -> str:
    h1 = " (<h1)" if rendered.has_h1 else ""  # what Material's template looks for
    return f"<!-- fusion-atlas:prerendered:{page.file.src_uri}{h1} -->"


def on_page_read_source(page, config):
    if _STATE.in_worker or page.file.src_uri not in _STATE.pages:
        return None
    return "---\nrender_macros: false\n---\n"  # rendered already: nothing for macros or Markdown to do


def on_page_content(html, page, config, files):
    rendered = None if _STATE.in_worker else _STATE.pages.get(page.file.src_uri)
    if rendered is None:
        return html
    _emit(rendered.warnings)
    page.meta = rendered.meta
    page.present_anchor_ids = page.links_to_anchors = None  # in its cache entry (_check_anchors_now)
    compat_mkdocs.set_rendered_title(page, rendered.title)
    return _placeholder(page, rendered)


def on_post_page(output, page, config):
    rendered = _STATE.pages.get(page.file.src_uri)
    if rendered is not None:
        html = Path(rendered.html_file).read_text(encoding="utf-8")
        output = output.replace(_placeholder(page, rendered), html, 1)
    if _STATE.problems:
        output = _with_problems(output, _STATE.problems)
    return finish_page(output, page, config)


def _page_stem(src_uri: str) -> str:
    """A page's path without language suffix or extension ("devices/jet.zh.md" -> "devices/jet")."""
    return src_uri[: -len(".md")].split(".", 1)[0]


def _newest_fact(atlas, stem: str) -> str | None:
    """The date of the newest fact of the record a page is about (None: not a record's page)."""
    kind, _, rid = stem.partition("/")
    if kind in PAGE_KINDS and rid in atlas.records.get(kind, {}):
        return facts.newest(atlas, rid)
    return None


def _citable(page, config, atlas) -> tuple[Citable, str | None]:
    """What the page's citation names, and the date of its newest fact (entity pages)."""
    lang = current_language_of(config)
    stem = _page_stem(page.file.src_uri)
    newest = _newest_fact(atlas, stem)
    site = (config.get("site_url") or "").rstrip("/") + "/"
    url = site + (page.url or "")
    home = page.is_homepage or stem in ("index", "")
    title = config.get("site_name", "Fusion Atlas") if home else (page.title or stem)
    key = "fusion-atlas" + ("" if home else "-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")) + ("" if lang == "en" else "-" + lang)
    return Citable(title=html_lib.unescape(str(title)), url=url, lang=lang, version=atlas.version or config["extra"].get("version", ""),
                   data_date=atlas.data_date, key=key), newest


def current_language_of(config) -> str:
    """The language of the build under way (mkdocs-static-i18n sets the theme's per language)."""
    try:
        return "zh" if config["theme"]["language"] == "zh" else "en"
    except (KeyError, TypeError):
        return "en"


def finish_page(output: str, page, config) -> str:
    """The page's citation box (and the date of its newest fact) at the end of its article, and
    every ``@root/`` link (footer, downloads, chart data) made relative to the page."""
    atlas = getattr(config["plugins"].get("macros"), "fusion_atlas", None)
    if atlas is not None and "</article>" in output:
        citable, newest = _citable(page, config, atlas)
        i = output.rindex("</article>")
        output = output[:i] + cite_block(citable, newest) + output[i:]
    output = localise_extensions(output, current_language_of(config))
    return resolve_root_links(output, getattr(page, "url", "") or "", config.get("use_directory_urls", True))


def writes_theme_pages(config) -> bool:
    """Whether this language's build writes the theme's own pages (404.html): one page answers
    every missing address, whatever its language, so only the default language's build writes
    it (each build writes to the site's root), unless a preview builds another language alone.
    Its text is in both languages (overrides/404.html)."""
    i18n = config["plugins"].get("i18n")
    if i18n is None:
        return True
    only = i18n.config.get("build_only_locale")
    first = only or next((lang.locale for lang in i18n.config.languages if lang.default), "en")
    return current_language_of(config) == first


def language_roots(config) -> list[dict]:
    """The language menu's entries, each leading to its language's home page: for a page that
    has no translation of its own (404.html). mkdocs-static-i18n points them at the page the
    theme last rendered."""
    i18n = config["plugins"].get("i18n")
    alternates = config["extra"].get("alternate") or []
    if i18n is None:
        return alternates
    links = {lang.locale: lang.link for lang in i18n.config.languages}
    return [{**alt, "link": _site_path(config) + links.get(alt.get("lang"), "/")} for alt in alternates]


def _site_path(config) -> str:
    """The path the site is served under, without its last slash ("" at a host's root)."""
    from urllib.parse import urlsplit

    return urlsplit(config.get("site_url") or "/").path.rstrip("/")


def finish_template(output: str, config) -> str:
    """The theme's own pages (404.html), served at any depth: ``@root/`` links from the site's root path."""
    return output.replace('="' + ROOT, '="' + _site_path(config) + "/")


_ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>")  # Material's page content
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


_BANNER_MAX = 50  # problems listed on each page; all of them are in the terminal


def _problems_banner(problems) -> str:
    """The data's problems as a Material admonition (styled by the theme; no script, no style).
    The data is untrusted: every message is escaped."""
    n = len(problems)
    title = f"{n} problem{'s' if n != 1 else ''} in the data: until fixed, this preview shows the last valid data."
    items = [f"<li>{html_lib.escape(str(p))}</li>" for p in problems[:_BANNER_MAX]]
    if n > _BANNER_MAX:
        items.append(f"<li>and {n - _BANNER_MAX} more: see the terminal, or run make check</li>")
    return (f'<div class="admonition failure atlas-problems" role="alert">'
            f'<p class="admonition-title">{html_lib.escape(title)}</p><ul>{"".join(items)}</ul></div>')


def _with_problems(output: str, problems) -> str:
    """The page with the problems at the start of its content (or of its body)."""
    match = _ARTICLE.search(output) or _BODY.search(output)
    at = match.end() if match else 0
    return output[:at] + _problems_banner(problems) + output[at:]


def _entry_json(entry: dict) -> str:
    return search_entries.index_json(entry)  # as Material writes each entry, but in UTF-8


class _PageEntries:
    """Stands in Material's search index for a page's entries, which stay in their
    file (one per line: key of title and text, location, JSON) until the index
    is written: at 100x the data they would hold hundreds of MB."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def records(self):
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                yield tuple(line.rstrip("\n").split("\t", 2))


def _writes_index(config, search) -> bool:
    """Whether ``write_search_index`` writes the index instead of Material: when
    mkdocs-static-i18n writes it last, with every language's entries (under ``serve
    --dirty`` from the entries kept for each page; without this adapter's dirty builds
    Material merges the index of the previous build itself)."""
    return bool(
        search is not None and search.config.enabled
        and (_STATE.dirty or not compat_material.merges_previous_index(search))
        and compat_i18n.available(config.plugins.get("i18n"))
    )


def patch_search(config) -> None:
    """Material's search takes the kept entries of pre-rendered pages (as files)
    and leaves writing the index to ``write_search_index``."""
    search = _search_plugin(config)
    if search is None or not compat_material.available() or compat_material.index_of(search) is None:
        return
    compat_material.use_faster_parser()
    on_disk = _writes_index(config, search)

    def add_entry_from_context(original, index, page):
        rendered = _STATE.pages.get(page.file.src_uri)
        kept = compat_material.entries(index)
        if rendered is None:
            start = len(kept)
            original(index, page)
            if _STATE.dirty:
                _STATE.search_pages[page.file.src_uri] = kept[start:]
            return
        if rendered.search is None:
            return
        entries = _PageEntries(rendered.search)
        if _STATE.dirty:
            _STATE.search_pages[page.file.src_uri] = [entries]
        if on_disk:
            kept.append(entries)
        else:
            kept.extend(json.loads(record[2]) for record in entries.records())

    compat_material.intercept_entries(search, add_entry_from_context)
    if on_disk:
        # Each language's build ends with Material writing that language's index:
        # an empty one. mkdocs-static-i18n then gathers every language's entries
        # and calls the plugin's on_post_build, which is this writer.
        compat_material.take_over_writing(search, write_search_index)


def write_search_index(config) -> None:
    """Write Material's search index, entry after entry, once every language is built.

    Material makes the whole index one string, twice over (str and bytes: 183 MB
    each at 100x the data, the largest moment of the build), and writes it for
    each language before mkdocs-static-i18n writes it with all of them. This
    writes the same JSON (tests/test_i18n.py) once, from the entries' files,
    without the translations that duplicate a page of the default language, as
    mkdocs-static-i18n drops them; in UTF-8 (``index_json``) rather than with
    Material's ``\\u`` escapes, a third smaller.
    """
    if _STATE.dirty and len(_STATE.building) > 1:
        return  # serve --dirty: a language built inside the default one's build; the index is written once, last
    search = _search_plugin(config)
    i18n = config.plugins.get("i18n")
    prefixes = ()
    if i18n.config.get("reconfigure_search", True):
        prefixes = compat_i18n.prefixes(i18n)
    index = compat_material.index_of(search)

    atlas = getattr(config.plugins.get("macros"), "fusion_atlas", None)
    if atlas is not None and _STATE.dirty:  # under serve most entries are as they were: shaped once
        if _STATE.shaped[0] is not atlas:
            _STATE.shaped = (atlas, {})
        shaped = _STATE.shaped[1]

        def shape(text: str) -> str:
            if text not in shaped:
                shaped[text] = search_entries.shape_entry(atlas, text)
            return shaped[text]
    elif atlas is not None:
        def shape(text: str) -> str:
            return search_entries.shape_entry(atlas, text)
    else:
        def shape(text: str) -> str:
            return text

    def all_entries():
        if not _STATE.dirty:
            yield from compat_material.entries(index)
            return
        # serve --dirty: the pages MkDocs did not write again keep the entries of their last build
        for pages in _STATE.search_order.values():
            for src in pages:
                yield from _STATE.search_pages.get(src, ())

    def records():
        for entry in all_entries():
            found = entry.records() if isinstance(entry, _PageEntries) else [_search_record(entry, _entry_json(entry))]
            for key, location, text in found:
                yield key, location, shape(text)

    settings = compat_material.index_settings(index)
    if atlas is not None:
        settings = search_entries.with_keywords_field(settings)
    start = search_entries.index_json({"config": settings, "docs": []})
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(start[: -len("]}")])
        for i, text in enumerate(_deduplicated(records, prefixes)):
            out.write("," + text if i else text)
        out.write("]}")
    tmp.replace(path)


def shape_written_index(config) -> None:
    """When Material wrote the search index itself (its internals not taken over: the compat
    gates closed), give its entries the keywords ``write_search_index`` gives them, in the same
    bytes. An index already shaped is left alone."""
    atlas = getattr(config["plugins"].get("macros"), "fusion_atlas", None)
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if atlas is None or not path.is_file():
        return
    if '"keywords":' in search_entries.index_config_text(path):
        return
    try:  # (a language's own build may leave it empty: mkdocs-static-i18n writes it last)
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return
    if not isinstance(data, dict) or "keywords" in (data.get("config") or {}).get("fields", {}):
        return
    data["config"] = search_entries.with_keywords_field(data["config"])
    data["docs"] = [json.loads(search_entries.shape_entry(atlas, _entry_json(doc))) for doc in data["docs"]]
    path.write_text(search_entries.index_json(data), encoding="utf-8")


def prune_cache(config):
    """Once per process, after every language is built: remove the cache entries this build
    did not use and that nobody wrote for a week."""
    if _STATE.pruned or not _enabled(config):
        return
    _STATE.pruned = True
    import time

    cutoff = time.time() - _PRUNE_AFTER_DAYS * 86400
    for path in (Path(config.config_file_path).parent / ".cache" / "pages").glob("*/*"):
        html = str(path.with_suffix(".html"))
        if html not in _STATE.used and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


prune_cache.mkdocs_priority = -110  # = event_priority(-110): after mkdocs-static-i18n (-100) built the others


_CHANGES = {"created", "modified", "moved", "deleted"}  # watchdog's event types that change a file


def on_serve(server, config, builder):
    """Under ``serve``, saving a data file rewrites the generated pages in docs/.
    MkDocs would see those writes and build everything a second time, and the
    browser would wait for that build too. Watch docs/ without them.

    MkDocs polls the folders it watches every half second; docs/, data/ and prose/
    (where editors save) are watched here by the system's own notifications instead,
    so that a rebuild starts as soon as a file is saved (polling if those fail)."""
    _STATE.serving = True  # a data error in a rebuild no longer fails it (see _last_valid)
    docs = os.path.abspath(config["docs_dir"])
    if not compat_mkdocs.can_take_over_watching(server, docs, config):
        return server  # another server than the one of the versions tested: leave it as it is
    import watchdog.events
    import watchdog.observers

    from ..core.atlas import PAGE_KINDS

    def generated(path: str) -> bool:
        rel = os.path.relpath(path, docs).replace(os.sep, "/")
        if rel.split("/")[0] not in PAGE_KINDS or not rel.endswith(".md"):
            return False
        # Gone: a stale page the build removed. Empty: being written by the build, which
        # truncates the file first (the notification can arrive before the text does).
        try:
            return not os.path.lexists(path) or os.path.getsize(path) == 0 or is_generated(Path(path))
        except OSError:  # removed meanwhile
            return True

    def callback(event):
        paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
        if event.is_directory or event.event_type not in _CHANGES or all(generated(p) for p in paths):
            return  # (notifications also tell of files opened and read: the build's own reading)
        compat_mkdocs.request_rebuild(server)

    charts.warm_up()  # load matplotlib and its fonts now, not at the first edit that redraws a chart
    root = Path(config.config_file_path).parent
    folders = [docs] + [path for path in (os.path.abspath(root / "data"), os.path.abspath(root / "prose"))
                        if compat_mkdocs.can_take_over_watching(server, path, config)]
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = callback
    observer = watchdog.observers.Observer()
    try:
        for folder in folders:
            observer.schedule(handler, folder, recursive=True)
        observer.start()
    except OSError:  # no notifications here (their limit reached?): MkDocs' polling, as before
        server.unwatch(docs)
        server.observer.schedule(handler, docs, recursive=True)
        return server
    for folder in folders:
        server.unwatch(folder)
    return server


def on_env(env, config, files):
    """Write the pages in parallel (``_build_page``), and keep the theme's compiled templates
    between builds (each build and each language starts a new template environment that
    would compile them again)."""
    import jinja2

    _STATE.written = None
    if _enabled(config):
        compat_mkdocs.intercept_build_page(config, _build_page)
    if env.bytecode_cache is None:
        folder = Path(config.config_file_path).parent / ".cache" / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
