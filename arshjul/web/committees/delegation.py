"""Anmälan av delegationsbeslut on a meeting's page: the secretary enters a decision, imports a
CSV file of them, or removes one, until the protocol is justerat. The protocol lists them in one
§ ("Anmälan av delegationsbeslut"); a refused entry or file changes nothing and says why, line by
line."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.protocol.delegation import (
    HEADER_SV,
    MAX_FILE_BYTES,
    RawEntry,
    add_delegations,
    read_csv,
    remove_delegation,
)
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.user import WebUser
from arshjul.web.committees.meeting import BASE, _Call, secretary, viewer
from arshjul.web.core.deps import WebState, web_state

router = APIRouter(include_in_schema=False)
PATH = BASE + "/delegationsbeslut"


@router.post(PATH, dependencies=[Depends(check_csrf)])
async def add_one(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    decided_on: Annotated[str, Form(max_length=10)] = "",
    decided_by: Annotated[str, Form(max_length=300)] = "",
    matter: Annotated[str, Form(max_length=2000)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary reports one delegationsbeslut to the meeting."""
    raw = RawEntry(decided_on=decided_on, decided_by=decided_by, matter=matter, reference=reference)

    def add(session: Session) -> str:
        add_delegations(session, state.config, committee_id, meeting, [(None, raw)], by=user.email)
        return "delegation"

    return await _Call(request, state, user, committee_id, meeting).run(add, status=400)


@router.post(PATH + "/import", dependencies=[Depends(check_csrf)])
async def import_file(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    file: Annotated[UploadFile, File()],
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary imports a CSV file of delegationsbeslut: all of it, or nothing."""
    call = _Call(request, state, user, committee_id, meeting)
    data = await file.read(MAX_FILE_BYTES + 1)
    rows, problems = read_csv(data)
    if problems:
        return await call.refuse(400, "Inget av filen är inläst.", problems)

    def add(session: Session) -> str:
        numbered: list[tuple[int | None, RawEntry]] = list(rows)
        add_delegations(session, state.config, committee_id, meeting, numbered, by=user.email)
        return "delegationer"

    return await call.run(add, status=400)


@router.post(PATH + "/{entry_id}/ta-bort", dependencies=[Depends(check_csrf)])
async def remove_one(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    entry_id: int,
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary removes a delegationsbeslut reported by mistake (before justering)."""

    def remove(session: Session) -> str:
        remove_delegation(session, state.config, committee_id, meeting, entry_id)
        return "delegation-borttagen"

    return await _Call(request, state, user, committee_id, meeting).run(remove)


@router.get(BASE + "/delegationsbeslut.csv")
async def csv_template(
    committee_id: str, meeting: dt.date, user: WebUser = Depends(viewer)
) -> Response:
    """A file with the header line the import reads, to fill in (in Excel, say)."""
    body = (HEADER_SV + "\r\n").encode("utf-8-sig")
    name = f"delegationsbeslut-{committee_id}-{meeting.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
