"""A generated municipality of any size, for simulating and benchmarking at scale.

N units each hand in a månadsrapport every month (12 rounds a unit and year), reviewed by an
arbetsutskott that may refer to the styrelse; three committees meet every other week.
"""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.workdays import WorkingDays
from arshjul.simulation.script import Script, Submission


def _fortnightly(first: dt.date, until: dt.date) -> list[dt.date]:
    # Every other week; a meeting that falls on a holiday moves to the next working day.
    wd = WorkingDays()
    days, day = [], first
    while day <= until:
        days.append(wd.next_or_same(day))
        day += dt.timedelta(days=14)
    return days


def generated_config(units: int, year: int, org_id: str = "genkommun") -> ArshjulConfig:
    """Returns a configuration with `units` units, 12 monthly reports each and three committees."""
    # Meetings through the next year too: December's rounds are decided in January.
    first_tuesday = dt.date(year, 1, 6) + dt.timedelta(days=(1 - dt.date(year, 1, 6).weekday()) % 7)
    end = dt.date(year + 1, 12, 31)
    person = {"name": "Eva Ekström", "email": "eva@example.org"}
    data = {
        "organisation": {"id": org_id, "name": f"Genererad kommun ({units} enheter)"},
        "units": [
            {
                "id": f"u{i:03d}",
                "name": f"Enhet {i}",
                "chef": {"name": f"Chef {i}", "email": f"chef{i}@example.org"},
            }
            for i in range(1, units + 1)
        ],
        "roles": [{"id": "ekonomichef", "title": "Ekonomichef", "people": [person]}],
        "committees": [
            {
                "id": "au",
                "name": "Arbetsutskottet",
                "refers_to": "styrelse",
                "meetings": _fortnightly(first_tuesday, end),
            },
            {
                "id": "styrelse",
                "name": "Styrelsen",
                "meetings": _fortnightly(first_tuesday + dt.timedelta(days=7), end),
            },
            {
                "id": "fullmakt",
                "name": "Fullmäktige",
                "meetings": _fortnightly(first_tuesday + dt.timedelta(days=8), end),
            },
        ],
        "reports": [
            {
                "id": "manadsrapport",
                "title": "Månadsrapport",
                "sections": ["economic"],
                "submitters": {"units": "all"},
                "period_months": list(range(1, 13)),
                "opens": {"working_days_after_period_end": 3},
                "due": {"working_days_after_period_end": 10},
                "reminders_working_days_before_due": [3, 1],
                "escalation": {"after_working_days": 2, "to_roles": ["ekonomichef"]},
                "review": {"committee": "au", "min_days_before_meeting": 7},
                "followup": {"report": "atgardsplan", "deviation_threshold_tkr": 500},
            },
            {
                "id": "atgardsplan",
                "title": "Åtgärdsplan",
                "sections": ["economic", "activities"],
                "submitters": {"units": "all"},
                "opens": {"working_days_after_period_end": 0},
                "due": {"working_days_after_period_end": 20},
                "review": {"committee": "au", "min_days_before_meeting": 7},
            },
        ],
    }
    return ArshjulConfig.model_validate(data)


def generated_script(units: int, late_every: int = 3) -> Script:
    """Every `late_every`-th unit hands in four working days late; the rest on time, approved."""
    late = range(1, units + 1, late_every) if late_every else range(0)
    return Script(submissions=[Submission(unit=f"u{i:03d}", working_days_from_due=4) for i in late])
