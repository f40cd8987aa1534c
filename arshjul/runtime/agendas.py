"""Starting each committee's agenda year (idempotent), beside the annual cycle."""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from arshjul.calendar.config import ArshjulConfig
from arshjul.logging import log_event
from arshjul.models.agenda import AGENDA_WORKFLOW, SIGNAL_AGENDA_SPEC, AgendaSpec

logger = logging.getLogger(__name__)


def agenda_specs(config: ArshjulConfig, year: int) -> list[AgendaSpec]:
    """One spec per committee with meetings in the year."""
    org = config.organisation
    return [
        AgendaSpec(
            org_id=org.id,
            committee_id=c.id,
            committee_name=c.name,
            year=year,
            meetings=[d for d in c.dates if d.year == year],
            agenda_days_before=c.agenda_days_before,
            send_time=org.send_time,
            timezone=org.timezone,
        )
        for c in config.committees
        if any(d.year == year for d in c.dates) and c.members
    ]


async def start_agendas(
    client: Client, config: ArshjulConfig, year: int, task_queue: str
) -> list[str]:
    """Starts each committee's agenda year; a running one gets the meetings again. Returns the
    ids started now."""
    started = []
    for spec in agenda_specs(config, year):
        try:
            await client.start_workflow(
                AGENDA_WORKFLOW,
                spec,
                id=spec.workflow_id,
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
            )
            started.append(spec.workflow_id)
        except WorkflowAlreadyStartedError:
            handle = client.get_workflow_handle(spec.workflow_id)
            try:
                await handle.signal(SIGNAL_AGENDA_SPEC, spec)
            except Exception:  # noqa: BLE001 - a finished year needs nothing
                log_event(logger, "agenda.closed", workflow_id=spec.workflow_id)
                continue
        log_event(logger, "agenda.ensured", workflow_id=spec.workflow_id)
    return started
