"""The demo round of `up` on a later start: a newcomer back another day can still walk it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from arshjul.calendar.demo import demo_day, demo_round, demo_rounds
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import (
    QUERY_STATUS,
    UPDATE_CANCEL,
    UPDATE_SUBMIT,
    CancelInput,
    RoundStatus,
)
from arshjul.runtime.bootstrap import start_demo_once
from arshjul.settings import BUNDLED_CONFIG
from tests.workflows.conftest import Rig
from tests.workflows.scenarios import SUBMISSION, state_is, update


async def test_a_demo_opened_days_ago_meets_again_on_the_day_up_starts(
    rig: Rig, tmp_path: Path
) -> None:
    config = load_config(BUNDLED_CONFIG)
    today = dt.datetime.now(ZoneInfo(config.organisation.timezone)).date()
    first_start = today - dt.timedelta(days=3)
    marker = tmp_path / "demo.json"
    workflow_id, started = await start_demo_once(
        rig.client, config, first_start, marker, rig.task_queue
    )
    assert started
    handle = rig.client.get_workflow_handle(workflow_id)
    await state_is(handle, "open")
    # Beside it, the rounds left waiting and at risk are open too.
    others = [s.workflow_id for s in demo_rounds(config, first_start)[1:]]
    assert others and workflow_id not in others
    for other in others:
        await state_is(rig.client.get_workflow_handle(other), "open")

    # The newcomer comes back today: `up` starts again with the same data dir.
    again, started = await start_demo_once(rig.client, config, today, marker, rig.task_queue)
    assert (again, started) == (workflow_id, False)
    st = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    assert st.spec.review is not None
    # The meetings are held on a working day: today, or the next one.
    meets = demo_day(config, today)
    assert {meets, demo_day(config, first_start)} <= set(st.spec.review.committee.meetings)
    assert st.due == demo_round(config, first_start).due  # the deadline it opened with
    for other in others:
        waiting = await rig.client.get_workflow_handle(other).query(
            QUERY_STATUS, result_type=RoundStatus
        )
        assert waiting.spec.review is not None
        assert meets in waiting.spec.review.committee.meetings

    # Handed in today, it goes on the agenda of the demo day, not on the meeting days ago.
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await state_is(handle, "on_agenda")
    st = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    assert st.meeting == meets

    # A third start the same day changes nothing more.
    await start_demo_once(rig.client, config, today, marker, rig.task_queue)
    st2 = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    assert (st2.meeting, st2.spec.review) == (st.meeting, st.spec.review)

    # Once the demo is over, a later start leaves it alone and `up` starts as usual.
    for closing in [workflow_id, *others]:
        done = rig.client.get_workflow_handle(closing)
        await update(done, UPDATE_CANCEL, CancelInput(actor="eva@example.org", reason="Klar"))
        await state_is(done, "cancelled")
    later = today + dt.timedelta(days=1)
    assert await start_demo_once(rig.client, config, later, marker, rig.task_queue) == (
        workflow_id,
        False,
    )
