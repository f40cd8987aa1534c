"""Migrations build the whole schema on an empty database and the records are append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from arshjul.store.db import current_revision, head_revision, make_engine, upgrade
from arshjul.store.models import Base

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_upgrade_creates_every_table_on_an_empty_database(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    upgrade(database_url)  # a second run is harmless
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert current_revision(database_url) == head_revision()


def test_models_and_migrations_agree(database_url: str) -> None:
    """What `alembic check` checks: the migrations build exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET reason = 'ändrat i efterhand'",
        "DELETE FROM audit_log",
        "UPDATE submissions SET content = '{}'",
        "DELETE FROM submissions",
        "DELETE FROM decisions",
        "DELETE FROM sent_mail",
    ],
)
def test_database_refuses_rewriting_history(database_url: str, statement: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_log (time, actor, action, reason) "
                    "VALUES (CURRENT_TIMESTAMP, 'a@example.org', 'cancel', 'skäl')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO submissions (workflow_id, org_id, report_id, period, unit_id, "
                    "version, content, sha256, submitted_by, submitted_at, delivery_status) "
                    "VALUES ('round/o/r/2026-03/u', 'o', 'r', '2026-03', 'u', 1, '{\"a\": 1}', "
                    "'x', 'a@example.org', CURRENT_TIMESTAMP, 'pending')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO decisions (idempotency_key, workflow_id, org_id, committee_id, "
                    "meeting, paragraph, outcome, decided_by, decided_at) VALUES ('k', "
                    "'round/o/r/2026-03/u', 'o', 'ksau', '2026-05-05', 1, 'approved', 'x', "
                    "CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO sent_mail (idempotency_key, template, recipients, subject, "
                    "message_id, smtp_response, sent_at) VALUES ('k', 'request', 'a', 's', 'm', "
                    "'250', CURRENT_TIMESTAMP)"
                )
            )
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
        with engine.connect() as conn:
            for table in ("audit_log", "submissions", "decisions", "sent_mail"):
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1
            reason = conn.execute(text("SELECT reason FROM audit_log")).scalar_one()
            assert reason == "skäl"
            # The delivery status of a submission may move on.
            conn.execute(text("UPDATE submissions SET delivery_status = 'delivered'"))
            conn.commit()
    finally:
        engine.dispose()
