"""A year's plan is stored once by hash, read back page by page, and joined to the round mirror."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from arshjul.models.plans import plan_hash, plan_slots
from arshjul.models.rounds import RoundState
from arshjul.store.plans import SqlPlans
from arshjul.store.rounds import RoundRepository
from tests.store.conftest import event, round_spec


def test_plan_pages_and_states(sessions: sessionmaker[Session]) -> None:
    plans = SqlPlans(sessions)
    april = [round_spec(unit_id=u) for u in ("bun", "kfo", "sbf", "sof")]
    may = [round_spec(unit_id="bun", period="2026-04").model_copy(
        update={"opens": dt.date(2026, 5, 4), "due": dt.date(2026, 5, 15)}
    )]  # fmt: skip
    specs = april + may
    name = plans.save("hedemora", 2026, specs)
    assert name == plan_hash(specs) == plans.save("hedemora", 2026, list(reversed(specs)))
    slot = plan_slots(specs)[0]
    first = plans.page(name, slot, None, 3)
    rest = plans.page(name, slot, first[-1].workflow_id, 3)
    assert [s.unit_id for s in first + rest] == ["bun", "kfo", "sbf", "sof"]
    assert plans.specs(name) == sorted(specs, key=lambda s: s.workflow_id)

    with sessions() as session:
        repo = RoundRepository(session)
        repo.upsert_from_event(event(april[0], 1, "request", RoundState.OPEN))
        repo.upsert_from_event(event(april[1], 1, "request", RoundState.OPEN))
        repo.upsert_from_event(event(april[1], 2, "accepted", RoundState.ACCEPTED))
        repo.upsert_from_event(event(round_spec(unit_id="x", report_id="other"), 1, "request",
                                     RoundState.OPEN))  # fmt: skip
        session.commit()
    states = plans.states("hedemora", 2026)
    assert {wid: state for wid, (state, _) in states.items()} == {
        april[0].workflow_id: RoundState.OPEN,
        april[1].workflow_id: RoundState.ACCEPTED,
    }
    assert plans.states("hedemora", 2027) == {}
