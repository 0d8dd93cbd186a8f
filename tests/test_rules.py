"""Editors' rules in data/rules/: refused source hosts, source types, the Chinese glossary.

Each case writes a rule or a record into a copy of the good fixture and asserts
the complete list of problems that ``make check`` prints.
"""

from __future__ import annotations


import pytest

from conftest import ROOT
from macros.core import rules
from macros.core.atlas import check, load_atlas

HOSTS = """\
refused:
  - host: example.org
    why: wikipedia-mirror
  - host: mirror.test
    why: aggregator
"""
GLOSSARY = """\
terms:
  - concept: Joint European Torus
    preferred: 欧洲联合环
    refused: [欧洲联合环状反应堆]
"""
MIRROR = "cite the original publisher (the organisation, a journal or a news outlet) or drop the facts that rest on it"


@pytest.fixture
def project(good_project):
    (good_project / "data" / "rules").mkdir()
    return good_project


def write(project, rel, text):
    (project / rel).write_text(text, encoding="utf-8")


def edit(project, rel, old, new):
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(project):
    return [str(p) for p in check(project)]


def test_a_source_on_a_refused_host_is_refused_with_the_reason(project):
    write(project, "data/rules/source-hosts.yaml", HOSTS)
    assert problems(project) == [
        f"data/sources/src-a.yaml:5: src-a: url: example.org is listed in data/rules/source-hosts.yaml as a copy of Wikipedia; {MIRROR}",
        f"data/sources/src-b.yaml:5: src-b: url: example.org is listed in data/rules/source-hosts.yaml as a copy of Wikipedia; {MIRROR}",
    ]


def test_subdomains_and_archive_copies_of_a_refused_host_are_refused(project):
    write(project, "data/rules/source-hosts.yaml", HOSTS)
    edit(project, "data/sources/src-a.yaml", "url: https://example.org/a", "url: https://www.mirror.test/a")
    edit(project, "data/sources/src-b.yaml", "url: https://example.org/b",
         "url: https://web.archive.org/web/20130604013211/http://mirror.test/Hefei")
    edit(project, "data/sources/src-b.yaml", "type: official", "type: archive-copy")
    assert problems(project) == [
        f"data/sources/src-a.yaml:5: src-a: url: www.mirror.test is listed in data/rules/source-hosts.yaml as an aggregator; {MIRROR}",
        f"data/sources/src-b.yaml:5: src-b: url: mirror.test is listed in data/rules/source-hosts.yaml as an aggregator; {MIRROR}",
    ]


def test_a_host_that_only_ends_like_a_refused_one_is_accepted(project):
    write(project, "data/rules/source-hosts.yaml", HOSTS)
    edit(project, "data/sources/src-a.yaml", "url: https://example.org/a", "url: https://notexample.org/a")
    edit(project, "data/sources/src-b.yaml", "url: https://example.org/b", "url: https://example.org.evil.test/b")
    assert problems(project) == []


def test_a_source_needs_a_type_and_an_archive_copy_says_so(project):
    edit(project, "data/sources/src-a.yaml", "type: official\n", "")
    edit(project, "data/sources/src-b.yaml", "url: https://example.org/b",
         "url: http://web.archive.org/web/20090115075615/http:/www.state.gov/x.htm")
    out = problems(project)
    assert out[0] == "data/sources/src-a.yaml:2: src-a: type: required field is missing"
    assert out[1:] == ["data/sources/src-b.yaml:7: src-b: type: this URL is the Internet Archive's copy of a page: its type is archive-copy"]


def test_an_archive_copy_must_be_one(project):
    edit(project, "data/sources/src-a.yaml", "type: official", "type: archive-copy")
    assert problems(project) == [
        "data/sources/src-a.yaml:8: src-a: type: type archive-copy is for a copy kept by the Internet Archive "
        "(https://web.archive.org/web/<date>/<original URL>)"]


def test_a_refused_chinese_term_is_named_in_data_and_prose_with_the_preferred_one(project):
    write(project, "data/rules/glossary-zh.yaml", GLOSSARY)
    path = project / "prose/devices/jet.zh.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n欧洲联合环状反应堆关闭了。\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n")
    msg = "'欧洲联合环状反应堆' is not the glossary's term for Joint European Torus; write '欧洲联合环' (data/rules/glossary-zh.yaml)"
    assert problems(project) == [
        f"data/devices/jet.yaml:3: jet: name.zh: {msg}",
        f"prose/devices/jet.zh.md:{lines}: jet: {msg}",
    ]


def test_a_glossary_that_would_flag_its_own_preferred_term_is_refused(project):
    write(project, "data/rules/glossary-zh.yaml",
          "terms:\n  - concept: ITER\n    preferred: 国际热核聚变实验堆\n    refused: [聚变实验堆]\n")
    assert problems(project) == [
        "data/rules/glossary-zh.yaml:1:: terms: refused '聚变实验堆' (for 'ITER') is part of the accepted '国际热核聚变实验堆' (for 'ITER'); it would flag correct text"]


def test_malformed_rules_are_named_by_file_line_and_field(project):
    write(project, "data/rules/source-hosts.yaml", "refused:\n  - host: Not A Host\n    why: rumour\n")
    write(project, "data/rules/glossary-zh.yaml", "terms:\n  - concept: x\n    preferred: ''\n    refused: []\n")
    write(project, "data/rules/glosary-zh.yaml", "terms: []\n")
    out = problems(project)
    assert "data/rules/glosary-zh.yaml:1:: unknown rules file; data/rules/ holds source-hosts.yaml and glossary-zh.yaml" in out
    assert any(p.startswith("data/rules/source-hosts.yaml:2:: refused.0.host: String should match pattern") for p in out)
    assert any(p.startswith("data/rules/source-hosts.yaml:3:: refused.0.why: Input should be") for p in out)
    assert any(p.startswith("data/rules/glossary-zh.yaml:3:: terms.0.preferred: String should have at least 1 character") for p in out)


def test_the_project_rules_refuse_every_host_named_in_the_content_issue():
    """The real list: mirrors and reprints the audit found may never come back."""
    loaded, found = rules.load_rules(ROOT / "data", ROOT)
    assert found == []
    for url in ("https://wikimili.com/en/Joint_European_Torus", "https://www.hubbry.com/JT-60",
                "https://myafrikamag.com/x", "https://nfa5.com/start/x.html", "https://kiwix.lema.org/x",
                "https://1library.net/document/x", "https://tr.scribd.com/x", "https://www.tellerreport.com/x"):
        assert loaded.refused_host(url) is not None, url
    for url in ("https://www.iter.org/mach", "https://en.wikipedia.org/wiki/ITER", "https://www.reuters.com/x"):
        assert loaded.refused_host(url) is None, url


def test_every_real_source_has_a_type_and_rests_on_no_refused_host():
    atlas = load_atlas(ROOT, index=False)
    loaded, _ = rules.load_rules(ROOT / "data", ROOT)
    assert [s.id for s in atlas.all("sources") if loaded.refused_host(s.url)] == []
    assert {s.type for s in atlas.all("sources")} <= {"official", "peer-reviewed", "news", "reference", "archive-copy"}
