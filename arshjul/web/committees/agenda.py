"""`/{committee}`: every committee of the configuration gets its föredragningslista, case pages,
decision form and protocol extracts (`/ksau`, `/ks`, `/socialnamnd`, …).

One router for all committees: the committee id is a path parameter, checked against the
configuration. It is included last in the app, so that fixed paths (`/login`, `/dev/mail`, …) win.
Decisions go to the round as updates (`decisions.py`); the page shows the round's answer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.models.rounds import round_workflow_id
from arshjul.protocol import handling
from arshjul.protocol.agenda import decided_since, meeting_path
from arshjul.protocol.case_numbers import CaseRef, case_number, form_example
from arshjul.protocol.gather import load_protocol
from arshjul.protocol.justering import LOCKED_SV, is_locked
from arshjul.protocol.render import render_protocol_html
from arshjul.protocol.wording import decision_sv
from arshjul.store.repositories import DecisionRepository, RoundRepository, SubmissionRepository
from arshjul.swedish import date_sv
from arshjul.web.auth.access import may_view
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import resolve_user
from arshjul.web.auth.user import WebUser
from arshjul.web.committees import decisions, recording, registrar
from arshjul.web.committees.version_diff import changes
from arshjul.web.core import notices
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText, due_from_form
from arshjul.web.core.rounds import TAKEN_SV, RoundRefused
from arshjul.web.core.roundview import RoundView, attachment_refs, attachment_response, load_round
from arshjul.web.pages.people import people_names
from arshjul.web.pages.templating import render, render_in_thread
from arshjul.workflows.rules import before_meeting_sv

router = APIRouter(include_in_schema=False)
CASE = "/{committee_id}/arenden/{org}/{report}/{period}/{unit}"


def _committee(request: Request, committee_id: str) -> Committee:
    config: ArshjulConfig = request.app.state.web.config
    found = next((c for c in config.committees if c.id == committee_id), None)
    if found is None:
        raise HTTPException(404, f"no committee {committee_id!r}")
    return found


async def viewer(request: Request, committee_id: str) -> tuple[Committee, WebUser]:
    """FastAPI dependency: the committee and a person who may see its pages (401/403/404)."""
    committee = _committee(request, committee_id)
    user = await resolve_user(request)
    if user is None:
        raise HTTPException(401, "login required")
    if not may_view(request.app.state.web.config, committee.id, user):
        raise HTTPException(403, f"not a member of {committee.id}")
    return committee, user


async def decider(request: Request, committee_id: str) -> tuple[Committee, WebUser]:
    """FastAPI dependency: the committee and the person who records its decisions (its
    secretary; see arshjul.web.committees.recording)."""
    committee, user = await viewer(request, committee_id)
    if not recording.may_record(committee, user):
        raise HTTPException(403, f"only the secretary of {committee.id} records decisions")
    return committee, user


Viewer = Annotated[tuple[Committee, WebUser], Depends(viewer)]
Decider = Annotated[tuple[Committee, WebUser], Depends(decider)]


def agenda(
    session: Session, config: ArshjulConfig, committee_id: str, today: dt.date
) -> dict[dt.date | None, list[Any]]:
    """Groups the rounds waiting for this committee by meeting date; the cases decided at a
    meeting from today on stay listed with their decision (the secretary goes on from there
    to attendance and justering)."""
    rows = RoundRepository(session).list(
        org_id=config.organisation.id, states=list(decisions.WAITING)
    )
    grouped: dict[dt.date | None, list[Any]] = defaultdict(list)
    for meeting, decided in decided_since(session, config, committee_id, today).items():
        grouped[meeting].extend(decided)
    for row in rows:
        if row.committee_id == committee_id:
            grouped[row.meeting].append(row)
    return dict(sorted(grouped.items(), key=lambda kv: kv[0] or dt.date.max))


def _before_meeting(committee_id: str, view: RoundView) -> str | None:
    """The sentence to show while the round waits for its meeting day, else None."""
    if view.meeting is None or not decisions.waits_for(view, committee_id):
        return None
    # The round's own clock (simulation offset included); the round's validator is the guard.
    return before_meeting_sv(view.meeting) if view.today < view.meeting else None


def _names(view: RoundView) -> dict[str, str]:
    review = view.spec.review
    return {k: c.name for k, c in review.committees().items()} if review else {}


def _decision_text(view: RoundView) -> Any:
    names = _names(view)
    return lambda d: decision_sv(d.outcome, names.get(d.to_committee_id or ""))


def route(view: RoundView) -> list[tuple[str, str]]:
    """Lists (committee name, "klar" / "här" / "kvar") along the round's review chain."""
    if view.route is None or view.step is None:
        return []
    names, closed = _names(view), view.state in ("approved", "accepted", "cancelled")
    marks = [
        "klar" if k < view.step or closed else "här" if k == view.step else "kvar"
        for k in range(len(view.route))
    ]
    return [(names.get(c, c), mark) for c, mark in zip(view.route, marks, strict=True)]


