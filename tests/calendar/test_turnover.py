"""The year turning over: from September, the committees whose next-year plan is missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from arshjul.calendar.loader import load_config
from arshjul.calendar.turnover import asks_for_next_year, without_meetings

EXAMPLES = sorted((Path(__file__).parents[2] / "arshjul" / "calendar" / "examples").glob("*.yaml"))


def test_next_years_plan_is_asked_for_from_september() -> None:
    assert not asks_for_next_year(dt.date(2027, 8, 31))
    assert asks_for_next_year(dt.date(2027, 9, 1))
    assert asks_for_next_year(dt.date(2027, 12, 31))
    assert not asks_for_next_year(dt.date(2028, 1, 1))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_year_past_the_bundled_plans_lacks_every_meeting_committee(example: Path) -> None:
    config = load_config(example)
    meeting = [c.id for c in config.committees if c.meetings]
    last = max(m.date.year for c in config.committees for m in c.meetings)
    assert [c.id for c in without_meetings(config, last + 1)] == meeting
    # In a year that every committee meets, nothing is missing.
    full = [
        y
        for y in range(2020, last + 1)
        if all(any(m.date.year == y for m in c.meetings) for c in config.committees if c.meetings)
    ]
    assert full and without_meetings(config, full[-1]) == []


def test_a_committee_without_any_meetings_is_not_missing_a_plan() -> None:
    config = load_config(EXAMPLES[0])
    silent = config.committees[0].model_copy(update={"meetings": []})
    changed = config.model_copy(update={"committees": [silent, *config.committees[1:]]})
    assert silent.id not in [c.id for c in without_meetings(changed, 2030)]
