"""Feeds: rounds' real deadlines laid over the plan, and a shared calendar's days kept readable."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from icalendar import Calendar

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year
from arshjul.calendar.feeds import LiveDeadline, for_role, grouped, with_rounds
from arshjul.calendar.ics import to_ics
from arshjul.models.rounds import deadline_uid

MOVED_AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _live(unit: str, due: dt.date, sequence: int, **extra: object) -> LiveDeadline:
    values: dict[str, object] = {
        "uid": deadline_uid("hedemora", "manadsrapport", "2026-02", unit),
        "due": due,
        "sequence": sequence,
        "modified": MOVED_AT if sequence else None,
        "report": "manadsrapport",
        "report_title": "Månadsrapport",
        "period": "2026-02",
        "unit": unit,
        "unit_name": unit,
    }
    values.update(extra)
    return LiveDeadline.model_validate(values)


def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence(hedemora: ArshjulConfig) -> None:
    planned = expand_year(hedemora, 2026, unit="sof")
    moved = _live("sof", dt.date(2026, 3, 27), 2)
    entries = with_rounds(hedemora, planned, {moved.uid: moved}, [2026])
    events = {
        str(e["UID"]): e
        for e in Calendar.from_ical(to_ics(entries, org_name="H", calendar_name="H")).walk("VEVENT")
    }
    event = events[moved.uid]
    assert event.decoded("DTSTART") == dt.date(2026, 3, 27)
    assert event.decoded("SEQUENCE") == 2
    assert event.decoded("LAST-MODIFIED") == MOVED_AT
    # The reminders move with it: 3 and 1 working days before Friday 27 March.
    moved_reminders = sorted(
        e.date
        for e in entries
        if e.kind == "reminder" and e.period == "2026-02" and e.report == "manadsrapport"
    )
    assert moved_reminders == [dt.date(2026, 3, 24), dt.date(2026, 3, 26)]
    alarms = [a.decoded("TRIGGER") for a in event.walk("VALARM")]
    # 08:00 on Tuesday 24 and Thursday 26 March, counted from the start of Friday 27 March.
    assert alarms == [-dt.timedelta(days=3) + dt.timedelta(hours=8), -dt.timedelta(hours=16)]
    assert "27 mars 2026" in str(event["DESCRIPTION"])
    assert any(e.kind == "reminder" and e.period == "2026-03" for e in entries)


def test_cancelled_rounds_leave_and_follow_ups_join(hedemora: ArshjulConfig) -> None:
    planned = expand_year(hedemora, 2026, unit="sof")
    cancelled = _live("sof", dt.date(2026, 3, 13), 1, cancelled=True)
    followup = _live(
        "sof",
        dt.date(2026, 4, 20),
        0,
        uid=deadline_uid("hedemora", "atgardsplan", "2026-02", "sof"),
        report="atgardsplan",
        report_title="Åtgärdsplan",
        unit_name="Socialförvaltningen",
    )
    entries = with_rounds(
        hedemora, planned, {cancelled.uid: cancelled, followup.uid: followup}, [2026]
    )
    uids = {e.uid for e in entries}
    assert cancelled.uid not in uids
    [added] = [e for e in entries if e.uid == followup.uid]
    assert added.title == "Sista dag: Åtgärdsplan (februari 2026) – Socialförvaltningen"


def test_a_shared_day_holds_few_events(hedemora: ArshjulConfig) -> None:
    entries = [e for e in expand_year(hedemora, 2026) if e.kind != "reminder"]
    before = Counter(e.date for e in entries).most_common(1)[0][1]
    after_entries = grouped(entries, "hedemora")
    after = Counter(e.date for e in after_entries).most_common(1)[0][1]
    assert before >= 10 and after <= 4
    uid = "due/manadsrapport/2026-02@hedemora.arshjul"
    [due] = [e for e in after_entries if e.uid == uid]
    assert due.title == "Sista dag: Månadsrapport (februari 2026) – 10 enheter"
    assert "Socialförvaltningen" in due.description and "Hedemora Energi AB" in due.description
    assert len({e.uid for e in after_entries}) == len(after_entries)


def test_a_role_and_a_committee_see_what_they_follow(hedemora: ArshjulConfig) -> None:
    entries = expand_year(hedemora, 2026)
    ksau = for_role(hedemora, entries, "ksau")
    assert {"meeting", "due"} <= {e.kind for e in ksau} <= {"meeting", "due", "milestone"}
    assert all(e.committee == "ksau" for e in ksau if e.kind == "meeting")
    hr = for_role(hedemora, entries, "hr-chef")
    owner = for_role(hedemora, entries, "ekonomichef")
    assert len(hr) < len(owner)
    assert {e.report for e in owner if e.report} >= {"manadsrapport", "delarsrapport"}
