"""The annual cycle's plans in memory, for `arshjul simulate` and the workflow tests."""

from __future__ import annotations

import datetime as dt

from temporalio.client import Client

from arshjul.activities.cycle import CycleActivities
from arshjul.models.plans import plan_hash, slot_of
from arshjul.models.rounds import RoundSpec, RoundState
from arshjul.simulation.timeline import Timeline, TimelineActivities


class MemoryPlans:
    """Plans by hash; rounds' states from the timeline's history lines (the SQL mirror's twin)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.plans: dict[str, tuple[str, int, list[RoundSpec]]] = {}

    def save(self, org_id: str, year: int, specs: list[RoundSpec]) -> str:
        """Stores a plan and returns its hash."""
        name = plan_hash(specs)
        clean = [s.model_copy(update={"clock_offset_s": 0}) for s in specs]
        self.plans.setdefault(name, (org_id, year, sorted(clean, key=lambda s: s.workflow_id)))
        return name

    def page(self, plan: str, slot: dt.datetime, after: str | None, limit: int) -> list[RoundSpec]:
        """Returns up to `limit` specs of a slot, by workflow id, after `after`."""
        chosen = [
            s
            for s in self.plans[plan][2]
            if slot_of(s) == slot and (after is None or s.workflow_id > after)
        ]
        return chosen[:limit]

    def specs(self, plan: str) -> list[RoundSpec]:
        """Returns every spec of a plan."""
        return list(self.plans[plan][2])

    def states(self, org_id: str, year: int) -> dict[str, tuple[RoundState, dt.date | None]]:
        """Returns (state, meeting) of each started round of any plan of the organisation's year."""
        ids = {
            s.workflow_id
            for org, y, specs in self.plans.values()
            if (org, y) == (org_id, year)
            for s in specs
        }
        return {
            wid: (record.state, record.meeting)
            for wid, record in self.timeline.last_records().items()
            if wid in ids
        }


def in_memory_activities(timeline: Timeline, client: Client) -> tuple[list[object], MemoryPlans]:
    """Returns every activity the workflows call, writing into `timeline`, and their plan store."""
    plans = MemoryPlans(timeline)
    return [*TimelineActivities(timeline).all(), *CycleActivities(client, plans).all()], plans
