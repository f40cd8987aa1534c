"""Motioner and medborgarförslag in the store, and the report § of a reporting meeting.

Every registration and change is written to the audit log with the values before and after, so
an edited motion keeps what was typed before. The report § takes the committee's next § of the
year when it is made (`last_paragraph` counts these too).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.delegations import last_paragraph
from arshjul.store.models import Motion, MotionReport
from arshjul.store.rounds import AuditRepository

REGISTERED = "motion_registered"
CHANGED = "motion_changed"


@dataclass(frozen=True)
class MotionFields:
    """Everything about a motion that is typed in, checked by the caller."""

    kind: str
    number: str
    title: str
    submitted_by: str
    vackt_on: dt.date
    responsible_id: str
    responsible_name: str
    status: str = "under_beredning"
    closed_on: dt.date | None = None
    decision_ref: str | None = None
    delay_reason: str = ""


def case_id(org_id: str, motion_id: int) -> str:
    """The audit log's key of one motion's history."""
    return f"motion/{org_id}/{motion_id}"


def _values(fields: MotionFields) -> dict[str, Any]:
    return asdict(fields)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class MotionRepository:
    """The organisation's motions and medborgarförslag, and the reporting meetings' §§."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, org_id: str, motion_id: int) -> Motion | None:
        """Gets one motion of the organisation."""
        row = self.session.get(Motion, motion_id)
        return row if row is not None and row.org_id == org_id else None

    def by_number(self, *, org_id: str, number: str) -> Motion | None:
        """Gets the motion with this number (compared without regard to case)."""
        rows = self.session.scalars(select(Motion).where(Motion.org_id == org_id))
        wanted = number.strip().casefold()
        return next((r for r in rows if r.number.casefold() == wanted), None)

    def motions(self, *, org_id: str, committee_id: str | None = None) -> list[Motion]:
        """Lists the motions, oldest väckt first."""
        query = select(Motion).where(Motion.org_id == org_id)
        if committee_id is not None:
            query = query.where(Motion.committee_id == committee_id)
        return list(self.session.scalars(query.order_by(Motion.vackt_on, Motion.number)))

    def add(self, *, org_id: str, committee_id: str, fields: MotionFields, by: str) -> Motion:
        """Registers a motion (the caller has checked `fields`) and logs it."""
        now = utc_now()
        row = Motion(
            org_id=org_id,
            committee_id=committee_id,
            created_by=by,
            created_at=now,
            updated_by=by,
            updated_at=now,
            **_values(fields),
        )
        self.session.add(row)
        self.session.flush()
        detail = {k: _json(v) for k, v in _values(fields).items()}
        AuditRepository(self.session).append(
            actor=by,
            action=REGISTERED,
            workflow_id=case_id(org_id, row.id),
            detail=json.dumps(detail, ensure_ascii=False),
            time=now,
        )
        return row

    def update(self, row: Motion, fields: MotionFields, *, by: str) -> list[str]:
        """Changes a motion to `fields`; logs each changed field's old and new value and
        returns their names (none: nothing written)."""
        changed = {
            name: [_json(getattr(row, name)), _json(value)]
            for name, value in _values(fields).items()
            if getattr(row, name) != value
        }
        if not changed:
            return []
        now = utc_now()
        for name, value in _values(fields).items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = by, now
        self.session.flush()
        AuditRepository(self.session).append(
            actor=by,
            action=CHANGED,
            workflow_id=case_id(row.org_id, row.id),
            detail=json.dumps(changed, ensure_ascii=False),
            time=now,
        )
        return list(changed)

    def history(self, row: Motion) -> list[Any]:
        """The motion's audit entries in order."""
        return AuditRepository(self.session).list_for_round(workflow_id=case_id(row.org_id, row.id))

    def report(self, *, org_id: str, committee_id: str, meeting: dt.date) -> MotionReport | None:
        """Gets the meeting's report §, if it has been made."""
        return self.session.scalar(
            select(MotionReport).where(
                MotionReport.org_id == org_id,
                MotionReport.committee_id == committee_id,
                MotionReport.meeting == meeting,
            )
        )

    def ensure_report(
        self, *, org_id: str, committee_id: str, meeting: dt.date, by: str
    ) -> MotionReport:
        """Returns the meeting's report §, made now with the year's next number if there is
        none (the caller knows the meeting is a reporting one and not justerat)."""
        row = self.report(org_id=org_id, committee_id=committee_id, meeting=meeting)
        if row is not None:
            return row
        number = last_paragraph(
            self.session, org_id=org_id, committee_id=committee_id, year=meeting.year
        )
        row = MotionReport(
            org_id=org_id,
            committee_id=committee_id,
            meeting=meeting,
            year=meeting.year,
            paragraph=number + 1,
            items=None,
            created_by=by,
            created_at=utc_now(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def freeze(self, row: MotionReport, items: list[dict[str, Any]]) -> None:
        """Keeps the list as it is signed (at justering; the database locks it after)."""
        row.items = items
        self.session.flush()
