"""The whole default year on the test server.

120 rounds, the bundled Hedemora årshjul and the default script.
"""

from __future__ import annotations

from collections import Counter

from arshjul.simulation.run import YearResult

SOF_MARCH = "round/hedemora/manadsrapport/2026-03/sof"


def of_round(year: YearResult, workflow_id: str) -> list[tuple[str, str]]:
    """Returns (local "YYYY-MM-DD HH:MM", event) of one round."""
    return [(f"{e.time:%Y-%m-%d %H:%M}", e.event) for e in year.entries if e.round == workflow_id]


def test_late_unit_over_easter_is_reminded_then_escalated_weekly(default_year: YearResult) -> None:
    # Period ends 31 March; långfredag 3/4 and annandag påsk 6/4 are not working days, so the round
    # opens 3 working days later on 7 April and is due 10 working days after the period, 16 April.
    assert of_round(default_year, SOF_MARCH) == [
        ("2026-04-07 08:00", "request"),
        ("2026-04-13 08:00", "reminder"),  # 3 working days before 16/4
        ("2026-04-15 08:00", "reminder"),  # 1 working day before
        ("2026-04-17 08:00", "overdue"),  # the working day after the due date
        ("2026-04-20 08:00", "escalation"),  # 2 working days after the due date ...
        ("2026-04-27 08:00", "escalation"),  # ... then weekly until it is in
        ("2026-04-28 10:00", "submitted"),
        ("2026-04-28 10:00", "on_agenda"),  # KSAU 28/4 is too close (< 7 days): 19 May
        ("2026-05-19 13:00", "approved"),
    ]
    times = [e.time for e in default_year.entries if e.round == SOF_MARCH]
    assert {t.utcoffset().total_seconds() / 3600 for t in times} == {2.0}  # summer time
    escalation = next(
        e for e in default_year.entries if e.round == SOF_MARCH and e.event == "escalation"
    )
    assert escalation.detail == "Ekonomichef"


def test_reminders_around_christmas_and_in_winter_time(default_year: YearResult) -> None:
    # Due Wed 30 Dec: 5 working days before skips julafton, juldagen, annandag jul and the weekend.
    assert of_round(default_year, "round/hedemora/aktivitetsplaner/2026-10/ksf") == [
        ("2026-11-02 08:00", "request"),
        ("2026-12-21 08:00", "reminder"),
        (
            "2026-12-28 10:00",
            "submitted",
        ),  # two working days before the due date: no 29/12 reminder
        ("2026-12-28 10:00", "accepted"),  # no review for aktivitetsplaner
    ]
    first = next(
        e for e in default_year.entries if e.round.endswith("aktivitetsplaner/2026-10/ksf")
    )
    assert first.time.utcoffset().total_seconds() == 3600


def test_remit_then_approve_and_the_delarsrapport_chain_to_kf(default_year: YearResult) -> None:
    assert of_round(default_year, "round/hedemora/manadsrapport/2026-05/kfo")[-4:] == [
        ("2026-08-18 13:00", "remitted"),  # first KSAU after the summer break
        ("2026-08-21 10:00", "submitted"),  # 3 working days later, version 2
        ("2026-08-21 10:00", "on_agenda"),  # 8 September: the first meeting 7 days away
        ("2026-09-08 13:00", "approved"),
    ]
    kfo = [e for e in default_year.entries if e.round == "round/hedemora/manadsrapport/2026-05/kfo"]
    assert [e.event for e in kfo][-5:] == [
        "on_agenda",
        "remitted",
        "submitted",
        "on_agenda",
        "approved",
    ]
    assert (
        kfo[-4].detail
        == "ny sista dag 2026-09-01 – Analys av avvikelsen och planerade åtgärder saknas."
    )
    # KSAU forwards with a reason to KS, whose first October meeting is the target; KS passes it
    # on to fullmäktige, which approves in November (its target).
    sof = [e for e in default_year.entries if e.round == "round/hedemora/delarsrapport/2026-08/sof"]
    assert [(f"{e.time:%Y-%m-%d %H:%M}", e.event, e.detail) for e in sof][-6:] == [
        ("2026-09-17 10:00", "on_agenda", "Kommunstyrelsens arbetsutskott (KSAU) 2026-10-06"),
        (
            "2026-10-06 13:00",
            "referred",
            "Kommunstyrelsens arbetsutskott (KSAU) → Kommunstyrelsen (KS) – Prognosen visar ett "
            "väsentligt underskott; KS bör ta ställning.",
        ),
        ("2026-10-06 13:00", "on_agenda", "Kommunstyrelsen (KS) 2026-10-13"),
        ("2026-10-13 13:00", "passed_on", "Kommunstyrelsen (KS) → Kommunfullmäktige (KF)"),
        ("2026-10-13 13:00", "on_agenda", "Kommunfullmäktige (KF) 2026-11-24"),
        ("2026-11-24 13:00", "approved", "Kommunfullmäktige (KF)"),
    ]


