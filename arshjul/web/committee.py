"""`/ksau` and `/ks`: the föredragningslista per meeting, the report page, decisions, protocol.

Decisions go to the round as updates; the page shows the round's answer, a refusal included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from arshjul.activities.protocol import load_protocol
from arshjul.models.rounds import (
    UPDATE_DECIDE,
    UPDATE_KS_DECIDE,
    DecideInput,
    KsDecideInput,
    RoundState,
    round_workflow_id,
)
from arshjul.notifications.protocol import render_protocol
from arshjul.store.repositories import DecisionRepository, RoundRepository, SubmissionRepository
from arshjul.web.auth import WebUser, check_csrf, require_roles
from arshjul.web.deps import WebState, web_state
from arshjul.web.inputs import CleanText, due_from_form
from arshjul.web.rounds import TAKEN_SV, RoundRefused
from arshjul.web.roundview import RoundView, attachment_refs, load_round
from arshjul.web.submit import attachment_response
from arshjul.web.templating import render, render_in_thread
from arshjul.workflows.rules import before_meeting_sv

router = APIRouter(include_in_schema=False)
VIEWERS = ("ekonomichef", "kommundirektor")
OUTCOME_SV = {
    "approved": "Godkänd",
    "remitted": "Återremitterad",
    "referred": "Överlämnad till KS",
    "ks_approved": "Godkänd av KS",
    "ks_remitted": "Återremitterad av KS",
}


class Board:
    """One deciding body's pages: KSAU decides on_agenda rounds, KS decides referred ones."""

    def __init__(self, committee_id: str, label: str, waiting: RoundState, update: str):
        self.id, self.label, self.waiting, self.update = committee_id, label, waiting, update
        self.viewer = require_roles(committee_id, "ksau", *VIEWERS)
        self.decider = require_roles(committee_id)
        self.outcomes = (
            ("approve", "remit", "refer")
            if waiting == RoundState.ON_AGENDA
            else ("approve", "remit")
        )

    def agenda(self, session: Session, org_id: str) -> dict[dt.date | None, list[Any]]:
        """Groups the rounds waiting for this body by meeting date."""
        rounds = RoundRepository(session).list(org_id=org_id, states=[self.waiting])
        grouped: dict[dt.date | None, list[Any]] = defaultdict(list)
        for row in rounds:
            if self.waiting == RoundState.REFERRED or row.committee_id in (self.id, None):
                grouped[row.meeting].append(row)
        return dict(sorted(grouped.items(), key=lambda kv: kv[0] or dt.date.max))

    def decision_input(self, outcome: str, actor: str, reason: str, new_due: dt.date | None) -> Any:
        """Builds the update's input (DecideInput for KSAU, KsDecideInput for KS)."""
        model = DecideInput if self.update == UPDATE_DECIDE else KsDecideInput
        return model(outcome=outcome, actor=actor, reason=reason or None, new_due=new_due)


def _before_meeting(board: Board, view: RoundView) -> str | None:
    """The sentence to show while the round waits for its meeting day, else None."""
    if view.meeting is None or view.state != board.waiting:
        return None
    # The round's own clock (simulation offset included); the round's validator is the guard.
    return before_meeting_sv(view.meeting) if view.today < view.meeting else None


def _report_data(session: Session, workflow_id: str) -> dict[str, Any]:
    versions = SubmissionRepository(session).versions(workflow_id=workflow_id)
    latest = versions[-1] if versions else None
    shas = [a["sha256"] for a in (latest.content.get("attachments", []) if latest else [])]
    return {
        "latest": latest,
        "earlier": list(reversed(versions[:-1])),
        "decisions": DecisionRepository(session).list_for_round(workflow_id=workflow_id),
        "attachments": attachment_refs(session, workflow_id, shas),
    }


async def _report_page(
    request: Request,
    board: Board,
    state: WebState,
    view: RoundView,
    user: WebUser,
    status: int = 200,
    **extra: Any,
) -> Response:
    data = await state.db(_report_data, view.workflow_id)
    return await render_in_thread(
        request,
        "committee_report.html",
        status,
        title=f"{view.spec.report_title} – {view.spec.unit_name}",
        board=board,
        view=view,
        may_decide=user.has(board.id) and view.state == board.waiting,
        before_meeting=_before_meeting(board, view),
        outcome_sv=OUTCOME_SV,
        **data,
        **extra,
    )


