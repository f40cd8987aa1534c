"""`arshjul gdpr register`: the registerförteckning (GDPR art. 30) of configuration and store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from arshjul.commands.common import (
    ConfigOption,
    DatabaseUrlOption,
    console,
    fail,
    migrated_session,
    running_config_in,
)
from arshjul.store.db import local_date, utc_now

gdpr_app = typer.Typer(help="Personal data: the register of processing.", no_args_is_help=True)


@gdpr_app.command("register")
def register_command(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Markdown file to write (default: stdout)."),
    ] = None,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Print the personal data the configuration and the store hold: by kind, whose, purpose,
    legal basis, retention, and how many rows of each the store has (Markdown, in Swedish)."""
    from arshjul.archive.register import register_lines, render_markdown

    with migrated_session(database_url) as session:
        cfg = running_config_in(session, config)
        lines = register_lines(session)
    text = render_markdown(cfg, lines, local_date(utc_now(), cfg.organisation.timezone))
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc}")
    console.print(f"wrote the register ({len(lines)} processings) to {output}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Adds the `arshjul gdpr` group."""
    app.add_typer(gdpr_app, name="gdpr")
