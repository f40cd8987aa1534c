"""The year's plan on the Temporal boundary: what the annual cycle carries instead of every spec.

A plan is the list of a year's RoundSpecs, stored once (SQL in production, memory in
`arshjul simulate`) under the sha256 of its content. The cycle carries that hash and the plan's
opening instants ("slots", at most one per day), and asks the open_rounds activity to start the
rounds of each slot, page by page: no payload on the boundary grows with the number of units.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from pydantic import BaseModel, Field

from arshjul.models.instants import send_instant
from arshjul.models.rounds import RoundSpec

ACTIVITY_OPEN_ROUNDS = "open_rounds"
ACTIVITY_APPLY_PLAN = "apply_plan"
ACTIVITY_COUNT_OPEN_ROUNDS = "count_open_rounds"
QUERY_CYCLE_PLAN = "plan"  # on the cycle -> CyclePlanStatus
OPEN_PAGE = 200  # rounds started by one open_rounds call


def slot_of(spec: RoundSpec) -> dt.datetime:
    """Returns the UTC instant the cycle opens this round (its request's send time)."""
    return send_instant(spec.opens, spec.send_time, spec.timezone)


def plan_slots(specs: list[RoundSpec]) -> list[dt.datetime]:
    """Returns the distinct opening instants of a plan, earliest first."""
    return sorted({slot_of(s) for s in specs})


def plan_hash(specs: list[RoundSpec]) -> str:
    """Returns the sha256 that names a plan (the simulation's clock offset left out)."""
    digest = hashlib.sha256()
    for spec in sorted(specs, key=lambda s: s.workflow_id):
        data = spec.model_dump(mode="json", exclude={"clock_offset_s"})
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


class OpenRoundsInput(BaseModel):
    """Start the plan's rounds of one slot whose workflow id sorts after `after`."""

    plan: str
    slot: dt.datetime
    start: dt.date  # rounds due before the cycle's first day are left out ("before start")
    clock_offset_s: float = 0
    after: str | None = None
    limit: int = OPEN_PAGE


class OpenRoundsResult(BaseModel):
    """How many rounds one page started; `next_after` is set while more remain in the slot."""

    started: int = 0
    already: int = 0  # already started (a retry, a second cycle start, a moved round)
    before_start: int = 0
    next_after: str | None = None


class ApplyPlanInput(BaseModel):
    """Move a cycle from plan `old` to plan `new` (a changed configuration)."""

    old: str
    new: str
    opened_through: dt.datetime | None  # the last slot the cycle opened
    start: dt.date  # the cycle's first day
    today: dt.date  # the cycle's local date: rounds added with a due date before it stay out
    clock_offset_s: float = 0
    actor: str = "configuration"


class OpenCountInput(BaseModel):
    """Count the rounds of an organisation's year that are not closed yet."""

    org_id: str
    year: int


class OpenCount(BaseModel):
    """Rounds of the year still open, and a few of their ids for the log."""

    open: int
    some: list[str] = Field(default_factory=list)


class CyclePlanStatus(BaseModel):
    """QUERY_CYCLE_PLAN: where a planned cycle stands (None plan: a cycle of release 0.1)."""

    org_id: str
    year: int
    start: dt.date
    plan: str | None = None
    slots: list[dt.datetime] = Field(default_factory=list)
    opened_through: dt.datetime | None = None
