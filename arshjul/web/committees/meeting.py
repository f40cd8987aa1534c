"""`/{committee}/sammantraden/{date}`: a meeting's agenda, attendance, justering and anslag.

Every committee the configuration names gets these pages. Members (and the ekonomikontor) read;
the secretary records attendance, the justerare and the anslag; the ordförande and the justerare
sign the protocol. As everywhere in the web: async endpoints, database work through
`state.db` (a worker thread, one transaction), rendering a PDF in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.archive.export import ArchiveError, export_meeting
from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig, Committee
from arshjul.calendar.workdays import WorkingDays
from arshjul.compile.html import with_way_back
from arshjul.compile.service import MEDIA_TYPES
from arshjul.protocol.agenda import load_agenda, meeting_path, on_agenda
from arshjul.protocol.case_numbers import CaseNumberRefused, CaseRef, case_number, form_example
from arshjul.protocol.gather import find_committee, load_protocol
from arshjul.protocol.justering import (
    MeetingDetails,
    ProtocolError,
    ensure_meeting,
    record_anslag,
    save_details,
    sign,
)
from arshjul.protocol.model import Attendee, MotionReportItem
from arshjul.protocol.motion_report import is_reporting, report_items
from arshjul.protocol.render import PDF_MEDIA_TYPE, render_protocol_pdf
from arshjul.protocol.seal import sealed_by
from arshjul.protocol.wording import motions_title
from arshjul.store.repositories import CompilationRepository, MeetingRepository
from arshjul.swedish import date_sv
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.committees.handlingar import numbered
from arshjul.web.committees.recording import is_secretary
from arshjul.web.core import notices
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText, date_from_form
from arshjul.web.pages.templating import render

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
BASE = "/{committee_id}/sammantraden/{meeting}"
VIEWERS = ("ekonomichef", "kommundirektor")
NOTICES = {
    "uppgifter": "Uppgifterna om sammanträdet är sparade.",
    "signerat": "Din signatur är registrerad.",
    "justerat": "Protokollet är justerat och låst.",
    "anslag": "Anslaget är registrerat. Arkivexemplaret (PDF/A) är sparat.",
    "delegation": "Delegationsbeslutet är anmält till sammanträdet.",
    "delegationer": "Delegationsbesluten i filen är inlästa och anmälda till sammanträdet.",
    "delegation-borttagen": "Delegationsbeslutet är borttaget ur anmälan.",
    "motioner": "Redovisningen av motioner och medborgarförslag har sin paragraf i protokollet.",
}


def _committee(state: WebState, committee_id: str) -> Committee:
    committee = find_committee(state.config, committee_id)
    if committee is None:
        raise HTTPException(404, "no such committee")
    return committee


async def viewer(
    committee_id: str,
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> WebUser:
    """A member or the secretary of this committee, or the ekonomikontor."""
    _committee(state, committee_id)
    if not user.has(committee_id, *VIEWERS):
        raise HTTPException(403, "not a member of this committee")
    return user


async def secretary(
    committee_id: str,
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> WebUser:
    """Only the committee's secretary."""
    if not is_secretary(state.config, committee_id, user):
        raise HTTPException(403, "only the secretary records this")
    return user


@dataclass
class _MeetingView:
    """What the meeting page shows, read in one transaction."""

    agenda: Any
    doc: Any
    signers: set[str]
    archive_sha256: str | None
    # Who sealed the archive copy (certificate subjects, read from the PDF); empty: unsigned.
    sealed_by: list[str]
    dnr: str | None  # the meeting's diarienummer, when it has one
    # A reporting meeting whose § is not made yet: the list as it would read today.
    motions_preview: list[MotionReportItem] | None = None


