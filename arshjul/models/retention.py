"""The nightly gallring on the Temporal boundary: workflow input, activity input and output."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

RETENTION_WORKFLOW = "RetentionWorkflow"
ACTIVITY_GALLRA = "run_gallring"


class RetentionInput(BaseModel):
    """When an organisation's gallring runs; the rules are read from the configuration then."""

    org_id: str
    run_time: dt.time = dt.time(3, 0)
    timezone: str = "Europe/Stockholm"
    days_run: int = 0  # across continue-as-new, for the log
    clock_offset_s: float = 0  # simulation only, as RoundSpec.clock_offset_s


class RetentionRequest(BaseModel):
    """One night's gallring: the organisation and the local day it runs for."""

    org_id: str
    day: dt.date


class RetentionResult(BaseModel):
    """How many records went, over every kind (0 when nothing is configured or due)."""

    removed: int


def retention_workflow_id(org_id: str) -> str:
    """Returns the id of an organisation's one gallring workflow."""
    return f"retention/{org_id}"
