"""Render the atlas into Markdown blocks and pages.

Plain functions of (atlas, ids, language) returning Markdown strings: no
MkDocs here, so every block is testable on its own. Every value from data
goes through ``text.md`` (escaping) and every figure through
``text.fact``/``text.dated``, and cites its source as a footnote.
"""

from __future__ import annotations

from collections import Counter

from ..core.atlas import PAGE_KINDS, Atlas, date_key, disagreements as facts_in_dispute, has_begun
from .labels import LABELS, label, value
from .prose import render as prose_html
from ..core.countries import COUNTRIES
from ..core.model import METRICS, PARAMETERS, Device, Era, Event, Member, Organisation, Site
from .text import attr, md, number, quantity
from . import charts
from . import text as T
from .page import Page, bullet_links, cell, data_table, fold, fold_html, infobox, links_inline, table


def _milestone(d, key: str, lang: str) -> str:
    """The label of a dated field: what its date marks, when the record says (``milestone``)."""
    return d.milestone.get(lang) if d is not None and d.milestone else label(key, lang)


def _with_milestone(p: Page, d) -> str:
    """A date in a table column, with what it marks when that is not the column's name."""
    if d is None:
        return ""
    out = p.dated(d, with_note=False)
    return out + f' <small class="note">{md(d.milestone.get(p.lang))}</small>' if d.milestone else out


def section(title_key: str, body: str, lang: str) -> str:
    return f"## {label(title_key, lang)}\n\n{body.rstrip()}\n\n" if body.strip() else ""


# --------------------------------------------------------------------------
# Infoboxes
# --------------------------------------------------------------------------


def best_records(dev: Device) -> list:
    """The headline record per metric: the largest actual value (planned if none)."""
    best = {}
    for r in dev.records:
        cur = best.get(r.metric)
        rank = (r.status == "actual", r.value)
        if cur is None or rank > (cur.status == "actual", cur.value):
            best[r.metric] = r
    return [best[m] for m in METRICS if m in best]


def record_text(p: Page, r) -> str:
    out = f"{md(value(r.metric, p.lang))}{T.colon(p.lang)}{md(quantity(r.value, r.unit, p.lang, r.approx))}"
    when = md(T.date(r.date, p.lang))
    if r.status == "planned":
        when = f"{md(label('planned', p.lang))}"
    return out + T.paren(when, p.lang) + p.cite(r.source, r.as_of)


def aspect_ratio(dev: Device) -> float | None:
    """Major over minor radius: derived, never typed."""
    major, minor = dev.parameters.major_radius, dev.parameters.minor_radius
    return major.value / minor.value if major and minor else None


def device_infobox(p: Page, dev: Device) -> str:
    classified = p.cite(dev.classification_source) if dev.classification_source else ""
    rows = [
        (label("configuration", p.lang), configuration_link(p.atlas, dev.kind, p.lang) + classified),
        (label("purpose", p.lang), md(value(dev.purpose, p.lang)) if dev.purpose else ""),
        (label("status", p.lang), md(value(dev.status, p.lang))),
        (label("country", p.lang), md(COUNTRIES[dev.country][p.lang]) if dev.country else ""),
        (label("ownership", p.lang), md(value(dev.ownership, p.lang)) if dev.ownership else ""),
        (label("host", p.lang), p.link(dev.host) if dev.host else ""),
        (label("site", p.lang), p.link(dev.site) if dev.site else ""),
        (label("operator", p.lang), p.link(dev.operator) if dev.operator else ""),
        (_milestone(dev.first_plasma, "first_plasma", p.lang), p.dated(dev.first_plasma, with_note=False) if dev.first_plasma else ""),
        (label("end_of_operation", p.lang), p.dated(dev.end_of_operation, with_note=False) if dev.end_of_operation else ""),
        (label("magnets", p.lang), md(value(dev.magnets, p.lang)) if dev.magnets else ""),
        (label("fuel", p.lang), md(label("list_sep", p.lang).join(value(f, p.lang) for f in dev.fuel))),
    ]
    for name in PARAMETERS:
        f = getattr(dev.parameters, name)
        rows.append((label(name, p.lang), p.fact(f) if f else ""))
        if name == "minor_radius" and (ratio := aspect_ratio(dev)) is not None:
            rows.append((label("aspect_ratio", p.lang), f"{md(number(round(ratio, 2), p.lang))} <small>({md(label('derived', p.lang))})</small>"))
    ids = dev.identifiers
    names = []
    if ids.iaea_ffdb:
        names.append(f"{md(label('iaea_ffdb', p.lang))}{T.colon(p.lang)}{md(ids.iaea_ffdb)}{classified}")
    if ids.wikidata:
        names.append(f"[{md(label('wikidata', p.lang))} {ids.wikidata}](https://www.wikidata.org/wiki/{ids.wikidata})")
    if ids.imas:
        names.append(f"{md(label('imas', p.lang))}{T.colon(p.lang)}`{ids.imas}`")
    rows.append((label("identifiers", p.lang), "<br>".join(names)))
    if dev.records:
        rows.append((label("headline_records", p.lang), "<br>".join(record_text(p, r) for r in best_records(dev))))
    return infobox(rows)


