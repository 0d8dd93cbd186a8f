"""Renderers: golden Markdown for the fixture data, and formatting rules."""

import os
from pathlib import Path

import pytest

from conftest import FIXTURES
from macros.render import markdown as render
from macros.render import text
from macros.core.atlas import load_atlas

GOLDEN = Path(__file__).parent / "golden"
ATLAS = load_atlas(FIXTURES / "good")

CASES = {
    "device-jet.md": lambda: render.entity_page(ATLAS, "devices", "jet"),
    "device-iter.md": lambda: render.entity_page(ATLAS, "devices", "iter"),
    "member-eu.md": lambda: render.entity_page(ATLAS, "members", "eu"),
    "era-early.md": lambda: render.entity_page(ATLAS, "eras", "early"),
    "members-table.md": lambda: render.members_table(ATLAS),
    "devices-table.md": lambda: render.devices_table(ATLAS),
    "timeline.md": lambda: render.timeline(ATLAS),
    "disagreements.md": lambda: render.disagreements(ATLAS),
    "disagreements.zh.md": lambda: render.disagreements(ATLAS, "zh"),
}


def without_svg(markdown: str) -> str:
    """Charts are tested in test_charts.py; goldens hold the page around them."""
    import re

    return re.sub(r"<svg\b.*?</svg>", "<svg/>", markdown, flags=re.S)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    """Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change."""
    out = without_svg(CASES[name]())
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_rendering_is_deterministic():
    assert render.entity_page(ATLAS, "devices", "jet") == render.entity_page(load_atlas(FIXTURES / "good"), "devices", "jet")


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        ("1983", "en", "1983"),
        ("1983-06", "en", "June 1983"),
        ("2007-10-24", "en", "24 October 2007"),
        ("2007-10-24", "zh", "2007年10月24日"),
        ("1983-06", "zh", "1983年6月"),
    ],
)
def test_dates(value, lang, expected):
    assert text.date(value, lang) == expected


@pytest.mark.parametrize(
    "value, unit, approx, expected",
    [
        (2.96, "m", False, "2.96 m"),
        (840, "m3", False, "840 m³"),
        (45.46, "percent", False, "45.46%"),
        (90, "m3", True, "≈ 90 m³"),
        (150000000, "degC", False, "150 million °C"),
        (105842, "count", False, "105,842"),
        (0.67, "ratio", False, "0.67"),
    ],
)
def test_quantities(value, unit, approx, expected):
    assert text.quantity(value, unit, "en", approx) == expected


def test_q_is_derived_from_fusion_and_heating_power():
    jet = ATLAS.get("jet")
    q = [render.derived_q(r) for r in jet.records if r.metric == "fusion_power"]
    assert q == [0.67]
    assert "| 0.67 |" in render.records_table(render.Page(ATLAS), jet).replace("&#48;", "0")


def test_unknown_page_is_an_error():
    with pytest.raises(KeyError):
        render.entity_page(ATLAS, "devices", "nothing")


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (10, "EUR-billion", "100亿欧元"),  # not 10十亿欧元
        (8.1, "USD-billion", "81亿美元"),
        (150000000, "degC", "1.5亿摄氏度"),
        (15000000, "degC", "1500万摄氏度"),
        (2.96, "m", "2.96米"),
        (1066, "s", "1066秒"),
        (100, "MK", "1亿开尔文"),  # not 100百万开尔文
    ],
)
def test_chinese_writes_large_numbers_and_money_in_wan_and_yi(value, unit, expected):
    assert text.quantity(value, unit, "zh") == expected
