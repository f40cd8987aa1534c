"""Every form of message the loader's cross-reference checks write has its Swedish sentence; the
forms below are the checks' own (crossref.py, chains.py, municipal.py), one each."""

from __future__ import annotations

import pytest

from arshjul.calendar.issues_sv import issue_sv

MESSAGES = {
    "unknown committee 'kf' (known: ks, ksau)": "okänt organ ”kf” (kända: ks, ksau)",
    "unknown role 'hr' (known: none)": "okänd roll ”hr”",
    "unknown unit 'x'": "okänd enhet ”x”",
    "duplicate unit or role id 'bun'": "id ”bun” används två gånger (enhet eller roll)",
    "required key is missing": "obligatorisk uppgift saknas",
    "key 'name' appears twice": "nyckeln ”name” står två gånger",
    "'ks' appears twice in the chain: each step is a different committee": "'ks' står två gånger",
    "'kf' is not a step of the chain": "'kf' är inget steg i granskningskedjan",
    "'ks' cannot forward to 'ksau': it is the same or an earlier step of the chain": (
        "'ks' kan inte lämna ärendet vidare till 'ksau'"
    ),
    "a step's meeting is that step's committee's": "det stegets eget organs",
    "this step's meeting is also given by review.meeting": "ange det på ett ställe",
    "code '11*' already belongs to unit 'ksf'": "koden '11*' hör redan till enheten 'ksf'",
    "'due' is reserved for a report's own dates": "'due' är ett reserverat id",
    "'unit_committee' is reserved for review chains": "reserverat id",
    "nobody submits this report: give units and/or roles": "ingen lämnar rapporten",
    "a month appears twice": "en månad står två gånger",
    "month 4 is given twice": "månad 4 står två gånger",
    "period month 8 is overridden twice": "månad 8 står två gånger",
    "month 13 is not between 1 and 12": "månad 13 finns inte (1–12)",
    "month 5 is not one of period_months": "månad 5 är inte en av rapportens perioder",
    "must be 1 or more": "ska vara 1 eller mer",
    "day 30 does not exist in month 2": "dag 30 finns inte i månad 2",
    "'x' is not a milestone or due (known: due, kf_budget)": (
        "'x' är inget datum att räkna från (kända: due, kf_budget)"
    ),
    "offset cycle: a -> b -> a": "i en cirkel: a → b → a",
    "due 2026-03-01 comes before opens 2026-03-05 for period 2026-02": (
        "sista dag 2026-03-01 kommer före öppningsdagen 2026-03-05"
    ),
    "unknown time zone 'Mars/Olympus'": "tidszonen 'Mars/Olympus' finns inte",
    "ambiguous: this rule gives the same date every year, but it serves the periods": "tvetydigt",
}


@pytest.mark.parametrize(("english", "swedish"), MESSAGES.items())
def test_each_form_has_its_swedish_sentence(english: str, swedish: str) -> None:
    said = issue_sv(english)
    assert said is not None and swedish in said


def test_an_unknown_form_is_left_to_the_caller() -> None:
    assert issue_sv("something nobody wrote a sentence for") is None
