"""The nightly gallring's activity: the configuration's retention rules applied to the store."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from arshjul.calendar.config import ArshjulConfig, ConfigOf, current_config
from arshjul.calendar.retention import plan
from arshjul.models.retention import ACTIVITY_GALLRA, RetentionRequest, RetentionResult
from arshjul.store.retention import gallra

log = logging.getLogger(__name__)


class RetentionActivities:
    """Gallring with the store's session maker and the configuration it runs (read each night)."""

    def __init__(
        self, session_maker: sessionmaker[Session], config: ArshjulConfig | ConfigOf
    ) -> None:
        self.session_maker = session_maker
        self._config = config

    def _run(self, request: RetentionRequest) -> int:
        config = current_config(self._config)
        if config.organisation.id != request.org_id:
            log.warning(
                "gallring for %s skipped: the worker runs another organisation", request.org_id
            )
            return 0
        cutoffs = plan(config.retention, request.day)
        # One transaction: every kind goes, and is audited, or nothing does.
        with self.session_maker.begin() as session:
            outcomes = gallra(session, cutoffs, config.organisation.timezone)
        return sum(o.removed for o in outcomes)

    @activity.defn(name=ACTIVITY_GALLRA)
    async def run_gallring(self, request: RetentionRequest) -> RetentionResult:
        """Removes what the retention rules have due on the request's day; a rerun removes
        nothing more."""
        removed = await asyncio.to_thread(self._run, request)
        log.info("gallring %s %s: %d record(s) removed", request.org_id, request.day, removed)
        return RetentionResult(removed=removed)
