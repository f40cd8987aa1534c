"""CommitteeAgendaWorkflow: each meeting's föredragningslista goes out on time, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from arshjul.models.agenda import AgendaStatus
from tests.workflows.conftest import Rig
from tests.workflows.scenarios import agenda_year

STOCKHOLM = ZoneInfo("Europe/Stockholm")


async def test_agendas_go_out_days_before_each_meeting_and_follow_moved_meetings(
    rig: Rig,
) -> None:
    # The scenario puts "now" at 12 March 2027 09:00 the same way (within milliseconds).
    offset = dt.timedelta(seconds=await rig.offset_to(dt.datetime(2027, 3, 12, 9, 0)))
    handles = await agenda_year(rig)
    handle = handles["agenda/agenda-year"]
    status = AgendaStatus.model_validate(await handle.result())
    sent = {
        request.meeting: (when + offset + dt.timedelta(seconds=30))
        .astimezone(STOCKHOLM)
        .replace(tzinfo=None, second=0, microsecond=0)
        for when, request in rig.timeline.agendas.values()
    }
    assert sent == {
        # Its publication time had passed when the year started: it goes out at once.
        dt.date(2027, 3, 16): dt.datetime(2027, 3, 12, 9, 0),
        dt.date(2027, 4, 6): dt.datetime(2027, 3, 30, 8, 0),
        dt.date(2027, 5, 4): dt.datetime(2027, 4, 27, 8, 0),  # moved from 27 April
    }
    assert status.published == sorted(sent)
    keys = sorted(rig.timeline.agendas)
    assert keys[0] == "agenda/golden/ksau/2027-03-16"
