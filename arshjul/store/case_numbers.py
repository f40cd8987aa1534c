"""Diarienummer of cases and meetings: reading, setting one typed in, assigning the next.

Unique per organisation, enforced by the database: two people assigning at once both compute
the same next number, one insert wins and the other retries with the number after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import CASE_MEETING, CaseNumber

ATTEMPTS = 20  # assignments racing for the same next number; each retry moves one on


class NumberTaken(ValueError):
    """The number (or its year and running number) belongs to another case."""

    def __init__(self, number: str, other: CaseNumber) -> None:
        super().__init__(f"{number} is already the number of {other.kind} {other.case_key}")
        self.number, self.other = number, other


def meeting_key(committee_id: str, meeting: dt.date) -> str:
    """The case key of a committee's meeting."""
    return f"{committee_id}/{meeting.isoformat()}"


class CaseNumberRepository:
    """The case_numbers table: one current diarienummer per case, unique per organisation."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, org_id: str, kind: str, case_key: str) -> CaseNumber | None:
        """The case's number, if it has one."""
        return self.session.scalar(
            select(CaseNumber).where(
                CaseNumber.org_id == org_id,
                CaseNumber.kind == kind,
                CaseNumber.case_key == case_key,
            )
        )

    def numbers(self, *, org_id: str, kind: str, case_keys: Iterable[str]) -> dict[str, str]:
        """The numbers of these cases, by case key (those without one left out)."""
        keys = list(set(case_keys))
        if not keys:
            return {}
        rows = self.session.execute(
            select(CaseNumber.case_key, CaseNumber.number).where(
                CaseNumber.org_id == org_id,
                CaseNumber.kind == kind,
                CaseNumber.case_key.in_(keys),
            )
        )
        return {key: number for key, number in rows}

    def meeting_number(self, *, org_id: str, committee_id: str, meeting: dt.date) -> str | None:
        """The meeting's number, if it has one."""
        row = self.get(
            org_id=org_id, kind=CASE_MEETING, case_key=meeting_key(committee_id, meeting)
        )
        return row.number if row else None

    def holder(
        self, *, org_id: str, number: str, year_seq: tuple[int, int] | None
    ) -> CaseNumber | None:
        """The case that has this number (or this year and running number), if any."""
        query = select(CaseNumber).where(CaseNumber.org_id == org_id)
        if year_seq is None:
            query = query.where(CaseNumber.number == number)
        else:
            year, seq = year_seq
            query = query.where(
                (CaseNumber.number == number)
                | ((CaseNumber.year == year) & (CaseNumber.seq == seq))
            )
        return self.session.scalars(query.limit(1)).first()

    def set(
        self,
        *,
        org_id: str,
        kind: str,
        case_key: str,
        number: str,
        year_seq: tuple[int, int] | None,
        by: str,
    ) -> tuple[CaseNumber, str | None]:
        """Gives the case a number typed in; returns the row and the number it had before (None).

        Raises NumberTaken when another case has it, and nothing is changed."""
        for _ in range(ATTEMPTS):
            other = self.holder(org_id=org_id, number=number, year_seq=year_seq)
            if other is not None and (other.kind, other.case_key) != (kind, case_key):
                raise NumberTaken(number, other)
            try:
                with self.session.begin_nested():
                    return self._write(org_id, kind, case_key, number, year_seq, by, False)
            except IntegrityError:
                continue  # taken (or the case's row made) between the read and the write
        raise RuntimeError(f"could not set {number} on {case_key} after {ATTEMPTS} attempts")

    def assign_next(
        self,
        *,
        org_id: str,
        kind: str,
        case_key: str,
        year: int,
        format_number: Callable[[int, int], str],
        by: str,
    ) -> tuple[CaseNumber, str | None]:
        """Gives the case the year's next number (one past the highest of the year)."""
        tried = 0
        for _ in range(ATTEMPTS):
            # Past the last one tried too: a number typed in another form may hold that text.
            seq = tried = max(self.highest(org_id=org_id, year=year) + 1, tried + 1)
            number = format_number(year, seq)
            try:
                with self.session.begin_nested():
                    return self._write(org_id, kind, case_key, number, (year, seq), by, True)
            except IntegrityError:
                continue  # another assignment took it first: count on from there
        raise RuntimeError(f"no free number in {year} after {ATTEMPTS} attempts")

    def highest(self, *, org_id: str, year: int) -> int:
        """The highest running number of the year so far (0 when there is none)."""
        found = self.session.scalar(
            select(func.max(CaseNumber.seq)).where(
                CaseNumber.org_id == org_id, CaseNumber.year == year
            )
        )
        return found or 0

    def _write(
        self,
        org_id: str,
        kind: str,
        case_key: str,
        number: str,
        year_seq: tuple[int, int] | None,
        by: str,
        assigned: bool,
    ) -> tuple[CaseNumber, str | None]:
        row = self.get(org_id=org_id, kind=kind, case_key=case_key)
        before = row.number if row else None
        year, seq = year_seq if year_seq else (None, None)
        if row is None:
            row = CaseNumber(org_id=org_id, kind=kind, case_key=case_key)
            self.session.add(row)
        row.number, row.year, row.seq, row.assigned = number, year, seq, assigned
        row.set_by, row.set_at = by, utc_now()
        self.session.flush()
        return row, before
