"""A committee's sammanträdesplan as the ekonomichef has it: parsed from CSV or ICS, checked, and
applied to the configuration as a new ArshjulConfig.

Every problem names its place ("Rad 4: …", "Händelse 2 …", "KSAU 12 februari 2029: …") in
Swedish; all of them are reported together and nothing is applied while one remains. The
operations return a new configuration (the given one is frozen) with the findings of
`calendar check` for the years the change touches.

Pure: the caller passes the file's bytes and gets models back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, ValidationError

from arshjul.calendar.check import Finding, check_edited
from arshjul.calendar.config import ArshjulConfig, Committee, Meeting
from arshjul.calendar.workdays import WorkingDays
from arshjul.swedish import MONTHS_SV, WEEKDAYS_SV, date_sv

MAX_PLACE = 200  # as Meeting.place
HEADER_SEARCH = 10  # lines searched for the header row (titles may stand above it)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\w+)\s+)?(\d{1,2})\s+(\w+)\s+(\d{4})$")
# "8:30", "kl. 8.30"; a span ("13.00–16.00") gives its start, the meeting's time in the plan.
_TIME = re.compile(
    r"^(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?$", re.IGNORECASE
)
# Header names in Swedish and English; the first word of each list is the one messages use.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "organ": ("organ", "committee", "nämnd", "namnd", "utskott", "body"),
    "datum": ("datum", "date", "dag", "day", "sammanträdesdatum", "mötesdatum"),
    "tid": ("tid", "time", "klockslag", "kl", "kl.", "starttid", "start"),
    "plats": ("plats", "place", "lokal", "location", "venue"),
}
# Holiday names that start with a proper noun keep their capital in a sentence.
_PROPER = ("Kristi", "Sveriges")


class MeetingPlanError(ValueError):
    """Bad input to a meeting plan: every problem, located, in Swedish."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


class PlannedMeeting(BaseModel):
    """One meeting read from a plan: whose, when, and where in the file it came from."""

    committee_id: str
    meeting: Meeting
    source: str  # "Rad 4", "Händelse 2"


