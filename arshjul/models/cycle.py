"""The annual cycle's input on the Temporal boundary (arshjul.workflows.cycle).

It also carries the cycle's state across continue-as-new, so it only gains optional fields
(docs/VERSIONING.md, rule 5).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from arshjul.models.plans import OPEN_PAGE
from arshjul.models.rounds import CycleRound, RoundSpec


class CycleInput(BaseModel):
    """The cycle's input; it also carries the state across continue-as-new."""

    org_id: str
    year: int
    # Release 0.1: every round's spec (grows with the units; only for cycles already running).
    specs: list[RoundSpec] = Field(default_factory=list)
    start: dt.date  # rounds due before this day are not opened ("before start")
    timezone: str = "Europe/Stockholm"
    clock_offset_s: float = 0  # simulation only, see RoundSpec.clock_offset_s
    # Continue-as-new after this many history events even if Temporal does not suggest it yet.
    continue_as_new_after_events: int | None = None
    rounds: dict[str, CycleRound] = Field(default_factory=dict)  # release 0.1 only
    started: bool = False  # False only in the very first run: classify before-start rounds once
    # The year's plan (arshjul.models.plans): its hash, its opening instants, the last one opened.
    plan: str | None = None
    slots: list[dt.datetime] = Field(default_factory=list)
    opened_through: dt.datetime | None = None
    open_page: int = OPEN_PAGE  # rounds started per open_rounds call
