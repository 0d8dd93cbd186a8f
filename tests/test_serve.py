"""`make serve`: a saved YAML edit reaches the served page after one rebuild
(the generated pages the rebuild rewrites in docs/ must not start another)."""

import os
import socket
import subprocess
import sys
import time
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


def test_a_yaml_edit_is_served_after_a_single_rebuild(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", FUSION_ATLAS_ONLY_LANG="en")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/devices/jet/"
    jet = project / "data" / "devices" / "jet.yaml"
    try:
        _wait_for(lambda: "2.96 m" in _page(url), 180, "the first build")
        original = jet.read_text(encoding="utf-8")
        for value in ("2.97", "2.98"):
            edited = original.replace("major_radius: {value: 2.96,", f"major_radius: {{value: {value},")
            assert edited != original
            jet.write_text(edited, encoding="utf-8")
            _wait_for(lambda: f"{value} m" in _page(url), 120, f"the page to show {value} m")
            # The open data is written again into the rebuilt site, with the new value.
            record = _page(f"http://127.0.0.1:{port}/data/devices/jet.json")
            assert f'"value": {value}' in record, record[:500]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    rebuilds = log.read_text(encoding="utf-8").count("Detected file changes")
    assert rebuilds == 2, log.read_text(encoding="utf-8")[-3000:]
