"""The rows of the ekonomichef's overview: every planned or running round of a year with its
status, filtered, sorted and cut into pages; the late and at-risk ones picked out first."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import round_specs
from arshjul.calendar.rules import MissingMeeting
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import WAITING_FOR_UNIT, RoundSpec
from arshjul.models.status import (
    LATE,
    NEVER_OPENED,
    URGENCY,
    key_of,
    label,
    status_of,
    urgency_group,
)
from arshjul.store.repositories import RoundRepository
from arshjul.swedish import date_sv, month_sv

PAGE_SIZE = 50
RISK_WORKING_DAYS = 5  # an open round due within this many working days is "at risk"
SORTS = ("urgent", "due", "report", "unit", "status")
DEFAULT_SORT = "urgent"  # what someone must act on first (late, waiting), then the rest
# The year's plan per configuration: pure calendar work (a 40-unit year is ~35 ms) that every
# overview request needed again. Keyed by year, kept with the configuration object it came from.
_PLANS: dict[int, tuple[ArshjulConfig, list[RoundSpec], list[MissingMeeting]]] = {}
_PLANS_KEPT = 4


@dataclass(frozen=True)
class Filters:
    """What the ekonomichef narrowed the table to (all optional), its order and page."""

    report: str = ""
    period: str = ""
    unit: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    def query(self, **change: Any) -> str:
        """Returns the query string of these filters with some values changed (no defaults)."""
        from urllib.parse import urlencode

        values = {
            "report": self.report,
            "period": self.period,
            "unit": self.unit,
            "status": self.status,
            "sort": self.sort,
            "page": self.page,
        } | change
        defaults = {"sort": DEFAULT_SORT, "page": 1}
        return urlencode(
            {k: v for k, v in values.items() if v not in ("", None) and defaults.get(k) != v}
        )


@dataclass
class Table:
    """One page of rows and what the page needs to offer the others."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    risk: list[dict[str, Any]] = field(default_factory=list)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    never: NeverOpened | None = None


def _where(row: Any, labels: dict[str, str]) -> dict[str, Any]:
    # Which committee has the report, and a target meeting it could not make (never silent).
    if row is None or row.committee_id is None or row.state not in ("on_agenda", "referred"):
        return {"committee": None, "missed": None}
    label = labels.get(row.committee_id, row.committee_id)
    missed = None
    if row.missed_target and row.target_meeting is not None:
        missed = f"Hann inte till {label} {date_sv(row.target_meeting)}"
    return {"committee": label, "missed": missed}


def _row(
    workflow_id: str,
    report_id: str,
    report_title: str,
    period: str,
    unit_id: str,
    unit_name: str,
    opens: dt.date,
    due: dt.date,
    state: str | None,
    meeting: dt.date | None,
    today: dt.date,
    where: dict[str, Any],
) -> dict[str, Any]:
    # A round of the plan whose day passed without it starting "never opened" (not missed).
    status = status_of(state, due, today, opens)
    return {
        "workflow_id": workflow_id,
        "report_id": report_id,
        "report_title": report_title,
        "period": period,
        "unit_id": unit_id,
        "unit_name": unit_name,
        "opens": opens,
        "due": due,
        "state": state,
        "status": status,
        "status_label": label(status),
        "meeting": meeting,
        **where,
    }


def planned(config: ArshjulConfig, year: int) -> tuple[list[RoundSpec], list[MissingMeeting]]:
    """Returns the year's round specs and the periods left out for a missing meeting plan."""
    kept = _PLANS.get(year)
    if kept is not None and kept[0] is config:
        return kept[1], kept[2]
    # A year whose meeting plan is missing still shows what can be computed (check says why).
    missing: list[MissingMeeting] = []
    specs = round_specs(config, year, skipped=missing)
    if len(_PLANS) >= _PLANS_KEPT and year not in _PLANS:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[year] = (config, specs, missing)
    return specs, missing


def status_rows(
    session: Session,
    config: ArshjulConfig,
    year: int,
    today: dt.date,
    skipped: list[MissingMeeting] | None = None,
) -> list[dict[str, Any]]:
    """Lists one row per planned or running round of the year, with its status word."""
    # Rounds due before the year cannot be shown: neither its plan's (due after they open) nor
    # others (shown by their due year). The window keeps the query to this year and later.
    rounds = RoundRepository(session).list(
        org_id=config.organisation.id, due_from=dt.date(year, 1, 1)
    )
    mirror = {r.workflow_id: r for r in rounds}
    labels = {c.id: c.label for c in config.committees}
    result = []
    specs, missing = planned(config, year)
    if skipped is not None:
        skipped.extend(missing)
    for spec in specs:
        row = mirror.pop(spec.workflow_id, None)
        result.append(
            _row(
                spec.workflow_id,
                spec.report_id,
                spec.report_title,
                spec.period,
                spec.unit_id,
                spec.unit_name,
                spec.opens,
                row.due if row else spec.due,
                row.state if row else None,
                row.meeting if row else None,
                today,
                _where(row, labels),
            )
        )
    for r in mirror.values():  # rounds not in this year's plan (follow-ups, older periods)
        if r.due.year == year:
            result.append(
                _row(
                    r.workflow_id,
                    r.report_id,
                    r.report_title,
                    r.period,
                    r.unit_id,
                    r.unit_name,
                    r.opens,
                    r.due,
                    r.state,
                    r.meeting,
                    today,
                    _where(r, labels),
                )
            )
    return sorted(result, key=lambda r: (r["due"], r["report_id"], r["unit_name"]))


