"""Two versions of the årshjul compared field by field, as the ekonomichef reads the change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from arshjul.calendar.config import ArshjulConfig, Meeting, Person, WorkingDaysAfterPeriodEnd
from arshjul.calendar.config_diff import changes_sv, diff_configs
from arshjul.calendar.loader import load_config
from arshjul.calendar.meeting_plan import add_meetings, cancel_meeting, move_meeting

from .conftest import EXAMPLES

D = dt.date
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _reordered(config: ArshjulConfig) -> ArshjulConfig:
    # Every list with an identity in reverse order, meetings and members too.
    committees = [
        c.model_copy(update={"meetings": c.meetings[::-1], "members": c.members[::-1]})
        for c in config.committees[::-1]
    ]
    roles = [r.model_copy(update={"people": r.people[::-1]}) for r in config.roles[::-1]]
    return config.model_copy(
        update={
            "units": config.units[::-1],
            "committees": committees,
            "roles": roles,
            "reports": config.reports[::-1],
            "milestones": config.milestones[::-1],
        }
    )


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_same_or_reordered_is_no_change(path: Path) -> None:
    config = load_config(path)
    assert diff_configs(config, config) == []
    assert diff_configs(config, _reordered(config)) == []
    again = ArshjulConfig.model_validate(config.model_dump())
    assert diff_configs(config, again) == []
    assert changes_sv([]) == "Inga ändringar."


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_new_chef_and_a_moved_meeting(path: Path) -> None:
    config = load_config(path)
    unit = config.units[0]
    units = [unit.model_copy(update={"chef": Person(name="Bo B", email="bo.b@example.org")})]
    committee = config.committees[0]
    label = committee.short_name or committee.name
    old = next(d for d in committee.dates if d.year == 2027 and d.month == 2)
    new = old + dt.timedelta(days=1 if old.weekday() < 4 else 3)
    moved = move_meeting(config, committee.id, old, new).config
    changed = moved.model_copy(update={"units": units + list(config.units[1:])})

    changes = diff_configs(config, changed)

    assert [(c.path, c.kind, c.text_sv) for c in changes] == [
        (
            f"units[{unit.id}].chef",
            "changed",
            f"Chef för {unit.name}: {unit.chef.name} → Bo B",
        ),
        (
            f"committees[{committee.id}].meetings[{old.isoformat()}]",
            "moved",
            f"Sammanträde för {label} flyttat från {old.day} februari till {new.day} februari 2027",
        ),
    ]
    assert (changes[0].section, changes[0].item) == ("units", unit.id)
    assert (changes[0].before, changes[0].after) == (unit.chef.name, "Bo B")
    assert changes_sv(changes) == "2 ändringar: 1 flyttad, 1 ändrad."


def test_meetings_added_cancelled_and_retimed(hedemora: ArshjulConfig) -> None:
    ks = hedemora.committee("ks")
    march = next(d for d in ks.dates if (d.year, d.month) == (2027, 3))
    april = next(d for d in ks.dates if (d.year, d.month) == (2027, 4))
    config = add_meetings(
        hedemora, "ks", [Meeting(date=D(2029, 1, 30), time=dt.time(9, 0), place="Folkets hus")]
    ).config
    config = cancel_meeting(config, "ks", march).config
    config = move_meeting(config, "ks", april, april, time=dt.time(15, 0)).config
    changes = diff_configs(hedemora, config)
    assert [(c.path, c.kind, c.text_sv) for c in changes] == [
        (
            f"committees[ks].meetings[{april.isoformat()}].time",
            "changed",
            f"Sammanträde för KS {april.day} april 2027, tid: – → 15.00",
        ),
        (
            f"committees[ks].meetings[{march.isoformat()}]",
            "removed",
            f"Sammanträde inställt för KS: {march.day} mars 2027",
        ),
        (
            "committees[ks].meetings[2029-01-30]",
            "added",
            "Sammanträde tillagt för KS: 30 januari 2029 kl. 9.00, Folkets hus",
        ),
    ]


def test_people_rules_and_whole_items(hedemora: ArshjulConfig) -> None:
    ksau = hedemora.committee("ksau")
    gone, *kept = ksau.members
    newcomer = Person(name="Nils Ny", email="nils.ny@example.org")
    committees = [
        c.model_copy(update={"members": [*kept, newcomer]}) if c.id == "ksau" else c
        for c in hedemora.committees
    ]
    role = hedemora.roles[0]
    renamed = role.people[0].model_copy(update={"name": "Eva Ekström-Berg"})
    roles = [role.model_copy(update={"people": [renamed]}), *hedemora.roles[1:]]
    report = hedemora.report("manadsrapport")
    due = report.due
    assert isinstance(due, WorkingDaysAfterPeriodEnd)
    n = due.working_days_after_period_end
    reports = [
        r.model_copy(update={"due": WorkingDaysAfterPeriodEnd(working_days_after_period_end=n + 2)})
        if r.id == report.id
        else r
        for r in hedemora.reports
    ]
    extra = ksau.model_copy(update={"id": "ksbu", "name": "Budgetutskottet", "short_name": None})
    organisation = hedemora.organisation.model_copy(update={"send_time": dt.time(7, 30)})
    new = hedemora.model_copy(
        update={
            "organisation": organisation,
            "committees": [*committees, extra],
            "roles": roles,
            "reports": reports,
            "milestones": hedemora.milestones[1:],
        }
    )
    texts = [c.text_sv for c in diff_configs(hedemora, new)]
    first = hedemora.milestones[0]
    assert texts == [
        "Organisationen, utskickstid: 8.00 → 7.30",
        f"Person {renamed.name} i rollen {role.title}: {role.people[0].name} → {renamed.name}",
        f"Ledamot borttagen ur KSAU: {gone.name} ({gone.email})",
        "Ledamot tillagd i KSAU: Nils Ny (nils.ny@example.org)",
        "Organ tillagt: Budgetutskottet",
        f"Sista dag för Månadsrapport: {n} arbetsdagar efter periodens slut → "
        f"{n + 2} arbetsdagar efter periodens slut",
        f"Milstolpe borttagen: {first.title}",
    ]


def test_a_chef_renamed_at_the_same_address_shows_it(hedemora: ArshjulConfig) -> None:
    unit = hedemora.units[0]
    moved = unit.chef.model_copy(update={"email": "ny.adress@example.org"})
    new = hedemora.model_copy(
        update={"units": [unit.model_copy(update={"chef": moved}), *hedemora.units[1:]]}
    )
    (change,) = diff_configs(hedemora, new)
    assert change.text_sv == (
        f"Chef för {unit.name}: {unit.chef.name} ({unit.chef.email}) → "
        f"{unit.chef.name} (ny.adress@example.org)"
    )
