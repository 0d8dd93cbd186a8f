"""End-to-end builds of small sites: the fixture data, a new record, bad data."""

import shutil

import pytest

from conftest import FIXTURES, build_ok, make_project, run_build
from htmlcheck import broken_links, page_of, parse

pytestmark = pytest.mark.build


def test_fixture_site_has_every_page_and_sound_links(fixture_site):
    for kind, rid in [("devices", "jet"), ("devices", "iter"), ("members", "eu"), ("eras", "early"),
                      ("organisations", "f4e"), ("sites", "culham")]:
        assert (fixture_site / kind / rid / "index.html").is_file()
    assert broken_links(fixture_site) == []


def test_fixture_device_page_sections(fixture_site):
    jet = page_of(fixture_site, "devices", "jet")
    assert jet.h1 == "JET"
    assert jet.infobox["Major radius"] == "2.96 m"
    assert jet.infobox["Site"] == "Culham"
    assert "Fusion power: 16 MW (1997)" in jet.infobox["Headline records"]
    assert "JET was built at Culham" in jet.sections["About"]
    assert "Legacy" not in jet.sections  # prose headings are demoted below About
    assert "JET first plasma" in jet.sections["Timeline"]
    assert "ITER" in jet.sections["Referenced by"]
    assert "Successors: ITER" in " ".join(jet.sections["Related"].split())
    assert "0.67" in jet.sections["Records and targets"]


def test_adding_one_yaml_file_adds_page_rows_and_links(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    (project / "data" / "devices" / "jt-60u.yaml").write_text(
        "# A new device.\n"
        "id: jt-60u\n"
        "name: {en: JT-60U, zh: JT-60U}\n"
        "kind: tokamak\n"
        "status: retired\n"
        "host: japan\n"
        "predecessors: [jt-60]\n"
        "first_plasma: {date: \"1991-03\", source: src-a}\n",
        encoding="utf-8",
    )
    site = build_ok(project, tmp_path / "site")
    page = page_of(site, "devices", "jt-60u")
    assert page.h1 == "JT-60U"
    assert "JT-60" in page.sections["Related"]
    assert "JT-60U" in page_of(site, "devices", "jt-60").sections["Referenced by"]
    assert "JT-60U" in page_of(site, "members", "japan").sections["Related"]
    assert "JT-60U" in parse(site / "devices" / "index.html").sections.get("", "") or \
        "JT-60U" in (site / "devices" / "index.html").read_text(encoding="utf-8")
    assert broken_links(site) == []


def test_bad_data_stops_the_build_with_the_full_list_and_no_traceback(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "broken" / "data", FIXTURES / "good" / "prose" / "none")
    result = run_build(project, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "23 problems in the data:" in output
    assert "data/members/dup.yaml:5: dup: role: duplicate key 'role'" in output
    assert not (tmp_path / "site" / "index.html").exists()


def test_site_builds_under_properdocs_too(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    site = build_ok(project, tmp_path / "site", tool="properdocs")
    assert page_of(site, "devices", "jet").infobox["Major radius"] == "2.96 m"
    assert broken_links(site) == []


def test_stale_stub_pages_are_removed_when_a_record_goes(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    build_ok(project, tmp_path / "site1")
    assert (project / "docs" / "devices" / "jt-60.md").exists()
    (project / "data" / "devices" / "jt-60.yaml").unlink()
    # iter names jt-60 as a predecessor: drop that reference too.
    iter_file = project / "data" / "devices" / "iter.yaml"
    iter_file.write_text(iter_file.read_text().replace("[jet, jt-60]", "[jet]"))
    shutil.rmtree(tmp_path / "site1")
    site = build_ok(project, tmp_path / "site2")
    assert not (project / "docs" / "devices" / "jt-60.md").exists()
    assert not (site / "devices" / "jt-60").exists()
    assert (project / "docs" / "devices" / "index.md").exists()
