"""The words of a round's pages: one status vocabulary (a round past its day is "Försenad" on the
form, the case page and the overview alike) and people by name, not by address."""

from __future__ import annotations

import datetime as dt

from arshjul.store.repositories import UnitPeopleRepository
from tests.web.conftest import (
    CHEF,
    EKONOMICHEF,
    KSAU_MEMBER,
    ON_BUDGET,
    WebRig,
    csrf_of,
    round_spec,
    today,
)

DEPUTY = "dana.ersattare@example.org"


def _status(html: str) -> str:
    return html.split('id="round-state">')[1].split("<")[0]


async def test_a_round_past_its_day_is_late_on_every_page(web: WebRig) -> None:
    t = today()
    spec = round_spec(web.config).model_copy(
        update={"opens": t - dt.timedelta(days=12), "due": t - dt.timedelta(days=2)}
    )
    await web.start_round(spec)
    link = await web.link_from_mail(CHEF, "s")
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"

    form = await web.http.get(link)
    assert _status(form.text) == "Försenad"
    ksau = await web.login(KSAU_MEMBER)
    assert _status((await ksau.get(case)).text) == "Försenad"
    eva = await web.login(EKONOMICHEF)
    overview = (await eva.get("/")).text
    row = overview.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>")[0]
    assert "Försenad" in row
    assert "Väntar på inlämning" not in form.text.split("<h2>Historik")[0]

    # Sent late, every page says where it is now, in the same words.
    sent = await web.http.post(link, data={"csrf": csrf_of(form.text), **ON_BUDGET})
    assert sent.status_code == 303
    receipt = (await web.http.get(sent.headers["location"])).text
    now = receipt.split("<dt>Status nu</dt><dd")[1].split("</dd>")[0]
    assert "Försenad" not in now and ("Inlämnad" in now or "På dagordningen" in now)
    await ksau.aclose()
    await eva.aclose()


async def test_the_receipt_names_who_sent_it(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    receipt = (await web.http.get(sent.headers["location"])).text
    chef = web.config.person_name(CHEF)
    assert chef
    assert f'<dd id="submitted-by">{chef}</dd>' in receipt
    assert CHEF not in receipt.split("<h2>Det här skickades")[0]

    # A deputy, logged in, sends a correction: the receipt names the deputy from the store.
    with web.sessions.begin() as session:
        UnitPeopleRepository(session).add(
            org_id=spec.org_id,
            unit_id=spec.unit_id,
            kind="deputy",
            name="Dana Ersättare",
            email=DEPUTY,
            starts=today(),
            ends=today() + dt.timedelta(days=7),
            created_by=CHEF,
        )
    deputy = await web.login(DEPUTY)
    form = await deputy.get(link)
    fixed = {**ON_BUDGET, "action": "correct", "economic.analysis": "Rättad av ersättaren."}
    again = await deputy.post(link, data={"csrf": csrf_of(form.text), **fixed})
    assert again.status_code == 303, again.text[:2000]
    second = (await deputy.get(again.headers["location"])).text
    assert '<dd id="submitted-by">Dana Ersättare</dd>' in second
    assert DEPUTY not in second
    await deputy.aclose()
