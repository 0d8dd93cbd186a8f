"""Escaping and formatting of values that come from data.

Everything from data/ reaches a page through ``md()`` (Markdown inline
context: table cells, link text, headings, paragraphs) or ``attr()`` (an HTML
attribute). Both make the text inert: HTML is escaped, Markdown and Jinja
punctuation become character references, so a ``<script>``, a ``|`` or a
``{{ ... }}`` in YAML shows on the page exactly as typed.
"""

from __future__ import annotations

import html
import re

from .labels import MONTHS, label

# Characters with a meaning in Markdown inline syntax, tables, attribute
# lists or Jinja. Each becomes a numeric character reference, which Markdown
# passes through and the browser shows as the character itself.
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>&|~^$!"}
_MD_TABLE = str.maketrans(_MD_SPECIAL)
# Characters that start a block (heading, list, quote) when first on a line.
_BLOCK_START = re.compile(r"^([#+\-=>]|\d+(?=[.)](?:\s|$)))")
_WS = re.compile(r"\s+")


def md(value: object) -> str:
    """Escape ``value`` for inline Markdown (and HTML) output."""
    text = _WS.sub(" ", str(value)).strip()
    text = text.translate(_MD_TABLE)
    m = _BLOCK_START.match(text)
    if m:  # keep text that begins a line from turning into a heading or list
        first = m.group(0)
        text = "".join(f"&#{ord(c)};" for c in first) + text[len(first):]
    return text


def attr(value: object) -> str:
    """Escape ``value`` for an HTML attribute value in double quotes."""
    return html.escape(_WS.sub(" ", str(value)).strip(), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def link(text: str, kind: str, rid: str, anchor: str = "", title: str = "") -> str:
    """A Markdown link to an entity page; ``text`` (and the tooltip ``title``) escaped here."""
    frag = f"#{anchor}" if anchor else ""
    tip = f' "{html.escape(title, quote=True)}"' if title and title != text else ""
    # A short name never breaks across lines (attr_list; generated Markdown only).
    keep = "{: .atlas-name }" if title and width(text) <= SHORT else ""
    return f"[{md(text)}](/{kind}/{rid}.md{frag}{tip}){keep}"


SHORT = 14  # characters: a longer name is shown by its first alias at most this long, if any


def width(text: str) -> int:
    """Display width: a CJK character is two Latin ones wide."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def short_name(name: str, aliases) -> str:
    """The name readers use in a table or a chart: the name if short, else its first short alias
    ("Experimental Advanced Superconducting Tokamak" -> "EAST"); the full name stays a tooltip."""
    if width(name) <= SHORT:
        return name
    short = [a for a in aliases if width(a) <= SHORT]
    return short[0] if short else name


# --------------------------------------------------------------------------
# Numbers, quantities and dates
# --------------------------------------------------------------------------


def _short(value: float) -> str | None:
    """``value`` with at most three significant digits, or None if it has more."""
    if float(f"{value:.3g}") != value:
        return None
    return f"{value:f}".rstrip("0").rstrip(".")


# (unit, from which size to use it, word): English counts large numbers in millions and
# billions; Chinese in 亿 (10^8) and 万 (10^4), the latter from a million (1500万, not 2万).
_LARGE = {False: ((1e9, 1e9, " billion"), (1e6, 1e6, " million")),
          True: ((1e8, 1e8, "亿"), (1e4, 1e6, "万"))}


def number(value: float, lang: str = "en") -> str:
    """A number as each language writes it: large round numbers in words (150 million;
    1.5亿, 1500万), others with thousands separators in English."""
    for size, start, word in _LARGE[lang == "zh"]:
        if abs(value) >= start and (short := _short(value / size)):
            return short + word
    if float(value).is_integer() and abs(value) < 1e15:
        n = int(value)
        return f"{n:,}" if abs(n) >= 10000 else str(n)
    text = f"{value:.6g}"
    if "e" in text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    return text


def date(value: str, lang: str = "en") -> str:
    """Format a partial date: "1983" | "June 1983" | "25 June 1983" (zh: 1983年6月25日)."""
    parts = value.split("-")
    year = parts[0]
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if lang == "zh":
        out = f"{year}年"
        if month:
            out += f"{month}月"
        if day:
            out += f"{day}日"
        return out
    if month and day:
        return f"{day} {MONTHS['en'][month - 1]} {year}"
    if month:
        return f"{MONTHS['en'][month - 1]} {year}"
    return year


def paren(text: str, lang: str = "en") -> str:
    """`` (text)`` in English, ``（text）`` in Chinese (full-width, no space)."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def colon(lang: str = "en") -> str:
    return label("colon", lang)


def dated(fact, lang: str = "en") -> str:
    """A dated fact for display, marking planned dates."""
    text = date(fact.date, lang)
    if fact.status == "planned":
        text += paren(label("planned", lang), lang)
    return text


_ZH_MONEY = {"EUR-billion": "欧元", "USD-billion": "美元"}
_ZH_MILLIONS = {"MK": "开尔文"}  # "million K": Chinese counts in 万 and 亿 (1亿开尔文, not 100百万开尔文)


def quantity(value: float, unit: str, lang: str = "en", approx: bool = False) -> str:
    from ..core.model import UNITS

    symbol = UNITS[unit][lang]
    prefix = label("approx", lang) if approx else ""
    if lang == "zh" and unit in _ZH_MONEY:  # Chinese counts money in 亿 (10^8): 100亿欧元, not 10十亿欧元
        return f"{prefix}{number(value * 1e9, lang)}{_ZH_MONEY[unit]}"
    if lang == "zh" and unit in _ZH_MILLIONS:
        return f"{prefix}{number(value * 1e6, lang)}{_ZH_MILLIONS[unit]}"
    num = number(value, lang)
    if not symbol:
        return f"{prefix}{num}"
    if unit == "percent":
        return f"{prefix}{num}%"
    sep = "" if lang == "zh" else " "
    return f"{prefix}{num}{sep}{symbol}"


def fact(f, lang: str = "en") -> str:
    return quantity(f.value, f.unit, lang, f.approx)
