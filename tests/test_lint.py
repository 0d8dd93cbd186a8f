"""Content lint: mojibake, spam, wrong script, missing Chinese, YAML style."""

import shutil

import pytest

from conftest import FIXTURES
from macros.atlas import check
from macros.lint import text_problems


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Atoms for Peace conference\u00e2better known", "en", "looks like mojibake"),
        ("caf\u00c3\u00a9 au lait", "en", "looks like mojibake"),
        ("says Tim Luce, 澳门六合彩高手's Head", "en", "spam string '澳门六合彩'"),
        ("The 国际热核聚变实验反应堆 project", "en", "Chinese characters in an English field"),
        ("This paragraph was never translated into Chinese at all", "zh", "English text in a Chinese field"),
    ],
)
def test_bad_text_is_flagged(text, lang, expected):
    assert any(expected in m for m in text_problems(text, lang))


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Hannes Alfvén and the château at Cadarache", "en"),
        ("JT-60SA", "zh"),
        ("ITER的托卡马克", "zh"),
        ("“Quoted” text – with dashes — and ≈ 90 m³", "en"),
    ],
)
def test_good_text_passes(text, lang):
    assert text_problems(text, lang) == []


def test_lint_problems_name_file_line_and_field(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copy(FIXTURES.parent.parent / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    eu = tmp_path / "data" / "members" / "eu.yaml"
    eu.write_text(
        eu.read_text(encoding="utf-8")
        .replace("name: {en: European Union, zh: 欧盟}", "name: {en: European Union}")
        .replace("summary: {en: Hosts ITER., zh: ITER东道方。}", "summary: {en: \"Hosts ITER\u00e2the host\", zh: \"ITER东道方。\"}")
        + "aliases:   [EU]\n",
        encoding="utf-8",
    )
    (tmp_path / "prose" / "devices" / "jet.zh.md").write_text("JET 位于卡拉姆。\n\n澳门六合彩高手 was here.\n", encoding="utf-8")
    (tmp_path / "prose" / "devices" / "iter.md").write_text("ITER has no Chinese prose yet.\n", encoding="utf-8")
    assert [str(p) for p in check(tmp_path)] == [
        "data/members/eu.yaml:3: eu: name: needs a Chinese name (zh): use the established Chinese name",
        "data/members/eu.yaml:10: eu: summary.en: looks like mojibake (text decoded with the wrong encoding); retype the characters",
        "data/members/eu.yaml:11: eu: YAML style (colons): too many spaces after colon",
        "prose/devices/iter.md:1: iter: has no Chinese version; write prose/devices/iter.zh.md",
        "prose/devices/jet.zh.md:3: jet: contains the spam string '澳门六合彩'; scraped text must be rewritten, not pasted",
    ]


def test_prose_may_not_hold_raw_html_remote_images_or_script_links(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    (tmp_path / "prose" / "devices" / "jet.md").write_text(
        "JET at [Culham](../sites/culham.md).\n\n<div onclick=x>hi</div>\n\n![map](https://evil.example/x.png)\n\n"
        "[run](javascript:alert(1))\n\nCode like `<b>` is fine.\n",
        encoding="utf-8",
    )
    assert [str(p) for p in check(tmp_path, style=False)] == [
        "prose/devices/jet.md:3: jet: raw HTML is not allowed in prose; write Markdown (and write < as &lt;)",
        "prose/devices/jet.md:5: jet: images must be files shipped with the site, not loaded from another host",
        "prose/devices/jet.md:7: jet: links may be http(s), mailto or a page's .md file, not javascript:",
    ]
