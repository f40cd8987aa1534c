"""`/`: the årshjul picture and the status of every unit and report for the ekonomichef: late and
at-risk rounds first (with a bulk reminder), then the whole year filtered, sorted and paged."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig
from arshjul.calendar.expand import CalendarEntry, expand_year
from arshjul.calendar.rules import MissingMeeting, RuleError
from arshjul.calendar.turnover import asks_for_next_year, without_meetings
from arshjul.calendar.wheel import LEGEND, legend_swatch, report_key, wheel_svg
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.status import label, most_urgent
from arshjul.store import configuration
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local, year_of
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.overview.rows import DEFAULT_SORT, SORTS, Filters, status_rows, table
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=64)]


def filters_from(
    report: Text = "",
    period: Text = "",
    unit: Text = "",
    status: Text = "",
    sort: Text = DEFAULT_SORT,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Filters:
    """FastAPI dependency: the overview's filters from the query string (unknown sorts: default)."""
    return Filters(report, period, unit, status, sort if sort in SORTS else DEFAULT_SORT, page)


def anchor(entry: CalendarEntry) -> str:
    """Returns the id of a meeting's or milestone's line in the list under the wheel."""
    return "d-" + hashlib.sha256(entry.uid.encode()).hexdigest()[:10]


def _wheel(
    config: ArshjulConfig, year: int, today: dt.date, rows: list[dict[str, Any]]
) -> tuple[str, list[tuple[str, CalendarEntry]]]:
    # The picture, its marks linked to the table (a report period) or to the list below it.
    words: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        words[report_key(row["report_id"], row["period"])].append(row["status"])
    try:
        entries = expand_year(config, year)
    except RuleError:  # a meeting plan not in the configuration yet: the wheel without dates
        entries = []

    def link_for(entry: CalendarEntry) -> str:
        if entry.kind == "due":
            chosen = Filters(report=entry.report or "", period=entry.period or "")
            return f"/?year={year}&{chosen.query()}#status"
        return f"#{anchor(entry)}"

    svg = wheel_svg(
        entries,
        year,
        today=today,
        states={key: label(most_urgent(ws)) for key, ws in words.items()},
        title=f"Årshjul {year} – {config.organisation.name}",
        link_for=link_for,
    )
    dated = [e for e in entries if e.kind in ("meeting", "milestone") and e.date.year == year]
    return svg, [(anchor(e), e) for e in dated]


@dataclass(frozen=True)
class ExtendProblem:
    """An extension the overview refused: the row, what was typed, and why (shown in place)."""

    workflow_id: str
    message: str
    new_due: str
    reason: str


# The ekonomichef sees the newest change of the årshjul on the overview for two weeks, its first
# lines there and the rest one click away (the version comparison).
CHANGE_SHOWN_FOR = dt.timedelta(days=14)
CHANGE_LINES = 5


@router.get("/")
async def overview(
    request: Request,
    year: int | None = None,
    f: Filters = Depends(filters_from),
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows late and at-risk rounds, the year's table (filters, pages) and the årshjul."""
    return await overview_page(request, state, user, year, f)


async def overview_page(
    request: Request,
    state: WebState,
    user: WebUser,
    year: int | None,
    f: Filters,
    problem: ExtendProblem | None = None,
    status_code: int = 200,
) -> Response:
    """Renders the overview, with a refused extension shown at its row (and at the top)."""
    today = today_local(state)
    year = year_of(state, year)
    config = state.config
    skipped: list[MissingMeeting] = []
    rows = await state.db(status_rows, config, year, today, skipped)
    names = {c.id: c.name for c in config.committees}
    missing = sorted({p.sv(names.get(p.committee, p.committee)) for p in skipped})
    # In the autumn the ekonomichef is asked for next year's plan where it is missing.
    unplanned = (
        [c.name for c in without_meetings(config, year + 1)]
        if year == today.year and asks_for_next_year(today)
        else []
    )
    owner = user.has(OWNER_ROLE)
    since = state.clock() - CHANGE_SHOWN_FOR
    change = await state.db(configuration.recent_change, since) if owner else None
    wd = WorkingDays(config.working_days.non_working_eves)
    # The year's expansion, the picture and the table take tens of milliseconds: off the loop.
    svg, dated = await anyio.to_thread.run_sync(_wheel, config, year, today, rows)
    shown = await anyio.to_thread.run_sync(table, rows, f, today, wd)
    problem_row = None
    if problem is not None:
        problem_row = next((r for r in rows if r["workflow_id"] == problem.workflow_id), None)
    return render(
        request,
        "overview.html",
        status_code,
        title=f"Årshjul {year}",
        year=year,
        t=shown,
        f=f,
        svg=svg,
        today=today,
        owner=owner,
        change=change,
        change_lines=change.changes[:CHANGE_LINES] if change else [],
        filtered=any((f.report, f.period, f.unit, f.status)),
        dated=dated,
        legend=[(legend_swatch(kind), ring, text) for kind, ring, text in LEGEND],
        missing_meetings=missing,
        unplanned=unplanned,
        unplanned_year=year + 1,
        problem=problem,
        problem_row=problem_row,
        problem_shown=problem_row is not None and problem_row in shown.rows,
    )
