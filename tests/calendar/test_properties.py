"""Properties over random years and configurations: due dates and reminders land on working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.workdays import WorkingDays
from tests.calendar.conftest import SMALL

moves = st.sampled_from(["previous", "next"])
due_rules = st.one_of(
    st.builds(
        lambda n, m: {"working_days_after_period_end": n, "move": m}, st.integers(0, 40), moves
    ),
    st.builds(
        lambda mo, d, m: {"month": mo, "day": d, "move": m},
        st.integers(1, 12),
        st.integers(1, 28),
        moves,
    ),
    st.builds(lambda mo: {"last_working_day_of_month": mo}, st.integers(1, 12)),
    st.builds(
        lambda mo, n, m: {"before_end_of_month": mo, "working_days_before": n, "move": m},
        st.integers(1, 12),
        st.integers(0, 10),
        moves,
    ),
)
eves = st.lists(st.sampled_from(["julafton", "nyårsafton", "midsommarafton"]), unique=True)


def _config(
    due: dict[str, Any], months: list[int], reminders: list[int], eve_list: list[str]
) -> ArshjulConfig:
    data = {**SMALL, "working_days": {"non_working_eves": eve_list}}
    data["reports"] = [
        {
            **SMALL["reports"][0],
            "period_months": months,
            "due": due,
            "opens": {"working_days_after_period_end": 0},
            "reminders_working_days_before_due": reminders,
        }
    ]
    return ArshjulConfig.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(2000, 2090),
    due=due_rules,
    months=st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True),
    reminders=st.lists(st.integers(1, 10), max_size=3, unique=True),
    eve_list=eves,
)
def test_due_and_reminder_dates_are_working_days(
    year: int, due: dict, months: list[int], reminders: list[int], eve_list: list[str]
) -> None:
    config = _config(due, months, reminders, eve_list)
    wd = WorkingDays(eve_list)
    entries = expand_year(config, year)
    assert all(e.date.year == year for e in entries)
    for e in entries:
        if e.kind in ("due", "reminder"):
            assert wd.is_working_day(e.date), (e.kind, e.date)
    for spec in round_specs(config, year):
        assert spec.opens.year == year
        assert wd.is_working_day(spec.due)


@settings(max_examples=40, deadline=None)
@given(start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), n=st.integers(-30, 30))
def test_adding_working_days_counts_exactly_n(start: dt.date, n: int) -> None:
    wd = WorkingDays()
    end = wd.add(start, n)
    one = dt.timedelta(days=1)
    if n == 0:
        assert end == start
    elif n > 0:
        # Forward: the working days after `start` up to and including `end` are exactly n.
        assert wd.is_working_day(end)
        assert wd.count(start + one, end) == n
    else:
        # Backward: the working days from `end` up to the day before `start` are exactly -n.
        assert wd.is_working_day(end)
        assert wd.count(end, start - one) == -n
