"""The Makefile's build and archive: the output is replaced atomically, one build at a time.

A failed, interrupted or killed build leaves the previous site/ (or zip)
untouched, concurrent builds wait for each other, and what a killed build
left is removed by the next one.
"""

import fcntl
import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import FIXTURES, ROOT, make_project
from macros.publish import build as publish

pytestmark = pytest.mark.build


def make(project, *targets):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(["make", *targets], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def start_make(project, *targets, **kwargs):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.Popen(["make", *targets], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def listing(site):
    return sorted(str(x.relative_to(site)) for x in site.rglob("*"))


def digest(site):
    """Every path and every file's bytes."""
    h = hashlib.sha256()
    for rel in listing(site):
        h.update(rel.encode() + b"\0")
        if (site / rel).is_file():
            h.update((site / rel).read_bytes())
    return h.hexdigest()


def leftovers(folder, prefix):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(prefix))


def wait_until(condition, what, timeout=120, proc=None):
    """Poll ``condition`` until it is true (a deadline, not a sleep standing in for synchronisation)."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert proc is None or proc.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return found


@pytest.fixture
def project(tmp_path):
    p = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, p / name)
    (p / ".venv").symlink_to(ROOT / ".venv")
    return p


def test_failed_build_keeps_the_previous_site(project):
    ok = make(project, "build")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    before = sorted(str(x.relative_to(project / "site")) for x in (project / "site").rglob("*"))
    jet_html = (project / "site" / "devices" / "jet" / "index.html").read_bytes()

    # Break the data: a dangling reference the checker catches before building...
    iter_yaml = project / "data" / "devices" / "iter.yaml"
    iter_yaml.write_text(iter_yaml.read_text() + "operator: nobody\n")
    bad = make(project, "build")
    assert bad.returncode != 0
    assert "data/devices/iter.yaml:29: iter: operator: unknown organisation id 'nobody'" in bad.stderr
    # ...and a page the build itself fails on (a macro that does not exist).
    iter_yaml.write_text(iter_yaml.read_text().replace("operator: nobody\n", ""))
    (project / "docs" / "broken.md").write_text("# Broken\n\n{{ no_such_macro() }}\n")
    bad = make(project, "build")
    assert bad.returncode != 0
    # ...and a broken link, which MkDocs only warns about: strict fails on it (MkDocs'
    # --quiet would hide the warning from strict, and the build would pass).
    (project / "docs" / "broken.md").write_text("# Broken\n\nSee [the missing page](missing.md).\n")
    bad = make(project, "build")
    assert bad.returncode != 0
    assert "broken.md' contains a link 'missing.md'" in bad.stderr

    after = sorted(str(x.relative_to(project / "site")) for x in (project / "site").rglob("*"))
    assert after == before
    assert (project / "site" / "devices" / "jet" / "index.html").read_bytes() == jet_html
    assert leftovers(project, ".site-tmp") == []


def test_failed_archive_keeps_the_previous_archive(project):
    ok = make(project, "archive")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    [archive] = (project / "dist").glob("fusion-atlas-*.zip")
    before = archive.read_bytes()
    (project / "docs" / "broken.md").write_text("# Broken\n\n{{ no_such_macro() }}\n")
    bad = make(project, "archive")
    assert bad.returncode != 0
    (project / "docs" / "broken.md").write_text("# Broken\n\nSee [the missing page](missing.md).\n")
    bad = make(project, "archive")
    assert bad.returncode != 0
    assert archive.read_bytes() == before
    assert sorted(p.name for p in (project / "dist").iterdir()) == [archive.name]  # no temporary folder
    assert leftovers(project, ".archive-tmp") == []


def test_archive_is_reproducible(project):
    assert make(project, "archive").returncode == 0
    [archive] = (project / "dist").glob("fusion-atlas-*.zip")
    first = archive.read_bytes()
    assert make(project, "archive").returncode == 0
    assert archive.read_bytes() == first


@pytest.mark.parametrize("overlap", ["started at once", "second started while the first writes"])
def test_concurrent_builds_wait_for_each_other(project, overlap):
    single = make(project, "build")
    assert single.returncode == 0, single.stdout + single.stderr
    expected = listing(project / "site")
    shutil.rmtree(project / "site")

    first = start_make(project, "build")
    if overlap != "started at once":
        # (The old Makefile's second build emptied the first one's folder here.)
        wait_until(lambda: any(any(p.iterdir()) for p in project.glob(".site-tmp*")),
                   "the first build to write into its temporary folder", proc=first)
    second = start_make(project, "build")
    results = [p.communicate(timeout=600) for p in (first, second)]
    for proc, (out, err) in zip((first, second), results):
        assert proc.returncode == 0, out + err
        assert "site/ built" in out
    assert listing(project / "site") == expected
    assert leftovers(project, ".site-tmp") == []


def test_killed_build_leaves_the_previous_site(project):
    ok = make(project, "build")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    before, files = digest(project / "site"), listing(project / "site")
    # A change, so that the new site differs from the old one.
    index = project / "docs" / "index.md"
    index.write_text(index.read_text() + "\nMARKER-OF-THE-NEW-BUILD\n")

    build = start_make(project, "build", start_new_session=True)
    try:
        # Kill make, the publisher and MkDocs at once, once MkDocs is writing into its folder.
        tmp = wait_until(lambda: [p for p in project.glob(".site-tmp-*") if any(p.iterdir())],
                         "MkDocs to write into its temporary folder", proc=build)
        os.killpg(build.pid, signal.SIGKILL)
    finally:
        build.communicate(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert tmp[0].is_dir()  # nothing cleaned up after a SIGKILL...
    assert listing(project / "site") == files  # ...but site/ is the previous site, whole
    assert digest(project / "site") == before

    again = make(project, "build")
    assert again.returncode == 0, again.stdout + again.stderr
    assert leftovers(project, ".site-tmp") == []  # the stale folder is gone
    assert listing(project / "site") == files
    assert "MARKER-OF-THE-NEW-BUILD" in (project / "site" / "index.html").read_text()


def test_build_waits_for_the_lock_and_says_so(project):
    lock_path = project / ".cache" / "build.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{os.getpid()}\n")
        held.flush()
        build = start_make(project, "build")
        lines = queue.Queue()
        err = []

        def read_stderr():
            for line in build.stderr:
                err.append(line)
                lines.put(line)

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        message = f"another build is running (pid {os.getpid()}); waiting\n"
        deadline = time.monotonic() + 120
        try:
            while lines.get(timeout=max(0, deadline - time.monotonic())) != message:
                pass
        except queue.Empty:
            pytest.fail(f"no {message!r} on stderr: {''.join(err)}")
        assert build.poll() is None  # it waits...
        assert leftovers(project, ".site-tmp") == []  # ...before building anything
        assert not (project / "site").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    out = build.stdout.read()
    build.wait(timeout=600)
    reader.join(timeout=60)
    build.stdout.close()
    build.stderr.close()
    assert build.returncode == 0, out + "".join(err)
    assert "site/ built" in out
    assert "".join(err).count("another build is running") == 1  # said once
    assert (project / "site" / "devices" / "jet" / "index.html").is_file()


def test_build_gives_up_after_its_wait(project):
    lock_path = project / ".cache" / "build.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = subprocess.run([sys.executable, "-m", "macros.cli", "build", "--wait", "0.2"], cwd=project,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "another build is running (pid unknown); waiting" in result.stderr
    assert "another build is still running (pid unknown) after 0.2 s; giving up" in result.stderr
    assert not (project / "site").exists()


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = tmp_path / "new", tmp_path / "site"
    for folder, text in ((a, "new"), (b, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    if not publish.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not supported here")
    assert (b / "index.html").read_text() == "new"
    assert (a / "index.html").read_text() == "old"

    # Swapped back and forth while another thread looks: "site" is never absent nor empty.
    stop, missing = threading.Event(), []

    def watch():
        while not stop.is_set():
            try:
                (b / "index.html").read_text()
            except FileNotFoundError:
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(2000):
            assert publish.exchange(a, b)
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert (b / "index.html").read_text() == "new"


def test_replace_dir_without_exchange(tmp_path, monkeypatch):
    """Where the exchange is unsupported: two renames, and the old tree ends up at the temporary name."""
    monkeypatch.setattr(publish, "_renameat2", None)
    new, site = tmp_path / ".site-tmp-abc", tmp_path / "site"
    for folder, text in ((new, "new"), (site, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    publish.replace_dir(new, site)
    assert (site / "index.html").read_text() == "new"
    assert (new / "index.html").read_text() == "old"
    # Killed between the two renames: the next build puts the old site back before cleaning.
    shutil.rmtree(new)
    os.rename(site, tmp_path / ".site-tmp-old-abc")
    (tmp_path / ".site-tmp-def").mkdir()  # a half-written build
    publish.clean_stale(tmp_path, ".site-tmp-", site)
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_citation_file_names_this_version():
    import tomllib

    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cff["cff-version"] == "1.2.0" and cff["version"] == version
    assert cff["title"] and cff["authors"] and cff["license"] == "CC-BY-4.0" and cff["type"] == "dataset"
