"""The periods of the demonstration rounds `up` opened: only demo rounds of the organisation."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.demo import DEMO_REPORT_ID
from arshjul.models.rounds import RoundState
from arshjul.store.rounds import RoundRepository, demo_periods
from tests.store.conftest import event, round_spec


def test_demo_periods_lists_the_demo_rounds_newest_first(sessions: sessionmaker[Session]) -> None:
    demos = [round_spec(period=p, report_id=DEMO_REPORT_ID) for p in ("2026-10", "2026-11")]
    specs = [
        *(s.model_copy(update={"demo": True}) for s in demos),
        *(s.model_copy(update={"demo": True, "unit_id": "sbf"}) for s in demos[1:]),
        round_spec(period="2026-09"),  # a real round
        round_spec(period="2026-08", report_id=DEMO_REPORT_ID),  # its id, but not marked a demo
    ]
    with sessions.begin() as session:
        rounds = RoundRepository(session)
        for spec in specs:
            rounds.upsert_from_event(event(spec, 0, "request", RoundState.OPEN))
    with sessions() as session:
        assert demo_periods(session, "hedemora") == ["2026-11", "2026-10"]
        assert demo_periods(session, "another") == []