def test_a_late_delarsrapport_misses_its_ks_meeting_and_says_so(default_year: YearResult) -> None:
    # Due 21 September, handed in 8 working days late (1 October): KSAU on 20 October, too late
    # for KS's 13 October; KS takes it on 27 October instead, marked and told.
    mbf = [e for e in default_year.entries if e.round == "round/hedemora/delarsrapport/2026-08/mbf"]
    got = [(f"{e.time:%Y-%m-%d %H:%M}", e.event, e.detail) for e in mbf]
    assert got[-7:] == [
        ("2026-10-01 10:00", "on_agenda", "Kommunstyrelsens arbetsutskott (KSAU) 2026-10-20"),
        (
            "2026-10-20 13:00",
            "passed_on",
            "Kommunstyrelsens arbetsutskott (KSAU) → Kommunstyrelsen (KS)",
        ),
        ("2026-10-20 13:00", "target_missed", "Kommunstyrelsen (KS) 2026-10-13"),
        ("2026-10-20 13:00", "on_agenda", "Kommunstyrelsen (KS) 2026-10-27"),
        ("2026-10-27 13:00", "passed_on", "Kommunstyrelsen (KS) → Kommunfullmäktige (KF)"),
        ("2026-10-27 13:00", "on_agenda", "Kommunfullmäktige (KF) 2026-11-24"),
        ("2026-11-24 13:00", "approved", "Kommunfullmäktige (KF)"),
    ]
    missed = [e.round for e in default_year.entries if e.event == "target_missed"]
    assert missed == ["round/hedemora/delarsrapport/2026-08/mbf"]


def test_negative_forecast_opens_an_action_plan_round(default_year: YearResult) -> None:
    plan = "round/hedemora/atgardsplan/2026-09/sbf"
    parent = [
        e for e in default_year.entries if e.round == "round/hedemora/manadsrapport/2026-09/sbf"
    ]
    assert ("followup_opened", f"{plan} (sista dag 2026-11-11)") in [
        (e.event, e.detail) for e in parent
    ]
    assert of_round(default_year, plan) == [
        ("2026-10-12 10:00", "request"),
        ("2026-11-06 08:00", "reminder"),
        ("2026-11-09 10:00", "submitted"),
        ("2026-11-09 10:00", "on_agenda"),
        ("2026-12-01 13:00", "approved"),
    ]


def test_every_round_of_the_year_is_requested_once_and_nothing_is_refused(
    default_year: YearResult,
) -> None:
    requests = Counter(e.round for e in default_year.entries if e.event == "request")
    assert len(requests) == 121 and set(requests.values()) == {1}  # 120 + the åtgärdsplan
    assert default_year.problems == []
    events = Counter(e.event for e in default_year.entries)
    # The unit late over påsk (2 escalations) and the late delårsrapport (4, every third day).
    assert events["escalation"] == 2 + 4 and events["overdue"] == 2
    assert events["remitted"] == 1 and events["referred"] == 1 and events["ks_approved"] == 0
    # The ten delårsrapporter pass KSAU and KS (one forwarded past KSAU's approval) to KF.
    assert events["passed_on"] == 10 + 9 and events["target_missed"] == 1
    # Every request, reminder, overdue notice, escalation and decision was one mail, sent once.
    notices = sum(events[k] for k in ("request", "reminder", "overdue", "escalation"))
    decided = ("approved", "remitted", "referred", "passed_on", "target_missed")
    assert default_year.mails == notices + sum(events[k] for k in decided)
    assert all(e.time.year == 2026 for e in default_year.entries)
