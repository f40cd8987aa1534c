"""The ekonomichef's actions from the overview: extend a deadline, send a new link, and remind
several units at once. Each goes to whoever answers for the unit today (deputies included)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import OWNER_ROLE
from arshjul.models.rounds import (
    UPDATE_EXTEND,
    WAITING_FOR_UNIT,
    ExtendInput,
    Recipient,
    RoundSpec,
    round_workflow_id,
)
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.store.repositories import AuditRepository, RoundRepository
from arshjul.swedish import date_sv, month_sv
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText, due_from_form
from arshjul.web.core.mail import send_round_link
from arshjul.web.core.rounds import RoundRefused
from arshjul.web.core.roundview import load_round
from arshjul.web.overview.page import ExtendProblem, filters_from, overview_page
from arshjul.web.overview.rows import DEFAULT_SORT, Filters
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
LINK_TTL = dt.timedelta(days=60)
MAX_BULK = 200  # rounds in one bulk reminder
CASE = "/omgangar/{org}/{report}/{period}/{unit}"


async def _link(state: WebState, spec: RoundSpec) -> str:
    # Committed (state.db) before the mail goes: a mail never carries a link the store lacks.
    raw = await state.db(
        tokens.issue_for_round,
        workflow_id=spec.workflow_id,
        unit_id=spec.unit_id,
        ttl=LINK_TTL,
        secret_key=state.settings.secret_key,
    )
    return tokens.round_url(state.settings.base_url, raw)


def _back(raw: str) -> tuple[int | None, Filters]:
    # The overview the form was on (its year, filters and page), as typed into a hidden field.
    values = {k: v[-1][:64] for k, v in parse_qs(raw[:1000]).items() if v}
    year = values.get("year", "")
    page = values.get("page", "")
    return (
        int(year) if year.isdigit() and 1900 < int(year) < 3000 else None,
        filters_from(
            report=values.get("report", ""),
            period=values.get("period", ""),
            unit=values.get("unit", ""),
            status=values.get("status", ""),
            sort=values.get("sort", DEFAULT_SORT),
            page=min(int(page), 10_000) if page.isdigit() and int(page) >= 1 else 1,
        ),
    )


def _back_url(raw: str) -> str:
    year, f = _back(raw)
    query = "&".join(q for q in (f"year={year}" if year else "", f.query()) if q)
    return "/" + (f"?{query}" if query else "") + "#status"


def what_sv(spec: RoundSpec) -> str:
    """Names a round for a confirmation: the unit, the report and its period."""
    return f"{spec.unit_name}, {spec.report_title} {month_sv(spec.period)}"


@router.post(CASE + "/forlang", dependencies=[Depends(check_csrf)])
async def extend(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    new_due: Annotated[CleanText, Form(max_length=20)] = "",
    reason: Annotated[CleanText, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=1000)] = "",
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Moves a round's due date (an update the round may refuse); a reason is required."""
    wid = round_workflow_id(org, report, period, unit)
    view = await load_round(state, wid)  # 404 for an unknown round

    async def refused(status: int, message: str) -> Response:
        # Shown at the row on the overview it came from, with what was typed kept.
        year, f = _back(back)
        problem = ExtendProblem(wid, message, new_due, reason)
        return await overview_page(request, state, user, year, f, problem, status)

    due, problem = due_from_form(new_due, view.today)
    if due is None:
        return await refused(400, problem or "")
    if not reason.strip():
        return await refused(400, "Ange ett skäl till förlängningen. Inget har ändrats.")
    arg = ExtendInput(new_due=due, actor=user.email, reason=reason.strip())
    try:
        await (await state.gateway()).update(wid, UPDATE_EXTEND, arg)
    except RoundRefused as err:
        return await refused(409, err.message_sv)
    # Taken (even when its mail and audit entry are still on their way): the date has moved.
    message = f"Ny sista dag för {what_sv(view.spec)}: {date_sv(due)}."
    return answer(request, 200, message, ok=True, back=_back_url(back))


@router.post(CASE + "/skicka-lank", dependencies=[Depends(check_csrf)])
async def resend(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Sends the unit a fresh submission link with the current due date."""
    view = await load_round(state, round_workflow_id(org, report, period, unit))
    link = await _link(state, view.spec)
    try:
        sent_to = await send_round_link(
            state,
            spec=view.spec,
            due=view.due,
            link=link,
            today=today_local(state),
        )
    except SendError as err:
        log.warning("resend to %s failed: %s", view.workflow_id, err)
        return answer(request, 503, "E-posten kunde inte skickas just nu. Försök igen senare.")
    names = ", ".join(r.name for r in sent_to)
    message = f"En ny länk för {what_sv(view.spec)} är skickad till {names}."
    return answer(request, 200, message, ok=True)


@router.post("/omgangar/paminn", dependencies=[Depends(check_csrf)])
async def remind(
    request: Request,
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Sends a reminder with a fresh link to every chosen round that still waits for its unit."""
    form = await request.form()
    chosen = list(dict.fromkeys(str(v) for v in form.getlist("round")))[: MAX_BULK + 1]
    if not chosen:
        return answer(request, 400, "Välj minst en rapport att påminna om.")
    if len(chosen) > MAX_BULK:
        return answer(request, 400, f"Välj högst {MAX_BULK} rapporter åt gången.")
    today = today_local(state)
    waiting, skipped = await state.db(_waiting, state.config.organisation.id, chosen)
    done: list[str] = []
    for spec, due in waiting:
        try:
            sent_to = await send_round_link(
                state,
                spec=spec,
                due=due,
                link=await _link(state, spec),
                today=today,
                template="reminder",
            )
        except SendError as err:
            log.warning("reminder to %s failed: %s", spec.workflow_id, err)
            skipped.append(spec.unit_name)
            continue
        await state.db(_log_reminder, user.email, spec.workflow_id, sent_to)
        done.append(f"{spec.unit_name} ({spec.report_title} {month_sv(spec.period)})")
    message = f"Påminnelse skickad för {len(done)} rapporter: {', '.join(done)}."
    if skipped:
        message += f" Inte skickad (inlämnad, avslutad eller okänd): {', '.join(skipped)}."
    return answer(request, 200 if done else 409, message, ok=bool(done))


def _waiting(
    session: Session, org_id: str, chosen: list[str]
) -> tuple[list[tuple[RoundSpec, dt.date]], list[str]]:
    # The chosen rounds that still wait for their unit, and the names of the others.
    rounds = RoundRepository(session)
    waiting, skipped = [], []
    for wid in chosen:
        row = rounds.get(workflow_id=wid)
        if row is None or row.org_id != org_id or row.state not in WAITING_FOR_UNIT:
            skipped.append(row.unit_name if row else wid)
        else:
            waiting.append((RoundSpec.model_validate(row.spec), row.due))
    return waiting, skipped


def _log_reminder(session: Session, actor: str, workflow_id: str, to: list[Recipient]) -> None:
    AuditRepository(session).append(
        actor=actor,
        action="manual_reminder",
        workflow_id=workflow_id,
        detail=", ".join(r.email for r in to),
    )


def answer(
    request: Request, status: int, message: str, ok: bool = False, back: str = "/"
) -> Response:
    """Renders the result of an action with a way back to the overview (where it came from)."""
    return render(
        request,
        "answer.html",
        status,
        title="Klart" if ok else "Det gick inte",
        message=message,
        ok=ok,
        back=back,
    )