def _read(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, base_url: str
) -> _MeetingView:
    doc = load_protocol(
        session, config, committee_id=committee_id, meeting=meeting, base_url=base_url
    )
    row = MeetingRepository(session).get(
        org_id=config.organisation.id, committee_id=committee_id, meeting=meeting
    )
    signers = {e for e in (row.chair_email, *row.adjusters) if e} if row else set()
    archive = MeetingRepository(session).archive(meeting_id=row.id) if row else None
    preview = None
    if doc.motions is None and not doc.justerat and is_reporting(config, committee_id, meeting):
        preview = report_items(session, config, committee_id, meeting)
    return _MeetingView(
        agenda=load_agenda(session, config, committee_id, meeting),
        doc=doc,
        signers=signers,
        archive_sha256=row.archive_sha256 if row else None,
        sealed_by=sealed_by(archive.content) if archive is not None else [],
        dnr=case_number(session, config, CaseRef.of_meeting(committee_id, meeting)),
        motions_preview=preview,
    )


async def _page(
    request: Request,
    state: WebState,
    user: WebUser,
    committee_id: str,
    meeting: dt.date,
    *,
    status: int = 200,
    problem: str | None = None,
    problems: list[str] | None = None,
    **extra: Any,
) -> Response:
    config = state.config
    committee = _committee(state, committee_id)
    done = request.query_params.get("klart", "")
    view = await state.db(_read, config, committee_id, meeting, state.settings.base_url)
    doc = view.doc
    signed = {s.email for s in doc.signatures if s.current}
    return render(
        request,
        "meeting.html",
        status,
        title=f"{committee.name} {date_sv(meeting)}",
        committee=committee,
        meeting=meeting,
        agenda=view.agenda,
        doc=doc,
        archive_sha256=view.archive_sha256,
        sealed_by=view.sealed_by,
        base=meeting_path(committee_id, meeting),
        secretary=is_secretary(config, committee_id, user),
        may_sign=user.email in view.signers and user.email not in signed and not doc.justerat,
        present={a.email for a in doc.attendance.present},
        adjusters={a.email for a in doc.adjusters},
        chair_email=(doc.chair.email or "").lower() if doc.chair else "",
        # The anslag is put up on a working day: today, or the next one.
        anslag_day=WorkingDays(config.working_days.non_working_eves).next_or_same(
            today_local(state)
        ),
        problem=problem,
        problems=problems or [],
        notice=NOTICES.get(done) or notices.read(state.settings.secret_key, done),
        dnr=view.dnr,
        keeps_records=user.has(OWNER_ROLE) or is_secretary(config, committee_id, user),
        dnr_example=form_example(config, today_local(state)),
        dnr_assignable=config.organisation.diarienummer is not None,
        motions_preview=view.motions_preview,
        motions_title=motions_title(config.motions.citizen_proposals if config.motions else True),
        **extra,
    )


