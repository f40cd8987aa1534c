"""Every committed history replays on today's workflow code; an unguarded change does not.

The histories come from `make histories` (tests/workflows/capture.py), one folder per release.
A failure here means a change would break rounds and cycles already running: put it behind
`workflow.patched` (docs/VERSIONING.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer, Worker
from temporalio.workflow import NondeterminismError

from arshjul.models.rounds import ROUND_WORKFLOW, UPDATE_EXTEND, ExtendInput
from arshjul.simulation.timeline import TimelineActivities
from arshjul.worker import RUNNER, WORKFLOWS
from arshjul.workflows.cycle import AnnualCycleWorkflow
from tests.workflows.conftest import Rig
from tests.workflows.scenarios import spec
from tests.workflows.variants import GuardedExtensionMail, UnguardedExtensionMail

HISTORIES = Path(__file__).parent / "histories"
FILES = sorted(HISTORIES.glob("*/**/*.json"))
# The guard test replays the extension round of the oldest release.
EXTENSION = sorted(HISTORIES.glob("*/round/extension.json"))[0]


def load(path: Path) -> WorkflowHistory:
    """Reads a committed history; its id is its path under histories/."""
    name = path.relative_to(HISTORIES).with_suffix("").as_posix()
    return WorkflowHistory.from_json(name, path.read_text(encoding="utf-8"))


def replayer(*workflows: type) -> Replayer:
    """A replayer configured like the production worker (sandbox, passthrough, converter)."""
    return Replayer(
        workflows=list(workflows),
        workflow_runner=RUNNER,
        data_converter=pydantic_data_converter,
    )


@pytest.fixture(scope="module")
def production() -> Replayer:
    """The replayer of today's workflows, built once."""
    return replayer(*WORKFLOWS)


def test_every_release_has_histories() -> None:
    assert len(FILES) >= 20
    assert {p.parent.name for p in FILES} >= {"round", "cycle"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(HISTORIES).as_posix())
async def test_history_replays_on_todays_code(production: Replayer, path: Path) -> None:
    await production.replay_workflow(load(path))


async def test_an_unguarded_change_fails_the_replay_and_a_patched_one_passes() -> None:
    with pytest.raises(NondeterminismError, match="TMPRL1100"):
        await replayer(UnguardedExtensionMail, AnnualCycleWorkflow).replay_workflow(load(EXTENSION))
    await replayer(GuardedExtensionMail, AnnualCycleWorkflow).replay_workflow(load(EXTENSION))


async def test_the_patched_change_takes_effect_in_a_new_round(rig: Rig) -> None:
    offset = await rig.offset_to(dt.datetime(2027, 3, 1, 7, 0))
    queue = f"{rig.task_queue}-guarded"
    activities = TimelineActivities(rig.timeline).all()
    async with Worker(
        rig.client,
        task_queue=queue,
        workflows=[GuardedExtensionMail],
        activities=activities,
        workflow_runner=RUNNER,
    ):
        round_spec = spec(offset)
        handle = await rig.client.start_workflow(
            ROUND_WORKFLOW, round_spec, id=round_spec.workflow_id, task_queue=queue
        )
        await rig.advance_to(dt.datetime(2027, 3, 2, 9, 0), offset)
        extend = ExtendInput(new_due=dt.date(2027, 3, 19), actor="eva@example.org", reason="Sjuk")
        await handle.execute_update(UPDATE_EXTEND, extend)
        await handle.terminate("test over")
    assert f"{round_spec.workflow_id}/extended/1" in rig.timeline.mails
