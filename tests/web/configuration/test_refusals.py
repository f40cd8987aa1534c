"""Bad input is refused with the located Swedish message and changes nothing: a meeting on a
Sunday or on midsommarafton, a review chain naming a committee deleted in the YAML editor, a
budget after 30 November, a duplicate unit id, a malformed CSV line, a save on a stale base."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
import yaml

from arshjul.settings import BUNDLED_CONFIG
from arshjul.store import configuration as store
from arshjul.swedish import date_sv
from tests.web.configuration.conftest import hidden_form, refusal, text_of
from tests.web.conftest import EKONOMICHEF, WebRig, csrf_of, today


def imported(web: WebRig) -> str:
    """Imports the bundled file as version 1 (as `up` does) and returns its text."""
    with web.sessions() as session:
        stored = store.import_file(session, BUNDLED_CONFIG, actor="test", reason="Första start")
        session.commit()
    return stored.text


def versions(web: WebRig) -> int | None:
    """Returns the newest version's number."""
    with web.sessions() as session:
        return store.current_version(session)


def first_day(after: dt.date, weekday: int) -> dt.date:
    """Returns the first day after `after` with this weekday (0 Monday, 6 Sunday)."""
    found = after + dt.timedelta(days=1)
    while found.weekday() != weekday:
        found += dt.timedelta(days=1)
    return found


def midsommarafton(year: int) -> dt.date:
    """Returns midsommarafton of the year (the Friday between 19 and 25 June)."""
    return next(dt.date(year, 6, d) for d in range(19, 26) if dt.date(year, 6, d).weekday() == 4)


@pytest.fixture
async def owner(web: WebRig) -> httpx.AsyncClient:
    """The ekonomichef, logged in."""
    return await web.login(EKONOMICHEF)


async def test_a_meeting_on_a_sunday_is_refused(web: WebRig, owner: httpx.AsyncClient) -> None:
    sunday = first_day(today() + dt.timedelta(days=30), 6)
    page = await owner.get(f"/installningar/organ/ksau?ar={sunday.year}")
    answer = await owner.post(
        "/installningar/organ/ksau/sammantraden",
        data={"csrf": csrf_of(page.text), "date": sunday.isoformat(), "ar": str(sunday.year)},
    )
    assert answer.status_code == 422
    said = refusal(answer.text)
    assert f"KSAU {date_sv(sunday)}: {date_sv(sunday)} är söndag, ingen arbetsdag" in said, said
    assert "Inget har ändrats." in refusal(answer.text)
    assert 'value="' + sunday.isoformat() + '"' in answer.text  # the typed date is kept
    assert versions(web) is None
    again = await owner.get(f"/installningar/organ/ksau?ar={sunday.year}")
    assert f'id="m-{sunday.isoformat()}"' not in again.text


async def test_a_meeting_moved_to_midsommarafton_is_refused(
    web: WebRig, owner: httpx.AsyncClient
) -> None:
    year = today().year + 1
    eve = midsommarafton(year)
    ksau = web.config.committee("ksau")
    day = next(d for d in ksau.dates if d.year == year)
    page = await owner.get(f"/installningar/organ/ksau?ar={year}")
    answer = await owner.post(
        f"/installningar/organ/ksau/sammantraden/{day}/flytta",
        data={"csrf": csrf_of(page.text), "new_date": eve.isoformat()},
    )
    assert answer.status_code == 422
    said = refusal(answer.text)
    where = f"KSAU {date_sv(day)} → {date_sv(eve)}"
    assert f"{where}: {date_sv(eve)} är midsommarafton, ingen arbetsdag" in said, said
    assert versions(web) is None
    again = await owner.get(f"/installningar/organ/ksau?ar={year}")
    assert f'id="m-{day.isoformat()}"' in again.text


async def _yaml(owner: httpx.AsyncClient, text: str) -> httpx.Response:
    page = await owner.get("/installningar/yaml")
    return await owner.post(
        "/installningar/yaml",
        data={"csrf": csrf_of(page.text), "text": text, "base": "1"},
    )


async def test_a_chain_naming_a_deleted_committee_is_refused_in_the_editor(
    web: WebRig, owner: httpx.AsyncClient
) -> None:
    text = imported(web)
    data = yaml.safe_load(text)
    data["committees"] = [c for c in data["committees"] if c["id"] != "kf"]
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    answer = await _yaml(owner, edited)
    assert answer.status_code == 422
    said = refusal(answer.text)
    line = next(
        n
        for n, row in enumerate(edited.splitlines(), 1)
        if row.strip() == "- committee: kf" or row.strip() == "- kf"
    )
    assert f"Rad {line} (reports[1].review.chain[2]" in said, said
    assert "Okänt organ ”kf”" in said and "Inget har sparats" in said
    assert "<textarea" in answer.text and "ks-utskott" not in said
    assert versions(web) == 1


