"""Benchmark: a simulated year against a baseline with the same Temporal work and no logic.

Run: PYTHONPATH=. .venv/bin/python bench/bench_year.py [--year 2026] [--units 40]
(no --units: the bundled Hedemora year; --units N: the generated N-unit, 12-report municipality,
a third of the units handing in four working days late).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from collections import Counter

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import RoundSpec
from arshjul.settings import BUNDLED_CONFIG
from arshjul.simulation.baseline import BaselineInput, BaselineWorkflow, baseline_noop
from arshjul.simulation.generated import generated_config, generated_script
from arshjul.simulation.run import TEST_SERVER, simulate_year
from arshjul.simulation.script import Script, load_script
from arshjul.worker import RUNNER

TIMER_EVENTS = ("request", "reminder", "overdue", "escalation")
UPDATE_EVENTS = ("submitted", "approved", "remitted", "referred", "ks_approved", "ks_remitted")


async def baseline(
    workflows: int, timers: int, activities: int, updates: int, days: int, clumps: int, sleeps: int
) -> float:
    """Runs `workflows` no-logic workflows with the given totals over `days`; returns seconds.

    The workflows start their timers in `clumps` groups spread over the first interval, as the
    year's rounds open on its few opening days (all at one instant, 100 units' worth of work
    lands at once and the time-skipping server times out).
    """
    started = time.perf_counter()
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    async with (
        env,
        Worker(
            env.client,
            task_queue="baseline",
            workflows=[BaselineWorkflow],
            activities=[baseline_noop],
            workflow_runner=RUNNER,
        ),
    ):
        per_t, per_a = -(-timers // workflows), -(-activities // workflows)
        spacing = days * 86400 / (per_t + 2)  # + the clump phase: every timer within `days`
        handles = [
            await env.client.start_workflow(
                BaselineWorkflow.run,
                BaselineInput(
                    timers=per_t,
                    activities=per_a,
                    spacing_s=spacing,
                    updates=len(range(i, updates, workflows)),
                    phase_s=spacing * (i % clumps) / clumps,
                ),
                id=f"baseline-{i}",
                task_queue="baseline",
            )
            for i in range(workflows)
        ]
        # The updates in as many clock moves as the simulation's driver made.
        step = dt.timedelta(days=days) / max(sleeps, 1)
        for k in range(sleeps):
            await env.sleep(step)
            for i in range(k * updates // sleeps, (k + 1) * updates // sleeps):
                await handles[i % workflows].execute_update("poke", i, result_type=int)
        await env.sleep(dt.timedelta(days=2))
    return time.perf_counter() - started


def year_of(units: int | None, year: int) -> tuple[list[RoundSpec], Script, str]:
    """The rounds and script of the bundled year, or of a generated municipality."""
    if units is None:
        return round_specs(load_config(BUNDLED_CONFIG), year), load_script(), "hedemora"
    specs = round_specs(generated_config(units, year), year)
    return specs, generated_script(units), f"{units} units"


async def main(year: int, units: int | None) -> None:
    """Times the simulated year, then the baseline with the same counts, and prints the ratio."""
    specs, script, name = year_of(units, year)
    started = time.perf_counter()
    result = await simulate_year(specs, script, year)
    year_s = time.perf_counter() - started
    events = Counter(e.event for e in result.entries)
    workflows = len({e.round for e in result.entries}) + 1  # rounds + the cycle
    timers = sum(events[k] for k in TIMER_EVENTS)
    updates = sum(events[k] for k in UPDATE_EVENTS)
    days = (result.ended.date() - dt.date(year, 1, 1)).days if result.ended else 365
    clumps = len(plan_slots(specs))  # the year's opening instants
    base_s = await baseline(
        workflows, timers, result.activity_calls, updates, days, clumps, result.sleeps
    )
    print(
        f"{name}, year {year}: {len(specs)} rounds, {len(result.still_open)} still open at "
        f"{result.ended:%Y-%m-%d}; {workflows} workflows, {timers} notice timers, "
        f"{updates} updates, {result.sleeps} clock moves, "
        f"{result.activity_calls} activities, {len(result.entries)} events, {result.mails} mails"
    )
    print(f"simulated year: {year_s:6.2f} s")
    print(f"baseline:       {base_s:6.2f} s")
    print(f"ratio:          {year_s / base_s:6.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--units", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.year, args.units))
