"""Content lint: mojibake, spam, wrong script, missing Chinese, YAML style."""

import shutil

import pytest

from conftest import FIXTURES
from macros.core.atlas import check
from macros.core.lint import text_problems


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


# YAML that breaks each style rule the project enables, with Chinese text
# before the problem (libyaml and PyYAML count positions in characters alike).
STYLE_CASES = [
    "# 注释\nname: {en: ITER,  zh: 国际热核聚变实验堆 }   \nsummary: {zh: 中文, en: x}  # 注释\nlist: [ 中文 ,a]\n",
    "a:\n   b: 1\n   c:\n      - x\n",
    "a: 1\na: 2\n",
    "a: yes\nb: True\nc: 'yes'\nd: false\n",
    "a:  1\nb : 2\n",
    "a: 1",
    "a: 1\n\n\n\nb: 2\n\n",
    "a: 1 #bad\n#bad2\n  # 中文\nb: 2\n",
    "a:\n\tb: 1\n",
    "a:\n  -  x\n  - 中文 \n",
    "a: &x 1\nb: *y\nc: &x 2\n",
    "a: {b: 1,c: 2}\nd: [1 , 2]\ne: {  f: 1  }\n",
    'a: "中文 x"   \nb: \'中\'\n',
    "a: |\n  中文\n  text  \nb: >\n  more\n",
    "---\na: 1\n...\n---\nb: 2\n",
    "a: {b: 1\nc: 2\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: \x07\n",
    "# yamllint disable-file\na:  1\n",
    "a:  1  # yamllint disable-line\nb:  2\n",
]


def test_style_check_with_libyaml_tokens_finds_what_yamllint_finds():
    """The fast path (libyaml's scanner, no second parse) reports exactly what
    yamllint's own rules report over PyYAML's tokens, on crafted problems and
    on every data file as written and with its spacing disturbed."""
    from pathlib import Path

    from yamllint.config import YamlLintConfig

    from macros.core.lint import style_problems

    root = Path(__file__).resolve().parents[1]
    config = YamlLintConfig(content=(root / ".yamllint.yaml").read_text(encoding="utf-8"))
    texts = list(STYLE_CASES)
    disturb = [(": ", ":  "), (", ", " ,"), ("\n  ", "\n   "), ("\n", "  \n"), ("{", "{ "), ("- ", "-  ")]
    for i, path in enumerate(sorted((root / "data").glob("*/[!_]*.yaml"))):
        text = path.read_text(encoding="utf-8")
        texts += [text, text.replace(*disturb[i % len(disturb)])]
    found = 0
    for text in texts:
        both = [[(p.line, p.column, p.rule, p.desc) for p in style_problems(text, config, "x.yaml", fast=fast)]
                for fast in (False, True)]
        assert both[0] == both[1], text
        found += len(both[0])
    assert found > len(texts)  # the disturbed files did break rules


def test_style_problems_found_by_the_processes_that_run_during_loading(tmp_path):
    """With many files not in the style cache (the real data, 480 files),
    yamllint runs in forked processes while the data loads; their problems
    are reported like any other, and cached for the next check."""
    from conftest import make_project

    project = make_project(tmp_path / "p")
    jet = project / "data" / "devices" / "jet.yaml"
    jet.write_text(jet.read_text(encoding="utf-8").replace("status: retired", "status:  retired"), encoding="utf-8")
    assert len(list((project / "data").glob("*/[!_]*.yaml"))) > 200  # enough for the processes
    problems = [str(p) for p in check(project)]
    assert len(problems) == 1 and problems[0].startswith("data/devices/jet.yaml:")
    assert problems[0].endswith("YAML style (colons): too many spaces after colon")
    assert (project / ".cache" / "yamllint.json").is_file()
    assert [str(p) for p in check(project)] == problems  # now from the cache


def test_a_file_that_is_not_utf8_is_reported_not_a_crash_of_the_style_check(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copy(FIXTURES.parent.parent / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    (tmp_path / "data" / "sources" / "latin1.yaml").write_bytes(b'id: latin1\ntitle: "caf\xe9"\n')
    assert [str(p) for p in check(tmp_path)] == [
        "data/sources/latin1.yaml:2: latin1: the file is not valid UTF-8 (invalid continuation byte at byte 22); save it as UTF-8"
    ]


@pytest.mark.parametrize(
    "text",
    ["CASINO night", "caſino", "Viagra", "visit Bet365", "alphabet365", "澳门威尼斯人赌场", "澳门 六合彩", "博彩网",
     "Macau casinos", "clean text", "彩虹", "博物馆", "赌", "ITER"],
)
def test_the_spam_prefilter_never_hides_a_match(text):
    """text_problems looks for a few characters before running SPAM: it must
    report exactly what SPAM alone finds."""
    from macros.core.lint import SPAM

    reported = any("spam string" in m for m in text_problems(text, None))
    assert reported == bool(SPAM.search(text))
