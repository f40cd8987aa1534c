"""`/calendar/{unit}.ics` and `/calendar/all.ics`: subscription feeds of the årshjul.

Public on purpose: calendar programs cannot log in, and the feeds hold dates and titles only.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import Response

from arshjul.calendar.expand import expand_year
from arshjul.calendar.ics import to_ics
from arshjul.web.deps import WebState, web_state
from arshjul.web.errors import ERROR_RESPONSES
from arshjul.web.overview import today_local

router = APIRouter(prefix="/calendar", tags=["calendar"], responses=ERROR_RESPONSES)
Unit = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
ICS = "text/calendar; charset=utf-8"


def feed(state: WebState, unit: str | None) -> bytes:
    """Returns this and next year's entries as iCalendar (a unit's own and the shared ones)."""
    year = today_local(state).year
    config = state.config
    if unit is not None and unit not in {u.id for u in config.units} | {r.id for r in config.roles}:
        raise HTTPException(404, "unknown unit")
    key = (unit, year)
    if key not in state.feed_cache:
        entries = [e for y in (year, year + 1) for e in expand_year(config, y, unit)]
        name = next((u.name for u in config.units if u.id == unit), unit)
        org = config.organisation.name
        state.feed_cache[key] = to_ics(
            entries, org_name=org, calendar_name=f"Årshjul – {name or org}"
        )
    return state.feed_cache[key]


@router.get("/all.ics", response_class=Response, responses={200: {"content": {ICS: {}}}})
async def all_feed(state: WebState = Depends(web_state)) -> Response:
    """Returns the whole organisation's årshjul as an iCalendar feed."""
    # Expanding two years takes a third of a second the first time: not on the event loop.
    return Response(await anyio.to_thread.run_sync(feed, state, None), media_type=ICS)


@router.get("/{unit}.ics", response_class=Response, responses={200: {"content": {ICS: {}}}})
async def unit_feed(unit: Unit, state: WebState = Depends(web_state)) -> Response:
    """Returns one unit's (or role's) årshjul as an iCalendar feed."""
    return Response(await anyio.to_thread.run_sync(feed, state, unit), media_type=ICS)
