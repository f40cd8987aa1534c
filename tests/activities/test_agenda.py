"""publish_agenda: the föredragningslista reaches every member once, with links to each case and
to the Sammanställning the workflow compiled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from arshjul.activities.agenda import AgendaActivities
from arshjul.calendar.loader import load_config
from arshjul.compile.auto import compile_when_complete
from arshjul.models.agenda import PublishAgendaInput
from arshjul.models.rounds import RoundState
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import BUNDLED_CONFIG, Settings
from tests.compile.seed import Seeder
from tests.compile.test_auto import plan
from tests.conftest import MailSink

MEETING = dt.date(2026, 11, 10)
PERIOD = "2026-10"


async def test_the_agenda_lists_cases_and_the_sammanstallning_and_goes_out_once(
    sessions: sessionmaker[Session], settings: Settings, smtp_sink: MailSink
) -> None:
    config = load_config(BUNDLED_CONFIG)
    with sessions.begin() as session:
        s = Seeder(session, config)
        for unit in config.units:
            spec = s.spec("aktivitetsplaner", PERIOD, unit.id, dt.date(2026, 10, 30))
            spec = spec.model_copy(update={"review": None})
            sid = s.submit(spec, plan(f"Plan {unit.id}"))
            s.event(spec, 0, "submitted", RoundState.ON_AGENDA, sid)
            s.rounds.get(workflow_id=spec.workflow_id).committee_id = "ksau"  # type: ignore[union-attr]
            s.rounds.get(workflow_id=spec.workflow_id).meeting = MEETING  # type: ignore[union-attr]
        result = compile_when_complete(
            session, config, "aktivitetsplaner", PERIOD, today=dt.date(2026, 11, 3)
        )
    assert result.compiled
    acts = AgendaActivities(sessions, SmtpSender.from_settings(settings), settings, config)
    request = PublishAgendaInput(
        idempotency_key="agenda/hedemora/ksau/2026-11-10",
        org_id="hedemora",
        committee_id="ksau",
        meeting=MEETING,
    )
    env = ActivityEnvironment()
    first = await env.run(acts.publish_agenda, request)
    again = await env.run(acts.publish_agenda, request)
    assert first.sent and not again.sent
    assert (first.cases, first.compilations) == (10, [result.compilation_id])
    assert len(smtp_sink.messages) == 1
    mail = smtp_sink.messages[0]
    to = str(mail["To"])
    for member in config.committee("ksau").members:
        assert member.email in to
    assert "sofia.lund@example.org" in to  # the secretary
    assert mail["Subject"] == (
        "Föredragningslista: Kommunstyrelsens arbetsutskott (KSAU) 10 november 2026"
    )
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "sammanträdet med Kommunstyrelsens arbetsutskott (KSAU) tisdag 10 november 2026" in text
    assert "Nya aktivitetsplaner oktober 2026 – Barn- och utbildningsförvaltningen" in text
    assert f"{settings.base_url}/ksau/arenden/hedemora/aktivitetsplaner/2026-10/bun" in text
    compiled = f"/ksau/sammantraden/2026-11-10/sammanstallning/{result.compilation_id}"
    assert f"{settings.base_url}{compiled}" in text
