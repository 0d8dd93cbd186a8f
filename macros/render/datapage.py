"""The blocks of the Data page (docs/data/index.md): every download, how to cite the atlas,
what changed since the last release, and the facts to renew. Generated, never typed.

Links to the published files are ``@root/`` links (render/urls.py): the files are written
by ``macros.publish.opendata`` next to the page, under ``data/``.
"""

from __future__ import annotations

from ..core import facts
from ..core.atlas import KIND_ORDER, PAGE_KINDS, Atlas
from . import chartdata
from . import text as T
from .cite import Citable, bibtex, csl_json, plain, ris
from .labels import label, value
from .markdown import _with_notes, fact_name
from .page import Page, cell, data_table
from .text import attr, md
from .urls import OPEN_DATA_DIR, root

CHANGES_SHOWN = 300  # rows of the changes table on the page; the CSV has them all
CITE_FILES = (("bib", "BibTeX", bibtex), ("ris", "RIS", ris), ("json", "CSL-JSON", csl_json))


def _a(path: str, text: str, download: bool = False) -> str:
    return f'<a href="{attr(root(path))}"{" download" if download else ""}>{md(text)}</a>'


def atlas_citable(atlas: Atlas, lang: str, site_url: str = "") -> Citable:
    name = {"en": "Fusion Atlas: a sourced reference on ITER and the international fusion programme",
            "zh": "聚变图集：关于ITER与国际聚变计划的有来源的参考资料"}[lang]
    url = (site_url or "").rstrip("/") + "/" + ("" if lang == "en" else "zh/")
    return Citable(title=name, url=url, lang=lang, version=atlas.version, data_date=atlas.data_date,
                   key="fusion-atlas" + ("" if lang == "en" else "-zh"), dataset=True)


def cite_files(atlas: Atlas, site_url: str = ""):
    """(path, text) of the whole atlas's citation in each format and language."""
    for lang in ("en", "zh"):
        c = atlas_citable(atlas, lang, site_url)
        for ext, _name, fn in CITE_FILES:
            yield f"{OPEN_DATA_DIR}/cite/fusion-atlas{'' if lang == 'en' else '.zh'}.{ext}", fn(c)


def downloads(atlas: Atlas, lang: str = "en") -> str:
    """Every file a reader can take, as one sortable, filterable table."""
    rows = []

    def row(path: str, what: str, fmt: str, n: int | None = None):
        rows.append([cell(_a(path, path.rsplit("/", 1)[-1], download=fmt == "CSV"), path), cell(md(what), what),
                     cell(md(fmt), fmt, fmt), cell(T.number(n, lang) if n is not None else "", str(n) if n is not None else "")])

    for kind in KIND_ORDER:
        n, kind_name = len(atlas.records[kind]), value(f"kind-{kind}", lang)
        row(f"{OPEN_DATA_DIR}/{kind}.csv", label("dl_kind_csv", lang).format(kind=kind_name), "CSV", n)
        row(f"{OPEN_DATA_DIR}/{kind}.json", label("dl_kind_json", lang).format(kind=kind_name), "JSON", n)
        row(f"{OPEN_DATA_DIR}/schemas/{kind}.schema.json", label("dl_schema", lang).format(kind=kind_name), "JSON Schema")
    for chart in chartdata.every_chart(atlas):
        row(f"{chartdata.FOLDER}/{chart.name}.csv", label("dl_chart_csv", lang).format(title=chart.title[lang]), "CSV", len(chart.rows))
        row(f"{chartdata.FOLDER}/{chart.name}.json", label("dl_chart_json", lang).format(title=chart.title[lang]), "JSON")
    for lang_of, lang_name in (("en", "English"), ("zh", "中文")):
        for ext, fmt, _fn in CITE_FILES:
            row(f"{OPEN_DATA_DIR}/cite/fusion-atlas{'' if lang_of == 'en' else '.zh'}.{ext}",
                label("dl_cite", lang).format(lang=lang_name), fmt)
    row(f"{OPEN_DATA_DIR}/changes.csv", label("dl_changes", lang), "CSV")
    row(f"{OPEN_DATA_DIR}/stale-facts.csv", label("dl_stale", lang), "CSV")
    row(f"{OPEN_DATA_DIR}/README.md", label("dl_readme", lang), "Markdown")
    row(f"{OPEN_DATA_DIR}/LICENSE.txt", label("dl_licence_data", lang), "Text")
    if atlas.root and (atlas.root / "LICENSE").is_file():  # published as it is (publish/opendata.py)
        row(f"{OPEN_DATA_DIR}/LICENSE-code.txt", label("dl_licence_code", lang), "Text")
    columns = [(key, label(key, lang)) for key in ("file", "contents", "format", "rows")]
    return data_table("downloads", columns, rows, facets=("format",))


def cite_atlas(atlas: Atlas, lang: str = "en", site_url: str = "") -> str:
    """How to cite the whole atlas: the sentence, then each format to copy or download."""
    c = atlas_citable(atlas, lang, site_url)
    out = [md(plain(c)) + "\n"]
    suffix = "" if lang == "en" else ".zh"
    for ext, name, fn in CITE_FILES:
        path = f"{OPEN_DATA_DIR}/cite/fusion-atlas{suffix}.{ext}"
        out.append(f'<p class="atlas-cite__format">{md(name)} · {_a(path, label("download", lang), download=True)}</p>'
                   f'<pre class="atlas-cite__{name.lower()}"><code>{md(fn(c))}</code></pre>\n')
    return "\n".join(out)


