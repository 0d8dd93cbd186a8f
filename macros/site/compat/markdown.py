"""Python-Markdown internals used by the site's Markdown.

- ``extensions.footnotes.FootnoteInlineProcessor.handleMatch``: it numbers a
  footnote reference by the position of its definition, found by copying the
  page's definitions into a list and searching it, once for each reference. The
  largest pages cite thousands of sources (the Devices index, the Timeline), so
  that search grows with the square of the data: at 100x, 11 of the Timeline's
  50 s of rendering. ``FootnoteNumbers`` keeps each definition's number in a
  table instead, and otherwise does what ``handleMatch`` does, line for line.

Without it (``available()`` False) the footnotes are numbered by Python-Markdown
itself: the same page, only slower on the largest ones.
"""

from __future__ import annotations

from ...core.compat import gate

TESTED = {"markdown": ("3.11.3",)}


def available() -> bool:
    return gate("markdown", TESTED["markdown"])


def extensions() -> list:
    """The Markdown extensions to add after the configured ones (none when the gate is closed)."""
    return [FootnoteNumbers()] if available() else []


def _footnote_numbers_class():
    """The inline processor, built on first use (Python-Markdown is imported only then)."""
    import xml.etree.ElementTree as etree

    from markdown.extensions.footnotes import FootnoteInlineProcessor

    class Numbered(FootnoteInlineProcessor):
        """``FootnoteInlineProcessor`` with each definition's number looked up in a table."""

        def __init__(self, pattern, footnotes):
            super().__init__(pattern, footnotes)
            self._numbers: dict[str, int] = {}
            self._of = (None, 0)  # the definitions (a dict, new for each document) and their count, numbered

        def number(self, key: str) -> int:
            definitions = self.footnotes.footnotes
            if self._of[0] is not definitions or self._of[1] != len(definitions):
                self._numbers = {k: i for i, k in enumerate(definitions, start=1)}
                self._of = (definitions, len(definitions))
            return self._numbers[key]

        def handleMatch(self, m, data):
            footnotes = self.footnotes
            if not footnotes.getConfig("USE_DEFINITION_ORDER"):  # (numbered by the references' order)
                return super().handleMatch(m, data)
            key = m.group(1)
            if key not in footnotes.footnotes:
                return None, None, None
            footnotes.addFootnoteRef(key)
            sup = etree.Element("sup")
            a = etree.SubElement(sup, "a")
            sup.set("id", footnotes.makeFootnoteRefId(key, found=True))
            a.set("href", "#" + footnotes.makeFootnoteId(key))
            a.set("class", "footnote-ref")
            a.text = footnotes.getConfig("SUPERSCRIPT_TEXT").format(self.number(key))
            return sup, m.start(0), m.end(0)

    return Numbered


def FootnoteNumbers():  # noqa: N802 - an Extension, named as one
    """A Markdown extension that replaces the footnotes extension's inline processor with
    ``Numbered`` (the same pattern, name and priority); nothing if footnotes are not enabled."""
    from markdown.extensions import Extension
    from markdown.extensions.footnotes import FootnoteExtension

    numbered = _footnote_numbers_class()

    class _Extension(Extension):
        def __repr__(self):  # the same in every build: the pre-rendering cache is keyed by the extensions' list
            return f"FootnoteNumbers(markdown {TESTED['markdown'][0]})"

        def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
            footnotes = next((e for e in md.registeredExtensions if isinstance(e, FootnoteExtension)), None)
            if footnotes is None or "footnote" not in md.inlinePatterns:
                return
            # The priority the footnotes extension registers it with (its documented table).
            md.inlinePatterns.register(numbered(md.inlinePatterns["footnote"].pattern, footnotes), "footnote", 175)

    return _Extension()