@router.get(BASE)
async def meeting_page(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the agenda with its Sammanställningar, the protocol's state and what to do next."""
    return await _page(request, state, user, committee_id, meeting)


def _people(lines: str) -> list[Attendee]:
    # One person a line: "Namn, roll" (for an ersättare: whom they replace).
    people = []
    for line in lines.splitlines()[:50]:
        name, _, role = line.partition(",")
        if name.strip():
            people.append(Attendee(name=name.strip()[:200], role=role.strip()[:200]))
    return people


@dataclass
class _Call:
    """One POST on a meeting page: refusals re-show the page, success redirects with a notice."""

    request: Request
    state: WebState
    user: WebUser
    committee_id: str
    meeting: dt.date

    async def refuse(
        self, status: int, problem: str, problems: list[str] | None = None
    ) -> Response:
        """Shows the page again with the reason (and each bad line); nothing was written."""
        return await _page(
            self.request,
            self.state,
            self.user,
            self.committee_id,
            self.meeting,
            status=status,
            problem=problem,
            problems=problems,
        )

    async def run(self, action: Callable[[Session], str], status: int = 409) -> Response:
        """Runs `action(session)` as one transaction (it returns the notice's key) and redirects
        to the page; a ProtocolError rolls it back and shows why."""
        try:
            done = await self.state.db(action)
        except ProtocolError as err:
            return await self.refuse(status, err.message_sv, getattr(err, "problems", None))
        return RedirectResponse(
            f"{meeting_path(self.committee_id, self.meeting)}?klart={done}", 303
        )


@router.post(BASE + "/uppgifter", dependencies=[Depends(check_csrf)])
async def save_meeting(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    starts_at: Annotated[str, Form(max_length=5)] = "",
    ends_at: Annotated[str, Form(max_length=5)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    present: Annotated[list[str] | None, Form()] = None,
    adjusters: Annotated[list[str] | None, Form()] = None,
    chair: Annotated[str, Form(max_length=320)] = "",
    substitutes: Annotated[str, Form(max_length=5000)] = "",
    others: Annotated[str, Form(max_length=5000)] = "",
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary records time, place, attendance, who presided and the justerare."""
    details = MeetingDetails(
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        present=list(present or []),
        substitutes=_people(substitutes),
        others=_people(others),
        adjusters=list(adjusters or []),
        chair=chair,
    )

    def save(session: Session) -> str:
        save_details(session, state.config, committee_id, meeting, details)
        return "uppgifter"

    return await _Call(request, state, user, committee_id, meeting).run(save, status=400)


@router.post(BASE + "/motioner", dependencies=[Depends(check_csrf)])
async def place_motions(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary gives the report of the motions not yet beredda its § now (it gets one
    anyway when the protocol is first written to)."""
    call = _Call(request, state, user, committee_id, meeting)
    if not is_reporting(state.config, committee_id, meeting):
        return await call.refuse(
            409, "Sammanträdet är inte ett av dem där motionerna redovisas enligt konfigurationen."
        )

    def place(session: Session) -> str:
        row = ensure_meeting(session, state.config, committee_id, meeting)
        if row.justerat_at is not None:
            raise ProtocolError("justerat", "Protokollet är justerat och kan inte ändras.")
        return "motioner"

    return await call.run(place)


@router.post(BASE + "/justera", dependencies=[Depends(check_csrf)])
async def sign_protocol(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    confirm: Annotated[str, Form(max_length=10)] = "",
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> Response:
    """The ordförande or a justerare signs the protocol as it reads now."""
    call = _Call(request, state, user, committee_id, meeting)
    if confirm != "ja":
        return await call.refuse(400, "Bekräfta att du har läst protokollet och justerar det.")

    def signed(session: Session) -> str:
        result = sign(
            session, state.config, committee_id, meeting, email=user.email, name=user.name
        )
        return "justerat" if result.justerat else "signerat"

    return await call.run(signed)


@router.post(BASE + "/diarienummer", dependencies=[Depends(check_csrf)])
async def save_number(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    diarienummer: Annotated[CleanText, Form(max_length=200)] = "",
    action: Annotated[CleanText, Form(max_length=20)] = "",
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> Response:
    """Gives the meeting the typed-in diarienummer or the pattern's next (the secretary or the
    ekonomichef); a refusal is shown beside the field with what was typed."""
    if not (user.has(OWNER_ROLE) or is_secretary(state.config, committee_id, user)):
        raise HTTPException(403, "only the secretary or the ekonomichef numbers a meeting")
    case = CaseRef.of_meeting(committee_id, meeting)
    today = today_local(state)
    try:
        notice = await numbered(state, case, action, diarienummer, user.email, today)
    except CaseNumberRefused as err:
        return await _page(
            request,
            state,
            user,
            committee_id,
            meeting,
            status=409 if err.conflict else 400,
            dnr_problem=err.message_sv,
            dnr_form=diarienummer,
        )
    token = notices.signed(state.settings.secret_key, notice)
    return RedirectResponse(f"{meeting_path(committee_id, meeting)}?klart={token}#notice", 303)


@router.post(BASE + "/anslag", dependencies=[Depends(check_csrf)])
async def post_anslag(
    request: Request,
    committee_id: str,
    meeting: dt.date,
    anslag: Annotated[str, Form(max_length=10)] = "",
    user: WebUser = Depends(secretary),
    state: WebState = Depends(web_state),
) -> Response:
    """The secretary records the day the protocol's justering was posted on the anslagstavla."""
    call = _Call(request, state, user, committee_id, meeting)
    try:
        day = date_from_form(anslag)
    except ValueError:
        day = None
    if day is None:
        return await call.refuse(400, "Ange anslagsdagen som ÅÅÅÅ-MM-DD.")
    if abs((day - today_local(state)).days) > 31:
        return await call.refuse(400, "Anslagsdagen ska ligga inom en månad från i dag.")

    def posted(session: Session) -> str:
        # Renders the PDF/A archive copy in this worker thread (about a second).
        record_anslag(
            session,
            state.config,
            committee_id,
            meeting,
            anslag_date=day,
            by=user.email,
            base_url=state.settings.base_url,
            seal=state.seal,
        )
        return "anslag"

    response = await call.run(posted)
    archive_dir = state.settings.archive_dir
    if archive_dir is not None and response.status_code == 303:  # recorded and committed
        await state.db(_deliver, state.config, committee_id, meeting, archive_dir)
    return response


def _deliver(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, out: Path
) -> None:
    # The anslag stands whatever happens here: a package that cannot be written is logged, and
    # `arshjul archive export` makes it later.
    try:
        folder = export_meeting(session, config, committee_id, meeting, out)
    except (ArchiveError, OSError) as exc:
        logger.error(
            "archive package of %s %s not written: %s", committee_id, meeting.isoformat(), exc
        )
        return
    logger.info("archive package written: %s", folder)


def _archived_or_protocol(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, base_url: str
) -> bytes | Any:
    repo = MeetingRepository(session)
    row = repo.get(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
    archive = repo.archive(meeting_id=row.id) if row is not None else None
    if archive is not None:
        return archive.content
    return load_protocol(
        session, config, committee_id=committee_id, meeting=meeting, base_url=base_url
    )


@router.get(BASE + "/protokoll.pdf")
async def protocol_pdf(
    committee_id: str,
    meeting: dt.date,
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> Response:
    """The protocol as PDF: the archive copy once the anslag is recorded, else a fresh draft."""
    found = await state.db(
        _archived_or_protocol, state.config, committee_id, meeting, state.settings.base_url
    )
    if isinstance(found, bytes):
        content = found
    else:
        content = await anyio.to_thread.run_sync(render_protocol_pdf, found)
    name = f"protokoll-{committee_id}-{meeting.isoformat()}.pdf"
    return Response(
        content,
        media_type=PDF_MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _agenda_document(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    compilation_id: int,
) -> Any:
    agenda = load_agenda(session, config, committee_id, meeting)
    row = CompilationRepository(session).get(compilation_id=compilation_id)
    return row if row is not None and on_agenda(agenda, compilation_id) else None


@router.get(BASE + "/sammanstallning/{compilation_id}")
async def agenda_document(
    committee_id: str,
    meeting: dt.date,
    compilation_id: int,
    user: WebUser = Depends(viewer),
    state: WebState = Depends(web_state),
) -> Response:
    """A Sammanställning listed on the meeting's agenda, for the committee's members."""
    row = await state.db(_agenda_document, state.config, committee_id, meeting, compilation_id)
    if row is None:
        raise HTTPException(404, "not on this agenda")
    disposition = "attachment" if row.format == "docx" else "inline"
    name = f"{row.report_id}-{row.period}-{row.id}.{row.format}"
    content = row.content
    if row.format == "html":
        back = meeting_path(committee_id, meeting)
        content = with_way_back(content, back, f"Tillbaka till sammanträdet {date_sv(meeting)}")
    return Response(
        content,
        media_type=MEDIA_TYPES.get(row.format, "application/octet-stream"),
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )
