"""`/`: the årshjul picture beside the status of every unit and report; extend, resend."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import anyio
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.rules import MissingMeeting, RuleError
from arshjul.calendar.wheel import report_key, wheel_svg
from arshjul.models.rounds import UPDATE_EXTEND, ExtendInput, round_workflow_id
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.store.db import utc_now
from arshjul.store.repositories import RoundRepository
from arshjul.swedish import date_sv
from arshjul.web.auth import WebUser, check_csrf, require_roles
from arshjul.web.deps import WebState, web_state
from arshjul.web.inputs import CleanText, due_from_form
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


def _where(row: Any, labels: dict[str, str]) -> dict[str, Any]:
    # Which committee has the report, and a target meeting it could not make (never silent).
    if row is None or row.committee_id is None or row.state not in ("on_agenda", "referred"):
        return {"committee": None, "missed": None}
    label = labels.get(row.committee_id, row.committee_id)
    missed = None
    if row.missed_target and row.target_meeting is not None:
        missed = f"Hann inte till {label} {date_sv(row.target_meeting)}"
    return {"committee": label, "missed": missed}


def status_rows(
    session: Session,
    config: ArshjulConfig,
    year: int,
    today: dt.date,
    skipped: list[MissingMeeting] | None = None,
) -> list[dict[str, Any]]:
    """Lists one row per planned or running round of the year, with its status word."""
    rows = {r.workflow_id: r for r in RoundRepository(session).list(org_id=config.organisation.id)}
    labels = {c.id: c.label for c in config.committees}
    result = []
    # A year whose meeting plan is missing still shows what can be computed (check says why).
    for spec in round_specs(config, year, skipped=[] if skipped is None else skipped):
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
                **_where(row, labels),
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
                    **_where(row, labels),
                }
            )
    return sorted(result, key=lambda r: (r["due"], r["report_id"], r["unit_name"]))


def _wheel(config: ArshjulConfig, year: int, today: dt.date, rows: list[dict[str, Any]]) -> str:
    words: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        words[report_key(row["report_id"], row["period"])].append(row["status"])
    try:
        entries = expand_year(config, year)
    except RuleError:  # a meeting plan not in the configuration yet: the wheel without dates
        entries = []
    return wheel_svg(
        entries,
        year,
        today=today,
        states={key: most_urgent(ws) for key, ws in words.items()},
        title=f"Årshjul {year} – {config.organisation.name}",
    )


@router.get("/")
async def overview(
    request: Request,
    year: int | None = None,
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the årshjul and the status table; the ekonomichef also gets extend and resend."""
    today = today_local(state)
    year = year if year and 2000 <= year <= 2100 else today.year
    skipped: list[MissingMeeting] = []
    rows = await state.db(status_rows, state.config, year, today, skipped)
    names = {c.id: c.name for c in state.config.committees}
    missing = sorted({p.sv(names.get(p.committee, p.committee)) for p in skipped})
    # The year's expansion and the picture take tens of milliseconds: not on the event loop.
    svg = await anyio.to_thread.run_sync(_wheel, state.config, year, today, rows)
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
        missing_meetings=missing,
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
    new_due: Annotated[CleanText, Form(max_length=20)] = "",
    reason: Annotated[CleanText, Form(max_length=2000)] = "",
    user: WebUser = Depends(require_roles(OWNER)),
    state: WebState = Depends(web_state),
) -> Response:
    """Moves a round's due date (an update the round may refuse)."""
    wid = _wid(org, report, period, unit)
    view = await load_round(state, wid)  # 404 for an unknown round
    due, problem = due_from_form(new_due, view.today)
    if due is None:
        return _answer(request, 400, problem or "")
    arg = ExtendInput(new_due=due, actor=user.email, reason=reason.strip() or None)
    try:
        result = await (await state.gateway()).update(wid, UPDATE_EXTEND, arg)
    except RoundRefused as err:
        return _answer(request, 409, err.message_sv)
    # Taken (result None: its audit entry is still on its way): the due date has moved.
    return _answer(request, 200, result.message if result else f"Ny sista dag: {due}.", ok=True)


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
) -> Response:
    """Sends the unit a fresh submission link."""
    view = await load_round(state, _wid(org, report, period, unit))
    raw = await state.db(
        tokens.issue,
        purpose=tokens.PURPOSE_SUBMIT,
        ttl=LINK_TTL,
        workflow_id=view.workflow_id,
        unit_id=view.spec.unit_id,
        secret_key=state.settings.secret_key,
    )
    link = f"{state.settings.base_url.rstrip('/')}/s/{raw}"
    try:
        await send_round_link(
            state.settings, spec=view.spec, due=view.due, link=link, actor=user.email
        )
    except SendError as err:
        log.warning("resend to %s failed: %s", view.workflow_id, err)
        return _answer(request, 503, "E-posten kunde inte skickas just nu. Försök igen senare.")
    names = ", ".join(r.name for r in view.spec.recipients)
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
