"""Every deadline of the default 2026 årshjul against dates worked out by hand from the rules.

Non-working days of 2026 used below: 1 Jan, 6 Jan (trettondedag), 3 Apr (långfredag), 6 Apr
(annandag påsk), 1 May, 14 May (Kristi himmelfärd), 19 Jun (midsommarafton), 24-26 Dec,
31 Dec (nyårsafton), and every weekend.
"""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.workdays import WorkingDays

D = dt.date

# (report, period) -> (opens, due), the same for every submitter.
ROUNDS_2026 = {
    # Månadsrapport: opens 3, due 10 working days after the period end.
    # Feb ends Sat 28: Mar 2,3,4 -> opens Mar 4; Mar 2-6 and 9-13 -> due Mar 13.
    ("manadsrapport", "2026-02"): (D(2026, 3, 4), D(2026, 3, 13)),
    # Mar ends Tue 31: Apr 1, 2, (påsk 3-6), 7 -> opens Apr 7; 8,9,10,13,14,15,16 -> due Apr 16.
    ("manadsrapport", "2026-03"): (D(2026, 4, 7), D(2026, 4, 16)),
    # Apr ends Thu 30: (1 May) 4,5,6 -> opens May 6; 7,8,11,12,13,(14 himmelfärd),15,18 -> May 18.
    ("manadsrapport", "2026-04"): (D(2026, 5, 6), D(2026, 5, 18)),
    # May ends Sun 31: Jun 1,2,3 -> opens Jun 3; 4,5,8,9,10,11,12 -> due Jun 12.
    ("manadsrapport", "2026-05"): (D(2026, 6, 3), D(2026, 6, 12)),
    # Sep ends Wed 30: Oct 1,2,5 -> opens Oct 5; 6,7,8,9,12,13,14 -> due Oct 14.
    ("manadsrapport", "2026-09"): (D(2026, 10, 5), D(2026, 10, 14)),
    # Oct ends Sat 31: Nov 2,3,4 -> opens Nov 4; 5,6,9,10,11,12,13 -> due Nov 13.
    ("manadsrapport", "2026-10"): (D(2026, 11, 4), D(2026, 11, 13)),
    # Delårsrapport: 1 and 15 working days after Mon 31 Aug: Sep 1; Sep 1-4, 7-11, 14-18, 21.
    ("delarsrapport", "2026-08"): (D(2026, 9, 1), D(2026, 9, 21)),
    # Årsbokslut 2025: 5 working days after Wed 31 Dec 2025: Jan 2, 5, (6 trettondedag), 7, 8, 9;
    # due 15 February 2026 is a Sunday -> Friday 13 February.
    ("arsbokslut", "2025-12"): (D(2026, 1, 9), D(2026, 2, 13)),
    ("arsredovisning-texter", "2025-12"): (D(2026, 1, 9), D(2026, 2, 13)),
    # Personalberättelse: 1 and 15 working days: Jan 2; Jan 2, 5, 7-9, 12-16, 19-23 -> Jan 23.
    ("personalberattelse", "2025-12"): (D(2026, 1, 2), D(2026, 1, 23)),
    ("personalberattelse", "2026-08"): (D(2026, 9, 1), D(2026, 9, 21)),
    # Analys: opens Jan 2; last working day of February 2026 is Friday the 27th.
    ("analys-aktivitetsplaner", "2025-12"): (D(2026, 1, 2), D(2026, 2, 27)),
    # VF-lista: 1 working day after Thu 30 Apr is Mon 4 May (1 May); due last working day of May,
    # Fri 29.
    ("vf-lista", "2026-04"): (D(2026, 5, 4), D(2026, 5, 29)),
    # Verksamhetsplan: 1 September (a Tuesday); before the end of October: Sat 31 -> Fri 30.
    ("verksamhetsplan", "2026-08"): (D(2026, 9, 1), D(2026, 10, 30)),
    # Aktivitetsplaner: Mon 2 Nov; last working day of December: 31st is nyårsafton -> Wed 30.
    ("aktivitetsplaner", "2026-10"): (D(2026, 11, 2), D(2026, 12, 30)),
}

MILESTONES_2026 = {
    "visionsdag": D(2026, 1, 22),  # 22 January, a Thursday
    "procentuell-ram": D(2026, 2, 17),  # 17 February, a Tuesday
    "namnd-arsredovisning": D(2026, 2, 27),  # last working day of February
    "analysgruppen": D(2026, 3, 13),
    "budgetdag": D(2026, 3, 18),
    "ks-faststaller-arsredovisning": D(2026, 3, 24),
    "arsredovisning-till-kf": D(2026, 3, 26),  # 2 working days after 24 March
    "kf-godkanner-arsredovisning": D(2026, 4, 28),
    "anvisningar-delarsrapport": D(2026, 6, 1),  # a Monday
    "namnd-verksamhetsforandringar": D(2026, 9, 15),
    "budgetberedning": D(2026, 9, 24),
    "namnd-prognos-maluppfyllelse": D(2026, 9, 25),
    "ksau-info-delarsrapport": D(2026, 10, 6),
    "revisorer-granskar-delarsrapport": D(2026, 10, 9),
    "ks-beslutar-delarsrapport": D(2026, 10, 13),
    "delarsrapport-till-kf": D(2026, 10, 14),  # 1 working day after 13 October
    "ksau-ramar": D(2026, 10, 20),
    "ks-budgetforslag": D(2026, 10, 27),  # 5 working days after 20 October: 21,22,23,26,27
    "anvisningar-arsredovisning": D(2026, 11, 10),
    "kf-budget": D(2026, 11, 24),
    "kf-maluppfyllelseprognos": D(2026, 11, 24),
    "detaljbudget": D(2026, 12, 15),
}

