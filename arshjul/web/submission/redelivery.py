"""Redelivery: versions stored while Temporal was away go to their rounds without anyone visiting.

The web app runs `redelivery_loop` in its lifespan; `arshjul deliver-pending` runs one pass.
Both send through `delivery.deliver`, the page's own path, under the same update id.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from arshjul.store.models import Submission
from arshjul.store.repositories import SubmissionRepository
from arshjul.web.core.deps import WebState
from arshjul.web.core.rounds import RoundUnavailable
from arshjul.web.submission.delivery import deliver

log = logging.getLogger(__name__)
# After this many unanswered sends in a row, Temporal is away: the rest waits for the next pass
# instead of each waiting for its own timeout.
GIVE_UP_AFTER_UNAVAILABLE = 3


@dataclass
class RedeliveryCounts:
    """What one pass did: pending versions found, delivered, refused, left pending, failed."""

    pending: int = 0
    delivered: int = 0
    refused: int = 0
    unavailable: int = 0
    failed: int = 0

    def summary(self) -> str:
        """Returns the counts as one English log/CLI line."""
        return (
            f"pending={self.pending} delivered={self.delivered} refused={self.refused} "
            f"unavailable={self.unavailable} failed={self.failed}"
        )


def _in_sending_order(pending: list[Submission]) -> list[Submission]:
    # Rounds oldest first, but within a round the newest version first: it is what the unit
    # means now, as on the page; an older version then gets the round's own answer.
    first_seen: dict[str, int] = {}
    for index, submission in enumerate(pending):
        first_seen.setdefault(submission.workflow_id, index)
    return sorted(pending, key=lambda s: (first_seen[s.workflow_id], -s.version))


def _pending(session: Session, limit: int) -> list[Submission]:
    return SubmissionRepository(session).pending_deliveries(limit=limit)


async def redeliver_pending(state: WebState, *, limit: int = 500) -> RedeliveryCounts:
    """Sends every pending version to its round once; never raises for a failed send."""
    counts = RedeliveryCounts()
    pending = _in_sending_order(await state.db(_pending, limit))
    counts.pending = len(pending)
    unanswered_in_a_row = 0
    for submission in pending:
        if unanswered_in_a_row >= GIVE_UP_AFTER_UNAVAILABLE:
            counts.unavailable += 1
            continue
        ident = f"submission {submission.id} v{submission.version} of {submission.workflow_id}"
        try:
            refusal = await deliver(state, submission)
        except RoundUnavailable as err:
            unanswered_in_a_row += 1
            counts.unavailable += 1
            log.warning("redelivery: %s stays pending: %s", ident, err)
            continue
        except Exception:  # one broken row must not stop the others, nor the app
            counts.failed += 1
            log.exception("redelivery: %s failed", ident)
            continue
        unanswered_in_a_row = 0
        if refusal is None:
            counts.delivered += 1
            log.info("redelivery: %s delivered", ident)
        else:
            counts.refused += 1
            log.info("redelivery: %s refused by the round", ident)
    return counts


async def redelivery_loop(state: WebState, interval_seconds: float) -> None:
    """Runs a redelivery pass now and then every `interval_seconds`, until cancelled."""
    while True:
        try:
            counts = await redeliver_pending(state)
        except asyncio.CancelledError:
            raise
        except SQLAlchemyError as err:  # the database is away or not migrated: try again later
            log.warning("redelivery pass failed: database: %s", err)
        except Exception:  # never let the loop, and with it the app, die
            log.exception("redelivery pass failed")
        else:
            if counts.pending:
                log.info("redelivery pass: %s", counts.summary())
        await asyncio.sleep(interval_seconds)
