"""The kinds of record: one registry that everything else derives from.

A kind is a folder of ``data/`` (``data/devices/``), the URL segment of its
pages (``/devices/jet/``) and a model in ``model.py``. Adding a kind is adding a
line here and a model there; ``tests/test_kinds.py`` checks that the site's
configuration (``mkdocs.yml``'s ``not_in_nav``, ``.gitignore``) agrees.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the folder under data/ and the URL segment
    singular: str  # for messages ("unknown device id")
    page: bool  # each record has a page of its own (events are rows of the timeline, sources entries of References)
    bilingual: bool  # its names and summaries exist in English and Chinese


REGISTRY: tuple[Kind, ...] = (
    Kind("members", "member", page=True, bilingual=True),
    Kind("devices", "device", page=True, bilingual=True),
    Kind("eras", "era", page=True, bilingual=True),
    Kind("events", "event", page=False, bilingual=True),
    Kind("organisations", "organisation", page=True, bilingual=True),
    Kind("sites", "site", page=True, bilingual=True),
    Kind("people", "person", page=True, bilingual=True),
    Kind("sources", "source", page=False, bilingual=False),
)

ORDER: tuple[str, ...] = tuple(k.name for k in REGISTRY)  # the order kinds are loaded and reported in
PAGE_KINDS: tuple[str, ...] = tuple(k.name for k in REGISTRY if k.page)
BILINGUAL_KINDS: tuple[str, ...] = tuple(k.name for k in REGISTRY if k.bilingual)
SINGULAR: dict[str, str] = {k.name: k.singular for k in REGISTRY}
