"""Ledger fixtures: the bundled example, its sample files, and bad variants made from them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG
from tests.store.conftest import migrated

EXAMPLES = BUNDLED_CONFIG.parent
SAMPLE_SIE = EXAMPLES / "hedemora-2026.se"
SAMPLE_CSV = EXAMPLES / "hedemora-2026-03.csv"
# SIE files written by accounting programs (idstam/jsisie's test files, MIT; see the README there).
REAL = Path(__file__).parent / "fixtures" / "real"
# What the sample files hold for period 2026-03 (tkr): budget for the year, utfall Jan-Mar.
EXPECTED = {
    "bun": (Decimal("420000.0"), Decimal("106739.7")),
    "kfo": (Decimal("35000.0"), Decimal("8687.7")),
    "ksf": (Decimal("85000.0"), Decimal("20766.1")),
    "mbf": (Decimal("12000.0"), Decimal("2804.1")),
    "sbf": (Decimal("60000.0"), Decimal("14981.4")),
    "sof": (Decimal("390000.0"), Decimal("106515.0")),
}


@pytest.fixture(scope="session")
def config() -> ArshjulConfig:
    """The bundled Hedemora configuration (units carry their ansvar codes)."""
    return load_config(BUNDLED_CONFIG)


def with_units(
    config: ArshjulConfig,
    units: dict[str, list[str]],
    *,
    months: tuple[int, ...] = (),
    accounts: list[str] | None = None,
    dimension: int = 1,
) -> ArshjulConfig:
    """The bundled configuration with only `units` (id -> ledger codes), to read a real file's
    objects; `months` adds periods to the månadsrapport, `accounts` and `dimension` replace
    ledger.accounts and ledger.sie_dimension."""
    template = config.units[0]
    new_units = [
        template.model_copy(update={"id": uid, "name": uid.title(), "ledger_codes": codes})
        for uid, codes in units.items()
    ]
    reports = [
        r.model_copy(update={"period_months": sorted({*r.period_months, *months})})
        if r.id == "manadsrapport"
        else r
        for r in config.reports
    ]
    assert config.ledger is not None
    ledger = config.ledger.model_copy(
        update={"accounts": accounts or config.ledger.accounts, "sie_dimension": dimension}
    )
    return config.model_copy(update={"units": new_units, "reports": reports, "ledger": ledger})


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session maker on a freshly migrated database (SQLite, and PostgreSQL when set)."""
    with migrated(database_url) as maker:
        yield maker


def sie_lines() -> list[str]:
    """The sample SIE file as text lines (decoded from CP437)."""
    return SAMPLE_SIE.read_bytes().decode("cp437").split("\r\n")


def sie_bytes(lines: list[str], encoding: str = "cp437") -> bytes:
    """Encodes SIE lines back into a file."""
    return "\r\n".join(lines).encode(encoding)


def line_number(lines: list[str], startswith: str) -> int:
    """Returns the 1-based number of the first line starting with `startswith`."""
    return next(i for i, line in enumerate(lines, 1) if line.startswith(startswith))


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """Builds an XLSX workbook with one sheet holding `rows` (the first is the header)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample_xlsx() -> bytes:
    """The sample CSV's rows as an Excel export would have them: numbers, and a date period."""
    import datetime as dt

    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    rows: list[list[object]] = [lines[0].split(";")]
    for line in lines[1:]:
        code, name, _, budget, utfall = line.split(";")
        rows.append(
            [
                int(code),
                name,
                dt.datetime(2026, 3, 31),
                float(budget.replace(",", ".")),
                float(utfall.replace(",", ".")),
            ]
        )
    return xlsx_bytes(rows)
