"""Private upstream internals: each in one compat module, gated by the versions it was
tested with; with every gate closed the public paths build the same site, byte for byte."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from macros.core import compat, compat_pydantic, compat_yamllint
from macros.render import compat_matplotlib
from macros.site.compat import i18n as compat_i18n, macros as compat_macros, markdown as compat_markdown, material as compat_material
from macros.site.compat import mkdocs as compat_mkdocs

# Names of other projects' private code, and where they may appear.
PRIVATE = ("_populate_page", "_title_from_render", "_rebuild_cond", "_want_rebuild", "_watched_paths",
           "build_languages", "reconfigure_search_duplicates", "_load_fontmanager", "token_or_comment_generator",
           "search_index", "generate_search_index", "_setattr_cm", "is_dirty", "_findfont_cached",
           "__pydantic_fields_set__")
COMPAT = {"macros/core/compat_pydantic.py", "macros/core/compat_yamllint.py", "macros/render/compat_matplotlib.py", "macros/site/compat/mkdocs.py",
          "macros/site/compat/material.py", "macros/site/compat/i18n.py", "macros/site/compat/macros.py"}


def _uses(path: Path) -> list[str]:
    """The private names ``path``'s code reads or writes (attributes, names, strings), not its comments."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else (
            node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None)
        if name in PRIVATE:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    return found


def test_private_internals_live_only_in_the_compat_modules():
    outside = [use for path in sorted((ROOT / "macros").rglob("*.py"))
               if path.relative_to(ROOT).as_posix() not in COMPAT for use in _uses(path)]
    assert outside == []


def test_the_check_sees_a_private_use(tmp_path):
    probe = ROOT / "macros" / "core" / "loader.py"
    assert _uses(probe) == []
    (tmp_path / "x.py").write_text("def f(p):\n    return p._title_from_render\n", encoding="utf-8")
    assert [u.split(": ")[-1] for u in _uses_in(tmp_path / "x.py")] == ["_title_from_render"]


def _uses_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append(f"{node.lineno}: {node.attr}")
    return found


class _Config:
    """A config object whose class lives in the module ``mkdocs.config``, as MkDocs' does."""


_Config.__module__ = "mkdocs.config.defaults"


def test_the_installed_versions_are_the_tested_ones():
    """The lock file pins exactly the versions the compat modules name: every gate is open."""
    assert compat_mkdocs.available(_Config())
    assert compat_material.available()
    assert compat_i18n.available(type("I18n", (), {"reconfigure_search_duplicates": None})())
    assert compat_macros.available(type("Macros", (), {"on_page_markdown": None})())
    assert compat_yamllint.available()
    assert compat_matplotlib.available()
    assert compat_markdown.available()
    assert compat_pydantic.available()


@pytest.mark.parametrize("distribution", ["mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mkdocs-macros-plugin",
                                          "yamllint", "matplotlib", "markdown", "pydantic"])
def test_another_version_closes_its_gate(monkeypatch, distribution):
    real = compat.installed
    monkeypatch.setattr(compat, "installed", lambda name: "99.0" if name == distribution else real(name))
    gates = {
        "mkdocs": compat_mkdocs.available(_Config()),
        "mkdocs-material": compat_material.available(),
        "mkdocs-static-i18n": compat_i18n.available(type("I18n", (), {"reconfigure_search_duplicates": None})()),
        "mkdocs-macros-plugin": compat_macros.available(type("Macros", (), {"on_page_markdown": None})()),
        "yamllint": compat_yamllint.available(),
        "matplotlib": compat_matplotlib.available(),
        "markdown": compat_markdown.available(),
        "pydantic": compat_pydantic.available(),
    }
    assert [name for name, open_ in gates.items() if not open_] == [distribution]


def test_the_environment_closes_every_gate(monkeypatch):
    monkeypatch.setenv("FUSION_ATLAS_COMPAT", "off")
    assert not any([compat_mkdocs.available(_Config()), compat_material.available(), compat_yamllint.available(),
                    compat_i18n.available(type("I18n", (), {"reconfigure_search_duplicates": None})()),
                    compat_macros.available(type("Macros", (), {"on_page_markdown": None})()),
                    compat_matplotlib.available(), compat_markdown.available(), compat_pydantic.available()])
    assert compat_markdown.extensions() == []


def test_the_style_check_finds_the_same_problems_without_libyaml_tokens(monkeypatch):
    from yamllint.config import YamlLintConfig

    from macros.core.lint import style_problems

    config = YamlLintConfig(content=(ROOT / ".yamllint.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "data" / "devices" / "iter.yaml").read_text(encoding="utf-8") + "bad:   [1,2]  \n  - x\n"
    fast = [(p.line, p.rule, p.desc) for p in style_problems(text, config, "x.yaml")]
    monkeypatch.setenv("FUSION_ATLAS_COMPAT", "off")
    public = [(p.line, p.rule, p.desc) for p in style_problems(text, config, "x.yaml")]
    assert fast == public and fast


FOOTNOTES = """\
A[^x] b[^y] c[^x], d[^missing] e[^y][^x].

| col | col |
|---|---|
| a[^k] | b[^k] |

<div markdown>
In HTML[^k], and a definition used only here[^j].
</div>

[^y]: Why, citing [^x].
[^x]: Ex.
[^k]: Kay.
[^j]: Jay.
[^unused]: Never cited.
"""


def _markdown(extra=()):
    import markdown

    return markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "footnotes", "toc", *extra])