def _register(board: Board) -> None:
    base = f"/{board.id}"
    case = base + "/arenden/{org}/{report}/{period}/{unit}"

    async def agenda(
        request: Request,
        user: WebUser = Depends(board.viewer),
        state: WebState = Depends(web_state),
    ) -> Response:
        """Shows the reports waiting for this body, per meeting."""
        return render(
            request,
            "committee.html",
            title=board.label,
            board=board,
            agenda=await state.db(board.agenda, state.config.organisation.id),
        )

    async def case_page(
        request: Request,
        org: str,
        report: str,
        period: str,
        unit: str,
        user: WebUser = Depends(board.viewer),
        state: WebState = Depends(web_state),
    ) -> Response:
        """Shows one report: the submission, earlier versions, decisions, history."""
        view = await load_round(state, round_workflow_id(org, report, period, unit))
        return await _report_page(request, board, state, view, user)

    async def decide(
        request: Request,
        org: str,
        report: str,
        period: str,
        unit: str,
        outcome: Annotated[CleanText, Form(max_length=20)] = "",
        reason: Annotated[CleanText, Form(max_length=5000)] = "",
        new_due: Annotated[CleanText, Form(max_length=20)] = "",
        user: WebUser = Depends(board.decider),
        state: WebState = Depends(web_state),
    ) -> Response:
        """Sends the decision to the round and shows its answer (a refusal too)."""
        wid = round_workflow_id(org, report, period, unit)
        view = await load_round(state, wid)
        form = {"outcome": outcome, "reason": reason, "new_due": new_due}
        problem = _check_decision(board, outcome, reason.strip())
        due, due_problem = due_from_form(new_due, view.today) if new_due else (None, None)
        if problem or due_problem:
            return await _report_page(
                request, board, state, view, user, 400, problem=problem or due_problem, form=form
            )
        arg = board.decision_input(outcome, user.email, reason.strip(), due)
        try:
            result = await (await state.gateway()).update(wid, board.update, arg)
        except RoundRefused as err:
            return await _report_page(
                request, board, state, view, user, 409, problem=err.message_sv, form=form
            )
        view = await load_round(state, wid)
        notice = result.message if result else TAKEN_SV  # taken; its mail may still be retrying
        return await _report_page(request, board, state, view, user, notice=notice)

    async def attachment(
        org: str,
        report: str,
        period: str,
        unit: str,
        sha: str,
        user: WebUser = Depends(board.viewer),
        state: WebState = Depends(web_state),
    ) -> Response:
        """Downloads an attachment of the round."""
        wid = round_workflow_id(org, report, period, unit)
        return await state.db(attachment_response, wid, sha)

    async def protocol(
        meeting: dt.date,
        user: WebUser = Depends(board.viewer),
        state: WebState = Depends(web_state),
    ) -> Response:
        # The printable extract is the notifications package's; the same as mailed and archived.
        """Shows the printable protocol extract of one meeting."""
        extract = await state.db(load_protocol, committee_id=board.id, meeting=meeting)
        return HTMLResponse(render_protocol(extract))

    routes: list[tuple[str, Callable[..., Any], str, list[Any]]] = [
        (base, agenda, "GET", []),
        (case, case_page, "GET", []),
        (case + "/beslut", decide, "POST", [Depends(check_csrf)]),
        (case + "/bilagor/{sha}", attachment, "GET", []),
        (base + "/protokoll/{meeting}", protocol, "GET", []),
    ]
    for path, endpoint, method, deps in routes:
        router.add_api_route(path, endpoint, methods=[method], dependencies=deps)


def _check_decision(board: Board, outcome: str, reason: str) -> str | None:
    if outcome not in board.outcomes:
        return "Välj ett beslut."
    if outcome in ("remit", "refer") and not reason:
        return "Skäl måste anges för återremiss och för att lämna ärendet till kommunstyrelsen."
    return None


BOARDS = [
    Board("ksau", "KSAU – föredragningslista", RoundState.ON_AGENDA, UPDATE_DECIDE),
    Board("ks", "KS – ärenden från KSAU", RoundState.REFERRED, UPDATE_KS_DECIDE),
]
for _board in BOARDS:
    _register(_board)
