"""Workflows with no business logic, for the benchmarks: timers, no-op activities, updates.

BaselineWorkflow stands for a round (bench_year.py); BaselineOpenerWorkflow for the annual cycle
opening one day's rounds through an activity that starts them with the client (bench_open_day.py).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from temporalio import activity, workflow


class BaselineInput(BaseModel):
    """The shape of one baseline workflow: how many timers, activities and updates, how spaced."""

    timers: int
    activities: int
    spacing_s: float
    updates: int = 0  # stays until it has taken this many updates, like a round awaiting decisions
    activities_first: bool = False  # like a round's request: activities at once, then timers
    phase_s: float = 0  # the first timer is this much longer: workflows in clumps (no extra timer)


@activity.defn(name="baseline_noop")
async def baseline_noop(n: int) -> int:
    """Does nothing (the baseline's stand-in for a mail or a store write)."""
    return n


@workflow.defn(name="BaselineWorkflow")
class BaselineWorkflow:
    """Sleeps `timers` times and runs `activities` no-op activities, spread over the timers."""

    def __init__(self) -> None:
        self.pokes = 0

    @workflow.run
    async def run(self, inp: BaselineInput) -> int:
        """Runs the timers and activities; returns how many updates it took."""
        done = 0
        if inp.activities_first:
            for _ in range(inp.activities):
                await workflow.execute_activity(
                    baseline_noop, done, start_to_close_timeout=dt.timedelta(seconds=60)
                )
                done += 1
        for i in range(inp.timers):
            await workflow.sleep(inp.spacing_s + (inp.phase_s if i == 0 else 0))
            share = 0 if inp.activities_first else inp.activities * (i + 1) // inp.timers - done
            for _ in range(share):
                await workflow.execute_activity(
                    baseline_noop, done, start_to_close_timeout=dt.timedelta(seconds=60)
                )
                done += 1
        await workflow.wait_condition(lambda: self.pokes >= inp.updates)
        return self.pokes

    @workflow.update(name="poke")
    async def poke(self, n: int) -> int:
        """Counts an update."""
        self.pokes += 1
        return self.pokes

    @poke.validator
    def _validate_poke(self, n: int) -> None:
        if n < 0:
            raise ValueError("negative")


class OpenerInput(BaseModel):
    """A baseline opener: how many workflows to start, how many a page, and each one's shape."""

    rounds: int
    page: int
    round: BaselineInput


@workflow.defn(name="BaselineOpenerWorkflow")
class BaselineOpenerWorkflow:
    """Starts `rounds` BaselineWorkflows through an activity, `page` at a time, then ends."""

    @workflow.run
    async def run(self, inp: OpenerInput) -> int:
        """Opens every page; returns how many workflows it started."""
        started = 0
        while started < inp.rounds:
            started += await workflow.execute_activity(
                "baseline_open",
                args=[inp.round, started, min(inp.page, inp.rounds - started)],
                result_type=int,
                start_to_close_timeout=dt.timedelta(minutes=10),
            )
        return started
