"""A round waiting for a meeting hears of new meetings even while it still mails its owners.

Before patch `awaiting-meeting-keeps-news`, a configuration with new meetings that arrived while
the round sent its "no meeting left" mail was taken as the plan the round waited from: the round
then waited for ever although a meeting was there.
"""

from __future__ import annotations

import datetime as dt

from tests.workflows.conftest import Rig
from tests.workflows.scenarios import round_awaiting_news


async def test_new_meetings_that_arrive_while_the_owners_are_mailed_release_the_round(
    rig: Rig,
) -> None:
    handles = await round_awaiting_news(rig)
    wid = handles["round/awaiting-news"].id
    events = sorted((seq, r) for (w, seq), r in rig.timeline.events.items() if w == wid)
    lines = [(r.event, r.meeting) for _, r in events]
    assert ("awaiting_meeting", None) in lines
    assert lines[lines.index(("awaiting_meeting", None)) + 1] == ("on_agenda", dt.date(2027, 3, 30))
    assert lines[-1][0] in ("approved", "passed_on")
