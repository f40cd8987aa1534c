"""`arshjul db upgrade` and `arshjul db sync`.

`upgrade` brings the schema to the newest migration; `sync` loads the people from the config.
"""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from arshjul.commands.common import console, fail, load_config_or_fail, migrated_session
from arshjul.settings import get_settings


def upgrade_command(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database URL (default: DATABASE_URL)."
    ),
) -> None:
    """Apply every pending migration (safe to run again)."""
    from arshjul.store.db import current_revision, upgrade

    url = database_url or get_settings().database_url
    try:
        before = current_revision(url)
        upgrade(url)
        after = current_revision(url)
    except (SQLAlchemyError, OSError) as exc:
        fail(f"cannot upgrade the database: {exc}")
    if before == after:
        console.print(f"database already at revision {after}")
    else:
        console.print(f"database upgraded from {before or 'empty'} to {after}")


def sync_command(
    config: Path | None = typer.Option(
        None, "--config", help="Default: the store's configuration, else ARSHJUL_CONFIG."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database URL (default: DATABASE_URL)."
    ),
) -> None:
    """Copy organisation, units, people and roles from the configuration into the database."""
    from arshjul.store.people import sync_config

    loaded = load_config_or_fail(config, database_url)
    with migrated_session(database_url) as session:
        sync_config(session, loaded)
    console.print(
        f"synced {loaded.organisation.name}: {len(loaded.units)} units, "
        f"{len(loaded.roles)} roles, {len(loaded.committees)} committees"
    )


def register(app: typer.Typer) -> None:
    """Adds `arshjul db` and its subcommands."""
    db = typer.Typer(help="Database schema and records.", no_args_is_help=True)
    db.command("upgrade")(upgrade_command)
    db.command("sync")(sync_command)
    app.add_typer(db, name="db")
