"""The Makefile's build: a failed build leaves the previous site/ untouched."""

import os
import shutil
import subprocess

import pytest

from conftest import FIXTURES, ROOT, make_project

pytestmark = pytest.mark.build


def make(project, *targets):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(["make", *targets], cwd=project, env=env, capture_output=True, text=True, timeout=600)


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
    assert "data/devices/iter.yaml:20: iter: operator: unknown organisation id 'nobody'" in bad.stderr
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
    assert not (project / ".site-tmp").exists()


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
    assert sorted(p.name for p in (project / "dist").iterdir()) == [archive.name]
    assert not (project / ".archive-tmp").exists()


def test_archive_is_reproducible(project):
    assert make(project, "archive").returncode == 0
    [archive] = (project / "dist").glob("fusion-atlas-*.zip")
    first = archive.read_bytes()
    assert make(project, "archive").returncode == 0
    assert archive.read_bytes() == first
