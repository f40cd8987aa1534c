"""Committees and their meetings: per committee and year the meetings (add, move, cancel), and
next year's sammanträdesplan pasted or uploaded as CSV or ICS. Each edit goes to the preview."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response

from arshjul.calendar.config import ArshjulConfig, Committee, Meeting, Person
from arshjul.calendar.meeting_plan import (
    MeetingPlanError,
    PlanEdit,
    add_meetings,
    add_plan,
    cancel_meeting,
    committee_label,
    move_meeting,
    parse_date_sv,
    parse_meeting_plan,
    parse_time_sv,
)
from arshjul.swedish import date_sv
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.user import WebUser
from arshjul.web.configuration.flow import Proposal, editing, owner, preview_page
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import person_from_form
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Day = Annotated[dt.date, Path()]
Short = Annotated[str, Form(max_length=200)]
MAX_PLAN_BYTES = 2_000_000
MAX_PASTE = 500_000
FormYear = Annotated[int | None, Form(ge=2000, le=2100)]


def _committee(config: ArshjulConfig, committee_id: str) -> Committee:
    found = next((c for c in config.committees if c.id == committee_id), None)
    if found is None:
        raise HTTPException(404, "no such committee")
    return found


def _years(config: ArshjulConfig, today: dt.date) -> list[int]:
    # The years with meetings, this year to next-but-two, and the first year without a plan
    # (plans are adopted a year or more ahead: the next one to add is listed as missing).
    found = {d.year for c in config.committees for d in c.dates}
    later = max(found, default=today.year) + 1
    return sorted(found | {today.year, today.year + 1, today.year + 2, later})


@router.get("/installningar/organ")
async def committees_page(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Lists the committees with members, secretary, ordförande and meetings per year."""
    return await _committees(request, state)


async def _editing(
    state: WebState, committee_id: str
) -> tuple[ArshjulConfig, int | None, Committee]:
    # The configuration an edit starts from, its version, and the committee edited (404).
    config, base = await editing(state)
    return config, base, _committee(config, committee_id)


async def _committees(
    request: Request,
    state: WebState,
    *,
    problems: list[str] | None = None,
    pasted: str = "",
    status_code: int = 200,
) -> Response:
    config, _ = await editing(state)
    today = today_local(state)
    years = _years(config, today)
    counts = {c.id: Counter(d.year for d in c.dates) for c in config.committees}
    return render(
        request,
        "installningar_organ.html",
        status_code,
        title="Organ och sammanträden",
        config=config,
        years=years,
        counts=counts,
        today=today,
        problems=problems or [],
        pasted=pasted,
        label=committee_label,
    )


