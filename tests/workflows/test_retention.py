"""The nightly gallring: every night at 03:00 Stockholm time, started once per organisation."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from temporalio.client import WorkflowExecutionStatus

from arshjul.models.retention import retention_workflow_id
from tests.workflows.conftest import Rig

T = dt.datetime
STOCKHOLM = ZoneInfo("Europe/Stockholm")


async def test_runs_at_three_on_consecutive_nights(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 26, 12, 0))  # the Sunday after: summer time
    org = f"r{uuid.uuid4().hex[:6]}"
    handle = await rig.start_retention(org, offset)
    await rig.advance_to(T(2027, 3, 29, 4, 0), offset)
    runs = [
        ((when + dt.timedelta(seconds=offset)).astimezone(STOCKHOLM), r)
        for when, r in rig.timeline.gallring
    ]
    assert [r.day for _, r in runs] == [dt.date(2027, 3, d) for d in (27, 28, 29)]
    assert {(local.hour, local.minute) for local, _ in runs} == {(3, 0)}  # also across DST
    assert {r.org_id for _, r in runs} == {org}
    # A quarter on, it has continued as new and still runs every night.
    await rig.advance_to(T(2027, 7, 1, 4, 0), offset)
    days = [r.day for _, r in rig.timeline.gallring]
    assert len(days) == len(set(days)) == (dt.date(2027, 7, 1) - dt.date(2027, 3, 27)).days + 1
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.RUNNING
    assert description.run_id != handle.result_run_id  # continued as new
    await handle.terminate("test over")


async def test_started_once_and_only_with_retention_configured(rig: Rig) -> None:
    from arshjul.calendar.loader import load_config
    from arshjul.calendar.retention import RetentionConfig
    from arshjul.runtime.retention import start_retention
    from arshjul.settings import BUNDLED_CONFIG

    bundled = load_config(BUNDLED_CONFIG)
    assert not await start_retention(rig.client, bundled, rig.task_queue)  # none configured
    config = bundled.model_copy(
        update={"retention": RetentionConfig.model_validate({"sessions": {"days": 30}})}
    )
    assert await start_retention(rig.client, config, rig.task_queue)
    assert not await start_retention(rig.client, config, rig.task_queue)  # `up` again
    handle = rig.client.get_workflow_handle(retention_workflow_id(config.organisation.id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    await handle.terminate("test over")
