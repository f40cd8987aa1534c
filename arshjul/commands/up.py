"""`arshjul up`: the whole system on one machine (Temporal dev server, store, mail, worker, web)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from arshjul.commands.common import console, fail, settings_or_fail


def _urls(system: object) -> None:
    from arshjul.runtime.endpoints import part_names
    from arshjul.runtime.system import System

    assert isinstance(system, System)
    ep = system.endpoints
    console.print("[bold green]arshjul is running[/] (Ctrl-C stops every part)")
    for name, url in zip(part_names("web", len(ep.web_urls)), ep.web_urls, strict=True):
        console.print(f"  {name:<12} {url}")
    ui = ep.temporal_ui_url or f"(external: {ep.temporal_address})"
    console.print(f"  Temporal UI  {ui}")
    console.print(f"  inbox        {ep.inbox_url or '(external SMTP: ' + ep.smtp_host + ')'}")
    console.print(f"  data         {system.data.root}")
    console.print(f"  {system.config_note}", highlight=False)
    console.print(f"  {system.seal_note}", highlight=False)
    result = system.bootstrap_result
    demo_id = getattr(result, "demo_id", None)
    if demo_id:
        console.print(f"  demo round   {demo_id}")


def up(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Årshjul YAML (default: ARSHJUL_CONFIG, else the bundled one)."
        ),
    ] = None,
    data_dir: Annotated[
        Path,
        typer.Option("--data-dir", help="Where the SQLite files, mail, backups and logs live."),
    ] = Path("var"),
    host: Annotated[str, typer.Option("--host", help="Address of the web app.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port of the web app.")] = 8000,
    temporal_port: Annotated[
        int, typer.Option("--temporal-port", help="Port of the Temporal dev server.")
    ] = 7233,
    temporal_ui_port: Annotated[
        int, typer.Option("--temporal-ui-port", help="Port of the Temporal UI.")
    ] = 8233,
    smtp_port: Annotated[
        int, typer.Option("--smtp-port", help="Port of the local SMTP sink.")
    ] = 1025,
    accept_temporal_version: Annotated[
        bool,
        typer.Option(
            "--accept-temporal-version",
            help="Open a data dir another Temporal dev-server version wrote (back it up first).",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", help="How many worker processes (above 1: PostgreSQL).")
    ] = 1,
    webs: Annotated[
        int,
        typer.Option("--webs", help="How many web processes, on --port and the ports after it."),
    ] = 1,
    # Hidden: tests check every half second; operators keep the 30 s default.
    check_seconds: Annotated[float, typer.Option("--check-interval", hidden=True)] = float(
        os.environ.get("ARSHJUL_SUPERVISOR_INTERVAL", "30")
    ),
) -> None:
    """Starts the whole system on this machine; Ctrl-C stops it, running it again resumes."""
    from arshjul.calendar.loader import ConfigError, load_config
    from arshjul.logging import configure_logging
    from arshjul.runtime.endpoints import UpOptions, scale_problem
    from arshjul.runtime.system import AlreadyRunningError, System
    from arshjul.settings import BUNDLED_CONFIG

    config_path = config or Path(os.environ.get("ARSHJUL_CONFIG", BUNDLED_CONFIG))
    try:
        # Checked before anything starts or any file is written: bad input changes nothing.
        loaded = load_config(config_path)
    except ConfigError as exc:
        fail(f"invalid configuration:\n{exc}")
    for name, value in (
        ("--port", port),
        ("--temporal-port", temporal_port),
        ("--temporal-ui-port", temporal_ui_port),
        ("--smtp-port", smtp_port),
    ):
        if not 0 < value < 65536:
            fail(f"{name} must be between 1 and 65535, got {value}")
    if check_seconds <= 0:
        fail("--check-interval must be positive")
    if os.environ.get("SECRET_KEY"):  # unset: up generates one; set: it must be a real one
        settings_or_fail()
    options = UpOptions(
        config=config_path,
        data_dir=data_dir,
        host=host,
        port=port,
        temporal_port=temporal_port,
        temporal_ui_port=temporal_ui_port,
        smtp_port=smtp_port,
        check_seconds=check_seconds,
        accept_temporal_version=accept_temporal_version,
        workers=workers,
        webs=webs,
    )
    problem = scale_problem(options, os.environ)
    if problem:
        fail(problem)
    configure_logging("up", file=data_dir.resolve() / "logs" / "up.log")

    stop = threading.Event()
    system = System(options)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # Ctrl-C reaches the children too; nothing may restart them while they exit.
        for part in system.parts:
            part.stopping = True
        stop.set()

    # SIGTERM (systemd, docker, the tests) and Ctrl-C both mean: stop every part cleanly.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    steps = ["Temporal", "database", "mail", "worker", "web", "workflows"]
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    try:
        with progress:
            task = progress.add_task("starting", total=len(steps))

            def step(name: str) -> None:
                if stop.is_set():
                    raise KeyboardInterrupt
                done = steps.index(name) if name in steps else 0
                progress.update(task, completed=done, description=f"starting {name}")

            system.start(loaded, config_path, step)
            progress.update(task, completed=len(steps))
    except AlreadyRunningError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        system.stop()
        raise typer.Exit(130) from None
    except Exception as exc:  # noqa: BLE001 - report in one line, stop what started, exit non-zero
        system.stop()
        fail(f"could not start: {exc}")
    _urls(system)
    stop.wait()
    system.stop()


def register(app: typer.Typer) -> None:
    """Adds `arshjul up` to the CLI."""
    app.command("up")(up)
