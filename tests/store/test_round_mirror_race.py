"""Two record_event activities of one round at once: the newer event must win in the rounds row."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from arshjul.models.rounds import RoundState
from arshjul.store.repositories import RoundRepository
from tests.store.conftest import event, round_spec


def test_an_older_event_read_first_does_not_overwrite_a_newer_one(
    sessions: sessionmaker[Session],
) -> None:
    spec = round_spec()
    with sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
    # "submitted" (seq 2) reads the row, then "on_agenda" (seq 3) commits, then seq 2 writes.
    older = sessions()
    stale_row = RoundRepository(older).get(workflow_id=spec.workflow_id)
    assert stale_row is not None
    assert stale_row.last_seq == 1
    with sessions.begin() as newer:
        RoundRepository(newer).upsert_from_event(event(spec, 3, "on_agenda", RoundState.ON_AGENDA))
    RoundRepository(older).upsert_from_event(event(spec, 2, "submitted", RoundState.SUBMITTED))
    older.commit()
    older.close()
    with sessions() as session:
        row = RoundRepository(session).get(workflow_id=spec.workflow_id)
        assert row is not None
        assert (row.state, row.last_seq) == (str(RoundState.ON_AGENDA), 3)
