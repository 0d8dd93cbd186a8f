"""The data behind each chart, for readers to take: one CSV of the values and one JSON of its
metadata (title, units, sources, as-of date) per chart, published under ``data/charts/``.

Each chart's figure links its two files (``links``); ``macros.publish.opendata`` writes them.
The rows hold every value of the kind the chart draws (a chart that names only the largest
devices still has every device in its CSV), each with its source.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from ..core.atlas import Atlas, date_key
from ..core.model import UNITS
from .labels import label

FOLDER = "data/charts"


@dataclass(frozen=True)
class ChartData:
    name: str  # file stem: "device-sizes", "schedule-iter"
    title: dict[str, str]  # {"en": ..., "zh": ...}
    columns: tuple[str, ...]
    units: dict[str, str]  # column -> unit
    rows: list[dict] = field(default_factory=list)

    def sources(self) -> list[str]:
        return sorted({v for r in self.rows for k, v in r.items() if (k == "source" or k.endswith("_source")) and v})

    def as_of(self) -> str:
        dates = [r.get("as_of") or "" for r in self.rows if r.get("as_of")]
        return max(dates, key=date_key) if dates else ""


def links(name: str, lang: str) -> str:
    """The figure's links to its CSV and JSON (``@root/`` links, see render/urls.py)."""
    from .text import attr, md
    from .urls import root

    return (f'<p class="atlas-chart-data"><a href="{attr(root(f"{FOLDER}/{name}.csv"))}" download>{md(label("chart_csv", lang))}</a>'
            f' · <a href="{attr(root(f"{FOLDER}/{name}.json"))}">{md(label("chart_json", lang))}</a></p>\n')


def _both(key: str, **fmt) -> dict[str, str]:
    return {lang: label(key, lang).format(**fmt) for lang in ("en", "zh")}


def _names(rec) -> dict:
    return {"name_en": rec.name.en, "name_zh": rec.name.zh or rec.name.en}


def _fact(prefix: str, f) -> dict:
    return {prefix: f.value, f"{prefix}_unit": f.unit, f"{prefix}_as_of": f.as_of, f"{prefix}_source": f.source} if f else {}


def programme_timeline(atlas: Atlas) -> ChartData:
    rows = [{"id": e.id, **_names(e), "date": e.date.date, "status": e.date.status, "era": atlas.era_of_event.get(e.id, ""),
             "source": e.date.source} for e in atlas.events()]
    return ChartData("programme-timeline", _both("chart_timeline"), ("id", "name_en", "name_zh", "date", "status", "era", "source"),
                     {}, rows)


def member_shares(atlas: Atlas) -> ChartData:
    members = sorted((m for m in atlas.all("members") if m.share), key=lambda m: (-m.share.value, m.id))
    rows = [{"id": m.id, **_names(m), "share": m.share.value, "as_of": m.share.as_of, "source": m.share.source} for m in members]
    return ChartData("member-shares", _both("chart_shares"), ("id", "name_en", "name_zh", "share", "as_of", "source"),
                     {"share": "percent"}, rows)


PARAMETERS = ("major_radius", "minor_radius", "elongation", "triangularity", "plasma_volume")


def device_parameters(atlas: Atlas) -> ChartData:
    """The sizes and cross-sections charts draw from these (major radius, volume, radii, elongation)."""
    columns = ["id", "name_en", "name_zh", "kind", "status"]
    for p in PARAMETERS:
        columns += [p, f"{p}_unit", f"{p}_as_of", f"{p}_source"]
    rows = []
    for d in sorted(atlas.all("devices"), key=lambda d: d.id):
        facts = {p: getattr(d.parameters, p) for p in PARAMETERS}
        if not any(facts.values()):
            continue
        row = {"id": d.id, **_names(d), "kind": d.kind, "status": d.status}
        for p, f in facts.items():
            row.update(_fact(p, f))
        row["as_of"] = max((f.as_of for f in facts.values() if f), key=date_key)
        rows.append(row)
    return ChartData("device-parameters", _both("chart_size"), tuple(columns), {}, rows)


PERFORMANCE = (("fusion_energy", "MJ"), ("pulse_length", "s"))  # the metrics the performance chart compares


