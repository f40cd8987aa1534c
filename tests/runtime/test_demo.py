"""The demonstration round: marked as such, due two weeks later on a working day, only if needed."""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.calendar.schedule import send_instant
from arshjul.runtime.demo import demo_round, open_real_rounds
from arshjul.settings import BUNDLED_CONFIG

CONFIG = load_config(BUNDLED_CONFIG)


def test_demo_is_marked_and_due_two_weeks_later_on_a_working_day() -> None:
    spec = demo_round(CONFIG, dt.date(2026, 12, 11))  # + 14 days = 25 December (juldagen)
    assert spec.demo
    assert spec.report_title.startswith("Demonstration")
    assert spec.due == dt.date(2026, 12, 23)  # julafton is not worked: back to the 23rd
    assert spec.opens == dt.date(2026, 12, 11)
    assert spec.recipients[0].email == str(CONFIG.units[0].chef.email)
    assert spec.review is not None
    assert all(m > spec.due for m in spec.review.committee.meetings[-1:])
    assert spec.workflow_id.startswith("round/hedemora/demo-uppsiktsrapport/2026-12/")


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
