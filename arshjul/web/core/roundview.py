"""What the pages show about one round: the workflow's answer, or the SQL mirror when it is away."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeGuard, get_args
from urllib.parse import quote

from fastapi import HTTPException, Response
from sqlalchemy.orm import Session

from arshjul.models.rounds import (
    WAITING_FOR_UNIT,
    Event,
    HistoryEntry,
    RoundSpec,
    RoundState,
    RoundStatus,
)
from arshjul.store.db import local_date, utc_now
from arshjul.store.repositories import AttachmentRepository, AuditRepository, RoundRepository
from arshjul.web.core.deps import WebState
from arshjul.web.core.rounds import RoundNotFound, RoundUnavailable

REMIT_EVENTS = ("remitted", "ks_remitted")
UNDECIDED = (RoundState.SUBMITTED, RoundState.AWAITING_MEETING, RoundState.ON_AGENDA)
DECISIONS = ("approved", "remitted", "referred", "ks_approved", "ks_remitted", "passed_on")


class RoundView(RoundStatus):
    """A round as the pages need it; `live` is False when Temporal did not answer (SQL mirror)."""

    live: bool = True

    @classmethod
    def from_status(cls, status: RoundStatus) -> RoundView:
        """Builds the view from the workflow's status query."""
        return cls.model_validate(status.model_dump())

    @property
    def remit_reason(self) -> HistoryEntry | None:
        """The latest återremiss, when the round is remitted (its reasons go at the top)."""
        if self.state != RoundState.REMITTED:
            return None
        return next((h for h in reversed(self.history) if h.event in REMIT_EVENTS), None)

    @property
    def accepts_correction(self) -> bool:
        """Whether the unit may still correct or withdraw its report: submitted, not decided."""
        if self.state not in UNDECIDED:
            return False
        for entry in reversed(self.history):
            if entry.event in ("submitted", "corrected"):
                return True
            if entry.event in DECISIONS:
                return False
        return True

    @property
    def today(self) -> dt.date:
        """Today on the round's own clock (its time zone, and a simulation's offset)."""
        now = utc_now() + dt.timedelta(seconds=self.spec.clock_offset_s)
        return local_date(now, self.spec.timezone)

    @property
    def accepts_submission(self) -> bool:
        """Whether the unit may submit now (open or remitted)."""
        return self.state in WAITING_FOR_UNIT


def _is_event(action: str) -> TypeGuard[Event]:
    return action in get_args(Event)


def mirror_history(session: Session, workflow_id: str) -> list[HistoryEntry]:
    """Returns a round's history as the SQL mirror has it (the audit log's round events)."""
    return [
        HistoryEntry(event=e.action, time=e.time, actor=e.actor, reason=e.reason, detail=e.detail)
        for e in AuditRepository(session).list_for_round(workflow_id=workflow_id)
        if _is_event(e.action)
    ]


def mirrored_round(session: Session, workflow_id: str) -> RoundView | None:
    """Returns the round as the SQL mirror has it (for when Temporal is away), or None."""
    row = RoundRepository(session).get(workflow_id=workflow_id)
    if row is None:
        return None
    history = mirror_history(session, workflow_id)
    return RoundView(
        workflow_id=row.workflow_id,
        spec=RoundSpec.model_validate(row.spec),
        state=RoundState(row.state),
        due=row.due,
        meeting=row.meeting,
        committee_id=row.committee_id,
        submission_id=row.submission_id,
        history=history,
        live=False,
    )


async def load_round(state: WebState, workflow_id: str) -> RoundView:
    """Returns the round from its workflow, or from SQL when Temporal is away; 404 if unknown."""
    try:
        gateway = await state.gateway()
        return RoundView.from_status(await gateway.status(workflow_id))
    except RoundNotFound:
        view = await state.db(mirrored_round, workflow_id)
    except RoundUnavailable:
        view = await state.db(mirrored_round, workflow_id)
        if view is None:
            raise
    if view is None:
        raise HTTPException(404, "no such round")
    return view


def attachment_refs(session: Session, workflow_id: str, shas: list[str]) -> list[dict[str, Any]]:
    """Returns the stored attachments of this round with these hashes (others are ignored)."""
    repo = AttachmentRepository(session)
    refs = []
    for sha in dict.fromkeys(shas):
        found = repo.get(workflow_id=workflow_id, sha256=sha)
        if found is not None:
            refs.append(
                {
                    "name": found.name,
                    "size": found.size,
                    "content_type": found.content_type,
                    "sha256": found.sha256,
                }
            )
    return refs


def attachment_response(session: Session, workflow_id: str, sha: str) -> Response:
    """Returns a stored attachment as a download (404 when the round has no such file)."""
    found = AttachmentRepository(session).get(workflow_id=workflow_id, sha256=sha)
    if found is None:
        raise HTTPException(404, "no such attachment")
    quoted = found.name.replace('"', "")
    return Response(
        found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(quoted)}"},
    )
