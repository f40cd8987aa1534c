"""Builds the Temporal worker: the workflows and the activities under their registered names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.workdays import WorkingDays
from arshjul.settings import Settings
from arshjul.workflows.agenda import CommitteeAgendaWorkflow
from arshjul.workflows.cycle import AnnualCycleWorkflow
from arshjul.workflows.digest import DigestWorkflow
from arshjul.workflows.retention import RetentionWorkflow
from arshjul.workflows.round import ReportRoundWorkflow

WORKFLOWS = [
    ReportRoundWorkflow,
    AnnualCycleWorkflow,
    CommitteeAgendaWorkflow,
    DigestWorkflow,
    RetentionWorkflow,
]
# `holidays` imports its country modules lazily (and dateutil reads the local clock at import):
# passed through, they load once outside the sandbox.
RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("holidays", "dateutil", "six")
)


def warm_up_calendar() -> None:
    """Loads the Swedish holiday tables (a lazy import of `holidays`) before any workflow runs.

    Otherwise the first activations of a fresh worker import them under `holidays`' import
    lock; on a loaded machine that outlasts the SDK's 2 s deadlock detection, the tasks fail
    and are retried: a worker restarted mid-burst took over its rounds a minute late.
    """
    WorkingDays().holiday_name(dt.date.today())  # any day: a weekend would skip the lookup


def make_worker(
    client: Client, task_queue: str, activities: Sequence[Any], **options: Any
) -> Worker:
    """Returns a worker for the arshjul workflows with the given activities (real or in-memory)."""
    warm_up_calendar()
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=list(activities),
        workflow_runner=RUNNER,
        **options,
    )


def build_worker(
    client: Client,
    settings: Settings,
    session_maker: Any,
    sender: Any,
    config: ArshjulConfig | None = None,
) -> Worker:
    """Returns the production worker: workflows plus the store, mail and compile activities."""
    # Imported here: the activities pull in the store and mail stack,
    # which the simulator never needs.
    from arshjul.activities import activities_for
    from arshjul.activities.agenda import AgendaActivities
    from arshjul.activities.compile import CompileActivities
    from arshjul.activities.cycle import CycleActivities
    from arshjul.activities.digest import DigestActivities
    from arshjul.activities.retention import RetentionActivities
    from arshjul.calendar.loader import load_config
    from arshjul.store.configuration import ConfigSource
    from arshjul.store.plans import SqlPlans

    given = config
    # The store's newest version (saved in the browser reaches a running worker), else the file.
    config = ConfigSource(session_maker, lambda: given or load_config(settings.arshjul_config))
    compile_acts = CompileActivities(session_maker, config)
    activities = [
        *activities_for(session_maker, sender, settings),
        compile_acts.compile_report,
        compile_acts.compile_when_complete,
        AgendaActivities(session_maker, sender, settings, config).publish_agenda,
        DigestActivities(session_maker, sender, settings, config).send_digest,
        RetentionActivities(session_maker, config).run_gallring,
        *CycleActivities(client, SqlPlans(session_maker)).all(),
    ]
    return make_worker(client, settings.temporal_task_queue, activities)
