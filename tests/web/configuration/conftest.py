"""Fixtures for the ekonomichef's settings: a running year whose cycle opened a reviewed round
for one unit, that round submitted and on its committee's agenda, and helpers that read the
preview page's hidden proposal like a browser sends it."""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import RoundSpec, RoundState, RoundStatus
from arshjul.runtime.bootstrap import start_cycle
from arshjul.store.plans import SqlPlans
from tests.web.conftest import ON_BUDGET, WebRig, body_of, csrf_of, today

EXAMPLES = Path(__file__).parents[3] / "arshjul" / "calendar" / "examples"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass(frozen=True)
class Opened:
    """The round the tests follow: the test configuration, its spec and the unit's chef."""

    config: ArshjulConfig
    spec: RoundSpec
    committee_id: str
    chef: str
    due_meeting: dt.date | None = None  # the meeting the round's due date counts from


def owner_of(config: ArshjulConfig) -> str:
    """Returns the address of the configuration's ekonomichef."""
    role = next(r for r in config.roles if r.id == "ekonomichef")
    return str(role.people[0].email)


def _period_end(day: dt.date) -> dt.date:
    # The end of a month whose round opened a week or more ago (whatever today is).
    first = day.replace(day=1) - dt.timedelta(days=1)
    if day.day < 8:
        first = first.replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def with_open_round(config: ArshjulConfig, on: dt.date) -> tuple[ArshjulConfig, str, str]:
    """The configuration with its first reviewed report asked of one unit for a month that ended
    lately, open since then and due in a week (an economic report, so the unit can answer it).

    Meetings, committees, units and chains stay the example's: only the report's period, dates
    and sections are the test's, so a round is running on any day the tests run.
    """
    wd = WorkingDays(config.working_days.non_working_eves)
    end = _period_end(on)
    due_after = next(n for n in range(1, 200) if wd.add(end, n) >= on + dt.timedelta(days=7))
    data = config.model_dump(mode="json", exclude_defaults=True)
    index = next(i for i, r in enumerate(config.reports) if r.review is not None)
    report = data["reports"][index]
    unit = config.units[0].id
    report.update(
        period_months=[end.month],
        opens={"working_days_after_period_end": 1},
        due={"working_days_after_period_end": due_after},
        sections=["economic"],
        submitters={"units": [unit]},
        period_overrides=[],
    )
    report.pop("legal", None)
    review = report["review"]
    # A chain's later steps aim at meetings of set months; the test's period reaches the next.
    for step in review.get("chain", []):
        if isinstance(step, dict):
            step.pop("meeting", None)
    return ArshjulConfig.model_validate(data), config.reports[index].id, unit


def _edge_meeting(dates: list[dt.date], after: dt.date) -> tuple[dt.date, str]:
    # The first meeting from `after` that is the first or the last of its month (a rule names
    # it so), with the word that picks it.
    for day in (d for d in dates if d >= after):
        month = [d for d in dates if (d.year, d.month) == (day.year, day.month)]
        if day == month[0]:
            return day, "first"
        if day == month[-1]:
            return day, "last"
    raise AssertionError(f"no meeting after {after}")


def with_due_from_meeting(config: ArshjulConfig, on: dt.date) -> tuple[ArshjulConfig, dt.date]:
    """`with_open_round`, but the round is due a few days before a meeting of its reviewing
    committee ("två dagar före KSAU:s första sammanträde i januari"): moving that meeting moves
    the running round's due date. Returns the configuration and that meeting."""
    changed, report_id, unit_id = with_open_round(config, on)
    end = _period_end(on)
    spec = next(
        s
        for s in round_specs(changed, end.year)
        if (s.report_id, s.unit_id) == (report_id, unit_id)
    )
    assert spec.review is not None
    committee_id, before = spec.review.committee.id, spec.review.min_days_before_meeting + 2
    meeting, which = _edge_meeting(
        changed.committee(committee_id).dates, on + dt.timedelta(days=before + 5)
    )
    data = changed.model_dump(mode="json", exclude_defaults=True)
    index = next(i for i, r in enumerate(changed.reports) if r.id == report_id)
    data["reports"][index]["due"] = {
        "meeting": committee_id,
        "months_after_period": (meeting.year - end.year) * 12 + meeting.month - end.month,
        "which": which,
        "days_before": before,
    }
    return ArshjulConfig.model_validate(data), meeting


