"""The web's side of the Temporal boundary: ask a round for its status, send it updates.

Every failure becomes one of two errors with a Swedish sentence for the page: the round refused
(a validator said no) or Temporal could not be reached in time (the caller keeps what it stored).
"""

from __future__ import annotations

import asyncio
import logging

from pydantic import BaseModel
from temporalio.client import (
    Client,
    RPCTimeoutOrCancelledError,
    WorkflowUpdateFailedError,
    WorkflowUpdateStage,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from arshjul.models.rounds import QUERY_STATUS, RoundStatus, UpdateResult

log = logging.getLogger(__name__)


# What a page says when the round took a person's action but its mail or protocol entry is
# still on its way (a relay that is down retries for as long as it takes).
TAKEN_SV = "Det är registrerat. E-post och protokoll blir klara så snart det går."


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

    def __init__(self, client: Client, timeout: float = 10.0, settle: float = 5.0) -> None:
        self.client = client
        self.timeout = timeout
        self.settle = settle

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
    ) -> UpdateResult | None:
        """Sends an update; returns the round's answer, or None when the round took it but its
        side effects (the protocol's §, a mail through a relay that is down) still run.

        Raises RoundRefused (a validator said no) or RoundUnavailable (not taken in time). With
        `update_id`, Temporal treats a resend as the same update: while the workflow run lives,
        the second call gets the first call's answer instead of running it again.
        """
        handle = self.client.get_workflow_handle(workflow_id)
        try:
            # Accepted means the validator passed and the update is in the round's history:
            # from then on the person's action is done, whatever its mail does.
            sent = await asyncio.wait_for(
                handle.start_update(
                    name,
                    arg,
                    id=update_id,
                    wait_for_stage=WorkflowUpdateStage.ACCEPTED,
                    result_type=UpdateResult,
                ),
                self.timeout,
            )
        except WorkflowUpdateFailedError as err:
            raise self._refused(workflow_id, name, err) from err
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
        try:
            return await asyncio.wait_for(sent.result(), self.settle)
        except WorkflowUpdateFailedError as err:  # a rejection is known at acceptance already
            raise self._refused(workflow_id, name, err) from err
        except (TimeoutError, OSError, RPCError, RPCTimeoutOrCancelledError):
            log.info("round %s took %s; its effects are still running", workflow_id, name)
            return None

    @staticmethod
    def _refused(workflow_id: str, name: str, err: WorkflowUpdateFailedError) -> RoundRefused:
        log.info("round %s refused %s: %s", workflow_id, name, err.cause)
        return RoundRefused(str(err.cause), _swedish_reason(err))
