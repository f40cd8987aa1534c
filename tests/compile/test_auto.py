"""The Sammanställning compiles by itself when the last report is in, again for a new version."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.auto import compile_when_complete
from arshjul.forms.content import ReportContent
from arshjul.models.rounds import RoundState
from arshjul.store.repositories import CompilationRepository
from tests.compile.seed import TODAY, Seeder
from tests.store.conftest import migrated

PERIOD = "2026-10"
REPORT = "aktivitetsplaner"  # every unit submits; activities only


def plan(title: str) -> ReportContent:
    """An activity plan with one activity."""
    return ReportContent.model_validate(
        {"activities": [{"title": title, "status": "Ej påbörjad", "end": "2027-06-30"}]}
    )


@pytest.fixture
def store(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated, empty store."""
    with migrated(database_url) as maker:
        yield maker


def test_compiles_once_every_unit_is_in_and_again_after_a_resubmission(
    store: sessionmaker[Session], example_config: ArshjulConfig
) -> None:
    config = example_config

    def check() -> tuple[bool, bool, int | None]:
        with store.begin() as session:
            r = compile_when_complete(session, config, REPORT, PERIOD, today=TODAY)
            return r.complete, r.compiled, r.compilation_id

    units = config.units
    due = TODAY
    with store.begin() as session:
        s = Seeder(session, config)
        specs = {u.id: s.spec(REPORT, PERIOD, u.id, due) for u in units}
        for u in units:
            s.event(specs[u.id], 0, "request", RoundState.OPEN)
        for u in units[:-1]:
            sid = s.submit(specs[u.id], plan(f"Plan {u.id}"))
            s.event(specs[u.id], 1, "submitted", RoundState.ON_AGENDA, sid)
    assert check() == (False, False, None)  # the last unit is not in yet

    last = units[-1].id
    with store.begin() as session:
        s = Seeder(session, config)
        # The workflow holds the version before the web has marked it delivered.
        sub = s.submissions.add_version(
            workflow_id=specs[last].workflow_id, content=plan("Sista planen"), submitted_by="x@y.se"
        )
        s.event(specs[last], 1, "submitted", RoundState.ON_AGENDA, sub.id)
    complete, compiled, first = check()
    assert (complete, compiled) == (True, True)
    assert check() == (True, False, first)  # the same versions: nothing new

    with store.begin() as session:
        s = Seeder(session, config)
        s.event(specs[last], 2, "remitted", RoundState.REMITTED, sub.id)
    assert check()[:2] == (False, False)
    with store.begin() as session:
        s = Seeder(session, config)
        sid = s.submit(specs[last], plan("Kompletterad plan"))
        s.event(specs[last], 3, "submitted", RoundState.ON_AGENDA, sid)
    complete, compiled, second = check()
    assert (complete, compiled) == (True, True) and second != first
    with store() as session:
        rows = CompilationRepository(session).list(report_id=REPORT, period=PERIOD)
        assert [r.id for r in rows] == [second, first]
        assert b"Kompletterad plan" in rows[0].content and b"Sista planen" in rows[1].content
        assert all(r.created_by == "system" for r in rows)
