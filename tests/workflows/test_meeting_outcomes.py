"""Bordläggning and "utgår" move a case to a later meeting, each with its § in the protocol; a
submission asks for the Sammanställning."""

from __future__ import annotations

import datetime as dt

import pytest
from temporalio.client import WorkflowUpdateFailedError

from arshjul.models.rounds import UPDATE_DECIDE, DecideInput
from arshjul.notifications.render import props_for, render
from tests.workflows.conftest import Rig
from tests.workflows.scenarios import reviewed_round, round_table_withdraw


async def test_a_tabled_case_goes_to_the_next_meeting_and_a_withdrawn_one_to_a_later(
    rig: Rig,
) -> None:
    handles = await round_table_withdraw(rig)
    handle = handles["round/table-withdraw"]
    wid = handle.id
    events = [
        (r.event, r.detail)
        for (w, _), r in sorted(rig.timeline.events.items())
        if w == wid and r.event in ("on_agenda", "tabled", "withdrawn", "approved")
    ]
    assert events == [
        ("on_agenda", "Kommunstyrelsens arbetsutskott 2027-04-06"),
        ("tabled", "Kommunstyrelsens arbetsutskott 2027-04-27"),
        ("withdrawn", "Kommunstyrelsens arbetsutskott 2027-05-11"),
        ("approved", "Kommunstyrelsens arbetsutskott"),
    ]
    decisions = [
        (d.outcome, d.meeting, d.reason)
        for d in rig.timeline.decisions.values()
        if d.workflow_id == wid
    ]
    assert decisions == [
        ("tabled", dt.date(2027, 4, 6), None),
        ("withdrawn", dt.date(2027, 4, 27), "Underlag saknas"),
        ("approved", dt.date(2027, 5, 11), None),
    ]
    asked = [(c.report_id, c.period) for c in rig.timeline.compile_checks]
    assert asked == [("manadsrapport", "2027-02")]
    # The unit heard of both: the bordläggning, and that the case was struck ("utgår").
    told = {k.split("/")[-3]: m for k, m in rig.timeline.mails.items() if k.startswith(wid)}
    tabled, withdrawn = told["tabled"], told["withdrawn"]
    assert (tabled.tabled_meeting, tabled.meeting) == (dt.date(2027, 4, 6), dt.date(2027, 4, 27))
    assert (withdrawn.tabled_meeting, withdrawn.meeting, withdrawn.reason) == (
        dt.date(2027, 4, 27),
        dt.date(2027, 5, 11),
        "Underlag saknas",
    )
    mail = render(props_for(withdrawn, link=None, stamp=dt.datetime(2027, 4, 27, tzinfo=dt.UTC)))
    assert mail.subject.startswith("Struket från dagordningen: ")
    assert "från dagordningen för sammanträdet 27 april 2027: ärendet utgick" in mail.text
    assert "Underlag saknas" in mail.text and "11 maj 2027" in mail.text


async def test_a_case_is_tabled_only_at_its_meeting(rig: Rig) -> None:
    handle, _ = await reviewed_round(rig)  # on the agenda of 6 April; now 10 March
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(UPDATE_DECIDE, DecideInput(outcome="table", actor="s@x.se"))
    assert "avgörs på sammanträdet 6 april 2027" in str(refused.value.cause.details[0])
