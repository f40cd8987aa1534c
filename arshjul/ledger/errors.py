"""A refused ledger file: every problem with where it is (line or row), in English and Swedish."""

from __future__ import annotations

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


class LedgerError(Exception):
    """A file that cannot be imported; nothing was changed."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems[:MAX_PROBLEMS]
        self.more = max(0, len(problems) - MAX_PROBLEMS)
        super().__init__(self.english())

    def english(self) -> str:
        """One line per problem: `file: line 14: message` (for the CLI and logs)."""
        lines = [
            ": ".join(part for part in (self.file_name, p.where.en, p.en) if part)
            for p in self.problems
        ]
        if self.more:
            lines.append(f"{self.file_name}: … and {self.more} more problems")
        return "\n".join(lines)

    def swedish(self) -> list[str]:
        """One sentence per problem for the upload page: `fil, rad 14: meddelande`."""
        lines = []
        for p in self.problems:
            head = f"{self.file_name}, {p.where.sv}" if p.where.sv else self.file_name
            lines.append(f"{head}: {p.sv}")
        if self.more:
            lines.append(f"… och ytterligare {self.more} fel.")
        return lines


def refuse(file_name: str, where: Where, en: str, sv: str) -> LedgerError:
    """Builds a refusal with a single problem."""
    return LedgerError(file_name, [Problem(where, en, sv)])