def member_infobox(p: Page, m: Member) -> str:
    a = p.atlas
    agency = ""
    if m.domestic_agency:
        org = a.get(m.domestic_agency)
        agency = p.link(m.domestic_agency)
        if org.city:
            agency += T.paren(md(org.city.get(p.lang)), p.lang)
    continued_by = a.those_with("members", "predecessor", m.id)
    rows = [
        (label("role", p.lang), md(value(m.role, p.lang))),
        (label("joined", p.lang), p.dated(m.joined) if m.joined else ""),
        (label("left", p.lang), p.dated(m.left) if m.left else ""),
        (label("share", p.lang), p.fact(m.share) if m.share else ""),
        (label("domestic_agency", p.lang), agency),
        (label("continues", p.lang), p.link(m.predecessor) if m.predecessor else ""),
        (label("continued_by", p.lang), links_inline(p, continued_by)),
        (label("components", p.lang), label("semicolon", p.lang).join(md(c.get(p.lang)) for c in m.components)),
    ]
    return infobox(rows)


def era_range(era: Era, lang: str) -> str:
    """"1988 – 2006", "2006 – ongoing", or, for an era that has not begun, "from 2034"."""
    if era.end:
        return f"{T.date(era.start, lang)} – {T.date(era.end, lang)}"
    if not has_begun(era.start):
        return label("from_date", lang).format(date=T.date(era.start, lang))
    return f"{T.date(era.start, lang)} – {label('ongoing', lang)}"


def era_infobox(p: Page, era: Era) -> str:
    rows = [
        (label("dates", p.lang), md(era_range(era, p.lang))),
        (label("events", p.lang), number(len(p.atlas.events_of.get(era.id, [])))),
    ]
    return infobox(rows)


def organisation_infobox(p: Page, org: Organisation) -> str:
    former = label("semicolon", p.lang).join(
        md(f.name.get(p.lang)) + T.paren(md(T.date(f.until, p.lang)), p.lang) for f in org.former_names
    )
    rows = [
        (label("kind", p.lang), md(value(org.kind, p.lang))),
        (label("city", p.lang), md(org.city.get(p.lang)) if org.city else ""),
        (label("member", p.lang), p.link(org.member) if org.member else ""),
        (label("site", p.lang), p.link(org.site) if org.site else ""),
        (label("founded", p.lang), p.dated(org.founded) if org.founded else ""),
        (label("former_names", p.lang), former),
    ]
    return infobox(rows)


def site_infobox(p: Page, site: Site) -> str:
    ns = "N" if site.latitude >= 0 else "S"
    ew = "E" if site.longitude >= 0 else "W"
    coords = f"{abs(site.latitude):.3f}° {ns}, {abs(site.longitude):.3f}° {ew}"
    rows = [
        (label("country", p.lang), md(site.country.get(p.lang))),
        (label("coordinates", p.lang), md(coords) + p.cite(site.source)),
    ]
    return infobox(rows)


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


