"""One registry of record kinds (macros/core/kinds.py); what cannot derive from it agrees with it."""

import re

import yaml

from conftest import ROOT
from macros.core import kinds
from macros.core.model import KINDS


def test_every_kind_has_a_model_and_a_data_folder():
    assert list(KINDS) == list(kinds.ORDER)
    folders = sorted(p.name for p in (ROOT / "data").iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert folders == sorted([*kinds.ORDER, "rules"])  # data/rules/: the editors' rules (macros/core/rules.py)


def test_the_site_configuration_lists_the_page_kinds():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    # (and the configuration pages: hand-written, linked from the Devices page and every device)
    assert sorted(re.findall(r"^/(\w+)/\*\.md$", config["not_in_nav"], re.M)) == sorted([*kinds.PAGE_KINDS, "configurations"])
    ignored = re.findall(r"^docs/(\w+)/\*\.md$", (ROOT / ".gitignore").read_text(encoding="utf-8"), re.M)
    assert sorted(ignored) == sorted(kinds.PAGE_KINDS)


def test_derived_lists():
    assert kinds.PAGE_KINDS == ("members", "devices", "eras", "organisations", "sites", "people")
    assert "events" in kinds.BILINGUAL_KINDS and "sources" not in kinds.BILINGUAL_KINDS
    assert kinds.SINGULAR["people"] == "person"
