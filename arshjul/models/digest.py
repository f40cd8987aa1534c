"""The weekly digest on the Temporal boundary: the workflow's input, the activity's in and out."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

DIGEST_WORKFLOW = "DigestWorkflow"
ACTIVITY_SEND_DIGEST = "send_digest"


class DigestInput(BaseModel):
    """When an organisation's digest goes out; whom it goes to is read when it is sent."""

    org_id: str
    weekday: int = 0  # 0 = Monday
    send_time: dt.time = dt.time(8, 0)
    timezone: str = "Europe/Stockholm"
    weeks_sent: int = 0  # across continue-as-new, for the idempotency key and the log
    clock_offset_s: float = 0  # simulation only, as RoundSpec.clock_offset_s


class DigestRequest(BaseModel):
    """One week's digest: the organisation and the local day it is for (the idempotency key)."""

    org_id: str
    day: dt.date


class DigestResult(BaseModel):
    """What was sent: how many late rounds, to how many people (0 when nothing was late)."""

    late_rounds: int
    recipients: int


def digest_workflow_id(org_id: str) -> str:
    """Returns the id of an organisation's one digest workflow."""
    return f"digest/{org_id}"
