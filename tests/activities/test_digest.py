"""The weekly digest mail: late rounds per report to the configured roles, once per day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from arshjul.activities.digest import DigestActivities
from arshjul.activities.rounds import RoundActivities
from arshjul.calendar.loader import load_config
from arshjul.models.digest import DigestRequest
from arshjul.models.rounds import RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.repositories import MailRepository, RoundRepository, sync_config
from tests.conftest import MailSink
from tests.store.conftest import event, round_spec

Sessions = sessionmaker[Session]


def _round(sessions: Sessions, unit: str, name: str, due: dt.date, **extra: object) -> None:
    spec = round_spec(unit_id=unit).model_copy(update={"unit_name": name, "due": due, **extra})
    with sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))


async def test_late_units_per_report_go_to_the_roles_once(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    with sessions.begin() as session:
        sync_config(session, load_config(BUNDLED_CONFIG))
    digest = DigestActivities(acts.session_maker, acts.sender, acts.settings)
    _round(sessions, "sof", "Socialförvaltningen", dt.date(2026, 4, 13))
    _round(sessions, "bun", "Barn- och utbildningsförvaltningen", dt.date(2026, 4, 13))
    _round(
        sessions,
        "kfo",
        "Kultur- och fritidsförvaltningen",
        dt.date(2026, 4, 17),
        report_id="atgardsplan",
        report_title="Åtgärdsplan",
    )
    _round(sessions, "sbf", "Samhällsbyggnadsförvaltningen", dt.date(2026, 4, 30))  # not yet due
    env = ActivityEnvironment()
    quiet = await env.run(
        digest.send_digest, DigestRequest(org_id="hedemora", day=dt.date(2026, 4, 6))
    )
    assert (quiet.late_rounds, quiet.recipients, smtp_sink.messages) == (0, 0, [])

    monday = DigestRequest(org_id="hedemora", day=dt.date(2026, 4, 20))
    sent = await env.run(digest.send_digest, monday)
    again = await env.run(digest.send_digest, monday)
    assert (sent.late_rounds, sent.recipients, again.recipients) == (3, 2, 0)
    [mail] = smtp_sink.messages
    assert sorted(a.addr_spec for a in mail["To"].addresses) == [
        "eva.ekstrom@example.org",
        "lars.malm@example.org",
    ]
    assert str(mail["Subject"]) == "Veckosammanställning från årshjulet: 3 försenade rapporter"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    month = text.index("Månadsrapport mars 2026 (sista dag 13 april 2026):")
    plan = text.index("Åtgärdsplan mars 2026 (sista dag 17 april 2026):")
    assert (
        month
        < text.index("- Barn- och utbildningsförvaltningen")
        < text.index("- Socialförvaltningen")
        < plan
    )
    assert "Samhällsbyggnadsförvaltningen" not in text
    assert "/?status=f%C3%B6rsenad" in text and "Frågor? Kontakta Eva Ekström" in text
    with sessions() as session:
        assert MailRepository(session).get(idempotency_key="digest/hedemora/2026-04-20")


async def test_from_september_the_digest_names_next_years_missing_meeting_plans(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    config = load_config(BUNDLED_CONFIG)
    last = max(m.date.year for c in config.committees for m in c.meetings)
    with sessions.begin() as session:
        sync_config(session, config)
    digest = DigestActivities(acts.session_maker, acts.sender, acts.settings, config)
    env = ActivityEnvironment()
    august = await env.run(
        digest.send_digest, DigestRequest(org_id="hedemora", day=dt.date(last, 8, 30))
    )
    assert (august.recipients, smtp_sink.messages) == (0, [])  # nothing late, not yet autumn
    planned = await env.run(
        digest.send_digest, DigestRequest(org_id="hedemora", day=dt.date(last - 1, 9, 6))
    )
    assert (planned.recipients, smtp_sink.messages) == (0, [])  # next year is planned
    september = await env.run(
        digest.send_digest, DigestRequest(org_id="hedemora", day=dt.date(last, 9, 6))
    )
    assert september.recipients == 2
    [mail] = smtp_sink.messages
    assert str(mail["Subject"]) == (
        f"Veckosammanställning från årshjulet: 0 försenade rapporter,"
        f" sammanträdesplan {last + 1} saknas"
    )
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"Sammanträdesplanen för {last + 1} saknas för:" in text
    for committee in config.committees:
        if committee.meetings:
            assert f"- {committee.name}" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f"Sammanträdesplanen för {last + 1} saknas för:" in html
