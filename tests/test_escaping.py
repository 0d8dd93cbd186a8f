"""Strings from data are inert: HTML, Markdown, Jinja and table syntax show as typed."""

import re
from html import unescape

import pytest

from conftest import FIXTURES, build_ok, make_project
from htmlcheck import broken_links, page_of, parse
from macros.render import text

HOSTILE = "<script>alert('x')</script> {{ 7*7 }} {% if true %}T{% endif %} | *bold* [link](http://evil) & \\"
# Names become page titles, which the theme prints unescaped: '<' and '>' are refused there.
NAME = "{{ 7*7 }} {% if true %}T{% endif %} | *bold* [link](http://evil) & \\"


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "# heading", "- item", "1. one", "> quote", "a|b|c", "`code`", "<img src=x onerror=alert(1)>"],
)
def test_md_escape_leaves_no_markup(value):
    out = text.md(value)
    assert not re.search(r"[<>|`*\[\]{}]", out)
    assert not out.startswith(("#", "-", "1.", ">"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    project = make_project(tmp / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    jet = project / "data" / "devices" / "jet.yaml"
    yaml_text = jet.read_text(encoding="utf-8")
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    name = NAME.replace("\\", "\\\\").replace('"', '\\"')
    yaml_text = yaml_text.replace("name: {en: JET, zh: 欧洲联合环状反应堆}", f'name: {{en: "{name}", zh: "{name}"}}')
    yaml_text += f'summary: {{en: "{quoted}", zh: "中文{quoted}"}}\n'
    jet.write_text(yaml_text, encoding="utf-8")
    culham = project / "data" / "sites" / "culham.yaml"
    culham.write_text(culham.read_text(encoding="utf-8").replace("{en: United Kingdom,", '{en: "A | B {{ 6*7 }}",'), encoding="utf-8")
    return build_ok(project, tmp / "site")


def test_script_in_data_reaches_the_page_as_text(hostile_site):
    html = (hostile_site / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    # The summary paragraph holds the whole hostile string, as text.
    para = re.search(r"</div>\s*<p>(.*?)</p>", html, re.S).group(1)
    assert "<" not in para
    assert unescape(para) == HOSTILE
    assert 'href="http://evil"' not in html
    assert "<strong>bold</strong>" not in html and "<em>bold</em>" not in html


def test_jinja_in_data_is_never_evaluated_even_in_titles(hostile_site):
    page = page_of(hostile_site, "devices", "jet")
    assert page.h1 == NAME
    assert page.title.startswith(NAME)
    html = (hostile_site / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert ">49<" not in html and " 49 " not in page.h1
    site = page_of(hostile_site, "sites", "culham")
    assert site.infobox["Country"] == "A | B {{ 6*7 }}"


def test_pipe_in_data_does_not_break_tables(hostile_site):
    index = parse(hostile_site / "sites" / "index.html")
    html = (hostile_site / "sites" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr>\s*<td><span class="sort-key"[^>]*></span><a[^>]*>Culham</a></td>(.*?)</tr>', html, re.S).group(1)
    assert row.count("<td") == 2  # country and devices: the | did not split a cell
    assert "A | B {{ 6*7 }}" in index.sections.get("", "") or "A &#124; B" in html or "A | B" in html
    assert broken_links(hostile_site) == []


def test_markup_in_names_is_refused_with_a_clear_message(tmp_path):
    import shutil
    from macros.core.atlas import check

    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    jet = tmp_path / "data" / "devices" / "jet.yaml"
    jet.write_text(jet.read_text(encoding="utf-8").replace("{en: JET,", '{en: "<script>x</script>",'), encoding="utf-8")
    assert [str(p) for p in check(tmp_path)] == [
        "data/devices/jet.yaml:3: jet: name.en: a name is plain text: '<' and '>' are not allowed (page titles would read them as HTML)"
    ]
