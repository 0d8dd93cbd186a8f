"""Facts corrected against their sources (issue: content); each assertion names what was wrong."""

from conftest import ROOT
from macros.core.atlas import load_atlas

ATLAS = load_atlas(ROOT)


def test_iter_2034_is_the_start_of_research_operation_and_dd_is_2035():
    fp = ATLAS.get("iter").first_plasma
    assert fp.date == "2034" and fp.milestone.en == "Start of Research Operation"
    assert "deuterium-deuterium fusion operation follows in 2035" in fp.note.en and "2035年开始氘氘" in fp.note.zh


def test_toroidal_field_coils_europe_ten_japan_eight_plus_the_spare():
    eu = [c.en for c in ATLAS.get("eu").components]
    japan = [c.en for c in ATLAS.get("japan").components]
    assert "Ten of the 19 toroidal field coils" in eu  # not "(nine plus the spare)"
    assert "Nine of the 19 toroidal field coils (eight plus the spare)" in japan


def test_canada_joined_in_1988_and_is_a_partner_since_2020():
    canada = ATLAS.get("canada")
    assert (canada.role, canada.joined.date, canada.left.date) == ("partner", "1988-10-03", "2003-12-23")
    events = {e.id: e.date.date for e in ATLAS.events_of["canada"]}
    assert events["2018-canada-iter-mou"] == "2018-04-17"
    assert events["2020-canada-iter-cooperation-agreement"] == "2020-10-15"


def test_the_us_was_out_from_december_1998_to_january_2003():
    assert "from December 1998 to January 2003" in ATLAS.get("usa").joined.note.en
    assert {e.id: e.date.date for e in ATLAS.events_of["usa"]}["2003-us-announces-return-to-iter"] == "2003-01-30"


def test_smaller_corrections():
    record = next(r for r in ATLAS.get("jet").records if r.metric == "fusion_energy" and r.value == 59)
    assert record.date == "2021-12-21"
    assert ATLAS.get("nstx-u").status == "repair"
    assert ATLAS.get("east").first_plasma.date == ATLAS.get("2006-east-first-plasma").date.date == "2006-09"
    assert "adopted" not in ATLAS.get("iter-construction").summary.en


def test_an_era_that_has_not_begun_reads_from_its_start(monkeypatch):
    """Not "2034 – ongoing" / "至今" for an era in the future."""
    from macros.render.markdown import era_range

    era = ATLAS.get("iter-operation-and-demo")
    monkeypatch.setenv("FUSION_ATLAS_TODAY", "2026-12-05")
    assert (era_range(era, "en"), era_range(era, "zh")) == ("from 2034", "2034年起")
    monkeypatch.setenv("FUSION_ATLAS_TODAY", "2035-01-01")
    assert (era_range(era, "en"), era_range(era, "zh")) == ("2034 – ongoing", "2034年 – 至今")


def test_the_chronology_covers_2024_to_2026():
    """What happened since the 2024 baseline, each event dated and sourced (issue #15)."""
    expected = {
        "2024-vacuum-vessel-assembly-resumes": "iter", "2024-velikhov-dies": "evgeny-velikhov",
        "2025-macron-modi-visit": "iter", "2025-central-solenoid-modules-completed": "iter",
        "2025-w7x-long-pulse-record": "ipp", "2026-east-beyond-greenwald-limit": "east",
        "2025-china-fusion-energy-co-founded": "china", "2025-step-funding-2-5bn": "ukaea",
        "2025-ifmif-dones-first-stone": "ifmif-dones", "2025-japan-joins-dones": "ifmif-dones",
        "2026-ifmif-dones-construction-contract": "ifmif-dones", "2025-doe-fusion-roadmap": "usa",
        "2025-japan-fusion-strategy-revised": "japan", "2026-switzerland-rejoins-iter": "switzerland",
        "2022-vacuum-vessel-thermal-shield-defects": "iter",
    }
    for eid, entity in expected.items():
        event = ATLAS.get(eid)
        assert event.date.status == "actual" and event.date.source, eid
        assert entity in event.involves, (eid, event.involves)
    recent = [e for e in ATLAS.events() if e.date.date[:4] in ("2025", "2026") and e.date.status == "actual"]
    assert len(recent) >= 20
    assert ATLAS.get("evgeny-velikhov").died == "2024-12-05"


def test_the_us_exit_is_dated_december_1998_and_the_1999_account_is_kept():
    event = ATLAS.get("1998-us-leaves-iter")
    assert event.date.date == "1998-12" and "1999-us-leaves-iter" in event.former_ids
    assert "1999" in {o.date for o in event.date.others}  # Physics World's date, shown beside it
    assert "December 1998" in ATLAS.get("usa").summary.en and "1999" not in ATLAS.get("usa").summary.en


def test_iters_headline_figures_rest_on_the_iter_organization():
    params = ATLAS.get("iter").parameters
    assert (params.plasma_temperature.value, params.plasma_temperature.unit) == (150_000_000, "degC")
    assert (params.magnetic_energy.value, params.magnetic_energy.unit) == (51, "GJ")
    for fact in (params.plasma_temperature, params.magnetic_energy):
        assert ATLAS.get(fact.source).publisher == "ITER Organization"
    assert "1.5亿" in params.plasma_temperature.note.zh
    # The other figures readers look for: the field on the coils (not the 5.3 T at the plasma) and the mass.
    assert (params.peak_field.value, params.peak_field.unit) == (11.8, "T") and "5.3" in params.peak_field.note.en
    assert (params.mass.value, params.mass.unit) == (23000, "t") and ATLAS.get(params.mass.source).publisher == "US ITER"


def test_the_ifmif_dones_funding_split_and_its_disagreement_are_kept():
    costs = ATLAS.get("ifmif-dones").cost_estimates
    assert sorted(c.value for c in costs) == [0.7, 0.8]
    assert all("55%" in c.note.en or "50%" in c.note.en for c in costs)  # Spain's share, as each source gives it


def test_one_chinese_term_per_concept():
    """The glossary in data/rules/ holds the issue's concepts, and no Chinese text uses a refused variant."""
    from macros.core.rules import load_rules

    rules, problems = load_rules(ROOT / "data", ROOT)
    assert problems == []
    preferred = {t.concept: t.preferred for t in rules.terms}
    assert preferred["Fusion for Energy"] == "欧洲聚变能源组织"
    assert preferred["China National Nuclear Corporation (CNNC)"] == "中国核工业集团有限公司"
    for concept in ("ITER Organization", "baseline", "sector (vacuum vessel sector)", "first plasma", "CFETR",
                    "Fusion Power Associates"):
        assert concept in preferred
    assert "曾是" in (ROOT / "prose/members/eu.zh.md").read_text(encoding="utf-8")  # JET in the past tense
