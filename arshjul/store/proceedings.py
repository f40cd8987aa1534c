"""How a case was handled at a meeting (jäv, yrkanden, a vote, reservations, anteckningar): one
JSON record per case and meeting, written by the secretary until the protocol is justerat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import CaseProceedings


class ProceedingsRepository:
    """Reads and writes the proceedings of the cases at a committee's meetings."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(
        self, *, org_id: str, committee_id: str, meeting: dt.date, workflow_id: str
    ) -> dict[str, Any] | None:
        """The recorded proceedings of one case at one meeting, None when nothing is."""
        row = self._row(org_id, committee_id, meeting, workflow_id)
        return dict(row.detail) if row is not None else None

    def for_meeting(
        self, *, org_id: str, committee_id: str, meeting: dt.date
    ) -> dict[str, dict[str, Any]]:
        """Every case's proceedings at the meeting, by the round's workflow id."""
        rows = self.session.scalars(
            select(CaseProceedings).where(
                CaseProceedings.org_id == org_id,
                CaseProceedings.committee_id == committee_id,
                CaseProceedings.meeting == meeting,
            )
        )
        return {r.workflow_id: dict(r.detail) for r in rows}

    def save(
        self,
        *,
        org_id: str,
        committee_id: str,
        meeting: dt.date,
        workflow_id: str,
        detail: dict[str, Any],
        by: str,
    ) -> None:
        """Stores the proceedings as they now are (the caller checked them)."""
        row = self._row(org_id, committee_id, meeting, workflow_id)
        if row is None:
            row = CaseProceedings(
                org_id=org_id,
                committee_id=committee_id,
                meeting=meeting,
                workflow_id=workflow_id,
                detail=detail,
                updated_by=by,
                updated_at=utc_now(),
            )
            self.session.add(row)
        else:
            row.detail, row.updated_by, row.updated_at = detail, by, utc_now()
        self.session.flush()

    def _row(
        self, org_id: str, committee_id: str, meeting: dt.date, workflow_id: str
    ) -> CaseProceedings | None:
        return self.session.scalar(
            select(CaseProceedings).where(
                CaseProceedings.org_id == org_id,
                CaseProceedings.committee_id == committee_id,
                CaseProceedings.meeting == meeting,
                CaseProceedings.workflow_id == workflow_id,
            )
        )
