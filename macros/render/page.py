"""What every rendered page shares: its language, the sources it cites (as
footnotes), and the generic Markdown building blocks (tables, infoboxes, links).

Charts and the Markdown pages both build on this; neither imports the other for it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..core.atlas import Atlas
from ..core.facts import stale_index
from ..core.model import DatedFact, Fact
from . import text as T
from .labels import label
from .text import dated, fact, link, md


# --------------------------------------------------------------------------
# Page context: language and the sources cited so far (as footnotes)
# --------------------------------------------------------------------------


@dataclass
class Page:
    atlas: Atlas
    lang: str = "en"
    notes: dict[str, str] = field(default_factory=dict)  # footnote key -> definition

    def name(self, rid: str) -> str:
        return self.atlas.get(rid).name.get(self.lang)

    def link(self, rid: str) -> str:
        return link(self.name(rid), self.atlas.kind_of[rid], rid)

    def short(self, rid: str) -> str:
        """The name a table shows: the abbreviation readers know where the name is long."""
        rec = self.atlas.get(rid)
        return T.short_name(rec.name.get(self.lang), [rec.name.en, *rec.aliases])  # (zh: "ITER", not an alias)

    def short_link(self, rid: str) -> str:
        """A link by the short name, the full name as its tooltip (index tables)."""
        return link(self.short(rid), self.atlas.kind_of[rid], rid, title=self.name(rid))

    def cite(self, source_id: str, as_of: str | None = None) -> str:
        """A footnote marker citing ``source_id`` (and the as-of date of the figure)."""
        key = f"{source_id}-{as_of}" if as_of else source_id
        if key not in self.notes:
            src = self.atlas.get(source_id)
            parts = [f"[{md(src.title)}](/references.md#{source_id})", md(src.publisher)]
            if src.published:
                parts.append(T.date(src.published, self.lang))
            text = label("comma", self.lang).join(parts) + label("full_stop", self.lang)
            if as_of:
                space = "" if self.lang == "zh" else " "
                text += f"{space}{label('as_of', self.lang).capitalize()}{space}{T.date(as_of, self.lang)}{label('full_stop', self.lang)}"
            self.notes[key] = f"[^{key}]: {text}"
        # A thin space keeps the marker from reading as an exponent (m³²).
        return f"\u2009[^{key}]"

    def _stale(self, f) -> str:
        """A flag on a fact that may be out of date (core/facts.py says which)."""
        when = stale_index(self.atlas).get(id(f))
        if when is None:
            return ""
        return f'<small class="atlas-stale">{T.paren(md(label("stale", self.lang).format(date=T.date(when, self.lang))), self.lang)}</small>'

    def fact(self, f: Fact, others: bool = True) -> str:
        """A sourced value with its footnote, and what other sources give (``others``)."""
        out = f"{md(fact(f, self.lang))}{self.cite(f.source, f.as_of)}"
        if others and f.others:
            out += self._others([md(T.quantity(o.value, o.unit, self.lang, o.approx)) + self.cite(o.source, o.as_of)
                                 for o in f.others])
        return out + self._stale(f)

    def dated(self, d: DatedFact, with_note: bool = True, others: bool = True) -> str:
        out = f'<span class="atlas-date">{md(dated(d, self.lang))}</span>' + self.cite(d.source)
        if others and d.others:
            out += self._others([md(T.date(o.date, self.lang)) + self.cite(o.source) for o in d.others])
        out += self._stale(d)
        if with_note and d.note:
            out += f' <small class="note">{md(d.note.get(self.lang))}</small>'
        return out

    def _others(self, items: list[str]) -> str:
        """"other sources give …", linked to the page that lists every disagreement."""
        what = f"[{label('other_sources', self.lang)}](/disagreements.md)"
        if self.lang == "zh":  # full-width brackets, no space
            return f'<small class="others">（{what}{label("list_sep", self.lang).join(items)}）</small>'
        return f' <small class="others">({what} {label("list_sep", self.lang).join(items)})</small>'

    def footnotes(self) -> str:
        if not self.notes:
            return ""
        return "\n".join(self.notes.values()) + "\n"


# --------------------------------------------------------------------------
# Generic building blocks
# --------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells must already be escaped."""
    if not rows:
        return ""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def cell(display: str, sort: str | None = None, value: str | None = None, labels: dict[str, str] | None = None) -> str:
    """A cell of an index table with what to sort it by (a date as YYYY-MM-DD, a number in its
    base unit, an id) and, in a facet column, the code to filter it by: the same in both
    languages, so a link that keeps a view works in either (assets/atlas-tables.js).
    ``labels``: a many-valued facet's codes and their names (the entities an event involves)."""
    if labels is not None:
        import json

        value = " ".join(labels)
        labels_json = json.dumps(labels, ensure_ascii=False, sort_keys=True)
    attrs = "".join(f' data-{name}="{_attr(v)}"' for name, v in (("sort", sort), ("value", value),
                                                               ("labels", labels_json if labels is not None else None))
                    if v is not None)
    return f'<span class="sort-key"{attrs}></span>{display or "—"}' if attrs else display


def _attr(text: str) -> str:
    return html.escape(text, quote=True).replace("|", "&#124;")


def data_table(name: str, columns: list[tuple[str, str]], rows: list[list[str]], facets: tuple[str, ...] = ()) -> str:
    """An index table readers can sort, filter and download: ``columns`` are (key, header) pairs;
    the keys name the columns in the address of a view (``?t.devices.sort=first_plasma``)."""
    if not rows:
        return ""
    keys = ",".join(key for key, _ in columns)
    wrapper = f'<div class="atlas-table" data-table="{_attr(name)}" data-columns="{_attr(keys)}" data-facets="{_attr(",".join(facets))}" markdown>'
    return f"{wrapper}\n\n{table([header for _, header in columns], rows)}\n</div>\n"


FOLD_AFTER = 60  # display width (a CJK character counts two): a longer note folds away on a phone


def fold(text: str, lang: str) -> str:
    """A note of a table cell (plain text, escaped here). A long one becomes a disclosure, open by
    default (without JavaScript, and on a wide screen); assets/atlas-tables.js closes it on a
    phone, so rows stay short."""
    return fold_html(md(text), T.width(text), lang)


def fold_html(html_text: str, width: int, lang: str) -> str:
    """``fold`` for markup already rendered (a list of links), ``width`` its display width."""
    if width <= FOLD_AFTER:
        return html_text
    return (f'<details class="atlas-fold" open><summary>{md(label("more", lang))}</summary>'
            f'{html_text}</details>')


def infobox(rows: list[tuple[str, str]]) -> str:
    body = [(md(k), v) for k, v in rows if v]
    # Not indexed: a search snippet should read as the lead's sentences, not as table cells
    # run together; the page's names are its keywords (publish/search.py).
    lines = ['<div class="infobox" data-search-exclude markdown>', "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in body]
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def bullet_links(p: Page, ids: list[str]) -> str:
    return "".join(f"- {p.link(i)}\n" for i in ids)


def links_inline(p: Page, ids: list[str]) -> str:
    sep = "、" if p.lang == "zh" else ", "
    return sep.join(p.link(i) for i in ids)
