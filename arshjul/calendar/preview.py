"""What applying a changed configuration to a running year would do, before anything is saved.

The new configuration's plan for the year is compared with the stored one as the cycle compares
them when it applies a plan (`arshjul.plans.diff_plans`): running rounds are told of their new
due date, reminders and target meetings; rounds not yet opened get new dates, are added or
removed; rounds the cycle has passed open at once. On top, the preview says which meetings move
and which calendar entries (the shared feed, by UID) start at another time.

Pure: the page passes the stored plan, the cycle's position and the rounds' states.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, Field

from arshjul.calendar.chains import place
from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.config_diff import MeetingChange, meeting_changes
from arshjul.calendar.dates import period_sv
from arshjul.calendar.expand import CalendarEntry, EntryKind
from arshjul.calendar.feeds import LiveDeadline, calendar_entries, entry_start
from arshjul.calendar.rules import MissingMeeting
from arshjul.calendar.schedule import reminder_days
from arshjul.calendar.specs import round_specs
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import CLOSED_STATES, RoundSpec, RoundState
from arshjul.models.status import PREDICATES
from arshjul.plans import diff_plans, opened
from arshjul.swedish import MONTHS_SV, clock_sv, date_sv

RoundStates = Mapping[str, tuple[RoundState, dt.date | None]]
# A round takes a new configured due date only while it waits for its unit (as the round does).
_TAKES_DUE = (RoundState.OPEN, RoundState.REMITTED)
_NAMES = {"report_id", "report_title", "period", "unit_id", "unit_name"}  # as the spec has them


class TargetChange(BaseModel):
    """A step of a round's review whose target meeting changes."""

    committee_id: str
    committee_name: str
    before: dt.date | None  # None: the next meeting the round can reach
    after: dt.date | None


class RoundChange(BaseModel):
    """One round the change touches, with its dates before and after."""

    workflow_id: str
    report_id: str
    report_title: str
    period: str  # YYYY-MM
    unit_id: str
    unit_name: str
    state: RoundState | None = None  # the running round's state (None: not started)
    opens_before: dt.date | None = None
    opens_after: dt.date | None = None
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    # Reminders still to come (after today and after the opening day), before and after.
    reminders_before: list[dt.date] = Field(default_factory=list)
    reminders_after: list[dt.date] = Field(default_factory=list)
    targets: list[TargetChange] = Field(default_factory=list)  # only the steps that change
    # False when the round keeps its due date: handed in already, or closed.
    takes_due: bool = True
    # The meeting the round is on the agenda of, when that meeting is no longer planned.
    meeting_gone: dt.date | None = None
    # Where a round placed again (its meeting gone) or waiting for a meeting goes now.
    meeting_after: dt.date | None = None
    text_sv: str


class EntryChange(BaseModel):
    """A calendar entry (shared feed, by UID) that starts at another time, is added or removed."""

    uid: str
    kind: EntryKind
    title: str
    before: str | None  # DTSTART as ISO text (a date, or a local date and time); None: added
    after: str | None  # None: removed
    text_sv: str


class PlanPreview(BaseModel):
    """What applying the new configuration to one year would do, for the page to show."""

    year: int
    meetings: list[MeetingChange] = Field(default_factory=list)  # meetings of the year
    running: list[RoundChange] = Field(default_factory=list)  # told: due, reminders, targets
    running_updated: int = 0  # running rounds that only get the new meeting lists
    closed: list[RoundChange] = Field(default_factory=list)  # closed: keep their history
    open_now: list[RoundChange] = Field(default_factory=list)  # added or moved into the past
    rescheduled: list[RoundChange] = Field(default_factory=list)  # not opened yet: new dates
    added: list[RoundChange] = Field(default_factory=list)  # new, opened when their day comes
    removed: list[RoundChange] = Field(default_factory=list)  # not opened yet, no longer planned
    kept: list[RoundChange] = Field(default_factory=list)  # running, no longer planned: go on
    entries: list[EntryChange] = Field(default_factory=list)
    # Periods the new plan leaves out because a meeting they count from is missing.
    skipped_sv: list[str] = Field(default_factory=list)
    new_specs: list[RoundSpec] = Field(default_factory=list)  # the plan the cycle would store

    @property
    def empty(self) -> bool:
        """Tells whether applying would change nothing anyone sees."""
        lists = (self.meetings, self.running, self.open_now, self.rescheduled, self.added)
        return not any(lists) and not (self.removed or self.kept or self.entries)

    def summary_sv(self) -> str:
        """Sums the preview up in one Swedish sentence."""
        if self.empty and not self.running_updated:
            return f"Ändringen påverkar inget i {self.year}."
        parts = [
            (len(self.meetings), "ändrat sammanträde", "ändrade sammanträden"),
            (len(self.running), "pågående runda ändras", "pågående rundor ändras"),
            (len(self.open_now), "runda öppnas nu", "rundor öppnas nu"),
            (
                len(self.rescheduled),
                "planerad runda får nya datum",
                "planerade rundor får nya datum",
            ),
            (len(self.added), "ny runda", "nya rundor"),
            (len(self.removed), "planerad runda tas bort", "planerade rundor tas bort"),
            (len(self.entries), "kalenderhändelse ändras", "kalenderhändelser ändras"),
        ]
        said = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
        return f"{self.year}: " + (", ".join(said) if said else "inga synliga ändringar") + "."

    def sentences_sv(self) -> list[str]:
        """Returns every line of the preview in Swedish, in the order a page lists them."""
        lines = [m.text_sv for m in self.meetings]
        for group in (self.running, self.closed, self.open_now, self.rescheduled, self.added):
            lines += [r.text_sv for r in group]
        lines += [r.text_sv for r in self.removed + self.kept]
        lines += [e.text_sv for e in self.entries]
        return lines + self.skipped_sv


