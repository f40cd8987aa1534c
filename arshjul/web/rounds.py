"""The web's side of the Temporal boundary: ask a round for its status, send it updates.

Every failure becomes one of two errors with a Swedish sentence for the page: the round refused
(a validator said no) or Temporal could not be reached in time (the caller keeps what it stored).
"""

from __future__ import annotations

import asyncio
import logging

from pydantic import BaseModel
from temporalio.client import Client, RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from arshjul.models.rounds import QUERY_STATUS, RoundStatus, UpdateResult

log = logging.getLogger(__name__)


class RoundRefused(Exception):
    """The workflow refused the update; `message_sv` is its reason in Swedish."""

    def __init__(self, message: str, message_sv: str) -> None:
        super().__init__(message)
        self.message_sv = message_sv


class RoundUnavailable(Exception):
    """Temporal or the worker did not answer in time."""


class RoundNotFound(Exception):
    """No workflow with this id."""


def _swedish_reason(err: BaseException) -> str:
    # The workflow puts a Swedish text in details[0]; the English message is the fallback.
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, ApplicationError):
        cause = cause.__cause__
    if isinstance(cause, ApplicationError):
        if cause.details and isinstance(cause.details[0], str):
            return cause.details[0]
        return cause.message
    return "Åtgärden kunde inte genomföras."


class RoundGateway:
    """Queries and updates report rounds through one Temporal client, each call with a timeout."""

    def __init__(self, client: Client, timeout: float = 10.0) -> None:
        self.client = client
        self.timeout = timeout

    async def status(self, workflow_id: str) -> RoundStatus:
        """Asks the round for its state and history."""
        handle = self.client.get_workflow_handle(workflow_id)
        try:
            return await asyncio.wait_for(
                handle.query(QUERY_STATUS, result_type=RoundStatus), self.timeout
            )
        except RPCError as err:
            if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                raise RoundNotFound(workflow_id) from err
            raise RoundUnavailable(str(err)) from err
        except (TimeoutError, OSError) as err:
            raise RoundUnavailable(f"query timed out: {workflow_id}") from err

    async def update(
        self, workflow_id: str, name: str, arg: BaseModel, *, update_id: str | None = None
    ) -> UpdateResult:
        """Sends an update and returns the round's answer (RoundRefused, RoundUnavailable).

        With `update_id`, Temporal treats a resend as the same update: while the workflow run
        lives, the second call gets the first call's answer instead of running it again.
        """
        handle = self.client.get_workflow_handle(workflow_id)
        try:
            return await asyncio.wait_for(
                handle.execute_update(name, arg, id=update_id, result_type=UpdateResult),
                self.timeout,
            )
        except WorkflowUpdateFailedError as err:
            log.info("round %s refused %s: %s", workflow_id, name, err.cause)
            raise RoundRefused(str(err.cause), _swedish_reason(err)) from err
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise RoundRefused(
                    str(err), "Omgången finns inte längre eller är avslutad."
                ) from err
            log.warning("round %s: update %s failed: %s", workflow_id, name, err)
            raise RoundUnavailable(str(err)) from err
        except (TimeoutError, OSError, RPCTimeoutOrCancelledError) as err:
            # On a timeout the SDK turns the cancelled call into RPCTimeoutOrCancelledError,
            # which asyncio.wait_for passes on instead of TimeoutError.
            log.warning("round %s: update %s timed out", workflow_id, name)
            raise RoundUnavailable(f"update timed out: {workflow_id}") from err
