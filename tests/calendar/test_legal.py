"""Legal limits: the shipped årshjul keeps them; moving an item past a limit is reported."""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.check import check_config
from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.legal import check_legal, legal_limit, two_months_after
from arshjul.calendar.loader import load_config_text
from tests.calendar.conftest import HEDEMORA

D = dt.date


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_shipped_examples_keep_every_limit(
    hedemora: ArshjulConfig, tertial: ArshjulConfig, year: int
) -> None:
    assert check_legal(hedemora, year) == []
    assert check_legal(tertial, year) == []


def test_limits() -> None:
    assert legal_limit("arsredovisning_to_kf", 2025) == D(2026, 4, 15)
    assert legal_limit("delarsrapport_to_kf", 2026, D(2026, 8, 31)) == D(2026, 10, 31)
    assert legal_limit("delarsrapport_to_kf", 2026, D(2026, 4, 30)) == D(2026, 6, 30)
    assert legal_limit("ks_budget_proposal", 2027) == D(2026, 10, 31)
    assert legal_limit("kf_budget", 2027) == D(2026, 11, 30)
    assert two_months_after(D(2026, 12, 31)) == D(2027, 2, 28)
    assert two_months_after(D(2026, 12, 15)) == D(2027, 2, 15)


def _hedemora_with(old: str, new: str) -> ArshjulConfig:
    text = HEDEMORA.read_text(encoding="utf-8")
    assert old in text
    return load_config_text(text.replace(old, new))


KS_AR = "    committee: ks\n    responsible_roles: [ekonomichef]"
KF_BUDGET = "    committee: kf\n    legal: kf_budget"
LATE_CASES = {
    # KS fastställer 14 April; two working days later is Thursday 16 April 2026.
    "arsredovisning_to_kf arsredovisning-till-kf 2026-04-16 2026-04-15": (
        f"date: {{meeting: ks, month: 3}}\n{KS_AR}",
        f"date: {{month: 4, day: 14}}\n{KS_AR}",
    ),
    # KS decides the delårsrapport on 30 October; one working day later is Monday 2 November.
    "delarsrapport_to_kf delarsrapport-till-kf 2026-11-02 2026-10-31": (
        "date: {meeting: ks, month: 10}\n    committee: ks\n    responsible_roles: [kommundirektor",
        "date: {month: 10, day: 30}\n    committee: ks\n    responsible_roles: [kommundirektor",
    ),
    # Ten working days after KSAU's last October meeting (20 October) is Tuesday 3 November.
    "ks_budget_proposal ks-budgetforslag 2026-11-03 2026-10-31": (
        "date: {meeting: ks, month: 10, which: last}\n    committee: ks\n    legal: ks_budget",
        "date: {after: ksau-ramar, working_days: 10}\n    committee: ks\n    legal: ks_budget",
    ),
    "kf_budget kf-budget 2026-12-01 2026-11-30": (
        f"date: {{meeting: kf, month: 11}}\n{KF_BUDGET}",
        f"date: {{month: 12, day: 1}}\n{KF_BUDGET}",
    ),
}


@pytest.mark.parametrize(("expected", "edit"), LATE_CASES.items())
def test_a_late_item_is_reported(expected: str, edit: tuple[str, str]) -> None:
    rule, item, day, limit = expected.split()
    violations = check_legal(_hedemora_with(*edit), 2026)
    found = [(v.rule, v.item, v.date.isoformat(), v.limit.isoformat()) for v in violations]
    assert found == [(rule, item, day, limit)]
    assert day in violations[0].message_sv
    assert limit in violations[0].message_en


def test_arsredovisning_limit_counts_from_the_year_reported(hedemora: ArshjulConfig) -> None:
    # 16 April 2026: after the limit of årsredovisning 2025 (15 April 2026).
    config = _hedemora_with(
        "ks-faststaller-arsredovisning, working_days: 2}",
        "ks-faststaller-arsredovisning, working_days: 16}",
    )
    (v,) = check_legal(config, 2026)
    assert v.title == "Årsredovisningen 2025 överlämnas till KF och revisorerna"
    assert v.message_sv.startswith(
        "Årsredovisningen ska lämnas till fullmäktige och revisorerna senast den 15 april"
    )


def test_a_report_due_after_its_limit_is_reported() -> None:
    config = _hedemora_with(
        "    due: {working_days_after_period_end: 15}\n"
        "    reminders_working_days_before_due: [5, 1]\n"
        "    escalation: {after_working_days: 1",
        "    due: {working_days_after_period_end: 50}\n"
        "    reminders_working_days_before_due: [5, 1]\n"
        "    escalation: {after_working_days: 1",
    )
    violations = check_legal(config, 2026)
    # 50 working days after Mon 31 Aug 2026: September has 22, October 22 (1-2, 5-30),
    # then Nov 2-6 and 9.
    assert [(v.item, v.date, v.limit) for v in violations] == [
        ("delarsrapport/2026-08", D(2026, 11, 9), D(2026, 10, 31))
    ]


def test_a_year_with_a_missing_meeting_still_has_its_budget_checked() -> None:
    # KS's meetings of 2026 gone: every date counted from them is uncomputable, but a KF budget
    # fixed on 1 December is still after the law's 30 November, in `calendar check` too.
    late = _hedemora_with(
        f"date: {{meeting: kf, month: 11}}\n{KF_BUDGET}",
        f"date: {{month: 12, day: 1}}\n{KF_BUDGET}",
    )
    ks = next(c for c in late.committees if c.id == "ks")
    without = ks.model_copy(update={"meetings": [m for m in ks.meetings if m.date.year != 2026]})
    config = late.model_copy(
        update={"committees": [without if c.id == "ks" else c for c in late.committees]}
    )
    found = [(v.rule, v.item, v.date) for v in check_legal(config, 2026)]
    assert found == [("kf_budget", "kf-budget", dt.date(2026, 12, 1))]
    findings = check_config(config, [2026])
    assert any(f.severity == "legal" and "kf-budget" in f.path + f.message for f in findings)
    assert any(f.severity == "error" for f in findings)  # the missing meetings, as before