def _name(spec: RoundSpec) -> str:
    return f"{spec.report_title} {period_sv(spec.period_end)} – {spec.unit_name}"


def _reminders(spec: RoundSpec, today: dt.date) -> list[dt.date]:
    # The reminders still to be sent, as the round counts them (after its opening day).
    wd = WorkingDays(spec.non_working_eves)
    days = reminder_days(spec.due, spec.reminders_working_days_before_due, wd)
    return [d for d in days if d > spec.opens and d >= today]


def _targets(spec: RoundSpec) -> dict[str, tuple[str, dt.date | None]]:
    if spec.review is None:
        return {}
    return {s.committee.id: (s.committee.name, s.target_meeting) for s in spec.review.steps()}


def _meetings(spec: RoundSpec) -> set[dt.date]:
    if spec.review is None:
        return set()
    return {d for c in spec.review.committees().values() for d in c.meetings}


def _target_changes(was: RoundSpec, now: RoundSpec) -> list[TargetChange]:
    old = _targets(was)
    return [
        TargetChange(
            committee_id=cid,
            committee_name=name,
            before=old[cid][1] if cid in old else None,
            after=target,
        )
        for cid, (name, target) in _targets(now).items()
        if (old[cid][1] if cid in old else None) != target
    ]


def _targets_sv(changes: list[TargetChange]) -> list[str]:
    return [
        f"målsammanträde hos {t.committee_name} {_short(t.before)} → {_short(t.after)}"
        for t in changes
    ]


def _short(day: dt.date | None) -> str:
    return "nästa möjliga sammanträde" if day is None else date_sv(day)


def _days_sv(days: list[dt.date]) -> str:
    return ", ".join(f"{d.day} {MONTHS_SV[d.month - 1]}" for d in days) or "inga"


def _running(
    was: RoundSpec,
    now: RoundSpec,
    state: RoundState | None,
    meeting: dt.date | None,
    today: dt.date,
) -> RoundChange | None:
    # A running round told of its new spec: what the unit and the committees will notice.
    takes_due = state is None or state in _TAKES_DUE
    closed = state in CLOSED_STATES
    parts = []
    due_moves = was.due != now.due
    if due_moves:
        parts.append(f"sista dag {date_sv(was.due)} → {date_sv(now.due)}")
        if not takes_due and not closed:
            parts[-1] += f" (gäller inte: rundan är {PREDICATES[state]})"  # type: ignore[index]
    before, after = _reminders(was, today), _reminders(now, today)
    if takes_due and before != after:
        parts.append(f"påminnelser {_days_sv(before)} → {_days_sv(after)}")
    targets = _target_changes(was, now)
    parts += _targets_sv(targets)
    gone, placed = None, None
    if state == RoundState.ON_AGENDA and meeting is not None and meeting not in _meetings(now):
        gone = meeting
        placed, text = _replaced(was, now, meeting, today)
        parts.append(text)
    elif state == RoundState.AWAITING_MEETING:
        placed, text = _awaiting(was, now, today)
        if text:
            parts.append(text)
    if not parts:
        return None
    if closed:
        text = f"{_name(now)}: avslutad ({PREDICATES[state]}), ändras inte"  # type: ignore[index]
    else:
        text = f"{_name(now)}: " + "; ".join(parts)
    found = _planned(was, now, text, today)
    found.state, found.targets, found.meeting_gone = state, targets, gone
    found.meeting_after = placed
    found.takes_due = takes_due and not closed
    return found


