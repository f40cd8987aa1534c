"""A due date moved by a changed configuration reaches the unit: a mail with its new date and
the same calendar event moved, and the chase aims at the new date."""

from __future__ import annotations

from arshjul.models.rounds import QUERY_STATUS, RoundStatus
from arshjul.workflows.round import CONFIGURED_DUE_REASON
from tests.workflows.conftest import Rig
from tests.workflows.scenarios import round_configured_due_mailed
from tests.workflows.steps import D


async def test_a_configured_move_mails_the_unit_its_new_date(rig: Rig) -> None:
    handles = await round_configured_due_mailed(rig)
    handle = handles["round/configured-due-mailed"]
    st = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    moved = rig.timeline.mails[f"{handle.id}/extended/1"]
    assert (moved.template, moved.due, moved.with_link, moved.reason) == (
        "extended",
        D(2027, 3, 19),
        True,
        CONFIGURED_DUE_REASON,
    )
    assert [p.email for p in moved.to] == [r.email for r in st.spec.recipients]
    events = [(h.event, h.actor) for h in st.history]
    assert ("extended", "configuration") in events
    # No reminder aimed at the old date (12 March) was sent after the move.
    reminders = [k for k in rig.timeline.mails if k.startswith(f"{handle.id}/reminder")]
    assert all(k.endswith("/1") for k in reminders), reminders