class ParsedPlan(BaseModel):
    """A parsed sammanträdesplan: its meetings in file order, or the problems that stop it."""

    meetings: list[PlannedMeeting] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tells whether the plan can be applied (no problem found)."""
        return not self.problems

    def by_committee(self) -> dict[str, list[Meeting]]:
        """Returns the meetings per committee id, each list by date."""
        found: dict[str, list[Meeting]] = {}
        for p in self.meetings:
            found.setdefault(p.committee_id, []).append(p.meeting)
        return {cid: sorted(ms, key=lambda m: m.date) for cid, ms in found.items()}


class PlanEdit(BaseModel):
    """A changed configuration and what `calendar check` says about it."""

    config: ArshjulConfig
    years: list[int]  # the years checked: those the change touches
    findings: list[Finding]  # every finding of the new configuration for `years`
    new_findings: list[Finding]  # those the old configuration did not have

    @property
    def errors(self) -> list[Finding]:
        """Returns the new findings that stop the change from being applied (severity error)."""
        return [f for f in self.new_findings if f.severity == "error"]


# --- reading values ---------------------------------------------------------------------------


def committee_label(committee: Committee) -> str:
    """Returns how messages name a committee: its short name, else its name."""
    return committee.label


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def find_committee(config: ArshjulConfig, text: str) -> Committee | None:
    """Returns the committee whose id, name or short name is `text` (case-insensitive)."""
    wanted = _norm(text)
    for c in config.committees:
        if wanted in {_norm(c.id), _norm(c.name), _norm(c.short_name or c.id)}:
            return c
    return None


def _known(config: ArshjulConfig) -> str:
    labels = sorted(committee_label(c) for c in config.committees)
    return ", ".join(labels) or "inga"


def unknown_committee_sv(config: ArshjulConfig, text: str) -> str:
    """Returns the message for a committee name the configuration does not know."""
    return f"okänt organ ”{text}” (kända: {_known(config)})"


def parse_date_sv(text: str) -> dt.date:
    """Reads a date written 2029-02-12 or "12 februari 2029" (optionally with its weekday);
    raises ValueError with the Swedish reason. 12/2/2029 is refused: day and month are ambiguous."""
    value = text.strip()
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _WORDS.match(value):
        weekday, day_text, month_name, year_text = match.groups()
        name = month_name.casefold()
        if name not in MONTHS_SV:
            raise ValueError(f"”{month_name}” i datumet ”{value}” är ingen månad")
        year, month, day = int(year_text), MONTHS_SV.index(name) + 1, int(day_text)
        if weekday is not None and weekday.casefold() not in WEEKDAYS_SV:
            raise ValueError(_unreadable(value))
    else:
        raise ValueError(_unreadable(value))
    try:
        found = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"datumet ”{value}” finns inte") from None
    if match.re is _WORDS and match.group(1) is not None:
        said = match.group(1).casefold()
        actual = WEEKDAYS_SV[found.weekday()]
        if said != actual:
            raise ValueError(f"{date_sv(found)} är en {actual}, inte en {said}")
    return found


def _unreadable(value: str) -> str:
    return (
        f"datumet ”{value}” går inte att läsa; skriv det som ÅÅÅÅ-MM-DD eller med "
        "månaden i ord, t.ex. 2029-02-12 eller 12 februari 2029"
    )


def parse_time_sv(text: str) -> dt.time:
    """Reads a time written 8:30, 08.30, "kl. 8.30" or as a span ("13.00–16.00": its start);
    raises ValueError in Swedish."""
    value = text.strip()
    match = _TIME.match(value)
    if match is None:
        raise ValueError(f"tiden ”{value}” går inte att läsa; skriv den som 08:30 eller 8.30")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"tiden ”{value}” finns inte")
    return dt.time(hour, minute)


def _holiday_sv(name: str) -> str:
    # "Midsommarafton" in the middle of a sentence is "midsommarafton"; "Kristi …" keeps its K.
    if name.split(" ", 1)[0] in _PROPER:
        return name
    return name[:1].lower() + name[1:]


def not_working_sv(wd: WorkingDays, day: dt.date, written: str | None = None) -> str | None:
    """Returns why no meeting can be held on `day` ("2029-06-22 är midsommarafton, ingen
    arbetsdag"), or None on a working day."""
    why = wd.why_not_working(day)
    if why is None:
        return None
    return f"{written or day.isoformat()} är {_holiday_sv(why)}, ingen arbetsdag"


def _day_problems(
    wd: WorkingDays,
    committee: Committee,
    day: dt.date,
    written: str | None,
    seen: dict[tuple[str, dt.date], str],
    source: str,
    existing: Iterable[dt.date] | None = None,
) -> list[str]:
    # The checks every new meeting day passes, wherever it comes from.
    problems = []
    if why := not_working_sv(wd, day, written):
        problems.append(why)
    label = committee_label(committee)
    earlier = seen.get((committee.id, day))
    if earlier is not None:
        # "Rad 3" is the place of the first one: "… står redan på rad 3".
        at = f"på {earlier[:1].lower()}{earlier[1:]}" if earlier else "bland de nya"
        problems.append(f"{label} {date_sv(day)} står redan {at}")
    elif day in (committee.dates if existing is None else existing):
        problems.append(f"{label} har redan ett sammanträde {date_sv(day)} i sammanträdesplanen")
    seen.setdefault((committee.id, day), source)
    return problems


class Row(NamedTuple):
    """What one line or event of a file says about a meeting (None: not given or unreadable)."""

    day: dt.date | None
    time: dt.time | None
    place: str | None
    written: str | None  # the date as the file writes it


def _planned(
    wd: WorkingDays,
    committee: Committee | None,
    row: Row,
    seen: dict[tuple[str, dt.date], str],
    source: str,
    problems: list[str],
) -> tuple[list[str], PlannedMeeting | None]:
    # The checks shared by CSV rows and ICS events once their values are read.
    if row.place is not None and len(row.place) > MAX_PLACE:
        problems.append(f"platsen är längre än {MAX_PLACE} tecken")
    if committee is None or row.day is None:
        return problems, None
    problems += _day_problems(wd, committee, row.day, row.written, seen, source)
    meeting = Meeting(date=row.day, time=row.time, place=row.place)
    return problems, PlannedMeeting(committee_id=committee.id, meeting=meeting, source=source)


# --- CSV ----------------------------------------------------------------------------------------


def decode_text(data: bytes | str) -> str:
    """Returns the text of an uploaded file: UTF-8 with or without BOM, UTF-16 with BOM, or
    Windows-1252 (Excel's "CSV" on Windows); raises MeetingPlanError when it is none of them."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise MeetingPlanError(
            [
                "Filen går inte att läsa som text (varken UTF-8 eller Windows-1252). "
                "Spara den som CSV (UTF-8) och försök igen."
            ]
        ) from None


def _delimiter(header: str) -> str:
    # The header row decides: places hold commas ("Stadshuset, sessionssalen"), headers do not.
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _find_header(lines: list[str]) -> tuple[int, str] | None:
    # The first of the first few lines that names a date column, and the delimiter it uses.
    for i, line in enumerate(lines[:HEADER_SEARCH]):
        for delimiter in (";", ",", "\t"):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if any(_norm(c) in _COLUMNS["datum"] for c in cells):
                return i, delimiter
    return None


def _header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(cells):
        name = _norm(cell)
        key = next((k for k, names in _COLUMNS.items() if name in names), None)
        if key is None:
            if name:
                unknown.append(cell.strip())
        elif key not in columns:
            columns[key] = i
    return columns, unknown


def parse_csv(
    data: bytes | str, config: ArshjulConfig, *, committee_id: str | None = None
) -> ParsedPlan:
    """Parses a CSV sammanträdesplan (header organ;datum;tid;plats or committee,date,time,place;
    `;` or `,`); without an organ column every row is `committee_id`'s."""
    try:
        text = decode_text(data)
    except MeetingPlanError as exc:
        return ParsedPlan(problems=exc.messages)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return ParsedPlan(problems=["Filen är tom: ingen rubrikrad och inga sammanträden."])
    heading = _find_header(lines)
    delimiter = heading[1] if heading else _delimiter(lines[first])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        # The line a record ends on, as a spreadsheet numbers its rows.
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return ParsedPlan(problems=[f"Rad {reader.line_num}: raden går inte att läsa ({exc})"])
    fixed, problems = _fixed_committee(config, committee_id)
    # Rows above the header (a title, "Sammanträdesplan 2029") are left out.
    at = heading[0] + 1 if heading else None
    header_no, header = next(
        (n, r) for n, r in rows if (n == at if at else any(c.strip() for c in r))
    )
    columns, _ = _header(header)
    if "datum" not in columns:
        shown = ";".join(c.strip() for c in header)
        problems.append(
            f"Rad {header_no}: rubrikraden saknar kolumnen datum (date); första raden ska vara "
            f"t.ex. organ;datum;tid;plats, men är ”{shown}”"
        )
    elif "organ" not in columns and fixed is None and committee_id is None:
        problems.append(
            f"Rad {header_no}: rubrikraden saknar kolumnen organ (committee); lägg till den "
            "eller välj organet innan filen läses in"
        )
    if problems:
        return ParsedPlan(problems=problems)
    wd = WorkingDays(config.working_days.non_working_eves)
    seen: dict[tuple[str, dt.date], str] = {}
    meetings: list[PlannedMeeting] = []
    for number, cells in rows:
        if number <= header_no or not any(c.strip() for c in cells):
            continue
        source = f"Rad {number}"
        if len(cells) > len(header):
            problems.append(
                f"{source}: raden har {len(cells)} fält men rubrikraden {len(header)} (står det "
                "ett avgränsningstecken i en plats? Sätt då platsen inom citattecken)"
            )
            continue
        row, found = _csv_row(config, wd, columns, cells, fixed, seen, source)
        problems += [f"{source}: {p}" for p in row]
        if found is not None and not row:
            meetings.append(found)
    if not meetings and not problems:
        problems.append("Filen har en rubrikrad men inga sammanträden.")
    return ParsedPlan(meetings=meetings, problems=problems)


def _fixed_committee(
    config: ArshjulConfig, committee_id: str | None
) -> tuple[Committee | None, list[str]]:
    if committee_id is None:
        return None, []
    found = next((c for c in config.committees if c.id == committee_id), None)
    if found is None:
        return None, [f"Valt organ: {unknown_committee_sv(config, committee_id)}"]
    return found, []


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    i = columns.get(key)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _csv_row(
    config: ArshjulConfig,
    wd: WorkingDays,
    columns: dict[str, int],
    cells: list[str],
    fixed: Committee | None,
    seen: dict[tuple[str, dt.date], str],
    source: str,
) -> tuple[list[str], PlannedMeeting | None]:
    problems: list[str] = []
    organ, written = _cell(cells, columns, "organ"), _cell(cells, columns, "datum")
    committee = fixed
    if organ:
        committee = find_committee(config, organ)
        if committee is None:
            problems.append(unknown_committee_sv(config, organ))
    elif committee is None:
        problems.append(f"organ saknas (kända: {_known(config)})")
    day = None
    if not written:
        problems.append("datum saknas")
    else:
        try:
            day = parse_date_sv(written)
        except ValueError as exc:
            problems.append(str(exc))
    time, place = None, _cell(cells, columns, "plats") or None
    if clock := _cell(cells, columns, "tid"):
        try:
            time = parse_time_sv(clock)
        except ValueError as exc:
            problems.append(str(exc))
    return _planned(wd, committee, Row(day, time, place, written), seen, source, problems)


# --- ICS ----------------------------------------------------------------------------------------


def _summary_committee(config: ArshjulConfig, summary: str) -> list[Committee]:
    # "KSAU", "Sammanträde: Kommunstyrelsen (KS)", "KF sammanträde": a name as a whole word.
    exact = find_committee(config, summary)
    if exact is not None:
        return [exact]
    text = _norm(summary)
    found = []
    for c in config.committees:
        labels = {_norm(c.name), _norm(c.id), *([_norm(c.short_name)] if c.short_name else [])}
        if any(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) for label in labels):
            found.append(c)
    return found