def pick(config: ArshjulConfig, on: dt.date, *, due_from_meeting: bool = False) -> Opened:
    """The test configuration of `config` and the round of it the tests follow (due a few days
    before a meeting with `due_from_meeting`)."""
    changed, report_id, unit_id = with_open_round(config, on)
    meeting = None
    if due_from_meeting:
        changed, meeting = with_due_from_meeting(config, on)
    end = _period_end(on)
    spec = next(
        s
        for s in round_specs(changed, end.year)
        if (s.report_id, s.unit_id, s.period) == (report_id, unit_id, f"{end:%Y-%m}")
    )
    assert spec.review is not None
    chef = next(u.chef.email for u in changed.units if u.id == unit_id)
    return Opened(changed, spec, spec.review.committee.id, str(chef), meeting)


def load_example(name: str) -> ArshjulConfig:
    """Returns a bundled example's configuration."""
    return load_config(EXAMPLES / f"{name}.yaml")


async def start_year(rig: WebRig, opened: Opened) -> None:
    """Starts the year's cycle as `up` does (its plan stored, today's rounds opened)."""
    year = opened.spec.period_end.year
    specs = round_specs(opened.config, year)
    plans = SqlPlans(rig.sessions)
    assert await start_cycle(rig.client, opened.config, specs, today(), rig.task_queue, plans, year)


async def round_link(rig: WebRig, opened: Opened) -> str:
    """Returns the path of the link in the round's request mail (the chef may get others)."""
    base = rig.settings.base_url
    for _ in range(400):
        for message in rig.sink.messages:
            text = body_of(message)
            if opened.chef in str(message["To"]) and opened.spec.report_title in text:
                found = re.search(rf"{re.escape(base)}(/s/[A-Za-z0-9_\-]+)", text)
                if found:
                    return found.group(1)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no request mail for {opened.spec.workflow_id}")


async def submit(rig: WebRig, opened: Opened) -> RoundStatus:
    """The unit's chef follows the request mail and hands the report in; returns the round on
    its committee's agenda."""
    link = await round_link(rig, opened)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=rig.app), base_url=rig.settings.base_url
    ) as chef:
        form = await chef.get(link)
        sent = await chef.post(link, data={"csrf": csrf_of(form.text), **ON_BUDGET})
        assert sent.status_code == 303, sent.text
    return await rig.wait_for_state(
        opened.spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA and s.meeting
    )


def next_free_day(config: ArshjulConfig, committee_id: str, day: dt.date) -> dt.date:
    """Returns the first working day after `day` on which the committee has no meeting."""
    wd = WorkingDays(config.working_days.non_working_eves)
    taken = set(config.committee(committee_id).dates)
    found = day + dt.timedelta(days=1)
    while not wd.is_working_day(found) or found in taken:
        found += dt.timedelta(days=1)
    return found


def hidden_form(page: str, form_id: str = "confirm") -> dict[str, str]:
    """Returns the hidden fields of a form on the page, as the browser would send them."""
    part = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(part)}


def refusal(page: str) -> str:
    """Returns the text of the page's error summary (tags dropped, spaces collapsed)."""
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert found, "no error summary on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def text_of(page: str) -> str:
    """Returns the page's main text (tags dropped, spaces collapsed)."""
    main = page.split('<main id="main"', 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def plan_like(config: ArshjulConfig, year: int) -> list[tuple[str, dt.date]]:
    """Every committee's meetings of `year` as a real plan would have them: the latest planned
    year's, each on the same weekday of the same month, on a working day (committee label, day)."""
    wd = WorkingDays(config.working_days.non_working_eves)
    planned = []
    for c in config.committees:
        last = max(d.year for d in c.dates)
        taken: set[dt.date] = set()
        for d in (d for d in c.dates if d.year == last):
            # The nearest day of the same weekday, within the month.
            base = dt.date(year, d.month, min(d.day, 28))
            delta = (d.weekday() - base.weekday()) % 7
            day = base + dt.timedelta(days=delta - 7 if delta > 3 else delta)
            if day.month != d.month:
                day += dt.timedelta(days=7 if day < base else -7)
            while not wd.is_working_day(day) or day in taken:
                day += dt.timedelta(days=1)
            taken.add(day)
            planned.append((c.label, day))
    return planned


def plan_csv(config: ArshjulConfig, year: int) -> str:
    """The plan of `plan_like` as the CSV Excel saves (semicolons, a header row)."""
    rows = ["organ;datum;tid;plats"]
    rows += [
        f"{label};{day.isoformat()};13:00;Stadshuset" for label, day in plan_like(config, year)
    ]
    return "\n".join(rows) + "\n"
