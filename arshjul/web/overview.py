"""`/`: the årshjul picture beside the status of every unit and report; extend, resend."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.wheel import report_key, wheel_svg
from arshjul.models.rounds import UPDATE_EXTEND, ExtendInput, round_workflow_id
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.store.db import utc_now
from arshjul.store.repositories import RoundRepository
from arshjul.web.app import WebState, db_session, web_state
from arshjul.web.auth import WebUser, check_csrf, require_roles
from arshjul.web.mail import send_round_link
from arshjul.web.rounds import RoundRefused
from arshjul.web.roundview import load_round
from arshjul.web.status import most_urgent, status_word
from arshjul.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
OWNER = "ekonomichef"
LINK_TTL = dt.timedelta(days=60)


def today_local(state: WebState) -> dt.date:
    """Returns today's date in the organisation's time zone."""
    return utc_now().astimezone(ZoneInfo(state.config.organisation.timezone)).date()


def status_rows(
    state: WebState, session: Session, year: int, today: dt.date
) -> list[dict[str, Any]]:
    """Lists one row per planned or running round of the year, with its status word."""
    config = state.config
    rows = {r.workflow_id: r for r in RoundRepository(session).list(org_id=config.organisation.id)}
    result = []
    for spec in round_specs(config, year):
        row = rows.pop(spec.workflow_id, None)
        due = row.due if row else spec.due
        result.append(
            {
                "workflow_id": spec.workflow_id,
                "report_id": spec.report_id,
                "report_title": spec.report_title,
                "period": spec.period,
                "unit_id": spec.unit_id,
                "unit_name": spec.unit_name,
                "due": due,
                "state": row.state if row else None,
                "status": status_word(row.state if row else None, due, today),
                "meeting": row.meeting if row else None,
            }
        )
    for row in rows.values():  # rounds not in this year's plan (follow-ups, older periods)
        if row.due.year == year:
            result.append(
                {
                    "workflow_id": row.workflow_id,
                    "report_id": row.report_id,
                    "report_title": row.report_title,
                    "period": row.period,
                    "unit_id": row.unit_id,
                    "unit_name": row.unit_name,
                    "due": row.due,
                    "state": row.state,
                    "status": status_word(row.state, row.due, today),
                    "meeting": row.meeting,
                }
            )
    return sorted(result, key=lambda r: (r["due"], r["report_id"], r["unit_name"]))


@router.get("/")
def overview(
    request: Request,
    year: int | None = None,
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Shows the årshjul and the status table; the ekonomichef also gets extend and resend."""
    today = today_local(state)
    year = year if year and 2000 <= year <= 2100 else today.year
    rows = status_rows(state, session, year, today)
    words: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        words[report_key(row["report_id"], row["period"])].append(row["status"])
    svg = wheel_svg(
        expand_year(state.config, year),
        year,
        today=today,
        states={key: most_urgent(ws) for key, ws in words.items()},
        title=f"Årshjul {year} – {state.config.organisation.name}",
    )
    return render(
        request,
        "overview.html",
        title=f"Årshjul {year}",
        year=year,
        rows=rows,
        svg=svg,
        today=today,
        owner=user.has(OWNER),
        units=state.config.units,
    )


def _wid(org: str, report: str, period: str, unit: str) -> str:
    return round_workflow_id(org, report, period, unit)


@router.post("/omgangar/{org}/{report}/{period}/{unit}/forlang", dependencies=[Depends(check_csrf)])
async def extend(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    new_due: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    user: WebUser = Depends(require_roles(OWNER)),
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Moves a round's due date (an update the round may refuse)."""
    wid = _wid(org, report, period, unit)
    try:
        due = dt.date.fromisoformat(new_due)
    except ValueError:
        return _answer(request, 400, "Ange det nya sista datumet som ÅÅÅÅ-MM-DD.")
    await load_round(state, session, wid)  # 404 for an unknown round
    arg = ExtendInput(new_due=due, actor=user.email, reason=reason.strip() or None)
    try:
        result = await (await state.gateway()).update(wid, UPDATE_EXTEND, arg)
    except RoundRefused as err:
        return _answer(request, 409, err.message_sv)
    return _answer(request, 200, result.message, ok=True)


@router.post(
    "/omgangar/{org}/{report}/{period}/{unit}/skicka-lank", dependencies=[Depends(check_csrf)]
)
async def resend(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    user: WebUser = Depends(require_roles(OWNER)),
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Sends the unit a fresh submission link."""
    view = await load_round(state, session, _wid(org, report, period, unit))
    raw = tokens.issue(
        session,
        purpose=tokens.PURPOSE_SUBMIT,
        ttl=LINK_TTL,
        workflow_id=view.workflow_id,
        unit_id=view.spec.unit_id,
        secret_key=state.settings.secret_key,
    )
    session.commit()
    link = f"{state.settings.base_url.rstrip('/')}/s/{raw}"
    try:
        sent_to = await send_round_link(
            state.settings,
            session,
            spec=view.spec,
            due=view.due,
            link=link,
            today=today_local(state),
        )
    except SendError as err:
        log.warning("resend to %s failed: %s", view.workflow_id, err)
        return _answer(request, 503, "E-posten kunde inte skickas just nu. Försök igen senare.")
    names = ", ".join(r.name for r in sent_to)
    return _answer(request, 200, f"En ny länk är skickad till {names}.", ok=True)


def _answer(request: Request, status: int, message: str, ok: bool = False) -> Response:
    return render(
        request,
        "answer.html",
        status,
        title="Klart" if ok else "Det gick inte",
        message=message,
        ok=ok,
    )
