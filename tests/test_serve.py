"""`make serve`: a saved YAML edit reaches the served page after one rebuild
(the generated pages the rebuild rewrites in docs/ must not start another);
a saved data error never holds the pages: they keep the last valid data and
list the problems until the data is valid again. The rebuilds are MkDocs'
dirty builds (``--dirty``, as `make serve` runs them), which write only the
pages whose output changes: what they serve is what a full build serves."""

import contextlib
import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import FIXTURES, ROOT, make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)  # polling interval of a wait-until, not a synchronisation
    raise AssertionError(f"timed out waiting for {what}")


def _page(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
    except OSError:
        return ""


def _answered(url: str, timeout: float = 10) -> str:
    """The page, which the running server must answer at once (at most after a rebuild
    of a second or two), whatever the state of the data."""
    try:
        return urllib.request.urlopen(url, timeout=timeout).read().decode("utf-8")
    except (TimeoutError, urllib.error.URLError) as exc:
        if isinstance(exc, TimeoutError) or isinstance(exc.reason, TimeoutError):
            raise AssertionError(f"the server held {url} for more than {timeout} s") from None
        raise


SERVE = ["serve", "--strict", "--dirty"]  # as `make serve` runs it (Makefile)


def test_the_tests_serve_as_make_serve_does():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "/mkdocs " + " ".join(SERVE) + " " in makefile


@contextlib.contextmanager
def _serving(project, log, args=SERVE, lang="en"):
    """`mkdocs serve --strict --dirty` (as `make serve`) of ``project``, in English only; yields its URL."""
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    if lang:
        env["FUSION_ATLAS_ONLY_LANG"] = lang
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", *args, "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_yaml_edit_is_served_after_a_single_rebuild(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    log = tmp_path / "serve.log"
    jet = project / "data" / "devices" / "jet.yaml"
    with _serving(project, log) as base:
        url = f"{base}devices/jet/"
        _wait_for(lambda: "2.96 m" in _page(url), 180, "the first build")
        original = jet.read_text(encoding="utf-8")
        for value in ("2.97", "2.98"):
            edited = original.replace("major_radius: {value: 2.96,", f"major_radius: {{value: {value},")
            assert edited != original
            jet.write_text(edited, encoding="utf-8")
            _wait_for(lambda: f"{value} m" in _page(url), 120, f"the page to show {value} m")
            # The open data is written again into the rebuilt site, with the new value.
            record = _page(f"{base}data/devices/jet.json")
            assert f'"value": {value}' in record, record[:500]
    rebuilds = log.read_text(encoding="utf-8").count("Detected file changes")
    assert rebuilds == 2, log.read_text(encoding="utf-8")[-3000:]


def _banner(page: str) -> str:
    """The problems listed at the top of a page ("" if none)."""
    start = page.find('<div class="admonition failure atlas-problems" role="alert">')
    return "" if start < 0 else page[start : page.index("</div>", start)]


def test_a_data_error_is_listed_on_every_page_which_keeps_the_last_valid_data(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    log = tmp_path / "serve.log"
    jet = project / "data" / "devices" / "jet.yaml"
    original = jet.read_text(encoding="utf-8")
    assert original.splitlines()[3:7] == ["kind: tokamak", "status: retired", "host: eu", "site: culham"]

    def save(old: str, new: str) -> None:
        edited = original.replace(old, new, 1)
        assert edited != original
        jet.write_text(edited, encoding="utf-8")

    with _serving(project, log) as base:
        url = f"{base}devices/jet/"
        _wait_for(lambda: "2.96 m" in _page(url), 180, "the first build")

        # A duplicate key: the page answers at once, with the data it had and the problem.
        save("kind: tokamak\n", "kind: tokamak\nkind: stellarator\n")
        page = _wait_for(lambda: _banner(p := _answered(url)) and p, 120, "the problem on the page")
        assert "2.96 m" in page and "tokamak" in page
        assert "data/devices/jet.yaml:5: jet: kind: duplicate key" in _banner(page), _banner(page)
        for other in ("", "devices/", "timeline/"):  # every page, from the cache or not
            assert "jet.yaml:5: jet: kind: duplicate key" in _banner(_answered(base + other)), other
        assert '"value": 2.96' in _answered(f"{base}data/devices/jet.json")  # the last valid open data
        assert "jet.yaml:5: jet: kind: duplicate key" in log.read_text(encoding="utf-8")  # the terminal too

        # Another error, with markup in the value: the banner shows it (only it), escaped.
        save("host: eu\n", "host: <b>eu</b>\n")
        page = _wait_for(lambda: "&lt;b&gt;eu&lt;/b&gt;" in _banner(p := _answered(url)) and p, 120,
                         "the new problem on the page")
        banner = _banner(page)
        assert "data/devices/jet.yaml:6: jet: host: " in banner, banner
        assert html.escape("'<b>eu</b>'") in banner and "<b>" not in banner, banner
        assert "duplicate key" not in banner and "2.96 m" in page

        # Valid again, with a new value: the banner is gone.
        save("major_radius: {value: 2.96,", "major_radius: {value: 2.97,")
        page = _wait_for(lambda: "2.97 m" in (p := _answered(url)) and p, 120, "the page to show 2.97 m")
        assert not _banner(page) and "atlas-problems" not in page
        assert "atlas-problems" not in _answered(base)
    text = log.read_text(encoding="utf-8")
    assert "error happened during the rebuild" not in text and "Traceback" not in text, text[-3000:]


_LIVERELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.DOTALL)  # the server's, new each time


def _site(base: str) -> dict[str, str]:
    """Every page the served site's search index names, and the index itself (the server's
    own address, in canonical links and citations, as "SERVER")."""
    index = _answered(base + "search/search_index.json")
    pages = sorted({doc["location"].split("#")[0] for doc in json.loads(index)["docs"]})
    host = base.split("//", 1)[1].rstrip("/")
    return {p: _LIVERELOAD.sub("", _answered(base + p)).replace(host, "SERVER")
            for p in pages} | {"search/search_index.json": index.replace(host, "SERVER")}


def _first_difference(a: dict, b: dict) -> str:
    for page in a:
        if a[page] != b[page]:
            at = next(i for i, (x, y) in enumerate(zip(a[page], b[page])) if x != y) if a[page][:1] else 0
            return f"{page}: {a[page][max(0, at - 200):at + 200]!r} | {b[page][max(0, at - 200):at + 200]!r}"
    return ""


def test_a_dirty_rebuild_serves_what_a_full_build_serves(tmp_path):
    """Only the pages whose output changes are written again; the site served is the one a
    full build serves, in both languages: an edited value, a new record, a deleted one."""
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    devices = project / "data" / "devices"
    jet = devices / "jet.yaml"
    original = jet.read_text(encoding="utf-8")
    copy = original.replace("id: jet\n", "id: jet-copy\n").replace("{en: JET, zh: 欧洲联合环状反应堆}",
                                                                   "{en: JET Copy, zh: 复制的装置}")
    assert copy.count("jet-copy") == 1 and "JET Copy" in copy
    with _serving(project, tmp_path / "dirty.log", lang="") as base:
        url = f"{base}devices/jet/"
        _wait_for(lambda: "2.96 m" in _page(url), 180, "the first build")
        jet.write_text(original.replace("major_radius: {value: 2.96,", "major_radius: {value: 2.97,"), encoding="utf-8")
        _wait_for(lambda: "2.97 m" in _page(url), 120, "the page to show 2.97 m")
        # The other language is built after this one: its pages follow within the same rebuild.
        _wait_for(lambda: "2.97米" in _page(f"{base}zh/devices/jet/"), 120, "the Chinese page to show 2.97米")
        assert "2.97 m" in _answered(f"{base}devices/") and "2.96 m" not in _answered(f"{base}devices/")
        assert "2.97米" in _answered(f"{base}zh/devices/") and "2.96米" not in _answered(f"{base}zh/devices/")
        (devices / "jet-copy.yaml").write_text(copy, encoding="utf-8")
        _wait_for(lambda: "复制的装置" in _page(f"{base}zh/devices/jet-copy/"), 120, "the new record's page")
        assert "JET Copy" in _answered(f"{base}devices/")
        edited = _site(base)
        (devices / "jet-copy.yaml").unlink()
        _wait_for(lambda: "复制的装置" not in _page(f"{base}zh/devices/"), 120, "the record gone from the index")
        with pytest.raises(urllib.error.HTTPError):  # its page is gone, not left over
            urllib.request.urlopen(f"{base}devices/jet-copy/", timeout=10)
        removed = _site(base)
    assert "2.97" in edited["search/search_index.json"] and "JET Copy" in edited["search/search_index.json"]
    assert "JET Copy" not in removed["search/search_index.json"]
    # The same data, built in full by a server without --dirty: the same pages, byte for byte.
    with _serving(project, tmp_path / "full.log", args=["serve", "--strict"], lang="") as base:
        _wait_for(lambda: "2.97 m" in _page(f"{base}devices/jet/"), 180, "the full build")
        full = _site(base)
    assert sorted(full) == sorted(removed)
    assert [p for p in full if full[p] != removed[p]] == [], _first_difference(full, removed)
    (devices / "jet-copy.yaml").write_text(copy, encoding="utf-8")
    with _serving(project, tmp_path / "full2.log", args=["serve", "--strict"], lang="") as base:
        _wait_for(lambda: "JET Copy" in _page(f"{base}devices/jet-copy/"), 180, "the full build")
        full = _site(base)
    assert sorted(full) == sorted(edited)
    assert [p for p in full if full[p] != edited[p]] == [], _first_difference(full, edited)
    text = (tmp_path / "dirty.log").read_text(encoding="utf-8")
    assert "Traceback" not in text and "dirty' build" not in text, text[-3000:]