def events_table(p: Page, events: list[Event], show_era: bool = False, exclude: str = "") -> str:
    """Events as a table; ``exclude`` is the page's own id (not linked to itself)."""
    rows = []
    for e in events:
        name = md(e.name.get(p.lang))
        if e.summary:
            name += " — " + fold(e.summary.get(p.lang), p.lang)
        others = [i for i in dict.fromkeys(e.involves) if i != exclude]
        cells = [p.dated(e.date, with_note=False), name, involved_links(p, others)]
        if show_era:
            era_id = p.atlas.era_of_event.get(e.id)
            cells.append(p.link(era_id) if era_id else "")
        rows.append(cells)
    headers = [label("date", p.lang), label("event", p.lang), label("involves", p.lang)]
    if show_era:
        headers.append(label("era", p.lang))
    return table(headers, rows)


def involved_links(p: Page, ids: list[str]) -> str:
    """The entities an event involves: a long list folds away on a phone, like a long note."""
    return fold_html(links_inline(p, ids), sum(T.width(p.name(i)) + 2 for i in ids), p.lang)


def records_table(p: Page, dev: Device) -> str:
    rows = []
    for r in sorted(dev.records, key=lambda r: (r.metric, date_key(r.date))):
        q = derived_q(r)
        q = md(number(q)) if q is not None else ""
        note = (" " + fold(r.note.get(p.lang), p.lang)) if r.note else ""
        rows.append(
            [
                md(value(r.metric, p.lang)),
                md(quantity(r.value, r.unit, p.lang, r.approx)) + p.cite(r.source, r.as_of) + note,
                md(T.date(r.date, p.lang)),
                md(label(r.status, p.lang)),
                q,
            ]
        )
    return table(
        [label("metric", p.lang), label("value", p.lang), label("date", p.lang), label("status", p.lang), label("q", p.lang)],
        rows,
    )



def cost_table(p: Page, dev: Device) -> str:
    """Cost estimates as stated over time (history: every estimate stays)."""
    rows = []
    for c in sorted(dev.cost_estimates, key=lambda c: (date_key(c.stated), c.value)):
        note = fold(c.note.get(p.lang), p.lang) if c.note else ""
        rows.append(
            [
                md(T.date(c.stated, p.lang)),
                md(quantity(c.value, c.unit, p.lang, c.approx)) + p.cite(c.source, c.as_of),
                md(value(f"scope-{c.scope}", p.lang)),
                note,
            ]
        )
    return table([label("stated", p.lang), label("estimate", p.lang), label("scope", p.lang), label("note", p.lang)], rows)


def schedule_table(p: Page, dev: Device) -> str:
    """Schedule baselines over time: the dates each one planned."""
    rows = []
    for b in sorted(dev.schedule_baselines, key=lambda b: date_key(b.stated)):
        cells = [md(b.name.get(p.lang)) + p.cite(b.source), md(T.date(b.stated, p.lang))]
        for d in (b.first_plasma, b.start_research_operation, b.first_dt):
            cells.append(md(T.date(d, p.lang)) if d else "")
        cells.append(fold(b.note.get(p.lang), p.lang) if b.note else "")
        rows.append(cells)
    return table(
        [
            label("baseline", p.lang), label("stated", p.lang), label("first_plasma", p.lang),
            label("start_research_operation", p.lang), label("first_dt", p.lang), label("note", p.lang),
        ],
        rows,
    )


def derived_q(record) -> float | None:
    if record.metric == "fusion_power" and record.heating_power:
        return round(record.value / record.heating_power, 2)
    return None


def related_lists(p: Page, groups: list[tuple[str, list[str]]]) -> str:
    out = []
    for key, ids in groups:
        ids = [i for i in dict.fromkeys(ids) if i]
        if ids:
            out.append(f"**{md(label(key, p.lang) + T.colon(p.lang).strip())}**{'' if p.lang == 'zh' else ' '}{links_inline(p, ids)}\n")
    return "\n".join(out)


def eras_of(p: Page, events: list[Event]) -> list[str]:
    return [p.atlas.era_of_event[e.id] for e in events if e.id in p.atlas.era_of_event]


