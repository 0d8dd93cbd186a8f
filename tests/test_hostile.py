"""A corpus of hostile data: every string field of every record is attacked.

Each attack is either refused with a clear message naming file, line and
field, or rendered as inert text; none crashes, runs code or hangs.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES, build_ok, make_project
from htmlcheck import broken_links
from macros.render import markdown as render
from macros.core.atlas import PAGE_KINDS, load_atlas
from macros.core.errors import DataError
from macros.core.loader import parse_text

PAYLOADS = {
    "script": "<script>alert(document.domain)</script>",
    "img": '<img src=x onerror="alert(1)">',
    "jinja": "{{ config }} {% for x in range(10**9) %}x{% endfor %} {# c #}",
    "markdown": "[click](javascript:alert(1)) ![i](http://evil/x.png) | a | b | **x** `y`",
    "attr-break": '" onmouseover="alert(1)',
    "long": "A" * 200_000,
    "rtl": "abc\u202edcba\u200f\u200e",
    "zwj": "fusion\u200d\u200b\ufeffatlas",
    "emoji": "Tokamak 🔥🧲👩‍🔬",
    "newlines": "line one\n\n# heading\n- item\n> quote",
}

# Fields whose value is free text (ids, dates, units, urls are validated elsewhere).
TEXT_KEYS = {"en", "zh", "title", "publisher"}


def _attack(value, payload):
    if isinstance(value, dict):
        return {k: (payload if k in TEXT_KEYS and isinstance(v, str) else _attack(v, payload)) for k, v in value.items()}
    if isinstance(value, list):
        return [_attack(v, payload) for v in value]
    return value


def _poisoned_copy(tmp_path, payload, prose=True):
    import yaml

    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    for path in (tmp_path / "data").glob("*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_attack(data, payload), allow_unicode=True, width=10**7), encoding="utf-8")
    for path in (tmp_path / "prose").rglob("*.md") if prose else []:
        path.write_text(path.read_text(encoding="utf-8") + "\n" + payload + "\n", encoding="utf-8")
    return tmp_path


# Live markup: a tag, a link or image to a script URL. (Quotes and "onerror=" in
# text content are harmless: only attr() output goes into attributes.)
MARKUP = re.compile(r"<(script|img|iframe)\b|\]\(javascript:|!\[", re.I)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_attack_on_every_text_field_is_refused_or_inert(tmp_path, name):
    payload = PAYLOADS[name]
    root = _poisoned_copy(tmp_path, payload)
    try:
        atlas = load_atlas(root)
    except DataError as exc:
        # Refused: every message names a file and line and says what is valid.
        for p in exc.problems:
            assert p.file and p.line >= 1 and p.message
        return
    for kind in PAGE_KINDS:
        for rid in atlas.records[kind]:
            for lang in ("en", "zh"):
                out = render.entity_page(atlas, kind, rid, lang)
                assert not MARKUP.search(out), (kind, rid)


def test_names_with_markup_are_refused_with_the_reason(tmp_path):
    root = _poisoned_copy(tmp_path, PAYLOADS["script"])
    with pytest.raises(DataError) as exc:
        load_atlas(root)
    messages = {p.message for p in exc.value.problems}
    assert "a name is plain text: '<' and '>' are not allowed (page titles would read them as HTML)" in messages


@pytest.mark.build
def test_hostile_site_builds_and_shows_attacks_as_text(tmp_path):
    """Jinja and Markdown in every text, names included, up to their length limit: the build
    succeeds and shows them as text. (Bidi and zero-width characters and over-long texts are
    refused by validation: see the parametrised test above and tests/test_safe_editing.py.)"""
    payload = " ".join(PAYLOADS[k] for k in ("jinja", "markdown"))
    assert len(payload) <= 150
    root = _poisoned_copy(tmp_path / "data-root", payload, prose=False)
    project = make_project(tmp_path / "p", root / "data", root / "prose")
    site = build_ok(project, tmp_path / "site")
    html = (site / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in html and 'src="http://evil' not in html
    assert "{{ config }}" in html.replace("&#123;", "{").replace("&#125;", "}")
    assert broken_links(site) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "is not allowed"),
        ("a: !!binary aGVsbG8=\n", "is not allowed"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: [" * 50 + "]" * 50 + "\n", ""),  # deep nesting parses or is refused, never crashes
    ],
)
def test_yaml_features_are_refused(text, expected):
    data, _lines, problems = parse_text(text, "x.yaml")
    if expected:
        assert data is None and expected in problems[0].message
