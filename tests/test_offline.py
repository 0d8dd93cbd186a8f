"""The offline editions' own changes to a page, and the head links no edition keeps, as plain
functions (the archive itself is opened in Chromium in test_browser.py)."""

from macros.publish.head import without_alternate_links
from macros.publish.offline import lean_html


def test_lean_html_drops_the_indentation_of_text_and_nothing_else():
    page = ('<div class="md-header">\n      <a href="x.html"\n   title="a  b">A</a>\n\n    <span>B</span> <span>C</span>\n'
            '<pre class="atlas-cite__bibtex">@misc{x,\n  title = {T}\n}</pre>\n'
            '<p>One\n   two <code>a\n    b</code> <kbd>c\n  d</kbd></p>\n'
            '<textarea>\n  kept\n</textarea><script>var a = 1;\n    var b = 2;</script>'
            '<style>\n  .x { color: red }\n</style><!-- a\n    comment -->\n  </div>\n')
    assert lean_html(page) == (
        '<div class="md-header">\n<a href="x.html"\n   title="a  b">A</a>\n<span>B</span> <span>C</span>\n'
        '<pre class="atlas-cite__bibtex">@misc{x,\n  title = {T}\n}</pre>\n'
        '<p>One\ntwo <code>a\n    b</code> <kbd>c\n  d</kbd></p>\n'
        '<textarea>\n  kept\n</textarea><script>var a = 1;\n    var b = 2;</script>'
        '<style>\n  .x { color: red }\n</style><!-- a\n    comment -->\n</div>\n')


def test_lean_html_keeps_spaces_without_a_line_break_and_is_stable():
    """A run of spaces within a line is left as it is (the theme's indentation always follows a
    line break); a second pass changes nothing."""
    page = "<td>a  b</td>\n\n\t<td> c </td>\n"
    once = lean_html(page)
    assert once == "<td>a  b</td>\n<td> c </td>\n"
    assert lean_html(once) == once
    # A no-break space and an ideographic space are text, not HTML's whitespace: both stay.
    assert lean_html("<p>a\n\u00a0b\n\u3000c\n</p>") == "<p>a\n\u00a0b\n\u3000c\n</p>"


def test_pages_have_no_alternate_links_to_fetch():
    head = '<head><link rel="alternate" href="/zh/" hreflang="zh">\n  <link rel="stylesheet" href="a.css"></head>'
    assert without_alternate_links(head) == '<head><link rel="stylesheet" href="a.css"></head>'