def case_records(session: Session, workflow_id: str) -> dict[str, Any]:
    """Reads what the case page shows from the store: versions, decisions, attachments."""
    versions = SubmissionRepository(session).versions(workflow_id=workflow_id)
    latest = versions[-1] if versions else None
    shas = [a["sha256"] for a in (latest.content.get("attachments", []) if latest else [])]
    previous = versions[-2] if len(versions) > 1 else None
    return {
        "latest": latest,
        "earlier": list(reversed(versions[:-1])),
        "previous": previous,
        "changes": changes(previous.content, latest.content) if previous and latest else [],
        "decisions": DecisionRepository(session).list_for_round(workflow_id=workflow_id),
        "attachments": attachment_refs(session, workflow_id, shas),
    }


def _registry(session: Session, config: ArshjulConfig, workflow_id: str) -> dict[str, Any]:
    return {"dnr": case_number(session, config, CaseRef.of_round(workflow_id))}


async def show_case(
    request: Request,
    committee: Committee,
    user: WebUser,
    state: WebState,
    view: RoundView,
    status: int = 200,
    **extra: Any,
) -> Response:
    """Renders the case page (with a refusal's `problem` or `dnr_problem` and the form typed)."""
    records = recording.may_record(committee, user)
    offered = decisions.choices(view, committee.id) if records else []
    handled = (
        await state.db(handling.view, state.config, committee, view.meeting, view.workflow_id)
        if view.meeting is not None and (records or user.has(committee.id))
        else None
    )
    waiting = decisions.waits_for(view, committee.id) and user.has(committee.id)
    return await render_in_thread(
        request,
        "committee_report.html",
        status,
        title=f"{view.spec.report_title} – {view.spec.unit_name}",
        committee=committee,
        view=view,
        choices=offered,
        recorder_note=recording.RECORDER_ONLY_SV if waiting and not records else None,
        before_meeting=_before_meeting(committee.id, view),
        decision_text=_decision_text(view),
        committee_names=_names(view),
        people_names=await state.db(people_names, view.spec),
        route=route(view),
        handled=handled,
        records=records,
        keeps_records=registrar.keeps_records(state.config, committee, user, view),
        dnr_example=form_example(state.config, view.today),
        dnr_assignable=state.config.organisation.diarienummer is not None,
        **await state.db(_registry, state.config, view.workflow_id),
        **await state.db(case_records, view.workflow_id),
        **extra,
    )


@router.get("/{committee_id}")
async def agenda_page(
    request: Request, seen: Viewer, state: WebState = Depends(web_state)
) -> Response:
    """Shows the reports waiting for this committee, per meeting."""
    committee, _ = seen
    return render(
        request,
        "committee.html",
        title=f"{committee.name} – föredragningslista",
        committee=committee,
        agenda=await state.db(agenda, state.config, committee.id, today_local(state)),
    )


