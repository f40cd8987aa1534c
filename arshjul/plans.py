"""The year's plan outside the workflows: where it is kept, how two plans differ, status lines.

Pure apart from the PlanStore protocol, which SQL (`store/plans.py`) and the simulation
(`simulation/plans.py`) implement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from arshjul.models.plans import slot_of
from arshjul.models.rounds import (
    CLOSED_STATES,
    CycleConfigResult,
    CycleRound,
    RoundSpec,
    RoundState,
)


class PlanStore(Protocol):
    """Keeps plans by hash and knows which rounds of a year are still open."""

    def save(self, org_id: str, year: int, specs: list[RoundSpec]) -> str:
        """Stores a plan (a no-op when it is stored already) and returns its hash."""
        ...

    def page(self, plan: str, slot: dt.datetime, after: str | None, limit: int) -> list[RoundSpec]:
        """Returns up to `limit` specs of a slot, by workflow id, after `after`."""
        ...

    def specs(self, plan: str) -> list[RoundSpec]:
        """Returns every spec of a plan (KeyError when there is no such plan)."""
        ...

    def states(self, org_id: str, year: int) -> dict[str, tuple[RoundState, dt.date | None]]:
        """Returns (state, meeting) of each started round of the organisation's year."""
        ...


def open_ids(states: dict[str, tuple[RoundState, dt.date | None]]) -> list[str]:
    """Returns the ids of rounds that are not closed, sorted."""
    return sorted(wid for wid, (state, _) in states.items() if state not in CLOSED_STATES)


def same_plan(a: RoundSpec, b: RoundSpec) -> bool:
    """Tells whether two specs of a round plan the same (the simulation's offset ignored)."""
    return a.model_dump(exclude={"clock_offset_s"}) == b.model_dump(exclude={"clock_offset_s"})


def opened(spec: RoundSpec, opened_through: dt.datetime | None) -> bool:
    """Tells whether the cycle has passed this round's slot."""
    return opened_through is not None and slot_of(spec) <= opened_through


@dataclass
class PlanChange:
    """What moving from one plan to another means for each round, by workflow id."""

    signal: list[RoundSpec] = field(default_factory=list)  # opened: tell the round
    open_now: list[RoundSpec] = field(default_factory=list)  # added or moved into the past
    moved: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def diff_plans(
    old: list[RoundSpec],
    new: list[RoundSpec],
    opened_through: dt.datetime | None,
    start: dt.date,
    today: dt.date,
) -> PlanChange:
    """Compares two plans as the cycle of release 0.1 compared two lists of specs."""
    change = PlanChange()
    before = {s.workflow_id: s for s in old}
    for spec in new:
        was = before.get(spec.workflow_id)
        if was is None:
            change.added.append(spec.workflow_id)
            if spec.due >= today and opened(spec, opened_through):
                change.open_now.append(spec)
        elif same_plan(was, spec):
            continue
        elif opened(was, opened_through):
            if was.due >= start:  # a round left out before the start stays out
                change.signal.append(spec)
        else:
            change.moved.append(spec.workflow_id)
            if opened(spec, opened_through):
                change.open_now.append(spec)
    kept = {s.workflow_id for s in new}
    change.removed = [
        wid for wid, s in before.items() if wid not in kept and not opened(s, opened_through)
    ]
    return change


def change_message(result: CycleConfigResult) -> str:
    """The Swedish sentence that sums up a configuration update."""
    return (
        f"{len(result.moved)} flyttade, {len(result.signalled)} pågående uppdaterade, "
        f"{len(result.added)} nya, {len(result.removed)} borttagna."
    )


def cycle_line(
    spec: RoundSpec,
    status: str,
    state: RoundState | None = None,
    meeting: dt.date | None = None,
) -> CycleRound:
    """One line of a cycle's status: the round's names and dates, its status and state."""
    return CycleRound(
        workflow_id=spec.workflow_id,
        report_id=spec.report_id,
        report_title=spec.report_title,
        period=spec.period,
        unit_id=spec.unit_id,
        unit_name=spec.unit_name,
        opens=spec.opens,
        due=spec.due,
        status=status,  # type: ignore[arg-type]
        state=state,
        meeting=meeting,
    )


def cycle_lines(
    specs: list[RoundSpec],
    start: dt.date,
    opened_through: dt.datetime | None,
    states: dict[str, tuple[RoundState, dt.date | None]],
) -> list[CycleRound]:
    """The lines of `arshjul cycle status` for a planned cycle: each round's status and state."""
    lines = []
    for s in sorted(specs, key=lambda s: (s.opens, s.report_id, s.period, s.unit_id)):
        state, meeting = states.get(s.workflow_id, (None, None))
        if s.due < start and state is None:
            status = "before_start"
        elif state is not None or opened(s, opened_through):
            status = "opened"
        else:
            status = "scheduled"
        lines.append(cycle_line(s, status, state, meeting))
    return lines
