"""A förvaltningschef logs in, sees the unit's rounds in "Mina rapporter", opens the form from
there, and sets a deputy; the deputy may log in during their dates; others may not manage."""

from __future__ import annotations

import datetime as dt

from arshjul.store.repositories import SubmissionRepository, UnitPeopleRepository
from tests.web.conftest import (
    CHEF,
    EKONOMICHEF,
    KSAU_MEMBER,
    ON_BUDGET,
    WebRig,
    csrf_of,
    today,
)

DEPUTY = "dana.ersattare@example.org"


async def test_a_chef_sees_my_reports_and_sets_a_deputy(web: WebRig) -> None:
    spec, _ = await web.open_round()
    chef = await web.login(CHEF)
    page = await chef.get("/mina-rapporter")
    assert page.status_code == 200 and "Barn- och utbildningsförvaltningen" in page.text
    row = page.text.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>")[0]
    assert "Väntar på inlämning" in row and "Fyll i och lämna" in row
    assert ">Mina rapporter</a>" in page.text  # in the menu

    # The form opens from the page, and the submission names the person who sent it.
    form = await chef.get(f"/enheter/bun/rapport/manadsrapport/{spec.period}")
    assert form.status_code == 303 and form.headers["location"].startswith("/s/")
    link = form.headers["location"]
    sent = await chef.post(link, data={"csrf": csrf_of((await chef.get(link)).text), **ON_BUDGET})
    assert sent.status_code == 303
    with web.sessions() as session:
        latest = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
        assert latest is not None and latest.submitted_by == CHEF

    csrf = csrf_of(page.text)
    t = today()
    bad = await chef.post(
        "/enheter/bun/personer",
        data={"csrf": csrf, "kind": "deputy", "name": "", "email": "nej", "starts": "x"},
    )
    assert bad.status_code == 400
    assert "Ange personens namn." in bad.text and "Ange en giltig e-postadress" in bad.text
    added = await chef.post(
        "/enheter/bun/personer",
        data={
            "csrf": csrf,
            "kind": "deputy",
            "name": "Dana Ersättare",
            "email": DEPUTY,
            "starts": t.isoformat(),
            "ends": (t + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert added.status_code == 303
    unit = (await chef.get("/enheter/bun")).text
    assert "Dana Ersättare" in unit and "ersättare" in unit

    deputy = await web.login(DEPUTY)  # a deputy logs in like the chef, during their dates
    mine = (await deputy.get("/mina-rapporter")).text
    assert spec.workflow_id in mine and "Dana Ersättare" in mine
    refused = await deputy.post(
        "/enheter/bun/personer",
        data={"csrf": csrf_of(mine), "kind": "recipient", "name": "X", "email": "x@example.org"},
    )
    assert refused.status_code == 403  # a deputy does not name others

    ksau = await web.login(KSAU_MEMBER)
    assert (await ksau.get("/enheter/bun")).status_code == 403
    assert (await ksau.get(f"/enheter/bun/rapport/manadsrapport/{spec.period}")).status_code == 403

    eva = await web.login(EKONOMICHEF)  # the ekonomichef manages any unit
    with web.sessions() as session:
        [person] = UnitPeopleRepository(session).list(org_id="hedemora", unit_id="bun")
    removed = await eva.post(
        f"/enheter/bun/personer/{person.id}/ta-bort",
        data={"csrf": csrf_of((await eva.get("/enheter/bun")).text)},
    )
    assert removed.status_code == 303
    assert "Dana Ersättare" not in (await eva.get("/enheter/bun")).text
    for client in (chef, deputy, ksau, eva):
        await client.aclose()


async def test_my_reports_lists_open_and_late_first_and_folds_the_never_opened(
    web: WebRig,
) -> None:
    from arshjul.models.rounds import RoundState
    from arshjul.store.repositories import RoundRepository
    from tests.store.conftest import event
    from tests.web.conftest import round_spec

    t = today()
    late = round_spec(web.config, period="2026-10").model_copy(
        update={"due": t - dt.timedelta(days=2)}
    )
    with web.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(late, 1, "request", RoundState.OPEN))
    chef = await web.login(CHEF)
    page = (await chef.get("/mina-rapporter")).text
    table = page.split('id="rounds-bun"')[1].split("</table>")[0]
    first = table.split('data-round="')[1]
    assert first.startswith(late.workflow_id) and "Försenad" in first.split("</tr>")[0]
    assert "Öppnades aldrig" not in table
    folded = page.split('<details id="never-opened-bun">')[1].split("</details>")[0]
    assert "öppnades aldrig" in folded and "ingenting är försenat" in folded
    await chef.aclose()


async def test_the_history_names_people_and_not_their_addresses(web: WebRig) -> None:
    from arshjul.models.rounds import RoundState
    from arshjul.store.repositories import AuditRepository, RoundRepository
    from tests.store.conftest import event
    from tests.web.conftest import round_spec

    spec = round_spec(web.config)
    with web.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        UnitPeopleRepository(session).add(
            org_id="hedemora",
            unit_id="bun",
            kind="deputy",
            name="Dana Ersättare",
            email=DEPUTY,
            starts=today(),
            ends=today() + dt.timedelta(days=7),
            created_by=CHEF,
        )
        audit = AuditRepository(session)
        audit.append(
            actor=EKONOMICHEF, action="extended", workflow_id=spec.workflow_id, reason="Sjukdom"
        )
        audit.append(actor=DEPUTY, action="submitted", workflow_id=spec.workflow_id)
    chef = await web.login(CHEF)
    page = (await chef.get("/mina-rapporter")).text
    history = page.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>\n  </tbody>")[0]
    by = history.split('data-label="Av">')[1:]
    assert [b.split("<")[0] for b in by] == ["Eva Ekström", "Dana Ersättare"]
    assert EKONOMICHEF not in history and DEPUTY not in history
    assert f"Dana Ersättare ({DEPUTY})" in page  # who gets the unit's mail: the address is needed
    await chef.aclose()
