"""The kommun's diarienummer of a case (a round) or a meeting, one current number each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base

CASE_ROUND = "round"
CASE_MEETING = "meeting"


class CaseNumber(Base):
    """A case's diarienummer: typed in as the registry gave it, or assigned from the pattern.

    Unique per organisation, as a number and as (year, running number) when it has the
    pattern's form; the audit log keeps every earlier number of a case.
    """

    __tablename__ = "case_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # CASE_ROUND | CASE_MEETING
    # The round's workflow id, or "committee/YYYY-MM-DD" of a meeting.
    case_key: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(60))
    # The year and running number read from the pattern's form (NULL: another form).
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    assigned: Mapped[bool]  # True: the next number of the pattern; False: typed in
    set_by: Mapped[str] = mapped_column(String(320))
    set_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("org_id", "kind", "case_key"),
        UniqueConstraint("org_id", "number"),
        Index("ix_case_numbers_year_seq", "org_id", "year", "seq", unique=True),
    )