def related_for(p: Page, kind: str, rec) -> list[tuple[str, list[str]]]:
    a = p.atlas
    events = a.events_of.get(rec.id, [])
    if kind == "devices":
        return [
            ("host", [rec.host] if rec.host else []),
            ("participants", rec.participants),
            ("predecessors", rec.predecessors),
            ("successors", a.successors.get(rec.id, [])),
            ("site", [rec.site] if rec.site else []),
            ("operator", [rec.operator] if rec.operator else []),
            ("eras", eras_of(p, events)),
        ]
    if kind == "members":
        agency = [rec.domestic_agency] if rec.domestic_agency else []
        return [
            ("devices", a.devices_of_member.get(rec.id, [])),
            ("domestic_agency", agency),
            ("organisations", [o for o in a.those_with("organisations", "member", rec.id) if o not in agency]),
            ("eras", eras_of(p, events)),
        ]
    if kind == "eras":
        involved = [i for e in events for i in e.involves if a.kind_of.get(i) != "eras"]
        return [
            ("devices", [i for i in involved if a.kind_of[i] == "devices"]),
            ("members", [i for i in involved if a.kind_of[i] == "members"]),
            ("organisations", [i for i in involved if a.kind_of[i] == "organisations"]),
        ]
    if kind == "organisations":
        return [
            ("people", a.those_with("people", "organisation", rec.id)),
            ("member", [rec.member] if rec.member else []),
            ("devices", a.those_with("devices", "operator", rec.id)),
            ("site", [rec.site] if rec.site else []),
            ("eras", eras_of(p, events)),
        ]
    if kind == "people":
        return [
            ("organisations", [pos.organisation for pos in rec.positions if pos.organisation]),
            ("eras", eras_of(p, events)),
        ]
    if kind == "sites":
        return [
            ("devices", a.devices_at_site.get(rec.id, [])),
            ("organisations", a.those_with("organisations", "site", rec.id)),
        ]
    return []


def person_infobox(p: Page, person) -> str:
    life = ""
    if person.born:
        life = T.date(person.born, p.lang) + " – " + (T.date(person.died, p.lang) if person.died else "")
    positions = "<br>".join(position_text(p, pos) for pos in person.positions)
    rows = [
        (label("nationality", p.lang), md(person.nationality.get(p.lang)) if person.nationality else ""),
        (label("life", p.lang), md(life.strip())),
        (label("positions", p.lang), positions),
    ]
    return infobox(rows)


def position_text(p: Page, pos) -> str:
    out = md(pos.role.get(p.lang))
    if pos.organisation:
        out += label("comma", p.lang) + p.link(pos.organisation)
    if pos.start or pos.end:
        start = T.date(pos.start, p.lang) if pos.start else ""
        end = T.date(pos.end, p.lang) if pos.end else ""
        out += T.paren(md(f"{start} – {end}" if pos.start else end), p.lang)
    return out + p.cite(pos.source)


def people_table(atlas: Atlas, lang: str = "en") -> str:
    p = Page(atlas, lang)
    people = sorted(atlas.all("people"), key=lambda x: x.name.get(lang).lower())
    rows = [
        [
            cell(p.link(x.id), p.name(x.id)),
            cell(md(x.nationality.get(lang)) if x.nationality else "", x.nationality.en if x.nationality else "",
                 x.nationality.en if x.nationality else ""),
            "<br>".join(position_text(p, pos) for pos in x.positions),
        ]
        for x in people
    ]
    columns = [(key, label(key, lang)) for key in ("name", "nationality", "positions")]
    return _with_notes(p, data_table("people", columns, rows, facets=("nationality",)))


INFOBOXES = {
    "people": person_infobox,
    "devices": device_infobox,
    "members": member_infobox,
    "eras": era_infobox,
    "organisations": organisation_infobox,
    "sites": site_infobox,
}


def page_links(links: dict[str, str], lang: str) -> str:
    """The closing line: this record as data, and where to edit it."""
    from .text import attr

    parts = []
    if links.get("record"):
        parts.append(f'<a href="{attr(links["record"])}">{md(label("record_json", lang))}</a>')
    if links.get("edit_data"):
        parts.append(f'<a href="{attr(links["edit_data"])}">{md(label("edit_data", lang))}</a>')
    if links.get("edit_prose"):
        parts.append(f'<a href="{attr(links["edit_prose"])}">{md(label("edit_prose", lang))}</a>')
    return ('<p class="page-links">' + " · ".join(parts) + "</p>\n") if parts else ""


