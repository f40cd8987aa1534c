"""The preview before a change is applied to the running year: the meetings that move, the running
rounds whose due date, reminders or target meeting change, the rounds opened, added or removed,
and the calendar entries that move, each computed here from the plans and the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from arshjul.calendar.config import ArshjulConfig, Meeting, MeetingDate
from arshjul.calendar.loader import load_config
from arshjul.calendar.meeting_plan import add_meetings, cancel_meeting, move_meeting
from arshjul.calendar.preview import preview_change
from arshjul.calendar.specs import round_specs
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.plans import slot_of
from arshjul.models.rounds import RoundSpec, RoundState
from arshjul.swedish import date_sv

from .conftest import EXAMPLES

D = dt.date
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
VF_MONTH = 6  # the variant's VF-lista is due ten working days before KSAU's June meeting
VF_DAYS = 10


def _opened_through(specs: list[RoundSpec], today: dt.date) -> dt.datetime | None:
    # The cycle has opened every round whose opening day has come.
    slots = [slot_of(s) for s in specs if s.opens <= today]
    return max(slots, default=None)


def _states(
    specs: list[RoundSpec], through: dt.datetime | None
) -> dict[str, tuple[RoundState, dt.date | None]]:
    return {
        s.workflow_id: (RoundState.OPEN, None)
        for s in specs
        if through is not None and slot_of(s) <= through
    }


def _free_day_after(config: ArshjulConfig, committee_id: str, day: dt.date) -> dt.date:
    # The next working day after `day` in its month with no meeting of the committee in between.
    wd = WorkingDays(config.working_days.non_working_eves)
    dates = config.committee(committee_id).dates
    candidate = wd.add(day, 1)
    later = [d for d in dates if d > day]
    assert candidate.month == day.month and (not later or candidate < later[0])
    return candidate


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_moving_a_target_meeting_names_every_round_aimed_at_it(path: Path) -> None:
    config = load_config(path)
    year = 2027
    specs = round_specs(config, year)
    # A round's target meeting, from the specs: the first step that names one.
    aimed = [
        (s, step)
        for s in specs
        if s.review is not None
        for step in s.review.steps()
        if step.target_meeting is not None and step.target_meeting.year == year
    ]
    if not aimed:
        _moving_a_reviewing_meeting_updates_rounds_silently(config, specs, year)
        return
    spec, step = aimed[0]
    committee, target = step.committee.id, step.target_meeting
    assert target is not None
    new = _free_day_after(config, committee, target)
    affected = {
        s.workflow_id
        for s, st in aimed
        if (st.committee.id, st.target_meeting) == (committee, target)
    }
    # The cycle is a day past the opening of the first of them.
    today = min(s.opens for s in specs if s.workflow_id in affected) + dt.timedelta(days=1)
    through = _opened_through(specs, today)
    edit = move_meeting(config, committee, target, new)

    preview = preview_change(
        config, edit.config, year, specs, through, D(year, 1, 1), today, _states(specs, through)
    )

    name = config.committee(committee).short_name or config.committee(committee).name
    assert [m.text_sv for m in preview.meetings][0].startswith(f"Sammanträde för {name} flyttat")
    changed = {r.workflow_id: r for r in preview.running + preview.rescheduled}
    assert affected <= set(changed)
    for wid in affected:
        (t,) = [t for t in changed[wid].targets if t.committee_id == committee]
        assert (t.before, t.after) == (target, new)
    running = {r.workflow_id for r in preview.running}
    opened_ids = {s.workflow_id for s in specs if slot_of(s) <= through}  # type: ignore[operator]
    assert running & affected == opened_ids & affected
    assert running & affected, "no round aimed at the meeting is running"
    # The meeting's own calendar entry moves (the same UID: its nth meeting of the month).
    org = config.organisation.id
    uid = f"meeting/{committee}/{target:%Y-%m}/"
    (entry,) = [e for e in preview.entries if e.uid.startswith(uid) and e.kind == "meeting"]
    assert entry.uid.endswith(f"@{org}.arshjul")
    assert entry.before is not None and entry.before.startswith(target.isoformat())
    assert entry.after is not None and entry.after.startswith(new.isoformat())
    assert preview.removed == [] and preview.added == [] and preview.open_now == []
    assert preview.new_specs == round_specs(edit.config, year)


def _moving_a_reviewing_meeting_updates_rounds_silently(
    config: ArshjulConfig, specs: list[RoundSpec], year: int
) -> None:
    # Rounds without a target meeting (the tertial example) go to the next meeting they reach:
    # they get the new meeting list, and nothing changes that the preview would list.
    reviewed = [s for s in specs if s.review is not None]
    assert reviewed and all(
        step.target_meeting is None
        for s in reviewed
        for step in s.review.steps()  # type: ignore[union-attr]
    )
    spec = reviewed[0]
    committee = spec.review.steps()[0].committee.id  # type: ignore[union-attr]
    meeting = next(d for d in config.committee(committee).dates if d > spec.due)
    edit = move_meeting(config, committee, meeting, _free_day_after(config, committee, meeting))
    today = spec.opens + dt.timedelta(days=1)
    through = _opened_through(specs, today)
    preview = preview_change(
        config, edit.config, year, specs, through, D(year, 1, 1), today, _states(specs, through)
    )
    assert preview.running == [] and preview.running_updated > 0
    assert len(preview.meetings) == 1
    assert [e.kind for e in preview.entries] == ["meeting"]


def _due_from_ksau(config: ArshjulConfig) -> ArshjulConfig:
    # The VF-lista due ten working days before KSAU's first June meeting.
    rule = MeetingDate(meeting="ksau", month=VF_MONTH, working_days_before=VF_DAYS)
    reports = [
        r.model_copy(update={"due": rule}) if r.id == "vf-lista" else r for r in config.reports
    ]
    return config.model_copy(update={"reports": reports})


@pytest.fixture
def variant(hedemora: ArshjulConfig) -> ArshjulConfig:
    return _due_from_ksau(hedemora)


def test_moving_ksau_moves_the_due_date_and_reminders_of_running_rounds(
    variant: ArshjulConfig,
) -> None:
    year = 2027
    wd = WorkingDays()
    ksau = variant.committee("ksau")
    june = next(d for d in ksau.dates if (d.year, d.month) == (year, VF_MONTH))
    moved_to = june + dt.timedelta(days=7)
    specs = round_specs(variant, year)
    vf = [s for s in specs if s.report_id == "vf-lista"]
    assert vf and all(s.due == wd.add(june, -VF_DAYS) for s in vf)
    today = vf[0].opens + dt.timedelta(days=1)
    through = _opened_through(specs, today)
    states = _states(specs, through)
    handed_in = vf[1].workflow_id
    states[handed_in] = (RoundState.SUBMITTED, None)
    edit = move_meeting(variant, "ksau", june, moved_to)

    preview = preview_change(
        variant, edit.config, year, specs, through, D(year, 1, 1), today, states
    )

    new_due = wd.add(moved_to, -VF_DAYS)
    old_due = wd.add(june, -VF_DAYS)
    by_id = {r.workflow_id: r for r in preview.running}
    assert {s.workflow_id for s in vf} <= set(by_id)
    for s in vf:
        r = by_id[s.workflow_id]
        assert (r.due_before, r.due_after) == (old_due, new_due)
        # Reminders 5 and 1 working days before the due date, still to come.
        expected = sorted(wd.add(new_due, -n) for n in s.reminders_working_days_before_due)
        assert r.reminders_after == [d for d in expected if d > s.opens and d >= today]
    assert by_id[handed_in].takes_due is False
    assert by_id[handed_in].text_sv.endswith("(gäller inte: rundan är inlämnad)")
    first = by_id[vf[0].workflow_id]
    assert first.takes_due is True
    assert first.text_sv.startswith(
        f"Kostnad för befintlig verksamhet och VF-lista april {year} – {vf[0].unit_name}: "
        f"sista dag {date_sv(old_due)} → {date_sv(new_due)}; påminnelser "
    )
    # The grouped deadline in the shared calendar moves with them.
    org = variant.organisation.id
    due = [e for e in preview.entries if e.uid == f"due/vf-lista/{year}-04@{org}.arshjul"]
    assert [(e.before, e.after) for e in due] == [(old_due.isoformat(), new_due.isoformat())]
    assert "pågående rundor ändras" in preview.summary_sv()


def test_a_plan_added_late_opens_its_rounds_now(variant: ArshjulConfig) -> None:
    # 2029 has no KSAU meetings: the VF-lista period is left out of the plan until they are in.
    year = 2029
    specs = round_specs(variant, year, [])
    assert not [s for s in specs if s.report_id == "vf-lista"]
    wd = WorkingDays()
    june = wd.next_or_same(D(year, 6, 5))
    may = wd.next_or_same(D(year, 5, 15))
    edit = add_meetings(variant, "ksau", [Meeting(date=may), Meeting(date=june)])
    today = D(year, 5, 8)  # after the VF-lista's opening day (1 working day after April)
    through = _opened_through(specs, today) or dt.datetime(year, 5, 8, 6, tzinfo=dt.UTC)

    preview = preview_change(variant, edit.config, year, specs, through, D(year, 1, 1), today, {})

    vf = [r for r in preview.open_now if r.report_id == "vf-lista"]
    units = variant.report("vf-lista").submitters.units
    assert isinstance(units, list) and {r.unit_id for r in vf} == set(units)
    assert all(r.due_after == wd.add(june, -VF_DAYS) for r in vf)
    assert vf[0].text_sv.startswith("Öppnas nu: Kostnad för befintlig verksamhet och VF-lista")
    assert {m.after.date for m in preview.meetings if m.after} == {may, june}
    # Before the round's opening day the same change adds the rounds for later instead.
    early = preview_change(
        variant, edit.config, year, specs, None, D(year, 1, 1), D(year, 1, 2), {}
    )
    assert {r.unit_id for r in early.added if r.report_id == "vf-lista"} == set(units)
    assert not early.open_now


def test_cancelling_the_meeting_removes_planned_rounds_and_keeps_running_ones(
    variant: ArshjulConfig,
) -> None:
    year = 2027
    june = next(d for d in variant.committee("ksau").dates if (d.year, d.month) == (year, VF_MONTH))
    edit = cancel_meeting(variant, "ksau", june)
    specs = round_specs(variant, year)
    vf = {s.workflow_id for s in specs if s.report_id == "vf-lista"}
    # Not opened yet: removed from the plan, and the preview says why.
    planned = preview_change(
        variant, edit.config, year, specs, None, D(year, 1, 1), D(year, 1, 2), {}
    )
    assert {r.workflow_id for r in planned.removed} == vf
    assert planned.skipped_sv == [
        "Utelämnas ur planen tills sammanträdet finns: Kommunstyrelsens arbetsutskott (KSAU) har "
        f"inget sammanträde i juni {year} i konfigurationen."
    ]
    assert planned.removed[0].text_sv.startswith("Tas bort: Kostnad för befintlig verksamhet")
    # Opened: the rounds go on, as the cycle leaves them, and the preview says so.
    today = min(s.opens for s in specs if s.workflow_id in vf) + dt.timedelta(days=1)
    through = _opened_through(specs, today)
    running = preview_change(
        variant, edit.config, year, specs, through, D(year, 1, 1), today, _states(specs, through)
    )
    assert {r.workflow_id for r in running.kept} == vf
    assert running.removed == []
    assert running.kept[0].text_sv.startswith("Finns inte längre i planen men fortsätter: ")


def test_round_states_decide_what_a_running_round_takes(hedemora: ArshjulConfig) -> None:
    # The delårsrapport's KS step targets KS's first October meeting; cancelled, the target is
    # the second, and a round on the agenda of the cancelled one is placed again.
    year = 2027
    ks = hedemora.committee("ks")
    first, second = [d for d in ks.dates if (d.year, d.month) == (year, 10)]
    specs = round_specs(hedemora, year)
    delar = [s for s in specs if s.report_id == "delarsrapport"]
    today = first - dt.timedelta(days=3)
    through = _opened_through(specs, today)
    states = _states(specs, through)
    on_agenda, closed = delar[0].workflow_id, delar[1].workflow_id
    states[on_agenda] = (RoundState.ON_AGENDA, first)
    states[closed] = (RoundState.APPROVED, None)
    edit = cancel_meeting(hedemora, "ks", first)

    preview = preview_change(
        hedemora, edit.config, year, specs, through, D(year, 1, 1), today, states
    )

    by_id = {r.workflow_id: r for r in preview.running}
    assert by_id[on_agenda].meeting_gone == first
    # Placed again as the round places itself: its target, KS's first October meeting, is now
    # the second one, still open for the agenda.
    assert by_id[on_agenda].meeting_after == second
    assert by_id[on_agenda].text_sv.endswith(
        f"står på föredragningslistan för sammanträdet {date_sv(first)}, som inte längre finns: "
        f"sätts upp på Kommunstyrelsen (KS) {date_sv(second)}"
    )
    assert [(t.committee_id, t.before, t.after) for t in by_id[on_agenda].targets] == [
        ("ks", first, second)
    ]
    assert [r.workflow_id for r in preview.closed] == [closed]
    assert preview.closed[0].text_sv.endswith("avslutad (godkänd), ändras inte")
    assert closed not in by_id
    assert preview.sentences_sv()[0] == f"Sammanträde inställt för KS: {first.day} oktober {year}"


def test_a_change_outside_the_year_shows_nothing(hedemora: ArshjulConfig) -> None:
    year = 2026
    edit = add_meetings(hedemora, "kf", [Meeting(date=D(2029, 2, 13))])
    specs = round_specs(hedemora, year)
    preview = preview_change(
        hedemora, edit.config, year, specs, None, D(year, 1, 1), D(year, 1, 2), {}
    )
    assert preview.empty
    assert preview.meetings == []
    assert preview.summary_sv() == f"Ändringen påverkar inget i {year}."


def test_next_years_plan_places_the_rounds_waiting_for_a_meeting(hedemora: ArshjulConfig) -> None:
    # December 2028: KSAU's last meeting of the plan is too close for the October report, which
    # waits for a meeting; 2029's plan gives it the first KSAU meeting it can reach.
    year = 2028
    ksau = hedemora.committee("ksau")
    today = D(year, 12, 10)
    min_days = hedemora.report("manadsrapport").review.min_days_before_meeting  # type: ignore[union-attr]
    assert not [d for d in ksau.dates if d >= today + dt.timedelta(days=min_days)]
    specs = round_specs(hedemora, year)
    waiting = next(s for s in specs if s.report_id == "manadsrapport" and s.period == f"{year}-10")
    through = _opened_through(specs, today)
    states = _states(specs, through)
    states[waiting.workflow_id] = (RoundState.AWAITING_MEETING, None)
    january = [D(2029, 1, 9), D(2029, 1, 16), D(2029, 1, 30)]
    edit = add_meetings(hedemora, "ksau", [Meeting(date=d) for d in january])

    preview = preview_change(
        hedemora, edit.config, year, specs, through, D(year, 1, 1), today, states
    )

    first = next(d for d in january if d >= today + dt.timedelta(days=min_days))
    (found,) = [r for r in preview.running if r.workflow_id == waiting.workflow_id]
    assert found.meeting_after == first
    assert found.text_sv.endswith(
        f"väntar på ett sammanträde: sätts upp på {ksau.name} {date_sv(first)}"
    )
    # The others only get the new meeting list: nothing to list for them.
    assert len(preview.running) == 1 and preview.running_updated > 0
    assert preview.meetings == []  # no meeting of 2028 changes
