"""CSV and XLSX exports from the ledger or the data warehouse: one row per code and period.

Which column holds what comes from the configuration (`ledger.columns`); a row gives a code's
budget for the year and its utfall from the start of the year through the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from arshjul.calendar.municipal import LedgerConfig
from arshjul.ledger.errors import LedgerError, Problem, Where

_PERIOD = re.compile(r"^(\d{4})-?(\d{1,2})(?:-(\d{2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class TableRow:
    """One row of a CSV or XLSX export, amounts in kronor."""

    where: Where
    code: str
    period: str  # YYYY-MM
    budget: Decimal | None
    utfall: Decimal | None


class CellError(ValueError):
    """A cell that cannot be read; carries the Swedish sentence too."""

    def __init__(self, en: str, sv: str) -> None:
        super().__init__(en)
        self.sv = sv


def read_period(value: Any) -> str:
    """Reads a period cell ("2026-03", "202603", "2026-03-31" or a date) as YYYY-MM."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    text = str(value).strip()
    found = _PERIOD.match(text)
    if found and 1 <= int(found[2]) <= 12:
        if found[3]:
            try:
                dt.date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                found = None
        if found:
            return f"{found[1]}-{int(found[2]):02d}"
    raise CellError(
        f"period {text!r} does not exist (write YYYY-MM, month 01-12)",
        f"perioden ”{text}” finns inte (skriv ÅÅÅÅ-MM med månad 01–12).",
    )


def read_amount(value: Any, factor: int) -> Decimal | None:
    """Reads an amount cell ("-1 234,50", 1234.5); empty is None. Returns kronor."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not an amount", f"”{value}” är inte ett belopp.")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)) * factor
    text = _SPACES.sub("", str(value)).replace("\u2212", "-").replace(",", ".")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(f"{value!r} is not an amount", f"”{value}” är inte ett belopp.")
    return number * factor


def read_code(value: Any) -> str:
    """Reads a code cell; a number typed into a spreadsheet (1100.0) reads as "1100"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _rows(
    cells: list[tuple[Where, list[Any]]], ledger: LedgerConfig, file_name: str
) -> list[TableRow]:
    if not cells:
        raise LedgerError(file_name, [Problem(Where.line(1), "the file is empty", "filen är tom.")])
    header_where, header = cells[0]
    names = [read_code(h).lower() for h in header]
    wanted = ledger.columns.model_dump()
    missing = [name for name in wanted.values() if name.lower() not in names]
    if missing:
        found = ", ".join(n for n in names if n) or "none"
        raise LedgerError(
            file_name,
            [
                Problem(
                    header_where,
                    f"the header has no column {', '.join(missing)} (found: {found}); "
                    "the column names are set under ledger.columns in the configuration",
                    f"rubrikraden saknar kolumnen {', '.join(missing)} (finns: {found}).",
                )
            ],
        )
    index = {key: names.index(name.lower()) for key, name in wanted.items()}
    factor = 1000 if ledger.table_amounts == "tkr" else 1
    rows, problems = [], []
    for where, row in cells[1:]:
        if all(read_code(c) == "" for c in row):
            continue
        value = {key: row[i] if i < len(row) else None for key, i in index.items()}
        try:
            code = read_code(value["code"])
            if not code:
                raise CellError("the code is empty", "koden saknas.")
            rows.append(
                TableRow(
                    where=where,
                    code=code,
                    period=read_period(value["period"]),
                    budget=read_amount(value["budget"], factor),
                    utfall=read_amount(value["utfall"], factor),
                )
            )
        except CellError as err:
            problems.append(Problem(where, str(err), err.sv))
    if problems:
        raise LedgerError(file_name, problems)
    return rows


def read_csv(data: bytes, ledger: LedgerConfig, file_name: str) -> list[TableRow]:
    """Reads a UTF-8 CSV export; refuses other encodings with the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        byte = data[err.start]
        guess = bytes([byte]).decode("cp437")
        raise LedgerError(
            file_name,
            [
                Problem(
                    Where.line(line),
                    f"the text is not UTF-8 (byte 0x{byte:02x}, {guess!r} in CP437 or "
                    f"{bytes([byte]).decode('latin-1')!r} in Windows-1252); save the CSV as UTF-8",
                    "texten är inte kodad som UTF-8 (den ser ut att vara IBM PC 8-bit/CP437 "
                    "eller Windows-1252). Spara filen som ”CSV UTF-8” och försök igen.",
                )
            ],
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=ledger.csv_delimiter)
    cells = []
    for row in reader:
        if reader.line_num > MAX_ROWS:
            break
        cells.append((Where.line(reader.line_num), list(row)))
    return _rows(cells, ledger, file_name)


def read_xlsx(data: bytes, ledger: LedgerConfig, file_name: str) -> list[TableRow]:
    """Reads the first sheet of an XLSX workbook (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise LedgerError(
            file_name,
            [
                Problem(
                    Where("", ""),
                    f"not an XLSX workbook ({err})",
                    "filen är ingen Excel-arbetsbok (.xlsx).",
                )
            ],
        ) from None
    try:
        sheet = book.worksheets[0]
        cells = [
            (Where.row(number), list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            if number <= MAX_ROWS
        ]
    finally:
        book.close()
    return _rows(cells, ledger, file_name)
