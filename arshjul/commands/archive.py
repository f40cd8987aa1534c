"""`arshjul archive export`: a justerat protocol or a closed case as an archive package (E-ARK
SIP in the FGS Paketstruktur's shape: METS, PREMIS, representations); `arshjul archive request`:
a case's handlingar as one ZIP with a förteckning, for a public-records request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from arshjul.commands.common import (
    ConfigOption,
    DatabaseUrlOption,
    cli_actor,
    console,
    fail,
    migrated_session,
    running_config_in,
)

archive_app = typer.Typer(
    help="Archive packages for the e-arkiv, and a case's handlingar for a public-records request.",
    no_args_is_help=True,
)


@archive_app.command("export")
def export_command(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder the package is written into.")
    ],
    committee: Annotated[
        str | None, typer.Option("--committee", help="Committee id of the meeting, e.g. ksau.")
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", help="Meeting date, YYYY-MM-DD.")
    ] = None,
    round_id: Annotated[
        str | None,
        typer.Option("--round", help="Workflow id of a closed case, round/ORG/REPORT/PERIOD/UNIT."),
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every protocol with its anslag and every closed case that OUTPUT lacks.",
        ),
    ] = False,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Write the archive package of a justerat protocol (--committee and --meeting), of a
    closed case (--round), or of all of them not yet in OUTPUT (--all, e.g. nightly), each as
    OUTPUT/<package id>/ with METS.xml at its root.

    Names (organisation, committees, people) come from --config, else from the configuration
    the store runs, else from ARSHJUL_CONFIG."""
    from arshjul.archive.export import ArchiveError, export_meeting, export_round
    from arshjul.archive.package import PackageExistsError

    given = [committee is not None or meeting is not None, round_id is not None, every]
    if sum(given) > 1:
        fail("give either --committee and --meeting, or --round, or --all, not more than one")
    if every:
        _export_all(output, config, database_url)
        return
    if round_id is None and (committee is None or meeting is None):
        fail("give --committee and --meeting (a justerat protocol) or --round (a closed case)")
    meeting_date: dt.date | None = None
    if meeting is not None:
        try:
            meeting_date = dt.date.fromisoformat(meeting)
        except ValueError:
            fail(f"--meeting must be a date like 2026-10-06, not {meeting!r}")
    try:
        with migrated_session(database_url) as session:
            cfg = running_config_in(session, config)
            if round_id is not None:
                folder = export_round(session, cfg, round_id, output)
            else:
                assert committee is not None and meeting_date is not None
                folder = export_meeting(session, cfg, committee, meeting_date, output)
    except ArchiveError as exc:
        fail(str(exc))
    except PackageExistsError as exc:
        fail(f"{exc}; an export never overwrites a package")
    except OSError as exc:
        fail(f"cannot write the package into {output}: {exc}")
    console.print(f"wrote the archive package {folder}", highlight=False, soft_wrap=True)


def _export_all(output: Path, config: Path | None, database_url: str | None) -> None:
    from arshjul.archive.export import export_all

    try:
        with migrated_session(database_url) as session:
            sweep = export_all(session, running_config_in(session, config), output)
    except OSError as exc:
        fail(f"cannot write the packages into {output}: {exc}")
    for folder in sweep.written:
        console.print(f"wrote the archive package {folder}", highlight=False, soft_wrap=True)
    console.print(
        f"{len(sweep.written)} written, {sweep.present} already in {output}",
        highlight=False,
        soft_wrap=True,
    )
    if sweep.refused:
        fail("not exported:\n" + "\n".join(sweep.refused))


@archive_app.command("request")
def request_command(
    round_id: Annotated[
        str,
        typer.Option("--round", help="Workflow id of the case, round/ORG/REPORT/PERIOD/UNIT."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The ZIP file to write.")],
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who asks, as the audit log names them (default: your user)."),
    ] = None,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Write every handling of one case (open or closed) as one ZIP for a public-records
    request: each submitted version as JSON and PDF/A, attachments, the case and its audit log
    as XML, the justerade protocols deciding it, and a förteckning (CSV and HTML) with each
    file's SHA-256. The export is written to the case's audit log; nothing else changes."""
    from arshjul.archive.export import ArchiveError
    from arshjul.archive.request import log_export, records_request
    from arshjul.protocol.gather import person_name

    if output.exists():
        fail(f"{output} already exists; an export never overwrites a file")
    actor = by or cli_actor()
    try:
        with migrated_session(database_url) as session:
            cfg = running_config_in(session, config)
            made = records_request(session, cfg, round_id, by_name=person_name(cfg, actor))
            # Written before the log entry commits: a file that could not be written is no export.
            with output.open("xb") as out:
                out.write(made.data)
            log_export(session, made, by=actor)
    except ArchiveError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc}")
    console.print(
        f"wrote {output}: {len(made.listed)} files and the list of contents "
        f"(forteckning.csv, forteckning.html)",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Adds the `arshjul archive` group."""
    app.add_typer(archive_app, name="archive")
