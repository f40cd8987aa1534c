"""`arshjul protocol`: a meeting's decisions as a printable protocol extract (HTML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from arshjul.commands.common import console, fail
from arshjul.settings import get_settings


def protocol_command(
    committee: str = typer.Option(..., "--committee", help="Committee id, e.g. ksau."),
    meeting: str = typer.Option(..., "--meeting", help="Meeting date, YYYY-MM-DD."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write HTML to this file."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: DATABASE_URL."),
) -> None:
    """Render the protocol extract (§, report, unit, decision, reasons, decided by)."""
    from arshjul.activities.protocol import load_protocol
    from arshjul.notifications.protocol import render_protocol
    from arshjul.store.db import current_revision, make_engine, make_session_maker

    try:
        meeting_date = dt.date.fromisoformat(meeting)
    except ValueError:
        fail(f"--meeting must be a date like 2026-10-06, not {meeting!r}")
    url = database_url or get_settings().database_url
    try:
        if current_revision(url) is None:
            fail("the database has no schema yet; run `arshjul db upgrade` first")
        engine = make_engine(url)
        try:
            with make_session_maker(engine)() as session:
                extract = load_protocol(session, committee_id=committee, meeting=meeting_date)
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        fail(f"cannot read the database: {exc}")
    html = render_protocol(extract)
    if output is None:
        typer.echo(html, nl=False)
        return
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc}")
    console.print(f"wrote {len(extract.items)} paragraphs to {output}")
    if not extract.items:
        console.print(f"note: no decisions recorded for {committee} on {meeting_date}")


def register(app: typer.Typer) -> None:
    """Adds `arshjul protocol`."""
    app.command("protocol")(protocol_command)