def device_performance(atlas: Atlas) -> ChartData:
    rows = []
    for d in sorted(atlas.all("devices"), key=lambda d: d.id):
        for metric, _unit in PERFORMANCE:
            for r in d.records:
                if r.metric == metric and r.status == "actual":
                    rows.append({"id": d.id, **_names(d), "metric": metric, "value": r.value, "unit": r.unit,
                                 "date": r.date, "as_of": r.as_of, "source": r.source})
    return ChartData("device-performance", _both("chart_performance"),
                     ("id", "name_en", "name_zh", "metric", "value", "unit", "date", "as_of", "source"), {}, rows)


def sites_map(atlas: Atlas) -> ChartData:
    rows = [{"id": s.id, **_names(s), "country": s.country.en, "latitude": s.latitude, "longitude": s.longitude,
             "source": s.source} for s in sorted(atlas.all("sites"), key=lambda s: s.id)]
    return ChartData("sites-map", _both("chart_map"), ("id", "name_en", "name_zh", "country", "latitude", "longitude", "source"),
                     {"latitude": "degree", "longitude": "degree"}, rows)


def devices_by_country(atlas: Atlas) -> ChartData:
    """What the map of devices by country draws: the counts, and where each disc stands."""
    from .geo import countries_shown

    *en, _ = countries_shown(atlas, "en")
    zh = {code: name for code, _, _, name, _, _ in countries_shown(atlas, "zh")[:-1]}
    rows = [{"country": code, "name_en": name, "name_zh": zh[code], "devices": n, "operating": op,
             "longitude": lon, "latitude": lat} for code, lon, lat, name, n, op in en]
    return ChartData("devices-by-country", _both("chart_countries"),
                     ("country", "name_en", "name_zh", "devices", "operating", "longitude", "latitude"),
                     {"longitude": "degree", "latitude": "degree"}, rows)


SCHEDULE_FIELDS = ("first_plasma", "start_research_operation", "first_dt")


def schedule(dev) -> ChartData:
    rows = [{"stated": b.stated, "name_en": b.name.en, "name_zh": b.name.zh or b.name.en,
             **{f: getattr(b, f) or "" for f in SCHEDULE_FIELDS}, "as_of": b.stated, "source": b.source}
            for b in sorted(dev.schedule_baselines, key=lambda b: date_key(b.stated))]
    title = {lang: label("chart_schedule", lang).format(name=dev.name.get(lang)) for lang in ("en", "zh")}
    return ChartData(f"schedule-{dev.id}", title, ("stated", "name_en", "name_zh", *SCHEDULE_FIELDS, "source"), {}, rows)


def costs(dev) -> ChartData:
    rows = [{"stated": c.stated, "value": c.value, "unit": c.unit, "scope": c.scope, "as_of": c.as_of, "source": c.source}
            for c in sorted(dev.cost_estimates, key=lambda c: (date_key(c.stated), c.value))]
    title = {lang: label("chart_costs", lang).format(name=dev.name.get(lang)) for lang in ("en", "zh")}
    return ChartData(f"costs-{dev.id}", title, ("stated", "value", "unit", "scope", "as_of", "source"), {}, rows)


def every_chart(atlas: Atlas):
    """Every chart's data: those of the whole atlas, then those of each device with a history."""
    yield from (programme_timeline(atlas), member_shares(atlas), device_parameters(atlas), device_performance(atlas),
                sites_map(atlas), devices_by_country(atlas))
    for d in sorted(atlas.all("devices"), key=lambda d: d.id):
        if d.schedule_baselines:
            yield schedule(d)
        if d.cost_estimates:
            yield costs(d)


def csv_text(chart: ChartData) -> str:
    from ..core.sanitise import safe_cell

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(chart.columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in chart.rows)
    return buffer.getvalue()


def json_text(atlas: Atlas, chart: ChartData) -> str:
    sources = [{"id": s, "title": atlas.get(s).title, "publisher": atlas.get(s).publisher, "url": atlas.get(s).url}
               for s in chart.sources()]
    units = {c: {"code": u, "en": UNITS[u]["en"], "zh": UNITS[u]["zh"]} if u in UNITS else {"code": u}
             for c, u in chart.units.items()}
    meta = {
        "chart": chart.name,
        "title": chart.title,
        "csv": f"{chart.name}.csv",
        "columns": list(chart.columns),
        "units": units,
        "rows": len(chart.rows),
        "as_of": chart.as_of(),
        "data_date": atlas.data_date,
        "version": atlas.version,
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); cite Fusion Atlas and the sources listed",
        "sources": sources,
    }
    return json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