def test_footnotes_are_numbered_by_a_table_and_the_same_as_python_markdowns():
    """The replacement numbers by definition order as Python-Markdown does: the same HTML
    (repeated, undefined, nested and unused notes, in tables and HTML blocks), also when
    the converter is reused for a second page."""
    from markdown.extensions.footnotes import FootnoteInlineProcessor

    numbered = _markdown(compat_markdown.extensions())
    processor = numbered.inlinePatterns["footnote"]
    assert isinstance(processor, FootnoteInlineProcessor) and type(processor) is not FootnoteInlineProcessor
    calls = []
    original = processor.number
    processor.number = lambda key: calls.append(key) or original(key)
    expected = _markdown().convert(FOOTNOTES)
    assert 'href="#fn:x">2</a>' in expected and "fnref2:x" in expected and "[^missing]" in expected
    assert numbered.convert(FOOTNOTES) == expected
    assert sorted(set(calls)) == ["j", "k", "x", "y"]
    numbered.reset()
    other = "One[^b] two[^a].\n\n[^a]: A.\n[^b]: B.\n"
    assert numbered.convert(other) == _markdown().convert(other)


SECTIONS = """\
<p>Preface <sup>1</sup> and <code>x</code>.</p>
<h1 id="t">Title <a class="headerlink" href="#t">#</a></h1>
<table><tr><td><p>cell</p><sup><a>2</a></sup></td><td><ul><li></li><li> </li><li>kept <sub>i</sub></li></ul></td></tr></table>
<div data-search-exclude><p>hidden <sup>3</sup></p></div>
<h2 id="s"><code>code</code> in a title</h2><pre><code>  a
  b</code></pre>
<div><h3 id="n">Nested</h3><ol><li><p>one<sup>4</sup></p></li><li><p></p></li></ol></div><p>after <sup>5</sup></p>
<script>var x = "<li>";</script><ol><li>last</li></ol>
<h2 id="e">Emptied</h2><ul><li></li></ul><p>z</p><ul><li></li></ul><ul><li>kept</li></ul>
"""


def test_the_search_parser_finds_tags_by_a_table_and_makes_materials_sections(monkeypatch):
    """``FasterParser`` gives Material's sections (titles, texts, ids, depths), tag for tag,
    on a page with every case its closing tags meet, and on the home page's source; it is
    used only with the gate open."""
    from material.plugins.search import plugin

    material = plugin.Parser
    monkeypatch.setattr(plugin, "Parser", material)  # (restored after the test)
    compat_material.use_faster_parser()
    faster = plugin.Parser
    assert faster is not material and issubclass(faster, material)

    def sections(parser_class, html):
        parser = parser_class()
        parser.feed(html)
        parser.close()
        return [(s.el.tag, s.id, s.depth, list(s.title), list(s.text)) for s in parser.data]

    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for html in (SECTIONS, SECTIONS * 3, home):
        assert sections(faster, html) == sections(material, html)
    assert "<sup>" in "".join(sections(faster, SECTIONS)[0][4]) and len(sections(faster, SECTIONS)) == 5
    text = compat_material._FirstAt(["<li>", "a", "<li>"])
    assert text.index("<li>") == 0 and text.pop(0) == "<li>" and text.index("<li>") == 1
    monkeypatch.setenv("FUSION_ATLAS_COMPAT", "off")
    compat_material.use_faster_parser()
    assert plugin.Parser is material


def test_the_build_numbers_footnotes_by_the_table(monkeypatch):
    """The hooks add the extension after the configured ones; with the gate closed, nothing."""
    from types import SimpleNamespace

    from macros.site import hooks

    config = SimpleNamespace(markdown_extensions=["footnotes"])
    hooks.on_config(config)
    assert config.markdown_extensions[0] == "footnotes" and len(config.markdown_extensions) == 2
    # The pre-rendering cache is keyed by the list's repr: the same in every process.
    assert repr(config.markdown_extensions) == repr(["footnotes", *compat_markdown.extensions()])
    assert " at 0x" not in repr(config.markdown_extensions)
    monkeypatch.setenv("FUSION_ATLAS_COMPAT", "off")
    config = SimpleNamespace(markdown_extensions=["footnotes"])
    hooks.on_config(config)
    assert config.markdown_extensions == ["footnotes"]


def test_records_given_the_same_fields_share_one_set_of_their_names(real_atlas):
    """Each model instance kept the names of its given fields in a set of its own: a third of the
    loaded data's memory. Records given the same fields share one set now; each still reads its
    own names, and a copy with changes has its own set."""
    from macros.core.model import Text

    names = [d.name for d in real_atlas.all("devices")]
    sets = {id(n.model_fields_set) for n in names if n.model_fields_set == {"en", "zh"}}
    assert len(names) > 200 and len(sets) == 1
    assert Text(en="a").model_fields_set == {"en"} and Text(en="a", zh="乙").model_fields_set == {"en", "zh"}
    changed = names[0].model_copy(update={"en": "x"})
    assert changed.model_fields_set is not names[0].model_fields_set
    assert names[1].model_fields_set == {"en", "zh"}


def test_with_the_gate_closed_each_record_keeps_its_own_set(monkeypatch):
    from macros.core import model

    monkeypatch.setattr(model, "_SHARE_FIELDS_SET", False)
    a, b = model.Text(en="a", zh="甲"), model.Text(en="b", zh="乙")
    assert a.model_fields_set == b.model_fields_set and a.model_fields_set is not b.model_fields_set


@pytest.mark.build
def test_the_site_is_byte_identical_with_every_gate_closed(real_site, tmp_path):
    """MkDocs renders every page itself, Material indexes and writes the search index, and
    i18n removes duplicated translations with its own code: the same bytes."""
    from test_prerender import _assert_same

    project = real_site.parent / "project"
    public = run_build(project, tmp_path / "public", FUSION_ATLAS_COMPAT="off")
    assert public.returncode == 0, public.stderr
    assert "Pages:" not in public.stderr  # nothing pre-rendered
    _assert_same(real_site, tmp_path / "public")