def entity_page(atlas: Atlas, kind: str, rid: str, lang: str = "en", links: dict[str, str] | None = None,
                directory_urls: bool = True) -> str:
    """The whole Markdown body of one entity page.

    ``links`` (from the adapter) may hold ``record`` (relative link to the
    record's JSON), ``edit_data`` and ``edit_prose`` (URLs of the editor);
    ``directory_urls``: how the prose's links to pages are written.
    """
    if kind not in PAGE_KINDS or atlas.kind_of.get(rid) != kind:
        raise KeyError(f"no {kind} record with id {rid!r}")
    p = Page(atlas, lang)
    rec = atlas.get(rid)
    out = [f"# {md(rec.name.get(lang))}\n", INFOBOXES[kind](p, rec)]
    if rec.summary:
        out.append(md(rec.summary.get(lang)) + "".join(p.cite(s) for s in rec.sources) + "\n")
    prose = atlas.prose.get((kind, rid, lang))
    if prose:
        out.append(section("h_about", prose_html(prose, kind, rid, directory_urls, escape=md), lang))
    if kind == "devices" and rec.records:
        out.append(section("h_records", records_table(p, rec), lang))
    if kind == "devices" and rec.schedule_baselines:
        figure = charts.figure_block(charts.schedule_drift_svg(rec, lang), label("chart_schedule", lang).format(name=rec.name.get(lang)), "", lang, (f"schedule-{rid}",))
        out.append(section("h_schedule", figure + "\n" + schedule_table(p, rec), lang))
    if kind == "devices" and rec.cost_estimates:
        figure = charts.figure_block(charts.cost_estimates_svg(rec, lang), label("chart_costs", lang).format(name=rec.name.get(lang)), "", lang, (f"costs-{rid}",))
        out.append(section("h_costs", figure + "\n" + cost_table(p, rec), lang))
    events = atlas.events_of.get(rid, [])
    body = charts.timeline_strip(events, f"strip-{rid}", lang) + "\n" + events_table(p, events, exclude=rid) if events else md(label("no_events", lang))
    out.append(section("h_timeline", body, lang))
    out.append(section("h_related", related_lists(p, related_for(p, kind, rec)), lang))
    refs = atlas.referenced_by.get(rid, [])
    out.append(section("h_referenced_by", bullet_links(p, refs) if refs else md(label("not_referenced", lang)), lang))
    out.append(page_links(links or {}, lang))
    if p.notes:
        # Not indexed for search: every source is on the references page.
        out.append(f"## {label('h_sources', lang)} {{ data-search-exclude }}\n\n" + p.footnotes())
    return "\n".join(x for x in out if x)


# --------------------------------------------------------------------------
# Index pages
# --------------------------------------------------------------------------


def _with_notes(p: Page, body: str) -> str:
    return body + ("\n" + p.footnotes() if p.notes else "")


def members_table(atlas: Atlas, lang: str = "en") -> str:
    p = Page(atlas, lang)
    order = {"host": 0, "member": 1, "partner": 2, "former": 3}
    members = sorted(atlas.all("members"), key=lambda m: (order[m.role], m.name.get(lang).lower()))
    rows = []
    for m in members:
        agency = p.link(m.domestic_agency) if m.domestic_agency else ""
        rows.append(
            [
                cell(p.link(m.id), p.name(m.id)),
                cell(md(value(m.role, lang)), str(order[m.role]), m.role),
                cell(p.dated(m.joined, with_note=False, others=False) if m.joined else "", m.joined.date if m.joined else ""),
                cell(p.dated(m.left, with_note=False, others=False) if m.left else "", m.left.date if m.left else ""),
                cell(p.fact(m.share, others=False) if m.share else "", f"{m.share.value:g}" if m.share else ""),
                cell(agency, m.domestic_agency or ""),
            ]
        )
    current = sum(1 for m in members if m.role in ("host", "member"))
    head = md(label("current_members", lang).format(n=current)) + "\n\n"
    columns = [(key, label(key, lang)) for key in ("name", "role", "joined", "left", "share", "domestic_agency")]
    body = data_table("members", columns, rows, facets=("role",))
    return _with_notes(p, head + body)


