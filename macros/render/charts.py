"""Pictures drawn from the data at build time, as inline SVG.

The charts are drawn with matplotlib's SVG backend, made deterministic
(salted ids, no date), with text kept as text (CJK renders with the page's
fonts) and the ink colour turned into ``currentColor`` so they follow the
light and dark schemes. Every mark carries an id naming its record
(``<chart>-event-<id>``), which the tests count against the data. Each chart
comes with a title, a description and its data as a table.

Charts stay fast and legible as the data grows: the marks of one series are a
single matplotlib collection (one artist, not one per record; ``_items`` names
each mark after the record it draws), and charts that name every record
(labels, bars, legend entries) show the ``MOST`` largest and say so in their
description, while the table under the chart keeps every record.

The small per-page timeline strip (drawn on every entity page, thousands of
them at scale) is a few SVG elements written directly: a matplotlib figure
per page would dominate the build time.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from functools import lru_cache
import os
from pathlib import Path

from ..core.atlas import Atlas, date_key, has_begun
from .labels import label, value
from .text import md
from . import text as T
from ..core.digest import code_digest, key, versions
from ..core.fileio import atomic_write
from . import compat_matplotlib
from .geo import countries_shown, land_rings

# Where drawn charts are kept between builds (None: no cache; the adapter calls
# ``use_cache``). Keyed by the chart, its language, what it draws, the code,
# matplotlib's version and the installed fonts (core/digest.py).
CACHE_DIR: Path | None = None


def use_cache(folder: Path | None) -> None:
    """Keep drawn charts in ``folder`` between builds (None: draw every time)."""
    global CACHE_DIR
    CACHE_DIR = folder


def drawn_from(extract):
    """Draw a chart from ``extract(subject, lang)``: the values it shows, as
    plain tuples, taken from the data (an atlas or one record) in one place.

    The drawing sees only those values, so they are also the chart's cache
    key: an edit redraws only the charts that show what it changed (a device's
    summary redraws none; its major radius, the two charts that plot it).
    """

    def decorate(fn):
        return _cached(fn, extract)

    return decorate


def _cached(fn, extract):
    from functools import wraps

    def cache_file(shown, lang: str) -> Path:
        drawn = shown.model_dump_json() if hasattr(shown, "model_dump_json") else repr(shown)  # a record, or values
        name = key(fn.__name__, lang, drawn, code_digest(), versions("matplotlib"), _fonts_installed())
        return CACHE_DIR / f"{fn.__name__}-{name}.svg"

    @wraps(fn)
    def wrapper(subject, lang: str = "en"):
        shown = extract(subject, lang)
        if CACHE_DIR is None:
            with _missing_glyphs_quiet():
                return fn(shown, lang)
        path = cache_file(shown, lang)
        if path.is_file():
            return path.read_text(encoding="utf-8")
        with _missing_glyphs_quiet():
            svg = fn(shown, lang)
        atomic_write(path, svg)  # workers may draw at the same time
        return svg

    wrapper.is_cached = lambda subject, lang: CACHE_DIR is not None and cache_file(extract(subject, lang), lang).is_file()
    return wrapper


def to_draw(atlas: Atlas, langs) -> list[tuple[str, str, str]]:
    """The charts of the data that are not in the cache: (chart, record id or "", language)."""
    jobs = []
    for lang in langs:
        jobs += [(chart.__name__, "", lang) for chart in ATLAS_CHARTS if not chart.is_cached(atlas, lang)]
        for chart, has_one in RECORD_CHARTS:
            jobs += [(chart.__name__, dev.id, lang) for dev in atlas.all("devices")
                     if has_one(dev) and not chart.is_cached(dev, lang)]
    return jobs


def draw(job: tuple[str, str, str], atlas: Atlas) -> None:
    """Draw one chart of ``to_draw`` into the cache."""
    name, rid, lang = job
    CHARTS[name](atlas.get(rid) if rid else atlas, lang)


INK = "#010203"  # a colour no chart uses otherwise: replaced by currentColor
PALETTE = ["#3f6ec6", "#d9822b", "#3a9a5b", "#c0392b", "#8e44ad", "#7f8c8d", "#b7950b", "#16a085"]


# --------------------------------------------------------------------------
# Fonts
#
# Text stays text in the SVG (the page's fonts draw it), but matplotlib
# measures it to lay a chart out: Chinese text must be measured with a CJK
# font, or boxes are cut or too wide and matplotlib warns once per glyph.
# Latin text uses LATIN_FONT (shipped with matplotlib), Chinese the first of
# CJK_FONTS that is installed (Debian's fonts-noto-cjk, which `make test`
# installs). Chosen once per process, before the build forks its workers.
# --------------------------------------------------------------------------

LATIN_FONT = "DejaVu Sans"
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei")
CJK_PACKAGE = "fonts-noto-cjk"
# Where fonts are installed (Linux, fontconfig's defaults): a font added there
# changes the modification time of the folder it is added to.
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
# matplotlib's warning for a character its fonts lack (matplotlib/_text_helpers.py).
MISSING_GLYPH = r"Glyph \d+ \(.*\) missing from font\(s\) "

_log = logging.getLogger(__name__)
_FAMILY: list[str] | None = None  # font.family of the charts, once chosen


def font_list_is_stale(cached: set[str], wanted, cache_time: float | None, fonts_time: float) -> bool:
    """Whether matplotlib's cached font list should be rebuilt: it has none of
    the ``wanted`` families while fonts changed after it was written.

    ``cached``: the families in the list; ``cache_time``: when its file was
    written (None: no file, the list was just built from the system);
    ``fonts_time``: the latest change to a folder holding fonts. matplotlib
    never rebuilds the list by itself, so fonts installed after it was first
    written stay unknown to it.
    """
    if any(name in cached for name in wanted):
        return False
    return cache_time is not None and fonts_time > cache_time


def _fontconfig_files(families) -> list[str]:
    """The files fontconfig knows for ``families`` (none without fontconfig)."""
    import subprocess

    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\t%{file}\n"], capture_output=True,
                             text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = []
    for line in out.splitlines():
        names, _, path = line.partition("\t")
        if path and path not in files and any(n.strip() in families for n in names.split(",")):
            files.append(path)
    return files


@lru_cache(maxsize=None)
def _fonts_installed() -> str:
    """When the system's fonts last changed: part of a chart's cache key, so that a chart
    measured before a CJK font was installed is drawn again (without loading matplotlib)."""
    return repr(_fonts_time(()))


def _fonts_time(files) -> float:
    """The latest change to the font folders, or to the folders of ``files``."""
    newest = 0.0
    folders = [Path(d).expanduser() for d in FONT_DIRS] + [Path(f).parent for f in files]
    for top in folders:
        if not top.is_dir():
            continue
        for folder, _dirs, _files in os.walk(top):
            try:
                newest = max(newest, os.stat(folder).st_mtime)
            except OSError:
                pass
    return newest


def _reload_font_list(files) -> None:
    """Make matplotlib's font list know the system's fonts again (see compat_matplotlib)."""
    compat_matplotlib.reload_font_list(files, _log)


def _font_family() -> list[str]:
    """font.family for the charts: LATIN_FONT, then the first CJK font installed.

    Without one, Chinese is measured with LATIN_FONT, and one warning says
    which package to install (instead of matplotlib's one per glyph)."""
    global _FAMILY
    if _FAMILY is not None:
        return _FAMILY
    import matplotlib
    from matplotlib import font_manager

    def known() -> set[str]:
        return {font.name for font in font_manager.fontManager.ttflist}

    if not any(name in known() for name in CJK_FONTS):
        files = _fontconfig_files(CJK_FONTS)
        cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        cache_time = cache.stat().st_mtime if cache.is_file() else None
        if font_list_is_stale(known(), CJK_FONTS, cache_time, _fonts_time(files)):
            _reload_font_list(files)
    cjk = [name for name in CJK_FONTS if name in known()][:1]
    if not cjk:
        _log.warning(
            "No CJK font found (%s): charts measure their Chinese text with %s, so their boxes may be "
            "cut or too wide. Install one (Debian/Ubuntu: sudo apt-get install %s); the charts are then "
            "drawn again.", ", ".join(CJK_FONTS), LATIN_FONT, CJK_PACKAGE)
    _FAMILY = [LATIN_FONT, *cjk]
    return _FAMILY


@contextlib.contextmanager
def _missing_glyphs_quiet():
    """Around drawing a chart: without a CJK font (said once, by _font_family),
    ignore matplotlib's warning for each Chinese character it cannot measure;
    any other warning still shows."""
    if len(_font_family()) > 1:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
        yield


def _pyplot():
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    plt.rcParams.update(
        {
            "svg.hashsalt": "fusion-atlas",
            "svg.fonttype": "none",
            "text.parse_math": False,  # a "$" in data is text, never mathtext
            "font.family": _font_family(),
            "font.size": 9,
            "text.color": INK,
            "axes.labelcolor": INK,
            "axes.edgecolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.facecolor": "none",
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _log_scale(ax, *which: str) -> None:
    """Logarithmic scales labelled in plain numbers (1, 10, 100, 2, 3...).

    matplotlib's default log labels are mathtext (``$10^{2}$``), which these
    charts do not parse (a "$" in data stays text), so they would show raw.
    """
    from matplotlib.ticker import LogFormatter

    class Plain(LogFormatter):
        """LogFormatter's choice of which ticks to label, each label a plain number: 0.6, not
        LogFormatter's own 6e−01 below 1."""

        def __call__(self, x, pos=None):
            if not super().__call__(x, pos):
                return ""
            return f"{x:.0f}" if x >= 1 else f"{x:g}"

    for name in which:
        getattr(ax, f"set_{name}scale")("log")
        axis = getattr(ax, f"{name}axis")
        axis.set_major_formatter(Plain(labelOnlyBase=False))
        axis.set_minor_formatter(Plain(labelOnlyBase=False, minor_thresholds=(1, 0.4)))


def warm_up() -> None:
    """Import matplotlib, choose the fonts (rebuilding matplotlib's font list
    if fonts were installed after it was cached) and load those of both
    languages (a few tenths of a second): ``serve`` calls this at start so
    that the first edit that redraws a chart does not wait for it, and
    ``pages.prepare`` before it forks."""
    plt = _pyplot()
    with _missing_glyphs_quiet():
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title("Fusion 聚变 0123")
        _svg(fig)
        plt.close(fig)


def year(date: str) -> float:
    """A partial date as a fractional year (mid-year or mid-month when partial)."""
    y, m, d = date_key(date)
    if not m:
        return y + 0.5
    return y + (m - 1) / 12 + ((d - 1) / 365 if d else 1 / 24)


_ID = re.compile(r'\bid="([^"]+)"')
_GEOMETRY = re.compile(r'\b(d|x|y|x1|x2|y1|y2|cx|cy|r|width|height|transform|points|viewBox)="([^"]*)"')
_DECIMALS = re.compile(r"(-?\d+\.\d)\d+")


def _shorten(svg: str) -> str:
    """One decimal in geometry (points are 1/72 inch): a third of the bytes, no visible change."""
    def one(m: re.Match) -> str:
        numbers = _DECIMALS.sub(lambda n: n.group(1), m.group(2))
        return f'{m.group(1)}="{numbers}"'

    return _GEOMETRY.sub(one, svg)
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')


MOST = 24  # records named at most in one chart (labels, bars, legend entries)


def _most(records: list, size) -> set[str]:
    """Ids of the ``MOST`` records largest by ``size`` (all of them when there are no more)."""
    if len(records) <= MOST:
        return {r.id for r in records}
    return {r.id for r in sorted(records, key=lambda r: (-size(r), r.id))[:MOST]}


def _named(shown: int, total: int, lang: str, where_fits: bool = False) -> str:
    """The sentence a description gains when a chart names only some records. ``where_fits``: a
    map's labels go where they fit, the largest first but not always the largest (a name
    crowded out is left out)."""
    if shown >= total:
        return ""
    return " " + label("chart_some_fit" if where_fits else "chart_some", lang).format(shown=shown, total=total)


def _marks(ax, points: list[tuple[float, float, str]], gid: str, prefix: str, items: dict,
           titles: list[str] | None = None, **style):
    """One collection (id ``gid``) of markers at ``points`` (x, y, record id);
    each mark gets the id ``<prefix><record id>`` when the figure is saved, and
    ``titles`` (one per point) as its tooltip: a reader can tell which dot is which."""
    collection = ax.scatter([p[0] for p in points], [p[1] for p in points], **style)
    collection.set_gid(gid)
    items[gid] = (prefix, [p[2] for p in points], titles)
    return collection


def _items(svg: str, items: dict[str, tuple[str, list[str]]]) -> str:
    """Give each drawn mark of the collections in ``items`` an id of its own.

    matplotlib writes a collection as ``<g id="gid">`` holding one element per
    mark, in the order of its points: a ``<use>`` of a shared marker path (or
    a ``<path>`` when there is a single mark).
    """
    for gid, (prefix, ids, titles) in items.items():
        if not ids:
            continue
        start = svg.index(f'<g id="{gid}">')
        end, depth = None, 0
        for m in re.finditer(r"<g\b|</g>", svg[start:]):
            depth += 1 if m.group(0) == "<g" else -1
            if depth == 0:
                end = start + m.end()
                break
        group = svg[start:end]
        body_at = group.index("</defs>") + len("</defs>") if "</defs>" in group else 0
        head, body = group[:body_at], group[body_at:]
        tag = "<use " if "<use " in body else "<path "
        if body.count(tag) != len(ids):
            raise ValueError(f"chart series {gid}: {body.count(tag)} marks drawn for {len(ids)} records")
        names = iter(ids)
        body = re.sub(re.escape(tag), lambda _m: f'{tag}id="{prefix}{next(names)}" ', body)
        if titles:
            tips = iter(titles)
            body = re.sub(r"(" + re.escape(tag) + r"[^>]*?)\s*/>",
                          lambda m: f"{m.group(1)}><title>{md(next(tips))}</title></{tag.strip()[1:]}>", body)
        svg = svg[:start] + head + body + svg[end:]
    return svg


def _svg(fig) -> str:
    """The SVG of ``fig``, cropped to what is drawn plus savefig's padding, as
    ``savefig(bbox_inches="tight")`` crops it, but drawn once.

    savefig draws a figure twice for a tight box: once to measure it, once
    to write it (a fifth of a chart's time). This draws it once, as
    matplotlib's SVG backend does (``FigureCanvasSVG.print_svg``), measures
    it with the same renderer and sets the viewBox to the box. The picture
    is the same (tests/test_charts.py compares the boxes).
    """
    from matplotlib import rcParams
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    buffer = io.StringIO()
    dpi = fig.dpi
    fig.set_dpi(72)  # as print_svg does, for the drawing (public; print_svg uses a private helper)
    try:
        width, height = fig.get_size_inches()
        svg_renderer = RendererSVG(width * 72, height * 72, buffer, image_dpi=dpi, metadata={"Date": None, "Creator": None})
        renderer = MixedModeRenderer(fig, width, height, dpi, svg_renderer)
        fig.draw(renderer)
        box = fig.get_tightbbox(renderer).padded(rcParams["savefig.pad_inches"])
        renderer.finalize()
    finally:
        fig.set_dpi(dpi)
    x, y, w, h = box.x0 * 72, (height - box.y1) * 72, box.width * 72, box.height * 72  # (SVG's y points down)
    viewbox = f'width="{w:.2f}pt" height="{h:.2f}pt" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}"'
    return re.sub(r'width="[\d.]+pt" height="[\d.]+pt" viewBox="[^"]*"', viewbox, buffer.getvalue(), count=1)


def _finish(fig, chart_id: str, title: str, desc: str, items: dict | None = None) -> str:
    """SVG text of ``fig``: ids prefixed, ink as currentColor, accessible."""
    import matplotlib.pyplot as plt

    svg = _svg(fig)
    plt.close(fig)
    svg = svg[svg.index("<svg") :]
    if items:
        svg = _items(svg, items)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", svg)
    svg = svg.replace(INK, "currentColor")
    svg = _shorten(svg)
    natural = re.search(r'<svg [^>]*?width="([\d.]+)pt"', svg)
    svg = re.sub(r'<svg ([^>]*?)width="[\d.]+pt" height="[\d.]+pt"', r"<svg \1", svg, count=1)
    # The width at which its text is the size it was drawn (7 pt and up, 9 px and up): on a phone
    # the chart keeps that width and scrolls sideways rather than shrink its text (assets/atlas.css).
    width = f"--natural:{float(natural.group(1)) * 4 / 3:.0f}px;" if natural else ""
    head = (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="atlas-chart" '
        f'style="{width}width:100%;height:auto;max-width:100%" '
    )
    svg = svg.replace("<svg ", head, 1)
    first_close = svg.index(">") + 1
    svg = (
        svg[:first_close]
        + f'<title id="{chart_id}-title">{md(title)}</title><desc id="{chart_id}-desc">{md(desc)}</desc>'
        + svg[first_close:]
    )
    # One line: a raw HTML block in Markdown ends at the first blank line.
    return re.sub(r"\s*\n\s*", " ", svg).strip() + "\n"


def figure_block(svg: str, title: str, table_md: str, lang: str, data: tuple[str, ...] = ()) -> str:
    """The chart, with its data as a collapsible table (for screen readers and
    copying) and links to the CSV and JSON of each of ``data`` (chart data names,
    ``chartdata.py``). Pages whose data table is already on the page pass ``table_md=""``."""
    from .chartdata import links

    svg = svg.replace("\n", " ")
    # Not indexed for search: a chart's text is tick labels; its data is in the table.
    # Focusable: on a phone the chart scrolls sideways, and a keyboard must be able to scroll it.
    out = f'<figure class="atlas-figure" tabindex="0" data-search-exclude>{svg}<figcaption>{md(title)}</figcaption></figure>\n\n'
    out += "".join(links(name, lang) for name in data) + ("\n" if data else "")
    if table_md:
        out += (
            f'<details class="atlas-data" markdown>\n<summary>{md(label("chart_data", lang))}</summary>\n\n'
            f"{table_md}\n</details>\n"
        )
    return out


# --------------------------------------------------------------------------
# 1. Programme timeline (home page)
# --------------------------------------------------------------------------


def _timeline_shown(atlas: Atlas, lang: str) -> tuple:
    events = tuple((e.id, year(e.date.date), e.date.status == "planned", f"{T.dated(e.date, lang)}{T.colon(lang)}{e.name.get(lang)}")
                   for e in atlas.events())
    eras = tuple((era.id, year(era.start), year(era.end) if era.end else None, era.name.get(lang)) for era in atlas.eras())
    return events, eras


@drawn_from(_timeline_shown)
def programme_timeline_svg(shown: tuple, lang: str = "en") -> str:
    plt = _pyplot()
    events, eras = shown
    fig, ax = plt.subplots(figsize=(10, 3.2))
    last = max([x for _, x, _, _ in events] + [2040]) + 3
    first = min([x for _, x, _, _ in events] + [eras[0][1] if eras else 1950]) - 2
    for i, (era_id, era_start, era_end, name) in enumerate(eras):
        start = era_start - 0.5
        end = era_end - 0.5 if era_end else last
        band = ax.axvspan(start, end, color=PALETTE[i % len(PALETTE)], alpha=0.16, linewidth=0)
        band.set_gid(f"era-{era_id}")
        ax.text((start + end) / 2, 1.03 + 0.09 * (i % 2), name, ha="center", va="bottom", fontsize=7,
                transform=ax.get_xaxis_transform())
    rows = 6
    points = {"actual": [], "planned": []}
    tips = {"actual": [], "planned": []}
    for i, (event_id, x, planned, tip) in enumerate(events):
        points["planned" if planned else "actual"].append((x, (i % rows) + 0.5, event_id))
        tips["planned" if planned else "actual"].append(tip)
    items: dict = {}
    _marks(ax, points["actual"], "events-actual", "event-", items, tips["actual"], s=22, marker="o", color=PALETTE[0],
           linewidths=1.2, zorder=3)
    _marks(ax, points["planned"], "events-planned", "event-", items, tips["planned"], s=22, marker="o", facecolors="none",
           edgecolors=PALETTE[1], linewidths=1.2, linestyle="--", zorder=3)
    ax.scatter([], [], s=22, color=PALETTE[0], label=label("actual", lang))
    ax.scatter([], [], s=22, facecolors="none", edgecolors=PALETTE[1], label=label("planned", lang))
    ax.legend(loc="upper left", fontsize=7, ncols=2)
    ax.set_xlim(first, last)
    ax.set_ylim(0, rows + 1)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    return _finish(fig, "timeline", label("chart_timeline", lang),
                   label("chart_timeline_desc", lang).format(events=len(events), eras=len(eras)), items)


def programme_timeline(atlas: Atlas, lang: str = "en") -> str:
    from .page import Page, table

    p = Page(atlas, lang)
    rows = [[p.link(e.id), md(T.date(e.start, lang)),
             md(T.date(e.end, lang)) if e.end else md(label("ongoing", lang)) if has_begun(e.start) else "",
             str(len(atlas.events_of.get(e.id, [])))] for e in atlas.eras()]
    data = table([label("era", lang), label("start", lang), label("end", lang), label("events", lang)], rows)
    return figure_block(programme_timeline_svg(atlas, lang), label("chart_timeline", lang), data, lang, ("programme-timeline",))


# --------------------------------------------------------------------------
# Timeline strip for one page (hand-drawn: see the module docstring)
# --------------------------------------------------------------------------


def timeline_strip(events: list, chart_id: str, lang: str = "en") -> str:
    """A one-line timeline of ``events``: filled dots achieved, hollow dots planned."""
    if not events:
        return ""
    xs = [year(e.date.date) for e in events]
    lo = int(min(xs) // 10 * 10)
    hi = int(max(xs) // 10 * 10 + 10)
    width, height, pad = 720, 64, 24

    def px(x: float) -> float:
        return round(pad + (x - lo) / (hi - lo) * (width - 2 * pad), 1)

    parts = [
        '<figure class="atlas-strip-figure" data-search-exclude>'  # its events are in the table below it
        f'<svg role="img" aria-labelledby="{chart_id}-title" class="atlas-strip" viewBox="0 0 {width} {height}" '
        f'style="width:100%;height:auto" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{md(label("chart_strip", lang).format(n=len(events)))}</title>',
        f'<line x1="{pad}" y1="30" x2="{width - pad}" y2="30" stroke="currentColor" stroke-width="1"/>',
    ]
    for decade in range(lo, hi + 1, 10):
        parts.append(
            f'<line x1="{px(decade)}" y1="26" x2="{px(decade)}" y2="34" stroke="currentColor"/>'
            f'<text x="{px(decade)}" y="52" font-size="11" text-anchor="middle" fill="currentColor">{decade}</text>'
        )
    for e, x in zip(events, xs):
        planned = e.date.status == "planned"
        fill = "none" if planned else PALETTE[0]
        stroke = PALETTE[1] if planned else PALETTE[0]
        dash = ' stroke-dasharray="2 1.5"' if planned else ""
        tip = f"{T.dated(e.date, lang)}{T.colon(lang)}{e.name.get(lang)}"
        parts.append(
            f'<circle id="{chart_id}-event-{e.id}" cx="{px(x)}" cy="30" r="5" fill="{fill}" fill-opacity="0.8" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}><title>{md(tip)}</title></circle>'
        )
    parts.append("</svg></figure>")
    return "".join(parts) + "\n"


# --------------------------------------------------------------------------
# 2. Schedule drift and 3. cost estimates (devices with such histories)
# --------------------------------------------------------------------------


@drawn_from(lambda dev, lang: dev)  # the record: a history that belongs to it alone
def schedule_drift_svg(dev, lang: str = "en") -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    baselines = sorted(dev.schedule_baselines, key=lambda b: date_key(b.stated))
    series = [
        ("first_plasma", label("first_plasma", lang), PALETTE[0], "o"),
        ("start_research_operation", label("start_research_operation", lang), PALETTE[2], "s"),
        ("first_dt", label("first_dt", lang), PALETTE[1], "D"),
    ]
    for field, name, colour, marker in series:
        points = [(year(b.stated), year(getattr(b, field)), b) for b in baselines if getattr(b, field)]
        if not points:
            continue
        ax.plot([p[0] for p in points], [p[1] for p in points], color=colour, linewidth=1, alpha=0.6)
        for x, y, b in points:
            mark = ax.scatter([x], [y], color=colour, marker=marker, s=30, zorder=3)
            mark.set_gid(f"baseline-{baselines.index(b)}-{b.stated}-{field}")
        ax.scatter([], [], color=colour, marker=marker, label=name)
    xs = [year(b.stated) for b in baselines]
    lo, hi = min(xs) - 1, max(xs) + 1
    ax.plot([lo, hi], [lo, hi], color=INK, linestyle=":", linewidth=0.8, label=label("same_year", lang))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("stated", lang))
    ax.set_ylabel(label("planned_date", lang))
    ax.legend(fontsize=7, loc="upper left")
    return _finish(fig, "schedule", label("chart_schedule", lang).format(name=dev.name.get(lang)),
                   label("chart_schedule_desc", lang).format(n=len(baselines)))


@drawn_from(lambda dev, lang: dev)
def cost_estimates_svg(dev, lang: str = "en") -> str:
    """Cost estimates as stated over time: one panel per currency (euros and dollars never share
    an axis), colour by what the estimate covers."""
    from matplotlib.ticker import MaxNLocator

    from ..core.model import UNITS

    plt = _pyplot()
    units = sorted({c.unit for c in dev.cost_estimates}, key=lambda u: ("EUR-billion", "USD-billion", "kIUA").index(u))
    fig, axes = plt.subplots(1, len(units), figsize=(3.9 * len(units) if len(units) > 1 else 7, 3.6), squeeze=False)
    scopes = sorted({c.scope for c in dev.cost_estimates})
    estimates = sorted(dev.cost_estimates, key=lambda c: (date_key(c.stated), c.value))
    for ax, unit in zip(axes[0], units):
        for i, c in enumerate(estimates):
            if c.unit != unit:
                continue
            colour = PALETTE[scopes.index(c.scope) % len(PALETTE)]
            mark = ax.scatter([year(c.stated)], [c.value], color=colour, marker="o", s=34, zorder=3)
            mark.set_gid(f"cost-{i}")
        _log_scale(ax, "y")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ax.set_xlabel(label("stated", lang))
        ax.set_ylabel(f"{label('estimate', lang)} ({UNITS[unit][lang]})")
    for scope in scopes:
        axes[0][0].scatter([], [], color=PALETTE[scopes.index(scope) % len(PALETTE)], label=value(f"scope-{scope}", lang))
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return _finish(fig, "costs", label("chart_costs", lang).format(name=dev.name.get(lang)),
                   label("chart_costs_desc", lang).format(n=len(dev.cost_estimates)))


# --------------------------------------------------------------------------
# 4. Members' shares
# --------------------------------------------------------------------------


def _shares_shown(atlas: Atlas, lang: str) -> tuple:
    sharing = sorted((m for m in atlas.all("members") if m.share), key=lambda m: (-m.share.value, m.id))
    return tuple((m.id, m.name.get(lang), m.share.value, m.role == "host") for m in sharing[:MOST]), len(sharing)


@drawn_from(_shares_shown)
def shares_svg(shown: tuple, lang: str = "en") -> str:
    plt = _pyplot()
    members, total = shown
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(members) + 0.8))
    for i, (member_id, _name, share, host) in enumerate(members):
        bar = ax.barh([i], [share], color=PALETTE[0] if host else PALETTE[2])
        bar.patches[0].set_gid(f"share-{member_id}")
        ax.text(share + 0.5, i, T.quantity(share, "percent", lang), va="center", fontsize=8)
    ax.set_yticks(range(len(members)), [name for _, name, _, _ in members])
    ax.invert_yaxis()
    ax.set_xlabel(label("share", lang) + " (%)")
    ax.set_xlim(0, max([share for _, _, share, _ in members] + [1]) * 1.15)
    desc = label("chart_shares_desc", lang).format(n=len(members)) + _named(len(members), total, lang)
    return _finish(fig, "shares", label("chart_shares", lang), desc)


def shares(atlas: Atlas, lang: str = "en") -> str:
    from .page import Page, table

    p = Page(atlas, lang)
    members = sorted((m for m in atlas.all("members") if m.share), key=lambda m: (-m.share.value, m.id))
    rows = [[p.link(m.id), p.fact(m.share, others=False)] for m in members]
    body = table([label("member", lang), label("share", lang)], rows) + "\n" + p.footnotes()
    return figure_block(shares_svg(atlas, lang), label("chart_shares", lang), body, lang, ("member-shares",))


# --------------------------------------------------------------------------
# 5. Device comparison
# --------------------------------------------------------------------------


def short_name(dev, lang: str) -> str:
    """A name short enough for a chart label: the name, else its first short alias, else the id."""
    name = T.short_name(dev.name.get(lang), [dev.name.en, *dev.aliases])
    return name if len(name) <= T.SHORT else dev.id.upper()


def _best(dev, metric):
    actual = [r for r in dev.records if r.metric == metric and r.status == "actual"]
    return max(actual, key=lambda r: r.value) if actual else None


# The size chart's marker for each family of configurations: where a stellarator sits among
# tokamaks (a long torus, a small volume) is then plain to see.
SIZE_GROUPS = (("tokamak", "o", ("tokamak",)), ("spherical-tokamak", "^", ("spherical-tokamak",)),
               ("stellarator", "s", ("stellarator", "heliotron", "heliac", "stellarator-tokamak-hybrid")),
               ("other", "D", ()))


def _size_group(kind: str) -> str:
    return next((group for group, _marker, kinds in SIZE_GROUPS if kind in kinds), "other")


def _size_shown(atlas: Atlas, lang: str) -> tuple:
    devices = sorted((d for d in atlas.all("devices") if d.parameters.major_radius and d.parameters.plasma_volume),
                     key=lambda d: d.id)
    named = _most(devices, lambda d: d.parameters.plasma_volume.value)
    return tuple((d.id, d.parameters.major_radius.value, d.parameters.plasma_volume.value,
                  d.status in ("construction", "design", "concept"), short_name(d, lang) if d.id in named else None,
                  short_name(d, lang), _size_group(d.kind))
                 for d in devices)


@drawn_from(_size_shown)
def device_size_svg(devices: tuple, lang: str = "en") -> str:
    from matplotlib.lines import Line2D

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    items: dict = {}
    legend = []
    for group, marker, kinds in SIZE_GROUPS:
        shown = [d for d in devices if d[6] == group]
        if shown:
            # A family of one configuration is named as the configuration is everywhere else.
            name = value(kinds[0], lang) if len(kinds) == 1 else label(f"size_{group}", lang)
            legend.append(Line2D([], [], marker=marker, linestyle="none", color=PALETTE[0], label=name))
        for series, colour in (("operating", PALETTE[0]), ("planned", PALETTE[1])):
            these = [d for d in shown if d[3] == (series == "planned")]
            if these:
                _marks(ax, [(r, volume, device_id) for device_id, r, volume, *_ in these], f"sizes-{group}-{series}",
                       "size-", items, [d[5] for d in these], s=36, marker=marker, color=colour, zorder=3)
    if any(d[3] for d in devices):
        legend.append(Line2D([], [], marker="o", linestyle="none", color=PALETTE[1], label=label("size_planned", lang)))
    named = [d for d in devices if d[4] is not None]
    for _id, r, volume, _planned, name, _tip, _group in named:
        ax.annotate(name, (r, volume), textcoords="offset points", xytext=(4, 3), fontsize=7)
    if legend:
        ax.legend(handles=legend, fontsize=7, loc="upper left")
    _log_scale(ax, "x", "y")
    ax.set_xlabel(f"{label('major_radius', lang)} (m)")
    ax.set_ylabel(f"{label('plasma_volume', lang)} (m³)")
    desc = label("chart_size_desc", lang).format(n=len(devices)) + _named(len(named), len(devices), lang)
    return _finish(fig, "size", label("chart_size", lang), desc, items)


from .chartdata import PERFORMANCE  # noqa: E402 (what the performance chart compares)


def _performance_shown(atlas: Atlas, lang: str) -> tuple:
    shown = []
    for metric, _unit in PERFORMANCE:
        rows = sorted(((d, _best(d, metric)) for d in atlas.all("devices")), key=lambda t: (t[1].value if t[1] else 0))
        rows = [(d, r) for d, r in rows if r]
        shown.append((tuple((d.id, short_name(d, lang), r.value) for d, r in rows[-MOST:]), len(rows)))  # the largest
    return tuple(shown)


@drawn_from(_performance_shown)
def device_performance_svg(shown: tuple, lang: str = "en") -> str:
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    for ax, (metric, unit), (rows, _count) in zip(axes, PERFORMANCE, shown):
        for i, (device_id, _name, best) in enumerate(rows):  # the largest at the top
            bar = ax.barh([i], [best], color=PALETTE[0])
            bar.patches[0].set_gid(f"{metric}-{device_id}")
        ax.set_yticks(range(len(rows)), [name for _, name, _ in rows])
        _log_scale(ax, "x")
        ax.set_xlabel(f"{value(metric, lang)} ({unit})")
    fig.tight_layout()
    counts = [count for _rows, count in shown]
    desc = label("chart_performance_desc", lang) + _named(min(MOST, max(counts)), max(counts), lang)
    return _finish(fig, "performance", label("chart_performance", lang), desc)


SECTION_PANELS = ("tokamak", "spherical-tokamak")  # one panel each, to its own scale


def _sections_shown(atlas: Atlas, lang: str) -> tuple:
    """For each configuration of ``SECTION_PANELS``: (configuration, its ``MOST`` largest devices
    with both radii, how many have both radii). A spherical tokamak is a few tens of centimetres
    across: beside ITER, at one scale, it would be a dot."""
    p = lambda d: d.parameters  # noqa: E731
    panels = []
    for kind in SECTION_PANELS:
        devices = sorted((d for d in atlas.all("devices") if d.kind == kind and p(d).major_radius and p(d).minor_radius),
                         key=lambda d: (-p(d).major_radius.value, d.id))
        panels.append((kind, tuple((d.id, p(d).major_radius.value, p(d).minor_radius.value,
                                    p(d).elongation.value if p(d).elongation else None,
                                    p(d).triangularity.value if p(d).triangularity else None, short_name(d, lang))
                                   for d in devices[:MOST]), len(devices)))  # the largest: one outline and legend entry each
    return tuple(panels)


def plasma_outline(r: float, a: float, elongation: float | None, triangularity: float | None, points: int = 120):
    """The plasma boundary in the poloidal plane (R, Z), the usual shaped-plasma formula:
    R = R0 + a cos(t + d sin t), Z = k a sin t. With a triangularity d > 0 the section is a D
    (ITER: k 1.85, d 0.49); without elongation or triangularity it is an ellipse or a circle."""
    import math

    k, d = elongation or 1.0, triangularity or 0.0
    out = []
    for i in range(points):
        t = 2 * math.pi * i / points
        out.append((r + a * math.cos(t + d * math.sin(t)), k * a * math.sin(t)))
    return out


@drawn_from(_sections_shown)
def cross_sections_svg(shown: tuple, lang: str = "en") -> str:
    """Tokamak plasma cross-sections to scale, shaped by elongation and triangularity: one panel
    per configuration (conventional, spherical), each to its own scale."""
    import matplotlib
    from matplotlib.patches import Polygon

    plt = _pyplot()
    panels = [panel for panel in shown if panel[1]] or [(SECTION_PANELS[0], (), 0)]  # (no tokamaks: empty axes)
    fig, axes = plt.subplots(len(panels), 1, figsize=(7, 3.6 * len(panels)), squeeze=False)
    colours = matplotlib.colormaps["tab20"].colors
    for ax, (kind, devices, _total) in zip(axes[:, 0], panels):
        top = 0
        for i, (device_id, r, a, elongation, triangularity, name) in enumerate(devices):
            shape = Polygon(plasma_outline(r, a, elongation, triangularity), closed=True, fill=False,
                            edgecolor=colours[(2 * i) % 20 + (i // 10) % 2], linewidth=1.4,
                            linestyle="-" if elongation else "--", label=name)
            shape.set_gid(f"xsec-{device_id}")
            ax.add_patch(shape)
            top = max(top, a * (elongation or 1.0))
        if devices:
            ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), ncols=1 if len(devices) < 16 else 2)
            ax.set_title(label(f"xsec_panel_{kind}", lang), fontsize=9, loc="left")
        ax.axvline(0, color=INK, linewidth=0.8, linestyle=":")
        ax.set_aspect("equal")
        ax.set_xlim(0, max([r + a for _, r, a, _, _, _ in devices] + [1]) * 1.12)
        ax.set_ylim(-(top or 1) * 1.1, (top or 1) * 1.1)
        ax.set_xlabel(label("xsec_x", lang))
        ax.set_ylabel(label("xsec_y", lang))
    # The legends inside the figure: drawn once (``_svg``), an outline outside it is clipped away.
    fig.tight_layout()
    drawn, total = sum(len(devices) for _, devices, _ in panels), sum(n for _, _, n in panels)
    desc = label("chart_xsec_desc", lang).format(n=drawn) + _named(drawn, total, lang)
    return _finish(fig, "xsec", label("chart_xsec", lang), desc)


def device_comparison(atlas: Atlas, lang: str = "en") -> str:
    from .page import Page, table

    p = Page(atlas, lang)
    rows = []
    for d in sorted(atlas.all("devices"), key=lambda d: d.id):
        params = d.parameters
        energy, pulse = _best(d, "fusion_energy"), _best(d, "pulse_length")
        if not (params.major_radius or energy or pulse):
            continue
        rows.append([
            p.link(d.id),
            p.fact(params.major_radius, others=False) if params.major_radius else "",
            p.fact(params.minor_radius, others=False) if params.minor_radius else "",
            p.fact(params.elongation, others=False) if params.elongation else "",
            p.fact(params.plasma_volume, others=False) if params.plasma_volume else "",
            md(T.quantity(energy.value, energy.unit, lang)) + p.cite(energy.source, energy.as_of) if energy else "",
            md(T.quantity(pulse.value, pulse.unit, lang)) + p.cite(pulse.source, pulse.as_of) if pulse else "",
        ])
    data = table(
        [label("name", lang), label("major_radius", lang), label("minor_radius", lang), label("elongation", lang),
         label("plasma_volume", lang), value("fusion_energy", lang), value("pulse_length", lang)],
        rows,
    ) + "\n" + p.footnotes()
    svgs = device_size_svg(atlas, lang) + device_performance_svg(atlas, lang) + cross_sections_svg(atlas, lang)
    return figure_block(svgs, label("chart_devices", lang), data, lang, ("device-parameters", "device-performance"))


# --------------------------------------------------------------------------
# 6. Map of sites
# --------------------------------------------------------------------------

def _map_shown(atlas: Atlas, lang: str) -> tuple:
    sites = sorted(atlas.all("sites"), key=lambda s: (s.longitude, s.id))
    count = {s.id: len(atlas.devices_at_site.get(s.id, [])) for s in sites}
    named = _most(sites, lambda s: count[s.id])  # where most devices stand
    return tuple((s.id, s.longitude, s.latitude, s.name.get(lang) if s.id in named else None, s.name.get(lang), count[s.id])
                 for s in sites)


# Where a label may sit around its point, in points (dx, dy, horizontal alignment), best first.
_LABEL_SPOTS = ((5, 4, "left"), (-5, 4, "right"), (5, -10, "left"), (-5, -10, "right"),
                (0, 8, "center"), (0, -14, "center"), (9, -3, "left"), (-9, -3, "right"))


def _label_box(px: float, py: float, name: str, size: float) -> tuple:
    """A label's (x, y, width, height) for ``place_labels``, in points: a CJK character about
    as wide as the font's size, a Latin one six tenths of it."""
    return (px, py, sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in name), size * 1.2)


def place_labels(points, boxes_taken=(), radii=None):
    """Labels that do not overlap: for each (x, y, width, height) point in display units, taken
    in order of importance, the first spot of ``_LABEL_SPOTS`` whose box meets no box placed
    yet (nor a point's marker); a label with no free spot is left out (the data table has it).
    ``radii``: how far each point's marker reaches; its spots move out by as much (to the
    left of a large disc as well as to its right, above it as well as below it).
    Returns (index, (dx, dy, ha)) pairs. Plain geometry, so it is tested without drawing."""
    taken = list(boxes_taken)
    chosen = []
    for index, (x, y, w, h) in enumerate(points):
        r = radii[index] if radii else 0
        for dx, dy, ha in _LABEL_SPOTS:
            if ha == "center":
                dy += r if dy > 0 else -r
            else:
                dx += r if ha == "left" else -r
            left = x + dx - (w if ha == "right" else w / 2 if ha == "center" else 0)
            box = (left, y + dy, left + w, y + dy + h)
            if all(box[2] <= t[0] or box[0] >= t[2] or box[3] <= t[1] or box[1] >= t[3] for t in taken):
                taken.append(box)
                chosen.append((index, (dx, dy, ha)))
                break
    return chosen


@drawn_from(_map_shown)
def sites_map_svg(sites: tuple, lang: str = "en") -> str:
    from matplotlib.patches import Polygon

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.6))
    for ring in land_rings():
        ax.add_patch(Polygon(ring, closed=True, facecolor="#9aa5b1", edgecolor="none", alpha=0.35))
    items: dict = {}
    _marks(ax, [(lon, lat, site_id) for site_id, lon, lat, _, _, _ in sites], "sites", "site-", items,
           [name for _, _, _, _, name, _ in sites], s=26, color=PALETTE[3], zorder=3, edgecolors="white", linewidths=0.6)
    ax.set_xlim(-130, 150)
    ax.set_ylim(5, 72)
    ax.set_aspect(1.25)
    ax.apply_aspect()
    # Labels where they fit, most devices first: in points, as the figure is drawn at 72 dpi.
    scale = 72 / fig.dpi
    size = 7
    named = sorted((s for s in sites if s[3] is not None), key=lambda s: (-s[5], s[0]))
    marker_boxes = []
    for _, lon, lat, _, _, _ in sites:
        px, py = ax.transData.transform((lon, lat)) * scale
        marker_boxes.append((px - 3, py - 3, px + 3, py + 3))
    candidates = [_label_box(*ax.transData.transform((lon, lat)) * scale, name, size) for _, lon, lat, name, _, _ in named]
    placed = place_labels(candidates, marker_boxes)
    for index, (dx, dy, ha) in placed:
        _id, lon, lat, name, _, _ = named[index]
        ax.annotate(name, (lon, lat), xytext=(dx, dy), textcoords="offset points", fontsize=size, ha=ha)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    desc = label("chart_map_desc", lang).format(n=len(sites)) + _named(len(placed), len(sites), lang, where_fits=True)
    return _finish(fig, "map", label("chart_map", lang), desc, items)


