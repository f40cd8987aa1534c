"""The `compile_report` activity: a round's workflow or the ekonomichef compiles a report period."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from arshjul.calendar.config import ArshjulConfig, ConfigOf, current_config
from arshjul.compile import auto
from arshjul.compile.gather import CompileError
from arshjul.compile.model import CompileReportInput, CompileReportResult
from arshjul.compile.service import compile_and_store
from arshjul.models.agenda import (
    ACTIVITY_COMPILE_WHEN_COMPLETE,
    CompileWhenCompleteInput,
    CompileWhenCompleteResult,
)
from arshjul.models.effects import ACTIVITY_COMPILE_REPORT
from arshjul.store.db import local_date, utc_now


class CompileActivities:
    """Compiles report periods from the store and stores each result with its inputs' versions."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: ArshjulConfig | ConfigOf,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self._config = config
        self.clock = clock

    @property
    def config(self) -> ArshjulConfig:
        """The configuration now (a version saved meanwhile is used from the next call)."""
        return current_config(self._config)

    def _today(self) -> dt.date:
        # Late means past due in the organisation's own calendar, not in UTC.
        return local_date(self.clock(), self.config.organisation.timezone)

    def _compile(self, request: CompileReportInput) -> CompileReportResult:
        try:
            with self.sessions.begin() as session:  # commit at the edge: end of the activity
                return compile_and_store(session, self.config, request, today=self._today())
        except CompileError as exc:
            # A wrong report or period does not get better by retrying.
            raise ApplicationError(str(exc), type="CompileError", non_retryable=True) from exc

    @activity.defn(name=ACTIVITY_COMPILE_REPORT)
    async def compile_report(self, request: CompileReportInput) -> CompileReportResult:
        """Compiles a report period and stores it; returns the stored compilation's id."""
        # Rendering is CPU work and the store is synchronous: keep the worker's event loop free.
        return await asyncio.to_thread(self._compile, request)

    def _compile_when_complete(
        self, request: CompileWhenCompleteInput
    ) -> CompileWhenCompleteResult:
        try:
            with self.sessions.begin() as session:
                return auto.compile_when_complete(
                    session, self.config, request.report_id, request.period, today=self._today()
                )
        except CompileError as exc:
            raise ApplicationError(str(exc), type="CompileError", non_retryable=True) from exc

    @activity.defn(name=ACTIVITY_COMPILE_WHEN_COMPLETE)
    async def compile_when_complete(
        self, request: CompileWhenCompleteInput
    ) -> CompileWhenCompleteResult:
        """Compiles the report period once every report is in, once per set of versions."""
        return await asyncio.to_thread(self._compile_when_complete, request)
