"""Figures from the ledger: each file imported for a period and the budget and utfall it held."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class LedgerImport(Base):
    """One ledger file read for one period; the same file and period are imported only once."""

    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))  # sie | csv | xlsx
    sha256: Mapped[str] = mapped_column(String(64))
    # Where the figures came from, as the form shows it ("SIE-fil från Raindance …").
    source: Mapped[str] = mapped_column(String(500))
    generated_on: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime]
    imported_by: Mapped[str] = mapped_column(String(320))
    units: Mapped[int] = mapped_column(Integer)
    # Lines the import went ahead without (other years' problems): how many, and the first
    # ones as the page lists them, one Swedish sentence a line. None before revision i25.
    warning_count: Mapped[int | None] = mapped_column(Integer)
    warnings: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("org_id", "period", "sha256"),)


class LedgerFigure(Base):
    """A unit's budget and utfall for a period as one import found them (tkr, net cost)."""

    __tablename__ = "ledger_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_imports.id"), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    unit_id: Mapped[str] = mapped_column(String(64))
    codes: Mapped[str] = mapped_column(Text)  # the ledger codes summed, comma-separated
    budget_tkr: Mapped[Decimal | None] = mapped_column(Numeric(14, 1))
    utfall_tkr: Mapped[Decimal] = mapped_column(Numeric(14, 1))

    __table_args__ = (Index("ix_ledger_figures_unit_period", "org_id", "unit_id", "period"),)
