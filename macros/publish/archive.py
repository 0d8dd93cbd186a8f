"""The offline archive: a zip of the site built for file://, with a README.

Its pages are the offline build's, without the theme's indentation (``lean_html``):
each entry is compressed on its own, so what every page repeats costs once a page.

Deterministic: entries are sorted and carry one fixed timestamp, so the
same site gives the same zip. Written to a temporary name and moved into
place, so a failure never leaves a half-written archive.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from ..core.atlas import Atlas
from .offline import SERVER_ONLY, lean_html, unused_from_a_file

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def data_date(atlas: Atlas) -> str:
    """The date of the data: the latest day a source was read."""
    return atlas.data_date


def readme(atlas: Atlas, version: str) -> str:
    counts = {k: len(atlas.records[k]) for k in ("members", "devices", "eras", "events", "sources")}
    return f"""Fusion Atlas {version}, offline archive
{"=" * (len(version) + 30)}

A bilingual (English and Chinese) reference on ITER and the international
fusion programme: {counts['members']} members and parties, {counts['devices']} devices, {counts['eras']} eras,
{counts['events']} dated events, every figure sourced ({counts['sources']} sources).

Data as of {data_date(atlas)} (the latest date a source was consulted).

How to open it
--------------
1. Unzip the archive anywhere (any folder name works, with spaces or
   Chinese characters too).
2. Open the file index.html in a web browser (double-click it, or drag it
   into a browser window). The Chinese edition starts at zh/index.html; the
   language button at the top of each page switches between the two.

Everything the pages need is inside this folder: no network connection is
used, and search works offline in both languages.

Licence: text and data CC BY 4.0; see the References page for the sources.
"""


def make_zip(site: Path, out: Path, top: str, extra: dict[str, str]) -> Path:
    """Zip ``site`` under the folder ``top``, adding ``extra`` files (name -> text)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    files = sorted(p for p in site.rglob("*") if p.is_file())
    left_out = SERVER_ONLY | unused_from_a_file(site)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in sorted(extra.items()):
            info = zipfile.ZipInfo(f"{top}/{name}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
        for path in files:
            rel = path.relative_to(site).as_posix()
            if rel in extra or rel in left_out:
                continue
            info = zipfile.ZipInfo(f"{top}/{rel}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            if rel.endswith(".html"):  # the theme's indentation, which the zip would carry page after page
                data = lean_html(data.decode("utf-8")).encode("utf-8")
            zf.writestr(info, data)
    os.replace(tmp, out)
    return out
