"""`/motioner`: the motioner and medborgarförslag the kommunsekreterare or the ekonomichef
registers, follows and closes, with the days left of (or over) the one-year limit.

Every page answers 404 when the configuration has no `motions`. A refused form shows each problem
beside its field with everything typed kept, and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig, MotionsConfig
from arshjul.calendar.motions import (
    CLOSED,
    KIND_SV,
    STATUS_SV,
    STATUSES,
    days_left,
    limit_date,
    next_report_meeting,
)
from arshjul.store.models import Motion
from arshjul.store.repositories import MotionRepository
from arshjul.web.auth.access import may_manage_motions
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import read_form
from arshjul.web.motions.checks import FIELDS, LIMITS, check_motion, kinds, responsibles
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
Filter = Literal["oppna", "over", "alla"]
FILTERS_SV: dict[str, str] = {
    "oppna": "Under beredning",
    "over": "Över tidsgränsen",
    "alla": "Alla",
}
NOTICES = {
    "registrerad": "Ärendet är registrerat.",
    "sparad": "Ändringarna är sparade.",
    "oforandrad": "Inget var ändrat; inget är sparat.",
}
FIELD_LABELS = {
    "kind": "Typ",
    "number": "Nummer",
    "title": "Rubrik",
    "submitted_by": "Förslagsställare",
    "vackt_on": "Väckt",
    "responsible_id": "Ansvarig",
    "responsible_name": "Ansvarig (namn)",
    "status": "Status",
    "closed_on": "Beslutsdatum",
    "decision_ref": "Beslut (§)",
    "delay_reason": "Redovisning av beredningen",
}


def _motions(state: WebState) -> MotionsConfig:
    if state.config.motions is None:
        raise HTTPException(404, "motions are not configured")
    return state.config.motions


async def manager(
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> WebUser:
    """The ekonomichef, the roles the motions name, or the secretary of their committee."""
    _motions(state)
    if not may_manage_motions(state.config, user):
        raise HTTPException(403, "only the kansli registers motions")
    return user


@dataclass(frozen=True)
class Row:
    """A motion as the list shows it, with its limit counted for today."""

    id: int
    number: str
    kind: str
    title: str
    vackt_on: dt.date
    responsible: str
    status: str
    limit: dt.date
    days: int  # left (negative: over) while open; for a closed one, how late it was decided
    open: bool

    @property
    def days_sv(self) -> str:
        """The days left or over, in words."""
        if not self.open:
            if self.status == "atertagen":
                return "–"
            return "Beslutad i tid" if self.days >= 0 else f"Beslutad {-self.days} dagar för sent"
        if self.days == 0:
            return "Sista dagen i dag"
        if self.days > 0:
            return f"{self.days} {'dag' if self.days == 1 else 'dagar'} kvar"
        return f"{-self.days} {'dag' if self.days == -1 else 'dagar'} över tidsgränsen"


def _row(config: ArshjulConfig, motion: Motion, today: dt.date, months: int) -> Row:
    names = dict(responsibles(config))
    closed_on = motion.closed_on if motion.status in CLOSED else None
    return Row(
        id=motion.id,
        number=motion.number,
        kind=motion.kind,
        title=motion.title,
        vackt_on=motion.vackt_on,
        responsible=names.get(motion.responsible_id, motion.responsible_name),
        status=motion.status,
        limit=limit_date(motion.vackt_on, months),
        days=days_left(motion.vackt_on, closed_on or today, months),
        open=closed_on is None,
    )


def _list(session: Session, config: ArshjulConfig, today: dt.date) -> list[Row]:
    motions = config.motions
    assert motions is not None
    rows = MotionRepository(session).motions(org_id=config.organisation.id)
    return [_row(config, m, today, motions.limit_months) for m in rows]


@router.get("/motioner")
async def motion_list(
    request: Request,
    visa: str = "oppna",
    user: WebUser = Depends(manager),
    state: WebState = Depends(web_state),
) -> Response:
    """Lists the motions and medborgarförslag: those under beredning, those past the limit, all."""
    motions = _motions(state)
    chosen = visa if visa in FILTERS_SV else "oppna"
    today = today_local(state)
    rows = await state.db(_list, state.config, today)
    shown = [r for r in rows if chosen == "alla" or (r.open and (chosen == "oppna" or r.days < 0))]
    committee = state.config.committee(motions.committee)
    report = next_report_meeting(motions, committee.dates, today)
    return render(
        request,
        "motioner.html",
        title="Motioner och medborgarförslag",
        rows=shown,
        counts={
            "oppna": sum(r.open for r in rows),
            "over": sum(r.open and r.days < 0 for r in rows),
            "alla": len(rows),
        },
        chosen=chosen,
        filters=FILTERS_SV,
        kind_sv=KIND_SV,
        status_sv=STATUS_SV,
        committee=committee,
        report=report,
        months=motions.limit_months,
    )


def _form_page(
    request: Request,
    state: WebState,
    *,
    motion: Motion | None = None,
    fields: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    history: list[Any] | None = None,
    status_code: int = 200,
) -> Response:
    motions = _motions(state)
    today = today_local(state)
    limit = limit_date(motion.vackt_on, motions.limit_months) if motion else None
    return render(
        request,
        "motion.html",
        status_code,
        title=f"{KIND_SV.get(motion.kind, 'Ärende')} {motion.number}" if motion else "Ny motion",
        motion=motion,
        fields=fields or {},
        errors=errors or {},
        error_list=[{"field": k, "message": v} for k, v in (errors or {}).items()],
        kinds=kinds(state.config),
        kind_sv=KIND_SV,
        statuses=STATUSES,
        status_sv=STATUS_SV,
        responsibles=responsibles(state.config),
        limits=LIMITS,
        limit=limit,
        days=days_left(motion.vackt_on, today, motions.limit_months) if motion else None,
        today=today,
        history=history or [],
        field_labels=FIELD_LABELS,
        notice=NOTICES.get(request.query_params.get("klart", "")),
    )


def _typed(motion: Motion) -> dict[str, str]:
    return {
        "kind": motion.kind,
        "number": motion.number,
        "title": motion.title,
        "submitted_by": motion.submitted_by,
        "vackt_on": motion.vackt_on.isoformat(),
        "responsible": motion.responsible_id,
        "status": motion.status,
        "closed_on": motion.closed_on.isoformat() if motion.closed_on else "",
        "decision_ref": motion.decision_ref or "",
        "delay_reason": motion.delay_reason,
    }


async def _posted(request: Request) -> dict[str, str]:
    form = await read_form(request, max_fields=40, max_files=0)
    return {k: str(form.get(k, "")) for k in FIELDS}


@router.get("/motioner/ny")
async def new_motion(
    request: Request,
    user: WebUser = Depends(manager),
    state: WebState = Depends(web_state),
) -> Response:
    """The form for a new motion or medborgarförslag."""
    return _form_page(request, state, fields={"kind": "motion", "status": "under_beredning"})


@router.post("/motioner", dependencies=[Depends(check_csrf)])
async def register_motion(
    request: Request,
    user: WebUser = Depends(manager),
    state: WebState = Depends(web_state),
) -> Response:
    """Registers a motion; a bad field is refused beside it and nothing is stored."""
    motions = _motions(state)
    typed = await _posted(request)
    config = state.config

    def add(session: Session) -> tuple[int | None, dict[str, str]]:
        repo = MotionRepository(session)
        taken = repo.by_number(org_id=config.organisation.id, number=typed["number"]) is not None
        checked = check_motion(config, typed, today_local(state), taken=taken)
        if checked.fields is None:
            return None, checked.errors
        row = repo.add(
            org_id=config.organisation.id,
            committee_id=motions.committee,
            fields=checked.fields,
            by=user.email,
        )
        return row.id, {}

    motion_id, errors = await state.db(add)
    if motion_id is None:
        return _form_page(request, state, fields=typed, errors=errors, status_code=422)
    return RedirectResponse(f"/motioner/{motion_id}?klart=registrerad", 303)


def _read(session: Session, config: ArshjulConfig, motion_id: int) -> tuple[Motion, list[Any]]:
    repo = MotionRepository(session)
    row = repo.get(org_id=config.organisation.id, motion_id=motion_id)
    if row is None:
        raise HTTPException(404, "no such motion")
    history = [
        {
            "time": e.time,
            "actor": e.actor,
            "registered": e.action == "motion_registered",
            "changes": json.loads(e.detail or "{}"),
        }
        for e in repo.history(row)
    ]
    session.expunge(row)
    return row, history


@router.get("/motioner/{motion_id}")
async def motion_page(
    request: Request,
    motion_id: int,
    user: WebUser = Depends(manager),
    state: WebState = Depends(web_state),
) -> Response:
    """One motion: its facts, the limit, the form to change or close it, and its history."""
    row, history = await state.db(_read, state.config, motion_id)
    return _form_page(request, state, motion=row, fields=_typed(row), history=history)


@router.post("/motioner/{motion_id}", dependencies=[Depends(check_csrf)])
async def save_motion(
    request: Request,
    motion_id: int,
    user: WebUser = Depends(manager),
    state: WebState = Depends(web_state),
) -> Response:
    """Saves a changed or closed motion (each change logged with its old value)."""
    typed = await _posted(request)
    config = state.config

    def save(session: Session) -> tuple[str | None, dict[str, str]]:
        repo = MotionRepository(session)
        row = repo.get(org_id=config.organisation.id, motion_id=motion_id)
        if row is None:
            raise HTTPException(404, "no such motion")
        other = repo.by_number(org_id=config.organisation.id, number=typed["number"])
        taken = other is not None and other.id != row.id
        checked = check_motion(config, typed, today_local(state), taken=taken)
        if checked.fields is None:
            return None, checked.errors
        changed = repo.update(row, checked.fields, by=user.email)
        return ("sparad" if changed else "oforandrad"), {}

    done, errors = await state.db(save)
    if done is None:
        row, history = await state.db(_read, config, motion_id)
        return _form_page(
            request,
            state,
            motion=row,
            fields=typed,
            errors=errors,
            history=history,
            status_code=422,
        )
    return RedirectResponse(f"/motioner/{motion_id}?klart={done}", 303)
