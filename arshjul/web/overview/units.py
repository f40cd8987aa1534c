"""`/mina-rapporter` and `/enheter/{unit}`: a unit's rounds for the people who answer for it
(state, due date, the form, history, receipts), and its deputies and extra recipients, set by
the unit's chef or the ekonomichef."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from arshjul.calendar.config import OWNER_ROLE
from arshjul.calendar.dates import submitter_names
from arshjul.models.rounds import round_workflow_id
from arshjul.notifications import tokens
from arshjul.store.models import UNIT_DEPUTY, UNIT_RECIPIENT
from arshjul.store.repositories import (
    AuditRepository,
    RoundRepository,
    SubmissionRepository,
    UnitPeopleRepository,
)
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import date_from_form
from arshjul.web.core.roundview import mirror_history
from arshjul.web.overview.rows import never_opened, status_rows, urgent_key
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
logged_in = require_roles()
LINK_TTL = dt.timedelta(hours=12)
EMAIL = TypeAdapter(EmailStr)


def _unit_name(state: WebState, unit: str) -> str:
    names = submitter_names(state.config)
    if unit not in names:
        raise HTTPException(404, "unknown unit")
    return names[unit]


def may_see(user: WebUser, unit: str) -> bool:
    """Whether the person answers for the unit or owns the årshjul."""
    return unit in user.units or user.has(OWNER_ROLE)


def may_manage(state: WebState, user: WebUser, unit: str) -> bool:
    """Whether the person may set the unit's deputies and recipients: its chef, the ekonomichef."""
    chef = next((u.chef.email.lower() for u in state.config.units if u.id == unit), None)
    return user.has(OWNER_ROLE) or (chef is not None and chef == user.email)


def _require_manager(state: WebState, user: WebUser, unit: str) -> None:
    # An unknown unit answers 404 before anyone's rights are looked at, then 403.
    _unit_name(state, unit)
    if not may_manage(state, user, unit):
        raise HTTPException(403, "only the unit's chef or the ekonomichef")


def unit_panel(
    session: Session, state: WebState, user: WebUser, unit: str, today: dt.date
) -> dict[str, Any]:
    """Everything one unit's section shows: its rounds this year and the people around it."""
    org = state.config.organisation.id
    year = status_rows(session, state.config, today.year, today)
    # What the unit must do first; rounds that never opened are no one's miss: apart, collapsed.
    rows, never = never_opened(sorted((r for r in year if r["unit_id"] == unit), key=urgent_key))
    versions = SubmissionRepository(session)
    for row in rows:
        if row["state"] is not None:
            row["history"] = mirror_history(session, row["workflow_id"])
            row["versions"] = versions.versions(workflow_id=row["workflow_id"])
        row["period_path"] = f"{row['report_id']}/{row['period']}"
    people = UnitPeopleRepository(session)
    return {
        "id": unit,
        "name": _unit_name(state, unit),
        "rows": rows,
        "never": never,
        "chefs": people.chefs(org_id=org, unit_id=unit),
        "people": people.list(org_id=org, unit_id=unit),
        "manage": may_manage(state, user, unit),
        "answers": unit in user.units,
    }


def names_of(panels: list[dict[str, Any]]) -> dict[str, str]:
    """The names of the units' deputies and recipients by address (history shows names)."""
    return {p.email.lower(): p.name for panel in panels for p in panel["people"]}


@router.get("/mina-rapporter")
async def my_reports(
    request: Request, user: WebUser = Depends(logged_in), state: WebState = Depends(web_state)
) -> Response:
    """Lists every round of the units the person answers for, and who gets their mails."""
    today = today_local(state)
    panels = [await state.db(unit_panel, state, user, u, today) for u in sorted(user.units)]
    return render(
        request,
        "units.html",
        title="Mina rapporter",
        panels=panels,
        today=today,
        people_names=names_of(panels),
    )


