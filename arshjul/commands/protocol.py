"""`arshjul protocol`: a meeting's protocol as printable HTML or as the PDF/A for the archive."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.exc import SQLAlchemyError

from arshjul.commands.common import ConfigOption, DatabaseUrlOption, console, fail, running_config
from arshjul.settings import get_settings


class ProtocolFormat(StrEnum):
    """The formats `arshjul protocol` writes."""

    html = "html"
    pdf = "pdf"


def protocol_command(
    committee: Annotated[str, typer.Option("--committee", help="Committee id, e.g. ksau.")],
    meeting: Annotated[str, typer.Option("--meeting", help="Meeting date, YYYY-MM-DD.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (HTML: default stdout).")
    ] = None,
    format: Annotated[
        ProtocolFormat | None,
        typer.Option("--format", help="html or pdf (default: from the file name, else html)."),
    ] = None,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Render a meeting's protocol: attendance, §§, decisions and reasons, justering, anslag.

    For a protocol whose anslag is recorded, PDF output is the stored archive copy itself.
    """
    from arshjul.calendar.loader import ConfigError
    from arshjul.protocol.gather import find_committee, load_protocol
    from arshjul.protocol.render import render_protocol_html, render_protocol_pdf
    from arshjul.store.db import current_revision, make_engine, make_session_maker
    from arshjul.store.repositories import MeetingRepository

    try:
        meeting_date = dt.date.fromisoformat(meeting)
    except ValueError:
        fail(f"--meeting must be a date like 2026-10-06, not {meeting!r}", code=2)
    fmt = format or (
        ProtocolFormat.pdf
        if output is not None and output.suffix.lower() == ".pdf"
        else ProtocolFormat.html
    )
    if fmt == ProtocolFormat.pdf and output is None:
        fail("PDF output needs -o FILE.pdf", code=2)
    settings = get_settings()
    try:
        cfg = running_config(config, database_url)
    except ConfigError as exc:
        fail(f"invalid configuration:\n{exc}", code=2)
    known = find_committee(cfg, committee)
    if known is None:
        ids = ", ".join(c.id for c in cfg.committees)
        fail(f"no committee {committee!r} in the configuration (committees: {ids})", code=2)
    url = database_url or settings.database_url
    archived: bytes | None = None
    try:
        if current_revision(url) is None:
            fail("the database has no schema yet; run `arshjul db upgrade` first")
        engine = make_engine(url)
        try:
            with make_session_maker(engine)() as session:
                if known.meeting(meeting_date) is None and not _held(
                    session, cfg.organisation.id, committee, meeting_date
                ):
                    fail(_no_meeting(known, meeting_date), code=2)
                doc = load_protocol(
                    session,
                    cfg,
                    committee_id=committee,
                    meeting=meeting_date,
                    base_url=settings.base_url,
                )
                row = MeetingRepository(session).get(
                    org_id=cfg.organisation.id, committee_id=committee, meeting=meeting_date
                )
                archive = MeetingRepository(session).archive(meeting_id=row.id) if row else None
                archived = archive.content if archive is not None else None
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        fail(f"cannot read the database: {exc}")
    if fmt == ProtocolFormat.html:
        html = render_protocol_html(doc)
        if output is None:
            typer.echo(html, nl=False)
            return
        _write(output, html.encode())
    else:
        assert output is not None
        _write(output, archived if archived is not None else render_protocol_pdf(doc))
        if archived is not None:
            console.print("the archive copy (justerat, anslag recorded)", highlight=False)
    console.print(f"wrote {len(doc.paragraphs)} paragraphs to {output}", highlight=False)
    if not doc.paragraphs:
        console.print(f"note: no decisions recorded for {committee} on {meeting_date}")
    elif not doc.justerat:
        console.print("note: the protocol is not justerat yet (marked UTKAST)")


def _held(session: Any, org_id: str, committee_id: str, meeting: dt.date) -> bool:
    # A meeting outside the configuration (the demo's, a moved one) counts once it has a
    # decision or a protocol row.
    from arshjul.store.repositories import DecisionRepository, MeetingRepository

    row = MeetingRepository(session).get(org_id=org_id, committee_id=committee_id, meeting=meeting)
    decisions = DecisionRepository(session).list_for_meeting(
        committee_id=committee_id, meeting=meeting, org_id=org_id
    )
    return row is not None or bool(decisions)


def _no_meeting(committee: Any, meeting: dt.date) -> str:
    same_year = [d.isoformat() for d in committee.dates if d.year == meeting.year]
    listed = ", ".join(same_year) or "none"
    return (
        f"{committee.id} has no meeting on {meeting.isoformat()} "
        f"(its meetings in {meeting.year}: {listed})"
    )


def _write(output: Path, data: bytes) -> None:
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {output}: {exc}")


def register(app: typer.Typer) -> None:
    """Adds `arshjul protocol`."""
    app.command("protocol")(protocol_command)
