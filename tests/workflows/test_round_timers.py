"""A round's mails go out on the right working day at 08:00 Stockholm time.

They stop when the report is in.
"""

from __future__ import annotations

import datetime as dt

from arshjul.models.rounds import (
    QUERY_STATUS,
    UPDATE_SUBMIT,
    RoundStatus,
    SubmitInput,
    UpdateResult,
)
from tests.workflows.conftest import Rig, make_spec

D = dt.date
T = dt.datetime


def local_times(rig: Rig, workflow_id: str) -> list[tuple[str, str]]:
    """Returns (event, local "YYYY-MM-DD HH:MM") of one round's timeline."""
    return [
        (e.event, e.time.strftime("%Y-%m-%d %H:%M")) for e in rig.timeline.of_round(workflow_id)
    ]


async def test_notices_across_easter_and_dst_then_weekly_escalation(rig: Rig) -> None:
    # Due Wed 31 March 2027. Långfredag 26/3 and annandag påsk 29/3 are not working days, and
    # summer time starts on 28/3: 08:00 local is 07:00 UTC before and 06:00 UTC after.
    offset = await rig.offset_to(T(2027, 3, 15, 7, 0))
    spec = make_spec(opens=D(2027, 3, 15), due=D(2027, 3, 31), offset=offset)
    await rig.start(spec)
    await rig.advance_to(T(2027, 4, 17, 12, 0), offset)
    assert local_times(rig, spec.workflow_id) == [
        ("request", "2027-03-15 08:00"),
        ("reminder", "2027-03-22 08:00"),  # 5 working days before: 30, 25, 24, 23, 22
        ("reminder", "2027-03-30 08:00"),
        ("overdue", "2027-04-01 08:00"),
        ("escalation", "2027-04-02 08:00"),  # 2 working days after due
        ("escalation", "2027-04-09 08:00"),  # then weekly
        ("escalation", "2027-04-16 08:00"),
    ]
    utc = [e.time.astimezone(dt.UTC).hour for e in rig.timeline.of_round(spec.workflow_id)]
    assert utc[:3] == [7, 7, 6]
    keys = sorted(k for k in rig.timeline.mails if k.startswith(spec.workflow_id))
    assert len(keys) == 7 and all(k.endswith("/0") for k in keys)
    escalations = [m for m in rig.timeline.mails.values() if m.template == "escalation"]
    assert {p.email for p in escalations[0].to} == {"eva@example.org"}
    assert escalations[0].late_units == ["Bildning"]


async def test_submission_between_timers_cancels_pending_reminders(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 15, 7, 0))
    spec = make_spec(opens=D(2027, 3, 15), due=D(2027, 3, 31), offset=offset)
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 23, 14, 30), offset)
    result = await handle.execute_update(
        UPDATE_SUBMIT,
        SubmitInput(submission_id=1, version=1, sha256="ab", actor="chef@example.org"),
        result_type=UpdateResult,
    )
    assert result.message == "Rapporten är inlämnad. Tack!"
    await rig.advance_to(T(2027, 5, 1, 12, 0), offset)
    assert local_times(rig, spec.workflow_id) == [
        ("request", "2027-03-15 08:00"),
        ("reminder", "2027-03-22 08:00"),
        ("submitted", "2027-03-23 14:30"),
        ("accepted", "2027-03-23 14:30"),
    ]
    status = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    assert status.state == "accepted" and status.submission_id == 1
    assert status.history[2].actor == "chef@example.org"
