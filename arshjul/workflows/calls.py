"""How workflows call activities: by name, with one timeout and retry policy for every effect."""

from __future__ import annotations

import datetime as dt

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from arshjul.models.agenda import (
        ACTIVITY_COMPILE_WHEN_COMPLETE,
        CompileWhenCompleteInput,
        CompileWhenCompleteResult,
    )
    from arshjul.models.effects import (
        ACTIVITY_RECORD_DECISION,
        ACTIVITY_RECORD_EVENT,
        ACTIVITY_SEND_NOTIFICATION,
        DecisionReceipt,
        DecisionRecord,
        NotificationRequest,
        NotificationResult,
        RoundEventRecord,
    )

# Unlimited attempts with a capped backoff: a mail relay or database that is down for a day delays
# the effect, it never fails the round. Idempotency keys make the retries harmless.
RETRY = RetryPolicy(
    initial_interval=dt.timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=dt.timedelta(minutes=10),
)
TIMEOUT = dt.timedelta(seconds=60)


async def send_notification(request: NotificationRequest) -> NotificationResult:
    """Sends one mail through the send_notification activity; a permanent failure is logged."""
    try:
        return await workflow.execute_activity(
            ACTIVITY_SEND_NOTIFICATION,
            request,
            result_type=NotificationResult,
            start_to_close_timeout=TIMEOUT,
            retry_policy=RETRY,
        )
    except ActivityError as exc:
        # Only non-retryable errors get here (a refused address): the round must go on without it.
        workflow.logger.warning("mail %s not sent: %s", request.idempotency_key, exc.cause)
        return NotificationResult(sent=False)


async def record_event(record: RoundEventRecord) -> None:
    """Mirrors one history line into the store through the record_event activity."""
    await workflow.execute_activity(
        ACTIVITY_RECORD_EVENT, record, start_to_close_timeout=TIMEOUT, retry_policy=RETRY
    )


async def record_decision(record: DecisionRecord) -> DecisionReceipt:
    """Writes a committee decision to the protocol through the record_decision activity."""
    return await workflow.execute_activity(
        ACTIVITY_RECORD_DECISION,
        record,
        result_type=DecisionReceipt,
        start_to_close_timeout=TIMEOUT,
        retry_policy=RETRY,
    )


async def compile_when_complete(request: CompileWhenCompleteInput) -> CompileWhenCompleteResult:
    """Compiles the report period if every report is in (the compile_when_complete activity);
    a report period that cannot be compiled is logged, never the round's failure."""
    try:
        return await workflow.execute_activity(
            ACTIVITY_COMPILE_WHEN_COMPLETE,
            request,
            result_type=CompileWhenCompleteResult,
            # Compiling 40 units with charts takes a few seconds; a slow machine gets room.
            start_to_close_timeout=dt.timedelta(minutes=5),
            retry_policy=RETRY,
        )
    except ActivityError as exc:
        workflow.logger.warning(
            "no Sammanställning of %s %s: %s", request.report_id, request.period, exc.cause
        )
        return CompileWhenCompleteResult(complete=False)
