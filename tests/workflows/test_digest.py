"""The weekly digest: every configured weekday at the send time, for a year and beyond."""

from __future__ import annotations

import datetime as dt
import uuid

from temporalio.client import WorkflowExecutionStatus

from arshjul.models.digest import digest_workflow_id
from tests.workflows.conftest import Rig

T = dt.datetime


async def test_mondays_at_eight_for_more_than_a_year(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 3, 7, 0))  # a Wednesday
    org = f"d{uuid.uuid4().hex[:6]}"
    handle = await rig.start_digest(org, offset)
    await rig.advance_to(T(2027, 3, 16, 9, 0), offset)
    days = [d.day for d in rig.timeline.digests]
    assert days == [dt.date(2027, 3, 8), dt.date(2027, 3, 15)]
    assert {d.org_id for d in rig.timeline.digests} == {org}
    # A year on, the workflow has continued as new and still sends on Mondays (and only then).
    await rig.advance_to(T(2028, 3, 14, 9, 0), offset)
    days = [d.day for d in rig.timeline.digests]
    assert len(days) == 54 and all(d.weekday() == 0 for d in days)
    assert len(set(days)) == len(days) and days[-1] == dt.date(2028, 3, 13)
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.RUNNING
    assert description.run_id != handle.result_run_id  # continued as new
    await handle.terminate("test over")


async def test_started_once_per_organisation_when_configured(rig: Rig) -> None:
    from arshjul.calendar.loader import load_config
    from arshjul.runtime.digest import start_digest
    from arshjul.settings import BUNDLED_CONFIG

    config = load_config(BUNDLED_CONFIG)
    assert await start_digest(rig.client, config, rig.task_queue)
    assert not await start_digest(rig.client, config, rig.task_queue)  # `up` again, `cycle start`
    handle = rig.client.get_workflow_handle(digest_workflow_id(config.organisation.id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    await handle.terminate("test over")
    quiet = config.model_copy(
        update={"organisation": config.organisation.model_copy(update={"digest": None})}
    )
    assert not await start_digest(rig.client, quiet, rig.task_queue)
