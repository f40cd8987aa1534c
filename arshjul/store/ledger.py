"""Ledger imports and the figures they brought, per unit and period (append-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import LedgerFigure, LedgerImport


class Figure(Protocol):
    """A unit's figures to store with an import (the ledger's UnitFigures)."""

    @property
    def unit_id(self) -> str:
        """The unit the figures belong to."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The ledger codes summed into the figures."""

    @property
    def budget_tkr(self) -> Decimal | None:
        """The year's budget in tkr, if the file has one."""

    @property
    def utfall_tkr(self) -> Decimal:
        """The outcome from the start of the year through the period, in tkr."""


class LedgerRepository:
    """Stores ledger imports and finds the newest figures of a unit and period."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, *, org_id: str, period: str, sha256: str) -> LedgerImport | None:
        """Gets the import of this very file for this period, if there was one."""
        return self.session.scalar(
            select(LedgerImport).where(
                LedgerImport.org_id == org_id,
                LedgerImport.period == period,
                LedgerImport.sha256 == sha256,
            )
        )

    def add(
        self,
        *,
        org_id: str,
        period: str,
        file_name: str,
        file_format: str,
        sha256: str,
        source: str,
        generated_on: dt.date | None,
        imported_by: str,
        figures: Sequence[Figure],
        warning_count: int = 0,
        warnings: Sequence[str] = (),
    ) -> LedgerImport:
        """Records an import, its figures and the warnings it went ahead with."""
        record = LedgerImport(
            org_id=org_id,
            period=period,
            file_name=file_name[:255],
            file_format=file_format,
            sha256=sha256,
            source=source[:500],
            generated_on=generated_on,
            imported_at=utc_now(),
            imported_by=imported_by,
            units=len(figures),
            warning_count=warning_count,
            warnings="\n".join(warnings) or None,
        )
        self.session.add(record)
        self.session.flush()
        for figure in figures:
            self.session.add(
                LedgerFigure(
                    import_id=record.id,
                    org_id=org_id,
                    period=period,
                    unit_id=figure.unit_id,
                    codes=", ".join(figure.codes),
                    budget_tkr=figure.budget_tkr,
                    utfall_tkr=figure.utfall_tkr,
                )
            )
        self.session.flush()
        return record

    def latest(
        self, *, org_id: str, unit_id: str, period: str
    ) -> tuple[LedgerFigure, LedgerImport] | None:
        """Returns the unit's figures of the newest import for the period, with that import."""
        row = self.session.execute(
            select(LedgerFigure, LedgerImport)
            .join(LedgerImport, LedgerImport.id == LedgerFigure.import_id)
            .where(
                LedgerFigure.org_id == org_id,
                LedgerFigure.unit_id == unit_id,
                LedgerFigure.period == period,
            )
            .order_by(LedgerImport.id.desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row else None

    def recent(self, *, org_id: str, limit: int = 20) -> list[LedgerImport]:
        """Lists the newest imports first."""
        query = (
            select(LedgerImport)
            .where(LedgerImport.org_id == org_id)
            .order_by(LedgerImport.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def figures(self, *, import_id: int) -> list[LedgerFigure]:
        """Lists an import's figures by unit."""
        query = (
            select(LedgerFigure)
            .where(LedgerFigure.import_id == import_id)
            .order_by(LedgerFigure.unit_id)
        )
        return list(self.session.scalars(query))
