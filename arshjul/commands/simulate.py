"""`arshjul simulate`: the whole year on the time-skipping server, printed as a timeline."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, Progress, TextColumn

from arshjul.commands.common import console, err_console, fail

if TYPE_CHECKING:
    from rich.console import Console

    from arshjul.simulation.run import YearResult

TZ = "Europe/Stockholm"


def _timeline_text(result: object) -> None:
    for e in result.entries:  # type: ignore[attr-defined]
        detail = f"  {e.detail}" if e.detail else ""
        console.print(
            f"{e.time:%Y-%m-%d %H:%M}  {e.event:<15} {e.round}{detail}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


def _still_open(result: YearResult, to: Console) -> None:
    ended = result.ended.astimezone(ZoneInfo(TZ)) if result.ended else None
    when = f"{ended:%Y-%m-%d %H:%M}" if ended else "the end"
    if not result.still_open:
        to.print(f"Every round had closed by {when}.", highlight=False)
        return
    to.print(
        f"{len(result.still_open)} round(s) still open at {when} "
        "(nothing in the script moves them on):",
        highlight=False,
    )
    for workflow_id, state in sorted(result.still_open.items()):
        to.print(f"  {workflow_id}  {state}", highlight=False, markup=False)


def simulate(
    year: Annotated[int, typer.Option("--year", help="Calendar year to simulate.")],
    config: Annotated[
        Path | None, typer.Option("--config", help="Årshjul YAML (default: settings).")
    ] = None,
    script: Annotated[
        Path | None, typer.Option("--script", help="Script YAML (default: bundled).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Simulate a whole year: every request, reminder, escalation and decision, with local times.

    Exit codes as `calendar check`: 2 for a configuration with errors (nothing is simulated),
    1 after the year when a legal limit is broken, 0 otherwise (warnings printed).
    """
    from arshjul.calendar.check import check_config, exit_code
    from arshjul.calendar.expand import round_specs
    from arshjul.calendar.loader import ConfigError, load_config
    from arshjul.commands.calendar import config_path, print_findings, summary
    from arshjul.logging import route_temporal_core_logs
    from arshjul.simulation.run import simulate_year
    from arshjul.simulation.script import ScriptError, check_script, load_script

    if fmt not in ("text", "json"):
        fail(f"unknown format {fmt!r}; use text or json")
    if not 1900 < year < 2200:
        fail(f"year {year} is out of range")
    path = config_path(config)
    try:
        cfg = load_config(path)
    except ConfigError as exc:
        fail(f"invalid configuration:\n{exc}", code=2)
    findings = check_config(cfg, [year])
    print_findings(path, findings, err_console)
    code = exit_code(findings)
    if code == 2:
        fail(f"configuration of {cfg.organisation.name}: {summary(findings)}", code=2)
    specs = round_specs(cfg, year)
    try:
        # The bundled script is written for the bundled årshjul: on another configuration
        # its rules simply match nothing. A script of one's own must fit the configuration.
        plan = load_script() if script is None else check_script(script, cfg, specs, year)
    except ScriptError as exc:
        fail(f"the script does not fit the configuration; nothing simulated:\n{exc}", code=2)
    if not specs:
        fail(f"the configuration opens no rounds in {year}")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[day]}"),
        console=err_console,
        transient=True,
    ) as progress:
        # The year, and the next one while rounds opened late in the year are still open.
        task = progress.add_task(f"simulating {year}", total=366 * 2, day="")
        start = dt.date(year, 1, 1)

        def advance(at: dt.datetime) -> None:
            day = at.date()
            progress.update(task, completed=(day - start).days, day=day.isoformat())

        route_temporal_core_logs()
        # The embedded test server is ours, not the user's: its version warnings are noise here.
        logging.getLogger("temporalio.core").setLevel(logging.ERROR)
        result = asyncio.run(simulate_year(specs, plan, year, on_progress=advance))
    for problem in result.problems:
        err_console.print(f"[yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    for e in result.entries:
        if e.event == "target_missed":
            err_console.print(
                f"[yellow]late:[/] {e.round} missed its target meeting ({e.detail}); "
                "it goes to a later one",
                highlight=False,
                soft_wrap=True,
            )
    if fmt == "json":
        rows = [
            {
                "time": e.time.isoformat(timespec="seconds"),
                "round": e.round,
                "unit": e.unit,
                "event": e.event,
                "detail": e.detail,
            }
            for e in result.entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        _timeline_text(result)
    _still_open(result, to=err_console if fmt == "json" else console)
    if fmt != "json":
        err_console.print(f"{len(result.entries)} events, {result.mails} mails", highlight=False)
    if code:
        fail(f"configuration of {cfg.organisation.name}: {summary(findings)}", code=code)


def register(app: typer.Typer) -> None:
    """Adds `arshjul simulate`."""
    app.command("simulate")(simulate)
