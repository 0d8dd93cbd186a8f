"""yamllint internals used by the style check (``lint.style_problems``).

- ``yamllint.parser.token_or_comment_generator`` is replaced, while yamllint's
  rules run, by one that scans with libyaml: the same tokens as PyYAML's
  pure-Python scanner, three times faster (tests/test_lint.py compares them).

Without it (``available()`` False: another yamllint, no libyaml, or
FUSION_ATLAS_COMPAT=off) yamllint scans with PyYAML's own scanner: the same
problems, slower.
"""

from __future__ import annotations

import contextlib

from .compat import gate

TESTED = {"yamllint": ("1.38.0",)}


def available() -> bool:
    import yaml

    return getattr(yaml, "__with_libyaml__", False) and gate("yamllint", TESTED["yamllint"])


@contextlib.contextmanager
def libyaml_tokens(wanted: bool = True):
    """While inside, yamllint scans with libyaml (when ``wanted`` and available)."""
    if not (wanted and available()):
        yield
        return
    from yamllint import parser

    pure = parser.token_or_comment_generator
    parser.token_or_comment_generator = _c_tokens
    try:
        yield
    finally:
        parser.token_or_comment_generator = pure


class _Mark:
    """A position as PyYAML's scanner gives it (``yaml.error.Mark``): what yamllint reads."""

    __slots__ = ("index", "line", "column", "buffer", "pointer", "name")

    def __init__(self, index, line, column, buffer):
        self.index = self.pointer = index
        self.line, self.column, self.buffer, self.name = line, column, buffer, None


def _c_tokens(buffer: str):
    """yamllint's ``token_or_comment_generator``, scanning with libyaml.

    The same tokens as PyYAML's pure-Python scanner, three times faster
    (``tests/test_lint.py`` compares the two). libyaml gives marks without the
    buffer, so each mark gets it back: yamllint reads comments and spacing
    from ``buffer[pointer]``. A scanner error ends the tokens, as in yamllint.
    """
    import yaml
    from yamllint.parser import Token, comments_between_tokens

    loader = yaml.CBaseLoader(buffer)
    mark = _Mark

    def marked(token):
        if token is not None and not isinstance(token.start_mark, mark):
            start, end = token.start_mark, token.end_mark
            token.start_mark = mark(start.index, start.line, start.column, buffer)
            token.end_mark = mark(end.index, end.line, end.column, buffer)
            if getattr(token, "plain", False) and token.style == "":
                token.style = None  # libyaml's plain style is "", PyYAML's None (the truthy rule asks)
        return token

    try:
        prev = None
        curr = marked(loader.get_token())
        while curr is not None:
            following = marked(loader.get_token())
            after = marked(loader.peek_token()) if loader.check_token() else None
            yield Token(curr.start_mark.line + 1, curr, prev, following, after)
            yield from comments_between_tokens(curr, following)
            prev, curr = curr, following
    except yaml.scanner.ScannerError:
        pass
    finally:
        loader.dispose()
