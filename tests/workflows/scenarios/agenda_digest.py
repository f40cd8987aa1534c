"""The golden scenarios of the two workflows beside rounds and the cycle: a committee's agenda year
(CommitteeAgendaWorkflow), the weekly digest and the nightly gallring.
"""

from __future__ import annotations

import datetime as dt

from arshjul.models.agenda import AGENDA_WORKFLOW, SIGNAL_AGENDA_SPEC, AgendaSpec
from tests.workflows.conftest import Rig
from tests.workflows.steps import KSAU, ORG, D, Handles, T, scenario


def agenda_spec(offset: float, meetings: list[dt.date]) -> AgendaSpec:
    """KSAU's agenda year 2027 of the golden organisation: agendas 7 days before, at 08:00."""
    return AgendaSpec(
        org_id=ORG,
        committee_id="ksau",
        committee_name="Kommunstyrelsens arbetsutskott",
        year=2027,
        meetings=meetings,
        agenda_days_before=7,
        clock_offset_s=offset,
    )


@scenario
async def agenda_year(rig: Rig) -> Handles:
    """A meeting whose agenda is already due, one on its timer, one moved by a signal, the end."""
    offset = await rig.offset_to(T(2027, 3, 12, 9, 0))
    first = agenda_spec(offset, [D(2027, 3, 1), *KSAU[:3]])  # 1 March is past: skipped
    handle = await rig.client.start_workflow(
        AGENDA_WORKFLOW, first, id=first.workflow_id, task_queue=rig.task_queue
    )
    await rig.advance_to(T(2027, 3, 31, 9, 0), offset)  # 16 March (late) and 6 April
    moved = agenda_spec(offset, [*KSAU[:2], D(2027, 5, 4)])  # 27 April moves to 4 May
    await handle.signal(SIGNAL_AGENDA_SPEC, moved)
    await handle.result()
    return {"agenda/agenda-year": handle}


@scenario
async def digest_weeks(rig: Rig) -> Handles:
    """The weekly digest: two Mondays' mails, then stopped (it never ends by itself)."""
    offset = await rig.offset_to(T(2027, 3, 3, 7, 0))
    handle = await rig.start_digest(ORG, offset)
    await rig.advance_to(T(2027, 3, 16, 9, 0), offset)
    await handle.terminate("golden history captured")
    return {"digest/two-weeks": handle}


@scenario
async def retention_nights(rig: Rig) -> Handles:
    """The nightly gallring: two nights at 03:00, then stopped (it never ends by itself)."""
    offset = await rig.offset_to(T(2027, 3, 3, 12, 0))
    handle = await rig.start_retention(ORG, offset)
    await rig.advance_to(T(2027, 3, 5, 9, 0), offset)
    await handle.terminate("golden history captured")
    return {"retention/two-nights": handle}
