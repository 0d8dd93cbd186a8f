"""Files the build publishes besides the pages: open data and redirects.

* ``data/``: every record as JSON (one file per record and one per kind), one
  CSV per kind, the JSON Schemas, a licence and a note on how to cite.
* Redirect pages: each ``former_ids`` entry of a record gets a page at its
  old address in every language that sends the reader to the new one.

Plain generators of (relative path, text); the adapter writes them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
from collections.abc import Iterator
from pathlib import Path

from ..core.atlas import LANGS, PAGE_KINDS, Atlas
from .archive import data_date
from ..core.sanitise import safe_cell
from ..core.model import KINDS
from .schema import schema_texts
from ..render.urls import OPEN_DATA_DIR, page_path

LICENCE = """Fusion Atlas data is published under the Creative Commons Attribution 4.0
International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/

You may share and adapt it for any purpose, provided you credit "Fusion Atlas"
and keep the source citations attached to the facts you reuse.

The classification of the devices that cite `iaea-ffdb-2026` (configuration,
status, purpose, ownership, country and operator) is adapted and translated
from: INTERNATIONAL ATOMIC ENERGY AGENCY, Fusion Facility Database (2025),
https://nucleus.iaea.org/sites/fusion-portal/SitePages/FFDB.aspx, as captured
on 2 October 2026. The IAEA permits this use with acknowledgement; it does not
endorse Fusion Atlas or this data.
"""


def record_json(model) -> dict:
    return model.model_dump(mode="json", exclude_defaults=True)


def _flatten(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[prefix] = safe_cell("; ".join(str(v) for v in value))
        else:
            for i, item in enumerate(value):
                _flatten(item, f"{prefix}.{i}", out)
    else:
        out[prefix] = "" if value is None else safe_cell(value)


# A cell starting with one of these is read as a formula by spreadsheets (CSV
# injection, OWASP): such text is written with a leading apostrophe, which
# spreadsheets show as text. Numbers are written as they are (-1 is a number).

def kind_csv(records: list[dict]) -> str:
    """The records (as ``record_json`` gives them) flattened to one CSV table."""
    rows = []
    for rec in records:
        row: dict = {}
        _flatten(rec, "", row)
        rows.append(row)
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _readme(atlas: Atlas, version: str) -> str:
    kinds = ", ".join(f"{k} ({len(atlas.records[k])})" for k in KINDS)
    return f"""# Fusion Atlas open data

Version {version}; data as of {data_date(atlas)}.

Kinds: {kinds}.

- `<kind>.json`: every record of a kind, as a JSON list.
- `<kind>/<id>.json`: one record (the page of that record links here).
- `<kind>.csv`: the same records flattened to columns (nested fields are
  joined with dots, e.g. `parameters.major_radius.value`).
- `schemas/<kind>.schema.json`: the JSON Schema of each kind.

Every figure carries `source` (an id in `sources.json`) and `as_of`; every
date carries `source` and `status` (actual or planned).

## How to cite

Fusion Atlas (version {version}, data as of {data_date(atlas)}), dataset, and
the original source named in each record you use.

Licence: CC BY 4.0 (see LICENSE.txt).
"""




def _csv(header: tuple[str, ...], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def open_data_files(atlas: Atlas, version: str = "", site_url: str = "") -> Iterator[tuple[str, str]]:
    """(relative path, text) of every open data file, one at a time: at 100x the
    data they are about 250 MB, which a build need not hold all at once."""
    base = OPEN_DATA_DIR
    for kind in KINDS:
        records = [record_json(atlas.records[kind][rid]) for rid in sorted(atlas.records[kind])]
        yield f"{base}/{kind}.json", json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        yield f"{base}/{kind}.csv", kind_csv(records)
        for rec in records:
            yield f"{base}/{kind}/{rec['id']}.json", json.dumps(rec, ensure_ascii=False, indent=1) + "\n"
    for name, text in schema_texts().items():
        yield f"{base}/schemas/{name}", text
    from ..render import chartdata

    for chart in chartdata.every_chart(atlas):
        yield f"{chartdata.FOLDER}/{chart.name}.csv", chartdata.csv_text(chart)
        yield f"{chartdata.FOLDER}/{chart.name}.json", chartdata.json_text(atlas, chart)
    from ..render import datapage

    yield from datapage.cite_files(atlas, site_url)
    yield f"{base}/changes.csv", _csv(("change", "record", "field", "before", "after"), datapage.changes_rows(atlas))
    yield f"{base}/stale-facts.csv", _csv(("kind", "record", "field", "as_of", "source"), datapage.stale_rows(atlas))
    code_licence = (atlas.root or Path(".")) / "LICENSE"  # the repository's, published as it is
    if code_licence.is_file():
        yield f"{base}/LICENSE-code.txt", code_licence.read_text(encoding="utf-8")
    yield f"{base}/LICENSE.txt", LICENCE
    yield f"{base}/README.md", _readme(atlas, version)


REDIRECT = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={href}">
<link rel="canonical" href="{href}">
</head>
<body>
<p><a href="{href}">{title}</a></p>
</body>
</html>
"""


def redirect_files(atlas: Atlas, directory_urls: bool = True) -> Iterator[tuple[str, str]]:
    """(relative path, text) of a redirect page at every former id's address, in every language."""
    for kind in PAGE_KINDS:
        for rid, rec in atlas.records[kind].items():
            for old in rec.former_ids:
                for lang in LANGS:
                    src = page_path(kind, old, lang, directory_urls)
                    dst = page_path(kind, rid, lang, directory_urls)
                    href = posixpath.relpath(dst, posixpath.dirname(src))
                    if directory_urls and href.endswith("index.html"):
                        href = href[: -len("index.html")]
                    yield src, REDIRECT.format(lang=lang, title=html.escape(rec.name.get(lang)), href=html.escape(href))