def _replaced(
    was: RoundSpec, now: RoundSpec, meeting: dt.date, today: dt.date
) -> tuple[dt.date | None, str]:
    # On the agenda of a meeting that is gone: the round is placed again at its step's committee
    # as the round places it (chains.place: the target while it can, else the next it reaches).
    old_steps = was.review.steps() if was.review else []
    new_steps = {s.committee.id: s for s in (now.review.steps() if now.review else [])}
    step = next((s for s in old_steps if meeting in s.committee.meetings), None)
    lead = f"står på föredragningslistan för sammanträdet {date_sv(meeting)}, som inte längre finns"
    if step is None or step.committee.id not in new_steps:
        return None, f"{lead}: sätts upp på nästa sammanträde den hinner till"
    new = new_steps[step.committee.id]
    day, _ = place(new.committee.meetings, today, new.min_days_before_meeting, new.target_meeting)
    if day is None:
        return None, f"{lead}: {new.committee.name} har inget sammanträde den hinner till"
    return day, f"{lead}: sätts upp på {new.committee.name} {date_sv(day)}"


def _awaiting(was: RoundSpec, now: RoundSpec, today: dt.date) -> tuple[dt.date | None, str]:
    # Waiting for a meeting: the steps whose committee now has one the round can reach.
    old = {s.committee.id: s for s in (was.review.steps() if was.review else [])}
    reachable = []
    for step in now.review.steps() if now.review else []:
        day, _ = place(
            step.committee.meetings, today, step.min_days_before_meeting, step.target_meeting
        )
        before = old.get(step.committee.id)
        had = (
            before is not None
            and place(
                before.committee.meetings,
                today,
                before.min_days_before_meeting,
                before.target_meeting,
            )[0]
        )
        if day is not None and not had:
            reachable.append((step.committee.name, day))
    if len(reachable) == 1:
        name, day = reachable[0]
        return day, f"väntar på ett sammanträde: sätts upp på {name} {date_sv(day)}"
    if reachable:
        names = ", ".join(name for name, _ in reachable)
        return None, f"väntar på ett sammanträde: nya sammanträden hos {names}"
    return None, ""


def _planned(
    was: RoundSpec | None, now: RoundSpec | None, text: str, today: dt.date
) -> RoundChange:
    spec = now or was
    assert spec is not None
    names = spec.model_dump(include=_NAMES)
    return RoundChange.model_validate(
        names
        | {
            "workflow_id": spec.workflow_id,
            "opens_before": was.opens if was else None,
            "opens_after": now.opens if now else None,
            "due_before": was.due if was else None,
            "due_after": now.due if now else None,
            "reminders_before": _reminders(was, today) if was else [],
            "reminders_after": _reminders(now, today) if now else [],
            "text_sv": text,
        }
    )


def _start_sv(start: str | None) -> str:
    if start is None:
        return ""
    if "T" in start:
        at = dt.datetime.fromisoformat(start)
        return f"{date_sv(at.date())} kl. {clock_sv(at.time())}"
    return date_sv(dt.date.fromisoformat(start))


def entry_changes(
    old: ArshjulConfig,
    new: ArshjulConfig,
    year: int,
    live: Mapping[str, LiveDeadline] | None = None,
) -> list[EntryChange]:
    """Lists the shared calendar's entries (`/calendar/all.ics`) of `year` whose start changes,
    by UID, and those added or removed."""
    live = live or {}
    before = {e.uid: e for e in _entries(old, year, live)}
    after = {e.uid: e for e in _entries(new, year, live)}
    found = []
    for uid in [*before, *(u for u in after if u not in before)]:
        a, b = before.get(uid), after.get(uid)
        start_a = entry_start(a) if a else None
        start_b = entry_start(b) if b else None
        if start_a == start_b:
            continue
        entry = b or a
        assert entry is not None
        if a is None:
            text = f"Ny i kalendern: {entry.title}, {_start_sv(start_b)}"
        elif b is None:
            text = f"Tas bort ur kalendern: {entry.title}, {_start_sv(start_a)}"
        else:
            text = (
                f"Flyttas i kalendern: {entry.title}, {_start_sv(start_a)} → {_start_sv(start_b)}"
            )
        found.append(
            EntryChange(
                uid=uid,
                kind=entry.kind,
                title=entry.title,
                before=start_a,
                after=start_b,
                text_sv=text,
            )
        )
    return found


