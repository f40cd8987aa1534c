"""Reads any supported ledger file into unit figures for a period (pure: bytes in, figures out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.municipal import LedgerConfig
from arshjul.ledger import sie, tables
from arshjul.ledger.errors import WHOLE_FILE, LedgerError, LedgerWarnings, Problem
from arshjul.ledger.figures import UnitFigures, check_period, from_sie, from_table
from arshjul.swedish import date_sv

Format = Literal["sie", "csv", "xlsx"]
SIE_SUFFIXES = {".se", ".si", ".sie"}


@dataclass(frozen=True)
class ReadFile:
    """A file read for one period: its kind, where it says it came from, the figures, and what
    it did not read (lines of other years with problems)."""

    file_format: Format
    source: str  # Swedish, shown beside the prefilled figures
    generated_on: dt.date | None
    figures: list[UnitFigures]
    warnings: LedgerWarnings


def detect_format(data: bytes, file_name: str) -> Format:
    """Tells SIE, CSV and XLSX apart by the name's suffix, else by the first bytes."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in SIE_SUFFIXES:
        return "sie"
    if suffix == ".xlsx" or data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    return "sie" if data.lstrip().startswith(b"#") else "csv"


def read_figures(config: ArshjulConfig, data: bytes, file_name: str, period: str) -> ReadFile:
    """Reads a ledger file's figures for `period`; raises LedgerError and changes nothing.

    A file that gives no unit a figure is refused: an import is never an empty success.
    """
    read = _read(config, data, file_name, period)
    if not read.figures:  # pragma: no cover - each format refuses this with its own reason first
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"the file gives no unit a figure for {period}",
                    f"filen ger ingen enhet några siffror för {period}. Ingenting lästes in.",
                )
            ],
        )
    return read


def _read(config: ArshjulConfig, data: bytes, file_name: str, period: str) -> ReadFile:
    check_period(config, period, file_name)
    ledger = config.ledger or LedgerConfig()
    kind = detect_format(data, file_name)
    if kind == "sie":
        parsed = sie.parse(data, file_name)
        origin = parsed.program or parsed.company
        source = f"SIE-fil {file_name}" + (f" från {origin}" if origin else "")
        if parsed.generated:
            source += f", skapad {date_sv(parsed.generated)}"
        found = from_sie(parsed, config, ledger, period, file_name)
        warnings = LedgerWarnings.of(file_name, found.warnings)
        return ReadFile("sie", source, parsed.generated, found.figures, warnings)
    if kind == "xlsx":
        rows = tables.read_xlsx(data, ledger, file_name)
        label = "Excel-fil"
    else:
        rows = tables.read_csv(data, ledger, file_name)
        label = "CSV-fil"
    figures = from_table(rows, config, period, file_name)
    return ReadFile(kind, f"{label} {file_name}", None, figures, LedgerWarnings(file_name))
