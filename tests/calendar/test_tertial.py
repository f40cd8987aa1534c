"""The tertial example: T1 per 30 April, T2 = delår per 31 August, T3 = year end; uppsikt."""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.workdays import WorkingDays

D = dt.date


def test_tertial_periods_and_dates(tertial: ArshjulConfig) -> None:
    entries = expand_year(tertial, 2026, unit="bildning")
    rounds = {
        (e.period, e.kind): e.date
        for e in entries
        if e.report == "tertialrapport" and e.kind != "reminder"
    }
    assert rounds == {
        # T3 2025: 1 working day after Wed 31 Dec 2025 is Jan 2; its own due date (a per-period
        # override) is the last working day of January: Friday 30 January 2026.
        ("2025-12", "opens"): D(2026, 1, 2),
        ("2025-12", "due"): D(2026, 1, 30),
        # T1: after Thu 30 April (1 May): May 4; May 4-8, 11-13, (14 himmelfärd), 15, 18-20.
        ("2026-04", "opens"): D(2026, 5, 4),
        ("2026-04", "due"): D(2026, 5, 20),
        # T2 = delår: after Mon 31 Aug: Sep 1; Sep 1-4, 7-11, 14-16.
        ("2026-08", "opens"): D(2026, 9, 1),
        ("2026-08", "due"): D(2026, 9, 16),
    }
    assert not any(e.report == "uppsiktsrapport" for e in entries)  # bildning reports no uppsikt


def test_uppsiktsrapport_goes_to_a_ks_utskott_that_can_refer_to_ks(tertial: ArshjulConfig) -> None:
    specs = [s for s in round_specs(tertial, 2026) if s.report_id == "uppsiktsrapport"]
    assert {(s.period, s.unit_id) for s in specs} == {
        (p, u) for p in ("2026-04", "2026-10") for u in ("hr-kommunikation", "kommunforvaltningen")
    }
    spec = specs[0]
    assert spec.review is not None
    assert spec.review.committee.name == "Kommunstyrelsens utskott för HR och kommunikation"
    assert spec.review.refers_to is not None
    assert spec.review.refers_to.id == "ks"
    assert spec.send_time == dt.time(7, 30)
    assert spec.sections == ["goals", "activities"]


def test_every_meeting_of_both_examples_is_on_a_working_day(
    tertial: ArshjulConfig, hedemora: ArshjulConfig
) -> None:
    wd = WorkingDays()
    for config in (tertial, hedemora):
        for committee in config.committees:
            assert {d.year for d in committee.dates} == {2026, 2027, 2028}
            assert all(wd.is_working_day(d) for d in committee.dates), committee.id
