"""A case's records on its committee page: its diarienummer (typed in or the pattern's next) and
all its handlingar as one ZIP for a public-records request.

Both are for the ekonomichef and the secretary of a committee the case passes
(`registrar.keeps_records`); both are written to the case's audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from arshjul.archive.export import ArchiveError
from arshjul.archive.request import log_export, records_request
from arshjul.calendar.config import ArshjulConfig
from arshjul.models.rounds import round_workflow_id
from arshjul.protocol.case_numbers import CaseNumberRefused, CaseRef, assign_next, set_number
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.committees import registrar
from arshjul.web.committees.agenda import CASE, Viewer, show_case
from arshjul.web.core import notices
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText
from arshjul.web.core.roundview import load_round

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
ASSIGN = "nasta"  # the button that asks for the pattern's next number


@router.post(CASE + "/diarienummer", dependencies=[Depends(check_csrf)])
async def save_number(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    seen: Viewer,
    diarienummer: Annotated[CleanText, Form(max_length=200)] = "",
    action: Annotated[CleanText, Form(max_length=20)] = "",
    state: WebState = Depends(web_state),
) -> Response:
    """Gives the case the typed-in diarienummer, or the pattern's next one; a refusal is shown
    beside the field and changes nothing."""
    committee, user = seen
    view = await load_round(state, round_workflow_id(org, report, period, unit))
    if not registrar.keeps_records(state.config, committee, user, view):
        raise HTTPException(403, "only the ekonomichef or the committee's secretary numbers cases")
    case = CaseRef.of_round(view.workflow_id)
    try:
        notice = await numbered(state, case, action, diarienummer, user.email, view.today)
    except CaseNumberRefused as err:
        status = 409 if err.conflict else 400
        return await show_case(
            request,
            committee,
            user,
            state,
            view,
            status,
            dnr_problem=err.message_sv,
            dnr_form=diarienummer,
        )
    case_path = request.url.path.removesuffix("/diarienummer")
    token = notices.signed(state.settings.secret_key, notice)
    return RedirectResponse(f"{case_path}?{notices.QUERY}={token}#notice", 303)


# SQLite refuses a transaction's first write when another process wrote since it first read
# ("database is locked" at once): the whole assignment runs again and counts on from there.
# PostgreSQL's races end in the store's own retry (CaseNumberRepository).
ATTEMPTS = 3


async def numbered(
    state: WebState, case: CaseRef, action: str, typed: str, email: str, today: dt.date
) -> str:
    """Gives the case (a round or a meeting) the typed number, or the pattern's next with the
    `nasta` action; the sentence to confirm it (raises CaseNumberRefused)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if action == ASSIGN:
                return await state.db(assign_next, state.config, case, by=email, today=today)
            return await state.db(set_number, state.config, case, typed, by=email, today=today)
        except OperationalError as err:
            if attempt == ATTEMPTS or "locked" not in str(err):
                raise
            log.warning("diarienummer: store busy, trying again (%s)", err.orig)
    raise AssertionError("unreachable")  # the loop returns or raises


def _export(
    session: Session, config: ArshjulConfig, workflow_id: str, email: str, name: str
) -> tuple[str, bytes]:
    try:
        made = records_request(session, config, workflow_id, by_name=name)
    except ArchiveError as exc:  # in Temporal but not yet mirrored, or another organisation's
        raise HTTPException(404, str(exc)) from exc
    log_export(session, made, by=email)
    return made.filename, made.data


@router.get(CASE + "/handlingar.zip")
async def records_zip(
    org: str,
    report: str,
    period: str,
    unit: str,
    seen: Viewer,
    state: WebState = Depends(web_state),
) -> Response:
    """Downloads every handling of the case with a förteckning, for a public-records request."""
    committee, user = seen
    view = await load_round(state, round_workflow_id(org, report, period, unit))
    if not registrar.keeps_records(state.config, committee, user, view):
        raise HTTPException(403, "only the ekonomichef or the committee's secretary exports")
    filename, data = await state.db(_export, state.config, view.workflow_id, user.email, user.name)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