def at_risk(rows: list[dict[str, Any]], today: dt.date, wd: WorkingDays) -> list[dict[str, Any]]:
    """Late rounds, then rounds still waiting whose due date is within a few working days."""
    horizon = wd.add(today, RISK_WORKING_DAYS)
    late = [r for r in rows if r["status"] == LATE]
    soon = [
        r
        for r in rows
        if r["state"] in WAITING_FOR_UNIT and r["status"] != LATE and r["due"] <= horizon
    ]
    return late + soon


def _matches(row: dict[str, Any], f: Filters) -> bool:
    return (
        (not f.report or row["report_id"] == f.report)
        and (not f.period or row["period"] == f.period)
        and (not f.unit or row["unit_id"] == f.unit)
        and (not f.status or row["status"] == key_of(f.status))
    )


def _sort_key(sort: str) -> Any:
    # Every order ends on the workflow id, so a page holds the same rows on every visit.
    if sort == "report":
        return lambda r: (r["report_title"], r["period"], r["unit_name"], r["workflow_id"])
    if sort == "unit":
        return lambda r: (r["unit_name"], r["due"], r["report_title"], r["workflow_id"])
    if sort == "status":
        order = {w: i for i, w in enumerate(URGENCY)}
        return lambda r: (
            order.get(r["status"], len(order)),
            r["due"],
            r["unit_name"],
            r["workflow_id"],
        )
    if sort == "due":
        return lambda r: (r["due"], r["report_title"], r["unit_name"], r["workflow_id"])
    return urgent_key


def urgent_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """The default order: late and waiting rounds first, then at committees, to come, done."""
    return (
        urgency_group(row["status"]),
        row["due"],
        row["report_title"],
        row["unit_name"],
        row["workflow_id"],
    )


def filtered(rows: list[dict[str, Any]], f: Filters) -> list[dict[str, Any]]:
    """Returns the rows the filters keep, in their order (all pages: what an export holds)."""
    return sorted((r for r in rows if _matches(r, f)), key=_sort_key(f.sort))


@dataclass
class NeverOpened:
    """The rounds of the plan that never started, as one line per report period."""

    count: int = 0
    periods: list[tuple[str, str, int]] = field(default_factory=list)  # title, period, units


def never_opened(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], NeverOpened]:
    """Splits off the rounds that never opened (their day passed before they could start)."""
    kept, never = [], []
    for row in rows:
        (never if row["status"] == NEVER_OPENED else kept).append(row)
    counts: dict[tuple[str, str], int] = {}
    for row in never:
        counts[(row["report_title"], row["period"])] = (
            counts.get((row["report_title"], row["period"]), 0) + 1
        )
    periods = [(t, p, n) for (t, p), n in sorted(counts.items(), key=lambda c: c[0][1])]
    return kept, NeverOpened(len(never), periods)


def table(rows: list[dict[str, Any]], f: Filters, today: dt.date, wd: WorkingDays) -> Table:
    """Returns the page of rows the filters ask for, the at-risk list and the filter choices."""
    kept = filtered(rows, f)
    # Rounds that never opened are no one's to act on: collapsed, unless asked for by status.
    never = NeverOpened()
    if key_of(f.status) != NEVER_OPENED:
        kept, never = never_opened(kept)
    pages = max(1, math.ceil(len(kept) / PAGE_SIZE))
    page = min(max(1, f.page), pages)
    choices = {
        "report": sorted({(r["report_id"], r["report_title"]) for r in rows}, key=lambda c: c[1]),
        "period": [(p, month_sv(p)) for p in sorted({r["period"] for r in rows})],
        "unit": sorted({(r["unit_id"], r["unit_name"]) for r in rows}, key=lambda c: c[1]),
        "status": [(w, label(w)) for w in URGENCY if any(r["status"] == w for r in rows)],
    }
    return Table(
        rows=kept[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(kept),
        page=page,
        pages=pages,
        risk=at_risk(kept, today, wd),
        choices=choices,
        never=never,
    )