@router.get("/enheter/{unit}")
async def unit_page(
    request: Request,
    unit: str,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> Response:
    """One unit's rounds and people (its own people and the ekonomichef)."""
    _unit_name(state, unit)
    if not may_see(user, unit):
        raise HTTPException(403, "not this unit's")
    today = today_local(state)
    panel = await state.db(unit_panel, state, user, unit, today)
    return render(
        request,
        "units.html",
        title=panel["name"],
        panels=[panel],
        today=today,
        people_names=names_of([panel]),
    )


def _round_link(session: Session, state: WebState, unit: str, wid: str) -> str | None:
    if RoundRepository(session).get(workflow_id=wid) is None:
        return None
    return tokens.issue_for_round(
        session, workflow_id=wid, unit_id=unit, ttl=LINK_TTL, secret_key=state.settings.secret_key
    )


@router.get("/enheter/{unit}/rapport/{report}/{period}")
async def open_round(
    unit: str,
    report: str,
    period: str,
    kvitto: int | None = None,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> Response:
    """Opens a round's form (or a receipt) for someone who answers for the unit: a fresh link."""
    if unit not in user.units:
        raise HTTPException(403, "not this unit's")
    wid = round_workflow_id(state.config.organisation.id, report, period, unit)
    raw = await state.db(_round_link, state, unit, wid)
    if raw is None:
        raise HTTPException(404, "the round has not started")
    target = f"/s/{raw}" + (f"/kvitto/{kvitto}" if kvitto else "")
    return RedirectResponse(target, 303)


def _person_problems(
    kind: str, name: str, email: str, starts: str, ends: str, today: dt.date
) -> tuple[list[str], dt.date | None, dt.date | None]:
    problems: list[str] = []
    if kind not in (UNIT_DEPUTY, UNIT_RECIPIENT):
        problems.append("Välj om personen är ersättare eller mottagare.")
    if not name.strip():
        problems.append("Ange personens namn.")
    try:
        EMAIL.validate_python(email.strip())
    except ValidationError:
        problems.append("Ange en giltig e-postadress, till exempel namn@kommun.se.")
    first = last = None
    if kind == UNIT_DEPUTY:
        try:
            first, last = date_from_form(starts), date_from_form(ends)
        except ValueError:
            first = last = None
        if first is None or last is None:
            problems.append("Ange ersättarens första och sista dag som ÅÅÅÅ-MM-DD.")
        else:
            if last < first:
                problems.append("Sista dagen kan inte vara före den första.")
            elif last < today:
                problems.append("Perioden har redan passerat.")
            elif (last - first).days > 366:
                problems.append("En ersättare kan sättas för högst ett år i taget.")
    return problems, first, last


@router.post("/enheter/{unit}/personer", dependencies=[Depends(check_csrf)])
async def add_person(
    request: Request,
    unit: str,
    kind: Annotated[str, Form(max_length=16)] = "",
    name: Annotated[str, Form(max_length=300)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    starts: Annotated[str, Form(max_length=20)] = "",
    ends: Annotated[str, Form(max_length=20)] = "",
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> Response:
    """Adds a deputy for a date range, or a recipient of every mail of the unit."""
    _require_manager(state, user, unit)
    today = today_local(state)
    problems, first, last = _person_problems(kind, name, email, starts, ends, today)
    if problems:
        panel = await state.db(unit_panel, state, user, unit, today)
        form = {"kind": kind, "name": name, "email": email, "starts": starts, "ends": ends}
        return render(
            request,
            "units.html",
            400,
            title=panel["name"],
            panels=[panel],
            today=today,
            problems=problems,
            form=form,
        )
    person = {"kind": kind, "name": name, "email": email, "starts": first, "ends": last}
    await state.db(_add, state.config.organisation.id, unit, person, user.email)
    return RedirectResponse(f"/enheter/{unit}#personer", 303)


def _add(session: Session, org_id: str, unit: str, person: dict[str, Any], actor: str) -> None:
    added = UnitPeopleRepository(session).add(
        org_id=org_id, unit_id=unit, created_by=actor, **person
    )
    dates = f" {added.starts}–{added.ends}" if added.starts else ""
    AuditRepository(session).append(
        actor=actor,
        action=f"unit_{added.kind}_added",
        detail=f"{unit}: {added.name} <{added.email}>{dates}",
    )


@router.post("/enheter/{unit}/personer/{person_id}/ta-bort", dependencies=[Depends(check_csrf)])
async def remove_person(
    unit: str,
    person_id: int,
    user: WebUser = Depends(logged_in),
    state: WebState = Depends(web_state),
) -> Response:
    """Removes a deputy or recipient of the unit."""
    _require_manager(state, user, unit)
    if not await state.db(_remove, state.config.organisation.id, unit, person_id, user.email):
        raise HTTPException(404, "no such person of this unit")
    return RedirectResponse(f"/enheter/{unit}#personer", 303)


def _remove(session: Session, org_id: str, unit: str, person_id: int, actor: str) -> bool:
    gone = UnitPeopleRepository(session).remove(org_id=org_id, unit_id=unit, person_id=person_id)
    if gone is not None:
        AuditRepository(session).append(
            actor=actor, action=f"unit_{gone.kind}_removed", detail=f"{unit}: {gone.email}"
        )
    return gone is not None
