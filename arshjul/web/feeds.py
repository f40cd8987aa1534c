"""Calendar subscriptions: `/calendar/{unit}.ics`, `/calendar/roll/{role}.ics`,
`/calendar/person/{token}.ics`, `/calendar/all.ics`, and the page that explains them (`/kalender`).

Public on purpose: calendar programs cannot log in, and the feeds hold dates and titles only;
a person's feed sits behind an unguessable random token instead, stored, which the person may
replace on `/kalender` (the old address stops at once). The first personal addresses were the
person's address, signed: they are refused with a page that says where the new one is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from arshjul.calendar.dates import submitter_names
from arshjul.calendar.expand import CalendarEntry
from arshjul.calendar.ics import DEFAULT_STAMP, to_ics
from arshjul.calendar.municipal import SLUG
from arshjul.privacy import pseudonym
from arshjul.store.access import PersonFeedRepository
from arshjul.store.calendar_feed import feed_entries
from arshjul.store.db import utc_now
from arshjul.store.repositories import (
    OrganisationRepository,
    RoundRepository,
    UnitPeopleRepository,
)
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import current_user, require_roles
from arshjul.web.auth.user import WebUser, user_for_email
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.pages.errors import ERROR_RESPONSES, ApiError, error_response
from arshjul.web.pages.templating import render

log = logging.getLogger(__name__)
router = APIRouter(prefix="/calendar", tags=["calendar"], responses=ERROR_RESPONSES)
page = APIRouter(include_in_schema=False)
ICS = "text/calendar; charset=utf-8"
Ref = Annotated[str, Path(max_length=64, pattern=SLUG)]


def _stamp(session: Session, org_id: str) -> dt.datetime:
    # When the feed's data last changed: the newest round event, else the configuration sync.
    try:
        newest = RoundRepository(session).last_updated(org_id=org_id)
        org = OrganisationRepository(session).get(org_id=org_id)
    except SQLAlchemyError as err:  # a store not migrated yet: the plan alone still serves
        log.warning("calendar feed without the store: %s", err)
        session.rollback()
        return DEFAULT_STAMP
    stamps = [s for s in (newest, org.synced_at if org else None) if s is not None]
    return max(stamps) if stamps else DEFAULT_STAMP


def _unit_entries(
    state: WebState, session: Session, unit: str, years: tuple[int, int]
) -> list[CalendarEntry]:
    link = f"{state.settings.base_url.rstrip('/')}/mina-rapporter"
    return feed_entries(session, state.config, years, unit=unit, link=link)


def _shared_entries(
    state: WebState, session: Session, years: tuple[int, int], ref: str | None
) -> list[CalendarEntry]:
    return feed_entries(session, state.config, years, ref=ref)


Build = Callable[[Session, tuple[int, int]], list[CalendarEntry]]
FEED_CACHE_SIZE = 256


def _feed(
    session: Session, state: WebState, key: tuple[str, str], name: str, build: Build
) -> bytes:
    # Reads the store and expands two years (a third of a second uncached): run by state.db,
    # off the event loop. Cached until the data's last change moves.
    config = state.config
    year = today_local(state).year
    stamp = _stamp(session, config.organisation.id)
    # The version too: another process may have saved one this process has not read yet.
    cache_key = (*key, year, stamp.isoformat(), state.config_source.version or 0)
    if cache_key not in state.feed_cache:
        entries = build(session, (year, year + 1))
        if len(state.feed_cache) > FEED_CACHE_SIZE:  # old stamps: drop them all at once
            state.feed_cache.clear()
        state.feed_cache[cache_key] = to_ics(
            entries,
            org_name=config.organisation.name,
            calendar_name=f"Årshjul – {name}",
            stamp=stamp,
            timezone=config.organisation.timezone,
            alarm_time=config.organisation.send_time,
        )
    return state.feed_cache[cache_key]


# SQLite refuses a reading transaction's first write when another process wrote meanwhile
# ("database is locked" at once, whatever the busy timeout): a fresh transaction reads anew.
FEED_ATTEMPTS = 3


async def _ics(state: WebState, key: tuple[str, str], name: str, build: Build) -> Response:
    for attempt in range(1, FEED_ATTEMPTS + 1):
        try:
            body = await state.db(_feed, state, key, name, build)
        except OperationalError as err:
            if attempt == FEED_ATTEMPTS or "locked" not in str(err):
                raise
            log.warning("calendar feed: store busy, reading again (%s)", err.orig)
            continue
        return Response(body, media_type=ICS)
    raise AssertionError("unreachable")  # the loop returns or raises


async def _named_ics(
    state: WebState, key: tuple[str, str], names: dict[str, str], unknown: str, build: Build
) -> Response:
    # A feed of one configured id (key[1]), named as the configuration names it; 404 otherwise.
    if key[1] not in names:
        raise HTTPException(404, unknown)
    return await _ics(state, key, names[key[1]], build)


def _legacy_serializer(state: WebState) -> URLSafeSerializer:
    # The first personal addresses: the person's e-mail address, signed (readable by anyone).
    return URLSafeSerializer(state.settings.secret_key, salt="calendar-person")


def _refs(state: WebState) -> dict[str, str]:
    config = state.config
    return {r.id: r.title for r in config.roles} | {c.id: c.name for c in config.committees}


def _feed_token(session: Session, org_id: str, email: str, replace: bool) -> str:
    repo = PersonFeedRepository(session)
    if replace:
        return repo.replace(org_id=org_id, email=email, now=utc_now())
    return repo.current(org_id=org_id, email=email, now=utc_now())


async def person_token(state: WebState, email: str, *, replace: bool = False) -> str:
    """Returns the random token of a person's own feed (made on first use), or a new one."""
    org = state.config.organisation.id
    try:
        return await state.db(_feed_token, org, email, replace)
    except IntegrityError:  # made by a concurrent request a moment ago: that one is the token
        return await state.db(_feed_token, org, email, False)


