"""`/api/…`: JSON for rounds, submissions, decisions and the calendar (OpenAPI at /api/docs).

The same rules as the pages: rounds, submissions and decisions need a login; the calendar is
public like its feeds.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from arshjul.calendar.expand import CalendarEntry, expand_year
from arshjul.calendar.municipal import SLUG
from arshjul.models.rounds import RoundStatus, round_workflow_id
from arshjul.store.repositories import DecisionRepository, RoundRepository, SubmissionRepository
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.roundview import load_round
from arshjul.web.pages.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Id = Annotated[str, Query(max_length=64, pattern=SLUG)]
Slug = Annotated[str, Path(max_length=64, pattern=SLUG)]
Period = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$")]
logged_in = require_roles()


class RoundRead(BaseModel):
    """A round as mirrored in SQL."""

    workflow_id: str
    report_id: str
    report_title: str
    period: str
    unit_id: str
    unit_name: str
    state: str
    due: dt.date
    meeting: dt.date | None
    committee_id: str | None
    submission_id: int | None


class SubmissionRead(BaseModel):
    """One stored version of a submission."""

    id: int
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    sha256: str
    delivery_status: str
    content: dict[str, Any]


class DecisionRead(BaseModel):
    """A committee decision with its protocol paragraph."""

    id: int
    workflow_id: str
    committee_id: str
    meeting: dt.date
    paragraph: int
    outcome: str
    reason: str | None
    decided_by: str
    decided_at: dt.datetime


def _rounds(session: Session, **filters: Any) -> list[RoundRead]:
    rows = RoundRepository(session).list(**filters)
    return [RoundRead.model_validate(r, from_attributes=True) for r in rows]


@router.get("/rounds", response_model=list[RoundRead])
async def list_rounds(
    year: Year = None,
    report: Id | None = None,
    unit: Id | None = None,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> list[RoundRead]:
    """Lists the organisation's rounds, filtered by year, report and unit."""
    org_id = state.config.organisation.id
    return await state.db(_rounds, org_id=org_id, year=year, report_id=report, unit_id=unit)


@router.get("/rounds/{org}/{report}/{period}/{unit}", response_model=RoundStatus)
async def get_round(
    org: Slug,
    report: Slug,
    period: Period,
    unit: Slug,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> RoundStatus:
    """Returns a round's state, due date, agenda meeting and history."""
    return await load_round(state, round_workflow_id(org, report, period, unit))


@router.get(
    "/rounds/{org}/{report}/{period}/{unit}/submissions", response_model=list[SubmissionRead]
)
async def list_submissions(
    org: Slug,
    report: Slug,
    period: Period,
    unit: Slug,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> list[SubmissionRead]:
    """Lists every version submitted for a round, oldest first."""
    return await state.db(_submissions, round_workflow_id(org, report, period, unit))


def _submissions(session: Session, workflow_id: str) -> list[SubmissionRead]:
    versions = SubmissionRepository(session).versions(workflow_id=workflow_id)
    return [SubmissionRead.model_validate(v, from_attributes=True) for v in versions]


@router.get("/decisions", response_model=list[DecisionRead])
async def list_decisions(
    committee: Id,
    meeting: dt.date,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> list[DecisionRead]:
    """Lists a meeting's decisions in paragraph order (the protocol)."""
    org_id = state.config.organisation.id
    return await state.db(_decisions, committee_id=committee, meeting=meeting, org_id=org_id)


def _decisions(session: Session, **where: Any) -> list[DecisionRead]:
    rows = DecisionRepository(session).list_for_meeting(**where)
    return [DecisionRead.model_validate(d, from_attributes=True) for d in rows]


@router.get("/calendar", response_model=list[CalendarEntry])
async def calendar(
    year: Year = None, unit: Id | None = None, state: WebState = Depends(web_state)
) -> list[CalendarEntry]:
    """Lists the årshjul's dated entries for a year (a unit's own and the shared ones)."""
    try:
        year = year or today_local(state).year
        return await anyio.to_thread.run_sync(expand_year, state.config, year, unit)
    except ValueError as err:
        raise HTTPException(404, "unknown unit") from err
