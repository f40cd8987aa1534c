"""A workflow with no business logic, for bench/bench_year.py: timers, no-op activities, updates."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from temporalio import activity, workflow


class BaselineInput(BaseModel):
    timers: int
    activities: int
    spacing_s: float
    updates: int = 0  # stays until it has taken this many updates, like a round awaiting decisions


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
        for i in range(inp.timers):
            await workflow.sleep(inp.spacing_s)
            share = inp.activities * (i + 1) // inp.timers - done
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
