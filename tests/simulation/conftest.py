"""Simulation fixtures: the bundled configuration's rounds, and a runner on a fresh test server."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus
from arshjul.models.rounds import CycleRound, RoundSpec, cycle_workflow_id
from arshjul.plans import cycle_lines
from arshjul.settings import BUNDLED_CONFIG
from arshjul.simulation.driver import Simulation
from arshjul.simulation.plans import in_memory_activities
from arshjul.simulation.run import YearResult, simulate_year
from arshjul.simulation.script import load_script
from arshjul.simulation.timeline import Timeline
from arshjul.worker import make_worker
from tests.conftest import TEST_SERVER


@pytest.fixture(scope="session")
def specs_2026() -> list[RoundSpec]:
    """Every round the bundled Hedemora configuration opens in 2026 (120)."""
    return round_specs(load_config(BUNDLED_CONFIG), 2026)


@pytest.fixture(scope="session")
async def default_year(specs_2026: list[RoundSpec]) -> YearResult:
    """The whole default year with the default script, simulated once for the session."""
    return await simulate_year(specs_2026, load_script(), 2026)


def subset(specs: list[RoundSpec]) -> list[RoundSpec]:
    """Three units' månadsrapporter and delårsrapporter.

    Every kind of event, a fifth of the work.
    """
    return [
        s
        for s in specs
        if s.unit_id in {"sof", "kfo", "sbf"} and s.report_id in {"manadsrapport", "delarsrapport"}
    ]


@asynccontextmanager
async def server() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping server (workflows of one scenario never meet another's)."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    async with env:
        yield env


Step = Callable[[Simulation, WorkflowEnvironment], Awaitable[Any]]


async def run_subset(
    specs: list[RoundSpec],
    *,
    pause: dt.date | None = None,
    at_pause: Step | None = None,
    at_end: Step | None = None,
    restart_worker: bool = False,
    until: dt.date | None = None,
    worker_options: dict[str, Any] | None = None,
    first_worker_options: dict[str, Any] | None = None,
    **options: Any,
) -> tuple[Timeline, Simulation]:
    """Simulates 2026 for `specs`.

    At `pause` (local midnight) runs `at_pause` and/or swaps the worker.
    """
    timeline = Timeline()
    queue = f"sim-{uuid.uuid4().hex[:8]}"
    async with server() as env:
        first = first_worker_options or worker_options or {}
        activities, plans = in_memory_activities(timeline, env.client)
        worker = make_worker(env.client, queue, activities, **first)
        await worker.__aenter__()
        try:
            sim = Simulation(env, queue, plans, specs, load_script(), 2026, **options)
            await sim.start()
            if pause is not None:
                await sim.run_until(sim.at_local(pause, dt.time(0, 0)))
                if restart_worker:
                    await worker.__aexit__(None, None, None)
                    worker = make_worker(env.client, queue, activities, **(worker_options or {}))
                    await worker.__aenter__()
                if at_pause is not None:
                    await at_pause(sim, env)
            await sim.run_until(sim.at_local(until, dt.time(0, 0)) if until else sim.year_end())
            if at_end is not None:
                await at_end(sim, env)
        finally:
            await worker.__aexit__(None, None, None)
    return timeline, sim


def lines(timeline: Timeline) -> list[tuple[str, str, str]]:
    """Returns (local minute, round, event) of a timeline, comparable across runs."""
    # Sorted by minute and round (stable: a round's own order stays), not by millisecond.
    rows = [(e.time.strftime("%Y-%m-%d %H:%M"), e.round, e.event) for e in timeline.entries()]
    return sorted(rows, key=lambda r: (r[0], r[1]))


async def cycle_status(sim: Simulation) -> list[CycleRound]:
    """The lines `arshjul cycle status` shows for the simulated cycle (plan + round states)."""
    handle = sim.env.client.get_workflow_handle(cycle_workflow_id(sim.org_id, sim.year))
    status = await handle.query(QUERY_CYCLE_PLAN, result_type=CyclePlanStatus)
    assert status.plan is not None
    states = sim.plans.states(sim.org_id, sim.year)
    return cycle_lines(sim.plans.specs(status.plan), status.start, status.opened_through, states)
