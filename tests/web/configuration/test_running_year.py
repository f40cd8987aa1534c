"""A moved meeting reaches the running year: the preview names the round waiting for the
meeting before anything is saved, and after the confirm the round sits on the new day."""

from __future__ import annotations

from pathlib import Path

from arshjul.store import configuration as store
from arshjul.swedish import date_sv
from tests.conftest import MailSink
from tests.web.configuration.conftest import (
    hidden_form,
    load_example,
    next_free_day,
    owner_of,
    pick,
    start_year,
    submit,
    text_of,
)
from tests.web.conftest import csrf_of, open_rig, today


async def test_a_moved_meeting_moves_the_round_waiting_for_it(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    opened = pick(load_example("hedemora"), today())
    async with open_rig(tmp_path, smtp_sink, config=opened.config) as rig:
        await start_year(rig, opened)
        placed = await submit(rig, opened)
        assert placed.meeting is not None
        old = placed.meeting
        new = next_free_day(opened.config, opened.committee_id, old)
        http = await rig.login(owner_of(opened.config))
        page = await http.get(f"/installningar/organ/{opened.committee_id}?ar={old.year}")
        assert page.status_code == 200
        preview = await http.post(
            f"/installningar/organ/{opened.committee_id}/sammantraden/{old}/flytta",
            data={"csrf": csrf_of(page.text), "new_date": new.isoformat()},
        )
        assert preview.status_code == 200, text_of(preview.text)
        shown = text_of(preview.text)
        # The preview names the round by unit, report and period, with its meeting's move.
        spec = opened.spec
        running = preview.text.split(f'id="running-{spec.period_end.year}"', 1)
        assert len(running) == 2, shown
        line = running[1].split("</ul>", 1)[0]
        assert spec.unit_name in line and spec.report_title in line, line
        assert date_sv(new).split(" ")[0] in line, line
        # Nothing is applied before the confirm.
        status = await rig.status(spec.workflow_id)
        assert status.meeting == old
        with rig.sessions() as session:
            assert store.current_version(session) is None

        form = hidden_form(preview.text) | {"reason": "KSAU flyttade sitt sammanträde"}
        done = await http.post("/installningar/spara", data=form)
        assert done.status_code == 200, text_of(done.text)
        assert "1 pågående uppdaterade" in text_of(done.text)
        moved = await rig.wait_for_state(spec.workflow_id, lambda s: s.meeting == new)
        assert moved.meeting == new
        case = await http.get(
            f"/{opened.committee_id}/arenden/{spec.org_id}/{spec.report_id}/{spec.period}/{spec.unit_id}"
        )
        assert case.status_code == 200
        assert date_sv(new) in text_of(case.text)
        with rig.sessions() as session:
            line_ = store.history(session)[0]
            assert (line_.version, line_.reason) == (1, "KSAU flyttade sitt sammanträde")
            assert line_.actor == owner_of(opened.config)
