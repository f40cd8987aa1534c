"""`arshjul calendar`: show a year of the årshjul, export it as iCalendar, check legal limits."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from arshjul.calendar.check import Finding, check_config, exit_code
from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import CalendarEntry, expand_year
from arshjul.calendar.ics import to_ics
from arshjul.calendar.loader import ConfigError, load_config, locator
from arshjul.calendar.rules import MissingMeeting
from arshjul.commands.common import console, err_console, fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

calendar_app = typer.Typer(
    help="Show, export and check the årshjul calendar.", no_args_is_help=True
)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Årshjul YAML file (default: ARSHJUL_CONFIG).")
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Only this unit's (or role's) items.")
]


class Format(StrEnum):
    """How `arshjul calendar show` prints the year: a table for people, JSON for tools."""

    table = "table"
    json = "json"


def _this_year() -> int:
    return dt.date.today().year


def config_path(config: Path | None) -> Path:
    """Returns the configuration file to use: `--config`, else ARSHJUL_CONFIG."""
    # Imported late so that `--config` works even when the environment's settings are odd.
    from arshjul.settings import get_settings

    return Path(config if config is not None else get_settings().arshjul_config)


def _load(config: Path | None) -> ArshjulConfig:
    path = config_path(config)
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(f"invalid configuration:\n{exc}", code=2)


def _entries(cfg: ArshjulConfig, year: int, unit: str | None) -> list[CalendarEntry]:
    try:
        return expand_year(cfg, year, unit)
    except MissingMeeting as exc:
        fail(f"{exc}: dates of {year} count from it; add the meeting plan (calendar check)", 2)
    except ValueError as exc:
        fail(str(exc), code=2)


def entries_json(entries: list[CalendarEntry]) -> str:
    """Returns the entries as the JSON list of `calendar show --format json`."""
    return json.dumps([e.model_dump(mode="json") for e in entries], ensure_ascii=False, indent=2)


@calendar_app.command("show")
def show(
    year: Annotated[int, typer.Option("--year", help="Calendar year.", default_factory=_this_year)],
    config: ConfigOption = None,
    unit: UnitOption = None,
    format: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Shows every dated item of a calendar year."""
    cfg = _load(config)
    entries = _entries(cfg, year, unit)
    if format is Format.json:
        typer.echo(entries_json(entries))
        return
    table = Table(title=f"{cfg.organisation.name} – årshjul {year}")
    for column in ("Date", "Kind", "Title", "Unit"):
        table.add_column(column)
    for e in entries:
        table.add_row(e.date.isoformat(), e.kind, e.title, e.unit or "")
    console.print(table)


def _store_sessions() -> sessionmaker[Session] | None:
    # The store of DATABASE_URL when there is one and it is migrated; else the plan alone.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from arshjul.settings import get_settings
    from arshjul.store.db import current_revision, make_engine, make_session_maker

    url = get_settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None
    try:
        if current_revision(url) is None:
            return None
    except SQLAlchemyError as exc:
        err_console.print(f"warning: the plan alone, without the store: {exc}", highlight=False)
        return None
    return make_session_maker(make_engine(url))


@calendar_app.command("ics")
def ics(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the .ics file.")],
    year: Annotated[int, typer.Option("--year", help="Calendar year.", default_factory=_this_year)],
    config: ConfigOption = None,
    unit: UnitOption = None,
) -> None:
    """Writes a year of the årshjul as an iCalendar file for Outlook and Google Calendar: the
    same events as the web's feed (/calendar/all.ics, or the unit's with --unit), with the
    rounds' real deadlines when DATABASE_URL holds a store."""
    from arshjul.settings import get_settings
    from arshjul.store.calendar_feed import feed_entries

    cfg = _load(config)
    _entries(cfg, year, unit)  # a clear message for an unknown unit or a missing meeting
    link = f"{get_settings().base_url.rstrip('/')}/mina-rapporter" if unit else None
    sessions = _store_sessions()
    if sessions is None:
        entries = feed_entries(None, cfg, [year], unit=unit, link=link)
    else:
        with sessions.begin() as session:
            entries = feed_entries(session, cfg, [year], unit=unit, link=link)
    name = f"Årshjul {cfg.organisation.name} {year}" + (f" – {unit}" if unit else "")
    data = to_ics(
        entries,
        org_name=cfg.organisation.name,
        calendar_name=name,
        stamp=dt.datetime.now(dt.UTC),
        timezone=cfg.organisation.timezone,
        alarm_time=cfg.organisation.send_time,
    )
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", code=1)
    console.print(f"wrote {len(entries)} events to {output}", highlight=False)


SEVERITY_WORDS = {"error": "error", "legal": "legal limit", "warning": "warning"}


def print_findings(path: Path, findings: list[Finding], out: Console = console) -> None:
    """Prints findings as `FILE:LINE: severity: path: message` with the Swedish explanation."""
    try:
        line_of = locator(path.read_text(encoding="utf-8"))
    except OSError:
        line_of = lambda _: None  # noqa: E731 - the file went away between load and print
    for f in findings:
        line = line_of(f.path) if "[" in f.path or "." in f.path else None
        where = f"{path}:{line}" if line else str(path)
        colour = {"error": "red", "legal": "yellow", "warning": "cyan"}[f.severity]
        out.print(
            f"{where}: [bold {colour}]{SEVERITY_WORDS[f.severity]}:[/] {f.path}: {f.message}",
            highlight=False,
            soft_wrap=True,
        )
        out.print(f"    {f.explanation_sv}", highlight=False, soft_wrap=True, markup=False)


def summary(findings: list[Finding]) -> str:
    """Returns "2 errors, 1 legal limit broken, 3 warnings" (or "no findings")."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_WORDS}
    parts = []
    if counts["error"]:
        parts.append(f"{counts['error']} error(s)")
    if counts["legal"]:
        parts.append(f"{counts['legal']} legal limit(s) broken")
    if counts["warning"]:
        parts.append(f"{counts['warning']} warning(s)")
    return ", ".join(parts) or "no findings"


@calendar_app.command("check")
def check(
    config: ConfigOption = None,
    year: Annotated[
        list[int] | None,
        typer.Option("--year", help="Years to check (default: this year and next)."),
    ] = None,
) -> None:
    """Checks the configuration: exit 2 on an error, 1 on a broken legal limit, 0 otherwise."""
    cfg = _load(config)
    years = year or [_this_year(), _this_year() + 1]
    findings = check_config(cfg, years)
    print_findings(config_path(config), findings)
    code = exit_code(findings)
    shown = ", ".join(map(str, years))
    text = f"configuration of {cfg.organisation.name} checked for {shown}: {summary(findings)}"
    if code:
        fail(text, code=code)
    console.print(text, highlight=False)


def register(app: typer.Typer) -> None:
    """Adds the `calendar` group to the `arshjul` command."""
    app.add_typer(calendar_app, name="calendar")
