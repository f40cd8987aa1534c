"""`arshjul import economy FILE --period YYYY-MM`: budget and utfall from the ledger.

Reads a SIE 4 file, or a CSV/XLSX export laid out as `ledger.columns` says, and stores each
unit's figures for the period; the economic section of the unit's form then comes prefilled.
"""

from __future__ import annotations

import getpass
import time
from pathlib import Path

import typer
from rich.table import Table

from arshjul.commands.common import (
    console,
    err_console,
    fail,
    load_config_or_fail,
    migrated_session,
)

REFUSED = 2  # the file (or the period) cannot be used; nothing changed


def economy_command(
    file: Path = typer.Argument(..., help="A SIE 4 file (.se), a CSV or an XLSX export."),
    period: str = typer.Option(..., "--period", help="The period, as YYYY-MM."),
    config: Path | None = typer.Option(
        None, "--config", help="Default: the store's configuration, else ARSHJUL_CONFIG."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database URL (default: DATABASE_URL)."
    ),
    actor: str | None = typer.Option(None, "--as", help="Who imports (default: cli:<user>)."),
) -> None:
    """Import budget and utfall per unit for one period (the same file twice changes nothing)."""
    from arshjul.ledger.errors import LedgerError
    from arshjul.ledger.service import import_file

    loaded = load_config_or_fail(config, database_url)
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}", REFUSED)
    started = time.perf_counter()
    try:
        with migrated_session(database_url) as session:
            outcome = import_file(
                session,
                loaded,
                data=data,
                file_name=file.name,
                period=period,
                actor=actor or f"cli:{getpass.getuser()}",
            )
    except LedgerError as exc:
        fail(f"{exc.english()}\nnothing was imported", REFUSED)
    seconds = time.perf_counter() - started
    record = outcome.record
    for line in outcome.warnings.english().splitlines() if outcome.warnings else ():
        err_console.print(f"[bold yellow]warning:[/] {line}", highlight=False, soft_wrap=True)
    if outcome.already_imported:
        console.print(
            f"{file.name} was already imported for {period} on "
            f"{record.imported_at:%Y-%m-%d %H:%M} UTC by {record.imported_by}; nothing changed"
        )
        return
    table = Table("unit", "codes", "budget (tkr)", "utfall (tkr)")
    for figure in outcome.figures:
        budget = "-" if figure.budget_tkr is None else f"{figure.budget_tkr:,}"
        table.add_row(figure.unit_id, ", ".join(figure.codes), budget, f"{figure.utfall_tkr:,}")
    console.print(table)
    console.print(
        f"imported {len(outcome.figures)} units for {period} from {file.name} "
        f"(import {record.id}, {seconds:.2f} s)"
    )


def register(app: typer.Typer) -> None:
    """Adds `arshjul import` and its subcommands."""
    group = typer.Typer(help="Figures from other systems.", no_args_is_help=True)
    group.command("economy")(economy_command)
    app.add_typer(group, name="import")
