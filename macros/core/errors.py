"""Problems found in the data, and how they are reported.

Every problem names the file, the line, the record and the field, and says
what is valid. All problems are collected and reported together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class Problem:
    file: str
    line: int
    record: str
    field: str
    message: str
    # The whole file could not be read as a record (not UTF-8, a YAML error, a symlink...):
    # its other checks (YAML style) would only repeat the problem, so they are skipped.
    whole_file: bool = False

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.field, self.message)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        who = f" {self.record}" if self.record else ""
        what = f": {self.field}" if self.field else ""
        return f"{where}{who}{what}: {self.message}"

    def as_github_annotation(self) -> str:
        title = f"{self.record}: {self.field}" if self.field else (self.record or "data")
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.file},line={self.line},title={title}::{msg}"


class DataError(Exception):
    """Raised when the data is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    n = len(problems)
    head = f"{n} problem{'s' if n != 1 else ''} in the data:"
    return "\n".join([head, *(f"  {p}" for p in problems)])


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"
