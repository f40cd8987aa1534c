"""Engines, sessions, the migration runner and the one clock of the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def utc_now() -> dt.datetime:
    """Returns the current time in UTC (the only place the store reads the clock)."""
    return dt.datetime.now(dt.UTC)


def local_date(instant: dt.datetime, timezone: str) -> dt.date:
    """Returns the calendar day an aware instant falls on in a time zone ("Europe/Stockholm"):
    late, due and today are judged by the organisation's day, not UTC's."""
    return instant.astimezone(ZoneInfo(timezone)).date()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web read while a worker writes; foreign keys are off by default in SQLite;
    # the busy timeout makes a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, *, pool_size: int | None = None, **kwargs: Any) -> Engine:
    """Creates an engine: SQLite with WAL, foreign keys and a busy timeout, or PostgreSQL.

    With `pool_size`, the pool holds exactly that many connections (no overflow): the web runs
    as many database threads, so none waits for a connection unless something leaks one.
    """
    parsed = make_url(url)
    if pool_size is not None and parsed.database not in (None, "", ":memory:"):
        kwargs = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": 30, **kwargs}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        # psycopg (3) is the driver we ship; a bare postgresql:// URL means it.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_maker(engine: Engine) -> sessionmaker[Session]:
    """Returns the session factory; callers commit at the edge (end of request or activity)."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Applies the Alembic migrations up to `revision` (head by default)."""
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)
    finally:
        engine.dispose()


def head_revision() -> str:
    """Returns the newest migration's revision (what `upgrade` brings a database to)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(url: str) -> str | None:
    """Returns the database's migration revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
