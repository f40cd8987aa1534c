"""Two versions of the årshjul compared field by field, in the ekonomichef's words.

Lists of things with an identity are compared by it: units, committees, reports, roles and
milestones by id, meetings by date, people by address, period overrides by month, so a list put
in another order is no change. A meeting that disappears and reappears within a month is one
meeting moved.

Pure: the caller passes two configurations and renders the changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import BaseModel

from arshjul.calendar.config import (
    ArshjulConfig,
    ChainStep,
    Committee,
    Meeting,
    MeetingChoice,
    Person,
)
from arshjul.calendar.date_rules import (
    BeforeEndOfMonth,
    DayAfterPeriod,
    FixedDate,
    LastWorkingDayOfMonth,
    MeetingDate,
    Offset,
    WorkingDaysAfterPeriodEnd,
)
from arshjul.calendar.rules import describe
from arshjul.swedish import MONTHS_SV, clock_sv, date_sv, time_place_sv

ChangeKind = Literal["added", "removed", "changed", "moved"]
_RULES = (
    WorkingDaysAfterPeriodEnd,
    FixedDate,
    LastWorkingDayOfMonth,
    BeforeEndOfMonth,
    Offset,
    DayAfterPeriod,
    MeetingDate,
)
MOVE_WINDOW = dt.timedelta(days=31)  # a meeting gone and one new this close: one meeting moved

# Top-level lists: (Swedish noun, "tillagd"/"tillagt" ending, how an item is named).
_SECTIONS: dict[str, tuple[str, str]] = {
    "units": ("Enhet", "d"),
    "committees": ("Organ", "t"),
    "reports": ("Rapport", "d"),
    "roles": ("Roll", "d"),
    "milestones": ("Milstolpe", "d"),
}
_TOP_SV = {
    "organisation": "Organisationen",
    "working_days": "Arbetsdagar",
    "ledger": "Ekonomisystemet",
    "sign_in": "Inloggningen",
    "motions": "Motioner och medborgarförslag",
    "retention": "Gallringen",
}
_FIELD_SV = {
    "name": "namn",
    "title": "titel",
    "description": "beskrivning",
    "kind": "typ",
    "chef": "chef",
    "email": "e-post",
    "committee": "nämnd",
    "ledger_codes": "ansvarskoder",
    "people": "personer",
    "follows_every_committee": "följer alla organ",
    "short_name": "kortnamn",
    "meeting_time": "sammanträdestid",
    "meeting_place": "sammanträdeslokal",
    "members": "ledamöter",
    "secretary": "sekreterare",
    "chair": "ordförande",
    "refers_to": "lämnar vidare till",
    "agenda_days_before": "dagar före sammanträdet som föredragningslistan skickas",
    "sections": "delar",
    "submitters": "lämnas av",
    "units": "enheter",
    "roles": "roller",
    "period_months": "perioder",
    "opens": "öppnar",
    "due": "sista dag",
    "reminders_working_days_before_due": "påminnelser (arbetsdagar före sista dag)",
    "escalation": "eskalering",
    "after_working_days": "arbetsdagar efter sista dag",
    "to_roles": "till roller",
    "repeat_every_days": "upprepas var n:e dag",
    "review": "beredning",
    "chain": "beslutsgång",
    "min_days_before_meeting": "dagar före sammanträdet",
    "meeting": "målsammanträde",
    "forward_to": "får lämnas vidare till",
    "after_remit": "efter återremiss",
    "followup": "uppföljning",
    "report": "rapport",
    "deviation_threshold_tkr": "avvikelsegräns (tkr)",
    "due_days": "dagar till sista dag",
    "measures_threshold_tkr": "gräns för åtgärder (tkr)",
    "legal": "lagkrav",
    "period_overrides": "undantag för perioder",
    "date": "datum",
    "responsible_roles": "ansvariga roller",
    "concerns_year_offset": "gäller år",
    "non_working_eves": "aftnar som inte är arbetsdagar",
    "id": "id",
    "timezone": "tidszon",
    "send_time": "utskickstid",
    "contact_role": "kontaktroll",
    "digest": "veckosammanställning",
    "weekday": "veckodag",
    "sie_dimension": "SIE-dimension",
    "accounts": "konton",
    "columns": "kolumner",
    "table_amounts": "belopp i tabeller",
    "csv_delimiter": "avgränsare i CSV",
    "magic_links": "inloggningslänkar per e-post",
    "role_claim": "rollanspråk",
    "grants": "behörigheter",
    "report_at": "redovisas vid",
    "limit_months": "månader till beslut",
    "citizen_proposals": "medborgarförslag",
    "which": "vilket sammanträde",
    "month": "månad",
}
_VALUES_SV = {
    "first_step": "börjar om vid första steget",
    "same_step": "fortsätter hos organet som återremitterade",
    "arsredovisning_to_kf": "årsredovisningen till KF senast 15 april",
    "delarsrapport_to_kf": "delårsrapporten till KF inom två månader",
    "ks_budget_proposal": "KS budgetförslag före oktober månads utgång",
    "kf_budget": "KF:s budget före november månads utgång",
    "economic": "ekonomi",
    "goals": "mål",
    "activities": "aktiviteter",
    "texts": "texter",
    "vf_list": "VF-lista",
    "all": "alla enheter",
}
NOTHING = "–"


class ConfigChange(BaseModel):
    """One difference between two configurations: where, what it was, what it becomes."""

    path: str  # "committees[ksau].meetings[2029-02-12]", "units[sof].chef"
    kind: ChangeKind
    section: str  # the top-level key: "committees", "units", "organisation", …
    item: str | None = None  # the id of the unit, committee, … the change is in
    before: str | None = None  # the old value in Swedish words (None: added)
    after: str | None = None  # the new value in Swedish words (None: removed)
    text_sv: str  # "Chef för Socialförvaltningen: Anna A → Bo B"


class _Names:
    # How one configuration names its ids in Swedish text.
    def __init__(self, config: ArshjulConfig) -> None:
        self.committees = {c.id: c.label for c in config.committees}
        self.committee_names = {c.id: c.name for c in config.committees}
        self.units = {u.id: u.name for u in config.units}
        self.roles = {r.id: r.title for r in config.roles}
        self.reports = {r.id: r.title for r in config.reports}
        self.milestones = {m.id: _title(m.title) for m in config.milestones}

    def of(self, field: str) -> dict[str, str]:
        if field in ("committee", "refers_to", "forward_to", "committees", "meeting"):
            return self.committees
        if field in ("roles", "to_roles", "responsible_roles", "contact_role"):
            return self.roles
        if field == "units":
            return self.units
        if field == "report":
            return self.reports
        return {}


def _title(text: str) -> str:
    return text.replace("{år}", "(år)")


def _item_name(section: str, item: BaseModel) -> str:
    if isinstance(item, Committee):
        return item.label
    return _title(str(getattr(item, "name", None) or getattr(item, "title", None) or ""))


def _choice_sv(choice: MeetingChoice, names: dict[str, str]) -> str:
    which = "första" if choice.which == "first" else "sista"
    where = f" med {names.get(choice.committee, choice.committee)}" if choice.committee else ""
    if choice.month is not None:
        return f"{which} sammanträdet{where} i {MONTHS_SV[choice.month - 1]}"
    if choice.months_after_period is not None:
        return f"{which} sammanträdet{where} {choice.months_after_period} månader efter perioden"
    return f"första sammanträdet{where} minst {choice.days_after_due} dagar efter sista dag"


def _person_sv(p: Person, with_email: bool) -> str:
    return f"{p.name} ({p.email})" if with_email else p.name


def _meeting_sv(m: Meeting, with_year: bool = True) -> str:
    day = date_sv(m.date) if with_year else f"{m.date.day} {MONTHS_SV[m.date.month - 1]}"
    return day + time_place_sv(m.time, m.place)


def _value_sv(value: Any, field: str, names: _Names, with_email: bool = False) -> str:
    # One value in Swedish words; ids become the names the configuration gives them.
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, _RULES):
        return describe(value, names.milestones, names.committee_names)
    if isinstance(value, MeetingChoice):
        return _choice_sv(value, names.committees)
    if isinstance(value, Person):
        return _person_sv(value, with_email)
    if isinstance(value, dt.date):
        return date_sv(value)
    if isinstance(value, dt.time):
        return clock_sv(value)
    if isinstance(value, list):
        if value and isinstance(value[0], ChainStep):
            return " → ".join(_step_sv(s, names) for s in value)
        if field == "period_months":
            return ", ".join(MONTHS_SV[m - 1] for m in value) or NOTHING
        return ", ".join(_value_sv(v, field, names, with_email) for v in value) or NOTHING
    if isinstance(value, BaseModel):
        parts = [
            f"{_FIELD_SV.get(k, k)} {_value_sv(v, k, names, with_email)}"
            for k, v in value
            if v is not None and v != [] and v != {}
        ]
        return "; ".join(parts) or NOTHING
    if isinstance(value, str):
        return names.of(field).get(value) or _VALUES_SV.get(value, value)
    return str(value)


def _step_sv(step: ChainStep, names: _Names) -> str:
    name = names.committees.get(step.committee, step.committee)
    if step.committee == "unit_committee":
        name = "enhetens nämnd"
    return name + (f" ({_choice_sv(step.meeting, names.committees)})" if step.meeting else "")


class _Differ:
    def __init__(self, old: ArshjulConfig, new: ArshjulConfig) -> None:
        self.before, self.after = _Names(old), _Names(new)
        self.changes: list[ConfigChange] = []
        self.section = ""
        self.item: str | None = None

    def add(
        self, path: str, kind: ChangeKind, text: str, before: str | None, after: str | None
    ) -> None:
        self.changes.append(
            ConfigChange(
                path=path,
                kind=kind,
                section=self.section,
                item=self.item,
                before=before,
                after=after,
                text_sv=text,
            )
        )

    def value(self, path: str, field: str, subject: str, old: Any, new: Any) -> None:
        # Compare one field: nested models field by field, keyed lists by key, the rest whole.
        if old == new:
            return
        if field in ("members", "people") and isinstance(old, list) and isinstance(new, list):
            self.people(path, subject, field, old, new)
            return
        if field == "period_overrides":
            self.keyed(path, subject, field, old, new, lambda o: str(o.period_month))
            return
        if (
            isinstance(old, BaseModel)
            and type(old) is type(new)
            and not isinstance(old, (Person, MeetingChoice, *_RULES))
        ):
            for name in type(old).model_fields:
                label = _label(name, path)
                self.value(
                    f"{path}.{name}",
                    name,
                    f"{subject}, {label}",
                    getattr(old, name),
                    getattr(new, name),
                )
            return
        if isinstance(old, dict) and isinstance(new, dict):
            for key in [*old, *(k for k in new if k not in old)]:
                self.value(
                    f"{path}[{key}]", field, f"{subject} ”{key}”", old.get(key), new.get(key)
                )
            return
        # A person renamed at the same address, or moved to another: the address tells apart.
        same_name = isinstance(old, Person) and isinstance(new, Person) and old.name == new.name
        before = _value_sv(old, field, self.before, same_name)
        after = _value_sv(new, field, self.after, same_name)
        self.add(path, "changed", f"{_cap(subject)}: {before} → {after}", before, after)

    def people(
        self, path: str, subject: str, field: str, old: list[Person], new: list[Person]
    ) -> None:
        # `subject` is "Ledamöter för KSAU" or "Personer för Ekonomichef": name the owner alone.
        owner = subject.split(" för ", 1)[-1]
        noun, where = ("Ledamot", owner) if field == "members" else ("Person", f"rollen {owner}")
        self.keyed(
            path,
            subject,
            field,
            old,
            new,
            lambda p: p.email.lower(),
            added=lambda p: f"{noun} tillagd i {where}: {p.name} ({p.email})",
            removed=lambda p: f"{noun} borttagen ur {where}: {p.name} ({p.email})",
            inner=lambda p: f"{noun} {p.name} i {where}",
        )

    def keyed(
        self,
        path: str,
        subject: str,
        field: str,
        old: list[Any],
        new: list[Any],
        key: Callable[[Any], str],
        *,
        added: Callable[[Any], str] | None = None,
        removed: Callable[[Any], str] | None = None,
        inner: Callable[[Any], str] | None = None,
    ) -> None:
        before, after = {key(o): o for o in old}, {key(n): n for n in new}
        for k in [*before, *(k for k in after if k not in before)]:
            at = f"{path}[{k}]"
            if k not in after:
                text = removed(before[k]) if removed else f"{_cap(subject)}: {k} borttaget"
                self.add(at, "removed", text, _value_sv(before[k], field, self.before), None)
            elif k not in before:
                text = added(after[k]) if added else f"{_cap(subject)}: {k} tillagt"
                self.add(at, "added", text, None, _value_sv(after[k], field, self.after))
            else:
                label = inner(after[k]) if inner else f"{subject} {k}"
                self.value(at, field, label, before[k], after[k])

    def meetings(
        self, committee: Committee, path: str, old: list[Meeting], new: list[Meeting]
    ) -> None:
        for m in committee_meeting_changes(committee, path, old, new):
            before = _meeting_sv(m.before) if m.before else None
            after = _meeting_sv(m.after) if m.after else None
            if m.field is not None:
                before = _value_sv(getattr(m.before, m.field), m.field, self.before)
                after = _value_sv(getattr(m.after, m.field), m.field, self.after)
            self.add(m.path, m.kind, m.text_sv, before, after)

    def item_fields(
        self, section: str, path: str, name: str, old: BaseModel, new: BaseModel
    ) -> None:
        for field in type(old).model_fields:
            a, b = getattr(old, field), getattr(new, field)
            if field == "meetings" and isinstance(new, Committee):
                self.meetings(new, f"{path}.meetings", a, b)
                continue
            label = _label(field, path)
            self.value(f"{path}.{field}", field, f"{_cap(label)} för {name}", a, b)


class MeetingChange(BaseModel):
    """One meeting added, cancelled, moved, or given another time or place."""

    committee_id: str
    committee_name: str  # the short name for lists ("KSAU"), else the name
    kind: ChangeKind
    before: Meeting | None = None  # the meeting as it was (its own time and place)
    after: Meeting | None = None
    field: Literal["time", "place"] | None = None  # for "changed": what changed
    path: str  # "committees[ksau].meetings[2029-02-12]"
    text_sv: str  # "Sammanträde för KSAU flyttat från 12 februari till 19 februari 2029"


def committee_meeting_changes(
    committee: Committee, path: str, old: list[Meeting], new: list[Meeting]
) -> list[MeetingChange]:
    """Lists how one committee's meetings changed: retimed, moved (a meeting gone and a new one
    within a month), cancelled, added."""
    label = committee.label
    found: list[MeetingChange] = []

    def add(kind: ChangeKind, at: dt.date, text: str, **values: Any) -> None:
        found.append(
            MeetingChange(
                committee_id=committee.id,
                committee_name=label,
                kind=kind,
                path=f"{path}[{at.isoformat()}]"
                + (f".{values['field']}" if "field" in values else ""),
                text_sv=text,
                **values,
            )
        )

    before = {m.date: m for m in old}
    after = {m.date: m for m in new}
    gone = sorted(d for d in before if d not in after)
    came = sorted(d for d in after if d not in before)
    for day in sorted(d for d in before if d in after):
        was, now = before[day], after[day]
        for name, word, show in (("time", "tid", clock_sv), ("place", "plats", str)):
            a, b = getattr(was, name), getattr(now, name)
            if a != b:
                a_text = NOTHING if a is None else show(a)
                b_text = NOTHING if b is None else show(b)
                text = f"Sammanträde för {label} {date_sv(day)}, {word}: {a_text} → {b_text}"
                add("changed", day, text, before=was, after=now, field=name)
    for was_day, now_day in _pairs(gone, came):
        was, now = before[was_day], after[now_day]
        old_text = _meeting_sv(was, was_day.year != now_day.year)
        text = f"Sammanträde för {label} flyttat från {old_text} till {_meeting_sv(now)}"
        add("moved", was_day, text, before=was, after=now)
        gone.remove(was_day)
        came.remove(now_day)
    for day in gone:
        add(
            "removed",
            day,
            f"Sammanträde inställt för {label}: {_meeting_sv(before[day])}",
            before=before[day],
        )
    for day in came:
        add(
            "added",
            day,
            f"Sammanträde tillagt för {label}: {_meeting_sv(after[day])}",
            after=after[day],
        )
    return found


def meeting_changes(old: ArshjulConfig, new: ArshjulConfig) -> list[MeetingChange]:
    """Lists every meeting that changes from `old` to `new`, committee by committee."""
    before = {c.id: c for c in old.committees}
    found: list[MeetingChange] = []
    for c in new.committees:
        was = before.get(c.id)
        if was is not None and was.meetings != c.meetings:
            found += committee_meeting_changes(
                c, f"committees[{c.id}].meetings", was.meetings, c.meetings
            )
    return found


def _pairs(gone: list[dt.date], came: list[dt.date]) -> Iterable[tuple[dt.date, dt.date]]:
    # Pair each cancelled meeting with the nearest new one in reach, nearest pairs first.
    candidates = sorted(
        ((abs(b - a), a, b) for a in gone for b in came if abs(b - a) <= MOVE_WINDOW),
    )
    used_a: set[dt.date] = set()
    used_b: set[dt.date] = set()
    found = []
    for _, a, b in candidates:
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
            found.append((a, b))
    return sorted(found)


def _label(field: str, path: str) -> str:
    # A review's committee decides (organ); a unit's is the nämnd it answers to.
    if field == "committee" and ".review" in path:
        return "organ"
    return _FIELD_SV.get(field, field)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def diff_configs(old: ArshjulConfig, new: ArshjulConfig) -> list[ConfigChange]:
    """Lists every difference from `old` to `new`, in the configuration's order."""
    d = _Differ(old, new)
    for field in ArshjulConfig.model_fields:
        a, b = getattr(old, field), getattr(new, field)
        if a == b:
            continue
        d.section, d.item = field, None
        if field in _SECTIONS:
            noun, ending = _SECTIONS[field]
            before = {x.id: x for x in a}
            after = {x.id: x for x in b}
            for key in [*before, *(k for k in after if k not in before)]:
                d.item = key
                path = f"{field}[{key}]"
                if key not in after:
                    name = _item_name(field, before[key])
                    d.add(path, "removed", f"{noun} {_removed(ending)}: {name}", name, None)
                elif key not in before:
                    name = _item_name(field, after[key])
                    d.add(path, "added", f"{noun} tillag{ending}: {name}", None, name)
                else:
                    name = _item_name(field, after[key])
                    d.item_fields(field, path, name, before[key], after[key])
        else:
            d.value(field, field, _TOP_SV.get(field, field), a, b)
    return d.changes


def _removed(ending: str) -> str:
    # "borttagen" (en enhet) / "borttaget" (ett organ): the -d/-t of "tillagd/tillagt" decides.
    return "borttagen" if ending == "d" else "borttaget"


def changes_sv(changes: list[ConfigChange]) -> str:
    """Sums up a comparison in one Swedish sentence ("3 ändringar: 2 tillagda, 1 flyttad.")."""
    if not changes:
        return "Inga ändringar."
    counts = {
        k: sum(1 for c in changes if c.kind == k) for k in ("added", "moved", "changed", "removed")
    }
    words = {
        "added": ("tillagd", "tillagda"),
        "moved": ("flyttad", "flyttade"),
        "changed": ("ändrad", "ändrade"),
        "removed": ("borttagen", "borttagna"),
    }
    parts = [f"{n} {words[k][n != 1]}" for k, n in counts.items() if n]
    total = len(changes)
    return f"{total} {'ändring' if total == 1 else 'ändringar'}: {', '.join(parts)}."


__all__ = [
    "ConfigChange",
    "MeetingChange",
    "changes_sv",
    "committee_meeting_changes",
    "diff_configs",
    "meeting_changes",
]
