"""`arshjul compile`: the units' submissions of a report period compiled into one document."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from arshjul.commands.common import ConfigOption, DatabaseUrlOption, console, fail, running_config


class OutFormat(StrEnum):
    """The formats `arshjul compile` writes."""

    html = "html"
    docx = "docx"


def _today(timezone: str) -> dt.date:
    from arshjul.store.db import local_date, utc_now

    return local_date(utc_now(), timezone)


def compile_command(
    report: Annotated[str, typer.Option("--report", help="Report id, e.g. delarsrapport.")],
    period: Annotated[str, typer.Option("--period", help="Period as YYYY-MM, e.g. 2026-08.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    format: Annotated[
        OutFormat | None,
        typer.Option("--format", help="html or docx (default: from the file name, else html)."),
    ] = None,
    config: ConfigOption = None,
    database_url: DatabaseUrlOption = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Judge lateness as of this day."),
    ] = None,
) -> None:
    """Compiles a report period (economy, målkort, activities, texts, charts) into HTML or DOCX."""
    from arshjul.calendar.loader import ConfigError
    from arshjul.compile.gather import CompileError
    from arshjul.compile.model import UnitStatus
    from arshjul.compile.service import compile_report
    from arshjul.settings import get_settings
    from arshjul.store.db import current_revision, make_engine, make_session_maker

    settings = get_settings()
    fmt = format or (OutFormat.docx if output.suffix.lower() == ".docx" else OutFormat.html)
    if not output.parent.is_dir():
        fail(f"output folder does not exist: {output.parent}")
    try:
        cfg = running_config(config, database_url)
    except ConfigError as exc:
        fail(f"invalid configuration:\n{exc}", code=2)
    url = database_url or settings.database_url
    try:
        revision = current_revision(url)
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear line
        fail(f"cannot open the database: {exc}")
    if revision is None:
        fail("the database is empty: run `arshjul db upgrade` first")
    today = as_of.date() if as_of else _today(cfg.organisation.timezone)
    engine = make_engine(url)
    try:
        with make_session_maker(engine)() as session:
            rendered = compile_report(session, cfg, report, period, fmt.value, today=today)
    except CompileError as exc:
        fail(str(exc), code=2)
    finally:
        engine.dispose()
    output.write_bytes(rendered.content)
    doc = rendered.document
    size = len(rendered.content) // 1024
    console.print(f"wrote {doc.title} ({fmt.value}, {size} kB) to {output}", highlight=False)
    missing = [s.unit_name for s in doc.status if s.status != UnitStatus.APPROVED]
    if missing:
        console.print(f"draft: not approved yet: {', '.join(missing)}", highlight=False)


def register(app: typer.Typer) -> None:
    """Adds `arshjul compile` to the command."""
    app.command("compile")(compile_command)