# The configuration pages (docs/configurations/<kind>.md, hand-written prose, one per configuration a
# device has): in the order of the vocabulary, grouped as the index lists them.
CONFIGURATION_GROUPS = (
    ("config_group_toroidal", ("tokamak", "spherical-tokamak", "stellarator", "heliotron", "heliac",
                               "stellarator-tokamak-hybrid", "reversed-field-pinch", "spheromak",
                               "field-reversed-configuration", "levitated-dipole", "simple-magnetised-torus")),
    ("config_group_open", ("magnetic-mirror", "z-pinch", "theta-pinch", "pinch", "dense-plasma-focus",
                           "magnetised-target-fusion", "linear-plasma-device")),
    ("config_group_inertial", ("laser-direct-drive", "laser-indirect-drive", "laser", "other-inertial",
                               "inertial-electrostatic")),
    ("config_group_other", ("neutron-source", "accelerator-prototype", "space-propulsion", "design-study",
                            "power-plant-design")),
)


def configuration_link(atlas: Atlas, kind: str, lang: str) -> str:
    """A device's configuration, linked to its page (every configuration a device has has one)."""
    return f"[{md(value(kind, lang))}](/configurations/{kind}.md)"


def configurations_table(atlas: Atlas, lang: str = "en") -> str:
    """Every configuration the catalogue's devices have, by group, with how many devices and how
    many operate: counted, never typed."""
    devices = atlas.all("devices")
    by_kind = Counter(d.kind for d in devices)
    operating = Counter(d.kind for d in devices if d.status == "operating")
    out = []
    for group, kinds in CONFIGURATION_GROUPS:
        rows = [[configuration_link(atlas, k, lang), str(by_kind[k]), str(operating[k])] for k in kinds if by_kind[k]]
        if rows:
            out.append(f"## {md(label(group, lang))}\n\n"
                       + table([label("configuration", lang), label("devices_n", lang), label("operating_n", lang)], rows))
    return "\n\n".join(out) + "\n"


def configuration_devices(atlas: Atlas, lang: str = "en", page_id: str = "") -> str:
    """The devices of one configuration, on its page (docs/configurations/<kind>.md: the page's
    file name is the configuration): how many, then their table."""
    kind = page_id
    if kind not in {k for _, kinds in CONFIGURATION_GROUPS for k in kinds}:
        raise ValueError(f"configuration_devices() is for docs/configurations/<configuration>.md, not {kind!r}")
    n = sum(1 for d in atlas.all("devices") if d.kind == kind)
    return md(label("configuration_count", lang).format(n=n)) + "\n\n" + devices_table(atlas, lang, kind=kind)


def devices_table(atlas: Atlas, lang: str = "en", kind: str | None = None) -> str:
    """Every device (or those of one configuration, ``kind``), by first plasma."""
    p = Page(atlas, lang)
    devices = sorted(
        (d for d in atlas.all("devices") if kind is None or d.kind == kind),
        key=lambda d: (date_key(d.first_plasma.date) if d.first_plasma else (9999, 0, 0), d.id),
    )
    rows = []
    for d in devices:
        radius, volume = d.parameters.major_radius, d.parameters.plasma_volume
        rows.append(
            [
                cell(p.short_link(d.id), p.short(d.id)),
                cell(configuration_link(atlas, d.kind, lang), d.kind, d.kind),
                cell(md(value(d.status, lang)), d.status, d.status),
                cell(md(COUNTRIES[d.country][lang]) if d.country else "", d.country or "", d.country or ""),
                cell(p.short_link(d.operator) if d.operator else "", p.short(d.operator) if d.operator else ""),
                cell(_with_milestone(p, d.first_plasma), d.first_plasma.date if d.first_plasma else ""),
                cell(p.fact(radius, others=False) if radius else "", f"{radius.value:g}" if radius else ""),
                cell(p.fact(volume, others=False) if volume else "", f"{volume.value:g}" if volume else ""),
            ]
        )
    keys = ("name", "configuration", "status", "country", "operator", "first_plasma", "major_radius", "plasma_volume")
    facets = ("configuration", "status", "country")
    if kind is not None:  # one configuration: its column would say the same thing on every row
        rows = [row[:1] + row[2:] for row in rows]
        keys, facets = keys[:1] + keys[2:], facets[1:]
    body = data_table("devices", [(key, label(key, lang)) for key in keys], rows, facets=facets)
    return _with_notes(p, body)


