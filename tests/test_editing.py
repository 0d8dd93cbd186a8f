"""For editors and reusers: schemas in step, open data that round-trips,
edit links, and redirects from renamed ids."""

import json
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from htmlcheck import page_of
from macros.core.atlas import load_atlas
from macros.core.model import KINDS
from macros.publish.schema import SCHEMA_DIR, schema_texts


def test_committed_schemas_are_up_to_date():
    """Run `make schemas` after changing macros/core/model.py."""
    folder = ROOT / SCHEMA_DIR
    committed = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.schema.json")}
    assert committed == schema_texts()


def test_every_data_file_satisfies_its_json_schema():
    """What an editor's YAML extension checks while typing agrees with the build."""
    import jsonschema

    for kind in KINDS:
        schema = json.loads((ROOT / SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        for path in sorted((ROOT / "data" / kind).glob("[!_]*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
            assert errors == [], path.name


def test_schema_refuses_what_the_model_refuses():
    import jsonschema

    schema = json.loads((ROOT / SCHEMA_DIR / "devices.schema.json").read_text(encoding="utf-8"))
    bad = {"id": "x", "name": {"en": "X"}, "kind": "tokamak", "status": "operating", "colour": "blue",
           "first_plasma": {"date": "June 1983", "source": "s"}}
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("colour" in m for m in messages)
    assert any("June 1983" in m for m in messages)


def test_vscode_maps_every_kind_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {v: k for k, v in settings["yaml.schemas"].items()}
    for kind in KINDS:
        assert mapped[f"data/{kind}/*.yaml"] == f"./data/_schemas/{kind}.schema.json"
        assert (ROOT / mapped[f"data/{kind}/*.yaml"]).is_file()


@pytest.mark.build
def test_published_open_data_round_trips_to_the_same_model(fixture_site):
    atlas = load_atlas(FIXTURES / "good")
    for kind, model in KINDS.items():
        records = json.loads((fixture_site / "data" / f"{kind}.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == sorted(atlas.records[kind])
        for record in records:
            assert model.model_validate(record) == atlas.records[kind][record["id"]]
            one = json.loads((fixture_site / "data" / kind / f"{record['id']}.json").read_text(encoding="utf-8"))
            assert one == record
    csv_lines = (fixture_site / "data" / "devices.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("id,name.en,name.zh")
    assert len(csv_lines) == 1 + len(atlas.records["devices"])
    assert "CC BY 4.0" in (fixture_site / "data" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "How to cite" in (fixture_site / "data" / "README.md").read_text(encoding="utf-8")
    assert (fixture_site / "data" / "schemas" / "devices.schema.json").is_file()


@pytest.mark.build
def test_entity_pages_link_their_record_and_their_files_to_edit(fixture_site):
    html = (fixture_site / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/devices/jet.json"' in html
    assert "/edit/main/data/devices/jet.yaml" in html
    assert "/edit/main/prose/devices/jet.md" in html
    zh = (fixture_site / "zh" / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert "/edit/main/prose/devices/jet.zh.md" in zh


@pytest.mark.build
def test_former_ids_redirect_to_the_new_page(fixture_site):
    for prefix in ("", "zh/"):
        old = (fixture_site / prefix / "devices" / "jt60" / "index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh" content="0; url=../jt-60/"' in old


def test_former_id_must_not_be_a_current_id(tmp_path):
    import shutil

    from macros.core.atlas import check

    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data" / "devices" / "jt-60.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("former_ids: [jt60]", "former_ids: [jet]"), encoding="utf-8")
    assert [str(p) for p in check(tmp_path, style=False)] == [
        "data/devices/jt-60.yaml:4: jt-60: former_ids.0: 'jet' is the id of a current record (data/devices/jet.yaml); a former id must be free"
    ]


def test_contributing_examples_are_valid_records():
    """The complete examples in CONTRIBUTING.md pass the model (references aside)."""
    import re

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    kinds = {"source": "sources", "member": "members", "device": "devices", "event": "events"}
    seen = set()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        kind = kinds[re.match(r"# Fusion Atlas record: (\w+)", block).group(1)]
        KINDS[kind].model_validate(yaml.safe_load(block))
        seen.add(kind)
    assert seen == set(kinds.values())
