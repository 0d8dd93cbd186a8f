"""Keep one stub Markdown page per entity record in docs/<kind>/.

A stub holds its page already rendered from data. Stubs are generated files
(ignored by git): written only when their content changes,
so ``serve`` does not loop, and removed when their record is gone. Files
without the generated marker (such as ``index.md``) are never touched.
"""

from __future__ import annotations

from pathlib import Path

from ..render import charts
from ..core.atlas import LANGS, PAGE_KINDS, Atlas

from ..core.loader import GENERATED_MARKER as MARKER, is_generated
from .files import write_if_changed


def page_links(atlas: Atlas, kind: str, rid: str, lang: str, edit_base: str, directory_urls: bool) -> dict[str, str]:
    """The record and edit links of one page (they depend on where it is written)."""
    from ..render.urls import page_path, record_href

    links = {"record": record_href(page_path(kind, rid, lang, directory_urls), kind, rid)}
    if edit_base:
        base = edit_base.rstrip("/") + "/"
        links["edit_data"] = f"{base}data/{kind}/{rid}.yaml"
        prose = atlas.prose_files.get((kind, rid, lang))
        if prose:
            links["edit_prose"] = f"{base}{prose}"
    return links


def stub_text(atlas: Atlas, kind: str, rid: str, lang: str, edit_base: str = "", directory_urls: bool = True) -> str:
    """One generated page: front matter, then the page already rendered to Markdown.

    Rendered here, once per build, rather than by mkdocs-macros page by page:
    the build then treats it as plain Markdown (``render_macros: false``).
    """
    from ..render.markdown import entity_page

    links = page_links(atlas, kind, rid, lang, edit_base, directory_urls)
    return (
        f"{MARKER}{kind}/{rid}.yaml: edit that file (and prose/{kind}/{rid}.md), not this one\n"
        # No left sidebar: entity pages are not in the navigation, so it would stand empty
        # beside the infobox and the lead (Material's front matter).
        "render_macros: false\nhide:\n  - navigation\n---\n\n" + entity_page(atlas, kind, rid, lang, links=links, directory_urls=directory_urls)
    )


def _stub_path(kind: str, rid: str, lang: str) -> str:
    return f"{kind}/{rid}{'' if lang == 'en' else '.' + lang}.md"


_JOB: tuple = ()  # (atlas, docs_dir, edit_base, directory_urls), inherited by forked workers


def _sync_chunk(ids: list[tuple[str, str]]) -> None:
    """Render and write (if changed) the stubs of some records."""
    atlas, docs_dir, edit_base, directory_urls = _JOB
    for kind, rid in ids:
        for lang in LANGS:
            text = stub_text(atlas, kind, rid, lang, edit_base, directory_urls)
            write_stub(docs_dir / _stub_path(kind, rid, lang), text)


def write_stub(path: Path, text: str) -> None:
    """Write a generated page, never over a hand-written one (validation refuses such
    ids; this is the last guard: a tracked file is never overwritten, nor later deleted)."""
    if path.is_symlink() or (path.exists() and not is_generated(path)):
        from ..core.errors import DataError, Problem

        rid = path.name.split(".", 1)[0]
        raise DataError([Problem(f"docs/{path.parent.name}/{path.name}", 1, rid, "id",
                                 "a generated page would overwrite this hand-written file; rename the record")])
    write_if_changed(path, text)



def _draw_chart(job: tuple[str, str, str]) -> None:
    charts.draw(job, _JOB[0])


class Drawing:
    """Charts that forked processes are still drawing (see ``prepare``)."""

    def __init__(self, pool=None, futures=()):
        self.pool, self.futures = pool, list(futures)

    def wait(self) -> None:
        """Wait for them, and for the processes to end (forking again is then safe)."""
        if self.pool is None:
            return
        from concurrent.futures.process import BrokenProcessPool

        try:
            for future in self.futures:
                future.result()
        except BrokenProcessPool:  # a process died (out of memory?): the pages draw what is missing
            pass
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool, self.futures = None, []


def prepare(
    atlas: Atlas, docs_dir: Path, edit_base: str = "", directory_urls: bool = True, processes: int = 1
) -> Drawing:
    """Write the changed stubs, delete stale ones, and draw the charts missing from the cache.

    With ``processes`` > 1 (the caller decides: forking is only safe without
    threads), forked processes draw the charts of records (their stubs show
    them) and render the stubs, which MkDocs lists next; this returns once
    those are written. Meanwhile the same processes draw the charts of the
    whole data, which the returned ``Drawing`` waits for: call its ``wait``
    before anything forks again or renders a page. With one process the
    stubs are written here and each page draws its own charts.
    """
    global _JOB
    ids = [(kind, rid) for kind in PAGE_KINDS for rid in atlas.records[kind]]
    jobs = charts.to_draw(atlas, LANGS) if processes > 1 and charts.CACHE_DIR is not None else []
    drawing = Drawing()
    _JOB = (atlas, docs_dir, edit_base, directory_urls)
    try:
        if processes > 1 and (len(ids) > 50 or len(jobs) > 1):
            drawing = _prepare_in(processes, ids, jobs)
        else:
            _sync_chunk(ids)
    finally:
        _JOB = ()
    wanted = {_stub_path(kind, rid, lang) for kind, rid in ids for lang in LANGS}
    for kind in PAGE_KINDS:
        folder = docs_dir / kind
        if not folder.is_dir():
            continue
        for path in folder.glob("*.md"):
            if f"{kind}/{path.name}" not in wanted and is_generated(path):
                path.unlink()
    return drawing


def _prepare_in(processes: int, ids: list[tuple[str, str]], jobs: list[tuple[str, str, str]]) -> Drawing:
    from concurrent.futures.process import BrokenProcessPool

    from ..core.processes import forked_pool

    if jobs:
        charts.warm_up()  # matplotlib and its fonts, loaded once and inherited
    pool = forked_pool(processes)
    drawing = Drawing(pool)
    try:
        try:
            first = [pool.submit(_draw_chart, job) for job in jobs if job[1]]
            # Dealt out like cards: records of a kind sort together (all the copies of a device
            # with charts, say), so contiguous slices would leave one process with the slow ones.
            count = min(len(ids), processes * 8)
            written = [pool.submit(_sync_chunk, ids[i::count]) for i in range(count)]
            drawing.futures = [pool.submit(_draw_chart, job) for job in jobs if not job[1]]
        except BrokenProcessPool:  # a process died before the work was handed out: do it here
            pool.shutdown(wait=True, cancel_futures=True)
            _sync_chunk(ids)
            return Drawing()
        try:
            for future in first:
                future.result()
        except BrokenProcessPool:
            pass
        try:
            for future in written:
                future.result()  # (a worker's exception is raised here)
        except BrokenProcessPool:  # a process died (out of memory?): the stubs are written here
            _sync_chunk(ids)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    return drawing
