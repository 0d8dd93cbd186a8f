"""The Kiwix edition: the offline site as one bilingual ZIM file (libzim).

One ZIM holds both languages, not one per language: every page links to its
translation through the language menu, and a ZIM cannot link into another ZIM,
so two files would break the switch; the Chinese pages are a third of the size
of the whole, so a reader of one language loses little by carrying both.

Every file of the offline build is an entry at its relative path, so the pages'
relative links resolve inside the ZIM. HTML pages are articles (front
articles, in the title index); their full-text index holds the page's article
text only (not the menus every page repeats), which Kiwix searches in English
and, through its CJK n-grams, in Chinese.
"""

from __future__ import annotations

import html
import io
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .offline import SERVER_ONLY

NAME = "fusion-atlas_mul"  # Kiwix's name of the publication: project_language
TITLE = "Fusion Atlas"
DESCRIPTION = "ITER and the international fusion programme, in English and Chinese"
LONG_DESCRIPTION = (
    "Fusion Atlas is a bilingual (English and Chinese) reference on ITER and the international "
    "fusion programme: its members and former parties, the fusion devices of the world, the eras "
    "of fusion research and a dated chronology, every figure with its source and an as-of date. "
    "Text and data CC BY 4.0. 聚变图集：关于ITER与国际聚变计划的中英双语参考资料。"
)
_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
_ARTICLE_RE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
# Not indexed: code, drawings, and the citation box every page ends with (its title repeated in
# four formats would rank a Chinese page with a Latin name first for that name in English).
_DROP_RE = re.compile(r"<(script|style|svg|template)\b.*?</\1>|<details class=\"atlas-cite\".*?</details>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_REDIRECT_RE = re.compile(r'<meta http-equiv="refresh"', re.I)
_TYPES = {".js": "application/javascript", ".json": "application/json", ".svg": "image/svg+xml",
          ".woff2": "font/woff2", ".csv": "text/csv", ".xml": "application/xml", ".txt": "text/plain"}


@dataclass(frozen=True)
class Entry:
    path: str  # inside the ZIM, as in the site
    title: str
    mimetype: str
    front: bool  # an article: in the title index and search results
    text: str  # what the full-text index holds ("" for none)


def mimetype(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def page_title(page: str, suffixes: tuple[str, ...]) -> str:
    """The page's title without the site's name ("ITER - Fusion Atlas" -> "ITER")."""
    m = _TITLE_RE.search(page)
    title = html.unescape(m.group(1)).strip() if m else ""
    for suffix in suffixes:
        if title.endswith(f" - {suffix}") and title != suffix:
            return title[: -len(suffix) - 3]
    return title


def article_text(page: str) -> str:
    """The readable text of a page's article, for the full-text index."""
    m = _ARTICLE_RE.search(page)
    body = _DROP_RE.sub(" ", m.group(1) if m else "")
    return re.sub(r"\s+", " ", html.unescape(_TAG_RE.sub(" ", body))).strip()


def entries(site: Path, site_names: tuple[str, ...] = (TITLE, "聚变图集")) -> Iterator[tuple[Entry, bytes]]:
    """Every file of the offline site as a ZIM entry with its bytes, by path, one at a time
    (each file is read once; at scale the site does not fit in memory twice)."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel in SERVER_ONLY or rel.endswith(".gz"):
            continue
        kind, data = mimetype(rel), path.read_bytes()
        if kind != "text/html":
            yield Entry(rel, "", kind, False, ""), data
            continue
        page = data.decode("utf-8")
        title = page_title(page, site_names) or rel
        if _REDIRECT_RE.search(page):  # a renamed record's old address
            yield Entry(rel, title, kind, False, ""), data
        else:
            yield Entry(rel, title, kind, True, article_text(page)), data


def illustration() -> bytes:
    """The 48x48 PNG Kiwix shows in its library: a torus seen from above."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (48, 48), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((2, 2, 45, 45), fill=(21, 101, 192, 255))
    draw.ellipse((15, 15, 32, 32), fill=(0, 0, 0, 0))
    draw.ellipse((9, 9, 38, 38), outline=(255, 183, 77, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def write_zim(site: Path, out: Path, *, date: str, version: str) -> Path:
    """Write ``site`` (an offline build) as the ZIM ``out``; ``date`` is the data's date (YYYY-MM-DD)."""
    from libzim.writer import Creator, Hint, IndexData, Item, StringProvider

    class _Index(IndexData):
        def __init__(self, entry: Entry):
            super().__init__()
            self.entry = entry

        def has_indexdata(self):
            return bool(self.entry.text)

        def get_title(self):
            return self.entry.title

        def get_content(self):
            return self.entry.text

        def get_keywords(self):
            return ""

        def get_wordcount(self):
            return len(self.entry.text.split())

        def get_geoposition(self):
            return None

    class _Item(Item):
        def __init__(self, entry: Entry, data: bytes):
            super().__init__()
            self.entry, self.data = entry, data

        def get_path(self):
            return self.entry.path

        def get_title(self):
            return self.entry.title

        def get_mimetype(self):
            return self.entry.mimetype

        def get_contentprovider(self):
            return StringProvider(self.data)

        def get_indexdata(self):
            return _Index(self.entry) if self.entry.front else None

        def get_hints(self):
            return {Hint.FRONT_ARTICLE: self.entry.front, Hint.COMPRESS: not self.entry.mimetype.startswith(("image/png", "font/"))}

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    with Creator(str(out)).config_indexing(True, "eng") as creator:
        creator.set_mainpath("index.html")
        for entry, data in entries(site):
            creator.add_item(_Item(entry, data))
        creator.add_illustration(48, illustration())
        metadata = {
            "Title": TITLE,
            "Description": DESCRIPTION,
            "LongDescription": LONG_DESCRIPTION,
            "Language": "eng,zho",
            "Creator": "Fusion Atlas editors",
            "Publisher": "Fusion Atlas",
            "Date": date,
            "Name": NAME,
            "Flavour": "maxi",
            "Tags": "_category:other;fusion;energy;iter;physics;_ftindex:yes;_pictures:yes;_videos:no;_details:yes",
            "License": "CC BY 4.0 (text and data); MIT (code)",
            "Source": "Fusion Atlas " + version,
        }
        for key, value in metadata.items():
            creator.add_metadata(key, value)
    return out


def zim_name(date: str) -> str:
    """``fusion-atlas_mul_YYYY-MM.zim``, Kiwix's naming: project, language, month of the data."""
    return f"{NAME}_{date[:7]}.zim"
