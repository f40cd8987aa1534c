"""The ekonomichef's sammanträdesplan: CSV and ICS files as Excel, Outlook and arshjul write them,
every problem located in Swedish, and meetings added, moved and cancelled in a new configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from arshjul.calendar.check import check_config, check_edited
from arshjul.calendar.config import ArshjulConfig, Meeting
from arshjul.calendar.expand import expand_year
from arshjul.calendar.ics import to_ics
from arshjul.calendar.loader import load_config
from arshjul.calendar.meeting_plan import (
    MeetingPlanError,
    add_meetings,
    add_plan,
    cancel_meeting,
    move_meeting,
    parse_csv,
    parse_ics,
    parse_meeting_plan,
)
from arshjul.calendar.workdays import WorkingDays

from .conftest import EXAMPLES, HEDEMORA

D = dt.date
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _midsommarafton(year: int) -> dt.date:
    # The Friday between 19 and 25 June.
    return next(D(year, 6, d) for d in range(19, 26) if D(year, 6, d).weekday() == 4)


def _next_year_plan(config: ArshjulConfig, year: int) -> list[tuple[str, dt.date]]:
    # Next year's plan as a kommun would adopt it: the same weekday of the same week, moved to
    # the next working day when that is a holiday.
    wd = WorkingDays(config.working_days.non_working_eves)
    rows = []
    for c in config.committees:
        for day in c.dates:
            if day.year == year - 1:
                new = wd.next_or_same(day + dt.timedelta(weeks=52))
                rows.append((c.short_name or c.name, new))
    return rows


def _without_year(config: ArshjulConfig, year: int) -> ArshjulConfig:
    committees = [
        c.model_copy(update={"meetings": [m for m in c.meetings if m.date.year != year]})
        for c in config.committees
    ]
    return config.model_copy(update={"committees": committees})


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_next_years_plan_from_excel_csv_for_every_example(path: Path) -> None:
    config = load_config(path)
    last = max(d.year for c in config.committees for d in c.dates)
    year = last + 1
    rows = _next_year_plan(config, year)
    # Excel on Windows: semicolons, Windows-1252, CRLF, a place with å/ä/ö and a comma.
    lines = ["Organ;Datum;Tid;Plats"]
    lines += [f"{name};{day.isoformat()};8.30;Rådhuset, sal Å" for name, day in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")

    plan = parse_csv(data, config)

    assert plan.problems == []
    assert len(plan.meetings) == len(rows)
    missing = [f for f in check_config(config, [year]) if "saknas" in f.explanation_sv]
    assert missing, "the example has no plan for the next year"
    edit = add_plan(config, plan)
    assert edit.years == [year]
    for c in edit.config.committees:
        label = c.short_name or c.name
        expected = sorted(d for name, d in rows if name == label)
        assert [d for d in c.dates if d.year == year] == expected
        assert all(c.meeting(d).place == "Rådhuset, sal Å" for d in expected)  # type: ignore[union-attr]
        assert all(c.meeting(d).time == dt.time(8, 30) for d in expected)  # type: ignore[union-attr]
    # The plan is in: `calendar check` no longer says next year's meetings are missing.
    assert not [f for f in edit.findings if "Sammanträdesplanen" in f.explanation_sv]
    # The configuration given is unchanged (a new one is returned).
    assert not [d for c in config.committees for d in c.dates if d.year == year]


def test_english_header_commas_utf8_bom_and_quoted_place(hedemora: ArshjulConfig) -> None:
    text = (
        "committee,date,time,place\n"
        'ksau,2029-01-16,8:30,"Stadshuset, rum Gustav Vasa"\n'
        "\n"
        "Kommunstyrelsen (KS),30 januari 2029,13:00,\n"
        "kf,tisdag 13 februari 2029,18.00–21.00,\n"
    )
    plan = parse_csv(b"\xef\xbb\xbf" + text.encode(), hedemora)
    assert plan.problems == []
    got = [(p.committee_id, p.meeting, p.source) for p in plan.meetings]
    assert got == [
        (
            "ksau",
            Meeting(date=D(2029, 1, 16), time=dt.time(8, 30), place="Stadshuset, rum Gustav Vasa"),
            "Rad 2",
        ),
        ("ks", Meeting(date=D(2029, 1, 30), time=dt.time(13, 0)), "Rad 4"),
        ("kf", Meeting(date=D(2029, 2, 13), time=dt.time(18, 0)), "Rad 5"),
    ]


def test_utf16_tab_separated_text_from_excel(hedemora: ArshjulConfig) -> None:
    text = "datum\ttid\n2029-01-16\t08:30\n2029-01-30\t\n"
    plan = parse_meeting_plan(text.encode("utf-16"), hedemora, committee_id="ksau")
    assert plan.problems == []
    assert [(p.committee_id, p.meeting.date) for p in plan.meetings] == [
        ("ksau", D(2029, 1, 16)),
        ("ksau", D(2029, 1, 30)),
    ]


def test_every_problem_of_a_file_located_and_nothing_applied(hedemora: ArshjulConfig) -> None:
    midsommar = _midsommarafton(2029)
    first_existing = hedemora.committee("ksau").dates[0]
    sunday = D(2029, 2, 11)
    assert sunday.weekday() == 6
    rows = [
        "organ;datum;tid;plats",
        "KSAU;2029-01-16;8:30;Stadshuset",  # 2: fine
        "KSX;2029-02-13;;",  # 3
        "KS;2029-02-30;;",  # 4
        "",  # 5: ignored
        f"KF;{midsommar.isoformat()};;",  # 6
        "KF;12/2/2029;;",  # 7
        f"KS;{sunday.isoformat()};25:00;",  # 8
        "KS;12 februari 2029;;",  # 9: fine
        "ks;2029-02-12;;",  # 10: twice
        f"KSAU;{first_existing.isoformat()};;",  # 11: already planned
        "KS;måndag 13 februari 2029;;",  # 12: a Tuesday
        "KS;2029-03-06;;;extra",  # 13
        ";2029-03-06;;",  # 14
    ]
    plan = parse_csv("\n".join(rows), hedemora)
    known = ", ".join(sorted(c.short_name or c.name for c in hedemora.committees))
    assert known == "KF, KS, KSAU"
    assert plan.problems == [
        f"Rad 3: okänt organ ”KSX” (kända: {known})",
        "Rad 4: datumet ”2029-02-30” finns inte",
        f"Rad 6: {midsommar.isoformat()} är midsommarafton, ingen arbetsdag",
        "Rad 7: datumet ”12/2/2029” går inte att läsa; skriv det som ÅÅÅÅ-MM-DD eller med "
        "månaden i ord, t.ex. 2029-02-12 eller 12 februari 2029",
        "Rad 8: tiden ”25:00” finns inte",
        f"Rad 8: {sunday.isoformat()} är söndag, ingen arbetsdag",
        "Rad 10: KS 12 februari 2029 står redan på rad 9",
        f"Rad 11: KSAU har redan ett sammanträde {first_existing.day} januari "
        f"{first_existing.year} i sammanträdesplanen",
        "Rad 12: 13 februari 2029 är en tisdag, inte en måndag",
        "Rad 13: raden har 5 fält men rubrikraden 4 (står det ett avgränsningstecken i en "
        "plats? Sätt då platsen inom citattecken)",
        f"Rad 14: organ saknas (kända: {known})",
    ]
    assert not plan.ok
    with pytest.raises(MeetingPlanError) as refused:
        add_plan(hedemora, plan)
    assert refused.value.messages == plan.problems
    assert D(2029, 1, 16) not in hedemora.committee("ksau").dates


def test_a_public_holiday_is_named(hedemora: ArshjulConfig) -> None:
    plan = parse_csv("organ;datum\nKS;2029-05-01\nKS;2029-12-24\nKS;2029-05-10\n", hedemora)
    # Första maj; julafton; Kristi himmelsfärdsdag 2029 (Easter Sunday 1 April + 39 days).
    assert D(2029, 4, 1) + dt.timedelta(days=39) == D(2029, 5, 10)
    assert [p.split(": ", 1)[1] for p in plan.problems] == [
        "2029-05-01 är första maj, ingen arbetsdag",
        "2029-12-24 är julafton, ingen arbetsdag",
        "2029-05-10 är Kristi himmelsfärdsdag, ingen arbetsdag",
    ]


def test_eves_follow_the_configuration(hedemora: ArshjulConfig) -> None:
    working_eves = hedemora.model_copy(
        update={"working_days": hedemora.working_days.model_copy(update={"non_working_eves": []})}
    )
    day = _midsommarafton(2029)
    assert parse_csv(f"organ;datum\nKS;{day}\n", working_eves).problems == []


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "Filen är tom: ingen rubrikrad och inga sammanträden."),
        (b"organ;datum;tid\n", "Filen har en rubrikrad men inga sammanträden."),
        (
            b"KSAU;2029-01-16;08:30\n",
            "Rad 1: rubrikraden saknar kolumnen datum (date); första raden ska vara t.ex. "
            "organ;datum;tid;plats, men är ”KSAU;2029-01-16;08:30”",
        ),
        (
            b"datum;tid\n2029-01-16;08:30\n",
            "Rad 1: rubrikraden saknar kolumnen organ (committee); lägg till den eller välj "
            "organet innan filen läses in",
        ),
        (
            b"\x81\x8d\x8f",
            "Filen går inte att läsa som text (varken UTF-8 eller Windows-1252). Spara den som "
            "CSV (UTF-8) och försök igen.",
        ),
    ],
)
def test_a_file_that_is_no_plan(hedemora: ArshjulConfig, data: bytes, problem: str) -> None:
    assert parse_csv(data, hedemora).problems == [problem]


# --- ICS ---------------------------------------------------------------------------------------


def _ics(*events: dict[str, object]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//test//sv")
    cal.add("version", "2.0")
    for i, fields in enumerate(events):
        event = Event()
        event.add("uid", f"e{i}@test")
        event.add("dtstamp", dt.datetime(2028, 10, 1, tzinfo=dt.UTC))
        for key, value in fields.items():
            event.add(key, value)
        cal.add_component(event)
    return cal.to_ical()


def test_ics_built_with_icalendar_times_in_local_time(hedemora: ArshjulConfig) -> None:
    data = _ics(
        {
            "summary": "Sammanträde KSAU",
            "dtstart": dt.datetime(2029, 1, 16, 8, 30, tzinfo=STOCKHOLM),
            "location": "Stadshuset, rum Gustav Vasa",
        },
        # UTC: 12:00Z is 13:00 in winter and 14:00 in summer in Stockholm.
        {
            "summary": "Kommunstyrelsen (KS)",
            "dtstart": dt.datetime(2029, 1, 30, 12, 0, tzinfo=dt.UTC),
        },
        {"summary": "KS", "dtstart": dt.datetime(2029, 6, 12, 12, 0, tzinfo=dt.UTC)},
        {"summary": "KF budget", "dtstart": D(2029, 11, 20)},  # all day
        {"summary": "KF", "dtstart": D(2029, 11, 27), "status": "CANCELLED"},
    )
    plan = parse_ics(data, hedemora)
    assert plan.problems == []
    assert [(p.committee_id, p.meeting) for p in plan.meetings] == [
        (
            "ksau",
            Meeting(date=D(2029, 1, 16), time=dt.time(8, 30), place="Stadshuset, rum Gustav Vasa"),
        ),
        ("ks", Meeting(date=D(2029, 1, 30), time=dt.time(13, 0))),
        ("ks", Meeting(date=D(2029, 6, 12), time=dt.time(14, 0))),
        ("kf", Meeting(date=D(2029, 11, 20))),
    ]


def test_ics_problems_are_located(hedemora: ArshjulConfig) -> None:
    data = _ics(
        {"summary": "Styrelsemöte", "dtstart": D(2029, 1, 16)},
        {"summary": "KS och KSAU", "dtstart": D(2029, 1, 17)},
        {"summary": "KSAU", "dtstart": D(2029, 1, 16), "rrule": {"freq": "weekly", "count": 4}},
        {"summary": "KSAU", "dtstart": dt.datetime(2029, 6, 22, 8, 30, tzinfo=STOCKHOLM)},
        {"summary": "KSAU", "dtstart": D(2029, 1, 23)},
        {"summary": "KSAU", "dtstart": D(2029, 1, 23)},
    )
    plan = parse_ics(data, hedemora)
    assert plan.problems == [
        "Händelse 1 (”Styrelsemöte”): rubriken nämner inget känt organ (kända: KF, KS, KSAU); "
        "välj organet innan filen läses in",
        "Händelse 2 (”KS och KSAU”): rubriken nämner flera organ (KSAU, KS); välj organet",
        "Händelse 3 (”KSAU”): händelsen upprepas (RRULE); exportera sammanträdena ett och ett, "
        "eller skriv dem i en CSV-fil",
        "Händelse 4 (”KSAU”): 2029-06-22 är midsommarafton, ingen arbetsdag",
        "Händelse 6 (”KSAU”): KSAU 23 januari 2029 står redan på händelse 5 (”KSAU”)",
    ]
    # A chosen committee takes every event whatever its summary.
    chosen = parse_ics(
        _ics({"summary": "Styrelsemöte", "dtstart": D(2029, 1, 16)}), hedemora, committee_id="kf"
    )
    assert [(p.committee_id, p.meeting.date) for p in chosen.meetings] == [("kf", D(2029, 1, 16))]
    assert (
        parse_ics(b"not a calendar", hedemora)
        .problems[0]
        .startswith("Filen är ingen läsbar iCalendar-fil (.ics)")
    )


# As Outlook exports a calendar: CRLF, a VTIMEZONE, TZID parameters, folded lines, its X- fields.
OUTLOOK = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-MS-OLK-FORCEINSPECTOROPEN:TRUE
BEGIN:VTIMEZONE
TZID:@TZID@
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:@DST@
TZOFFSETTO:@STD@
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:@STD@
TZOFFSETTO:@DST@
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
CLASS:PUBLIC
CREATED:20281003T091500Z
DESCRIPTION:Kallelse skickas en vecka före.\\n
DTEND;TZID=@TZID@:20290116T@END@
DTSTAMP:20281003T091500Z
DTSTART;TZID=@TZID@:20290116T@START@
LAST-MODIFIED:20281003T091500Z
LOCATION:Stadshuset\\, sammanträdesrum Gustav Vasa (våning 2\\, ingång från Ma
 rkgatan)
PRIORITY:5
SEQUENCE:0
SUMMARY;LANGUAGE=sv:KSAU sammanträde
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
X-MICROSOFT-CDO-IMPORTANCE:1
END:VEVENT
BEGIN:VEVENT
DTEND;TZID=@TZID@:20290612T@END@
DTSTAMP:20281003T091500Z
DTSTART;TZID=@TZID@:20290612T@START@
LOCATION:Stadshuset
SUMMARY;LANGUAGE=sv:KSAU sammanträde
UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F6
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("tzid", "std", "dst", "start"),
    [
        ("Europe/Stockholm", "+0100", "+0200", "083000"),
        # Outlook on Windows names its zones so; the VTIMEZONE says what they are.
        ("W. Europe Standard Time", "+0100", "+0200", "083000"),
        # Sent from Helsinki: 9.30 there is 8.30 in Stockholm, winter and summer.
        ("FLE Standard Time", "+0200", "+0300", "093000"),
    ],
)
def test_an_outlook_export(
    hedemora: ArshjulConfig, tzid: str, std: str, dst: str, start: str
) -> None:
    end = f"{int(start[:2]) + 3:02d}{start[2:]}"
    text = OUTLOOK
    for token, value in (("@TZID@", tzid), ("@STD@", std), ("@DST@", dst)):
        text = text.replace(token, value)
    text = text.replace("@START@", start).replace("@END@", end)
    data = text.replace("\n", "\r\n").encode("utf-8")
    plan = parse_meeting_plan(data, hedemora, filename="Sammanträden KSAU 2029.ics")
    assert plan.problems == []
    assert [(p.committee_id, p.meeting) for p in plan.meetings] == [
        (
            "ksau",
            Meeting(
                date=D(2029, 1, 16),
                time=dt.time(8, 30),
                place="Stadshuset, sammanträdesrum Gustav Vasa (våning 2, ingång från Markgatan)",
            ),
        ),
        ("ksau", Meeting(date=D(2029, 6, 12), time=dt.time(8, 30), place="Stadshuset")),
    ]


def test_arshjuls_own_ics_reads_back_as_the_plan() -> None:
    # A year's meetings published by arshjul (`/calendar/all.ics`), read into a configuration
    # that lacks that year, give back every committee's meetings with their times and places.
    config = load_config(HEDEMORA)
    year = 2027
    meetings = [e for e in expand_year(config, year) if e.kind == "meeting"]
    data = to_ics(meetings, org_name=config.organisation.name, calendar_name="Sammanträden")
    bare = _without_year(config, year)
    edit = add_plan(bare, parse_ics(data, bare))
    for c, original in zip(edit.config.committees, config.committees, strict=True):
        assert c.dates == original.dates
        for day in original.dates:
            assert c.meeting(day) == original.meeting(day)


# --- operations ---------------------------------------------------------------------------------


def test_add_meetings_refuses_days_off_and_doubles(hedemora: ArshjulConfig) -> None:
    existing = hedemora.committee("ks").dates[0]
    with pytest.raises(MeetingPlanError) as refused:
        add_meetings(
            hedemora,
            "ks",
            [
                Meeting(date=D(2029, 2, 11)),
                Meeting(date=D(2029, 2, 13)),
                Meeting(date=D(2029, 2, 13)),
                Meeting(date=existing),
            ],
        )
    assert refused.value.messages == [
        "KS 11 februari 2029: 11 februari 2029 är söndag, ingen arbetsdag",
        "KS 13 februari 2029: KS 13 februari 2029 står redan bland de nya",
        f"KS {existing.day} januari {existing.year}: KS har redan ett sammanträde "
        f"{existing.day} januari {existing.year} i sammanträdesplanen",
    ]
    with pytest.raises(MeetingPlanError) as unknown:
        add_meetings(hedemora, "ksx", [Meeting(date=D(2029, 2, 13))])
    assert unknown.value.messages == ["Organ: okänt organ ”ksx” (kända: KF, KS, KSAU)"]


def test_added_meeting_keeps_only_what_differs_from_the_usual(hedemora: ArshjulConfig) -> None:
    ks = hedemora.committee("ks")
    edit = add_meetings(
        hedemora,
        "ks",
        [Meeting(date=D(2029, 1, 30), time=ks.meeting_time, place="Folkets hus")],
    )
    stored = next(m for m in edit.config.committee("ks").meetings if m.date == D(2029, 1, 30))
    assert stored == Meeting(date=D(2029, 1, 30), place="Folkets hus")
    assert edit.config.committee("ks").meeting(D(2029, 1, 30)) == Meeting(
        date=D(2029, 1, 30), time=ks.meeting_time, place="Folkets hus"
    )
    assert edit.config.committee("ks").dates == sorted(edit.config.committee("ks").dates)


def test_move_a_meeting(hedemora: ArshjulConfig) -> None:
    ksau = hedemora.committee("ksau")
    old = next(d for d in ksau.dates if (d.year, d.month) == (2027, 2))
    new = old + dt.timedelta(days=7)
    edit = move_meeting(hedemora, "ksau", old, new, time=dt.time(9, 0))
    moved = edit.config.committee("ksau")
    assert old not in moved.dates and new in moved.dates
    assert len(moved.dates) == len(ksau.dates)
    assert moved.meeting(new) == Meeting(date=new, time=dt.time(9, 0), place=ksau.meeting_place)
    assert edit.years == [2027]
    assert old in hedemora.committee("ksau").dates  # the old configuration is untouched


def test_move_refusals_are_located(hedemora: ArshjulConfig) -> None:
    ks = hedemora.committee("ks")
    october = [d for d in ks.dates if (d.year, d.month) == (2026, 10)]
    assert len(october) == 2
    first, second = october
    missing = first + dt.timedelta(days=1)
    with pytest.raises(MeetingPlanError) as no_meeting:
        move_meeting(hedemora, "ks", missing, first + dt.timedelta(days=7))
    assert no_meeting.value.messages == [
        f"KS {missing.day} oktober 2026: KS har inget sammanträde {missing.day} oktober 2026 "
        f"(sammanträden i oktober 2026: {first.day} oktober 2026, {second.day} oktober 2026)"
    ]
    midsommar = _midsommarafton(2026)
    with pytest.raises(MeetingPlanError) as eve:
        move_meeting(hedemora, "ks", first, midsommar)
    assert eve.value.messages == [
        f"KS {first.day} oktober 2026 → {midsommar.day} juni 2026: {midsommar.day} juni 2026 "
        "är midsommarafton, ingen arbetsdag"
    ]
    with pytest.raises(MeetingPlanError) as taken:
        move_meeting(hedemora, "ks", first, second)
    assert taken.value.messages == [
        f"KS {first.day} oktober 2026 → {second.day} oktober 2026: KS har redan ett sammanträde "
        f"{second.day} oktober 2026 i sammanträdesplanen"
    ]


def test_a_move_that_breaks_the_year_is_found_by_the_checks(hedemora: ArshjulConfig) -> None:
    # The delårsrapport goes from KSAU to KS's first October meeting; moved a week earlier, KS
    # meets before the report can get there even when handed in on its due date.
    ks = hedemora.committee("ks")
    first = next(d for d in ks.dates if (d.year, d.month) == (2026, 10))
    earlier = first - dt.timedelta(days=7)
    assert earlier.month == 10
    edit = move_meeting(hedemora, "ks", first, earlier)
    assert [f.severity for f in edit.errors] == ["error"]
    assert "Delårsrapport augusti 2026" in edit.errors[0].explanation_sv
    assert edit.errors[0].path.startswith("reports[")


def test_cancel_a_meeting(hedemora: ArshjulConfig) -> None:
    ks = hedemora.committee("ks")
    march = [d for d in ks.dates if (d.year, d.month) == (2027, 3)]
    assert len(march) == 1
    edit = cancel_meeting(hedemora, "ks", march[0])
    assert march[0] not in edit.config.committee("ks").dates
    # KS fastställer årsredovisningen at its March meeting: without one, an error says so.
    assert any(
        "KS fastställer årsredovisningen 2026" in f.explanation_sv
        and "mars 2027" in f.explanation_sv
        for f in edit.errors
    )
    with pytest.raises(MeetingPlanError):
        cancel_meeting(hedemora, "ks", march[0] + dt.timedelta(days=1))


def test_an_edit_that_breaks_a_reference_is_an_error(hedemora: ArshjulConfig) -> None:
    # A chain naming a deleted committee: the loader's checks, located, before the yearly ones.
    without_kf = hedemora.model_copy(
        update={"committees": [c for c in hedemora.committees if c.id != "kf"]}
    )
    findings = check_edited(without_kf, [2027])
    assert findings and {f.severity for f in findings} == {"error"}
    delar = next(i for i, r in enumerate(hedemora.reports) if r.id == "delarsrapport")
    assert any(f.path.startswith(f"reports[{delar}].review.chain") for f in findings)
    assert all(
        f.explanation_sv.startswith("Konfigurationen hänger inte ihop vid ") for f in findings
    )
    # In Swedish throughout: the English message stays in `message`, for the log.
    chain = next(f for f in findings if f.path.startswith(f"reports[{delar}].review.chain"))
    assert "okänt organ ”kf” (kända: " in chain.explanation_sv
    assert "unknown" not in chain.explanation_sv and "unknown committee 'kf'" in chain.message
    assert check_edited(hedemora, [2027]) == check_config(hedemora, [2027])


def test_a_title_above_the_header_is_left_out(hedemora: ArshjulConfig) -> None:
    text = (
        "Sammanträdesplan 2029\n"
        "Antagen av kommunstyrelsen 2028-11-14;;\n"
        "\n"
        "Organ,Datum,Tid\n"
        "KSAU,2029-01-16,8.30\n"
        "KS,2029-01-32,\n"
    )
    plan = parse_csv(text, hedemora)
    assert plan.problems == ["Rad 6: datumet ”2029-01-32” finns inte"]
    assert [(p.committee_id, p.meeting.date, p.source) for p in plan.meetings] == [
        ("ksau", D(2029, 1, 16), "Rad 5")
    ]