async def test_a_budget_after_november_is_refused_as_unlawful(
    web: WebRig, owner: httpx.AsyncClient
) -> None:
    text = imported(web)
    budget = "    date: {meeting: kf, month: 11}\n    committee: kf\n    legal: kf_budget"
    assert budget in text
    edited = text.replace(budget, budget.replace("month: 11", "month: 12"))
    answer = await _yaml(owner, edited)
    assert answer.status_code == 422
    said = refusal(answer.text)
    line = edited.splitlines().index("    date: {meeting: kf, month: 12}") + 1
    assert f"Rad {line} (milestones[" in said, said
    assert "Lagkrav" in said and "november" in said
    assert "Spara och tillämpa" not in answer.text
    assert versions(web) == 1


async def test_a_duplicate_unit_id_is_refused(web: WebRig, owner: httpx.AsyncClient) -> None:
    text = imported(web)
    data = yaml.safe_load(text)
    twin = dict(data["units"][0], name="En andra enhet")
    data["units"].append(twin)
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    answer = await _yaml(owner, edited)
    assert answer.status_code == 422
    said = refusal(answer.text)
    assert f"units[{len(data['units']) - 1}]" in said and "Rad " in said, said
    assert f"Id ”{data['units'][0]['id']}” används två gånger" in said
    assert versions(web) == 1


async def test_a_malformed_csv_line_is_refused(web: WebRig, owner: httpx.AsyncClient) -> None:
    year = today().year + 3
    monday = first_day(dt.date(year, 2, 1), 0)
    plan = f"organ;datum;tid;plats\nKSAU;{monday};08:30;Stadshuset\nKS;den tolfte;13:00;Sal\n"
    page = await owner.get("/installningar/organ")
    answer = await owner.post(
        "/installningar/sammantradesplan",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("plan.csv", plan.encode(), "text/csv")},
    )
    assert answer.status_code == 422
    said = refusal(answer.text)
    assert "plan.csv: Rad 3: datumet ”den tolfte” går inte att läsa" in said, said
    assert versions(web) is None
    listed = await owner.get(f"/installningar/organ/ksau?ar={year}")
    assert 'id="no-plan"' in listed.text


async def test_a_save_on_a_stale_base_is_refused_and_keeps_the_proposal(
    web: WebRig, owner: httpx.AsyncClient
) -> None:
    imported(web)
    other = await web.login("lars.malm@example.org")  # no ekonomichef: may not see the pages
    assert (await other.get("/installningar")).status_code == 403
    units = await owner.get("/installningar/enheter")
    first = await owner.post(
        "/installningar/enheter/bun/chef",
        data={"csrf": csrf_of(units.text), "name": "Nina Ny", "email": "nina.ny@example.org"},
    )
    second = await owner.post(
        "/installningar/enheter/sof/chef",
        data={"csrf": csrf_of(units.text), "name": "Olle Annan", "email": "olle@example.org"},
    )
    assert first.status_code == second.status_code == 200
    saved = await owner.post(
        "/installningar/spara", data=hidden_form(first.text) | {"reason": "Ny chef på BUN"}
    )
    assert saved.status_code == 200 and versions(web) == 2
    stale = await owner.post(
        "/installningar/spara", data=hidden_form(second.text) | {"reason": "Ny chef på SOF"}
    )
    assert stale.status_code == 409
    said = text_of(stale.text)
    assert "Version 2 sparades" in said and "Eva Ekström" in said and "Ny chef på BUN" in said
    assert "Nina Ny" in said  # what changed meanwhile
    assert "Ny chef för Socialförvaltningen: Olle Annan" in said  # the proposal, kept
    kept = hidden_form(stale.text, "keep")
    assert "Olle Annan" in kept["proposal"] and kept["base"] == "2"
    assert versions(web) == 2


async def test_a_save_needs_a_reason(web: WebRig, owner: httpx.AsyncClient) -> None:
    units = await owner.get("/installningar/enheter")
    preview = await owner.post(
        "/installningar/enheter/bun/chef",
        data={"csrf": csrf_of(units.text), "name": "Nina Ny", "email": "nina.ny@example.org"},
    )
    answer = await owner.post("/installningar/spara", data=hidden_form(preview.text))
    assert answer.status_code == 422
    assert "Skriv varför ändringen görs" in refusal(answer.text)
    assert 'id="confirm"' in answer.text  # the proposal is still there to save
    assert versions(web) is None
