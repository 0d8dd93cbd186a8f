"""Pre-rendering (macros/site/adapter.py): the generated pages are rendered by MkDocs
itself in a pool of processes and cached; the site must be exactly the same as
without it, and a page's warnings must still fail a strict build."""

import os
import re
from pathlib import Path

from conftest import make_project, run_build
from macros.publish.stubs import MARKER


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _assert_same(a: Path, b: Path) -> None:
    ta, tb = _tree(a), _tree(b)
    assert sorted(ta) == sorted(tb)
    differ = [name for name in ta if ta[name] != tb[name]]
    assert differ == []


def test_site_is_identical_with_and_without_prerendering(real_site, tmp_path):
    project = real_site.parent / "project"  # real_site was built cold, with the pool
    assert any((project / ".cache" / "pages").rglob("*.html"))
    plain = run_build(project, tmp_path / "plain", FUSION_ATLAS_PRERENDER="0")
    assert plain.returncode == 0, plain.stderr
    _assert_same(real_site, tmp_path / "plain")
    warm = run_build(project, tmp_path / "warm")  # every generated page from the cache
    assert warm.returncode == 0, warm.stderr
    _assert_same(real_site, tmp_path / "warm")
    # A build in a new process finds every page in the cache: its key holds nothing that
    # differs from one process to the next (an object's address, say).
    counts = re.findall(r"Pages: (\d+) rendered in \d+ process\(es\), (\d+) from the cache", warm.stderr)
    assert counts and all(rendered == "0" and int(cached) > 100 for rendered, cached in counts), counts


def test_a_prerendered_page_with_a_broken_link_fails_the_strict_build(tmp_path):
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("not_in_nav: |\n", "not_in_nav: |\n  /zz-*.md\n")
    assert "/zz-*.md" in text
    config.write_text(text, encoding="utf-8")
    (project / "docs" / "zz-broken.md").write_text(
        f"{MARKER}test\nrender_macros: false\n---\n\n# Broken\n\nSee [the void](nowhere.md).\n", encoding="utf-8"
    )
    expected = "Doc file 'zz-broken.md' contains a link 'nowhere.md', but the target is not found among documentation files."
    cold = run_build(project, tmp_path / "s1")  # rendered in the pool
    assert cold.returncode == 1 and expected in cold.stderr, cold.stderr
    assert cold.stderr.count(expected) == 1  # reported once, by the main process
    processes = os.cpu_count() if (os.cpu_count() or 1) > 1 else 1
    pages = len(list((project / "docs").rglob("*.md"))) // 2  # per language (same count in each)
    assert f"Pages: {pages} rendered in {processes} process(es), 0 from the cache" in cold.stderr
    warm = run_build(project, tmp_path / "s2")  # from the cache: the warning is kept with it
    assert warm.returncode == 1 and expected in warm.stderr, warm.stderr
    fresh = run_build(project, tmp_path / "s3", FUSION_ATLAS_PRERENDER="0")
    assert fresh.returncode == 1 and expected in fresh.stderr


def test_pages_written_by_the_pool_keep_their_warnings(tmp_path):
    """The theme's template and the post_page events run in the pool of processes that writes
    the pages; a warning met there is reported once, by the main process, and fails the strict
    build as it would without the pool."""
    import re

    from conftest import FIXTURES

    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    (project / "warn_hook.py").write_text(
        "import logging\n\n\n"
        "def on_post_page(output, page, config):\n"
        "    if page.file.src_uri == 'devices/jet.md':\n"
        "        logging.getLogger('mkdocs.plugins.test').warning('written with a warning: ' + page.file.src_uri)\n"
        "    return output\n",
        encoding="utf-8",
    )
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("hooks:\n", "hooks:\n  - warn_hook.py\n", 1)
    assert "warn_hook.py" in text
    config.write_text(text, encoding="utf-8")
    expected = "written with a warning: devices/jet.md"
    result = run_build(project, tmp_path / "site")
    aborted = "Aborted with 1 warnings in strict mode!"
    assert result.returncode == 1 and aborted in result.stdout, result.stdout + result.stderr
    assert result.stderr.count(expected) == 1
    if (os.cpu_count() or 1) > 1:  # every page, both languages, written by the pool
        written = re.findall(r"Pages: (\d+) of (\d+) written in (\d+) processes", result.stderr)
        assert len(written) == 2 and all(a == b and int(a) > 20 for a, b, _ in written), result.stderr
    plain = run_build(project, tmp_path / "plain", FUSION_ATLAS_PRERENDER="0")
    assert plain.returncode == 1 and aborted in plain.stdout and plain.stderr.count(expected) == 1, plain.stderr


def test_links_to_missing_anchors_fail_the_strict_build_once(tmp_path):
    """With the pages pre-rendered, the links to anchors are checked from the anchors and links
    each page's cache entry keeps (the main process does not hold them): the same check and
    messages as MkDocs' own, each reported once, and no message for a link that resolves."""
    from conftest import FIXTURES

    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("not_in_nav: |\n", "not_in_nav: |\n  /zz-*.md\n")
    config.write_text(text, encoding="utf-8")
    for lang in ("", ".zh"):
        (project / "docs" / f"zz-anchors{lang}.md").write_text(
            f"{MARKER}test\nrender_macros: false\n---\n\n# Anchors\n\n"
            "See [JET's missing part](devices/jet.md#no-such-part) and [this page's](#nowhere).\n\n"
            "These resolve: [this page's heading](#anchors) and [another page's](zz-target.md#here).\n",
            encoding="utf-8",
        )
        (project / "docs" / f"zz-target{lang}.md").write_text(
            f"{MARKER}test\nrender_macros: false\n---\n\n# Target\n\n## Here\n\nText.\n", encoding="utf-8")
    expected = [
        "Doc file 'zz-anchors.md' contains a link 'devices/jet.md#no-such-part', but the doc 'devices/jet.md' does not contain an anchor '#no-such-part'.",
        "Doc file 'zz-anchors.md' contains a link '#nowhere', but there is no such anchor on this page.",
    ]
    pooled = run_build(project, tmp_path / "s1")
    plain = run_build(project, tmp_path / "s2", FUSION_ATLAS_PRERENDER="0")
    for result in (pooled, plain):
        assert result.returncode == 1, result.stderr
        for message in expected:
            assert result.stderr.count(message) == 1, (message, result.stderr)
            assert result.stderr.count(message.replace("zz-anchors.md", "zz-anchors.zh.md").replace("'devices/jet.md'", "'devices/jet.zh.md'")) == 1
        assert "'#anchors'" not in result.stderr and "#here" not in result.stderr, result.stderr
    if (os.cpu_count() or 1) > 1:
        assert "written in 2 processes" in pooled.stderr