@router.get("/installningar/organ/{committee_id}")
async def committee_page(
    request: Request,
    committee_id: Slug,
    ar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows a committee's meetings of one year with forms to add, move and cancel."""
    return await _committee_page(request, state, committee_id, ar)


async def _committee_page(
    request: Request,
    state: WebState,
    committee_id: str,
    year: int | None,
    *,
    problems: list[str] | None = None,
    fields: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    config, _ = await editing(state)
    committee = _committee(config, committee_id)
    today = today_local(state)
    year = year or today.year
    meetings = [m for m in committee.meetings if m.date.year == year]
    return render(
        request,
        "installningar_organ_ar.html",
        status_code,
        title=f"{committee.name}: sammanträden {year}",
        c=committee,
        year=year,
        years=_years(config, today),
        meetings=meetings,
        problems=problems or [],
        fields=fields or {},
        label=committee_label(committee),
    )


def _day(value: str, what: str) -> tuple[dt.date | None, str | None]:
    try:
        return parse_date_sv(value), None
    except ValueError as exc:
        return None, f"{what}: {exc}"


def _time(value: str) -> tuple[dt.time | None, str | None]:
    if not value.strip():
        return None, None
    try:
        return parse_time_sv(value), None
    except ValueError as exc:
        return None, f"Tid: {exc}"


async def _to_preview(
    request: Request,
    state: WebState,
    committee_id: str,
    year: int,
    edit: PlanEdit,
    base: int | None,
    summary: str,
    fields: dict[str, str],
) -> Response:
    # The meeting plan's own findings (a day off, a meeting already there) are refused on the
    # committee's page, where the dates were typed; the rest are shown in the preview.
    if edit.errors:
        problems = [f.explanation_sv for f in edit.errors]
        return await _committee_page(
            request, state, committee_id, year, problems=problems, fields=fields, status_code=422
        )
    proposal = Proposal.of_config(edit.config, base, "web:meetings", summary)
    return await preview_page(request, state, proposal)


@router.post("/installningar/organ/{committee_id}/sammantraden", dependencies=[Depends(check_csrf)])
async def add_meeting(
    request: Request,
    committee_id: Slug,
    date: Short = "",
    time: Short = "",
    place: Short = "",
    ar: FormYear = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Adds a meeting (refused in place on a day off or a day already planned), then previews."""
    config, base, committee = await _editing(state, committee_id)
    fields = {"date": date, "time": time, "place": place}
    day, bad_day = _day(date, "Datum")
    at, bad_time = _time(time)
    year = day.year if day else ar
    problems = [p for p in (bad_day, bad_time) if p]
    if not problems and day is not None:
        meeting = Meeting(date=day, time=at, place=place.strip() or None)
        try:
            edit = add_meetings(config, committee.id, [meeting])
        except MeetingPlanError as exc:
            problems = exc.messages
        else:
            summary = f"Nytt sammanträde för {committee_label(committee)} {date_sv(day)}"
            return await _to_preview(
                request, state, committee.id, day.year, edit, base, summary, fields
            )
    return await _committee_page(
        request, state, committee.id, year, problems=problems, fields=fields, status_code=422
    )


@router.post(
    "/installningar/organ/{committee_id}/sammantraden/{day}/flytta",
    dependencies=[Depends(check_csrf)],
)
async def move(
    request: Request,
    committee_id: Slug,
    day: Day,
    new_date: Short = "",
    time: Short = "",
    place: Short = "",
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Moves a meeting to another day (time and place optional), then previews."""
    config, base, committee = await _editing(state, committee_id)
    fields = {f"new_date-{day}": new_date, f"time-{day}": time, f"place-{day}": place}
    to, bad_day = _day(new_date, f"Ny dag för {date_sv(day)}")
    at, bad_time = _time(time)
    problems = [p for p in (bad_day, bad_time) if p]
    if not problems and to is not None:
        try:
            edit = move_meeting(config, committee.id, day, to, at, place.strip() or None)
        except MeetingPlanError as exc:
            problems = exc.messages
        else:
            summary = f"Flytta {committee_label(committee)} {date_sv(day)} till {date_sv(to)}"
            return await _to_preview(
                request, state, committee.id, day.year, edit, base, summary, fields
            )
    return await _committee_page(
        request, state, committee.id, day.year, problems=problems, fields=fields, status_code=422
    )


@router.post(
    "/installningar/organ/{committee_id}/sammantraden/{day}/stall-in",
    dependencies=[Depends(check_csrf)],
)
async def cancel(
    request: Request,
    committee_id: Slug,
    day: Day,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Cancels a meeting, then previews what that does to the rounds waiting for it."""
    config, base, committee = await _editing(state, committee_id)
    try:
        edit = cancel_meeting(config, committee.id, day)
    except MeetingPlanError as exc:
        return await _committee_page(
            request, state, committee.id, day.year, problems=exc.messages, status_code=422
        )
    summary = f"Ställ in {committee_label(committee)} {date_sv(day)}"
    return await _to_preview(request, state, committee.id, day.year, edit, base, summary, {})


@router.post("/installningar/organ/{committee_id}/personer", dependencies=[Depends(check_csrf)])
async def people(
    request: Request,
    committee_id: Slug,
    secretary_name: Short = "",
    secretary_email: Short = "",
    chair: Short = "",
    ar: FormYear = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Previews a new secretary or ordförande (one of the members); both may be left empty."""
    config, base, committee = await _editing(state, committee_id)
    fields = {"secretary_name": secretary_name, "secretary_email": secretary_email, "chair": chair}
    problems: list[str] = []
    secretary = None
    if secretary_name.strip() or secretary_email.strip():
        secretary, problems = person_from_form(secretary_name, secretary_email, "Sekreterarens")
    members = {m.email.lower(): m for m in committee.members}
    chosen = members.get(chair.strip().lower()) if chair.strip() else None
    if chair.strip() and chosen is None:
        problems.append("Ordföranden ska vara en av organets ledamöter.")
    if not problems and (secretary, chosen) == (committee.secretary, committee.chair):
        problems.append("Inget ändras: samma sekreterare och ordförande som nu.")
    if problems:
        return await _committee_page(
            request, state, committee.id, ar, problems=problems, fields=fields, status_code=422
        )
    index = config.committees.index(committee)
    committees = list(config.committees)
    committees[index] = committee.model_copy(update={"secretary": secretary, "chair": chosen})
    new = config.model_copy(update={"committees": committees})
    summary = f"Sekreterare och ordförande för {committee_label(committee)}"
    proposal = Proposal.of_config(new, base, "web:meetings", summary)
    return await preview_page(request, state, proposal)


def _with_members(
    config: ArshjulConfig, committee: Committee, members: list[Person]
) -> ArshjulConfig:
    committees = list(config.committees)
    committees[committees.index(committee)] = committee.model_copy(update={"members": members})
    return config.model_copy(update={"committees": committees})


@router.post("/installningar/organ/{committee_id}/ledamoter", dependencies=[Depends(check_csrf)])
async def add_member(
    request: Request,
    committee_id: Slug,
    member_name: Short = "",
    member_email: Short = "",
    ar: FormYear = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Previews a new member (ledamot) of the committee."""
    config, base, committee = await _editing(state, committee_id)
    fields = {"member_name": member_name, "member_email": member_email}
    member, problems = person_from_form(member_name, member_email, "Ledamotens")
    known = member and next(
        (m for m in committee.members if m.email.lower() == member.email.lower()), None
    )
    if known is not None:
        problems.append(f"{known.name} ({known.email}) är redan ledamot i {committee.name}.")
    if member is None or problems:
        return await _committee_page(
            request, state, committee.id, ar, problems=problems, fields=fields, status_code=422
        )
    members = [*committee.members, member]
    summary = f"Ny ledamot i {committee_label(committee)}: {member.name}"
    new = _with_members(config, committee, members)
    proposal = Proposal.of_config(new, base, "web:meetings", summary)
    return await preview_page(request, state, proposal)


@router.post(
    "/installningar/organ/{committee_id}/ledamoter/ta-bort", dependencies=[Depends(check_csrf)]
)
async def remove_member(
    request: Request,
    committee_id: Slug,
    email: Short = "",
    ar: FormYear = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Previews a member leaving the committee (not its ordförande: choose another first)."""
    config, base, committee = await _editing(state, committee_id)
    leaving = next((m for m in committee.members if m.email.lower() == email.strip().lower()), None)
    problem = None
    if leaving is None:
        problem = "Personen är inte ledamot i organet (längre). Ladda om sidan och försök igen."
    elif committee.chair is not None and committee.chair.email.lower() == leaving.email.lower():
        problem = (
            f"{leaving.name} är ordförande i {committee.name}: välj en annan ordförande först, "
            "under Byt sekreterare eller ordförande."
        )
    if leaving is None or problem is not None:
        return await _committee_page(
            request, state, committee.id, ar, problems=[problem or ""], status_code=422
        )
    members = [m for m in committee.members if m is not leaving]
    summary = f"{leaving.name} lämnar {committee_label(committee)}"
    new = _with_members(config, committee, members)
    proposal = Proposal.of_config(new, base, "web:meetings", summary)
    return await preview_page(request, state, proposal)


@router.post("/installningar/sammantradesplan", dependencies=[Depends(check_csrf)])
async def upload_plan(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form(max_length=MAX_PASTE)] = "",
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Reads a pasted or uploaded sammanträdesplan (CSV or ICS) for every committee it names;
    every problem is listed by line, nothing is changed while one remains."""
    config, base = await editing(state)
    data: bytes | str = text
    name = None
    if file is not None and file.filename:
        name = file.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        data = await file.read(MAX_PLAN_BYTES + 1)
        if len(data) > MAX_PLAN_BYTES:
            return await _committees(
                request,
                state,
                problems=[f"{name}: filen är större än {MAX_PLAN_BYTES // 1_000_000} MB."],
                status_code=413,
            )
    if not (data.strip() if isinstance(data, str) else data.strip()):
        problems = ["Välj en fil med sammanträdesplanen eller klistra in den."]
        return await _committees(request, state, problems=problems, status_code=422)
    parsed = parse_meeting_plan(data, config, filename=name)
    if not parsed.ok:
        prefix = f"{name}: " if name else ""
        return await _committees(
            request,
            state,
            problems=[prefix + p for p in parsed.problems],
            pasted=text,
            status_code=422,
        )
    try:
        edit = add_plan(config, parsed)
    except MeetingPlanError as exc:
        return await _committees(
            request, state, problems=exc.messages, pasted=text, status_code=422
        )
    if edit.errors:
        problems = [f.explanation_sv for f in edit.errors]
        return await _committees(request, state, problems=problems, pasted=text, status_code=422)
    years = sorted({p.meeting.date.year for p in parsed.meetings})
    shown = ", ".join(map(str, years))
    summary = f"Sammanträdesplan för {shown}: {len(parsed.meetings)} sammanträden"
    if name:
        summary += f" ur {name}"
    proposal = Proposal.of_config(edit.config, base, "web:plan", summary)
    return await preview_page(request, state, proposal)
