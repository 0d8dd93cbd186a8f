"""`make serve`: a saved YAML edit reaches the served page after one rebuild
(the generated pages the rebuild rewrites in docs/ must not start another);
a saved data error never holds the pages: they keep the last valid data and
list the problems until the data is valid again."""

import contextlib
import html
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import FIXTURES, make_project


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


@contextlib.contextmanager
def _serving(project, log):
    """`mkdocs serve --strict` (as `make serve`) of ``project``, in English only; yields its URL."""
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", FUSION_ATLAS_ONLY_LANG="en")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
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