@router.get(CASE)
async def case_page(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    seen: Viewer,
    state: WebState = Depends(web_state),
    klart: str | None = None,
) -> Response:
    """Shows one report: the submission, earlier versions, decisions, history (and, after a
    decision, the round's answer to it)."""
    committee, user = seen
    view = await load_round(state, round_workflow_id(org, report, period, unit))
    notice = notices.read(state.settings.secret_key, klart)
    return await show_case(request, committee, user, state, view, notice=notice)


@router.post(CASE + "/beslut", dependencies=[Depends(check_csrf)])
async def decide(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    deciding: Decider,
    outcome: Annotated[CleanText, Form(max_length=80)] = "",
    reason: Annotated[CleanText, Form(max_length=5000)] = "",
    new_due: Annotated[CleanText, Form(max_length=20)] = "",
    shorten: Annotated[CleanText, Form(max_length=10)] = "",
    confirm: Annotated[CleanText, Form(max_length=10)] = "",
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the decision as the protocol will state it; once confirmed, sends it to the round
    and shows its answer (a refusal too)."""
    committee, user = deciding
    wid = round_workflow_id(org, report, period, unit)
    view = await load_round(state, wid)
    form = {"outcome": outcome, "reason": reason, "new_due": new_due, "shorten": shorten}
    offered = decisions.choices(view, committee.id)
    problem = decisions.check(offered, outcome, reason, new_due, view.today)
    if problem:
        page = show_case(request, committee, user, state, view, 400, problem=problem, form=form)
        return await page
    if view.meeting is not None:
        # Jäv that leaves the committee not beslutför, or a vote that gave another decision.
        held = await state.db(
            handling.decision_problem, state.config, committee, view.meeting, wid, outcome
        )
        if held is not None:
            return await show_case(
                request, committee, user, state, view, 409, problem=held, form=form
            )
    if view.meeting is not None and await state.db(
        is_locked, state.config.organisation.id, committee.id, view.meeting
    ):
        # The store would refuse the § (its triggers); say so before the round takes it.
        return await show_case(
            request, committee, user, state, view, 409, problem=LOCKED_SV, form=form
        )
    if confirm != "ja":
        return render(
            request,
            "decision_confirm.html",
            title=f"Bekräfta beslut – {view.spec.report_title}",
            committee=committee,
            view=view,
            form=form,
            decision=recording.preview(committee, view, outcome),
            label=next((c.label for c in offered if c.value == outcome), outcome),
        )
    due = due_from_form(new_due, view.today)[0]  # checked above: a valid date or blank
    name, arg = decisions.update_for(
        view, committee.id, outcome, user.email, reason, due, shorten=bool(shorten)
    )
    try:
        result = await (await state.gateway()).update(wid, name, arg)
    except RoundRefused as err:
        return await show_case(
            request, committee, user, state, view, 409, problem=err.message_sv, form=form
        )
    notice = result.message if result else TAKEN_SV  # taken; its mail may still be retrying
    # Post, redirect, get: a reload or the back button shows the case, never decides again.
    case = request.url.path.removesuffix("/beslut")
    token = notices.signed(state.settings.secret_key, notice)
    return RedirectResponse(f"{case}?{notices.QUERY}={token}#notice", 303)


@router.get(CASE + "/bilagor/{sha}")
async def attachment(
    org: str,
    report: str,
    period: str,
    unit: str,
    sha: str,
    seen: Viewer,
    state: WebState = Depends(web_state),
) -> Response:
    """Downloads an attachment of the round."""
    wid = round_workflow_id(org, report, period, unit)
    return await state.db(attachment_response, wid, sha)


@router.get("/{committee_id}/protokoll/{meeting}")
async def protocol(
    meeting: dt.date, seen: Viewer, state: WebState = Depends(web_state)
) -> Response:
    """Shows the printable protocol of one meeting (the same text as the PDF/A)."""
    committee, _ = seen
    doc = await state.db(
        load_protocol,
        state.config,
        committee_id=committee.id,
        meeting=meeting,
        base_url=state.settings.base_url,
    )
    back = (meeting_path(committee.id, meeting), f"Tillbaka till sammanträdet {date_sv(meeting)}")
    return HTMLResponse(render_protocol_html(doc, back=back))
