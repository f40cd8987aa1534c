"""`arshjul config`: the årshjul configuration in the store, imported from and exported to YAML.

The store holds every saved version (the browser's edits and the imports); the YAML file is how a
configuration comes in and goes out. Export then import gives the same file back.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from arshjul.commands.common import (
    DatabaseUrlOption,
    cli_actor,
    console,
    fail,
    migrated_session,
)

config_app = typer.Typer(help="The årshjul configuration in the store.", no_args_is_help=True)

ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept with the version).")]
VersionOption = Annotated[
    int | None, typer.Option("--version", "-v", help="Version number (default: the newest).")
]


def _upgraded(url: str | None) -> str | None:
    # A new store takes its first import without a separate `db upgrade`.
    from arshjul.settings import get_settings
    from arshjul.store.db import upgrade

    upgrade(url or get_settings().database_url)
    return url


@config_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Årshjul YAML file.")],
    reason: ReasonOption = "Inläst från fil",
    other_organisation: Annotated[
        bool,
        typer.Option("--other-organisation", help="Replace another organisation's årshjul."),
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Check a YAML file and save it as the configuration's next version."""
    from arshjul.calendar.loader import ConfigError
    from arshjul.store.configuration import (
        ConfigConflict,
        ConfigUnchanged,
        OrganisationMismatch,
        import_file,
    )

    if not file.is_file():
        fail(f"{file}: no such file")
    with migrated_session(_upgraded(database_url)) as session:
        try:
            stored = import_file(
                session,
                file,
                actor=cli_actor(),
                reason=reason,
                other_organisation=other_organisation,
            )
        except ConfigError as exc:
            fail(f"invalid configuration, nothing saved:\n{exc}")
        except ConfigUnchanged:
            console.print(f"{file} is the configuration in use already; nothing saved")
            return
        except OrganisationMismatch as exc:
            fail(f"{exc}; nothing saved (pass --other-organisation to replace it)")
        except ConfigConflict as exc:
            fail(f"{exc}; nothing saved, run the import again")
        except UnicodeDecodeError:
            fail(f"{file}: not UTF-8 text; nothing saved")
    console.print(
        f"saved version {stored.version} of {stored.config.organisation.name}"
        f" ({len(stored.config.units)} units, {len(stored.config.committees)} committees,"
        f" {len(stored.config.reports)} reports)",
        highlight=False,
    )


@config_app.command("export")
def export_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    version: VersionOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Write a version of the configuration as YAML (the newest by default)."""
    from arshjul.store.configuration import get

    with migrated_session(database_url) as session:
        stored = get(session, version)
    if stored is None:
        fail(
            "the store holds no configuration yet; run `arshjul config import FILE`"
            if version is None
            else f"no version {version}"
        )
    if output is None:
        typer.echo(stored.text, nl=False)
        return
    output.write_text(stored.text, encoding="utf-8")
    console.print(f"wrote version {stored.version} to {output}", highlight=False)


@config_app.command("versions")
def versions_command(
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 30,
    database_url: DatabaseUrlOption = None,
) -> None:
    """List the saved versions: who saved each, when, why and from where."""
    from arshjul.store.configuration import history

    with migrated_session(database_url) as session:
        lines = history(session, limit)
    if not lines:
        console.print("no configuration saved yet")
        return
    table = Table()
    for column in ("version", "saved (UTC)", "by", "source", "reason"):
        table.add_column(column)
    for line in lines:
        table.add_row(
            str(line.version),
            f"{line.created_at:%Y-%m-%d %H:%M}",
            line.actor,
            line.source,
            line.reason,
        )
    console.print(table)


@config_app.command("diff")
def diff_command(
    old: Annotated[int, typer.Argument(help="Version to compare from.")],
    new: Annotated[
        int | None, typer.Argument(help="Version to compare to (default newest).")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Show what changed between two versions, line by line of their YAML."""
    from arshjul.store.configuration import get

    with migrated_session(database_url) as session:
        before, after = get(session, old), get(session, new)
    if before is None or after is None:
        fail(f"no version {old if before is None else new}")
    lines = difflib.unified_diff(
        before.text.splitlines(keepends=True),
        after.text.splitlines(keepends=True),
        fromfile=f"version {before.version}",
        tofile=f"version {after.version}",
    )
    typer.echo("".join(lines), nl=False)


@config_app.command("restore")
def restore_command(
    version: Annotated[int, typer.Argument(help="Version to make the newest again.")],
    reason: ReasonOption = "Återställd",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Save an earlier version again as the newest (nothing is deleted)."""
    from arshjul.store.configuration import ConfigUnchanged, current_version, restore

    with migrated_session(database_url) as session:
        try:
            stored = restore(
                session,
                version,
                base=current_version(session),
                actor=cli_actor(),
                reason=reason,
            )
        except LookupError:
            fail(f"no version {version}")
        except ConfigUnchanged:
            console.print(f"version {version} is the configuration in use already")
            return
    console.print(f"saved version {version} again as version {stored.version}", highlight=False)


def register(app: typer.Typer) -> None:
    """Adds the `arshjul config` group."""
    app.add_typer(config_app, name="config")
