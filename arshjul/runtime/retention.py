"""Starting the nightly gallring: one RetentionWorkflow per organisation, started with the cycle."""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from arshjul.calendar.config import ArshjulConfig
from arshjul.logging import log_event
from arshjul.models.retention import RETENTION_WORKFLOW, RetentionInput, retention_workflow_id

logger = logging.getLogger(__name__)


async def start_retention(client: Client, config: ArshjulConfig, task_queue: str) -> bool:
    """Starts the organisation's nightly gallring unless it runs; True if it started it.

    Only a configuration with `retention:` starts it; the rules are read every night, so a
    changed rule needs no restart.
    """
    if config.retention is None:
        return False
    org = config.organisation
    workflow_id = retention_workflow_id(org.id)
    try:
        await client.start_workflow(
            RETENTION_WORKFLOW,
            RetentionInput(org_id=org.id, timezone=org.timezone),
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return False
    log_event(logger, "retention.started", workflow_id=workflow_id)
    return True
