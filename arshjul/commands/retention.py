"""`arshjul retention plan` and `arshjul retention run`: gallring by the configuration's
`retention:` rules (what goes, counted per kind, and when the next records fall due)."""

from __future__ import annotations

from typing import Annotated

import typer

from arshjul.commands.common import (
    ConfigOption,
    DatabaseUrlOption,
    console,
    migrated_session,
    running_config_in,
)

retention_app = typer.Typer(
    help="Gallring: remove what the configuration's retention rules have due.",
    no_args_is_help=True,
)


def _gallra(config: ConfigOption, database_url: str | None, dry_run: bool) -> None:
    from arshjul.calendar.retention import KINDS, plan
    from arshjul.store.db import local_date, utc_now
    from arshjul.store.retention import gallra

    with migrated_session(database_url) as session:
        cfg = running_config_in(session, config)
        tz = cfg.organisation.timezone
        today = local_date(utc_now(), tz)
        outcomes = gallra(session, plan(cfg.retention, today), tz, dry_run=dry_run)
    if not outcomes:
        console.print("no retention configured: nothing is removed", highlight=False)
        return
    verb = "would go" if dry_run else "removed"
    for o in outcomes:
        rule = o.cutoff
        count = o.due if dry_run else o.removed
        upcoming = o.next_due.isoformat() if o.next_due else "none"
        console.print(
            f"{rule.kind} ({KINDS[rule.kind].title}): kept {rule.keep.text()} after "
            f"{rule.after}; {count} {verb} (started before {rule.cutoff.isoformat()}); "
            f"next due: {upcoming}",
            highlight=False,
            soft_wrap=True,
        )
    unnamed = [k for k in KINDS if k not in {o.cutoff.kind for o in outcomes}]
    if unnamed:
        console.print(f"kept for good (no rule): {', '.join(unnamed)}", highlight=False)
    console.print(
        "records of a case are only removed once it is closed and archived", highlight=False
    )


@retention_app.command("plan")
def plan_command(config: ConfigOption = None, database_url: DatabaseUrlOption = None) -> None:
    """List per record kind what gallring would remove today, its cutoff date, and when the next
    records fall due; removes nothing."""
    _gallra(config, database_url, dry_run=True)


@retention_app.command("run")
def run_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what is due; remove nothing.")
    ] = False,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Remove what is due per kind in one transaction and write the counts to the audit log
    (the worker does this every night at 03:00 by itself)."""
    _gallra(config, database_url, dry_run=dry_run)


def register(app: typer.Typer) -> None:
    """Adds the `arshjul retention` group."""
    app.add_typer(retention_app, name="retention")