def _entries(
    config: ArshjulConfig, year: int, live: Mapping[str, LiveDeadline]
) -> list[CalendarEntry]:
    # The year's shared feed; a period whose meeting is missing is left out as the feed does.
    try:
        return calendar_entries(config, [year], live)
    except MissingMeeting:
        return []


def preview_change(
    old: ArshjulConfig,
    new: ArshjulConfig,
    year: int,
    specs: list[RoundSpec],
    opened_through: dt.datetime | None,
    start: dt.date,
    today: dt.date,
    states: RoundStates,
    live: Mapping[str, LiveDeadline] | None = None,
) -> PlanPreview:
    """Tells what applying `new` to the running `year` would do: `specs` is the stored plan,
    `opened_through`/`start` the cycle's, `states` each started round's (state, meeting) as
    PlanStore.states gives them, `live` the rounds' deadlines for the calendar entries."""
    skipped: list[MissingMeeting] = []
    new_specs = round_specs(new, year, skipped)
    change = diff_plans(specs, new_specs, opened_through, start, today)
    before = {s.workflow_id: s for s in specs}
    after = {s.workflow_id: s for s in new_specs}
    preview = PlanPreview(year=year, new_specs=new_specs)
    preview.meetings = [
        m
        for m in meeting_changes(old, new)
        if any(x is not None and x.date.year == year for x in (m.before, m.after))
    ]
    for spec in change.signal:
        state, meeting = states.get(spec.workflow_id, (None, None))
        found = _running(before[spec.workflow_id], spec, state, meeting, today)
        if found is None:
            preview.running_updated += 1
        elif state in CLOSED_STATES:
            preview.closed.append(found)
        else:
            preview.running.append(found)
    open_now = {s.workflow_id for s in change.open_now}
    for spec in change.open_now:
        was = before.get(spec.workflow_id)
        text = f"Öppnas nu: {_name(spec)}, sista dag {date_sv(spec.due)}"
        preview.open_now.append(_planned(was, spec, text, today))
    for wid in change.moved:
        if wid in open_now:
            continue
        was, now = before[wid], after[wid]
        targets = _target_changes(was, now)
        if (was.opens, was.due) == (now.opens, now.due) and not targets:
            continue  # only the meeting lists it carries: nothing to show
        parts = []
        if was.opens != now.opens:
            parts.append(f"öppnas {date_sv(was.opens)} → {date_sv(now.opens)}")
        if was.due != now.due:
            parts.append(f"sista dag {date_sv(was.due)} → {date_sv(now.due)}")
        parts += _targets_sv(targets)
        found = _planned(was, now, f"Nya datum: {_name(now)}: " + "; ".join(parts), today)
        found.targets = targets
        preview.rescheduled.append(found)
    for wid in change.added:
        if wid in open_now:
            continue
        now = after[wid]
        text = f"Ny runda: {_name(now)}, öppnas {date_sv(now.opens)}, sista dag {date_sv(now.due)}"
        preview.added.append(_planned(None, now, text, today))
    for wid in change.removed:
        was = before[wid]
        text = f"Tas bort: {_name(was)} (skulle ha öppnats {date_sv(was.opens)})"
        preview.removed.append(_planned(was, None, text, today))
    for wid, was in before.items():
        state = states.get(wid, (None, None))[0]
        if wid in after or not opened(was, opened_through) or was.due < start:
            continue
        if state in CLOSED_STATES:
            continue
        due = date_sv(was.due)
        text = f"Finns inte längre i planen men fortsätter: {_name(was)} (sista dag {due})"
        kept = _planned(was, None, text, today)
        kept.state = state
        preview.kept.append(kept)
    preview.entries = entry_changes(old, new, year, live)
    preview.skipped_sv = [_skipped_sv(new, exc) for exc in skipped]
    return preview


def _skipped_sv(config: ArshjulConfig, exc: MissingMeeting) -> str:
    name = next((c.name for c in config.committees if c.id == exc.committee), exc.committee)
    return f"Utelämnas ur planen tills sammanträdet finns: {exc.sv(name)}"


__all__ = [
    "EntryChange",
    "PlanPreview",
    "RoundChange",
    "TargetChange",
    "entry_changes",
    "preview_change",
]
