"""`arshjul cycle`: start a year's årshjul on a Temporal cluster.

Also shows where every round stands.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from arshjul.commands.common import console, fail, running_config

cycle_app = typer.Typer(help="Start the annual cycle and read its status.", no_args_is_help=True)

YEAR = typer.Option(None, "--year", help="The cycle's year (default: this year).")
CONFIG = typer.Option(
    None, "--config", help="Configuration file (default: the store's, else ARSHJUL_CONFIG)."
)


def _load(config_path: Path | None):  # noqa: ANN202 - (settings, config)
    from arshjul.calendar.loader import ConfigError
    from arshjul.settings import get_settings

    settings = get_settings()
    try:
        return settings, running_config(config_path)
    except ConfigError as exc:
        fail(f"invalid configuration: {exc}", code=2)


async def _client(settings):  # noqa: ANN001, ANN202
    from arshjul.logging import route_temporal_core_logs
    from arshjul.runtime.bootstrap import connect

    route_temporal_core_logs()  # `status --format json` must print nothing but JSON
    try:
        return await connect(settings.temporal_address, settings.temporal_namespace, timeout=10)
    except Exception as exc:  # noqa: BLE001 - any connection failure gets one clear line
        fail(f"cannot connect to Temporal at {settings.temporal_address}: {exc}")


def _plans(settings):  # noqa: ANN001, ANN202 - the store's SqlPlans, or a clear failure
    from sqlalchemy.exc import SQLAlchemyError

    from arshjul.store.db import current_revision
    from arshjul.store.plans import sql_plans

    try:
        migrated = current_revision(settings.database_url) is not None
    except SQLAlchemyError as exc:
        fail(f"cannot open the database {settings.database_url}: {exc}")
    if not migrated:
        fail(f"the database {settings.database_url} is not migrated: run `arshjul db upgrade`")
    return sql_plans(settings.database_url)


@cycle_app.command("start")
def start(year: int | None = YEAR, config_path: Path | None = CONFIG) -> None:
    """Start the year's cycle (harmless if it runs; a running one gets the configuration again)."""
    from arshjul.calendar.expand import round_specs
    from arshjul.calendar.rules import MissingMeeting
    from arshjul.runtime.agendas import start_agendas
    from arshjul.runtime.bootstrap import start_cycle
    from arshjul.runtime.digest import start_digest

    settings, config = _load(config_path)
    today = dt.datetime.now(ZoneInfo(config.organisation.timezone)).date()
    year = year or today.year
    if year < today.year:
        fail(f"the cycle of {year} is in the past; start this year's or a later one")

    try:
        specs = round_specs(config, year)
    except MissingMeeting as exc:
        fail(f"{exc}: the dates of {year} cannot be computed (see arshjul calendar check)", code=2)

    async def run() -> bool:
        client = await _client(settings)
        plans = _plans(settings)
        started = await start_cycle(
            client, config, specs, today, settings.temporal_task_queue, plans, year=year
        )
        await start_digest(client, config, settings.temporal_task_queue)
        # Each committee's föredragningslistor go out on their own timers, beside the cycle.
        await start_agendas(client, config, year, settings.temporal_task_queue)
        return started

    started = asyncio.run(run())
    state = "started" if started else "already running (configuration sent again)"
    console.print(f"cycle {config.organisation.id}/{year}: {state}", highlight=False)


@cycle_app.command("status")
def status(
    year: int | None = YEAR,
    config_path: Path | None = CONFIG,
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Show every round of the year's cycle: scheduled, opened (with state) or before start."""
    from pydantic import TypeAdapter
    from temporalio.service import RPCError

    from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus
    from arshjul.models.rounds import QUERY_CYCLE, CycleRound, cycle_workflow_id
    from arshjul.plans import cycle_lines

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json", code=2)
    settings, config = _load(config_path)
    year = year or dt.datetime.now(ZoneInfo(config.organisation.timezone)).year

    async def run() -> list[CycleRound]:
        client = await _client(settings)
        handle = client.get_workflow_handle(cycle_workflow_id(config.organisation.id, year))
        try:
            plan = await handle.query(QUERY_CYCLE_PLAN, result_type=CyclePlanStatus)
            if plan.plan is None:  # a cycle of release 0.1 keeps its rounds' lines itself
                return await handle.query(QUERY_CYCLE, result_type=list[CycleRound])
        except RPCError as exc:
            fail(f"no cycle for {config.organisation.id}/{year}: {exc.message}")
        # A planned cycle: the rounds from its stored plan, their states from the SQL mirror.
        plans = _plans(settings)
        states = plans.states(plan.org_id, plan.year)
        return cycle_lines(plans.specs(plan.plan), plan.start, plan.opened_through, states)

    rounds = sorted(asyncio.run(run()), key=lambda r: (r.opens, r.report_id, r.unit_id))
    if fmt == "json":
        adapter = TypeAdapter(list[CycleRound])
        console.print_json(json.dumps(adapter.dump_python(rounds, mode="json")))
        return
    table = Table(title=f"{config.organisation.name} – årshjul {year}")
    for column in ("opens", "due", "report", "period", "unit", "status", "state"):
        table.add_column(column)
    for r in rounds:
        table.add_row(
            r.opens.isoformat(),
            r.due.isoformat(),
            r.report_id,
            r.period,
            r.unit_id,
            r.status,
            r.state.value if r.state else "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Adds the `arshjul cycle` group."""
    app.add_typer(cycle_app, name="cycle")
