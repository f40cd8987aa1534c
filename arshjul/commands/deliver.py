"""`arshjul deliver-pending`: one redelivery pass for operators and cron."""

from __future__ import annotations

import asyncio

import typer

from arshjul.commands.common import console, fail


def deliver_pending(
    timeout: float = typer.Option(
        10.0, "--timeout", min=0.1, help="Seconds to wait for Temporal on each send."
    ),
) -> None:
    """Send submissions that are stored but not yet taken by their rounds; print the counts."""
    from sqlalchemy.exc import SQLAlchemyError

    from arshjul.logging import route_temporal_core_logs
    from arshjul.settings import get_settings
    from arshjul.web.core.deps import Limits, WebState
    from arshjul.web.submission.redelivery import redeliver_pending

    route_temporal_core_logs()
    state = WebState(settings=get_settings(), limits=Limits(temporal_timeout_seconds=timeout))
    try:
        counts = asyncio.run(redeliver_pending(state))
    except SQLAlchemyError as exc:
        fail(f"cannot read the database: {exc}")
    # Exit 0 even when Temporal is away: the versions stay pending and the next run retries.
    console.print(counts.summary(), highlight=False)


def register(app: typer.Typer) -> None:
    """Adds `arshjul deliver-pending` to the command line."""
    app.command(name="deliver-pending")(deliver_pending)
