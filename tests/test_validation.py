"""The validator: a deliberately broken data set and its complete list of messages."""

import subprocess
import sys

from conftest import FIXTURES, ROOT
from macros.core.atlas import check, load_atlas

BROKEN = FIXTURES / "broken"

EXPECTED = [
    "data/devices/dates.yaml:6: dates: host: unknown member id 'atlantis'; it must be the id of a file in data/members/",
    "data/devices/dates.yaml:7: dates: predecessors.0: 'good' is a member, but this field takes a device id",
    "data/devices/dates.yaml:8: dates: first_plasma.date: '2023-02-30' is not a real calendar date",
    "data/devices/dates.yaml:9: dates: end_of_operation.date: 'June 1983' is not a date; write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
    "data/devices/dates.yaml:9: dates: end_of_operation.source: unknown source id 'nowhere'; it must be the id of a file in data/sources/",
    "data/devices/dates.yaml:11: dates: parameters.major_radius.unit: must be one of: m, m3, T, MA, kA, MW, GW, MJ, s, keV, degC, MK, percent, ratio, count, EUR-billion, USD-billion, kIUA, MeV, mA, A, kJ, GJ or t",
    "data/devices/good.yaml:2: good: id: id 'good' is already used by data/members/good.yaml; ids must be unique across all kinds",
    "data/events/no-date.yaml:2: no-date: date: required field is missing",
    "data/events/no-date.yaml:4: no-date: involves: must list at least 1 item(s)",
    "data/members/bomb.yaml:3: bomb: b.0: anchors and aliases (&name, *name) are not allowed in data files",
    "data/members/dup.yaml:5: dup: role: duplicate key 'role' (first at line 4); each key may appear once",
    "data/members/empty.yaml:1: empty: the file is empty; it must hold one record (a mapping of fields)",
    "data/members/fields.yaml:3: fields: name: needs a Chinese name (zh): use the established Chinese name",
    "data/members/fields.yaml:4: fields: role: must be one of: host, member, partner or former",
    "data/members/fields.yaml:5: fields: colour: unknown field; valid fields here are: id, name, aliases, former_ids, summary, sources, role, joined, left, share, domestic_agency, predecessor, components",
    "data/members/fields.yaml:6: fields: share.value: must be a number, not 'lots'",
    "data/members/renamed.yaml:2: renamed: id: id 'other-name' differs from the file name; the id must equal the file name ('renamed')",
    "data/members/syntax.yaml:4: syntax: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)",
    "data/members/tagged.yaml:3: tagged: name: the YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; write plain values (quote text that looks special)",
    "data/sites/notes.yml:1: notes: data files must end in .yaml, not .yml",
    "data/sources/bad-url.yaml:5: bad-url: url: must be a web address starting with http:// or https://, with no spaces",
    "data/sources/bad-url.yaml:6: bad-url: accessed: '2026-11' must be a full date, \"YYYY-MM-DD\"",
    "data/sources/unused.yaml:1: unused: this source is not cited by any record; cite it or remove the file",
]


def test_broken_data_set_reports_every_problem_at_once():
    assert [str(p) for p in check(BROKEN)] == EXPECTED


def test_check_command_prints_all_problems_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "macros.cli", "check", "--root", str(BROKEN)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"{len(EXPECTED)} problems in the data:", *(f"  {e}" for e in EXPECTED)]


def test_check_command_emits_github_annotations_under_actions():
    result = subprocess.run(
        [sys.executable, "-m", "macros.cli", "check", "--root", str(BROKEN)],
        capture_output=True, text=True, cwd=ROOT, env={"GITHUB_ACTIONS": "true", "PATH": ""},
    )
    assert "::error file=data/members/dup.yaml,line=5,title=dup: role::duplicate key 'role'" in result.stdout


def test_good_fixture_is_valid_and_indexed():
    atlas = load_atlas(FIXTURES / "good")
    assert atlas.successors == {"jet": ["iter"], "jt-60": ["iter"]}
    assert atlas.referenced_by["jet"] == ["iter"]
    # Prose links count as references too.
    assert "jet" in atlas.referenced_by["culham"]
    assert atlas.era_of_event == {"1983-jet-first-plasma": "early", "2034-iter-sro": "iter-age"}
    assert atlas.devices_of_member["eu"] == ["iter", "jet"]
    assert atlas.cited_by["src-b"] == ["iter", "japan", "jet"]


def test_prose_for_unknown_record_and_dead_link_are_refused(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    (tmp_path / "prose" / "devices" / "ghost.md").write_text("Nothing.\n", encoding="utf-8")
    (tmp_path / "prose" / "devices" / "jet.md").write_text("See [X](../devices/nothing.md).\n", encoding="utf-8")
    assert [str(p) for p in check(tmp_path)] == [
        "prose/devices/ghost.md:1: ghost: prose file for an unknown record; it must be prose/<kind>/<id>.md for a record in data/<kind>/<id>.yaml",
        "prose/devices/jet.md:1: jet: link '../devices/nothing.md' points to no page",
    ]


def test_real_data_is_valid():
    assert check(ROOT) == []


def test_overlapping_eras_are_refused(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data" / "eras" / "iter-age.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('start: "1985"', 'start: "1980"'), encoding="utf-8")
    assert [str(p) for p in check(tmp_path, style=False)] == [
        "data/eras/iter-age.yaml:4: iter-age: start: the era starts (1980) before era 'early' ends (1985); eras must not overlap",
    ]


def test_synthetic_data_is_valid_and_scaled(tmp_path):
    from bench.synth import generate
    from conftest import make_project

    project = make_project(tmp_path / "p")
    counts = generate(ROOT, project, 2)
    assert check(project, style=False) == []
    real = {kind: len(list((ROOT / "data" / kind).glob("[!_]*.yaml"))) for kind in counts}
    assert counts["eras"] == real["eras"]  # eras divide history: they do not multiply
    assert all(counts[k] == 2 * real[k] for k in counts if k != "eras")
    atlas = load_atlas(project)
    # Copies point to their own copies, and to the one set of eras.
    assert atlas.get("jet-x1").host == "eu-x1"
    assert set(atlas.era_of_event.values()) <= set(atlas.records["eras"])


def test_an_unreadable_file_is_one_problem_not_one_per_reference(tmp_path):
    """JET is referred to by dozens of records and cites sources no one else cites:
    a duplicate key in its file is reported once, by the loader, and the records
    that refer to it, the prose that links to it and the sources it cites are not
    reported as well."""
    from conftest import make_project

    project = make_project(tmp_path / "p")
    jet = project / "data" / "devices" / "jet.yaml"
    lines = jet.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("kind:"))
    jet.write_text("".join([*lines[: at + 1], lines[at], *lines[at + 1 :]]), encoding="utf-8")
    assert [str(p) for p in check(project)] == [
        f"data/devices/jet.yaml:{at + 2}: jet: kind: duplicate key 'kind' (first at line {at + 1}); each key may appear once"
    ]