def device_counts(atlas: Atlas, lang: str = "en") -> str:
    """How many devices there are by configuration, by status and by country: counted, never typed."""
    devices = atlas.all("devices")
    out = [md(label("device_counts", lang).format(n=len(devices), iaea=sum(1 for d in devices if d.identifiers.iaea_ffdb)))]
    groups = (
        ("configuration", Counter(d.kind for d in devices), lambda k: value(k, lang)),
        ("status", Counter(d.status for d in devices), lambda k: value(k, lang)),
        ("country", Counter(d.country for d in devices if d.country), lambda k: COUNTRIES[k][lang]),
    )
    for key, counts, name in groups:
        # A configuration leads to its page.
        shown = (lambda k: configuration_link(atlas, k, lang)) if key == "configuration" else (lambda k: md(name(k)))
        rows = [[shown(k), str(n)] for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], name(kv[0])))]
        out.append(f"## {md(label(key, lang))}\n\n" + table([label(key, lang), label("devices_n", lang)], rows))
    return "\n\n".join(out) + "\n"


def eras_table(atlas: Atlas, lang: str = "en") -> str:
    p = Page(atlas, lang)
    rows = [
        [
            cell(p.link(e.id), e.start),
            cell(md(era_range(e, lang)), e.start),
            cell(number(len(atlas.events_of.get(e.id, []))), str(len(atlas.events_of.get(e.id, [])))),
            md(e.summary.get(lang)) if e.summary else "",
        ]
        for e in atlas.eras()
    ]
    columns = [(key, label(key, lang)) for key in ("era", "dates", "events", "summary")]
    return data_table("eras", columns, rows)


def organisations_table(atlas: Atlas, lang: str = "en") -> str:
    p = Page(atlas, lang)
    orgs = sorted(atlas.all("organisations"), key=lambda o: o.name.get(lang).lower())
    rows = [
        [
            cell(p.link(o.id), p.name(o.id)),
            cell(md(value(o.kind, lang)), o.kind, o.kind),
            cell(md(o.city.get(lang)) if o.city else "", o.city.en if o.city else ""),
            cell(p.link(o.member) if o.member else "", o.member or "", o.member or ""),
        ]
        for o in orgs
    ]
    columns = [(key, label(key, lang)) for key in ("name", "kind", "city", "member")]
    return data_table("organisations", columns, rows, facets=("kind", "member"))


def sites_table(atlas: Atlas, lang: str = "en") -> str:
    p = Page(atlas, lang)
    sites = sorted(atlas.all("sites"), key=lambda s: s.name.get(lang).lower())
    rows = [
        [cell(p.link(s.id), p.name(s.id)), cell(md(s.country.get(lang)), s.country.en, s.country.en),
         cell(links_inline(p, atlas.devices_at_site.get(s.id, [])), str(len(atlas.devices_at_site.get(s.id, []))))]
        for s in sites
    ]
    columns = [(key, label(key, lang)) for key in ("site", "country", "devices")]
    return data_table("sites", columns, rows, facets=("country",))


def timeline(atlas: Atlas, lang: str = "en") -> str:
    """Every event in one table readers sort and filter: by era, by what it involves, planned or actual."""
    p = Page(atlas, lang)
    eras = {e.id: i for i, e in enumerate(atlas.eras())}
    rows = []
    for e in atlas.events():
        name = md(e.name.get(lang))
        if e.summary:
            name += " — " + fold(e.summary.get(lang), lang)
        involved = list(dict.fromkeys(e.involves))
        era_id = atlas.era_of_event.get(e.id)
        rows.append([
            cell(p.dated(e.date, with_note=False), e.date.date),
            cell(name, e.name.get(lang)),
            cell(md(label(e.date.status, lang)), e.date.status, e.date.status),
            cell(involved_links(p, involved), str(len(involved)), labels={i: p.name(i) for i in involved}),
            cell(p.link(era_id) if era_id else "", f"{eras[era_id]:03d}" if era_id else "", era_id or ""),
        ])
    columns = [(key, label(key, lang)) for key in ("date", "event", "status", "involves", "era")]
    body = data_table("events", columns, rows, facets=("status", "involves", "era"))
    return _with_notes(p, md(label("timeline_count", lang).format(n=number(len(rows), lang))) + "\n\n" + body)


