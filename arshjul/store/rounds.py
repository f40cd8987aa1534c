"""Rounds mirrored from their workflows, and the append-only audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from arshjul.calendar.demo import DEMO_REPORT_ID
from arshjul.models.effects import RoundEventRecord
from arshjul.store.db import utc_now
from arshjul.store.models import AuditEntry, Round


class RoundRepository:
    """Reads and writes the rounds table (one row per round)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert_from_event(self, record: RoundEventRecord) -> Round:
        """Creates or updates the round's row from a history event; older events never win."""
        row = self.session.get(Round, record.workflow_id)
        if row is None:
            spec = record.spec
            row = Round(
                workflow_id=record.workflow_id,
                org_id=spec.org_id,
                report_id=spec.report_id,
                report_title=spec.report_title,
                period=spec.period,
                unit_id=spec.unit_id,
                unit_name=spec.unit_name,
                opens=spec.opens,
                demo=spec.demo,
                last_seq=-1,
                due_sequence=0,
            )
            self.session.add(row)
        elif record.seq <= row.last_seq:
            # A retried or late activity must not move the row back in time.
            return row
        else:
            # Claim the row in SQL: a newer event committed after our read must not be overwritten
            # (two record_event activities of one round run at the same time).
            claimed = cast(
                "CursorResult[Any]",  # an UPDATE's result is a cursor's, with its rowcount
                self.session.execute(
                    update(Round)
                    .where(Round.workflow_id == record.workflow_id, Round.last_seq < record.seq)
                    .values(last_seq=record.seq)
                    .execution_options(synchronize_session=False)
                ),
            )
            if claimed.rowcount == 0:
                self.session.refresh(row)
                return row
        moved = row.due is not None and row.due != record.due
        cancelled = record.state == "cancelled" and row.state != "cancelled"
        if moved or cancelled:
            row.due_sequence = (row.due_sequence or 0) + 1
            row.due_changed_at = record.time
        row.state = str(record.state)
        row.due = record.due
        row.meeting = record.meeting
        row.committee_id = record.committee_id
        row.target_meeting, row.missed_target = record.target_meeting, record.missed_target
        if record.submission_id is not None:
            row.submission_id = record.submission_id
        row.last_event = record.event
        row.last_seq = record.seq
        row.spec = record.spec.model_dump(mode="json")
        row.updated_at = utc_now()
        self.session.flush()
        return row

    def get(self, *, workflow_id: str) -> Round | None:
        """Gets a round by its workflow id."""
        return self.session.get(Round, workflow_id)

    def last_updated(self, *, org_id: str) -> dt.datetime | None:
        """Returns when the organisation's rounds last changed (the newest row), else None."""
        query = select(func.max(Round.updated_at)).where(Round.org_id == org_id)
        return self.session.scalar(query)

    def list(
        self,
        *,
        org_id: str | None = None,
        year: int | None = None,
        period: str | None = None,
        report_id: str | None = None,
        unit_id: str | None = None,
        states: Sequence[str] | None = None,
        due_from: dt.date | None = None,
    ) -> list[Round]:
        """Lists rounds, filtered, ordered by due date then unit."""
        query = select(Round)
        if due_from is not None:
            query = query.where(Round.due >= due_from)
        if org_id is not None:
            query = query.where(Round.org_id == org_id)
        if year is not None:
            query = query.where(Round.period.startswith(f"{year:04d}-"))
        if period is not None:
            query = query.where(Round.period == period)
        if report_id is not None:
            query = query.where(Round.report_id == report_id)
        if unit_id is not None:
            query = query.where(Round.unit_id == unit_id)
        if states is not None:
            query = query.where(Round.state.in_([str(s) for s in states]))
        query = query.order_by(Round.due, Round.report_id, Round.unit_id)
        return list(self.session.scalars(query))


def demo_periods(session: Session, org_id: str) -> list[str]:
    """Lists the periods of the demonstration rounds `up` opened in this store, newest first."""
    rows = RoundRepository(session).list(org_id=org_id, report_id=DEMO_REPORT_ID)
    return sorted({r.period for r in rows if r.demo}, reverse=True)


class AuditRepository:
    """Appends to and reads the audit log; it offers no way to change or remove an entry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        *,
        actor: str,
        action: str,
        workflow_id: str | None = None,
        reason: str | None = None,
        detail: str | None = None,
        seq: int | None = None,
        time: dt.datetime | None = None,
    ) -> AuditEntry:
        """Appends one entry (time defaults to now)."""
        entry = AuditEntry(
            actor=actor,
            action=action,
            workflow_id=workflow_id,
            reason=reason,
            detail=detail,
            seq=seq,
            time=time or utc_now(),
        )
        self.session.add(entry)
        self.session.flush()
        return entry

    def has_event(self, *, workflow_id: str, seq: int) -> bool:
        """Tells whether the round's history event number `seq` is already recorded."""
        query = select(AuditEntry.id).where(
            AuditEntry.workflow_id == workflow_id, AuditEntry.seq == seq
        )
        return self.session.scalar(query) is not None

    def list_for_round(self, *, workflow_id: str) -> list[AuditEntry]:
        """Lists a round's entries in the order they happened."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.workflow_id == workflow_id)
            .order_by(AuditEntry.time, AuditEntry.id)
        )
        return list(self.session.scalars(query))

    def list_recent(self, *, limit: int = 100) -> list[AuditEntry]:
        """Lists the newest entries first."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        return list(self.session.scalars(query))
