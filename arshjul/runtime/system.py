"""`arshjul up`: start every part in order, supervise them, and stop them all cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import functools
import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from arshjul.calendar.config import ArshjulConfig
from arshjul.logging import log_event
from arshjul.models.rounds import RoundSpec
from arshjul.runtime.endpoints import (
    DataDir,
    Endpoints,
    UpOptions,
    child_overrides,
    demo_seal,
    part_names,
    resolve_endpoints,
    secret_key,
    web_ports,
    worker_env,
)
from arshjul.runtime.mailsink import MailSink
from arshjul.runtime.processes import (
    VENV_BIN,
    ManagedProcess,
    answers_http,
    arshjul_argv,
    child_env,
    reap_orphans,
    temporal_dev_server_argv,
)
from arshjul.runtime.supervisor import Supervisor
from arshjul.settings import get_settings

logger = logging.getLogger(__name__)

# What `up` prints about the configuration it runs (arshjul.store.configuration.adopt_file).
ADOPTED_NOTES = {
    "imported_first": "configuration: {file} imported as version {version}",
    "imported_changed": "configuration: {file} changed, imported as version {version}",
    "unchanged": "configuration: version {version} from the store",
    "file_ignored": (
        "configuration: version {version} from the store, edited in the browser since {file} was"
        " imported; the file's changes are NOT used (arshjul config import FILE to replace)"
    ),
}

Step = Callable[[str], None]
WEB_PROBE_SECONDS = 5.0
# A Python part takes seconds to import the app; several starting at once share the cores, so
# each gets this long per process starting with it (at least a minute) to open its port.
READY_SECONDS_PER_PROCESS = 30.0


class AlreadyRunningError(RuntimeError):
    """Another `arshjul up` holds this data dir."""


class System:
    """The parts of one machine's arshjul, started in dependency order and stopped in reverse."""

    def __init__(self, options: UpOptions, environ: Mapping[str, str] | None = None) -> None:
        self.options = options
        self.environ = dict(os.environ if environ is None else environ)
        self.data = DataDir(root=options.data_dir.resolve())
        self.endpoints: Endpoints = resolve_endpoints(options, self.environ)
        self.parts: list[ManagedProcess] = []
        self.sink: MailSink | None = None
        self.supervisor: Supervisor | None = None
        self._lock: IO[str] | None = None
        self.bootstrap_result: object | None = None
        self.config: ArshjulConfig | None = None
        self.config_note = ""
        self.seal_note = ""

    # --- start ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Takes the data dir's lock so two `up`s never share one SQLite file."""
        self.data.run.mkdir(parents=True, exist_ok=True)
        fh = open(self.data.run / "up.lock", "w")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise AlreadyRunningError(f"another `arshjul up` uses {self.data.root}") from exc
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock = fh
        # The lock was free, so no `up` runs here: whatever its parts left running is an orphan.
        for name in reap_orphans(self.data.run):
            log_event(logger, "up.orphan_stopped", level=logging.WARNING, part=name)
        # A run that was killed left its state behind; it is written afresh once all runs.
        (self.data.run / "up.json").unlink(missing_ok=True)

    def start(self, config: ArshjulConfig, config_path: Path, step: Step = lambda _: None) -> None:
        """Starts Temporal, the store, the mail sink, the workers and webs, then cycle and demo."""
        ep = self.endpoints
        self.lock()
        for folder in (self.data.logs, self.data.run, self.data.backups):
            folder.mkdir(parents=True, exist_ok=True)

        step("Temporal")
        if ep.temporal_embedded:
            self._check_dev_server_version()
            self._start_part(
                "temporal",
                temporal_dev_server_argv(
                    self.data.temporal_db,
                    ip="127.0.0.1",
                    port=self.options.temporal_port,
                    ui_port=self.options.temporal_ui_port,
                ),
                env=dict(self.environ),
                port=self.options.temporal_port,
            )

        step("database")
        from arshjul.store.db import upgrade

        upgrade(ep.database_url)
        log_event(logger, "store.migrated", embedded=ep.database_embedded)
        config = self._adopt_config(config_path)

        step("mail")
        if ep.smtp_embedded:
            self.sink = MailSink(self.data.maildir, "127.0.0.1", ep.smtp_port)
            self.sink.start()

        overrides = child_overrides(
            self.options,
            ep,
            self.data,
            config_path.resolve(),
            secret_key(self.data, self.environ),
            self.environ,
        )
        # .env counts too: a demo seal in the environment would win over the operator's there.
        settings = get_settings()
        configured = any(
            self.environ.get(name) for name in ("ARSHJUL_SIGNING_P12", "ARSHJUL_SIGNING_PKCS11_LIB")
        ) or (settings.signing_p12 is not None or settings.signing_pkcs11_lib is not None)
        overrides |= demo_seal(self.data, configured, config.organisation.name)
        self.seal_note = (
            "seal         ARSHJUL_SIGNING_P12 or _PKCS11_* (archive copies of protocols are sealed)"
            if configured
            else "seal         self-signed DEMO seal in "
            f"{self.data.run} (set ARSHJUL_SIGNING_P12 for the kommun's own)"
        )
        env = child_env(overrides)
        step("worker")
        for index, name in enumerate(part_names("worker", self.options.workers)):
            self._start_part(name, arshjul_argv("worker"), env=worker_env(env, index), port=None)
        step("web")
        webs = [
            self._start_part(
                name,
                arshjul_argv("web", "--host", self.options.host, "--port", str(port)),
                env=env,
                port=port,
                host=self.options.host,
                web=True,
                wait=False,
            )
            for name, port in zip(
                part_names("web", self.options.webs), web_ports(self.options), strict=True
            )
        ]
        # Started together, awaited in turn: N webs take the time of one (imports cost seconds).
        for part in webs:
            part.wait_ready()

        dead = [p.name for p in self.parts if not p.alive()]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} exited at start; see {self.data.logs}")

        step("workflows")
        self.config = config
        self.bootstrap_result = self.ensure_cycle(with_demo=True)

        sqlite_files = [self.data.temporal_db] if ep.temporal_embedded else []
        if ep.database_embedded:
            sqlite_files.append(self.data.store_db)
        self.supervisor = Supervisor(
            self.parts,
            sqlite_files,
            self.data.backups,
            check_seconds=self.options.check_seconds,
            timezone=config.organisation.timezone,
            daily=lambda: self.ensure_cycle(with_demo=False),
        )
        self.supervisor.start()
        self._write_state()

    def _adopt_config(self, config_path: Path) -> ArshjulConfig:
        """The store's configuration becomes the one to run; the file is imported where it is
        news (arshjul.store.configuration.adopt_file)."""
        from arshjul.store.configuration import adopt_file
        from arshjul.store.db import make_engine, make_session_maker

        engine = make_engine(self.endpoints.database_url)
        try:
            with make_session_maker(engine).begin() as session:
                adopted = adopt_file(session, config_path, actor="arshjul up")
        finally:
            engine.dispose()
        log_event(
            logger,
            f"config.{adopted.event}",
            level=logging.WARNING if adopted.event == "file_ignored" else logging.INFO,
            version=adopted.stored.version,
            file=str(config_path),
        )
        self.config_note = ADOPTED_NOTES[adopted.event].format(
            version=adopted.stored.version, file=config_path
        )
        return adopted.stored.config

    def _check_dev_server_version(self) -> None:
        from arshjul.runtime.devserver import check_and_record, dev_server_version

        current = dev_server_version(VENV_BIN / "temporal")
        before = check_and_record(
            self.data.root,
            self.data.temporal_db,
            current,
            accept=self.options.accept_temporal_version,
        )
        if before is not None:
            log_event(logger, "temporal.version_accepted", before=before, now=current)

    def ensure_cycle(self, *, with_demo: bool) -> object:
        """Starts this year's cycle if it does not run (at start, and nightly for a new year)."""
        from arshjul.calendar.expand import round_specs
        from arshjul.calendar.rules import MissingMeeting
        from arshjul.runtime.bootstrap import bootstrap
        from arshjul.settings import TASK_QUEUE
        from arshjul.store.configuration import newest_at
        from arshjul.store.plans import sql_plans

        # The newest saved version: one saved in the browser since the start counts tonight.
        self.config = newest_at(self.endpoints.database_url) or self.config
        assert self.config is not None
        # The clock is read here only; the calendar and the demo get the date as an argument.
        now = dt.datetime.now(dt.UTC)
        year = now.astimezone(ZoneInfo(self.config.organisation.timezone)).year
        skipped: list[MissingMeeting] = []
        specs = round_specs(self.config, year, skipped)
        for problem in skipped:
            # The rest of the year runs; `arshjul calendar check` names the place to fix.
            log_event(logger, "cycle.round_skipped", level=logging.WARNING, reason=str(problem))
        next_year = self._next_year(year, now)
        return asyncio.run(
            bootstrap(
                address=self.endpoints.temporal_address,
                namespace=self.environ.get("TEMPORAL_NAMESPACE", "default"),
                task_queue=self.environ.get("TEMPORAL_TASK_QUEUE", TASK_QUEUE),
                config=self.config,
                specs=specs,
                now=now,
                demo_marker=self.data.run / "demo.json" if with_demo else None,
                plans=sql_plans(self.endpoints.database_url),
                next_year=next_year,
            )
        )

    def _next_year(self, year: int, now: dt.datetime) -> list[RoundSpec] | None:
        """Next year's specs when its cycle may start: autumn, and every date computable."""
        from arshjul.calendar.expand import round_specs
        from arshjul.calendar.rules import MissingMeeting
        from arshjul.calendar.turnover import asks_for_next_year, without_meetings

        assert self.config is not None
        today = now.astimezone(ZoneInfo(self.config.organisation.timezone)).date()
        if not asks_for_next_year(today) or without_meetings(self.config, year + 1):
            return None
        missing: list[MissingMeeting] = []
        specs = round_specs(self.config, year + 1, missing)
        if missing:
            log_event(logger, "cycle.next_year_waits", year=year + 1, missing=len(missing))
            return None
        return specs or None

    def _start_part(
        self,
        name: str,
        argv: list[str],
        *,
        env: dict[str, str],
        port: int | None,
        host: str = "127.0.0.1",
        web: bool = False,
        wait: bool = True,
    ) -> ManagedProcess:
        ready_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        probe = None
        if web:
            # /readyz answers within seconds even when the database or Temporal does not; no
            # answer at all means the web itself hangs.
            url = f"http://{ready_host}:{port}/readyz"
            probe = functools.partial(answers_http, url, WEB_PROBE_SECONDS)
        together = self.options.workers + self.options.webs
        part = ManagedProcess(
            name,
            argv,
            env=env,
            log_file=self.data.logs / f"{name}.log",
            pid_file=self.data.pid_file(name),
            ready_port=(ready_host, port) if port else None,
            ready_timeout=max(60.0, READY_SECONDS_PER_PROCESS * together),
            probe=probe,
        )
        self.parts.append(part)
        part.start(wait=wait)
        return part

    def _write_state(self) -> None:
        # For operators and tests: which pid is which part, and where everything listens.
        state = {
            "pid": os.getpid(),
            "parts": {p.name: p.pid for p in self.parts},
            "endpoints": self.endpoints.model_dump(),
        }
        (self.data.run / "up.json").write_text(json.dumps(state, indent=2))

    # --- stop -------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stops the supervisor, then web, worker, Temporal and the sink, each given time."""
        log_event(logger, "up.stopping")
        if self.supervisor is not None:
            self.supervisor.shutdown()
        for part in self.parts:
            part.stopping = True  # nothing restarts a part that is being stopped
        for part in reversed(self.parts):
            try:
                part.stop()
            except Exception as exc:  # noqa: BLE001 - the others must still stop
                log_event(
                    logger,
                    "process.stop_failed",
                    level=logging.ERROR,
                    part=part.name,
                    error=str(exc),
                )
        if self.sink is not None:
            self.sink.stop()
        (self.data.run / "up.json").unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        log_event(logger, "up.stopped")
