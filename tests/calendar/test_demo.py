"""The demonstration rounds: marked as such, due on working days, the first walking the longest
chain the configuration has, its meetings on a working day in the chain's order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from arshjul.calendar.demo import DEMO_PLACE, demo_round, demo_rounds, open_real_rounds
from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.instants import send_instant
from arshjul.settings import BUNDLED_CONFIG
from arshjul.web.overview.rows import RISK_WORKING_DAYS
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


# Any start date must give a demo to walk: a Wednesday no meeting plan reaches, a Sunday, the
# Thursday before Långfredag and before midsommarafton, julafton, nyårsafton before trettondedagen.
START_DATES = [
    dt.date(2029, 7, 18),
    dt.date(2026, 12, 6),
    dt.date(2027, 3, 25),
    dt.date(2027, 6, 24),
    dt.date(2026, 12, 24),
    dt.date(2026, 12, 31),
]
# The longest chain each example gives its first unit (the delårsrapport's, T2's).
CHAINS = {
    "hedemora": ["ksau", "ks", "kf"],
    "tertial": ["ks", "kf"],
    "namndkommun": ["socialnamnd", "ksau", "ks", "kf"],
}


@pytest.mark.parametrize("start", START_DATES)
@pytest.mark.parametrize("example", sorted(CHAINS))
def test_the_demo_walks_the_whole_chain_on_its_first_working_day(
    example: str, start: dt.date
) -> None:
    config = load_config(EXAMPLES / f"{example}.yaml")
    wd = WorkingDays(config.working_days.non_working_eves)
    spec = demo_round(config, start)
    assert spec.review is not None and spec.review.chain is not None
    assert [s.committee.id for s in spec.review.chain] == CHAINS[example]
    # The demonstration meetings: on the first working day from the start, a later step later.
    day = start
    while not wd.is_working_day(day):
        day += dt.timedelta(days=1)
    times = []
    for step in spec.review.chain:
        info = step.committee.meeting_info(day)
        assert day in step.committee.meetings
        assert info.place == DEMO_PLACE and info.time is not None
        times.append(info.time)
        # No demonstration meeting on the days before it, when nobody works.
        assert not {d for d in step.committee.meetings if start <= d < day}
    assert times == sorted(times) and len(set(times)) == len(times)
    for committee in spec.review.committees().values():
        assert wd.is_working_day(committee.meeting_info(day).date)
    assert all(
        s.min_days_before_meeting == 0 and s.target_meeting is None for s in spec.review.chain
    )


@pytest.mark.parametrize("start", START_DATES)
@pytest.mark.parametrize("example", sorted(CHAINS))
def test_the_demo_leaves_a_round_waiting_and_one_at_risk(example: str, start: dt.date) -> None:
    config = load_config(EXAMPLES / f"{example}.yaml")
    wd = WorkingDays(config.working_days.non_working_eves)
    specs = demo_rounds(config, start)
    assert specs[0] == demo_round(config, start)  # the one to walk comes first
    assert len({s.workflow_id for s in specs}) == len(specs)
    assert all(s.demo and s.opens == start and wd.is_working_day(s.due) for s in specs)
    first_day = wd.next_or_same(start)
    horizon = wd.add(first_day, RISK_WORKING_DAYS)
    # At risk on the overview (due within its horizon, not yet late): the bulk reminder.
    at_risk = [s for s in specs[1:] if first_day <= s.due <= horizon]
    # Waiting beyond the horizon: an extension or a new link can be tried on it.
    waiting = [s for s in specs[1:] if s.due > horizon]
    assert at_risk and waiting
    # Each goes to a unit of its own and is reviewed by its own unit's chain.
    assert len({s.unit_id for s in specs}) == len(specs)
    for s in specs:
        assert s.review is not None and s.review.chain is not None
        assert len(s.review.chain) == len(CHAINS[example])
        assert all(first_day in step.committee.meetings for step in s.review.chain)


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_demo_logins(example: str) -> tuple[dict[str, str], set[str]]:
    """Returns what the README's table of examples names for one example's demo: each committee
    label's secretary ("KS and KF: `x` (secretary)"), and every address it names."""
    row = next(
        line
        for line in README.read_text().splitlines()
        if line.startswith(f"| `arshjul/calendar/examples/{example}.yaml`")
    )
    cell = row.rstrip(" |").rsplit("|", 1)[1]
    secretaries = {}
    for part in cell.split(". ")[0].split(";"):
        labels, _, people = part.partition(":")
        found = re.search(r"`([^`]+)` \(secretary\)", people)
        if found:
            for label in re.split(r", | and ", labels.strip()):
                secretaries[label] = found.group(1)
    return secretaries, set(re.findall(r"`([^`@]+@[^`]+)`", cell))


@pytest.mark.parametrize("example", sorted(CHAINS))
def test_the_readme_names_the_secretary_of_every_step_of_the_demo(example: str) -> None:
    config = load_config(EXAMPLES / f"{example}.yaml")
    secretaries, named = readme_demo_logins(example)
    spec = demo_round(config, dt.date(2026, 12, 7))
    assert spec.review is not None and spec.review.chain is not None
    steps = [config.committee(s.committee.id) for s in spec.review.chain]
    assert len(steps) == len(CHAINS[example])
    for committee in steps:
        assert committee.secretary is not None
        assert secretaries.get(committee.label) == str(committee.secretary.email), committee.id
    # The ekonomichef, who tries the extension and the bulk reminder on the other demo rounds.
    owners = next(r for r in config.roles if r.id == "ekonomichef").people
    assert {str(p.email) for p in owners} <= named
