"""`arshjul protocol`: a meeting's protocol as printable HTML or as the PDF/A for the archive;
`arshjul protocol verify FILE`: the signatures (the kommun's seal) of such a PDF."""

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


protocol_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="Render a meeting's protocol (--committee, --meeting), or verify a PDF's signatures.",
)


@protocol_app.callback()
def protocol_command(
    ctx: typer.Context,
    committee: Annotated[
        str | None, typer.Option("--committee", help="Committee id, e.g. ksau.")
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", help="Meeting date, YYYY-MM-DD.")
    ] = None,
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
    if ctx.invoked_subcommand is not None:
        return
    if committee is None or meeting is None:
        fail("give --committee and --meeting (or: arshjul protocol verify FILE)", code=2)
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
    console.print(f"wrote {len(doc.numbers)} paragraphs to {output}", highlight=False)
    if not doc.numbers:
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


@protocol_app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="The PDF to check, e.g. the archive copy.")],
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust",
            help="A root certificate (PEM or DER) the signer's chain must reach; repeatable.",
        ),
    ] = None,
) -> None:
    """Check every signature of a PDF: who signed, when, intact, and nothing changed since.

    Exits 1 when there is no signature, one is broken, or the file changed after signing (or a
    certificate does not reach a --trust root); 2 when the file is not a PDF.
    """
    from arshjul.protocol.verify import NotAPdfError, TrustRootError, load_trust_roots, verify_pdf

    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}", code=2)
    try:
        roots = load_trust_roots(trust or [])
    except (OSError, TrustRootError) as exc:
        fail(f"--trust: {exc}", code=2)
    try:
        checks = verify_pdf(data, roots)
    except NotAPdfError as exc:
        fail(f"{file} is not a PDF: {exc}", code=2)
    if not checks:
        fail(f"{file} has no signature: nothing shows who justerade it or that it is unchanged")
    for number, check in enumerate(checks, 1):
        _print_check(number, check)
    bad = [c for c in checks if not c.ok]
    if bad:
        fail(f"{len(bad)} of {len(checks)} signatures do not hold: see above")
    console.print(
        f"OK: {len(checks)} signature{'s' if len(checks) > 1 else ''}, intact, nothing changed "
        "since signing",
        highlight=False,
    )


def _print_check(number: int, check: Any) -> None:
    def yes(flag: bool) -> str:
        return "yes" if flag else "NO"

    when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "unknown"
    lines = [
        f"signature {number} ({check.field})",
        f"  signed by: {check.signer}",
        f"  signed at: {when}",
    ]
    if check.reason:
        lines.append(f"  reason: {check.reason}")
    if check.problem:
        lines.append(f"  BROKEN: cannot be checked: {check.problem}")
    else:
        lines += [
            f"  intact (the signed bytes are unchanged): {yes(check.intact)}",
            f"  signature sound: {yes(check.valid)}",
            f"  covers the whole file: {yes(check.covers_whole_file)}",
            "  changed after signing: "
            + (f"YES: {check.changed_after}" if check.changed_after else "no"),
        ]
        if check.trusted is None:
            lines.append("  certificate: not checked against a root (give --trust ROOT.pem)")
        else:
            lines.append(f"  certificate reaches a --trust root: {yes(check.trusted)}")
    console.print("\n".join(lines), highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Adds `arshjul protocol` and `arshjul protocol verify`."""
    app.add_typer(protocol_app, name="protocol")