_CHANGES: dict = {}  # the atlas last asked about -> its changes (both languages' pages and the CSV ask)


def _changes(atlas: Atlas) -> facts.Changes | None:
    if _CHANGES.get("atlas") is not atlas:
        since = facts.last_release(atlas.root, atlas.version) if atlas.root else None
        records = {f"{atlas.kind_of[rid]}/{rid}" for rid in atlas.kind_of}
        found = facts.changes(since, facts.atlas_fact_table(atlas), records) if since else None
        _CHANGES.clear()
        _CHANGES.update(atlas=atlas, found=found)
    return _CHANGES["found"]


def _record_link(p: Page, key: str) -> str:
    kind, rid = key.split(":", 1)[0].split("/", 1)
    if rid in p.atlas.kind_of and kind in PAGE_KINDS:
        return p.link(rid)
    if rid in p.atlas.kind_of:
        return md(p.atlas.get(rid).name.get(p.lang))
    return md(rid)


def changes_rows(atlas: Atlas) -> list[tuple[str, str, str, str, str]]:
    """(change, record, field, before, after) of every changed fact, for the CSV."""
    ch = _changes(atlas)
    if ch is None:
        return []
    out = [("added-record", r, "", "", "") for r in ch.added_records]
    out += [("removed-record", r, "", "", "") for r in ch.removed_records]
    out += [("added", k.split(":", 1)[0], k.split(":", 1)[1], "", v) for k, v in ch.added]
    out += [("changed", k.split(":", 1)[0], k.split(":", 1)[1], old, new) for k, old, new in ch.changed]
    out += [("removed", k.split(":", 1)[0], k.split(":", 1)[1], old, "") for k, old in ch.removed]
    return out


def data_changes(atlas: Atlas, lang: str = "en") -> str:
    """What changed in the data since the last release: counted, then listed fact by fact."""
    ch = _changes(atlas)
    if ch is None:
        return md(label("no_release", lang)) + "\n"
    p = Page(atlas, lang)
    by_kind: dict[str, int] = {}
    for r in ch.added_records:
        by_kind[r.split("/")[0]] = by_kind.get(r.split("/")[0], 0) + 1
    added = label("list_sep", lang).join(f"{T.number(n, lang)} {value(f'kind-{k}', lang)}" for k, n in sorted(by_kind.items()))
    head = md(label("changes_summary", lang).format(
        version=ch.since.version, date=T.date(ch.since.data_date, lang), records=T.number(len(ch.added_records), lang),
        facts=T.number(ch.facts_of_added_records, lang), added=T.number(len(ch.added), lang),
        changed=T.number(len(ch.changed), lang), removed=T.number(len(ch.removed), lang),
        gone=T.number(len(ch.removed_records), lang))) + (T.paren(md(added), lang) if added else "") + "\n\n"
    rows = []
    for kind_of_change, items in (("changed", [(k, old, new) for k, old, new in ch.changed]),
                                  ("added", [(k, "", new) for k, new in ch.added]),
                                  ("removed", [(k, old, "") for k, old in ch.removed])):
        for key, old, new in items:
            record, field = key.split(":", 1)
            rows.append([cell(_record_link(p, key), record), cell(md(field), field),
                         cell(md(label(f"change_{kind_of_change}", lang)), kind_of_change, kind_of_change),
                         md(old), md(new)])
    more = ""
    if len(rows) > CHANGES_SHOWN:
        more = md(label("changes_more", lang).format(n=T.number(len(rows) - CHANGES_SHOWN, lang))) + " "
        rows = rows[:CHANGES_SHOWN]
    columns = [(key, label(key, lang)) for key in ("record", "fact", "change", "before", "after")]
    csv_link = _a(f"{OPEN_DATA_DIR}/changes.csv", label("dl_changes", lang), download=True)
    return head + data_table("changes", columns, rows, facets=("change",)) + f"\n{more}{csv_link}\n"


def stale_rows(atlas: Atlas) -> list[tuple[str, str, str, str, str]]:
    """(kind, record, field, as of, source) of every stale fact, for the CSV."""
    return [(atlas.kind_of[s.rid], s.rid, ".".join(map(str, s.path)), s.as_of, s.fact.source) for s in facts.stale(atlas)]


def stale_facts(atlas: Atlas, lang: str = "en") -> str:
    """The facts about running or planned things whose as-of date is older than the threshold."""
    p = Page(atlas, lang)
    found = facts.stale(atlas)
    head = md(label("stale_summary", lang).format(
        n=T.number(len(found), lang), months=facts.STALE_AFTER_MONTHS, before=T.date(facts.stale_before(atlas), lang))) + "\n\n"
    if not found:
        return head
    rows = []
    for s in found:
        field = fact_name(s.path, s.fact, lang) if s.path else label("date", lang)
        rows.append([cell(p.link(s.rid) if atlas.kind_of[s.rid] in PAGE_KINDS else md(atlas.get(s.rid).name.get(lang)), atlas.get(s.rid).name.get(lang)),
                     cell(md(value(f"kind-{atlas.kind_of[s.rid]}", lang)), atlas.kind_of[s.rid], atlas.kind_of[s.rid]),
                     cell(md(field), field), cell(md(T.date(s.as_of, lang)), s.as_of),
                     p.cite(s.fact.source)])
    columns = [(key, label(key, lang)) for key in ("record", "kind", "fact", "as_of_col", "source")]
    return _with_notes(p, head + data_table("stale", columns, rows, facets=("kind",)))