ALL_UNITS = {
    "ksf",
    "bun",
    "sof",
    "sbf",
    "kfo",
    "mbf",
    "energi",
    "bostader",
    "naringsliv",
    "stadshus",
}


@pytest.fixture(scope="module")
def entries(hedemora: ArshjulConfig) -> list:
    return expand_year(hedemora, 2026)


def test_every_round_opens_and_is_due_on_the_hand_computed_day(entries: list) -> None:
    found: dict[tuple[str, str], dict[str, set[dt.date]]] = {}
    for e in entries:
        if e.kind in ("opens", "due"):
            found.setdefault((e.report, e.period), {}).setdefault(e.kind, set()).add(e.date)
    # Aktivitetsplaner 2025-10 and verksamhetsplan 2025-08 have no 2026 dates; none others appear.
    assert set(found) == set(ROUNDS_2026)
    for key, (opens, due) in ROUNDS_2026.items():
        assert found[key] == {"opens": {opens}, "due": {due}}, key


def test_every_milestone_falls_on_the_hand_computed_day(entries: list) -> None:
    milestones = {e.uid.split("/")[1]: e.date for e in entries if e.kind == "milestone"}
    assert milestones == MILESTONES_2026


def test_every_unit_gets_opens_and_due_for_each_round(entries: list) -> None:
    for report, period in ROUNDS_2026:
        for kind in ("opens", "due"):
            units = {
                e.unit for e in entries if (e.report, e.period, e.kind) == (report, period, kind)
            }
            if report == "vf-lista":
                assert units == {"ksf", "bun", "sof", "sbf", "kfo", "mbf"}  # förvaltningar only
            elif report == "personalberattelse":
                assert units == {"hr-chef"}
            elif report == "arsredovisning-texter":
                assert units == {"kommunalrad", "kommundirektor"}
            else:
                assert units == ALL_UNITS


def test_reminders_fall_on_working_days_before_due(entries: list) -> None:
    reminders = sorted(
        {
            e.date
            for e in entries
            if e.kind == "reminder" and (e.report, e.period) == ("manadsrapport", "2026-03")
        }
    )
    # 3 and 1 working days before Thu 16 April: Mon 13 and Wed 15 April.
    assert reminders == [D(2026, 4, 13), D(2026, 4, 15)]


def test_entries_are_sorted_swedish_and_unique(entries: list) -> None:
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert len({e.uid for e in entries}) == len(entries)
    sof_due = next(
        e for e in entries if (e.kind, e.report, e.unit) == ("due", "manadsrapport", "sof")
    )
    assert sof_due.title == "Sista dag: Månadsrapport (februari 2026) – Socialförvaltningen"
    assert "10 arbetsdagar efter periodens slut" in sof_due.description
    assert "Maria Holm" in sof_due.description
    meetings = [e for e in entries if e.kind == "meeting"]
    assert len(meetings) == 15 + 12 + 8  # KSAU, KS and KF in 2026
    wd = WorkingDays()
    assert all(wd.is_working_day(e.date) for e in entries)


def test_unit_filter_keeps_its_own_and_shared_items(hedemora: ArshjulConfig) -> None:
    mine = expand_year(hedemora, 2026, unit="hr-chef")
    assert {e.unit for e in mine} == {None, "hr-chef"}
    assert {e.report for e in mine if e.unit} == {"personalberattelse"}
    with pytest.raises(ValueError, match="unknown unit"):
        expand_year(hedemora, 2026, unit="nope")


def test_round_specs_carry_everything_a_round_needs(hedemora: ArshjulConfig) -> None:
    specs = round_specs(hedemora, 2026)
    # 6 månadsrapporter x 10 units, delår, årsbokslut, analys, verksamhetsplan, aktivitetsplaner
    # x 10, VF-lista x 6, personalberättelse x 2 periods, texter x 2 roles.
    assert len(specs) == 60 + 5 * 10 + 6 + 2 + 2
    assert len({s.workflow_id for s in specs}) == len(specs)
    assert all(s.opens.year == 2026 for s in specs)
    feb = next(
        s
        for s in specs
        if (s.report_id, s.period, s.unit_id) == ("manadsrapport", "2026-02", "sof")
    )
    assert (feb.opens, feb.due, feb.period_end) == (D(2026, 3, 4), D(2026, 3, 13), D(2026, 2, 28))
    assert [r.email for r in feb.recipients] == ["maria.holm@example.org"]
    assert feb.escalation
    assert [r.email for r in feb.escalation.to] == ["eva.ekstrom@example.org"]
    assert feb.review
    assert feb.review.committee.id == "ksau"
    assert D(2026, 3, 17) in feb.review.committee.meetings
    assert feb.review.refers_to
    assert feb.review.refers_to.id == "ks"
    assert feb.followup
    assert feb.followup.report_id == "atgardsplan"
    assert feb.followup.deviation_threshold_tkr == 500
    assert [o.email for o in feb.owners] == ["eva.ekstrom@example.org"]
    assert feb.workflow_id == "round/hedemora/manadsrapport/2026-02/sof"
    hr = next(s for s in specs if s.unit_id == "hr-chef" and s.period == "2025-12")
    assert hr.unit_name == "HR-chef"
    assert hr.recipients[0].email == "helena.rask@example.org"
    # The årsbokslut of 2026 opens in 2027: Jan 1 and 6 are holidays -> 4, 5, 7, 8, 11 January.
    bokslut = [s for s in round_specs(hedemora, 2027) if s.report_id == "arsbokslut"]
    assert {(s.period, s.opens) for s in bokslut} == {("2026-12", D(2027, 1, 11))}
