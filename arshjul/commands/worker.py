"""`arshjul worker`: runs the Temporal worker until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

import typer

from arshjul.commands.common import err_console, fail, settings_or_fail

logger = logging.getLogger("arshjul.worker")


async def _run() -> None:
    # Before anything connects (links signed with it go out by mail), and before the worker's
    # imports, so a refusal is said at once.
    settings = settings_or_fail()
    from arshjul.calendar.loader import ConfigError, load_config
    from arshjul.logging import configure_logging
    from arshjul.notifications.sender import SmtpSender
    from arshjul.runtime.bootstrap import connect
    from arshjul.store.db import make_engine, make_session_maker
    from arshjul.worker import build_worker

    configure_logging("worker", temporal_metrics=settings.worker_metrics_address)
    try:
        config = load_config(settings.arshjul_config)
    except ConfigError as exc:
        fail(f"invalid configuration: {exc}", code=2)
    try:
        # A worker started just before its server (reboot, rolling deploy) waits for it a while.
        client = await connect(settings.temporal_address, settings.temporal_namespace, timeout=60)
    except Exception as exc:  # noqa: BLE001 - any connection failure gets one clear line
        fail(f"cannot connect to Temporal at {settings.temporal_address}: {exc}")
    engine = make_engine(settings.database_url)
    worker = build_worker(
        client, settings, make_session_maker(engine), SmtpSender.from_settings(settings), config
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        err_console.print(
            f"worker on {settings.temporal_address} namespace {settings.temporal_namespace} "
            f"task queue {settings.temporal_task_queue}; Ctrl-C stops it",
            highlight=False,
        )
        await stop.wait()
        err_console.print("stopping: finishing the tasks in hand", highlight=False)
    engine.dispose()


def worker() -> None:
    """Run the Temporal worker (workflows, store and mail activities) until SIGINT/SIGTERM."""
    asyncio.run(_run())


def register(app: typer.Typer) -> None:
    """Adds `arshjul worker`."""
    app.command("worker")(worker)
