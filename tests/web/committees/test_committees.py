"""Committees come from the configuration: one router serves each, the menu lists the ones a
person sits on, the overview names where a report is and a target meeting it missed."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from arshjul.calendar.loader import load_config, load_config_text
from arshjul.models.effects import RoundEventRecord
from arshjul.store.repositories import RoundRepository
from tests.calendar.conftest import SMALL, dump
from tests.commands.test_calendar_cli import EXAMPLES
from tests.conftest import MailSink
from tests.web.conftest import open_rig
from tests.web.journeys.test_examples_browser import spec_of

SECRETARY = "jenny.ask@example.org"  # Socialnämnden's
EKONOMICHEF = "annelie.sund@example.org"


def nav(html: str) -> str:
    """The main menu of a page."""
    return html.split('aria-label="Huvudmeny"')[1].split("</nav>")[0]


async def test_one_router_serves_every_committee_of_the_configuration(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    config = load_config(EXAMPLES / "namndkommun.yaml")
    async with open_rig(tmp_path, smtp_sink, config=config) as web:
        namnd = await web.login(SECRETARY)
        agenda = await namnd.get("/socialnamnd")
        assert agenda.status_code == 200
        assert "Socialnämnden – föredragningslista" in agenda.text
        assert ">Socialnämnden</a>" in nav(agenda.text) and "/ksau" not in nav(agenda.text)
        # Another nämnd's pages are not hers; KSAU's, which prepares her nämnd's cases for KS,
        # she may follow (not in her menu).
        assert (await namnd.get("/bildningsnamnd")).status_code == 403
        assert (await namnd.get("/ksau")).status_code == 200
        assert (await namnd.get("/ingen-namnd")).status_code == 404
        owner = await web.login(EKONOMICHEF)
        page = await owner.get("/")
        assert all(f'href="/{c.id}"' in nav(page.text) for c in config.committees)
        # Fixed paths are not taken for committee ids (the committee router comes last).
        assert (await owner.get("/sammanstallning")).status_code == 200
        assert (await owner.get("/calendar/all.ics")).status_code == 200

        # A report that missed KS's target meeting: the overview says where it is and that.
        _, spec = spec_of("namndkommun", "delarsrapport", "socialforvaltningen")
        spec = spec.model_copy(update={"opens": dt.date(2026, 9, 1), "due": dt.date(2026, 9, 16)})
        record = RoundEventRecord(
            workflow_id=spec.workflow_id,
            seq=9,
            event="on_agenda",
            time=dt.datetime(2026, 10, 20, 11, 0, tzinfo=dt.UTC),
            actor="system",
            state="on_agenda",
            due=spec.due,
            meeting=dt.date(2026, 10, 27),
            committee_id="ks",
            spec=spec,
            target_meeting=dt.date(2026, 10, 13),
            missed_target=True,
        )
        with web.sessions.begin() as session:
            RoundRepository(session).upsert_from_event(record)
        page = await owner.get("/?year=2026")
        row = page.text.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>")[0]
        assert "På dagordningen (KS 27 oktober 2026)" in row
        assert "Hann inte till KS 13 oktober 2026" in row
        for client in (namnd, owner):
            await client.aclose()


async def test_a_year_without_its_meeting_plan_says_so_on_the_overview(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    data = copy.deepcopy(SMALL)
    data["reports"][0]["due"] = {"meeting": "ksau", "months_after_period": 1}
    config = load_config_text(dump(data))
    async with open_rig(tmp_path, smtp_sink, config=config) as web:
        owner = await web.login("eva@example.org")
        page = await owner.get("/?year=2027")
        assert page.status_code == 200
        assert "KSAU har inget sammanträde i mars 2027 i konfigurationen." in page.text
        await owner.aclose()


async def test_the_roles_that_follow_every_committee_are_configured(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    bundled = load_config(EXAMPLES / "namndkommun.yaml")
    director = next(r for r in bundled.roles if r.id == "kommundirektor")
    assert director.follows_every_committee  # as the bundled example says
    # A kommun where the kommundirektör follows only what she sits on, and a kanslichef who
    # follows every committee.
    kanslichef = director.model_copy(
        update={
            "id": "kanslichef",
            "title": "Kanslichef",
            "people": [director.people[0].model_copy(update={"email": "k.chef@example.org"})],
        }
    )
    roles = [
        r.model_copy(update={"follows_every_committee": False}) if r.id == director.id else r
        for r in bundled.roles
    ]
    config = bundled.model_copy(update={"roles": [*roles, kanslichef]})
    async with open_rig(tmp_path, smtp_sink, config=config) as web:
        follows = await web.login("k.chef@example.org")
        page = await follows.get("/bildningsnamnd")
        assert page.status_code == 200
        assert all(f">{c.label}</a>" in nav(page.text) for c in config.committees)
        does_not = await web.login(director.people[0].email)
        assert (await does_not.get("/bildningsnamnd")).status_code == 403
        owner = await web.login(EKONOMICHEF)
        assert (await owner.get("/bildningsnamnd")).status_code == 200
