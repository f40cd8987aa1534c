"""Alembic environment: run programmatically by arshjul.store.db.upgrade (no alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from arshjul.store.db import make_engine
from arshjul.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Runs the migrations on the given connection, or on sqlalchemy.url when called by the CLI."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


run()
