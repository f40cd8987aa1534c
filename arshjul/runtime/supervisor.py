"""Housekeeping that must not depend on Temporal: restart dead parts, nightly SQLite backups."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from arshjul.logging import log_event
from arshjul.runtime.backup import KEEP, backup_sqlite
from arshjul.runtime.processes import ManagedProcess

logger = logging.getLogger(__name__)

DEFAULT_CHECK_SECONDS = 30.0


class Supervisor:
    """An APScheduler in a background thread of `up`: checks the parts, takes nightly backups."""

    def __init__(
        self,
        parts: Sequence[ManagedProcess],
        sqlite_files: Sequence[Path],
        backup_dir: Path,
        *,
        check_seconds: float = DEFAULT_CHECK_SECONDS,
        backup_hour: int = 2,
        backup_minute: int = 30,
        keep: int = KEEP,
        timezone: str = "Europe/Stockholm",
        daily: Callable[[], object] | None = None,
    ) -> None:
        self.parts = list(parts)
        self.sqlite_files = list(sqlite_files)
        self.backup_dir = backup_dir
        self.keep = keep
        self.scheduler = BackgroundScheduler(timezone=timezone)
        self.scheduler.add_job(
            self.check_parts,
            IntervalTrigger(seconds=check_seconds),
            id="check_parts",
            max_instances=1,
            coalesce=True,
        )
        # A machine that slept through 02:30 still gets its backup when it wakes (grace time).
        self.scheduler.add_job(
            self.backup_all,
            CronTrigger(hour=backup_hour, minute=backup_minute, timezone=timezone),
            id="nightly_backup",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=6 * 3600,
        )
        if daily is not None:
            # Just after midnight: on 1 January this starts the new year's cycle.
            self.scheduler.add_job(
                self._run_daily,
                CronTrigger(hour=0, minute=5, timezone=timezone),
                args=[daily],
                id="daily",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=12 * 3600,
            )

    def start(self) -> None:
        """Starts the scheduler thread."""
        self.scheduler.start()
        job = self.scheduler.get_job("nightly_backup")
        log_event(
            logger,
            "supervisor.started",
            parts=",".join(p.name for p in self.parts),
            next_backup=job.next_run_time.isoformat() if job and job.next_run_time else None,
        )

    def shutdown(self) -> None:
        """Stops the scheduler, waiting for a running job to finish."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        log_event(logger, "supervisor.stopped")

    def check_parts(self) -> list[str]:
        """Restarts every dead part; returns the names of those restarted."""
        restarted = []
        for part in self.parts:
            try:
                if part.ensure_running():
                    restarted.append(part.name)
            except Exception as exc:  # noqa: BLE001 - a failed restart is retried on the next check
                log_event(
                    logger,
                    "process.restart_failed",
                    level=logging.ERROR,
                    part=part.name,
                    error=str(exc),
                )
        log_event(logger, "supervisor.check", level=logging.DEBUG, restarted=",".join(restarted))
        return restarted

    def _run_daily(self, job: Callable[[], object]) -> None:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - Temporal may be restarting; tomorrow retries
            log_event(logger, "daily.failed", level=logging.ERROR, error=str(exc))

    def backup_all(self) -> list[Path]:
        """Takes an online backup of every SQLite file and rotates old ones."""
        made = []
        now = dt.datetime.now(dt.UTC)
        for source in self.sqlite_files:
            try:
                copy = backup_sqlite(source, self.backup_dir, now, keep=self.keep)
            except Exception as exc:  # noqa: BLE001 - one failing file must not stop the other
                log_event(
                    logger, "backup.failed", level=logging.ERROR, file=str(source), error=str(exc)
                )
                continue
            if copy is not None:
                made.append(copy)
        return made
