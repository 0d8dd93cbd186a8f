"""Shared fixtures: paths, and building a copy of the site with given data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What a site build needs besides its data.
SITE_PARTS = ("mkdocs.yml", "docs", "overrides", "macros", ".yamllint.yaml", "pyproject.toml", "LICENSE")


def make_project(dest: Path, data: Path | None = None, prose: Path | None = None) -> Path:
    """A copy of the site's sources in ``dest`` with ``data``/``prose`` (default: the real ones)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(
                src,
                dest / part,
                ignore=shutil.ignore_patterns("__pycache__"),
                dirs_exist_ok=True,
            )
        else:
            shutil.copy2(src, dest / part)
    # Drop generated stubs copied from the working tree: the build makes its own.
    from macros.publish.stubs import MARKER

    for md in (dest / "docs").rglob("*.md"):
        if md.read_text(encoding="utf-8").startswith(MARKER):
            md.unlink()
    shutil.copytree(data or ROOT / "data", dest / "data")
    prose_src = prose if prose is not None else ROOT / "prose"
    if prose_src.is_dir():
        shutil.copytree(prose_src, dest / "prose")
    (dest / "prose").mkdir(exist_ok=True)
    return dest


def run_build(project: Path, site_dir: Path, tool: str = "mkdocs", **env_vars: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", **env_vars)
    return subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_ok(project: Path, site_dir: Path, tool: str = "mkdocs") -> Path:
    result = run_build(project, site_dir, tool)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small fixture data set, built."""
    tmp = tmp_path_factory.mktemp("fixture-site")
    project = make_project(tmp / "project", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    return build_ok(project, tmp / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site, built strictly from data/ (once per test session)."""
    tmp = tmp_path_factory.mktemp("real-site")
    project = make_project(tmp / "project")
    return build_ok(project, tmp / "site")


@pytest.fixture
def good_project(tmp_path, monkeypatch) -> Path:
    """A copy of the good fixture, checkable as a project, on a fixed day."""
    monkeypatch.setenv("FUSION_ATLAS_TODAY", "2026-12-05")
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copy(ROOT / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    return tmp_path


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> tuple[Path, Path]:
    """(project, site): the real site built for reading offline (the zip's and the ZIM's pages)."""
    tmp = tmp_path_factory.mktemp("offline-site")
    project = make_project(tmp / "project")
    os.environ["FUSION_ATLAS_OFFLINE"] = "true"
    try:
        return project, build_ok(project, tmp / "site")
    finally:
        del os.environ["FUSION_ATLAS_OFFLINE"]


@pytest.fixture(scope="session")
def real_atlas():
    from macros.core.atlas import load_atlas

    return load_atlas(ROOT)