CITED_SHOWN = 8  # pages a reference lists openly; more fold behind their count


def references(atlas: Atlas, lang: str = "en") -> str:
    """Every source in one table readers sort and filter, ordered by publisher, then title; its
    first cell holds the anchor (the source's id) that footnotes link to, and the last the pages
    citing it."""
    p = Page(atlas, lang)
    rows = []
    for s in sorted(atlas.all("sources"), key=lambda s: (s.publisher.lower(), s.title.lower())):
        citing = [c for c in atlas.cited_by.get(s.id, []) if atlas.kind_of[c] in PAGE_KINDS]
        events = [c for c in atlas.cited_by.get(s.id, []) if atlas.kind_of[c] == "events"]
        cited = links_inline(p, citing)
        if events:
            cited = (cited + label("list_sep", lang) if cited else "") + f"[{md(label('h_timeline', lang))}](/timeline.md)"
        if len(citing) > CITED_SHOWN:  # a source cited by a hundred pages folds its list away
            count = md(label("n_pages", lang).format(n=number(len(citing), lang)))
            cited = f'<details class="atlas-cited"><summary>{count}</summary>{cited}</details>'
        title = f'<span id="{attr(s.id)}"></span>[{md(s.title)}]({s.url})'
        rows.append([
            cell(title, s.title.lower()),
            cell(md(s.publisher), s.publisher.lower()),
            cell(md(value(f"source-{s.type}", lang)), s.type, s.type),
            cell(md(T.date(s.published, lang)) if s.published else "", s.published or ""),
            cell(md(T.date(s.accessed, lang)), s.accessed),
            cell(cited, str(len(citing) + len(events))),
        ])
    head = md(label("references_count", lang).format(n=number(len(rows), lang))) + "\n\n"
    columns = [(key, label(key, lang)) for key in ("source", "publisher", "source_type", "published", "accessed", "cited_by")]
    return head + data_table("references", columns, rows, facets=("source_type",))


def fact_name(path: tuple, fact, lang: str) -> str:
    """What a disputed fact is, in words: "Major radius", "Fusion energy (1997)", "First plasma"."""
    if path[0] == "records" and len(path) == 2:
        return value(fact.metric, lang) + T.paren(T.date(fact.date, lang), lang)
    name = next(str(x) for x in reversed(path) if isinstance(x, str))
    if getattr(fact, "milestone", None):
        return fact.milestone.get(lang)
    return label(name, lang) if name in LABELS else name.replace("_", " ")


def disagreements(atlas: Atlas, lang: str = "en") -> str:
    """Every fact that sources give differently: the value used, each other value, why they differ."""
    p = Page(atlas, lang)
    rows = []
    found = sorted(facts_in_dispute(atlas), key=lambda x: (atlas.kind_of[x[0]], atlas.get(x[0]).name.get(lang).lower(), x[1]))
    for rid, path, fact in found:
        kind = atlas.kind_of[rid]
        who = p.link(rid) if kind in PAGE_KINDS else md(atlas.get(rid).name.get(lang))
        used = p.fact(fact, others=False) if hasattr(fact, "value") else p.dated(fact, with_note=False, others=False)
        others, notes = [], []
        for o in fact.others:
            shown = T.quantity(o.value, o.unit, lang, o.approx) if hasattr(o, "value") else T.date(o.date, lang)
            others.append(md(shown) + p.cite(o.source, getattr(o, "as_of", None)))
            if o.note:
                notes.append(md(o.note.get(lang)))
        rows.append([who, md(fact_name(path, fact, lang)), used, "<br>".join(others), " ".join(notes)])
    if not rows:
        return md(label("no_disagreements", lang)) + "\n"
    headers = [label(k, lang) for k in ("record", "fact", "value_used", "other_values", "why_they_differ")]
    intro = md(label("disagreements_count", lang).format(n=len(rows))) + "\n\n"
    return _with_notes(p, intro + table(headers, rows))


def counts(atlas: Atlas, lang: str = "en") -> str:
    return md(
        label("counts", lang).format(
            members=len(atlas.records["members"]),
            devices=len(atlas.records["devices"]),
            eras=len(atlas.records["eras"]),
            events=len(atlas.records["events"]),
            sources=len(atlas.records["sources"]),
        )
    ) + "\n"