def parse_ics(
    data: bytes | str, config: ArshjulConfig, *, committee_id: str | None = None
) -> ParsedPlan:
    """Parses an ICS export (Outlook, Google, another årshjul): each VEVENT's DTSTART in the
    organisation's time zone and LOCATION; the committee is `committee_id`, else the one the
    SUMMARY names. Cancelled events are left out."""
    from icalendar import Calendar  # here: only this parser needs it

    raw = data.encode() if isinstance(data, str) else data
    try:
        calendar = Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as exc:
        return ParsedPlan(problems=[f"Filen är ingen läsbar iCalendar-fil (.ics): {exc}"])
    fixed, problems = _fixed_committee(config, committee_id)
    if problems:
        return ParsedPlan(problems=problems)
    zone = ZoneInfo(config.organisation.timezone)
    wd = WorkingDays(config.working_days.non_working_eves)
    seen: dict[tuple[str, dt.date], str] = {}
    meetings: list[PlannedMeeting] = []
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    for number, event in enumerate(events, start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        source = f"Händelse {number}" + (f" (”{summary}”)" if summary else "")
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        row, found = _ics_event(config, wd, zone, event, summary, fixed, seen, source)
        problems += [f"{source}: {p}" for p in row]
        if found is not None and not row:
            meetings.append(found)
    if not events:
        problems.append("Filen innehåller inga händelser (VEVENT).")
    elif not meetings and not problems:
        problems.append("Filen innehåller bara inställda händelser.")
    return ParsedPlan(meetings=meetings, problems=problems)


def _ics_event(
    config: ArshjulConfig,
    wd: WorkingDays,
    zone: ZoneInfo,
    event: object,
    summary: str,
    fixed: Committee | None,
    seen: dict[tuple[str, dt.date], str],
    source: str,
) -> tuple[list[str], PlannedMeeting | None]:
    get = event.get  # type: ignore[attr-defined]
    problems: list[str] = []
    committee = fixed
    if committee is None:
        matches = _summary_committee(config, summary)
        if not matches:
            problems.append(
                f"rubriken nämner inget känt organ (kända: {_known(config)}); välj organet "
                "innan filen läses in"
            )
        elif len(matches) > 1:
            names = ", ".join(committee_label(c) for c in matches)
            problems.append(f"rubriken nämner flera organ ({names}); välj organet")
        else:
            committee = matches[0]
    if get("RRULE") is not None:
        problems.append(
            "händelsen upprepas (RRULE); exportera sammanträdena ett och ett, eller skriv dem "
            "i en CSV-fil"
        )
    start = get("DTSTART")
    day: dt.date | None = None
    time: dt.time | None = None
    if start is None:
        problems.append("händelsen saknar starttid (DTSTART)")
    else:
        value = start.dt
        if isinstance(value, dt.datetime):
            # An aware start (TZID or UTC) is shown in the organisation's zone; a floating one is
            # already local time.
            local = value.astimezone(zone) if value.tzinfo is not None else value
            day, time = local.date(), local.time().replace(second=0, microsecond=0)
        else:
            day = value
    location = str(get("LOCATION", "")).strip() or None
    return _planned(wd, committee, Row(day, time, location, None), seen, source, problems)


def parse_meeting_plan(
    data: bytes | str,
    config: ArshjulConfig,
    *,
    filename: str | None = None,
    committee_id: str | None = None,
) -> ParsedPlan:
    """Parses an uploaded or pasted plan: ICS when it says BEGIN:VCALENDAR (or is named .ics),
    CSV otherwise."""
    head = data[:2048]
    head_text = head.decode("latin-1") if isinstance(head, bytes) else head
    is_ics = "BEGIN:VCALENDAR" in head_text.upper() or (filename or "").lower().endswith(".ics")
    parse = parse_ics if is_ics else parse_csv
    return parse(data, config, committee_id=committee_id)


# --- operations on the configuration -----------------------------------------------------------


def _committee_or_raise(config: ArshjulConfig, committee_id: str) -> tuple[int, Committee]:
    for i, c in enumerate(config.committees):
        if c.id == committee_id:
            return i, c
    raise MeetingPlanError([f"Organ: {unknown_committee_sv(config, committee_id)}"])


def _own(committee: Committee, meeting: Meeting) -> Meeting:
    # A time or place equal to the committee's usual one is not repeated on the meeting: when the
    # usual one changes, the meeting follows.
    return Meeting(
        date=meeting.date,
        time=None if meeting.time == committee.meeting_time else meeting.time,
        place=None if meeting.place == committee.meeting_place else meeting.place,
    )


def _with_meetings(config: ArshjulConfig, changed: dict[int, list[Meeting]]) -> ArshjulConfig:
    committees = list(config.committees)
    for i, meetings in changed.items():
        c = committees[i]
        data = c.model_dump()
        data["meetings"] = [m.model_dump() for m in sorted(meetings, key=lambda m: m.date)]
        try:
            committees[i] = Committee.model_validate(data)
        except ValidationError as exc:
            label = committee_label(c)
            raise MeetingPlanError([f"{label}: {e['msg']}" for e in exc.errors()]) from None
    return config.model_copy(update={"committees": committees})


def _edit(old: ArshjulConfig, new: ArshjulConfig, years: Iterable[int]) -> PlanEdit:
    checked = sorted(set(years))
    before = {(f.severity, f.message) for f in check_edited(old, checked)}
    findings = check_edited(new, checked)
    fresh = [f for f in findings if (f.severity, f.message) not in before]
    return PlanEdit(config=new, years=checked, findings=findings, new_findings=fresh)


def add_meetings(
    config: ArshjulConfig,
    committee_id: str,
    meetings: Sequence[Meeting],
    years: Iterable[int] | None = None,
) -> PlanEdit:
    """Adds meetings to a committee's plan; refuses days off, duplicates and meetings already
    planned (MeetingPlanError). Checks `years` (default: the years of the meetings)."""
    return add_plan(config, {committee_id: list(meetings)}, years)


def add_plan(
    config: ArshjulConfig,
    plan: ParsedPlan | dict[str, list[Meeting]],
    years: Iterable[int] | None = None,
) -> PlanEdit:
    """Adds a parsed sammanträdesplan (every committee's meetings) at once, or nothing."""
    if isinstance(plan, ParsedPlan):
        if plan.problems:
            raise MeetingPlanError(plan.problems)
        plan = plan.by_committee()
    wd = WorkingDays(config.working_days.non_working_eves)
    problems: list[str] = []
    changed: dict[int, list[Meeting]] = {}
    seen: dict[tuple[str, dt.date], str] = {}
    touched: set[int] = set()
    for committee_id, meetings in plan.items():
        try:
            i, committee = _committee_or_raise(config, committee_id)
        except MeetingPlanError as exc:
            problems += exc.messages
            continue
        label = committee_label(committee)
        for m in meetings:
            where = f"{label} {date_sv(m.date)}"
            found = _day_problems(wd, committee, m.date, date_sv(m.date), seen, "")
            problems += [f"{where}: {p}" for p in found]
            touched.add(m.date.year)
        changed[i] = [*committee.meetings, *(_own(committee, m) for m in meetings)]
    if problems:
        raise MeetingPlanError(problems)
    if not changed or not any(plan.values()):
        raise MeetingPlanError(["Inga sammanträden att lägga till."])
    return _edit(config, _with_meetings(config, changed), touched if years is None else years)


def _listed(committee: Committee, day: dt.date) -> str:
    same = [d for d in committee.dates if (d.year, d.month) == (day.year, day.month)]
    month = f"{MONTHS_SV[day.month - 1]} {day.year}"
    return f"sammanträden i {month}: {', '.join(date_sv(d) for d in same) or 'inga'}"


def _no_meeting(committee: Committee, day: dt.date) -> str:
    label = committee_label(committee)
    return f"{label} har inget sammanträde {date_sv(day)} ({_listed(committee, day)})"


def move_meeting(
    config: ArshjulConfig,
    committee_id: str,
    old_date: dt.date,
    new_date: dt.date,
    time: dt.time | None = None,
    place: str | None = None,
    years: Iterable[int] | None = None,
) -> PlanEdit:
    """Moves one meeting to another day (and time or place; None keeps the meeting's own);
    refuses a missing meeting, a day off or a day already taken (MeetingPlanError)."""
    i, committee = _committee_or_raise(config, committee_id)
    label = committee_label(committee)
    current = next((m for m in committee.meetings if m.date == old_date), None)
    if current is None:
        where = f"{label} {date_sv(old_date)}"
        raise MeetingPlanError([f"{where}: {_no_meeting(committee, old_date)}"])
    where = f"{label} {date_sv(old_date)} → {date_sv(new_date)}"
    problems = []
    if new_date != old_date:
        wd = WorkingDays(config.working_days.non_working_eves)
        others = [d for d in committee.dates if d != old_date]
        problems = _day_problems(wd, committee, new_date, date_sv(new_date), {}, "", others)
    if place is not None and not place.strip():
        problems.append("platsen får inte vara tom")
    if problems:
        raise MeetingPlanError([f"{where}: {p}" for p in problems])
    moved = Meeting(
        date=new_date,
        time=time if time is not None else current.time,
        place=place.strip() if place is not None else current.place,
    )
    if moved == current:
        raise MeetingPlanError([f"{where}: inget ändras (samma dag, tid och plats)"])
    meetings = [m for m in committee.meetings if m.date != old_date] + [_own(committee, moved)]
    touched = {old_date.year, new_date.year}
    return _edit(config, _with_meetings(config, {i: meetings}), touched if years is None else years)


def cancel_meeting(
    config: ArshjulConfig,
    committee_id: str,
    date: dt.date,
    years: Iterable[int] | None = None,
) -> PlanEdit:
    """Cancels (removes) one meeting; refuses a meeting that is not in the plan."""
    i, committee = _committee_or_raise(config, committee_id)
    if date not in committee.dates:
        label = committee_label(committee)
        raise MeetingPlanError([f"{label} {date_sv(date)}: {_no_meeting(committee, date)}"])
    meetings = [m for m in committee.meetings if m.date != date]
    return _edit(
        config, _with_meetings(config, {i: meetings}), [date.year] if years is None else years
    )


__all__ = [
    "MeetingPlanError",
    "ParsedPlan",
    "PlanEdit",
    "PlannedMeeting",
    "add_meetings",
    "add_plan",
    "cancel_meeting",
    "decode_text",
    "find_committee",
    "move_meeting",
    "not_working_sv",
    "parse_csv",
    "parse_date_sv",
    "parse_ics",
    "parse_meeting_plan",
    "parse_time_sv",
]
