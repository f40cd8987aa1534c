"""Anmälan av delegationsbeslut: a meeting's § and the decisions reported in it.

The § takes the next number of the committee's year when its first decision is entered; the
decisions' own numbering counts it (`last_paragraph`), so no two §§ of a year share a number.
The database refuses every change once the meeting's protocol is justerat (protocol_guards).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import (
    Decision,
    DelegationDecision,
    DelegationParagraph,
    MotionReport,
)


@dataclass(frozen=True)
class DelegationEntry:
    """One reported decision as entered or imported: date, beslutsfattare, ärende, reference."""

    decided_on: dt.date
    decided_by: str
    matter: str
    reference: str


def last_paragraph(session: Session, *, org_id: str, committee_id: str, year: int) -> int:
    """Returns the committee's last § of the year so far (decisions, delegation §§ and motion
    report §§), or 0."""
    decided = session.scalar(
        select(func.max(Decision.paragraph)).where(
            Decision.org_id == org_id,
            Decision.committee_id == committee_id,
            Decision.meeting >= dt.date(year, 1, 1),
            Decision.meeting <= dt.date(year, 12, 31),
        )
    )
    delegated = session.scalar(
        select(func.max(DelegationParagraph.paragraph)).where(
            DelegationParagraph.org_id == org_id,
            DelegationParagraph.committee_id == committee_id,
            DelegationParagraph.year == year,
        )
    )
    reported = session.scalar(
        select(func.max(MotionReport.paragraph)).where(
            MotionReport.org_id == org_id,
            MotionReport.committee_id == committee_id,
            MotionReport.year == year,
        )
    )
    return max(decided or 0, delegated or 0, reported or 0)


class DelegationRepository:
    """A committee's delegation §§ and the decisions reported in them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def paragraph(
        self, *, org_id: str, committee_id: str, meeting: dt.date
    ) -> DelegationParagraph | None:
        """Gets the meeting's delegation §, if one has been made."""
        return self.session.scalar(
            select(DelegationParagraph).where(
                DelegationParagraph.org_id == org_id,
                DelegationParagraph.committee_id == committee_id,
                DelegationParagraph.meeting == meeting,
            )
        )

    def entries(self, *, paragraph_id: int) -> list[DelegationDecision]:
        """Lists the § decisions in the order they were taken (then entered)."""
        query = select(DelegationDecision).where(DelegationDecision.paragraph_id == paragraph_id)
        return list(
            self.session.scalars(
                query.order_by(DelegationDecision.decided_on, DelegationDecision.id)
            )
        )

    def add(
        self,
        *,
        org_id: str,
        committee_id: str,
        meeting: dt.date,
        entries: list[DelegationEntry],
        by: str,
    ) -> DelegationParagraph:
        """Adds the decisions to the meeting's § (made now, with the year's next number, if
        there is none yet); the caller checks them first."""
        row = self.paragraph(org_id=org_id, committee_id=committee_id, meeting=meeting)
        now = utc_now()
        if row is None:
            year = meeting.year
            number = last_paragraph(
                self.session, org_id=org_id, committee_id=committee_id, year=year
            )
            row = DelegationParagraph(
                org_id=org_id,
                committee_id=committee_id,
                meeting=meeting,
                year=year,
                paragraph=number + 1,
                created_by=by,
                created_at=now,
            )
            self.session.add(row)
            self.session.flush()
        for entry in entries:
            self.session.add(
                DelegationDecision(
                    paragraph_id=row.id,
                    decided_on=entry.decided_on,
                    decided_by=entry.decided_by,
                    matter=entry.matter,
                    reference=entry.reference,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        self.session.flush()
        return row

    def remove(self, *, paragraph_id: int, entry_id: int) -> bool:
        """Removes one reported decision from the §; tells whether it was there."""
        row = self.session.get(DelegationDecision, entry_id)
        if row is None or row.paragraph_id != paragraph_id:
            return False
        self.session.delete(row)
        self.session.flush()
        return True