def sites_map(atlas: Atlas, lang: str = "en") -> str:
    from .page import Page, table

    p = Page(atlas, lang)
    rows = [[p.link(s.id), md(s.country.get(lang)), md(f"{s.latitude:.3f}"), md(f"{s.longitude:.3f}") + p.cite(s.source)]
            for s in sorted(atlas.all("sites"), key=lambda s: s.id)]
    data = table([label("site", lang), label("country", lang), label("latitude", lang), label("longitude", lang)], rows)
    return figure_block(sites_map_svg(atlas, lang), label("chart_map", lang), data + "\n" + p.footnotes(), lang, ("sites-map",))


DISC_AREA = 28  # a country's disc on the devices map: its area in points² for each device


@drawn_from(countries_shown)
def devices_map_svg(shown: tuple, lang: str = "en") -> str:
    """Devices by country: one disc per country at its centre, its area the number of devices;
    hundreds of devices stay legible where one dot each would pile up."""
    from matplotlib.patches import Polygon

    *countries, unplaced = shown
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.4))
    for ring in land_rings():
        ax.add_patch(Polygon(ring, closed=True, facecolor="#9aa5b1", edgecolor="none", alpha=0.35))
    items: dict = {}
    titles = [label("chart_country_title", lang).format(name=name, n=n, operating=op) for _, _, _, name, n, op in countries]
    _marks(ax, [(lon, lat, code.lower()) for code, lon, lat, _, _, _ in countries], "countries", "country-", items,
           titles, s=[DISC_AREA * n for *_, n, _ in countries], color=PALETTE[0], alpha=0.75, zorder=3,
           edgecolors="white", linewidths=0.8)
    for code, lon, lat, _, n, _ in countries:
        if n >= 3:  # the number inside its disc
            ax.annotate(str(n), (lon, lat), ha="center", va="center", fontsize=7, color="white", zorder=4)
    ax.set_xlim(-165, 180)
    ax.set_ylim(-50, 78)
    ax.set_aspect(1.25)
    ax.apply_aspect()
    scale = 72 / fig.dpi
    size = 7
    boxes, candidates, reach = [], [], []
    for _, lon, lat, name, n, _ in countries:
        px, py = ax.transData.transform((lon, lat)) * scale
        r = (DISC_AREA * n) ** 0.5 / 2
        boxes.append((px - r, py - r, px + r, py + r))
        candidates.append(_label_box(px, py, name, size))
        reach.append(max(0.0, r - 3))  # a label starts at its disc's edge, not its centre
    placed = place_labels(candidates, boxes, radii=reach)
    for index, (dx, dy, ha) in placed:
        _, lon, lat, name, _, _ = countries[index]
        ax.annotate(name, (lon, lat), xytext=(dx, dy), textcoords="offset points", fontsize=size, ha=ha, zorder=5)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    total = sum(n for *_, n, _ in countries)
    desc = label("chart_countries_desc", lang).format(n=total, countries=len(countries), unplaced=unplaced)
    desc += _named(len(placed), len(countries), lang, where_fits=True)
    return _finish(fig, "countries", label("chart_countries", lang), desc, items)


def devices_map(atlas: Atlas, lang: str = "en") -> str:
    """The map of devices by country, with its data as a table (and CSV)."""
    from .page import table

    *countries, unplaced = countries_shown(atlas, lang)
    rows = [[md(name), str(n), str(op)] for _, _, _, name, n, op in countries]
    data = table([label("country", lang), label("devices_n", lang), label("operating_n", lang)], rows)
    return figure_block(devices_map_svg(atlas, lang), label("chart_countries", lang), data, lang, ("devices-by-country",))


# The charts a build draws before its pages (``pages.prepare``): those of the whole
# data, and those of a device that has the history they show.
ATLAS_CHARTS = (programme_timeline_svg, shares_svg, device_size_svg, device_performance_svg, cross_sections_svg,
                sites_map_svg, devices_map_svg)
RECORD_CHARTS = ((schedule_drift_svg, lambda dev: dev.schedule_baselines),
                 (cost_estimates_svg, lambda dev: dev.cost_estimates))
CHARTS = {chart.__name__: chart for chart in (*ATLAS_CHARTS, *(c for c, _ in RECORD_CHARTS))}
