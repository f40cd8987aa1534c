"""A refused ledger file: every problem with where it is (line or row), in English and Swedish."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PROBLEMS = 20  # a file wrong on every line says so in a readable list


@dataclass(frozen=True)
class Where:
    """A place in a file: "line 14" / "rad 14", or a row and column of a table."""

    en: str
    sv: str

    @classmethod
    def line(cls, number: int) -> Where:
        """A line of a text file (SIE, CSV), counted from 1."""
        return cls(f"line {number}", f"rad {number}")

    @classmethod
    def row(cls, number: int, column: str | None = None) -> Where:
        """A row of a spreadsheet (counted as the program shows it), optionally a column."""
        if column is None:
            return cls(f"row {number}", f"rad {number}")
        return cls(f"row {number}, column {column!r}", f"rad {number}, kolumn ”{column}”")


WHOLE_FILE = Where("", "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file."""

    where: Where
    en: str
    sv: str


def line_order(problem: Problem) -> int:
    """Sorts problems by their line (or row); whole-file problems first."""
    digits = re.search(r"\d+", problem.where.en)
    return int(digits[0]) if digits else 0


def _english(file_name: str, problems: list[Problem], more: int) -> str:
    lines = [": ".join(part for part in (file_name, p.where.en, p.en) if part) for p in problems]
    if more:
        lines.append(f"{file_name}: … and {more} more problems")
    return "\n".join(lines)


def _swedish(file_name: str, problems: list[Problem], more: int) -> list[str]:
    lines = []
    for p in problems:
        head = f"{file_name}, {p.where.sv}" if p.where.sv else file_name
        lines.append(f"{head}: {p.sv}")
    if more:
        lines.append(f"… och ytterligare {more} fel.")
    return lines


class LedgerError(Exception):
    """A file that cannot be imported; nothing was changed."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems[:MAX_PROBLEMS]
        self.more = max(0, len(problems) - MAX_PROBLEMS)
        super().__init__(self.english())

    def english(self) -> str:
        """One line per problem: `file: line 14: message` (for the CLI and logs)."""
        return _english(self.file_name, self.problems, self.more)

    def swedish(self) -> list[str]:
        """One sentence per problem for the upload page: `fil, rad 14: meddelande`."""
        return _swedish(self.file_name, self.problems, self.more)


@dataclass(frozen=True)
class LedgerWarnings:
    """What an import that went ahead did not read: lines of other financial years with problems.

    The same shape as a refusal (a summary first, then line by line, at most MAX_PROBLEMS), so
    the command prints `english()` and the upload page lists `swedish()`.
    """

    file_name: str
    problems: tuple[Problem, ...] = ()
    more: int = 0

    @classmethod
    def of(cls, file_name: str, problems: list[Problem]) -> LedgerWarnings:
        """Keeps the first MAX_PROBLEMS and counts the rest."""
        return cls(file_name, tuple(problems[:MAX_PROBLEMS]), max(0, len(problems) - MAX_PROBLEMS))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems) + self.more

    def english(self) -> str:
        """One line per warning: `file: line 14: message` (for the CLI and logs)."""
        return _english(self.file_name, list(self.problems), self.more).replace(
            "more problems", "more warnings"
        )

    def swedish(self) -> list[str]:
        """One sentence per warning for the upload page."""
        lines = _swedish(self.file_name, list(self.problems), self.more)
        if self.more:
            lines[-1] = f"… och ytterligare {self.more} varningar."
        return lines


def refuse(file_name: str, where: Where, en: str, sv: str) -> LedgerError:
    """Builds a refusal with a single problem."""
    return LedgerError(file_name, [Problem(where, en, sv)])