def _feed_owner(session: Session, org_id: str, token: str) -> tuple[str | None, bool]:
    # (whose feed, whether replaced); (None, False) for a token nobody holds.
    row = PersonFeedRepository(session).find(org_id=org_id, token=token)
    return (row.email, row.replaced_at is not None) if row is not None else (None, False)


MOVED_FEED = (
    "Den här adressen till din personliga kalender gäller inte längre. Logga in på årshjulet "
    "och öppna sidan Kalender (/kalender): där finns din nya adress. Ta bort den gamla "
    "prenumerationen i ditt kalenderprogram och lägg till den nya."
)


@router.get("/all.ics", response_class=Response, responses={200: {"content": {ICS: {}}}})
async def all_feed(state: WebState = Depends(web_state)) -> Response:
    """Returns the whole organisation's årshjul, the units of one report and day as one event."""
    org = state.config.organisation.name
    return await _ics(
        state, ("all", ""), org, lambda session, ys: _shared_entries(state, session, ys, None)
    )


@router.get("/roll/{ref}.ics", response_class=Response, responses={200: {"content": {ICS: {}}}})
async def role_feed(ref: Ref, state: WebState = Depends(web_state)) -> Response:
    """Returns what a role or committee follows (its meetings, reports, milestones)."""
    return await _named_ics(
        state,
        ("role", ref),
        _refs(state),
        "unknown role or committee",
        lambda session, ys: _shared_entries(state, session, ys, ref),
    )


@router.get(
    "/person/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {ICS: {}}},
        410: {
            "model": ApiError,
            "description": "Kalenderns adress har bytts",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
    },
)
async def person_feed(
    request: Request,
    token: Annotated[str, Path(max_length=400)],
    state: WebState = Depends(web_state),
) -> Response:
    """Returns one person's calendar: their units' deadlines and their roles' and committees'.

    A replaced address and an address of the first, signed kind answer 410 with where the new
    one is; an unknown one 404.
    """
    email, replaced = await state.db(_feed_owner, state.config.organisation.id, token)
    if replaced or (email is None and _is_legacy(state, token)):
        detail = "replaced" if replaced else "legacy"
        return error_response(
            request,
            410,
            f"{detail} personal feed address",
            title="Kalenderns adress har bytts",
            text=MOVED_FEED,
            next="/kalender",
        )
    if email is None:
        raise HTTPException(404, "unknown feed")
    units, refs = await state.db(_person_scope, state, email)
    if not units and not refs:
        raise HTTPException(404, "nobody to show")

    def build(session: Session, years: tuple[int, int]) -> list[CalendarEntry]:
        found: dict[str, CalendarEntry] = {}
        for unit in units:
            for e in _unit_entries(state, session, unit, years):
                found.setdefault(e.uid, e)
        for ref in refs:
            for e in _shared_entries(state, session, years, ref):
                found.setdefault(e.uid, e)
        return sorted(found.values(), key=lambda e: (e.date, e.kind, e.uid))

    return await _ics(state, ("person", email), "mina datum", build)


def _is_legacy(state: WebState, token: str) -> bool:
    try:
        _legacy_serializer(state).loads(token)
    except BadSignature:
        return False
    return True


def _person_scope(session: Session, state: WebState, email: str) -> tuple[list[str], list[str]]:
    org = state.config.organisation.id
    day = today_local(state)
    found = UnitPeopleRepository(session).units_of(email=email, day=day, upcoming=True)
    units = sorted({u.unit_id for u in found if u.org_id == org})
    user = user_for_email(state.config, email)
    return units, sorted(user.roles) if user else []


@router.get("/{unit}.ics", response_class=Response, responses={200: {"content": {ICS: {}}}})
async def unit_feed(unit: Ref, state: WebState = Depends(web_state)) -> Response:
    """Returns one unit's (or submitting role's) årshjul with its rounds' real deadlines."""
    return await _named_ics(
        state,
        ("unit", unit),
        submitter_names(state.config),
        "unknown unit",
        lambda session, ys: _unit_entries(state, session, unit, ys),
    )


@page.get("/kalender")
async def subscribe_page(request: Request, state: WebState = Depends(web_state)) -> Response:
    """Explains how to subscribe (Outlook, Google) and lists every feed, one's own first."""
    base = state.settings.base_url.rstrip("/")
    user = await current_user(request)
    mine = None
    if user is not None:
        mine = f"{base}/calendar/person/{await person_token(state, user.email)}.ics"
    config = state.config
    return render(
        request,
        "kalender.html",
        title="Prenumerera på årshjulet",
        mine=mine,
        replaced=request.query_params.get("ny") == "1",
        all_feed=f"{base}/calendar/all.ics",
        units=[(u.name, f"{base}/calendar/{u.id}.ics") for u in config.units],
        roles=[(name, f"{base}/calendar/roll/{ref}.ics") for ref, name in _refs(state).items()],
    )


@page.post("/kalender/ny-adress", dependencies=[Depends(check_csrf)])
async def replace_feed(
    user: WebUser = Depends(require_roles()), state: WebState = Depends(web_state)
) -> Response:
    """Gives the person a new address for their own feed; the old one stops working at once."""
    await person_token(state, user.email, replace=True)
    log.info(
        "personal feed address replaced for %s", pseudonym(user.email, state.settings.secret_key)
    )
    return RedirectResponse("/kalender?ny=1#din-kalender", 303)
