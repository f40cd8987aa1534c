"""What every command shares: the console, failing with a clear message and an exit code."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from arshjul.calendar.config import ArshjulConfig
    from arshjul.settings import Settings

console = Console()
err_console = Console(stderr=True)


def cli_actor() -> str:
    """Who ran the command, as the audit log names them: the system user and "(cli)"."""
    try:
        return f"{getpass.getuser()} (cli)"
    except (KeyError, OSError):  # no user name in a container
        return "cli"


def fail(message: str, code: int = 1) -> NoReturn:
    """Prints an English error line to stderr and exits with `code` (never a traceback)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings_or_fail() -> Settings:
    """Returns the process's settings, or fails when SECRET_KEY cannot sign links and sessions."""
    from arshjul.settings import SECRET_HOWTO, get_settings

    settings = get_settings()
    problem = settings.secret_problem()
    if problem:
        fail(f"{problem}: refusing to sign links and sessions with it. {SECRET_HOWTO}", code=2)
    return settings


def running_config(path: Path | None, database_url: str | None = None) -> ArshjulConfig:
    """The configuration a command works with: `--config`'s file if given, else the store's
    newest version (what the running system uses), else ARSHJUL_CONFIG's file.

    Raises ConfigError for a file that cannot be used.
    """
    from arshjul.calendar.loader import load_config
    from arshjul.settings import get_settings
    from arshjul.store.configuration import newest_at

    settings = get_settings()
    if path is None:
        stored = newest_at(database_url or settings.database_url)
        if stored is not None:
            return stored
    return load_config(path or settings.arshjul_config)


def load_config_or_fail(path: Path | None, database_url: str | None = None) -> ArshjulConfig:
    """Loads the configuration (running_config), or fails with its problems."""
    from arshjul.calendar.loader import ConfigError

    try:
        return running_config(path, database_url)
    except (ConfigError, OSError) as exc:
        fail(f"cannot load {path or 'the configuration'}: {exc}")


def running_config_in(session: Session, path: Path | None) -> ArshjulConfig:
    """running_config for a command that has its session open already (fails on a bad file)."""
    if path is None:
        from arshjul.store.configuration import get

        stored = get(session)
        if stored is not None:
            return stored.config
    return load_config_or_fail(path)


@contextmanager
def migrated_session(url: str | None) -> Iterator[Session]:
    """A transaction on the migrated database at `url` (default: DATABASE_URL), committed at the
    end; a missing schema or a database error ends the command with a clear message."""
    from sqlalchemy.exc import SQLAlchemyError

    from arshjul.settings import get_settings
    from arshjul.store.db import current_revision, make_engine, make_session_maker

    url = url or get_settings().database_url
    try:
        if current_revision(url) is None:
            fail("the database has no schema yet; run `arshjul db upgrade` first")
        engine = make_engine(url)
        try:
            with make_session_maker(engine).begin() as session:
                yield session
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        fail(f"cannot write the database: {exc}")


# Options several commands share, declared once.
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Årshjul YAML file (default: ARSHJUL_CONFIG).")
]
DatabaseUrlOption = Annotated[
    str | None, typer.Option("--database-url", help="Database (default: DATABASE_URL).")
]
