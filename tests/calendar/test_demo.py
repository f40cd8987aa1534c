"""The demonstration round: marked as such, due two weeks later on a working day, only if needed."""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.demo import DEMO_PLACE, demo_round, open_real_rounds
from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.models.instants import send_instant
from arshjul.settings import BUNDLED_CONFIG
from tests.commands.test_calendar_cli import EXAMPLES

CONFIG = load_config(BUNDLED_CONFIG)


def test_demo_is_marked_and_due_two_weeks_later_on_a_working_day() -> None:
    spec = demo_round(CONFIG, dt.date(2026, 12, 11))  # + 14 days = 25 December (juldagen)
    assert spec.demo
    assert spec.report_title.startswith("Demonstration")
    assert spec.due == dt.date(2026, 12, 23)  # julafton is not worked: back to the 23rd
    assert spec.opens == dt.date(2026, 12, 11)
    assert spec.recipients[0].email == str(CONFIG.units[0].chef.email)
    assert spec.review is not None
    assert dt.date(2026, 12, 11) in spec.review.committee.meetings  # a meeting today
    assert spec.workflow_id.startswith("round/hedemora/demo-uppsiktsrapport/2026-11/")
    # The month that ended, named alike everywhere ("november 2026", "t.o.m. 30 november").
    assert (spec.period, spec.period_end) == ("2026-11", dt.date(2026, 11, 30))


def test_real_round_counts_as_open_only_once_its_request_went_out() -> None:
    specs = round_specs(CONFIG, 2026)
    first = min(specs, key=lambda s: s.opens)
    sent = send_instant(first.opens, first.send_time, first.timezone)  # 08:00 Stockholm
    minute = dt.timedelta(minutes=1)
    assert first not in open_real_rounds(specs, sent - minute)
    assert first in open_real_rounds(specs, sent + minute)
    after_due = dt.datetime.combine(first.due + dt.timedelta(days=1), dt.time(12), dt.UTC)
    assert first not in open_real_rounds(specs, after_due)
    assert open_real_rounds([demo_round(CONFIG, first.opens)], sent + minute) == []


@pytest.mark.parametrize(
    ("example", "committees"),
    [
        ("hedemora", ["ksau"]),  # the månadsrapport: KSAU (it may forward to KS)
        ("tertial", ["ks-utskott-hr"]),  # the uppsiktsrapport: the utskott decides
        ("namndkommun", ["socialnamnd"]),  # the first unit's own nämnd
    ],
)
def test_every_committee_of_the_demo_meets_today_marked_as_a_demonstration(
    example: str, committees: list[str]
) -> None:
    today = dt.date(2029, 7, 18)  # any date, even one no meeting plan reaches
    spec = demo_round(load_config(EXAMPLES / f"{example}.yaml"), today)
    assert spec.review is not None and spec.review.chain is not None
    assert [s.committee.id for s in spec.review.chain] == committees
    for committee in spec.review.committees().values():
        assert today in committee.meetings
        assert committee.meeting_info(today).place == DEMO_PLACE
    assert all(
        s.min_days_before_meeting == 0 and s.target_meeting is None for s in spec.review.chain
    )
