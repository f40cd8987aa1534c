"""Starting the weekly digest: one DigestWorkflow per organisation, started when the cycle is."""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from arshjul.calendar.config import ArshjulConfig
from arshjul.logging import log_event
from arshjul.models.digest import DIGEST_WORKFLOW, DigestInput, digest_workflow_id

logger = logging.getLogger(__name__)
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")


def digest_input(config: ArshjulConfig) -> DigestInput | None:
    """Returns the digest workflow's input, or None when the configuration asks for no digest."""
    org, digest = config.organisation, config.organisation.digest
    if digest is None:
        return None
    return DigestInput(
        org_id=org.id,
        weekday=WEEKDAYS.index(digest.weekday),
        send_time=org.send_time,
        timezone=org.timezone,
    )


async def start_digest(client: Client, config: ArshjulConfig, task_queue: str) -> bool:
    """Starts the organisation's digest unless it runs; True if it started it.

    Its recipients are read from the store at every send, so a changed role list needs no
    restart; a changed weekday does (terminate `digest/<org>` and start the cycle again).
    """
    inp = digest_input(config)
    if inp is None:
        return False
    workflow_id = digest_workflow_id(inp.org_id)
    try:
        await client.start_workflow(
            DIGEST_WORKFLOW,
            inp,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return False
    log_event(logger, "digest.started", workflow_id=workflow_id)
    return True
