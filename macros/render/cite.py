"""Citations readers can paste: BibTeX, RIS and CSL-JSON for one page or for the whole atlas.

Plain functions of a ``Citable`` (what is cited, where, which release and data date);
``cite_block`` is the "Cite this page" box every page ends with (macros/site/hooks.py adds it).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from .labels import label
from . import text as T

AUTHOR = {"en": "Fusion Atlas contributors", "zh": "聚变图集贡献者"}
PUBLISHER = {"en": "Fusion Atlas", "zh": "聚变图集"}


@dataclass(frozen=True)
class Citable:
    title: str  # the page's title ("JET"), or the atlas's name for the whole atlas
    url: str  # absolute URL
    lang: str  # "en" or "zh"
    version: str  # release version, e.g. "0.2.0"
    data_date: str  # YYYY-MM-DD: the date of the data
    key: str  # a stable citation key: "fusion-atlas" or "fusion-atlas-devices-jet"
    dataset: bool = False  # the whole atlas (a dataset) rather than one page


def _date_parts(date: str) -> list[int]:
    return [int(x) for x in date.split("-") if x]


_BIB_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(text: str) -> str:
    """A BibTeX field value: specials escaped, inside braces that keep its capitals."""
    escaped = _BIB_SPECIAL.sub(lambda m: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(m.group(1), "\\" + m.group(1)), text)
    return "{" + escaped + "}"


def bibtex(c: Citable) -> str:
    fields = [
        ("title", "{" + _bib(c.title) + "}"),  # double braces: styles keep "ITER" and "JT-60SA" as written
        ("author", "{{" + AUTHOR[c.lang] + "}}"),  # a body, not a person: no "contributors, F. A."
        ("publisher" if c.dataset else "organization", _bib(PUBLISHER[c.lang])),
        ("year", "{" + c.data_date[:4] + "}"),
        ("version", _bib(c.version)),
        ("url", "{" + c.url + "}"),
        ("note", _bib(f"{'Dataset' if c.dataset else PUBLISHER['en']}, version {c.version}, data as of {c.data_date}")),
        ("language", "{" + ("chinese" if c.lang == "zh" else "english") + "}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"  # one line per field: no newline may end it early


def ris(c: Citable) -> str:
    y, m, d = (_date_parts(c.data_date) + [0, 0])[:3]
    lines = [
        _ris_line("TY", "DATA" if c.dataset else "ELEC"),
        _ris_line("TI", c.title),
        _ris_line("AU", AUTHOR[c.lang]),
        _ris_line("PB", PUBLISHER[c.lang]),
        _ris_line("PY", str(y)),
        _ris_line("DA", f"{y:04d}/{m:02d}/{d:02d}" if d else f"{y:04d}"),
        _ris_line("ET", c.version),
        _ris_line("UR", c.url),
        _ris_line("LA", c.lang),
        _ris_line("N1", f"Version {c.version}, data as of {c.data_date}"),
        "ER  - ",
    ]
    return "\n".join(lines) + "\n"


def csl(c: Citable) -> dict:
    return {
        "id": c.key,
        "type": "dataset" if c.dataset else "webpage",
        "title": c.title,
        "author": [{"literal": AUTHOR[c.lang]}],
        "publisher": PUBLISHER[c.lang],
        "container-title": None if c.dataset else PUBLISHER[c.lang],
        "version": c.version,
        "issued": {"date-parts": [_date_parts(c.data_date)]},
        "URL": c.url,
        "language": "zh-Hans" if c.lang == "zh" else "en",
        "note": f"Version {c.version}, data as of {c.data_date}",
    }


def csl_json(c: Citable) -> str:
    item = {k: v for k, v in csl(c).items() if v is not None}
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def plain(c: Citable) -> str:
    """The citation as a sentence, in the page's language."""
    if c.lang == "zh":
        return f"{AUTHOR['zh']}：《{c.title}》，{PUBLISHER['zh']}，版本{c.version}，数据截至{T.date(c.data_date, 'zh')}。{c.url}"
    return f"{AUTHOR['en']}. “{c.title}”. {PUBLISHER['en']}, version {c.version}, data as of {T.date(c.data_date, 'en')}. {c.url}"


def cite_block(c: Citable, newest: str | None = None) -> str:
    """The "Cite this page" box (HTML): the sentence, then BibTeX, RIS and CSL-JSON to copy.

    ``newest``: the as-of date of the page's newest fact, stated above the box."""
    esc = html.escape
    out = []
    if newest:
        out.append(f'<p class="atlas-freshness">{esc(label("newest_fact", c.lang).format(date=T.date(newest, c.lang)))}</p>')
    # On paper: where the page came from and the date of its data (shown only in print).
    out.append(f'<p class="atlas-print-only">{esc(plain(c))}</p>')
    out.append(f'<details class="atlas-cite" data-search-exclude><summary>{esc(label("cite_page", c.lang))}</summary>')
    out.append(f'<p class="atlas-cite__plain">{esc(plain(c))}</p>')
    for name, text in (("BibTeX", bibtex(c)), ("RIS", ris(c)), ("CSL-JSON", csl_json(c))):
        out.append(f'<p class="atlas-cite__format">{name}</p><pre class="atlas-cite__{name.lower()}"><code>{esc(text)}</code></pre>')
    out.append("</details>")
    return "\n".join(out) + "\n"
